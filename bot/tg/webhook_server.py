"""The webhook server of ``khabri run --webhook``: the secret is checked before the body is read.

PTB's own webhook server reads a request's whole body before it looks at the secret header, so
anyone can make the bot hold a 90 MB upload in memory. This one is a tornado handler that streams
the body (``stream_request_body``): ``prepare`` refuses a missing or wrong
``X-Telegram-Bot-Api-Secret-Token`` (403) or a declared length over ``MAX_UPDATE_BYTES`` (413)
before any of it is read, and ``data_received`` stops an undeclared (chunked) body at the cap.

A good update is handled before the answer goes back (PTB's server only queues it and says 200 at
once): Telegram takes 200 to mean "done" and delivers anything else again, so an update a worker
dies on, or drops because it is stopping (503), reaches another worker behind the load balancer
instead of being lost. ``bot.tg.once`` keeps such a second delivery from being answered twice.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import tornado.httpserver
import tornado.web
from telegram import Update
from telegram.ext import ExtBot

logger = logging.getLogger(__name__)

MAX_UPDATE_BYTES = 1 << 20
"""A Telegram update is a few kilobytes; a megabyte leaves room and no more."""
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Handle = Callable[[Update], Awaitable[bool]]
"""Handles one update; False when it was not handled (the bot is stopping)."""


@tornado.web.stream_request_body
class _UpdateHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot: ExtBot[Any], handle: Handle, secret: str) -> None:
        self._bot = bot
        self._handle = handle
        self._secret = secret
        self._chunks: list[bytes] = []
        self._size = 0

    def prepare(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        declared = self.request.headers.get("Content-Length", "")
        if declared and (not declared.isdigit() or int(declared) > MAX_UPDATE_BYTES):
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > MAX_UPDATE_BYTES:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self._chunks.append(chunk)

    async def post(self) -> None:
        try:
            data = json.loads(b"".join(self._chunks))
            update = Update.de_json(data, self._bot)
        except (ValueError, TypeError, KeyError) as error:
            # Log the kind of failure only: the body may hold a user's message.
            logger.warning("webhook: an update could not be read (%s)", type(error).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        self._bot.insert_callback_data(update)
        if not await self._handle(update):
            # Stopping: not handled, so Telegram must deliver it again (to a worker that runs).
            raise tornado.web.HTTPError(HTTPStatus.SERVICE_UNAVAILABLE)
        self.set_status(HTTPStatus.OK)

    def log_exception(self, *args: Any) -> None:
        """Refusals are expected (403, 413); nothing of a request is logged."""


class WebhookServer:
    """Listen on ``host:port`` at ``/path`` and have each authenticated update handled by ``handle``."""

    def __init__(self, bot: ExtBot[Any], handle: Handle, *, path: str, secret: str) -> None:
        app = tornado.web.Application(
            [(rf"/{path.strip('/')}/?", _UpdateHandler, {"bot": bot, "handle": handle, "secret": secret})],
            log_function=lambda handler: None,
        )
        # The server's own cap, too: it refuses a declared length over it before any handler runs.
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_UPDATE_BYTES)

    def listen(self, host: str, port: int) -> None:
        """Start listening (the event loop serves the requests)."""
        self._server.listen(port, address=host)

    async def stop(self) -> None:
        """Stop listening and close the open connections."""
        self._server.stop()
        await self._server.close_all_connections()
