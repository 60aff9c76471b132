"""One aiosqlite connection per store: PRAGMAs, migrations at open, and ``transaction()``."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage import migrations
from storage.chats import Chats
from storage.errors import SchemaError, StoreError
from storage.feeds import Feeds
from storage.meetings import Meetings
from storage.outbox import Outbox
from storage.questions import Questions
from storage.reports import Reports
from storage.snapshots import Snapshots
from storage.subscriptions import Subscriptions

BUSY_TIMEOUT_MS = 10_000


class Store:
    """A Khabri store: one SQLite file, one connection, every write inside ``transaction()``.

    Open it with :func:`open_store`; close it with :meth:`close` (or ``async with``).
    """

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        self.path = path
        self.reports = Reports(conn, self._require_transaction)
        self.questions = Questions(conn, self._require_transaction)
        self.subscriptions = Subscriptions(conn, self._require_transaction)
        self.outbox = Outbox(conn, self._require_transaction)
        self.feeds = Feeds(conn, self._require_transaction)
        self.meetings = Meetings(conn, self._require_transaction)
        self.snapshots = Snapshots(conn, self._require_transaction)
        self.chats = Chats(conn, self._require_transaction)

    def _require_transaction(self) -> None:
        # Writes outside a transaction would autocommit piecemeal: a crash could leave half a report.
        if self._owner is None or self._owner is not asyncio.current_task():
            raise StoreError("writes must happen inside `async with store.transaction():`")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Run the body in one ``BEGIN IMMEDIATE`` transaction: commit on success, roll back on error.

        Transactions on one store are serialised; they do not nest.
        """
        if self._owner is not None and self._owner is asyncio.current_task():
            raise StoreError("transactions do not nest")
        async with self._lock:
            try:
                await self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise StoreError(f"could not start a transaction: {error}") from error
            self._owner = asyncio.current_task()
            try:
                yield
            except BaseException:
                self._owner = None
                await self._conn.execute("ROLLBACK")
                raise
            self._owner = None
            try:
                await self._conn.execute("COMMIT")
            except sqlite3.Error as error:
                await self._conn.execute("ROLLBACK")
                raise StoreError(f"could not commit: {error}") from error

    async def close(self) -> None:
        """Close the connection; the store is unusable afterwards."""
        await self._conn.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


async def open_store(path: str | Path) -> Store:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date.

    Raises:
        StoreError: the file cannot be opened as SQLite.
        SchemaError: the file is not a Khabri store, or was written by a newer version.
    """
    path = Path(path)
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = await aiosqlite.connect(path, isolation_level=None)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open {path}: {error}") from error
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        await migrations.apply(conn)
    except sqlite3.DatabaseError as error:
        await conn.close()
        raise SchemaError(f"{path} is not a Khabri store: {error}") from error
    except BaseException:
        await conn.close()
        raise
    return Store(conn, path)
