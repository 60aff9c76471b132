"""Webhooks as Telegram runs them: the emulator posts each update until it is answered 2xx, and the bot
answers 200 only once it has replied, so an update a worker did not handle goes out again, and an
update delivered twice is answered once."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.tg.app import Webhook, build_application, running
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.build_updates import make_chat, make_message, make_user
from tests.e2e.bot_fixtures import bot_settings, plain_http

pytestmark = pytest.mark.e2e

USER = 4100


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def flaky_receiver() -> AsyncIterator[tuple[str, list[tuple[int, str | None]]]]:
    """A webhook that answers 502 to the first post of each update, then 200; it records each post."""
    posts: list[tuple[int, str | None]] = []

    async def receive(request: web.Request) -> web.Response:
        update = await request.json()
        first = all(uid != update["update_id"] for uid, _ in posts)
        posts.append((update["update_id"], request.headers.get("X-Telegram-Bot-Api-Secret-Token")))
        return web.Response(status=502 if first else 200)

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}", posts
    finally:
        await runner.cleanup()


async def test_the_emulator_posts_an_update_again_until_it_is_answered_2xx(
    botapi: BotApiEmulator, flaky_receiver: tuple[str, list[tuple[int, str | None]]]
) -> None:
    origin, posts = flaky_receiver
    botapi.webhook_retry = 0.1
    botapi.route_webhook(origin)
    await botapi._set_webhook({"url": "https://bot.example.com/hook", "secret_token": "s3cret"})
    update_id = botapi.send_text(USER, "नमस्ते")
    await botapi.wait_for_deliveries(1)
    assert posts == [(update_id, "s3cret"), (update_id, "s3cret")]
    assert [d.status for d in botapi.deliveries] == [502, 200]
    assert botapi.pending_updates == []


@pytest.fixture
async def webhook_bot(
    botapi: BotApiEmulator, bot_token: str, tmp_path: Path
) -> AsyncIterator[KhabriApplication]:
    port = free_port()
    webhook = Webhook.parse("https://bot.example.com/khabri", f"127.0.0.1:{port}", bot_token)
    botapi.route_webhook(f"http://127.0.0.1:{port}")
    application = build_application(
        bot_settings(botapi, bot_token, tmp_path / "khabri.db"), request=plain_http()
    )
    async with running(application, webhook=webhook):
        yield application


async def test_the_bot_answers_the_webhook_only_after_its_reply_is_sent(
    botapi: BotApiEmulator, webhook_bot: KhabriApplication
) -> None:
    update_id = botapi.send_text(USER, "अखिलेश यादव ममता बनर्जी मुलाकात")
    await botapi.wait_for_replies(USER, 1)
    [delivery] = await botapi.wait_for_deliveries(1)
    [reply] = botapi.calls("sendMessage", USER)
    assert delivery.update_id == update_id
    assert delivery.ok
    assert delivery.started + delivery.seconds >= reply.timestamp


async def test_an_update_delivered_twice_is_answered_once(
    botapi: BotApiEmulator, webhook_bot: KhabriApplication
) -> None:
    message = make_message("शिवपाल यादव कोलकाता", message_id=1, chat=make_chat(USER), user=make_user(USER))
    update_id = botapi.push_update({"message": message})
    await botapi.wait_for_deliveries(1)
    # Telegram delivers it again, as it does when a worker died before it said 200.
    botapi.push_update({"update_id": update_id, "message": message})
    await botapi.wait_for_deliveries(2)
    assert [d.update_id for d in botapi.deliveries if d.ok] == [update_id, update_id]
    assert len(botapi.replies_to(USER)) == 1
