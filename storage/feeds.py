"""News feeds the bot polls: their validators (ETag, Last-Modified), backoff state and seen entries."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from storage.errors import NotFoundError, StoreError
from storage.models import Feed
from storage.query import Query

_COLUMNS = "id, url, title, etag, last_modified, failures, next_poll_at, last_polled_at, last_error, added_at"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _feed(row: Sequence[object]) -> Feed:
    return Feed(*row)  # type: ignore[arg-type]


class Feeds:
    """The feeds of one store; reached as ``store.feeds``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    async def add(self, url: str) -> tuple[Feed, bool]:
        """Add a feed by url (inside a transaction); ``True`` when it was not there yet."""
        self._require_transaction()
        # Inserted only when missing (not ON CONFLICT), so that a repeated add uses up no id on
        # PostgreSQL either: feed ids are what operators type.
        written = await self._db.run(
            "INSERT INTO feeds (url, added_at) SELECT ?, ?"
            " WHERE NOT EXISTS (SELECT 1 FROM feeds WHERE url = ?)",
            (url, _now(), url),
        )
        created = written.rowcount == 1
        found = await self.find(url)
        if found is None:
            raise StoreError("the feed was not inserted")
        return found, created

    async def find(self, url: str) -> Feed | None:
        """The feed with this url, if any."""
        row = await self._db.one(f"SELECT {_COLUMNS} FROM feeds WHERE url = ?", (url,))
        return None if row is None else _feed(row)

    async def get(self, feed_id: int) -> Feed:
        """The feed with this id.

        Raises:
            NotFoundError: there is no such feed.
        """
        row = await self._db.one(f"SELECT {_COLUMNS} FROM feeds WHERE id = ?", (feed_id,))
        if row is None:
            raise NotFoundError(f"no feed {feed_id}")
        return _feed(row)

    async def all(self) -> list[Feed]:
        """Every feed, by id."""
        rows = await self._db.all(f"SELECT {_COLUMNS} FROM feeds ORDER BY id")
        return [_feed(row) for row in rows]

    async def due(self, now: float | None = None) -> list[Feed]:
        """The feeds whose next poll time has come."""
        moment = time.time() if now is None else now
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM feeds WHERE next_poll_at <= ? ORDER BY next_poll_at, id", (moment,)
        )
        return [_feed(row) for row in rows]

    async def remove(self, feed_id: int) -> bool:
        """Delete a feed and its seen entries (inside a transaction); whether it existed."""
        self._require_transaction()
        await self._db.run("DELETE FROM feed_entries WHERE feed_id = ?", (feed_id,))
        written = await self._db.run("DELETE FROM feeds WHERE id = ?", (feed_id,))
        return written.rowcount == 1

    async def polled(
        self,
        feed_id: int,
        *,
        next_poll_at: float,
        etag: str | None,
        last_modified: str | None,
        title: str | None,
    ) -> None:
        """Record a successful poll: new validators, failures reset (inside a transaction)."""
        self._require_transaction()
        await self._db.run(
            "UPDATE feeds SET etag = ?, last_modified = ?, title = coalesce(?, title), failures = 0,"
            " next_poll_at = ?, last_polled_at = ?, last_error = NULL WHERE id = ?",
            (etag, last_modified, title, next_poll_at, _now(), feed_id),
        )

    async def failed(self, feed_id: int, *, next_poll_at: float, error: str) -> None:
        """Record a failed poll: one more failure, the next try later (inside a transaction)."""
        self._require_transaction()
        await self._db.run(
            "UPDATE feeds SET failures = failures + 1, next_poll_at = ?, last_polled_at = ?,"
            " last_error = ? WHERE id = ?",
            (next_poll_at, _now(), error[:500], feed_id),
        )

    async def seen(self, feed_id: int, keys: Sequence[str]) -> set[str]:
        """Which of these entry keys the feed has already turned into reports."""
        found: set[str] = set()
        for i in range(0, len(keys), 500):
            chunk = list(keys[i : i + 500])
            marks = ",".join("?" * len(chunk))
            rows = await self._db.all(
                f"SELECT entry_key FROM feed_entries WHERE feed_id = ? AND entry_key IN ({marks})",
                (feed_id, *chunk),
            )
            found.update(str(row[0]) for row in rows)
        return found

    async def mark_seen(self, feed_id: int, key: str, report_id: int | None) -> None:
        """Remember an entry as done (inside a transaction)."""
        self._require_transaction()
        await self._db.run(
            "INSERT INTO feed_entries (feed_id, entry_key, report_id, seen_at) VALUES (?, ?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            (feed_id, key, report_id, _now()),
        )
