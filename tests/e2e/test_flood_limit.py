"""The flood limiter counts messages, not chat actions: "typing" before each answer costs no slot."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from telegram.constants import ChatAction
from telegram.ext import ExtBot

from bot.tg.budget import ReplyBudget, RetryingRateLimiter
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.bot_fixtures import plain_http

pytestmark = pytest.mark.e2e

USER = 4300


@pytest.fixture
async def limited_bot(botapi: BotApiEmulator) -> AsyncIterator[ExtBot[int]]:
    limiter = RetryingRateLimiter(budget=ReplyBudget(per_minute=1000, capacity=1000))
    bot: ExtBot[int] = ExtBot(
        botapi.token, base_url=botapi.base_url, request=plain_http(), rate_limiter=limiter
    )
    await bot.initialize()
    botapi.send_text(USER, "नमस्ते")  # the chat exists
    yield bot
    await bot.shutdown()


def overall_capacity(bot: ExtBot[int]) -> bool:
    """Whether PTB's overall limiter (30 a second) has all its slots."""
    limiter = bot.rate_limiter
    assert isinstance(limiter, RetryingRateLimiter)
    base = limiter._base_limiter
    assert base is not None
    return bool(base.has_capacity(30))


async def test_chat_actions_take_no_slot_of_the_overall_limit(limited_bot: ExtBot[int]) -> None:
    for _ in range(40):
        await limited_bot.send_chat_action(USER, ChatAction.TYPING)
    assert overall_capacity(limited_bot)


async def test_messages_do_take_a_slot(limited_bot: ExtBot[int]) -> None:
    await limited_bot.send_message(USER, "x")
    assert not overall_capacity(limited_bot)
