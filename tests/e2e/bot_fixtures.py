"""Helpers for the Khabri end-to-end tests: start the real bot against the emulator, read its replies."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from telegram.request import HTTPXRequest

from bot.archive.core import Archive
from bot.archive.report_files import ReportRecord
from bot.settings import Settings
from bot.tg.app import build_application, running
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator

JSONDict = dict[str, Any]


def plain_http() -> HTTPXRequest:
    # The emulator speaks plain HTTP; skipping the TLS context saves ~50 ms per client.
    return HTTPXRequest(httpx_kwargs={"verify": False})


def bot_settings(botapi: BotApiEmulator, token: str, db: Path | str, **fields: Any) -> Settings:
    return Settings(db_path=db, token=token, api_base_url=botapi.base_url, **fields)


@contextlib.asynccontextmanager
async def running_khabri(
    botapi: BotApiEmulator,
    token: str,
    db: Path | str,
    *,
    settings: dict[str, Any] | None = None,
    **options: Any,
) -> AsyncIterator[KhabriApplication]:
    """Build the application as ``khabri run`` does and run it, polling with a short timeout.

    ``settings`` sets more fields of ``Settings`` (``fetch_loopback=True`` for a local feed server).
    """
    application = build_application(
        bot_settings(botapi, token, db, **(settings or {})),
        request=plain_http(),
        get_updates_request=plain_http(),
        **options,
    )
    async with running(application, poll_timeout=1.0):
        yield application


def archive_of(application: KhabriApplication) -> Archive:
    archive = application.bot_data.archive
    assert archive is not None
    return archive


def record(title: str, body: str, *, origin: str | None = None, **fields: Any) -> ReportRecord:
    return ReportRecord(origin or f"test:{title}", title, body, **fields)


def buttons(message: JSONDict) -> list[tuple[str, str]]:
    """(text, callback_data or url) of every inline button under a message."""
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [(b["text"], b.get("callback_data") or b.get("url", "")) for row in rows for b in row]


def entity_texts(message: JSONDict, kind: str) -> list[str]:
    """The text each entity of ``kind`` (``bold``, ``blockquote``, …) covers, offsets in UTF-16."""
    raw = message["text"].encode("utf-16-le")
    return [
        raw[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in message.get("entities", [])
        if e["type"] == kind
    ]


def entity_urls(message: JSONDict) -> list[str]:
    return [e["url"] for e in message.get("entities", []) if e["type"] == "text_link"]
