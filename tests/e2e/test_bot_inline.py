"""Inline mode: ``@bot question`` in any chat."""

from __future__ import annotations

import pytest

from bot.render.texts import text
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator

pytestmark = pytest.mark.e2e

USER = 4001


async def test_inline_query_returns_reports_with_quotes(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.inline_query(USER, "akhilesh yadav ne kolkata me kisse mulakat ki")
    [call] = await botapi.wait_for_calls("answerInlineQuery", ok=True)
    results = call.params["results"]
    assert 1 <= len(results) <= 10
    first = results[0]
    assert "ममता" in first["title"] + first["description"]
    assert "<blockquote>" in first["input_message_content"]["message_text"]
    assert "https://t.me/khabri_test_bot?start=r_" in first["input_message_content"]["message_text"]


async def test_inline_query_without_answer_shows_a_nothing_found_card(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.inline_query(USER, "क्रिकेट विश्व कप किसने जीता?")
    [call] = await botapi.wait_for_calls("answerInlineQuery", ok=True)
    [card] = call.params["results"]
    assert card["title"] == text("inline_nothing_title", "hi")
    assert card["input_message_content"]["message_text"] == text("nothing_found", "hi")


@pytest.mark.parametrize("query", ["", "   ", "😀"])
async def test_empty_inline_query_shows_a_hint(
    botapi: BotApiEmulator, khabri: KhabriApplication, query: str
) -> None:
    botapi.inline_query(USER, query)
    [call] = await botapi.wait_for_calls("answerInlineQuery", ok=True)
    [card] = call.params["results"]
    assert card["id"] == "hint"
