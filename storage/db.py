"""A store's one connection (a SQLite file or a PostgreSQL database), migrations, ``transaction()``."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage import migrations
from storage.chats import Chats
from storage.coordination import AnsweredUpdates, Leases
from storage.errors import StoreError, classify
from storage.feeds import Feeds
from storage.meetings import Meetings
from storage.outbox import Outbox
from storage.postgres import connect as connect_postgres
from storage.postgres import is_postgres_url, redact
from storage.query import Query, SqliteQuery
from storage.questions import Questions
from storage.reports import Reports
from storage.search_positions import SearchPositions
from storage.snapshots import Snapshots
from storage.subscriptions import Subscriptions

BUSY_TIMEOUT_MS = 10_000
# Reads through a memory map of the file: when another connection (another worker, or the reply
# claims of bot.tg.once) writes, SQLite drops its own page cache; mapped pages stay in the OS cache.
MMAP_BYTES = 1 << 30


class Store:
    """A Khabri store: one connection, every write inside ``transaction()``.

    Open it with :func:`open_store`; close it with :meth:`close` (or ``async with``). ``path`` is the
    SQLite file (``None`` on PostgreSQL); ``location`` names the store in messages either way (a
    PostgreSQL URL without its password).
    """

    def __init__(self, query: Query, location: str, path: Path | None = None) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[object] | None = None
        self.path = path
        self.location = location
        self.dialect = query.dialect
        # Every query of the repositories below goes through this one helper, which maps the
        # driver's errors to the store's own; so does this class's BEGIN and COMMIT.
        self._query = query
        self.reports = Reports(query, self._require_transaction)
        self.questions = Questions(query, self._require_transaction)
        self.subscriptions = Subscriptions(query, self._require_transaction)
        self.outbox = Outbox(query, self._require_transaction)
        self.feeds = Feeds(query, self._require_transaction)
        self.meetings = Meetings(query, self._require_transaction)
        self.snapshots = Snapshots(query, self._require_transaction)
        self.chats = Chats(query, self._require_transaction)
        self.leases = Leases(query, self._require_transaction)
        self.updates = AnsweredUpdates(query, self._require_transaction)
        self.search_positions = SearchPositions(query, self._require_transaction)

    @property
    def statements(self) -> int:
        """How many statements the store has run on its connection (see :attr:`Query.statements`)."""
        return self._query.statements

    @property
    def writing(self) -> bool:
        """Whether a transaction (or :meth:`one_statement`) of this store is open or waiting to open."""
        return self._lock.locked()

    def _require_transaction(self) -> None:
        # Writes outside a transaction would autocommit piecemeal: a crash could leave half a report.
        if self._owner is None or self._owner is not asyncio.current_task():
            raise StoreError("writes must happen inside `async with store.transaction():`")

    @asynccontextmanager
    async def transaction(self, *, at_once: bool = False) -> AsyncIterator[None]:
        """Run the body in one transaction holding the write lock: commit on success, roll back on error.

        On SQLite that is ``BEGIN IMMEDIATE``; on PostgreSQL ``BEGIN`` and the store's advisory lock,
        so writers in other processes wait their turn as they would on SQLite. Transactions on one
        store are serialised; they do not nest. A driver error in the body or at commit leaves as the
        store's own error (a full disk is ``StoreFullError``, a read-only store ``ReadOnlyStoreError``),
        naming the store and what to do.

        ``at_once`` is for a short hot write whose body does nothing but run statements (an answer's
        count and question): on SQLite it runs on a second connection, synchronously, so the whole
        transaction happens in one step of the event loop and holds the file's write lock for its
        statements alone, not for the event loop's turns between trips to the database thread, which
        other worker processes would wait out. When the file is busy, or on PostgreSQL, it takes the
        ordinary way.
        """
        if self._owner is not None and self._owner is asyncio.current_task():
            raise StoreError("transactions do not nest")
        async with self._lock:
            if at_once and self._query.begin_at_once():
                self._owner = asyncio.current_task()
                try:
                    yield
                except BaseException:
                    self._owner = None
                    self._query.end_at_once(commit=False)
                    raise
                self._owner = None
                self._query.end_at_once(commit=True)
                return
            await self._query.begin()
            self._owner = asyncio.current_task()
            try:
                yield
            except BaseException:
                # The body's queries went through the query helper: a driver error is a StoreError now.
                self._owner = None
                await self._query.rollback()
                raise
            self._owner = None
            try:
                await self._query.commit()
            except StoreError:
                await self._query.rollback()
                raise

    @asynccontextmanager
    async def one_statement(self) -> AsyncIterator[None]:
        """Run the body's one write statement on its own, atomic as any single statement is.

        For a hot write that is one statement (``store.updates.claim``): no ``BEGIN`` and ``COMMIT``
        around it, so the write lock is held for that statement alone, in one trip to the database,
        rather than across three trips that each wait their turn on the event loop while other
        processes wait for the lock. The body must run exactly one write.
        """
        if self._owner is not None and self._owner is asyncio.current_task():
            raise StoreError("transactions do not nest")
        async with self._lock:
            self._owner = asyncio.current_task()
            try:
                yield
            finally:
                self._owner = None

    async def close(self) -> None:
        """Close the connection; the store is unusable afterwards."""
        await self._query.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


async def open_store(path: str | Path, *, writable: bool = True) -> Store:
    """Open (creating if needed) the store at ``path`` and bring its schema up to date.

    Args:
        path: the SQLite file (its directory is created when missing), or the URL of a PostgreSQL
            database, ``postgresql://user[:password]@host[:port]/database`` (the database must exist;
            its tables are created here).
        writable: refuse a store that cannot be written (read-only file, directory or disk; a
            read-only PostgreSQL server) now, with one clear message, rather than at its first write.

    Raises:
        StoreError: the file cannot be opened as SQLite, or its directory cannot be made; the
            PostgreSQL database does not exist or refuses the login.
        StoreFault: the PostgreSQL server cannot be reached.
        ReadOnlyStoreError: ``writable`` and the store cannot be written.
        SchemaError: the file is not a Khabri store, or was written by a newer version.
    """
    if is_postgres_url(path):
        return await _open_postgres(str(path), writable=writable)
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
        await conn.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        await conn.execute("PRAGMA foreign_keys = ON")
        if writable:
            await _probe_write(conn)
        query = SqliteQuery(conn, path)
        await migrations.apply(query)
    except sqlite3.Error as error:
        await conn.close()
        raise classify(error, path) from error
    except BaseException:
        await conn.close()
        raise
    return Store(query, str(path), path)


async def _open_postgres(url: str, *, writable: bool) -> Store:
    query = await connect_postgres(url, writable=writable)
    try:
        await migrations.apply(query)
    except BaseException:
        await query.close()
        raise
    return Store(query, redact(url))


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
