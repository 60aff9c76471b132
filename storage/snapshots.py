"""Snapshots: derived data the application keeps in the store to start faster.

The store treats a snapshot as opaque bytes under a name, with the position ``upto`` in the source
data it reflects; what the bytes mean, and rebuilding them when they are missing or stale, is the
application's business.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from storage.models import Snapshot
from storage.query import Query

__all__ = ["Snapshots"]


class Snapshots:
    """The snapshots of one store; reached as ``store.snapshots``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    async def get(self, name: str) -> Snapshot | None:
        """The snapshot saved under ``name``, if any."""
        row = await self._db.one("SELECT name, upto, data, saved_at FROM snapshots WHERE name = ?", (name,))
        return None if row is None else Snapshot(str(row[0]), int(row[1]), bytes(row[2]), str(row[3]))

    async def put(self, name: str, upto: int, data: bytes) -> None:
        """Save (or replace) the snapshot ``name`` (inside a transaction)."""
        self._require_transaction()
        await self._db.run(
            "INSERT INTO snapshots (name, upto, data, saved_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (name) DO UPDATE SET upto = excluded.upto, data = excluded.data,"
            " saved_at = excluded.saved_at",
            (name, upto, data, datetime.now(UTC).isoformat(timespec="seconds")),
        )
