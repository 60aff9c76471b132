"""Fault injection: errors on the next calls, chats that blocked the bot, slow answers."""

from __future__ import annotations

from dataclasses import dataclass

from tests.auxil.botapi.records import ApiError, ChatId
from tests.auxil.botapi.rules import POLL_CONFLICT
from tests.auxil.botapi.state import EmulatorCore

# Methods that write to a chat: these fail with 403 once the user blocked the bot.
CHAT_WRITES = frozenset({"sendMessage", "sendChatAction", "editMessageText", "editMessageReplyMarkup"})
# The description Telegram gives with each status, for faults injected without one.
_ERROR_TEXTS = {
    400: "Bad Request: injected failure",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    409: POLL_CONFLICT,
    500: "Internal Server Error",
    502: "Bad Gateway",
}


@dataclass
class Fault:
    """An error for the next ``remaining`` calls of ``method``, to chat ``chat_id`` or to any."""

    method: str
    status: int
    retry_after: int
    remaining: int
    description: str | None
    chat_id: ChatId | None

    def error(self) -> ApiError:
        """The error answer; a 429 carries ``parameters.retry_after``."""
        if self.status == 429:
            return ApiError(
                429,
                self.description or f"Too Many Requests: retry after {self.retry_after}",
                {"retry_after": self.retry_after},
            )
        default = _ERROR_TEXTS.get(self.status, f"Error {self.status}")
        return ApiError(self.status, self.description or default)


class FaultInjection(EmulatorCore):
    """The tests' switches for failures, and the check each call passes through."""

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
        self._state.faults.append(Fault(name, status, retry_after, count, description, chat_id))

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

    async def _inject_faults(self, method: str, chat_id: ChatId | None) -> None:
        """Delay a slow method, then raise an injected fault or the 403 of a blocked chat."""
        if method in self._state.slow:
            await self._sleep(self._state.slow[method])
        for fault in self._state.faults:
            if fault.method == method and fault.chat_id in (None, chat_id):
                fault.remaining -= 1
                if fault.remaining == 0:
                    self._state.faults.remove(fault)
                raise fault.error()
        if method in CHAT_WRITES and chat_id in self._state.blocked:
            raise ApiError(403, self._blocked_description(chat_id))

    def _blocked_description(self, chat_id: ChatId | None) -> str:
        chat_type = self._state.chats.get(chat_id, {}).get("type") if chat_id else None
        if chat_type == "group":
            return "Forbidden: bot was kicked from the group chat"
        if chat_type in ("supergroup", "channel"):
            return f"Forbidden: bot was kicked from the {chat_type} chat"
        return "Forbidden: bot was blocked by the user"
