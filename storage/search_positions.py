"""How far an outside search index has followed the passage log.

A search index kept outside the store (an OpenSearch cluster) is fed from ``passage_log``. After the
index acknowledges a batch, the application records the last ``seq`` of that batch here under the
index's name; at the next start it replays the log from that position, so a crash between the
store's commit and the index's acknowledgement loses nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from storage.query import Query

__all__ = ["SearchPositions"]


class SearchPositions:
    """The acknowledged log positions of outside search indexes; reached as ``store.search_positions``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    async def get(self, target: str) -> int:
        """The last passage-log ``seq`` that ``target`` acknowledged (0 when it has none)."""
        row = await self._db.one("SELECT seq FROM search_positions WHERE target = ?", (target,))
        return 0 if row is None else int(row[0])

    async def put(self, target: str, seq: int) -> None:
        """Record that ``target`` acknowledged the log up to ``seq`` (inside a transaction)."""
        self._require_transaction()
        await self._db.run(
            "INSERT INTO search_positions (target, seq, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (target) DO UPDATE SET seq = excluded.seq, updated_at = excluded.updated_at",
            (target, seq, datetime.now(UTC).isoformat(timespec="seconds")),
        )
