"""Subscriptions at run time: the matcher, the sender and the feed poller, tied to the application.

``build_application`` creates a :class:`Notifier`; ``post_init`` starts it (recover the outbox, match
what arrived while the bot was down, start the sender) and ``post_shutdown`` stops it. The archive's
sync job runs the matcher after every sync, so reports ingested by another process (``khabri ingest``)
are matched within one sync interval; a second job polls the feeds that are due.

Of several workers sharing a store, only the one holding the ``notifier`` lease
(``bot.notify.lease``) matches, sends and polls feeds; the others try to take the lease every
``lease_ttl / 3`` seconds, and one of them has it within ``lease_ttl`` of the holder's death. The new
holder first turns the rows its predecessor left ``sending`` into ``unknown`` (never resent), so a
takeover sends nothing twice; a row is claimed by one conditional update, so even two senders at
once (a holder stalled past its lease) could not both send it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field

from telegram import Bot

from bot.archive.core import Archive
from bot.notify.feeds import FeedOptions, PollResult, poll_due_feeds
from bot.notify.lease import DEFAULT_TTL, Lease
from bot.notify.matcher import Matcher, MatchRun
from bot.notify.netguard import FetchPolicy
from bot.notify.send_request import ClaimingRequest
from bot.notify.sender import Sender, SenderOptions
from storage import StoreError

logger = logging.getLogger(__name__)

# Seconds the sends in flight get at shutdown.
STOP_GRACE = 3.0


def _being_cancelled() -> bool:
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0


@dataclass(frozen=True, slots=True)
class DeliveryOptions:
    """Timings of matching, sending and feed polling."""

    sender: SenderOptions = field(default_factory=SenderOptions)
    feeds: FeedOptions = field(default_factory=FeedOptions)
    # How often the bot looks for feeds whose poll time has come.
    feed_check: float = 60.0
    # Seconds the notifier lease lasts unless renewed: how long a dead worker's sending stops.
    lease_ttl: float = DEFAULT_TTL


class Notifier:
    """The matcher, the sender (with a Bot of its own) and the feed poller of one running bot."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str | None = None,
        options: DeliveryOptions | None = None,
        policy: FetchPolicy | None = None,
    ) -> None:
        self.options = options or DeliveryOptions()
        self.policy = policy or FetchPolicy()
        request = ClaimingRequest()
        if base_url:
            self.bot = Bot(token, base_url=base_url, request=request)
        else:
            self.bot = Bot(token, request=request)
        self.matcher: Matcher | None = None
        self.sender: Sender | None = None
        self.archive: Archive | None = None
        self.lease: Lease | None = None
        self._polling: asyncio.Future[list[PollResult]] | None = None
        self._leading: asyncio.Task[None] | None = None

    @property
    def leading(self) -> bool:
        """Whether this worker holds the notifier lease (and so matches, sends and polls feeds)."""
        return self.lease is not None and self.lease.held

    async def start(self, archive: Archive, bot_username: str | None) -> None:
        """Take the notifier lease if it is free; as its holder, recover, match what is owed, and send."""
        self.archive = archive
        await self.bot.initialize()
        self.matcher = Matcher(archive, bot_username=bot_username)
        self.sender = Sender(archive.store, self.bot, self.options.sender)
        self.lease = Lease(archive.store, "notifier", ttl=self.options.lease_ttl)
        await self._lead()
        self._leading = asyncio.create_task(self._keep_leading(), name="khabri-notifier-lease")

    async def _lead(self) -> None:
        """Renew (or try to take) the lease; start the sender on taking it, stop it on losing it."""
        if self.lease is None or self.sender is None:
            return
        was = self.lease.held
        held = await self.lease.acquire()
        if held and not was:
            await self.sender.start()
            await self.match()
        elif was and not held:
            logger.warning("another worker holds the notifier lease now; this one stops sending")
            await self.sender.stop(grace=STOP_GRACE)

    async def _keep_leading(self) -> None:
        while self.lease is not None:
            await asyncio.sleep(self.lease.renew_every)
            try:
                await self._lead()
            except Exception:  # a busy or failing store: try again at the next turn
                logger.exception("could not renew the notifier lease")

    async def match(self) -> MatchRun:
        """Run the matcher and wake the sender when there is something new to send."""
        if self.matcher is None or not self.leading:
            return MatchRun(0, 0)
        run = await self.matcher.run()
        if run.deliveries and self.sender is not None:
            self.sender.wake()
        return run

    async def poll_feeds(self) -> list[PollResult]:
        """Poll the feeds that are due, then match what they brought ([] when interrupted or not leading)."""
        if self.archive is None or not self.leading:
            return []
        # A task of its own, so that a shutdown can cancel it (a poll may take a minute).
        self._polling = asyncio.ensure_future(
            poll_due_feeds(self.archive, self.options.feeds, policy=self.policy)
        )
        try:
            results = await self._polling
        except asyncio.CancelledError:
            if self._polling.cancelled() and not _being_cancelled():
                return []
            raise
        finally:
            self._polling = None
        if any(r.reports for r in results):
            await self.match()
        return results

    def interrupt(self) -> None:
        """Cancel a feed poll in progress (the bot is shutting down); its stored entries stay."""
        if self._polling is not None:
            self._polling.cancel()

    async def stop(self) -> None:
        """Let the sends in flight finish, then stop and give up the lease."""
        if self._leading is not None:
            self._leading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._leading
            self._leading = None
        if self.sender is not None:
            await self.sender.stop(grace=STOP_GRACE)
            self.sender = None
        if self.lease is not None:
            try:
                await self.lease.release()
            except StoreError as error:  # it runs out by itself
                logger.warning("could not give up the notifier lease: %s", error)
            self.lease = None
        await self.bot.shutdown()
