"""Logs at DEBUG, through the real bot and the emulator: no token, no message text, no names.

PTB logs the Bot API url (with the token) and whole updates at DEBUG, and aiosqlite each SQL
statement with its parameters; ``bot.logs`` redacts the token in every record and holds those
libraries at INFO unless they are asked for by name.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import QUIET_LOGGERS, configure_logging
from bot.settings import Settings
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.build_updates import make_chat, make_message, make_user
from tests.e2e.bot_fixtures import running_khabri

pytestmark = pytest.mark.e2e

USER = 5101
PHRASE = "गुप्तवाक्य ममता बनर्जी कोलकाता"
FIRST_NAME = "Rameshwarprasad"
USERNAME = "rameshwar_private_handle"


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """Restore the logging configuration the test changes."""
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in [*QUIET_LOGGERS, ""]}
    handlers = list(root.handlers)
    stream = io.StringIO()
    yield stream
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


async def converse(botapi: BotApiEmulator, token: str, db: Path | str) -> None:
    async with running_khabri(botapi, token, db):
        user = make_user(USER, first_name=FIRST_NAME, username=USERNAME)
        chat = make_chat(USER, "private", first_name=FIRST_NAME)
        botapi.push_update({"message": make_message(PHRASE, message_id=1, chat=chat, user=user)})
        await botapi.wait_for_replies(USER)


async def test_debug_logs_hold_no_token_no_text_and_no_names(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str, captured: io.StringIO
) -> None:
    settings = Settings.from_env({"LOG_LEVEL": "DEBUG", "TELEGRAM_BOT_TOKEN": bot_token})
    configure_logging(
        settings.log_level, token=settings.token, overrides=settings.log_overrides, stream=captured
    )
    await converse(botapi, bot_token, store_location)
    log = captured.getvalue()
    assert " DEBUG " in log or " INFO " in log  # something was logged at the low levels
    for secret in (bot_token, bot_token.partition(":")[2], PHRASE, "गुप्तवाक्य", FIRST_NAME, USERNAME):
        assert secret not in log


async def test_a_library_asked_for_by_name_logs_at_debug_with_the_token_still_redacted(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str, captured: io.StringIO
) -> None:
    settings = Settings.from_env({"LOG_LEVEL": "DEBUG,telegram=DEBUG", "TELEGRAM_BOT_TOKEN": bot_token})
    configure_logging(
        settings.log_level, token=settings.token, overrides=settings.log_overrides, stream=captured
    )
    await converse(botapi, bot_token, store_location)
    log = captured.getvalue()
    assert "telegram" in log
    assert "getUpdates" in log  # PTB's own debug lines, asked for
    assert "[redacted]" in log  # the Bot API url, which carries the token
    assert bot_token not in log
    assert bot_token.partition(":")[2] not in log


@pytest.mark.parametrize("value", ["LOUD", "DEBUG,telegram=LOUD", "DEBUG,=DEBUG"])
def test_a_malformed_log_level_is_named(value: str) -> None:
    from bot.settings import SettingsError

    with pytest.raises(SettingsError, match="LOG_LEVEL"):
        Settings.from_env({"LOG_LEVEL": value})
