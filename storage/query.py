"""The one place storage talks to a database driver: every query goes through a :class:`Query`.

Two backends implement it: :class:`SqliteQuery` here (aiosqlite, the default) and
``storage.postgres.PostgresQuery`` (psycopg 3). Repositories write ``?`` placeholders and SQL both
databases understand; where the SQL must differ they look at :attr:`Query.dialect`. Each method runs
one statement and turns the driver's error into the store's own (:mod:`storage.errors`), so no read
or write lets a driver exception out of the package. Rows come back whole (one trip to the database
per statement), which is also the fastest way either driver has to hand them over. One trip matters
with several processes on one SQLite file: a read whose statement stayed open across trips would hold
a snapshot while another task of this process began a write, and SQLite refuses such a ``BEGIN
IMMEDIATE`` at once (SQLITE_BUSY, a stale snapshot) instead of waiting out ``busy_timeout``.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeAlias, cast

import aiosqlite

from storage.errors import classify

__all__ = ["Dialect", "Query", "Row", "SqliteQuery", "Written"]

Row: TypeAlias = Sequence[Any]
Dialect: TypeAlias = Literal["sqlite", "postgresql"]

# How long run_at_once may hold up the caller waiting for another process's write lock.
AT_ONCE_BUSY_MS = 20


def _busy(error: sqlite3.OperationalError) -> bool:
    return error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


@dataclass(frozen=True, slots=True)
class Written:
    """What one write statement did: rows changed, and the id of the row it inserted (if any).

    ``lastrowid`` is SQLite's; on PostgreSQL a statement that needs the id says ``RETURNING id`` and
    reads it with :meth:`Query.one` instead.
    """

    rowcount: int
    lastrowid: int | None


class Query(ABC):
    """Run parameterised SQL on one connection, mapping driver errors to ``StoreError`` subclasses."""

    dialect: Dialect
    statements: int = 0
    """How many statements this connection has run (a copy, a batch of rows, counts as one): the
    number of trips to the database, which tests read to hold the question path to one read."""

    @abstractmethod
    async def run(self, sql: str, params: Sequence[object] = ()) -> Written:
        """Run one statement that returns no rows."""

    @abstractmethod
    async def run_many(self, sql: str, rows: Iterable[Sequence[object]]) -> int:
        """Run one statement once per row of parameters; how many rows they changed in all."""

    @abstractmethod
    async def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """Insert rows into one of our tables (a name from our code, never user input), no conflict allowed.

        The bulk path of an ingest: SQLite runs one INSERT per row in one ``executemany``; PostgreSQL
        streams them with ``COPY``, which costs no statement per row.
        """

    @abstractmethod
    async def one(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        """The first row of a query, or ``None`` when it has none."""

    @abstractmethod
    async def all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Every row of a query."""

    @abstractmethod
    async def begin(self) -> None:
        """Start a write transaction, holding the store's write lock until it ends."""

    @abstractmethod
    async def commit(self) -> None:
        """Commit the transaction."""

    @abstractmethod
    async def rollback(self) -> None:
        """Roll back the transaction if one is open; never raises (the error that led here matters)."""

    @abstractmethod
    async def close(self) -> None:
        """Close the connection."""

    # The at-once path: a short hot write run synchronously, in one step of the event loop. Only
    # SQLite has it (a second connection to the same file); elsewhere these say "not here" and the
    # caller takes the ordinary path.

    def run_at_once(self, sql: str, params: Sequence[object] = ()) -> Written | None:
        """Run one write statement now, synchronously and autocommitted; ``None`` when it cannot."""
        return None

    def begin_at_once(self) -> bool:
        """Begin an at-once transaction; False (nothing begun) when this backend or the file cannot."""
        return False

    def end_at_once(self, *, commit: bool) -> None:  # noqa: B027 - a no-op where begin_at_once never begins
        """Commit (or roll back) the at-once transaction."""

    def close_at_once(self) -> None:  # noqa: B027 - nothing to close where there is no at-once path
        """Close the at-once connection, if one was opened."""


class SqliteQuery(Query):
    """:class:`Query` on one aiosqlite connection to the file at ``path``."""

    dialect: Dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path
        self._at_once: sqlite3.Connection | None = None
        self._at_once_lock = threading.Lock()
        # The at-once connection while a transaction runs there (begin_at_once), else None.
        self._direct: sqlite3.Connection | None = None

    async def run(self, sql: str, params: Sequence[object] = ()) -> Written:
        """Run one statement that returns no rows."""
        self.statements += 1
        try:
            if self._direct is not None:
                done = self._direct.execute(sql, params)
                return Written(done.rowcount, done.lastrowid)
            cursor = await self._conn.execute(sql, params)
        except sqlite3.Error as error:
            raise classify(error, self._path) from error
        return Written(cursor.rowcount, cursor.lastrowid)

    async def run_many(self, sql: str, rows: Iterable[Sequence[object]]) -> int:
        """Run one statement once per row of parameters; how many rows they changed in all."""
        self.statements += 1
        try:
            # sqlite3 sums the changes of every row into rowcount (an ignored insert adds 0).
            if self._direct is not None:
                return max(self._direct.executemany(sql, rows).rowcount, 0)
            cursor = await self._conn.executemany(sql, rows)
        except sqlite3.Error as error:
            raise classify(error, self._path) from error
        return max(cursor.rowcount, 0)

    async def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """Insert rows with one ``executemany``."""
        if rows:
            marks = ", ".join("?" * len(columns))
            names = ", ".join(f'"{name}"' for name in columns)  # quoted: meetings has a column "end"
            await self.run_many(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    async def one(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        """The first row of a query, or ``None`` when it has none."""
        self.statements += 1
        try:
            if self._direct is not None:
                return cast(Row | None, self._direct.execute(sql, params).fetchone())
            rows = await self._conn.execute_fetchall(sql, params)
        except sqlite3.Error as error:
            raise classify(error, self._path) from error
        return next(iter(rows), None)

    async def all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Every row of a query."""
        self.statements += 1
        try:
            # sqlite3 hands back a list already: no copy of a 100 000-row batch.
            if self._direct is not None:
                return cast(list[Row], self._direct.execute(sql, params).fetchall())
            return cast(list[Row], await self._conn.execute_fetchall(sql, params))
        except sqlite3.Error as error:
            raise classify(error, self._path) from error

    async def begin(self) -> None:
        """``BEGIN IMMEDIATE``: take SQLite's write lock now, not at the first write."""
        await self.run("BEGIN IMMEDIATE")

    async def commit(self) -> None:
        """Commit the transaction."""
        await self.run("COMMIT")

    async def rollback(self) -> None:
        """Roll back, unless SQLite did already (it does after a full disk or an I/O error)."""
        # Rolling back again would fail with "no transaction is active" and hide the error that matters.
        if self._conn.in_transaction:
            # If this fails too, the connection is in trouble already; the original error is raised.
            with contextlib.suppress(sqlite3.Error):
                await self._conn.execute("ROLLBACK")

    async def close(self) -> None:
        """Close the connection (and the at-once one)."""
        self.close_at_once()
        await self._conn.close()

    def run_at_once(self, sql: str, params: Sequence[object] = ()) -> Written | None:
        """Run one write statement now, synchronously, autocommitted, on a connection of its own.

        No trip to the database thread and none back through the event loop, so whatever the caller
        does next happens right after the commit (``bot.tg.once`` writes its request then). The
        caller is held up for the statement, and at most ``AT_ONCE_BUSY_MS`` ms when another process
        holds the file's write lock; then it returns ``None`` (nothing written) and the caller
        should take the ordinary path. It must not be called while this store's own transaction is
        open: it would wait for it.
        """
        if str(self._path) == ":memory:":
            return None
        with self._at_once_lock:
            try:
                cursor = self._at_once_connection().execute(sql, params)
            except sqlite3.OperationalError as error:
                if _busy(error):
                    return None
                raise classify(error, self._path) from error
            except sqlite3.Error as error:
                raise classify(error, self._path) from error
            return Written(cursor.rowcount, cursor.lastrowid)

    def _at_once_connection(self) -> sqlite3.Connection:
        if self._at_once is None:
            self._at_once = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            self._at_once.execute(f"PRAGMA busy_timeout = {AT_ONCE_BUSY_MS}")
            # As the main connection: no fsync at each commit (WAL keeps it safe), and the
            # checkpoints left to the main connection's thread, off the caller's.
            self._at_once.execute("PRAGMA synchronous = NORMAL")
            self._at_once.execute("PRAGMA foreign_keys = ON")
            self._at_once.execute("PRAGMA wal_autocheckpoint = 0")
        return self._at_once

    def begin_at_once(self) -> bool:
        """Begin a transaction on the at-once connection; False (nothing begun) if the file is busy.

        Until :meth:`end_at_once`, every statement of this helper runs there, synchronously: a
        transaction whose body only runs statements then happens in one step of the event loop,
        holding the file's write lock for its statements alone (see ``Store.transaction``).
        """
        if str(self._path) == ":memory:":
            return False
        try:
            self._at_once_connection().execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if _busy(error):
                return False
            raise classify(error, self._path) from error
        except sqlite3.Error as error:
            raise classify(error, self._path) from error
        self._direct = self._at_once
        return True

    def end_at_once(self, *, commit: bool) -> None:
        """Commit (or roll back) the at-once transaction; statements go to the main connection again.

        Raises:
            StoreError: the commit failed (the transaction is rolled back).
        """
        conn, self._direct = self._direct, None
        if conn is None:
            return
        try:
            conn.execute("COMMIT" if commit else "ROLLBACK")
        except sqlite3.Error as error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise classify(error, self._path) from error

    def close_at_once(self) -> None:
        """Close the connection of :meth:`run_at_once`, if it was opened."""
        with self._at_once_lock:
            if self._at_once is not None:
                self._at_once.close()
                self._at_once = None
