"""One reply per update, however many times Telegram delivers it: ``ReplyClaim``.

Telegram delivers a webhook update again when the worker it went to did not answer 200 (the worker
died, or stopped before handling it), and a polling worker that dies fetches again the updates it had
not confirmed. Several workers behind a load balancer may so see one update twice. The first request
of an update that puts a message in a chat (``send*``, ``edit*``, ... as ``bot.tg.budget.counted``
says) records the update in the store (``store.updates.claim``) just before it leaves, after the flood
limiter's waits; when the record is there already, another worker has replied, and the request is
dropped as :class:`AlreadyAnswered` (which the error handler logs quietly). Chat actions (typing) are
not messages and are never held back.

So an update is answered at most once. It is left unanswered only when a worker dies in the instant
between the record and its request leaving, and an answer of several messages is cut short when it
dies between them. That instant is kept short: ``khabri run`` sends through ``ClaimingRequest``
(``bot.notify.send_request``), which takes the claim with the request built and the connection open
and writes the bytes right after; on SQLite the claim is one synchronous statement, so nothing else
of the event loop runs in between. (Through another transport, such as the HTTPX one the tests pass,
the claim is taken before the request goes through that transport's stack, and after whatever other
tasks the event loop runs first: a few milliseconds under load.)
"""

from __future__ import annotations

import contextvars
import time

from telegram.error import TelegramError

from storage import Store

# Set by the update processor around the handling of one update (bot.tg.processing).
REPLY_CLAIM: contextvars.ContextVar[ReplyClaim | None] = contextvars.ContextVar(
    "khabri_reply_claim", default=None
)


class AlreadyAnswered(TelegramError):
    """A reply was not sent: another worker has answered this update already."""


class ReplyClaim:
    """The claim on replying to one update; :meth:`take` records it once and remembers the outcome."""

    def __init__(self, store: Store, update_id: int) -> None:
        self.store = store
        self.update_id = update_id
        self._taken: bool | None = None

    @property
    def taken(self) -> bool | None:
        """The outcome of :meth:`take`, or ``None`` before it was called."""
        return self._taken

    async def take(self) -> bool:
        """Whether this worker may reply: True once recorded by it, False when another did.

        When nothing else of this process is writing, the record is made synchronously
        (``store.updates.claim_now``): the coroutine then finishes without yielding to the event
        loop, so a transport that awaits it just before writing its request (``ClaimingRequest``)
        has the request in the kernel with nothing run in between.
        """
        if self._taken is None:
            quick = (
                None if self.store.writing else self.store.updates.claim_now(self.update_id, now=time.time())
            )
            if quick is not None:
                self._taken = quick
            else:
                async with self.store.one_statement():
                    self._taken = await self.store.updates.claim(self.update_id, now=time.time())
        return self._taken
