"""The bot's lifecycle: the archive follows other processes, and the webhook server checks its secret."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import httpx
import pytest

from bot.archive.core import Archive
from bot.tg.app import Webhook, build_application, running, webhook_secret
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.build_updates import make_chat, make_message, make_user
from tests.e2e.bot_fixtures import bot_settings, plain_http, record, running_khabri

pytestmark = pytest.mark.e2e

USER = 5001
QUESTION = "झुमरीतलैया में पुल किसने खोला?"


async def test_report_ingested_by_another_process_becomes_searchable(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str
) -> None:
    db = store_location
    async with running_khabri(botapi, bot_token, db, sync_interval=0.1):
        other = await Archive.open(db)
        try:
            await other.ingest_record(record("झुमरीतलैया में पुल", "झुमरीतलैया में मंत्री ने नया पुल खोला।"))
        finally:
            await other.close()
        await asyncio.sleep(0.5)
        botapi.send_text(USER, QUESTION)
        [reply] = await botapi.wait_for_replies(USER)
    assert "झुमरीतलैया" in reply["text"]


async def test_archive_closes_on_shutdown(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str
) -> None:
    async with running_khabri(botapi, bot_token, store_location) as application:
        assert application.bot_data.archive is not None
    assert application.bot_data.archive is None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_webhook_answers_updates_carrying_the_secret(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str
) -> None:
    port = free_port()
    webhook = Webhook.parse("https://bot.example.com/khabri", f"127.0.0.1:{port}", bot_token)
    application = build_application(bot_settings(botapi, bot_token, store_location), request=plain_http())
    message = make_message("/help", message_id=1, chat=make_chat(USER), user=make_user(USER))
    update = {"update_id": 1, "message": message}
    async with running(application, webhook=webhook), httpx.AsyncClient() as client:
        assert botapi.webhook["url"] == "https://bot.example.com/khabri"
        assert botapi.webhook["secret_token"] == webhook_secret(bot_token)
        url = f"http://127.0.0.1:{port}/khabri"
        wrong = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
        assert wrong.status_code == 403
        right = await client.post(
            url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": webhook_secret(bot_token)}
        )
        assert right.status_code == 200
        [reply] = await botapi.wait_for_replies(USER)
    assert "/ask" in reply["text"]


@pytest.mark.parametrize(
    ("url", "listen"),
    [
        ("http://bot.example.com/x", "0.0.0.0:8443"),
        ("https://bot.example.com/x", "8443"),
        ("https://x.com", "h:0"),
    ],
)
def test_webhook_settings_are_checked(url: str, listen: str) -> None:
    with pytest.raises(ValueError, match=r"webhook URL|HOST:PORT"):
        Webhook.parse(url, listen, "1:x")
