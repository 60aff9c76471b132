"""``BotApiEmulator``: the HTTP server on 127.0.0.1, routing each call to its method and recording it.

The class puts together the parts in the sibling modules: the chats and messages (``chats``), the
update queue and what users do (``updates``, ``users``), fault injection (``faults``), what tests
read back (``inspection``) and the Bot API methods (``methods``, ``messages``). This module adds
what only the server does: listen, check the token, route ``/bot<token>/<method>`` and
``/_control/<action>``, and answer in Telegram's JSON.
"""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from tests.auxil.botapi.faults import FaultInjection
from tests.auxil.botapi.inspection import Inspection
from tests.auxil.botapi.members import MemberMethods
from tests.auxil.botapi.messages import MessageMethods
from tests.auxil.botapi.methods import BotMethods
from tests.auxil.botapi.params import as_chat_id, dumps, read_params
from tests.auxil.botapi.records import (
    DEFAULT_FIRST_NAME,
    DEFAULT_USERNAME,
    TEST_TOKEN,
    ApiError,
    Call,
    JSONDict,
)
from tests.auxil.botapi.state import EmulatorCore
from tests.auxil.botapi.users import UserActions
from tests.auxil.botapi.webhooks import WebhookDelivery
from tests.auxil.botapi_html import ContentError
from tests.auxil.build_updates import make_user

_TOKEN_FORMAT = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
_UNKNOWN = object()


class BotApiEmulator(
    WebhookDelivery, UserActions, FaultInjection, Inspection, BotMethods, MessageMethods, MemberMethods
):
    """An in-memory Telegram Bot API on 127.0.0.1; see the package docstring.

    Args:
        token: the only token it accepts; others get 401 (well-formed) or 404 (malformed).
        host: where to listen.
        port: 0 picks a free port; read it back from ``port``.
        username: the bot's username in getMe and in group commands.
        first_name: the bot's name in getMe.
        strict_entities: reject unknown ``&name;`` references in HTML (Telegram shows them).
    """

    def __init__(
        self,
        token: str = TEST_TOKEN,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        username: str = DEFAULT_USERNAME,
        first_name: str = DEFAULT_FIRST_NAME,
        strict_entities: bool = True,
    ) -> None:
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        EmulatorCore.__init__(
            self,
            make_user(bot_id, first_name=first_name, username=username, language_code=None, is_bot=True),
        )
        self.token = token
        self.host = host
        self.strict_entities = strict_entities
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        methods = {**self._bot_methods(), **self._message_methods(), **self._member_methods()}
        self._handlers = {name.lower(): (name, handler) for name, handler in methods.items()}

    # ------------------------------------------------------------------ lifecycle

    async def start(self) -> None:
        """Listen on ``host``; after this ``port`` and ``base_url`` are known."""
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_route("*", "/_control/{action}", self._handle_control)
        self._runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1.0)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, self._requested_port))
        self._port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        """Answer waiting long polls with no updates and close the server."""
        self._closing.set()
        self._notify()
        await self._stop_delivering()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        """The TCP port it listens on."""
        if self._port is None:
            raise RuntimeError("the emulator is not started")
        return self._port

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``, the root of the control API."""
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What ``Bot(base_url=...)``/``ApplicationBuilder().base_url()`` want; PTB adds the token."""
        return f"{self.url}/bot"

    # ------------------------------------------------------------------ HTTP: Bot API

    async def _handle_api(self, request: web.Request) -> web.Response:
        arrived = time.time()
        token = request.match_info["token"]
        requested = request.match_info["method"]
        try:
            params = await read_params(request)
        except ValueError:
            params = {}
            error: ApiError | None = ApiError(400, "Bad Request: can't parse request parameters")
        else:
            error = None
        method, handler = self._handlers.get(requested.lower(), (requested, None))
        chat_id = self._chat_of(method, params)
        result: Any = None
        try:
            if error is not None:
                raise error
            if token != self.token:
                if _TOKEN_FORMAT.fullmatch(token):
                    raise ApiError(401, "Unauthorized")
                raise ApiError(404, "Not Found")
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            await self._inject_faults(method, chat_id)
            result = await handler(params)
        except ContentError as exc:
            error = ApiError(400, f"Bad Request: {exc.description}")
        except ApiError as exc:
            error = exc
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            # Parameters of the wrong shape: answer 400 and record it, rather than a bare 500.
            error = ApiError(400, f"Bad Request: invalid parameters ({exc!r})")
        if error is None:
            self._record(Call(method, params, arrived, chat_id, 200, result))
            return web.json_response({"ok": True, "result": result}, dumps=dumps)
        self._record(Call(method, params, arrived, chat_id, error.status, None, error.description))
        return web.json_response(error.body(), status=error.status, dumps=dumps)

    # ------------------------------------------------------------------ HTTP: control API

    async def _handle_control(self, request: web.Request) -> web.Response:
        action = request.match_info["action"]
        query = dict(request.query)
        try:
            kwargs: JSONDict = await request.json() if request.can_read_body else {}
            result = self._control(action, query, kwargs)
        except (ValueError, TypeError, KeyError) as exc:
            return web.json_response({"ok": False, "description": str(exc)}, status=400)
        if result is _UNKNOWN:
            return web.json_response({"ok": False, "description": f"no action {action!r}"}, status=404)
        return web.json_response({"ok": True, "result": result}, dumps=dumps)

    def _control(self, action: str, query: dict[str, str], kwargs: JSONDict) -> Any:
        chat_id = as_chat_id(query["chat_id"]) if "chat_id" in query else None
        if action == "calls":
            return [call.to_json() for call in self.calls(query.get("method"), chat_id)]
        if action == "send_times":
            return self.send_times(chat_id)
        if action == "pending_updates":
            return self.pending_updates
        actions: dict[str, Callable[..., Any]] = {
            "push_update": self.push_update,
            "send_text": self.send_text,
            "send_command": self.send_command,
            "press_button": self.press_button,
            "inline_query": self.inline_query,
            "my_chat_member": self.my_chat_member,
            "fail_next": self.fail_next,
            "block_chat": self.block_chat,
            "unblock_chat": self.unblock_chat,
            "slow": self.slow,
            "reset": self.reset,
            "route_webhook": self.route_webhook,
        }
        if action not in actions:
            return _UNKNOWN
        return actions[action](**kwargs)
