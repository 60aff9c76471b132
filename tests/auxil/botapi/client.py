"""Clients of an emulator in another process, through its ``/_control/<action>`` API.

One request layer serves both: each ``BotApiClient`` method is a ``_Remote`` made from the
emulator's method of the same name, so it takes exactly that method's arguments and sends them as
the action's JSON body (as its query string, for the reads ``calls``, ``send_times`` and
``pending_updates``). ``AsyncBotApiClient`` runs the same methods in a worker thread. Only the
waiting differs between the two: the blocking client sleeps between looks, the async one awaits.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

from tests.auxil.botapi.faults import FaultInjection
from tests.auxil.botapi.inspection import Inspection
from tests.auxil.botapi.records import Call, CallQueries, ChatId, JSONDict, describe_timeout, matching
from tests.auxil.botapi.state import EmulatorCore
from tests.auxil.botapi.updates import UpdateQueue
from tests.auxil.botapi.users import UserActions

P = ParamSpec("P")
R = TypeVar("R")

# Between two looks at the recorded calls while waiting for more.
POLL_INTERVAL = 0.05


class _Remote(Generic[P, R]):
    """A client method that runs the emulator's method of the same name in the emulator's process.

    Args:
        method: the emulator method whose signature (and docstring) the client method takes.
        decode: turns the JSON ``result`` into what the emulator method returns.
        read: send the arguments as a query string (GET) rather than a JSON body (POST).
    """

    def __init__(
        self, method: Callable[Concatenate[Any, P], Any], decode: Callable[[Any], R], *, read: bool = False
    ) -> None:
        if isinstance(method, property):
            # A property on the emulator (``pending_updates``) is a method without arguments here.
            method = method.fget
        self._signature = inspect.signature(method)
        self._doc = method.__doc__
        self._decode = decode
        self._read = read
        self._action = method.__name__

    def __set_name__(self, owner: type, name: str) -> None:
        self._action = name

    @overload
    def __get__(
        self, client: None, owner: type | None = None
    ) -> Callable[Concatenate[BotApiClient, P], R]: ...

    @overload
    def __get__(self, client: BotApiClient, owner: type | None = None) -> Callable[P, R]: ...

    def __get__(
        self, client: BotApiClient | None, owner: type | None = None
    ) -> Callable[Concatenate[BotApiClient, P], R] | Callable[P, R]:
        if client is None:
            return self._call

        def call(*args: P.args, **kwargs: P.kwargs) -> R:
            return self._call(client, *args, **kwargs)

        call.__name__ = self._action
        call.__doc__ = self._doc
        return call

    def _call(self, client: BotApiClient, /, *args: P.args, **kwargs: P.kwargs) -> R:
        bound = self._signature.bind(None, *args, **kwargs)
        bound.apply_defaults()
        arguments = dict(list(bound.arguments.items())[1:])  # all but the emulator's ``self``
        if self._read:
            return self._decode(client.request(self._action, **arguments))
        return self._decode(client.request(self._action, arguments))


def _calls_from_json(found: Any) -> list[Call]:
    return [Call.from_json(call) for call in found]


def _floats(found: Any) -> list[float]:
    return [float(t) for t in found]


def _nothing(found: Any) -> None:
    return None


def _jsonable(value: object) -> Any:
    """A recorded ``Call`` travels as the message it returned; any other mapping as a dict."""
    if isinstance(value, Call):
        return value.result
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


class BotApiClient(CallQueries):
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

    def request(self, action: str, body: JSONDict | None = None, **query: Any) -> Any:
        """Run a control ``action`` and return its result; a refusal raises ``ValueError``."""
        params = {k: v for k, v in query.items() if v is not None}
        url = f"{self.url}/_control/{action}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        data = json.dumps(body, default=_jsonable).encode() if body is not None else None
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

    push_update = _Remote(UpdateQueue.push_update, int)
    send_text = _Remote(UserActions.send_text, int)
    send_command = _Remote(UserActions.send_command, int)
    press_button = _Remote(UserActions.press_button, int)
    inline_query = _Remote(UserActions.inline_query, int)
    my_chat_member = _Remote(UserActions.my_chat_member, int)
    fail_next = _Remote(FaultInjection.fail_next, _nothing)
    block_chat = _Remote(FaultInjection.block_chat, _nothing)
    unblock_chat = _Remote(FaultInjection.unblock_chat, _nothing)
    slow = _Remote(FaultInjection.slow, _nothing)
    reset = _Remote(EmulatorCore.reset, _nothing)
    pending_updates = _Remote(UpdateQueue.pending_updates, list, read=True)
    calls = _Remote(Inspection.calls, _calls_from_json, read=True)
    send_times = _Remote(Inspection.send_times, _floats, read=True)

    def wait_for_calls(
        self,
        method: str,
        count: int = 1,
        chat_id: ChatId | None = None,
        timeout: float = 10.0,
        *,
        ok: bool | None = None,
    ) -> list[Call]:
        """See ``BotApiEmulator.wait_for_calls``; looks every 50 ms."""
        deadline = time.monotonic() + timeout
        while len(found := matching(self.calls(method, chat_id), ok)) < count:
            if time.monotonic() >= deadline:
                raise TimeoutError(describe_timeout(method, count, chat_id, timeout, self.calls()))
            time.sleep(POLL_INTERVAL)
        return found


class _InThread(Generic[P, R]):
    """An ``AsyncBotApiClient`` method: the ``BotApiClient`` method, awaited in a worker thread."""

    def __init__(self, method: Callable[Concatenate[BotApiClient, P], R]) -> None:
        self._method = method

    @overload
    def __get__(self, client: None, owner: type | None = None) -> Self: ...

    @overload
    def __get__(self, client: AsyncBotApiClient, owner: type | None = None) -> Callable[P, Awaitable[R]]: ...

    def __get__(
        self, client: AsyncBotApiClient | None, owner: type | None = None
    ) -> Self | Callable[P, Awaitable[R]]:
        if client is None:
            return self
        method = self._method

        async def call(*args: P.args, **kwargs: P.kwargs) -> R:
            return await asyncio.to_thread(method, client.sync, *args, **kwargs)

        call.__doc__ = method.__doc__
        return call


class AsyncBotApiClient:
    """``BotApiClient`` for async tests: the same methods, awaited, run in a worker thread."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.sync = BotApiClient(url, timeout=timeout)
        self.url = self.sync.url
        self.base_url = self.sync.base_url

    push_update = _InThread(BotApiClient.push_update)
    send_text = _InThread(BotApiClient.send_text)
    send_command = _InThread(BotApiClient.send_command)
    press_button = _InThread(BotApiClient.press_button)
    inline_query = _InThread(BotApiClient.inline_query)
    my_chat_member = _InThread(BotApiClient.my_chat_member)
    fail_next = _InThread(BotApiClient.fail_next)
    block_chat = _InThread(BotApiClient.block_chat)
    unblock_chat = _InThread(BotApiClient.unblock_chat)
    slow = _InThread(BotApiClient.slow)
    reset = _InThread(BotApiClient.reset)
    pending_updates = _InThread(BotApiClient.pending_updates)
    calls = _InThread(BotApiClient.calls)
    replies_to = _InThread(BotApiClient.replies_to)
    sent_texts = _InThread(BotApiClient.sent_texts)
    send_times = _InThread(BotApiClient.send_times)
    max_rate = _InThread(BotApiClient.max_rate)

    async def wait_for_calls(
        self,
        method: str,
        count: int = 1,
        chat_id: ChatId | None = None,
        timeout: float = 10.0,  # noqa: ASYNC109 - the test's deadline, like asyncio.wait_for's
        *,
        ok: bool | None = None,
    ) -> list[Call]:
        """See ``BotApiEmulator.wait_for_calls``; looks every 50 ms."""
        deadline = time.monotonic() + timeout
        while len(found := matching(await self.calls(method, chat_id), ok)) < count:
            if time.monotonic() >= deadline:
                raise TimeoutError(describe_timeout(method, count, chat_id, timeout, await self.calls()))
            await asyncio.sleep(POLL_INTERVAL)
        return found
