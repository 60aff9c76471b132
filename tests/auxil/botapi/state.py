"""The emulator's memory and its clock of changes, shared by the parts in the sibling modules.

``EmulatorCore`` is the base of every part of ``BotApiEmulator``: it holds the ``State`` that
``reset()`` forgets, the id counters that never rewind, and the change signal that long polls and
``wait_for_*`` sleep on. The parts (``chats``, ``updates``, ``users``, ``faults``, ``inspection``,
``methods``, ``messages``) read ``self._state`` afresh on every use, since ``reset()`` replaces it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.auxil.botapi.records import Call, ChatId, JSONDict

if TYPE_CHECKING:
    import aiohttp

    from tests.auxil.botapi.faults import Fault
    from tests.auxil.botapi.webhooks import Delivery

Handler = Callable[[JSONDict], Awaitable[Any]]


@dataclass
class State:
    """Everything ``reset()`` forgets; the id counters live on the emulator and never rewind."""

    calls: list[Call] = field(default_factory=list)
    updates: list[JSONDict] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    blocked: set[ChatId] = field(default_factory=set)
    slow: dict[str, float] = field(default_factory=dict)
    chats: dict[ChatId, JSONDict] = field(default_factory=dict)
    messages: dict[tuple[ChatId, int], JSONDict] = field(default_factory=dict)
    callback_queries: dict[str, JSONDict] = field(default_factory=dict)
    inline_queries: dict[str, bool] = field(default_factory=dict)
    commands: dict[tuple[str, str], list[JSONDict]] = field(default_factory=dict)
    webhook: JSONDict = field(default_factory=dict)
    allowed_updates: list[str] = field(default_factory=list)


def commands_key(scope: object, language_code: str) -> tuple[str, str]:
    """Where setMyCommands keeps a menu: by scope (the default when none) and language."""
    scope = scope if isinstance(scope, dict) and scope else {"type": "default"}
    return json.dumps(scope, sort_keys=True), language_code


class EmulatorCore:
    """State, id counters and change notification; see the module docstring.

    Args:
        bot_user: the bot's User object, as getMe and its messages show it.
    """

    def __init__(self, bot_user: JSONDict) -> None:
        self.bot_user = bot_user
        self._state = State()
        # As on Telegram, update ids start at some large number, not at 1: so a store that outlives
        # an emulator (its answered updates, bot.tg.once) never meets an old id from a new run.
        self._next_update_id = int(time.time() * 1000) % 2**31 + 1
        self._next_query_id = 1
        self._next_message_ids: dict[ChatId, int] = {}
        self._poll_generation = 0
        self._change = asyncio.Event()
        self._closing = asyncio.Event()
        self._handlers: dict[str, tuple[str, Handler]] = {}
        # Webhook delivery (``webhooks``): where to, what was posted, the loop, and when to try again.
        self._webhook_origin: str | None = None
        self._deliveries: list[Delivery] = []
        self._deliverer: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._retry_at: dict[int, float] = {}
        self._taken: set[int] = set()

    def _webhook_changed(self) -> None:
        """The webhook was set or deleted (``webhooks`` starts delivering)."""

    def reset(self) -> None:
        """Forget calls, updates, faults, blocks, chats and messages; ids keep counting up."""
        self._state = State()
        self._notify()

    def _canonical(self, method: str) -> str:
        """The Bot API's spelling of a method name in any case (``sendmessage`` → ``sendMessage``)."""
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
