"""A local Telegram Bot API emulator for end-to-end tests, served over HTTP on 127.0.0.1.

The real ``telegram.Bot``/``Application`` talks to it through ``base_url``, so the fake sits at
the network edge only. It serves ``getUpdates`` from a queue the test fills (``send_text``,
``press_button``, …), answers the sending methods the way Telegram does (same JSON, same
status codes and descriptions, same validation of HTML, lengths and keyboards; see
``tests.auxil.botapi_html``), and records every call for the test to assert on.

Run it in the test's event loop::

    async with BotApiEmulator() as api:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        ...
        api.send_text(user_id=42, text="नमस्ते")
        [reply] = await api.wait_for_replies(42)

or as its own process (``python -m tests.auxil.botapi --port 0 --token T`` prints the port),
driven through ``/_control/...`` by ``BotApiClient``/``AsyncBotApiClient``; ``BotApiProcess``
starts and stops one.

Errors the Bot API would give surface in PTB as usual: 400 → ``BadRequest``, 403 →
``Forbidden``, 401/404 → ``InvalidToken``, 409 → ``Conflict``, 429 with
``parameters.retry_after`` → ``RetryAfter``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from tests.auxil.botapi_html import (
    MAX_INLINE_RESULTS,
    ContentError,
    check_message_text,
    check_reply_markup,
)
from tests.auxil.build_updates import (
    command_text,
    default_chat,
    make_callback_query,
    make_chat,
    make_chat_member_updated,
    make_inline_query,
    make_message,
    make_user,
    update_kind,
)

JSONDict = dict[str, Any]
ChatId = int | str

TEST_TOKEN = "5000000001:AAFkhabriEmulatorTestToken-12345678"
DEFAULT_USERNAME = "khabri_test_bot"
DEFAULT_FIRST_NAME = "Khabri Test"

_TOKEN_FORMAT = re.compile(r"\d+:[A-Za-z0-9_-]{30,}")
_QUERY_EXPIRED = "Bad Request: query is too old and response timeout expired or query ID is invalid"
_POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
# Updates Telegram leaves out unless allowed_updates names them.
_OPT_IN_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
# Form fields that are strings even when they look like JSON ("123", "true").
_STRING_PARAMS = frozenset(
    {
        "text",
        "parse_mode",
        "caption",
        "action",
        "url",
        "callback_query_id",
        "inline_query_id",
        "next_offset",
        "language_code",
        "secret_token",
        "ip_address",
        "message_effect_id",
        "business_connection_id",
        "inline_message_id",
        "query",
        "description",
        "short_description",
        "name",
    }
)
# Methods that write to a chat: these fail with 403 once the user blocked the bot.
_CHAT_WRITES = frozenset({"sendMessage", "sendChatAction", "editMessageText", "editMessageReplyMarkup"})
# Methods that count towards Telegram's flood limits in the rate statistics.
_COUNTED_SENDS = frozenset({"sendMessage"})
_ERROR_TEXTS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: _POLL_CONFLICT,
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class ApiError(Exception):
    """A Bot API error answer: HTTP ``status``, Telegram's ``description``, ``parameters``."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        """The JSON body Telegram sends with this error."""
        body: JSONDict = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


@dataclass(frozen=True)
class Call:
    """One request the bot made, as the emulator answered it.

    Attributes:
        method: the Bot API method in canonical spelling (``"sendMessage"``).
        params: the parameters, JSON-decoded (``chat_id`` is an int, ``reply_markup`` a dict).
        timestamp: ``time.time()`` when the request arrived.
        chat_id: the chat the call is about, when it names one.
        status: the HTTP status answered (200 on success).
        result: the ``result`` sent back on success, else None.
        description: the error description on failure, else None.
    """

    method: str
    params: JSONDict
    timestamp: float
    chat_id: ChatId | None
    status: int = 200
    result: Any = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        """Whether Telegram would have answered ``{"ok": true}``."""
        return self.status == 200

    def to_json(self) -> JSONDict:
        """A JSON-ready dict, as ``/_control/calls`` serves it."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Call:
        """The inverse of ``to_json``."""
        return cls(**data)


@dataclass
class _Fault:
    method: str
    status: int
    retry_after: int
    remaining: int
    description: str | None
    chat_id: ChatId | None

    def error(self) -> ApiError:
        if self.status == 429:
            return ApiError(
                429,
                self.description or f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        default = _ERROR_TEXTS.get(self.status, f"Error {self.status}")
        return ApiError(self.status, self.description or default)


@dataclass
class _State:
    """Everything ``reset()`` forgets; the id counters live on the emulator and never rewind."""

    calls: list[Call] = field(default_factory=list)
    updates: list[JSONDict] = field(default_factory=list)
    faults: list[_Fault] = field(default_factory=list)
    blocked: set[ChatId] = field(default_factory=set)
    slow: dict[str, float] = field(default_factory=dict)
    chats: dict[ChatId, JSONDict] = field(default_factory=dict)
    messages: dict[tuple[ChatId, int], JSONDict] = field(default_factory=dict)
    callback_queries: dict[str, JSONDict] = field(default_factory=dict)
    inline_queries: dict[str, bool] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[JSONDict]] = field(default_factory=dict)
    webhook: JSONDict = field(default_factory=dict)
    allowed_updates: list[str] = field(default_factory=list)


Handler = Callable[[JSONDict], Awaitable[Any]]


class BotApiEmulator:
    """An in-memory Telegram Bot API on 127.0.0.1; see the module docstring.

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
        self.token = token
        self.host = host
        self.strict_entities = strict_entities
        bot_id = int(token.split(":", 1)[0]) if token.split(":", 1)[0].isdigit() else 1
        self.bot_user: JSONDict = make_user(
            bot_id, first_name=first_name, username=username, language_code=None, is_bot=True
        )
        self._requested_port = port
        self._port: int | None = None
        self._runner: web.AppRunner | None = None
        self._state = _State()
        self._next_update_id = 1
        self._next_query_id = 1
        self._next_message_ids: dict[ChatId, int] = {}
        self._poll_generation = 0
        self._change = asyncio.Event()
        self._closing = asyncio.Event()
        self._handlers: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "answerInlineQuery": self._answer_inline_query,
                "sendChatAction": self._send_chat_action,
                "getChat": self._get_chat,
                "close": self._return_true,
                "logOut": self._return_true,
            }.items()
        }

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

    def reset(self) -> None:
        """Forget calls, updates, faults, blocks, chats and messages; ids keep counting up."""
        self._state = _State()
        self._notify()

    # ------------------------------------------------------------------ update injection

    def push_update(self, update: Mapping[str, Any]) -> int:
        """Queue a raw Update for getUpdates; ``update_id`` is assigned if missing."""
        queued = dict(update)
        queued.setdefault("update_id", self._next_update_id)
        update_kind(queued)
        self._next_update_id = max(self._next_update_id, queued["update_id"] + 1)
        self._state.updates.append(queued)
        self._notify()
        return int(queued["update_id"])

    def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to_bot: bool = False,
        entities: list[JSONDict] | None = None,
    ) -> int:
        """A user writes ``text``; returns the update id.

        Args:
            user_id: the sender.
            text: the message text; bot commands in it are marked unless ``entities`` is given.
            chat_id: defaults to ``user_id`` (the private chat); give it for groups.
            chat_type: ``private``, ``group``, ``supergroup`` or ``channel``.
            reply_to_bot: reply to the bot's latest message in that chat.
            entities: the message entities, as Telegram would send them.
        """
        if chat_id is None:
            if chat_type != "private":
                raise ValueError(f"a {chat_type} message needs a chat_id")
            chat_id = user_id
        chat = self._register_chat(chat_id, chat_type, user_id)
        reply = self._latest_bot_message(chat_id) if reply_to_bot else None
        if reply_to_bot and reply is None:
            raise ValueError(f"the bot has sent nothing to chat {chat_id} to reply to")
        message = make_message(
            text,
            message_id=self._new_message_id(chat_id),
            chat=chat,
            user=make_user(user_id),
            entities=entities,
            reply_to_message=reply,
        )
        self._state.messages[chat_id, message["message_id"]] = message
        return self.push_update({"message": message})

    def send_command(
        self,
        user_id: int,
        command: str,
        args: str = "",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """A user sends ``/command args`` (``/command@bot`` outside private chats)."""
        username = None if chat_type == "private" else self.bot_user["username"]
        text = command_text(command, args, bot_username=username)
        return self.send_text(user_id, text, chat_id=chat_id, chat_type=chat_type)

    def press_button(self, message: Call | Mapping[str, Any], data: str, user_id: int | None = None) -> int:
        """A user presses the inline button with callback ``data`` under a bot message.

        Args:
            message: the bot's message (a recorded ``Call`` of sendMessage/editMessageText or
                its result dict); its current version, after edits, is used.
            data: the button's callback_data; it must be on the message now.
            user_id: who presses; defaults to the private chat's user.
        """
        if isinstance(message, Call):
            message = message.result
        elif isinstance(message, Mapping) and isinstance(message.get("result"), Mapping):
            message = message["result"]
        if not isinstance(message, Mapping) or "message_id" not in message:
            raise ValueError("press_button needs a message the bot sent")
        chat_id = message["chat"]["id"]
        current = self._state.messages.get((chat_id, message["message_id"]))
        if current is None or current.get("from", {}).get("id") != self.bot_user["id"]:
            raise ValueError(f"no bot message {message['message_id']} in chat {chat_id}")
        choices = [
            button.get("callback_data")
            for row in current.get("reply_markup", {}).get("inline_keyboard", [])
            for button in row
            if "callback_data" in button
        ]
        if data not in choices:
            raise ValueError(f"no button with callback_data {data!r}; the message has {choices}")
        if user_id is None:
            if current["chat"]["type"] != "private":
                raise ValueError("press_button in a group needs a user_id")
            user_id = int(chat_id)
        query_id = self._new_query_id()
        self._state.callback_queries[query_id] = {"chat_id": chat_id, "answered": False}
        query = make_callback_query(query_id, user=make_user(user_id), message=current, data=data)
        return self.push_update({"callback_query": query})

    def inline_query(self, user_id: int, query: str, offset: str = "") -> int:
        """A user types ``@bot query``; returns the update id."""
        query_id = self._new_query_id()
        self._state.inline_queries[query_id] = False
        inline = make_inline_query(query_id, user=make_user(user_id), query=query, offset=offset)
        return self.push_update({"inline_query": inline})

    def my_chat_member(
        self,
        user_id: int,
        new_status: str = "kicked",
        old_status: str = "member",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """The bot's membership changes; ``kicked`` in a private chat means the user blocked it.

        As on Telegram, a private chat with ``new_status="kicked"`` is blocked from then on
        (403 on every send) and ``"member"`` unblocks it.
        """
        chat_id = user_id if chat_id is None else chat_id
        chat = self._register_chat(chat_id, chat_type, user_id)
        member = {k: v for k, v in self.bot_user.items() if k in ("id", "is_bot", "first_name")}
        change = make_chat_member_updated(
            chat=chat,
            user=make_user(user_id),
            member={**member, "username": self.bot_user["username"]},
            old_status=old_status,
            new_status=new_status,
        )
        if chat_type == "private":
            if new_status == "kicked":
                self.block_chat(chat_id)
            elif new_status == "member":
                self.unblock_chat(chat_id)
        return self.push_update({"my_chat_member": change})

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Updates not yet confirmed by a getUpdates offset."""
        return list(self._state.updates)

    # ------------------------------------------------------------------ fault injection

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        count: int = 1,
        *,
        description: str | None = None,
        chat_id: ChatId | None = None,
    ) -> None:
        """Answer the next ``count`` calls of ``method`` (optionally to one chat) with an error.

        429 carries ``parameters.retry_after``; the other statuses get Telegram's usual
        description unless ``description`` is given.
        """
        if status < 400:
            raise ValueError(f"status must be an HTTP error (4xx or 5xx), not {status}")
        if count < 1:
            raise ValueError(f"count must be at least 1, not {count}")
        name = self._canonical(method)
        self._state.faults.append(_Fault(name, status, retry_after, count, description, chat_id))

    def block_chat(self, chat_id: ChatId) -> None:
        """From now on every send to ``chat_id`` gets 403, as if the user blocked the bot."""
        self._state.blocked.add(chat_id)

    def unblock_chat(self, chat_id: ChatId) -> None:
        """Undo ``block_chat``."""
        self._state.blocked.discard(chat_id)

    def slow(self, method: str, seconds: float) -> None:
        """Delay every answer to ``method`` by ``seconds`` (0 removes the delay)."""
        name = self._canonical(method)
        if seconds > 0:
            self._state.slow[name] = seconds
        else:
            self._state.slow.pop(name, None)

    # ------------------------------------------------------------------ inspection

    def calls(self, method: str | None = None, chat_id: ChatId | None = None) -> list[Call]:
        """Recorded calls in the order they were answered, optionally filtered."""
        name = self._canonical(method) if method else None
        return [
            call
            for call in self._state.calls
            if (name is None or call.method == name) and (chat_id is None or call.chat_id == chat_id)
        ]

    async def wait_for_calls(
        self,
        method: str,
        count: int = 1,
        chat_id: ChatId | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - the test's deadline, like asyncio.wait_for's
        *,
        ok: bool | None = None,
    ) -> list[Call]:
        """Wait until at least ``count`` matching calls are recorded; return all that match.

        ``ok=True`` counts only successful calls, ``ok=False`` only failed ones.

        Raises:
            TimeoutError: with the calls recorded so far, if ``timeout`` passes first.
        """

        def matching() -> list[Call]:
            found = self.calls(method, chat_id)
            return [c for c in found if ok is None or c.ok == ok]

        if await self._wait_until(lambda: len(matching()) >= count, timeout):
            return matching()
        raise TimeoutError(_describe_timeout(method, count, chat_id, timeout, self._state.calls))

    async def wait_for_replies(
        self,
        chat_id: ChatId,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - the test's deadline, like asyncio.wait_for's
    ) -> list[JSONDict]:
        """Wait for ``count`` messages the bot sent to ``chat_id``; return them all."""
        await self.wait_for_calls("sendMessage", count, chat_id, timeout, ok=True)
        return self.replies_to(chat_id)

    def replies_to(self, chat_id: ChatId) -> list[JSONDict]:
        """The Message objects the bot sent to ``chat_id``, as they were returned."""
        return [call.result for call in self.calls("sendMessage", chat_id) if call.ok]

    def sent_texts(self, chat_id: ChatId) -> list[str]:
        """The texts the user in ``chat_id`` saw: HTML parsed away, whitespace trimmed."""
        return [str(message["text"]) for message in self.replies_to(chat_id)]

    def message(self, chat_id: ChatId, message_id: int) -> JSONDict | None:
        """A message as it is now, after edits; None once deleted or never sent."""
        return self._state.messages.get((chat_id, message_id))

    def commands(self, scope: Mapping[str, Any] | None = None, language_code: str = "") -> list[JSONDict]:
        """The commands set with setMyCommands for ``scope`` (default scope) and language."""
        return list(self._state.commands.get(_commands_key(scope, language_code), []))

    @property
    def webhook(self) -> JSONDict:
        """The parameters of the last setWebhook; empty when none is set."""
        return dict(self._state.webhook)

    def send_times(self, chat_id: ChatId | None = None) -> list[float]:
        """Sorted arrival times of successful sends (sendMessage), for one chat or all."""
        return sorted(
            call.timestamp
            for call in self.calls(chat_id=chat_id)
            if call.ok and call.method in _COUNTED_SENDS
        )

    def max_rate(self, window_s: float, chat_id: ChatId | None = None) -> float:
        """The highest send rate in messages/second over any ``window_s``-second window.

        That is the most sends arriving within ``[t, t + window_s)`` for any ``t``, divided by
        ``window_s``: Telegram's limits are about 1/s per chat and 30/s overall.
        """
        if window_s <= 0:
            raise ValueError(f"window_s must be positive, not {window_s}")
        return _max_in_window(self.send_times(chat_id), window_s) / window_s

    # ------------------------------------------------------------------ HTTP: Bot API

    async def _handle_api(self, request: web.Request) -> web.Response:
        arrived = time.time()
        token = request.match_info["token"]
        requested = request.match_info["method"]
        try:
            params = await _read_params(request)
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
            if method in self._state.slow:
                await self._sleep(self._state.slow[method])
            self._raise_fault(method, chat_id)
            if method in _CHAT_WRITES and chat_id in self._state.blocked:
                raise ApiError(403, self._blocked_description(chat_id))
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
            return web.json_response({"ok": True, "result": result}, dumps=_dumps)
        self._record(Call(method, params, arrived, chat_id, error.status, None, error.description))
        return web.json_response(error.body(), status=error.status, dumps=_dumps)

    def _raise_fault(self, method: str, chat_id: ChatId | None) -> None:
        for fault in self._state.faults:
            if fault.method == method and fault.chat_id in (None, chat_id):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._state.faults.remove(fault)
                raise fault.error()

    def _blocked_description(self, chat_id: ChatId | None) -> str:
        chat_type = self._state.chats.get(chat_id, {}).get("type") if chat_id else None
        if chat_type == "group":
            return "Forbidden: bot was kicked from the group chat"
        if chat_type in ("supergroup", "channel"):
            return f"Forbidden: bot was kicked from the {chat_type} chat"
        return "Forbidden: bot was blocked by the user"

    def _record(self, call: Call) -> None:
        self._state.calls.append(call)
        self._notify()

    # ------------------------------------------------------------------ Bot API methods

    async def _return_true(self, params: JSONDict) -> bool:
        return True

    async def _get_me(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        if self._state.webhook.get("url"):
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = int(params.get("offset", 0))
        limit = min(max(int(params.get("limit", 100)), 1), 100)
        timeout = max(float(params.get("timeout", 0)), 0.0)
        if "allowed_updates" in params:
            self._state.allowed_updates = list(params["allowed_updates"] or [])
        self._confirm(offset)
        # As on Telegram, a new poll ends the one still waiting (a second bot instance, or a
        # request its client already abandoned) with 409 Conflict.
        self._poll_generation += 1
        generation = self._poll_generation
        self._notify()
        await self._wait_until(
            lambda: generation != self._poll_generation or bool(self._deliverable(limit)),
            timeout,
        )
        if generation != self._poll_generation:
            raise ApiError(409, _POLL_CONFLICT)
        return self._deliverable(limit)

    def _confirm(self, offset: int) -> None:
        updates = self._state.updates
        if offset < 0:
            del updates[: max(len(updates) + offset, 0)]
        elif offset > 0:
            updates[:] = [u for u in updates if u["update_id"] >= offset]

    def _deliverable(self, limit: int) -> list[JSONDict]:
        allowed = set(self._state.allowed_updates)
        wanted = [
            update
            for update in self._state.updates
            if (update_kind(update) in allowed if allowed else update_kind(update) not in _OPT_IN_UPDATES)
        ]
        return wanted[:limit]

    async def _set_webhook(self, params: JSONDict) -> bool:
        url = str(params.get("url", ""))
        if url and not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook")
        self._state.webhook = dict(params) if url else {}
        if params.get("drop_pending_updates"):
            self._state.updates.clear()
        return True

    async def _delete_webhook(self, params: JSONDict) -> bool:
        self._state.webhook = {}
        if params.get("drop_pending_updates"):
            self._state.updates.clear()
        return True

    async def _get_webhook_info(self, params: JSONDict) -> JSONDict:
        info: JSONDict = {
            "url": self._state.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self._state.updates),
        }
        if self._state.webhook.get("allowed_updates"):
            info["allowed_updates"] = self._state.webhook["allowed_updates"]
        return info

    async def _set_my_commands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = _commands_key(params.get("scope"), str(params.get("language_code", "")))
        self._state.commands[key] = [dict(c) for c in commands]
        return True

    async def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        return self.commands(params.get("scope"), str(params.get("language_code", "")))

    async def _delete_my_commands(self, params: JSONDict) -> bool:
        key = _commands_key(params.get("scope"), str(params.get("language_code", "")))
        self._state.commands.pop(key, None)
        return True

    async def _send_message(self, params: JSONDict) -> JSONDict:
        chat_id = self._require_chat(params)
        text = check_message_text(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
            strict_entities=self.strict_entities,
        )
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        reply = self._reply_target(chat_id, params.get("reply_parameters"))
        message = make_message(
            text.text,
            message_id=self._new_message_id(chat_id),
            chat=self._chat(chat_id),
            user=self.bot_user,
            entities=list(text.entities),
            reply_to_message=reply,
            reply_markup=_inline_markup(markup),
        )
        self._state.messages[chat_id, message["message_id"]] = message
        return message

    async def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        text = check_message_text(
            params.get("text"),
            params.get("parse_mode"),
            params.get("entities"),
            strict_entities=self.strict_entities,
        )
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if "inline_message_id" in params:
            return True
        message = self._editable(params, "message to edit not found")
        changes: JSONDict = {"text": text.text, "entities": list(text.entities)}
        if _inline_markup(markup) is not None:
            changes["reply_markup"] = _inline_markup(markup)
        return self._apply_edit(message, changes, drop_markup=markup is None)

    async def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        markup = params.get("reply_markup")
        check_reply_markup(markup)
        if "inline_message_id" in params:
            return True
        message = self._editable(params, "message to edit not found")
        changes: JSONDict = {}
        if _inline_markup(markup) is not None:
            changes["reply_markup"] = _inline_markup(markup)
        return self._apply_edit(message, changes, drop_markup=markup is None)

    def _apply_edit(self, message: JSONDict, changes: JSONDict, *, drop_markup: bool) -> JSONDict:
        edited = {**message, **changes}
        if "entities" in changes and not changes["entities"]:
            edited.pop("entities")
        if drop_markup:
            # As on Telegram, an edit without reply_markup removes the inline keyboard.
            edited.pop("reply_markup", None)
        unchanged = {k: v for k, v in edited.items() if k != "edit_date"}
        if unchanged == {k: v for k, v in message.items() if k != "edit_date"}:
            raise ApiError(400, _NOT_MODIFIED)
        edited["edit_date"] = int(time.time())
        self._state.messages[message["chat"]["id"], message["message_id"]] = edited
        return edited

    def _editable(self, params: JSONDict, missing: str) -> JSONDict:
        chat_id = self._require_chat(params)
        message = self._state.messages.get((chat_id, _as_int(params.get("message_id"))))
        if message is None:
            raise ApiError(400, f"Bad Request: {missing}")
        if message.get("from", {}).get("id") != self.bot_user["id"]:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    async def _delete_message(self, params: JSONDict) -> bool:
        chat_id = self._require_chat(params)
        key = (chat_id, _as_int(params.get("message_id")))
        if self._state.messages.pop(key, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    async def _answer_callback_query(self, params: JSONDict) -> bool:
        query = self._state.callback_queries.get(str(params.get("callback_query_id")))
        if query is None or query["answered"]:
            raise ApiError(400, _QUERY_EXPIRED)
        if len(str(params.get("text", ""))) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query["answered"] = True
        return True

    async def _answer_inline_query(self, params: JSONDict) -> bool:
        query_id = str(params.get("inline_query_id"))
        if self._state.inline_queries.get(query_id, True):
            raise ApiError(400, _QUERY_EXPIRED)
        results = params.get("results")
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results")
        if len(results) > MAX_INLINE_RESULTS:
            raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
        if len(str(params.get("next_offset", "")).encode()) > 64:
            raise ApiError(400, "Bad Request: NEXT_OFFSET_INVALID")
        ids = [str(result.get("id", "")) for result in results]
        if len(set(ids)) != len(ids):
            raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        for result, result_id in zip(results, ids, strict=True):
            if not 1 <= len(result_id.encode()) <= 64:
                raise ApiError(400, "Bad Request: RESULT_ID_INVALID")
            content = result.get("input_message_content")
            if isinstance(content, dict) and "message_text" in content:
                check_message_text(
                    content["message_text"],
                    content.get("parse_mode"),
                    content.get("entities"),
                    strict_entities=self.strict_entities,
                )
            check_reply_markup(result.get("reply_markup"))
        self._state.inline_queries[query_id] = True
        return True

    async def _send_chat_action(self, params: JSONDict) -> bool:
        self._require_chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _get_chat(self, params: JSONDict) -> JSONDict:
        chat = self._chat(self._require_chat(params))
        gifts = "unlimited_gifts limited_gifts unique_gifts premium_subscription gifts_from_channels"
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(gifts.split(), False),
        }

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
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    def _control(self, action: str, query: dict[str, str], kwargs: JSONDict) -> Any:
        chat_id = _as_chat_id(query["chat_id"]) if "chat_id" in query else None
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
        }
        if action not in actions:
            return _UNKNOWN
        return actions[action](**kwargs)

    # ------------------------------------------------------------------ helpers

    def _canonical(self, method: str) -> str:
        return self._handlers.get(method.lower(), (method, None))[0]

    def _notify(self) -> None:
        """Wake everything waiting in ``_wait_until``."""
        self._change.set()
        self._change = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], seconds: float) -> bool:
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            change = self._change
            if predicate():
                return True
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or self._closing.is_set():
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(change.wait(), remaining)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), seconds)

    def _new_message_id(self, chat_id: ChatId) -> int:
        message_id = self._next_message_ids.get(chat_id, 1)
        self._next_message_ids[chat_id] = message_id + 1
        return message_id

    def _new_query_id(self) -> str:
        query_id = str(4_000_000_000_000_000 + self._next_query_id)
        self._next_query_id += 1
        return query_id

    def _register_chat(self, chat_id: int, chat_type: str, user_id: int) -> JSONDict:
        if chat_type == "private" and chat_id != user_id:
            raise ValueError(f"a private chat's id is its user's id ({user_id}), not {chat_id}")
        chat = make_chat(chat_id, chat_type, first_name=make_user(user_id)["first_name"])
        self._state.chats[chat_id] = chat
        return chat

    def _chat(self, chat_id: ChatId) -> JSONDict:
        if chat_id in self._state.chats:
            return self._state.chats[chat_id]
        return default_chat(int(chat_id))

    def _chat_of(self, method: str, params: JSONDict) -> ChatId | None:
        if "chat_id" in params:
            return _as_chat_id(params["chat_id"])
        if method == "answerCallbackQuery":
            query = self._state.callback_queries.get(str(params.get("callback_query_id")))
            return query["chat_id"] if query else None
        return None

    def _require_chat(self, params: JSONDict) -> int:
        chat_id = _as_chat_id(params.get("chat_id", ""))
        if not isinstance(chat_id, int) or chat_id == 0:
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    def _latest_bot_message(self, chat_id: ChatId) -> JSONDict | None:
        mine = [
            message
            for (chat, _), message in self._state.messages.items()
            if chat == chat_id and message.get("from", {}).get("id") == self.bot_user["id"]
        ]
        return max(mine, key=lambda m: m["message_id"]) if mine else None

    def _reply_target(self, chat_id: int, reply: object) -> JSONDict | None:
        if not isinstance(reply, dict) or "message_id" not in reply:
            return None
        target_chat = _as_chat_id(reply.get("chat_id", chat_id))
        target = self._state.messages.get((target_chat, _as_int(reply["message_id"])))
        if target is None and not reply.get("allow_sending_without_reply"):
            raise ApiError(400, "Bad Request: message to be replied not found")
        return target


_UNKNOWN = object()


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)


def _as_int(value: object) -> int:
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else 0


def _as_chat_id(value: object) -> ChatId:
    if isinstance(value, int):
        return value
    text = str(value)
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def _inline_markup(markup: object) -> JSONDict | None:
    if isinstance(markup, dict) and "inline_keyboard" in markup:
        return {"inline_keyboard": markup["inline_keyboard"]}
    return None


def _commands_key(scope: object, language_code: str) -> tuple[str, str]:
    scope = scope if isinstance(scope, dict) and scope else {"type": "default"}
    return json.dumps(scope, sort_keys=True), language_code


def _decode_param(name: str, value: str) -> Any:
    """PTB sends strings raw and everything else JSON-encoded in form fields."""
    if name in _STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


async def _read_params(request: web.Request) -> JSONDict:
    """The call's parameters from the query string and a JSON, form or multipart body."""
    params: JSONDict = {name: _decode_param(name, value) for name, value in request.query.items()}
    if not request.can_read_body:
        return params
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            raise ValueError("the JSON body must be an object")
        params.update(body)
        return params
    form = await request.post()
    for name, value in form.items():
        if isinstance(value, web.FileField):
            # Uploads are recorded by name and size, not kept.
            with value.file as upload:
                params[name] = {"file_name": value.filename, "size": len(upload.read())}
        elif isinstance(value, str):
            params[name] = _decode_param(name, value)
    return params


def _max_in_window(times: list[float], window_s: float) -> int:
    best = start = 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window_s:
            start += 1
        best = max(best, end - start + 1)
    return best


def _describe_timeout(
    method: str, count: int, chat_id: ChatId | None, timeout: float, calls: Iterable[Call]
) -> str:
    where = f" to chat {chat_id}" if chat_id is not None else ""
    seen = [f"{c.method}({c.chat_id}) {c.status}" for c in calls if c.method != "getUpdates"]
    return f"waited {timeout}s for {count} {method} call(s){where}; recorded: {seen}"


# ---------------------------------------------------------------------- separate process


class BotApiClient:
    """Drives an emulator in another process through its ``/_control`` API (blocking calls).

    The methods mirror ``BotApiEmulator``'s; results come back as JSON (``Call`` objects for
    ``calls``). Blocking is harmless here: the emulator runs in another process.
    """

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout

    @property
    def base_url(self) -> str:
        """What the bot's ``base_url`` should be."""
        return f"{self.url}/bot"

    def _request(self, action: str, body: JSONDict | None = None, **query: Any) -> Any:
        params = {k: v for k, v in query.items() if v is not None}
        url = f"{self.url}/_control/{action}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            with exc:
                answer = json.loads(exc.read())
            raise ValueError(answer.get("description", str(exc))) from None
        return answer["result"]

    def push_update(self, update: Mapping[str, Any]) -> int:
        """See ``BotApiEmulator.push_update``."""
        return int(self._request("push_update", {"update": dict(update)}))

    def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to_bot: bool = False,
        entities: list[JSONDict] | None = None,
    ) -> int:
        """See ``BotApiEmulator.send_text``."""
        body = {
            "user_id": user_id,
            "text": text,
            "chat_id": chat_id,
            "chat_type": chat_type,
            "reply_to_bot": reply_to_bot,
            "entities": entities,
        }
        return int(self._request("send_text", body))

    def send_command(
        self,
        user_id: int,
        command: str,
        args: str = "",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """See ``BotApiEmulator.send_command``."""
        body = {
            "user_id": user_id,
            "command": command,
            "args": args,
            "chat_id": chat_id,
            "chat_type": chat_type,
        }
        return int(self._request("send_command", body))

    def press_button(self, message: Call | Mapping[str, Any], data: str, user_id: int | None = None) -> int:
        """See ``BotApiEmulator.press_button``."""
        found = message.result if isinstance(message, Call) else dict(message)
        body = {"message": found, "data": data, "user_id": user_id}
        return int(self._request("press_button", body))

    def inline_query(self, user_id: int, query: str, offset: str = "") -> int:
        """See ``BotApiEmulator.inline_query``."""
        body = {"user_id": user_id, "query": query, "offset": offset}
        return int(self._request("inline_query", body))

    def my_chat_member(
        self,
        user_id: int,
        new_status: str = "kicked",
        old_status: str = "member",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """See ``BotApiEmulator.my_chat_member``."""
        body = {
            "user_id": user_id,
            "new_status": new_status,
            "old_status": old_status,
            "chat_id": chat_id,
            "chat_type": chat_type,
        }
        return int(self._request("my_chat_member", body))

    def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        count: int = 1,
        *,
        description: str | None = None,
        chat_id: ChatId | None = None,
    ) -> None:
        """See ``BotApiEmulator.fail_next``."""
        body = {
            "method": method,
            "status": status,
            "retry_after": retry_after,
            "count": count,
            "description": description,
            "chat_id": chat_id,
        }
        self._request("fail_next", body)

    def block_chat(self, chat_id: ChatId) -> None:
        """See ``BotApiEmulator.block_chat``."""
        self._request("block_chat", {"chat_id": chat_id})

    def unblock_chat(self, chat_id: ChatId) -> None:
        """See ``BotApiEmulator.unblock_chat``."""
        self._request("unblock_chat", {"chat_id": chat_id})

    def slow(self, method: str, seconds: float) -> None:
        """See ``BotApiEmulator.slow``."""
        self._request("slow", {"method": method, "seconds": seconds})

    def reset(self) -> None:
        """See ``BotApiEmulator.reset``."""
        self._request("reset", {})

    def pending_updates(self) -> list[JSONDict]:
        """See ``BotApiEmulator.pending_updates``."""
        return list(self._request("pending_updates"))

    def calls(self, method: str | None = None, chat_id: ChatId | None = None) -> list[Call]:
        """See ``BotApiEmulator.calls``."""
        found = self._request("calls", method=method, chat_id=chat_id)
        return [Call.from_json(call) for call in found]

    def wait_for_calls(
        self,
        method: str,
        count: int = 1,
        chat_id: ChatId | None = None,
        timeout: float = 10.0,
        *,
        ok: bool | None = None,
    ) -> list[Call]:
        """See ``BotApiEmulator.wait_for_calls``; polls every 50 ms."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls(method, chat_id) if ok is None or c.ok == ok]
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise TimeoutError(_describe_timeout(method, count, chat_id, timeout, self.calls()))
            time.sleep(0.05)

    def replies_to(self, chat_id: ChatId) -> list[JSONDict]:
        """See ``BotApiEmulator.replies_to``."""
        return [call.result for call in self.calls("sendMessage", chat_id) if call.ok]

    def sent_texts(self, chat_id: ChatId) -> list[str]:
        """See ``BotApiEmulator.sent_texts``."""
        return [str(message["text"]) for message in self.replies_to(chat_id)]

    def send_times(self, chat_id: ChatId | None = None) -> list[float]:
        """See ``BotApiEmulator.send_times``."""
        return [float(t) for t in self._request("send_times", chat_id=chat_id)]

    def max_rate(self, window_s: float, chat_id: ChatId | None = None) -> float:
        """See ``BotApiEmulator.max_rate``."""
        if window_s <= 0:
            raise ValueError(f"window_s must be positive, not {window_s}")
        return _max_in_window(self.send_times(chat_id), window_s) / window_s


class AsyncBotApiClient:
    """``BotApiClient`` for async tests: the same methods, awaited, run in a worker thread."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.sync = BotApiClient(url, timeout=timeout)
        self.url = self.sync.url
        self.base_url = self.sync.base_url

    async def push_update(self, update: Mapping[str, Any]) -> int:
        """See ``BotApiEmulator.push_update``."""
        return await asyncio.to_thread(self.sync.push_update, update)

    async def send_text(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        chat_type: str = "private",
        reply_to_bot: bool = False,
        entities: list[JSONDict] | None = None,
    ) -> int:
        """See ``BotApiEmulator.send_text``."""
        return await asyncio.to_thread(
            self.sync.send_text, user_id, text, chat_id, chat_type, reply_to_bot, entities
        )

    async def send_command(
        self,
        user_id: int,
        command: str,
        args: str = "",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """See ``BotApiEmulator.send_command``."""
        return await asyncio.to_thread(self.sync.send_command, user_id, command, args, chat_id, chat_type)

    async def press_button(
        self, message: Call | Mapping[str, Any], data: str, user_id: int | None = None
    ) -> int:
        """See ``BotApiEmulator.press_button``."""
        return await asyncio.to_thread(self.sync.press_button, message, data, user_id)

    async def inline_query(self, user_id: int, query: str, offset: str = "") -> int:
        """See ``BotApiEmulator.inline_query``."""
        return await asyncio.to_thread(self.sync.inline_query, user_id, query, offset)

    async def my_chat_member(
        self,
        user_id: int,
        new_status: str = "kicked",
        old_status: str = "member",
        chat_id: int | None = None,
        chat_type: str = "private",
    ) -> int:
        """See ``BotApiEmulator.my_chat_member``."""
        return await asyncio.to_thread(
            self.sync.my_chat_member, user_id, new_status, old_status, chat_id, chat_type
        )

    async def fail_next(
        self,
        method: str,
        status: int = 429,
        retry_after: int = 1,
        count: int = 1,
        *,
        description: str | None = None,
        chat_id: ChatId | None = None,
    ) -> None:
        """See ``BotApiEmulator.fail_next``."""
        await asyncio.to_thread(
            lambda: self.sync.fail_next(
                method, status, retry_after, count, description=description, chat_id=chat_id
            )
        )

    async def block_chat(self, chat_id: ChatId) -> None:
        """See ``BotApiEmulator.block_chat``."""
        await asyncio.to_thread(self.sync.block_chat, chat_id)

    async def unblock_chat(self, chat_id: ChatId) -> None:
        """See ``BotApiEmulator.unblock_chat``."""
        await asyncio.to_thread(self.sync.unblock_chat, chat_id)

    async def slow(self, method: str, seconds: float) -> None:
        """See ``BotApiEmulator.slow``."""
        await asyncio.to_thread(self.sync.slow, method, seconds)

    async def reset(self) -> None:
        """See ``BotApiEmulator.reset``."""
        await asyncio.to_thread(self.sync.reset)

    async def pending_updates(self) -> list[JSONDict]:
        """See ``BotApiEmulator.pending_updates``."""
        return await asyncio.to_thread(self.sync.pending_updates)

    async def calls(self, method: str | None = None, chat_id: ChatId | None = None) -> list[Call]:
        """See ``BotApiEmulator.calls``."""
        return await asyncio.to_thread(self.sync.calls, method, chat_id)

    async def wait_for_calls(
        self,
        method: str,
        count: int = 1,
        chat_id: ChatId | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - the test's deadline, like asyncio.wait_for's
        *,
        ok: bool | None = None,
    ) -> list[Call]:
        """See ``BotApiEmulator.wait_for_calls``; polls every 50 ms."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in await self.calls(method, chat_id) if ok is None or c.ok == ok]
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                everything = await self.calls()
                raise TimeoutError(_describe_timeout(method, count, chat_id, timeout, everything))
            await asyncio.sleep(0.05)

    async def replies_to(self, chat_id: ChatId) -> list[JSONDict]:
        """See ``BotApiEmulator.replies_to``."""
        return await asyncio.to_thread(self.sync.replies_to, chat_id)

    async def sent_texts(self, chat_id: ChatId) -> list[str]:
        """See ``BotApiEmulator.sent_texts``."""
        return await asyncio.to_thread(self.sync.sent_texts, chat_id)

    async def send_times(self, chat_id: ChatId | None = None) -> list[float]:
        """See ``BotApiEmulator.send_times``."""
        return await asyncio.to_thread(self.sync.send_times, chat_id)

    async def max_rate(self, window_s: float, chat_id: ChatId | None = None) -> float:
        """See ``BotApiEmulator.max_rate``."""
        return await asyncio.to_thread(self.sync.max_rate, window_s, chat_id)


_REPO_ROOT = Path(__file__).resolve().parents[2]


class BotApiProcess:
    """Runs ``python -m tests.auxil.botapi`` as a child process, for tests that kill the bot.

    Use as ``with BotApiProcess() as api:`` (or ``async with``); ``api.client`` and
    ``api.aclient`` drive it, ``api.base_url`` is for the bot.
    """

    def __init__(
        self,
        token: str = TEST_TOKEN,
        *,
        username: str = DEFAULT_USERNAME,
        python: str = sys.executable,
        startup_timeout: float = 15.0,
    ) -> None:
        self.token = token
        self.username = username
        self.python = python
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen[str] | None = None
        self._url: str | None = None

    def start(self) -> BotApiClient:
        """Start the emulator process and wait until it listens."""
        command = [self.python, "-m", "tests.auxil.botapi", "--port", "0", "--token", self.token]
        command += ["--username", self.username]
        self._process = subprocess.Popen(
            command, cwd=_REPO_ROOT, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        assert self._process.stdout is not None  # for mypy: stdout=PIPE above
        with selectors.DefaultSelector() as selector:
            selector.register(self._process.stdout, selectors.EVENT_READ)
            ready = selector.select(self.startup_timeout)
        line = self._process.stdout.readline().strip() if ready else ""
        if not line.isdigit():
            self.stop()
            raise RuntimeError(f"the emulator process did not start (it printed {line!r})")
        self._url = f"http://127.0.0.1:{int(line)}"
        return self.client

    def stop(self) -> None:
        """Terminate the process (SIGTERM, then SIGKILL after 5 s) and reap it."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()

    @property
    def pid(self) -> int:
        """The emulator's process id."""
        if self._process is None:
            raise RuntimeError("the emulator process is not running")
        return self._process.pid

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        if self._url is None:
            raise RuntimeError("the emulator process is not started")
        return self._url

    @property
    def base_url(self) -> str:
        """What the bot's ``base_url`` should be (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def client(self) -> BotApiClient:
        """A blocking control client."""
        return BotApiClient(self.url)

    @property
    def aclient(self) -> AsyncBotApiClient:
        """An async control client."""
        return AsyncBotApiClient(self.url)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)


async def _serve(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    emulator = BotApiEmulator(args.token, host=args.host, port=args.port, username=args.username)
    async with emulator:
        print(emulator.port, flush=True)
        await stop.wait()


def main(argv: list[str] | None = None) -> None:
    """Run the emulator until SIGTERM/SIGINT, printing its port on the first line of stdout."""
    parser = argparse.ArgumentParser(
        prog="python -m tests.auxil.botapi", description="A local Telegram Bot API emulator."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument("--token", default=TEST_TOKEN, help="the bot token it accepts")
    parser.add_argument("--username", default=DEFAULT_USERNAME, help="the bot's username")
    asyncio.run(_serve(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
