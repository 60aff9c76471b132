"""How many messages the bot may send one chat: a budget every reply counts against.

Questions already have a per-user limit, but every reply costs Telegram's limits and the chat's
patience alike: 200 invalid messages must not earn 200 answers, nor a forged button a 600-message
report. So each chat has a token bucket (``capacity`` messages, refilled at ``per_minute``); every
message the bot sends or edits in the chat takes one. When the bucket is empty the reply is dropped
(``ReplyBudgetExceeded``, which the error handler logs quietly) and the chat is told, once a minute
at most, to slow down. Notifications go out through the sender's own bot and budget, not this one.

``RetryingRateLimiter`` is where the budget is applied: PTB hands it every Bot API request.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import AIORateLimiter

from bot.notify.send_request import CLAIM
from bot.tg.once import REPLY_CLAIM, AlreadyAnswered, ReplyClaim

logger = logging.getLogger(__name__)

# Endpoints that put a message in a chat; each costs one from the chat's budget.
_COUNTED_PREFIXES = ("send", "edit", "copy", "forward")
# Endpoints that put nothing new in the chat: dropped when the budget is spent, but they cost nothing.
_FREE = frozenset({"sendChatAction"})

SLOW_DOWN = "⏳ बहुत सारे संदेश — एक मिनट रुककर फिर लिखिए। / Too many messages: please wait a minute."


class ReplyBudgetExceeded(TelegramError):
    """A reply was dropped: the chat has had its share of messages for now."""


@dataclass
class _Bucket:
    tokens: float
    updated: float
    warned_at: float | None = None


class ReplyBudget:
    """Token buckets of messages, one per chat.

    Args:
        per_minute: how fast a chat's budget refills, in messages a minute.
        capacity: how many messages a chat may get in a burst.
        clock: seconds, monotonic (tests may pass their own).
    """

    def __init__(
        self, *, per_minute: float = 20.0, capacity: int = 20, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if per_minute <= 0 or capacity < 1:
            raise ValueError("per_minute and capacity must be positive")
        self.per_minute = per_minute
        self.capacity = capacity
        self._clock = clock
        self._buckets: dict[int | str, _Bucket] = {}

    def _bucket(self, chat_id: int | str) -> _Bucket:
        now = self._clock()
        bucket = self._buckets.get(chat_id)
        if bucket is None:
            bucket = self._buckets[chat_id] = _Bucket(float(self.capacity), now)
        else:
            refill = (now - bucket.updated) * self.per_minute / 60.0
            bucket.tokens = min(float(self.capacity), bucket.tokens + refill)
            bucket.updated = now
        if len(self._buckets) > 10_000:  # forget the chats whose budget is whole again
            full = [k for k, b in self._buckets.items() if b.tokens >= self.capacity and k != chat_id]
            for key in full:
                del self._buckets[key]
        return bucket

    def take(self, chat_id: int | str) -> bool:
        """Spend one message of the chat's budget; False (nothing spent) when it is used up."""
        bucket = self._bucket(chat_id)
        if bucket.tokens < 1.0:
            return False
        bucket.tokens -= 1.0
        return True

    def has_left(self, chat_id: int | str) -> bool:
        """Whether the chat's budget has a message left (spends nothing)."""
        return self._bucket(chat_id).tokens >= 1.0

    def should_warn(self, chat_id: int | str) -> bool:
        """Whether to tell the chat to slow down now: once a minute at most."""
        bucket = self._bucket(chat_id)
        now = self._clock()
        if bucket.warned_at is not None and now - bucket.warned_at < 60.0:
            return False
        bucket.warned_at = now
        return True


def counted(endpoint: str) -> bool:
    """Whether a Bot API call puts a message in a chat (and so costs one of its budget)."""
    return endpoint.startswith(_COUNTED_PREFIXES) and endpoint not in _FREE


def limited(endpoint: str) -> bool:
    """Whether a Bot API call to a chat is held to the chat's budget at all."""
    return counted(endpoint) or endpoint in _FREE


def _claiming(
    callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
    claim: ReplyClaim,
    endpoint: str,
    *,
    in_transport: bool,
) -> Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]]:
    """``callback`` that claims the update's reply (see ``bot.tg.once``) after the limiter's waits.

    With ``in_transport`` the transport (``ClaimingRequest``) takes the claim itself, at the last
    moment before the request's bytes leave; otherwise it is taken here, before the request is made.
    """

    async def claimed(*args: Any, **kwargs: Any) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if not in_transport:
            if not await claim.take():
                raise AlreadyAnswered(f"the update was answered by another worker; {endpoint} dropped")
            return await callback(*args, **kwargs)
        token = CLAIM.set(claim.take)
        try:
            return await callback(*args, **kwargs)
        except NetworkError as error:
            if claim.taken is False:
                raise AlreadyAnswered(
                    f"the update was answered by another worker; {endpoint} dropped"
                ) from None
            raise error
        finally:
            CLAIM.reset(token)

    return claimed


class RetryingRateLimiter(AIORateLimiter):
    """``AIORateLimiter`` (flood limits, retries after 429) that also retries network failures.

    A timeout or a 5xx answer from the Bot API is retried a few times with exponential backoff;
    a ``BadRequest`` (our mistake, not the network's) is not. With a ``budget``, every message to a
    chat is counted against it first (see ``bot.tg.budget``); one over it is dropped, not sent late.
    """

    def __init__(
        self,
        *,
        max_retries: int = 3,
        network_retries: int = 3,
        backoff: float = 0.25,
        budget: ReplyBudget | None = None,
    ) -> None:
        super().__init__(max_retries=max_retries)
        self._network_retries = network_retries
        self._backoff = backoff
        self._budget = budget
        # Set by build_application when the bot's transport is a ClaimingRequest.
        self.claims_in_transport = False

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Count the request against its chat's budget, then send it through the flood limiter."""
        chat_id = data.get("chat_id")
        budget = self._budget
        if budget is not None and isinstance(chat_id, int | str) and limited(endpoint):
            allowed = budget.take(chat_id) if counted(endpoint) else budget.has_left(chat_id)
            if not allowed:
                if budget.should_warn(chat_id):
                    warning = {"chat_id": chat_id, "text": SLOW_DOWN}
                    with contextlib.suppress(TelegramError):
                        await self._send(callback, kwargs, "sendMessage", warning, rate_limit_args)
                raise ReplyBudgetExceeded(f"chat {chat_id} is over its reply budget; {endpoint} dropped")
        claim = REPLY_CLAIM.get()
        if claim is not None and counted(endpoint):
            callback = _claiming(callback, claim, endpoint, in_transport=self.claims_in_transport)
        return await self._send(callback, kwargs, endpoint, data, rate_limit_args)

    async def _send(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        args = (endpoint, data)
        # The flood limiter limits what it sees a chat_id in. A chat action is no message: it must not
        # take one of the 30 a second Telegram allows, or "typing" before every answer would halve the
        # answers the bot can send.
        seen = {k: v for k, v in data.items() if k != "chat_id"} if endpoint in _FREE else data
        for attempt in range(self._network_retries + 1):
            try:
                return await super().process_request(callback, args, kwargs, endpoint, seen, rate_limit_args)
            except BadRequest:
                raise
            except NetworkError as error:
                if attempt == self._network_retries:
                    raise
                logger.info("%s failed (%s); retrying", endpoint, error)
                await asyncio.sleep(self._backoff * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover
