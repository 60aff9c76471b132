"""One aiosqlite connection per store: PRAGMAs, migrations at open, and ``transaction()``."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage import migrations
from storage.chats import Chats
from storage.errors import StoreError, classify
from storage.feeds import Feeds
from storage.meetings import Meetings
from storage.outbox import Outbox
from storage.query import Query
from storage.questions import Questions
from storage.reports import Reports
from storage.search_positions import SearchPositions
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
        # Every query of the repositories below goes through this one helper, which maps the
        # driver's errors to the store's own; so does this class's BEGIN and COMMIT.
        self._query = query = Query(conn, path)
        self.reports = Reports(query, self._require_transaction)
        self.questions = Questions(query, self._require_transaction)
        self.subscriptions = Subscriptions(query, self._require_transaction)
        self.outbox = Outbox(query, self._require_transaction)
        self.feeds = Feeds(query, self._require_transaction)
        self.meetings = Meetings(query, self._require_transaction)
        self.snapshots = Snapshots(query, self._require_transaction)
        self.chats = Chats(query, self._require_transaction)
        self.search_positions = SearchPositions(query, self._require_transaction)

    def _require_transaction(self) -> None:
        # Writes outside a transaction would autocommit piecemeal: a crash could leave half a report.
        if self._owner is None or self._owner is not asyncio.current_task():
            raise StoreError("writes must happen inside `async with store.transaction():`")

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[None]:
        """Run the body in one ``BEGIN IMMEDIATE`` transaction: commit on success, roll back on error.

        Transactions on one store are serialised; they do not nest. A SQLite error in the body or at
        commit leaves as the store's own error (a full disk is ``StoreFullError``, a read-only store
        ``ReadOnlyStoreError``), naming the file and what to do.
        """
        if self._owner is not None and self._owner is asyncio.current_task():
            raise StoreError("transactions do not nest")
        async with self._lock:
            await self._query.run("BEGIN IMMEDIATE")
            self._owner = asyncio.current_task()
            try:
                yield
            except BaseException:
                # The body's queries went through the query helper: a driver error is a StoreError now.
                self._owner = None
                await self._rollback()
                raise
            self._owner = None
            try:
                await self._query.run("COMMIT")
            except StoreError:
                await self._rollback()
                raise

    async def _rollback(self) -> None:
        # SQLite rolls back by itself after some errors (a full disk, an I/O error); rolling back
        # again would fail with "no transaction is active" and hide the error that matters.
        if self._conn.in_transaction:
            # If this fails too, the connection is in trouble already; the original error is raised.
            with contextlib.suppress(sqlite3.Error):
                await self._conn.execute("ROLLBACK")

    async def close(self) -> None:
        """Close the connection; the store is unusable afterwards."""
        await self._conn.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


async def open_store(path: str | Path, *, writable: bool = True) -> Store:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date.

    Args:
        path: the SQLite file; its directory is created when missing.
        writable: refuse a store that cannot be written (read-only file, directory or disk) now,
            with one clear message, rather than at its first write.

    Raises:
        StoreError: the file cannot be opened as SQLite, or its directory cannot be made.
        ReadOnlyStoreError: ``writable`` and the store cannot be written.
        SchemaError: the file is not a Khabri store, or was written by a newer version.
    """
    path = Path(path)
    if str(path) != ":memory:":
        _make_directory(path)
        try:
            # Opened once here first: when aiosqlite's connect fails, its thread outlives the call
            # and can report to an event loop that is gone, with a traceback of its own.
            await asyncio.to_thread(_open_and_close, path)
        except sqlite3.Error as error:
            raise classify(error, path) from error
    try:
        conn = await aiosqlite.connect(path, isolation_level=None)
    except sqlite3.Error as error:
        raise classify(error, path) from error
    try:
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        if writable:
            await _probe_write(conn)
        await migrations.apply(conn)
    except sqlite3.Error as error:
        await conn.close()
        raise classify(error, path) from error
    except BaseException:
        await conn.close()
        raise
    return Store(conn, path)


def _open_and_close(path: Path) -> None:
    sqlite3.connect(path).close()


def _make_directory(path: Path) -> None:
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next(
            (p for p in (directory, *directory.parents) if p.exists() and not p.is_dir()), directory
        )
        raise StoreError(
            f"cannot create the store {path}: {blocker} is a file, not a directory; "
            "point KHABRI_DB (or --db) at a file in a directory"
        ) from None
    except OSError as error:
        raise StoreError(
            f"cannot create the directory {directory} for the store {path}: {error.strerror}; "
            "create it yourself, or point KHABRI_DB (or --db) elsewhere"
        ) from None


async def _probe_write(conn: aiosqlite.Connection) -> None:
    """Fail now, with SQLITE_READONLY, when the store cannot be written; change nothing."""
    await conn.execute("BEGIN IMMEDIATE")
    try:
        async with conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        # Writing the header's own value back is a write SQLite refuses on a read-only file.
        await conn.execute(f"PRAGMA user_version = {int(row[0]) if row else 0}")
    finally:
        if conn.in_transaction:
            await conn.execute("ROLLBACK")
