"""Every command the bot registers is documented: in /help (both languages), the menu, and README.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from telegram.ext import CommandHandler

from bot.render.texts import ADMIN_COMMANDS, COMMANDS
from bot.settings import Settings
from bot.tg.app import build_application
from bot.tg.handlers import help_text
from tests.auxil.botapi import TEST_TOKEN

REPO = Path(__file__).resolve().parents[3]


def registered_commands(tmp_path: Path) -> list[str]:
    application = build_application(Settings(db_path=tmp_path / "k.db", token=TEST_TOKEN))
    return sorted(
        command
        for handlers in application.handlers.values()
        for handler in handlers
        if isinstance(handler, CommandHandler)
        for command in handler.commands
    )


@pytest.fixture
def commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    found = registered_commands(tmp_path)
    assert found
    return found


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_help_mentions_every_registered_command(commands: list[str], lang: str) -> None:
    shown = help_text(lang, "khabri_bot", 10, admin=True)
    missing = [c for c in commands if f"/{c}" not in shown]
    assert not missing, f"/help ({lang}) does not mention {missing}"


def test_menu_lists_every_registered_command(commands: list[str]) -> None:
    assert sorted(c.name for c in (*COMMANDS, *ADMIN_COMMANDS)) == commands


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_help_shows_operator_commands_to_operators_only(lang: str) -> None:
    assert "/stats" in help_text(lang, "khabri_bot", 10, admin=True)
    assert "/stats" not in help_text(lang, "khabri_bot", 10)


def test_every_command_has_both_descriptions() -> None:
    for command in COMMANDS:
        assert command.hi.strip()
        assert command.en.strip()
        assert re.fullmatch(r"[a-z0-9_]{1,32}", command.name)


def test_readme_mentions_every_registered_command(commands: list[str]) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [c for c in commands if not re.search(rf"/{c}\b", readme)]
    assert not missing, f"README.md has no line mentioning {', '.join('/' + c for c in missing)}"
