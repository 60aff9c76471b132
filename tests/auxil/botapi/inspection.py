"""What the tests read back: the calls recorded, waits for them, command menus and the webhook."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tests.auxil.botapi.records import Call, CallQueries, ChatId, JSONDict, describe_timeout, matching
from tests.auxil.botapi.state import EmulatorCore, commands_key

# Methods that count towards Telegram's flood limits in the rate statistics.
_COUNTED_SENDS = frozenset({"sendMessage"})


class Inspection(CallQueries, EmulatorCore):
    """Every call is recorded as a ``Call``; ``replies_to``, ``sent_texts`` and ``max_rate`` build on them."""

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
        if await self._wait_until(lambda: len(matching(self.calls(method, chat_id), ok)) >= count, timeout):
            return matching(self.calls(method, chat_id), ok)
        raise TimeoutError(describe_timeout(method, count, chat_id, timeout, self._state.calls))

    async def wait_until(self, predicate: Callable[[], bool], timeout: float = 10.0) -> bool:  # noqa: ASYNC109
        """Wait until ``predicate()`` holds, looking again at every call and update; False on timeout."""
        return await self._wait_until(predicate, timeout)

    async def wait_for_replies(
        self,
        chat_id: ChatId,
        count: int = 1,
        timeout: float = 10.0,  # noqa: ASYNC109 - the test's deadline, like asyncio.wait_for's
    ) -> list[JSONDict]:
        """Wait for ``count`` messages the bot sent to ``chat_id``; return them all."""
        await self.wait_for_calls("sendMessage", count, chat_id, timeout, ok=True)
        return self.replies_to(chat_id)

    def send_times(self, chat_id: ChatId | None = None) -> list[float]:
        """Sorted arrival times of successful sends (sendMessage), for one chat or all."""
        return sorted(
            call.timestamp
            for call in self.calls(chat_id=chat_id)
            if call.ok and call.method in _COUNTED_SENDS
        )

    def commands(self, scope: Mapping[str, Any] | None = None, language_code: str = "") -> list[JSONDict]:
        """The commands set with setMyCommands for ``scope`` (default scope) and language."""
        return list(self._state.commands.get(commands_key(scope, language_code), []))

    @property
    def webhook(self) -> JSONDict:
        """The parameters of the last setWebhook; empty when none is set."""
        return dict(self._state.webhook)

    def _record(self, call: Call) -> None:
        self._state.calls.append(call)
        self._notify()
