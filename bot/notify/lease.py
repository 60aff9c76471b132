"""A lease in the store that one worker of several holds, renews, and gives up: ``Lease``.

Several workers share one store (``khabri run --webhook`` behind a load balancer); some work must be
done by one of them at a time: the outbox sender and the feed poller (the ``notifier`` lease, see
``bot.notify.delivery``), and, when polling, the one ``getUpdates`` consumer Telegram allows (the
``getUpdates`` lease, see ``bot.tg.app``). The holder renews its lease every ``ttl / 3`` seconds;
when it dies the lease runs out after ``ttl`` and another worker takes it at its next try. A holder
that died on this machine is seen at once (its process is gone), so a restart after a crash does not
wait for its own old lease.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections.abc import Callable

from storage import LeaseHolder, Store

logger = logging.getLogger(__name__)

DEFAULT_TTL = 15.0


def worker_name() -> str:
    """This process as a lease holder: ``host:pid:random`` (the random part tells restarts apart)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


def is_gone(holder: str) -> bool:
    """Whether ``holder`` is a process of this machine that has exited."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, someone else's
        return False
    return False


def describe(found: LeaseHolder, now: float) -> str:
    """A holder for people: ``pid 123 on host h (its lease runs out in 9 s)``."""
    host, _, rest = found.holder.partition(":")
    pid = rest.partition(":")[0]
    return f"pid {pid} on {host} (its lease runs out in {max(0.0, found.expires_at - now):.0f} s)"


class Lease:
    """One named lease, as one worker sees it.

    Args:
        store: the shared store.
        name: what the lease is for (``notifier``, ``getUpdates``).
        ttl: seconds a lease lasts unless renewed.
        holder: this worker's name (default :func:`worker_name`).
        clock: unix seconds (tests may pass their own).
    """

    def __init__(
        self,
        store: Store,
        name: str,
        *,
        ttl: float = DEFAULT_TTL,
        holder: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if ttl <= 0:
            raise ValueError(f"a lease's ttl must be positive, not {ttl}")
        self.store = store
        self.name = name
        self.ttl = ttl
        self.holder = holder or worker_name()
        self._clock = clock
        self.held = False

    @property
    def renew_every(self) -> float:
        """How often the holder renews: three tries before the lease runs out."""
        return self.ttl / 3

    async def acquire(self) -> bool:
        """Take or renew the lease; whether this worker holds it now (also in :attr:`held`)."""
        now = self._clock()
        async with self.store.transaction():
            held = await self.store.leases.acquire(self.name, self.holder, until=now + self.ttl, now=now)
            if not held:
                found = await self.store.leases.holder(self.name)
                if found is not None and is_gone(found.holder):
                    # Its process is gone: the lease is as good as run out.
                    moment = max(now, found.expires_at)
                    held = await self.store.leases.acquire(
                        self.name, self.holder, until=moment + self.ttl, now=moment
                    )
        if held != self.held:
            logger.info("%s the %s lease", "took" if held else "lost", self.name)
        self.held = held
        return held

    async def current(self) -> LeaseHolder | None:
        """Who holds the lease now, if anyone."""
        return await self.store.leases.holder(self.name)

    async def release(self) -> None:
        """Give the lease up (the worker is stopping), so another takes it without waiting."""
        if self.held:
            async with self.store.transaction():
                await self.store.leases.release(self.name, self.holder)
            self.held = False
