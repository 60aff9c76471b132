"""The one place storage talks to a database driver: every query goes through a :class:`Query`.

Two backends implement it: :class:`SqliteQuery` here (aiosqlite, the default) and
``storage.postgres.PostgresQuery`` (psycopg 3). Repositories write ``?`` placeholders and SQL both
databases understand; where the SQL must differ they look at :attr:`Query.dialect`. Each method runs
one statement and turns the driver's error into the store's own (:mod:`storage.errors`), so no read
or write lets a driver exception out of the package. Rows come back whole (one trip to the database
per statement), which is also the fastest way either driver has to hand them over.
"""

from __future__ import annotations

import contextlib
import sqlite3
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


class SqliteQuery(Query):
    """:class:`Query` on one aiosqlite connection to the file at ``path``."""

    dialect: Dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path

    async def run(self, sql: str, params: Sequence[object] = ()) -> Written:
        """Run one statement that returns no rows."""
        try:
            cursor = await self._conn.execute(sql, params)
        except sqlite3.Error as error:
            raise classify(error, self._path) from error
        return Written(cursor.rowcount, cursor.lastrowid)

    async def run_many(self, sql: str, rows: Iterable[Sequence[object]]) -> int:
        """Run one statement once per row of parameters; how many rows they changed in all."""
        try:
            # sqlite3 sums the changes of every row into rowcount (an ignored insert adds 0).
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
        try:
            async with self._conn.execute(sql, params) as cursor:
                return await cursor.fetchone()
        except sqlite3.Error as error:
            raise classify(error, self._path) from error

    async def all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Every row of a query."""
        try:
            async with self._conn.execute(sql, params) as cursor:
                # sqlite3 hands back a list already: no copy of a 100 000-row batch.
                return cast(list[Row], await cursor.fetchall())
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
        """Close the connection."""
        await self._conn.close()
