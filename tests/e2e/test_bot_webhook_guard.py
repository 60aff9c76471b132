"""The webhook server refuses before it reads: a wrong secret or an oversized body is answered at once,
while the client is still sending, so an unauthenticated upload never sits in the bot's memory."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.tg.app import Webhook, build_application, running, webhook_secret
from bot.tg.context import KhabriApplication
from bot.tg.webhook_server import MAX_UPDATE_BYTES
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.bot_fixtures import bot_settings, plain_http

pytestmark = pytest.mark.e2e

HUGE = 90 * 2**20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def webhook_bot(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str
) -> AsyncIterator[tuple[KhabriApplication, int]]:
    port = free_port()
    webhook = Webhook.parse("https://bot.example.com/khabri", f"127.0.0.1:{port}", bot_token)
    application = build_application(bot_settings(botapi, bot_token, store_location), request=plain_http())
    async with running(application, webhook=webhook):
        yield application, port


async def answer_to_a_partial_upload(port: int, length: int, secret: str | None) -> bytes:
    """Send the headers and the first kilobyte of a ``length``-byte body; return what the server says."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    headers = [
        "POST /khabri HTTP/1.1",
        "Host: 127.0.0.1",
        "Content-Type: application/json",
        f"Content-Length: {length}",
    ]
    if secret is not None:
        headers.append(f"X-Telegram-Bot-Api-Secret-Token: {secret}")
    writer.write(("\r\n".join(headers) + "\r\n\r\n").encode() + b"{" + b" " * 1023)
    await writer.drain()
    try:
        # The rest of the body never comes: only a server that answers before reading it answers.
        return await asyncio.wait_for(reader.readline(), timeout=10)
    finally:
        writer.close()


@pytest.mark.parametrize("secret", [None, "wrong"])
async def test_a_request_without_the_secret_is_refused_before_its_body_is_read(
    webhook_bot: tuple[KhabriApplication, int], secret: str | None
) -> None:
    _, port = webhook_bot
    status = await answer_to_a_partial_upload(port, HUGE, secret)
    assert status.startswith(b"HTTP/1.1 403")


async def test_a_body_over_the_cap_is_refused_even_with_the_secret(
    webhook_bot: tuple[KhabriApplication, int], bot_token: str
) -> None:
    _, port = webhook_bot
    status = await answer_to_a_partial_upload(port, MAX_UPDATE_BYTES + 1, webhook_secret(bot_token))
    assert status.startswith(b"HTTP/1.1 413")
