"""What several workers sharing one store agree on: leases on work only one may do, and answered updates.

A lease is a name (``sender``, ``getUpdates``) held by one holder until a moment; the holder renews
it well before then, and anyone may take it once it has run out. Both writes are one conditional
statement, so two workers racing for a lease cannot both win: on SQLite the statement runs inside
``BEGIN IMMEDIATE`` (one writer at a time across processes), on PostgreSQL the row lock of
``ON CONFLICT DO UPDATE`` makes the second writer re-check the condition. Times are unix seconds from
the caller's clock, so workers on several machines need their clocks in step (NTP) to within a
small part of a lease's length.

An answered update is a Telegram ``update_id`` the bot has started replying to: the first
message-sending request of an update records it, and a worker that finds it recorded already
(Telegram delivered the update again after a worker died) sends nothing. The record should be made
as close as possible to the request leaving (a worker dying in between loses the reply), so
:meth:`AnsweredUpdates.claim_now` makes it synchronously, on a connection of its own, with no trip
through the event loop; when that cannot be done at once (the file's write lock is busy) it says so,
and the caller uses :meth:`AnsweredUpdates.claim` (a PostgreSQL store would always say so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storage.query import Query

_CLAIM = (
    "INSERT INTO answered_updates (update_id, answered_at) VALUES (?, ?) ON CONFLICT (update_id) DO NOTHING"
)


@dataclass(frozen=True, slots=True)
class LeaseHolder:
    """Who holds a lease, and until when (unix seconds)."""

    holder: str
    expires_at: float


class Leases:
    """The leases of one store; reached as ``store.leases``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    async def acquire(self, name: str, holder: str, *, until: float, now: float) -> bool:
        """Take or renew ``name`` for ``holder`` until ``until`` (inside a transaction).

        Returns:
            True when ``holder`` holds it now: it was free, had run out by ``now``, or was its own.

        Raises:
            ValueError: ``until`` is not after ``now``.
        """
        if until <= now:
            raise ValueError(f"a lease must end after now ({now}), not at {until}")
        self._require_transaction()
        written = await self._db.run(
            "INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at"
            " WHERE leases.holder = excluded.holder OR leases.expires_at <= ?",
            (name, holder, until, now),
        )
        return written.rowcount == 1

    async def release(self, name: str, holder: str) -> bool:
        """Give up ``name`` if ``holder`` holds it (inside a transaction); whether it did."""
        self._require_transaction()
        written = await self._db.run("DELETE FROM leases WHERE name = ? AND holder = ?", (name, holder))
        return written.rowcount == 1

    async def holder(self, name: str) -> LeaseHolder | None:
        """Who holds ``name`` (perhaps run out already), or ``None`` when nobody does."""
        row = await self._db.one("SELECT holder, expires_at FROM leases WHERE name = ?", (name,))
        return None if row is None else LeaseHolder(str(row[0]), float(row[1]))


class AnsweredUpdates:
    """The Telegram updates replied to; reached as ``store.updates``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    def claim_now(self, update_id: int, *, now: float) -> bool | None:
        """Record ``update_id`` synchronously, as one autocommitted statement; ``None`` if not at once.

        Call it only while this process has no write transaction open on the store (it would wait
        for that transaction's lock). It holds up the caller for the statement, and a few
        milliseconds at most when another process is writing (see ``Query.run_at_once``).

        Returns:
            True when recorded now, False when recorded already, None when it could not tell at once.
        """
        written = self._db.run_at_once(_CLAIM, (update_id, now))
        return None if written is None else written.rowcount == 1

    async def claim(self, update_id: int, *, now: float) -> bool:
        """Record that the reply to ``update_id`` is going out (inside a transaction).

        Returns:
            False when it was recorded already: the update has been answered, do not answer again.
        """
        self._require_transaction()
        written = await self._db.run(_CLAIM, (update_id, now))
        return written.rowcount == 1

    async def recorded(self) -> set[int]:
        """Every update recorded as answered (for checks and tests; the table is pruned daily)."""
        return {int(row[0]) for row in await self._db.all("SELECT update_id FROM answered_updates")}

    async def prune(self, *, before: float) -> int:
        """Forget updates answered before ``before`` (inside a transaction); how many.

        Telegram gives up delivering an update again after a day, so older ones need no record.
        """
        self._require_transaction()
        written = await self._db.run("DELETE FROM answered_updates WHERE answered_at < ?", (before,))
        return written.rowcount
