"""The outbox: notifications owed to chats, and the matcher's position in the passage log.

A row moves ``pending`` -> ``sending`` -> ``sent``. The sender commits ``sending`` before the request
leaves and ``sent`` as soon as the answer is back; :meth:`Outbox.recover` turns rows a crash left in
``sending`` into ``unknown`` (they may have arrived, so they are never sent again).

:meth:`Outbox.prune` empties the message of rows that are done (``sent``, ``unknown``, ``failed``,
``dropped``) once they are old: the text is most of a row, and nobody reads it again. The row itself
stays, since its ``(chat_id, report_id)`` key is what keeps a report matched again (a restart, a
replaced version keeping its id) from being sent twice.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

from storage.models import Delivery, DeliveryState, NewDelivery
from storage.query import Query, Row

_COLUMNS = (
    "id, chat_id, report_id, subscription_id, text, markup, state, attempts, next_attempt_at,"
    " last_error, message_id"
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# The states a delivery can end in without being sent (:meth:`Outbox.finish`).
_UNSENT_ENDS = (DeliveryState.FAILED, DeliveryState.DROPPED, DeliveryState.UNKNOWN)


def _delivery(row: Row) -> Delivery:
    did, chat, report, subscription, text, markup, state, attempts, at, error, message = row
    # The schema's CHECK allows only DeliveryState's values, so this never fails on a stored row.
    state = DeliveryState(state)
    return Delivery(did, chat, report, subscription, text, markup, state, attempts, at, error, message)


class Outbox:
    """The outbox and cursors of one store; reached as ``store.outbox``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    # ------------------------------------------------------------------ the matcher's cursor

    async def cursor(self, name: str) -> int | None:
        """The passage-log position stored under ``name``, or ``None`` when there is none yet."""
        row = await self._db.one("SELECT seq FROM cursors WHERE name = ?", (name,))
        return None if row is None else int(row[0])

    async def set_cursor(self, name: str, seq: int) -> None:
        """Store a passage-log position (inside a transaction)."""
        self._require_transaction()
        await self._db.run(
            "INSERT INTO cursors (name, seq) VALUES (?, ?)"
            " ON CONFLICT (name) DO UPDATE SET seq = excluded.seq",
            (name, seq),
        )

    async def added_reports(self, *, after_seq: int, upto_seq: int) -> list[tuple[int, int]]:
        """``(report id, first seq)`` of reports with passages added in ``(after_seq, upto_seq]``."""
        rows = await self._db.all(
            "SELECT report_id, min(seq) FROM passage_log WHERE op = 'add' AND seq > ? AND seq <= ?"
            " GROUP BY report_id ORDER BY min(seq)",
            (after_seq, upto_seq),
        )
        return [(int(rid), int(seq)) for rid, seq in rows]

    # ------------------------------------------------------------------ writing rows

    async def enqueue(self, deliveries: Iterable[NewDelivery]) -> int:
        """Add deliveries not already owed (inside a transaction); how many were new."""
        self._require_transaction()
        now = _now()
        rows = [(d.chat_id, d.report_id, d.subscription_id, d.text, d.markup, now, now) for d in deliveries]
        # The UNIQUE (chat_id, report_id) key turns a delivery already owed into an insert that does nothing.
        return await self._db.run_many(
            "INSERT INTO outbox (chat_id, report_id, subscription_id, text, markup, created_at,"
            " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            rows,
        )

    async def _set(self, delivery_id: int, assignments: str, values: Sequence[object]) -> None:
        self._require_transaction()
        await self._db.run(
            f"UPDATE outbox SET {assignments}, updated_at = ? WHERE id = ?", (*values, _now(), delivery_id)
        )

    async def claim(self, delivery_id: int) -> bool:
        """Mark a pending delivery ``sending`` (inside a transaction committed before the request leaves).

        Returns:
            False when the row is no longer pending (sent, dropped or claimed meanwhile).
        """
        self._require_transaction()
        written = await self._db.run(
            "UPDATE outbox SET state = 'sending', attempts = attempts + 1, updated_at = ?"
            " WHERE id = ? AND state = 'pending'",
            (_now(), delivery_id),
        )
        return written.rowcount == 1

    async def mark_sent(self, delivery_id: int, message_id: int | None) -> None:
        """Telegram accepted the message."""
        await self._set(delivery_id, "state = 'sent', message_id = ?, last_error = NULL", (message_id,))

    async def retry_later(self, delivery_id: int, at: float, error: str) -> None:
        """Telegram certainly did not take it (429, 5xx, no connection): back to ``pending`` until ``at``."""
        await self._set(delivery_id, "state = 'pending', next_attempt_at = ?, last_error = ?", (at, error))

    async def finish(self, delivery_id: int, state: DeliveryState, error: str) -> None:
        """End a delivery without sending: ``failed``, ``dropped`` or ``unknown``.

        Raises:
            ValueError: ``state`` is not one of those three.
        """
        if state not in _UNSENT_ENDS:
            raise ValueError(f"state must be failed, dropped or unknown, not {state!r}")
        await self._set(delivery_id, "state = ?, last_error = ?", (state, error))

    async def drop_chat(self, chat_id: int, reason: str) -> int:
        """Drop every pending delivery to a chat (inside a transaction); how many."""
        self._require_transaction()
        written = await self._db.run(
            "UPDATE outbox SET state = 'dropped', last_error = ?, updated_at = ?"
            " WHERE chat_id = ? AND state = 'pending'",
            (reason, _now(), chat_id),
        )
        return written.rowcount

    async def recover(self) -> int:
        """Rows a crash left in ``sending`` become ``unknown`` (inside a transaction); how many."""
        self._require_transaction()
        written = await self._db.run(
            "UPDATE outbox SET state = 'unknown', last_error = 'interrupted while sending', updated_at = ?"
            " WHERE state = 'sending'",
            (_now(),),
        )
        return written.rowcount

    async def prune(self, *, older_than: float, now: float | None = None) -> int:
        """Empty the text of finished rows last changed over ``older_than`` seconds ago; how many.

        Inside a transaction. Pending and sending rows are never touched, and the exactly-once key
        ``(chat_id, report_id)`` stays.

        Raises:
            ValueError: ``older_than`` is negative.
        """
        if older_than < 0:
            raise ValueError(f"older_than must be at least 0 seconds, not {older_than}")
        self._require_transaction()
        moment = time.time() if now is None else now
        cutoff = datetime.fromtimestamp(moment - older_than, UTC).isoformat(timespec="seconds")
        written = await self._db.run(
            "UPDATE outbox SET text = '', markup = NULL"
            " WHERE state IN ('sent', 'unknown', 'failed', 'dropped') AND updated_at < ?"
            " AND (text != '' OR markup IS NOT NULL)",
            (cutoff,),
        )
        return written.rowcount

    # ------------------------------------------------------------------ reading rows

    async def due(self, *, limit: int = 200, now: float | None = None) -> list[Delivery]:
        """Pending deliveries whose time has come, oldest first."""
        moment = time.time() if now is None else now
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM outbox WHERE state = 'pending' AND next_attempt_at <= ?"
            " ORDER BY id LIMIT ?",
            (moment, limit),
        )
        return [_delivery(row) for row in rows]

    async def next_attempt(self) -> float | None:
        """When the earliest pending delivery is due (unix time), or ``None`` when none is pending."""
        row = await self._db.one("SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'")
        return None if row is None or row[0] is None else float(row[0])

    async def of_chat(self, chat_id: int) -> list[Delivery]:
        """Every delivery to a chat, oldest first."""
        rows = await self._db.all(f"SELECT {_COLUMNS} FROM outbox WHERE chat_id = ? ORDER BY id", (chat_id,))
        return [_delivery(row) for row in rows]

    async def counts(self) -> dict[str, int]:
        """How many deliveries are in each state."""
        rows = await self._db.all("SELECT state, count(*) FROM outbox GROUP BY state")
        return {str(state): int(n) for state, n in rows}
