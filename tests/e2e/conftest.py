"""Fixtures for end-to-end tests: the local Bot API emulator, its token, and the running Khabri bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.auxil.botapi import TEST_TOKEN, BotApiEmulator
from tests.e2e.bot_fixtures import running_khabri

if TYPE_CHECKING:
    from bot.tg.context import KhabriApplication


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    # PTB 22 warns on every read of an int-valued time period (RetryAfter.retry_after, …)
    # unless opted in to datetime.timedelta; with filterwarnings=error the warning would
    # replace the RetryAfter itself.
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
def bot_token() -> str:
    return TEST_TOKEN


@pytest.fixture
async def botapi(bot_token: str) -> AsyncIterator[BotApiEmulator]:
    async with BotApiEmulator(token=bot_token) as api:
        yield api


# ---------------------------------------------------------------- the Khabri bot, running for real


@pytest.fixture
async def khabri(
    botapi: BotApiEmulator, bot_token: str, tmp_path: Path, store_location: Path | str
) -> AsyncIterator[KhabriApplication]:
    """The real application, polling the emulator, with a real archive (seeds) in tmp_path."""
    async with running_khabri(botapi, bot_token, store_location) as application:
        yield application
