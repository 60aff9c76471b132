"""The sender: works through the outbox within Telegram's limits, delivering each row at most once.

The claim (``pending`` → ``sending``) is committed by the transport (:mod:`bot.notify.send_request`) at the
last moment before the request's bytes go to the socket.

Pacing: at most ``overall_rate`` messages a second in all (Telegram allows about 30; 25 leaves room for
answers to questions), one message a second per private chat and one every three seconds per group
(Telegram: 20 a minute). A chat's next message waits until its previous one is answered. The sender
uses a Bot of its own without PTB's rate limiter, so that no limiter sleeps or retries *inside* the
window between marking a row ``sending`` and the request leaving.

Each row: commit ``sending`` → ``sendMessage`` → commit ``sent``. What happens on errors:

=========================  =====================================================================
``RetryAfter`` (429)       back to ``pending``; every send pauses for ``retry_after`` seconds
``Forbidden`` (403)        the chat blocked the bot or left: row ``dropped``, the chat's
                           subscriptions deactivated and its pending rows dropped (``/start``
                           or a ``my_chat_member`` "member" update revives them)
5xx, no connection         certainly not delivered: back to ``pending`` with exponential backoff,
                           ``failed`` after ``max_attempts``
no (complete) answer       may have arrived: ``unknown``, never resent
``BadRequest`` and others  ``failed``: sending again would fail again
=========================  =====================================================================

A crash (kill -9) leaves at most the rows in flight in ``sending``; at start-up they become
``unknown`` and are not resent. So a chat never gets a notification twice; one is lost only when
the process dies in the instant between committing ``sending`` and the request reaching Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError, TimedOut

from bot.notify.send_request import CLAIM, AnswerLost, NotSent
from storage import Delivery, DeliveryState, Store

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class SenderOptions:
    """Limits and timings of the sender."""

    overall_rate: float = 25.0
    private_interval: float = 1.0
    group_interval: float = 3.0
    concurrency: int = 8
    max_attempts: int = 8
    backoff: float = 1.0
    max_backoff: float = 300.0
    idle_poll: float = 5.0


def markup_of(stored: str | None) -> InlineKeyboardMarkup | None:
    """The inline keyboard stored with a delivery as ``[[[label, callback data], ...], ...]``."""
    if not stored:
        return None
    rows = json.loads(stored)
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows]
    )


def _certainly_not_sent(error: NetworkError) -> bool:
    """Whether a transport failure happened before the request could have reached Telegram."""
    if isinstance(error.__cause__, NotSent):
        return True
    if isinstance(error.__cause__, AnswerLost):
        return False
    # A status answer (5xx, 502): Telegram answered and did not take the message.
    return not isinstance(error, TimedOut)


class Sender:
    """Delivers the outbox; ``start()`` runs it as a task, ``stop()`` lets the sends in flight finish."""

    def __init__(self, store: Store, bot: Bot, options: SenderOptions | None = None) -> None:
        self.store = store
        self.bot = bot
        self.options = options or SenderOptions()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._in_flight: dict[int, asyncio.Task[None]] = {}
        self._busy_chats: set[int] = set()
        self._chat_ready: dict[int, float] = {}
        self._next_slot = 0.0
        self._paused_until = 0.0
        self._stopping = False

    async def recover(self) -> int:
        """Rows a crash left in ``sending`` become ``unknown``; return how many."""
        async with self.store.transaction():
            found = await self.store.outbox.recover()
        if found:
            logger.warning("%d deliveries were interrupted while sending; not resending them", found)
        return found

    async def start(self) -> None:
        """Recover from a crash and start working through the outbox in the background."""
        await self.recover()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="khabri-sender")

    def wake(self) -> None:
        """New rows may be due: look now rather than at the next poll."""
        self._wake.set()

    async def stop(self, grace: float = 10.0) -> None:
        """Stop taking rows, wait for the sends in flight (up to ``grace`` s), then stop the loop."""
        self._stopping = True
        self._wake.set()
        if self._in_flight:
            await asyncio.wait(list(self._in_flight.values()), timeout=grace)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        while not self._stopping:
            try:
                waited = await self._round()
            except Exception:
                logger.exception("the sender failed; trying again shortly")
                waited = self.options.idle_poll
            if waited > 0 and not self._stopping:
                self._wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), timeout=waited)

    async def _round(self) -> float:
        """Start sends for the due rows whose chat is ready; return how long to wait before the next look."""
        rows = await self.store.outbox.due(limit=200)
        started = 0
        now = time.monotonic()
        soonest = now + self.options.idle_poll
        for row in rows:
            if self._stopping:
                return 0.0
            if row.id in self._in_flight or row.chat_id in self._busy_chats:
                continue
            ready = self._chat_ready.get(row.chat_id, 0.0)
            if ready > time.monotonic():
                soonest = min(soonest, ready)
                continue
            await self._pace()
            while len(self._in_flight) >= self.options.concurrency:
                await asyncio.wait(list(self._in_flight.values()), return_when=asyncio.FIRST_COMPLETED)
            self._busy_chats.add(row.chat_id)
            task = asyncio.create_task(self._deliver(row), name=f"khabri-send-{row.id}")
            self._in_flight[row.id] = task
            task.add_done_callback(self._done_callback(row))
            started += 1
        if started:
            return 0.0
        if len(rows) and self._in_flight:
            # Everything due is waiting on a chat in flight: look again as soon as one finishes.
            await asyncio.wait(list(self._in_flight.values()), return_when=asyncio.FIRST_COMPLETED)
            return 0.0
        later = await self.store.outbox.next_attempt()
        if later is not None:
            soonest = min(soonest, now + max(0.0, later - time.time()))
        return max(0.0, soonest - time.monotonic())

    def _done_callback(self, row: Delivery) -> Callable[[asyncio.Task[None]], None]:
        return lambda _: self._done(row)

    def _done(self, row: Delivery) -> None:
        self._in_flight.pop(row.id, None)
        self._busy_chats.discard(row.chat_id)
        interval = self.options.group_interval if row.chat_id < 0 else self.options.private_interval
        self._chat_ready[row.chat_id] = time.monotonic() + interval
        self._wake.set()

    async def _pace(self) -> None:
        """Wait for the next overall slot, and out any flood-control pause."""
        now = time.monotonic()
        slot = max(now, self._next_slot, self._paused_until)
        self._next_slot = slot + 1.0 / self.options.overall_rate
        if slot > now:
            await asyncio.sleep(slot - now)

    async def _deliver(self, row: Delivery) -> None:
        outbox = self.store.outbox
        markup = markup_of(row.markup)
        claimed = False

        async def claim() -> bool:
            # Called by the transport with the request built and the connection open: see send_request.
            nonlocal claimed
            async with self.store.transaction():
                claimed = await outbox.claim(row.id)
            return claimed

        token = CLAIM.set(claim)
        try:
            message = await self.bot.send_message(
                row.chat_id,
                row.text,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        except RetryAfter as error:
            wait = error.retry_after
            seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)
            logger.warning("flood control: pausing deliveries for %.0f s", seconds)
            await self._settle(row, "retry", f"429: {error}", time.time() + seconds)
        except Forbidden as error:
            await self._chat_gone(row, str(error))
        except BadRequest as error:
            if "chat not found" in str(error).lower():
                await self._chat_gone(row, str(error))
            else:
                logger.warning("delivery %d refused: %s", row.id, error)
                await self._settle(row, DeliveryState.FAILED, str(error))
        except NetworkError as error:
            if not claimed:
                if not isinstance(error.__cause__, NotSent):
                    logger.warning("delivery %d not attempted: %s", row.id, error)
                return  # the row is still pending (or was taken care of meanwhile)
            if not _certainly_not_sent(error):
                logger.warning("delivery %d may or may not have arrived (%s); not resending", row.id, error)
                await self._settle(row, DeliveryState.UNKNOWN, str(error))
            elif row.attempts + 1 >= self.options.max_attempts:
                await self._settle(row, DeliveryState.FAILED, str(error))
            else:
                delay = min(self.options.max_backoff, self.options.backoff * 2**row.attempts)
                await self._settle(row, "retry", str(error), time.time() + delay)
        except TelegramError as error:
            logger.warning("delivery %d failed: %s", row.id, error)
            await self._settle(row, DeliveryState.FAILED, str(error))
        else:
            async with self.store.transaction():
                await outbox.mark_sent(row.id, message.message_id)
        finally:
            CLAIM.reset(token)

    async def _settle(
        self, row: Delivery, outcome: DeliveryState | Literal["retry"], error: str, at: float = 0.0
    ) -> None:
        async with self.store.transaction():
            if outcome == "retry":
                await self.store.outbox.retry_later(row.id, at, error)
            else:
                await self.store.outbox.finish(row.id, outcome, error)

    async def _chat_gone(self, row: Delivery, error: str) -> None:
        """The chat blocked the bot or is gone: stop writing to it until it comes back."""
        async with self.store.transaction():
            await self.store.outbox.finish(row.id, DeliveryState.DROPPED, error)
            await self.store.subscriptions.set_chat_active(row.chat_id, False)
            dropped = await self.store.outbox.drop_chat(row.chat_id, error)
        logger.info(
            "chat %d is gone (%s): subscriptions paused, %d deliveries dropped", row.chat_id, error, dropped
        )
