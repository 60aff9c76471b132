"""What the emulator and its clients both speak: the recorded ``Call``, ``ApiError``, the defaults.

``CallQueries`` derives the questions tests ask of recorded calls (the replies a chat got, their
texts, the busiest send rate) from ``calls`` and ``send_times``, so the in-process emulator and the
control client answer them the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

JSONDict = dict[str, Any]
ChatId = int | str

TEST_TOKEN = "5000000001:AAFkhabriEmulatorTestToken-12345678"
DEFAULT_USERNAME = "khabri_test_bot"
DEFAULT_FIRST_NAME = "Khabri Test"


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


class CallQueries:
    """Questions about the recorded calls, answered from ``calls`` and ``send_times``."""

    def calls(self, method: str | None = None, chat_id: ChatId | None = None) -> list[Call]:
        """Recorded calls in the order they were answered, optionally filtered."""
        raise NotImplementedError

    def send_times(self, chat_id: ChatId | None = None) -> list[float]:
        """Sorted arrival times of successful sends (sendMessage), for one chat or all."""
        raise NotImplementedError

    def replies_to(self, chat_id: ChatId) -> list[JSONDict]:
        """The Message objects the bot sent to ``chat_id``, as they were returned."""
        return [call.result for call in self.calls("sendMessage", chat_id) if call.ok]

    def sent_texts(self, chat_id: ChatId) -> list[str]:
        """The texts the user in ``chat_id`` saw: HTML parsed away, whitespace trimmed."""
        return [str(message["text"]) for message in self.replies_to(chat_id)]

    def max_rate(self, window_s: float, chat_id: ChatId | None = None) -> float:
        """The highest send rate in messages/second over any ``window_s``-second window.

        That is the most sends arriving within ``[t, t + window_s)`` for any ``t``, divided by
        ``window_s``: Telegram's limits are about 1/s per chat and 30/s overall.
        """
        if window_s <= 0:
            raise ValueError(f"window_s must be positive, not {window_s}")
        return _max_in_window(self.send_times(chat_id), window_s) / window_s


def matching(calls: Iterable[Call], ok: bool | None) -> list[Call]:
    """The calls that succeeded (``ok=True``), failed (``ok=False``), or all of them (``None``)."""
    return [call for call in calls if ok is None or call.ok == ok]


def describe_timeout(
    method: str, count: int, chat_id: ChatId | None, timeout: float, calls: Iterable[Call]
) -> str:
    """The message of the ``TimeoutError`` a ``wait_for_calls`` raises."""
    where = f" to chat {chat_id}" if chat_id is not None else ""
    seen = [f"{c.method}({c.chat_id}) {c.status}" for c in calls if c.method != "getUpdates"]
    return f"waited {timeout}s for {count} {method} call(s){where}; recorded: {seen}"


def _max_in_window(times: list[float], window_s: float) -> int:
    best = start = 0
    for end, moment in enumerate(times):
        while moment - times[start] >= window_s:
            start += 1
        best = max(best, end - start + 1)
    return best
