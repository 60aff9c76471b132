"""The one place storage talks to the SQLite driver: every query goes through :class:`Query`.

Each method runs one statement and turns the driver's ``sqlite3.Error`` into the store's own error
(:func:`storage.errors.classify`), so no read or write lets a driver exception out of the package.
Rows come back whole, in one trip to the database thread per statement (``execute_fetchall``), which
is also the fastest way aiosqlite has to hand them over. One trip matters with several processes on
one file: a read whose statement stayed open across trips would hold a snapshot while another task of
this process began a write, and SQLite refuses such a ``BEGIN IMMEDIATE`` at once (SQLITE_BUSY, a stale
snapshot) instead of waiting out ``busy_timeout``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeAlias, cast

import aiosqlite

from storage.errors import classify

__all__ = ["Query", "Row", "Written"]

Row: TypeAlias = aiosqlite.Row


@dataclass(frozen=True, slots=True)
class Written:
    """What one write statement did: rows changed, and the id of the row it inserted (if any)."""

    rowcount: int
    lastrowid: int | None


class Query:
    """Run parameterised SQL on one connection, mapping driver errors to ``StoreError`` subclasses."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path

    @property
    def total_changes(self) -> int:
        """Rows changed on this connection since it was opened (counts what ``INSERT OR IGNORE`` kept)."""
        return self._conn.total_changes

    async def run(self, sql: str, params: Sequence[object] = ()) -> Written:
        """Run one statement that returns no rows."""
        try:
            cursor = await self._conn.execute(sql, params)
        except sqlite3.Error as error:
            raise classify(error, self._path) from error
        return Written(cursor.rowcount, cursor.lastrowid)

    async def run_many(self, sql: str, rows: Iterable[Sequence[object]]) -> None:
        """Run one statement once per row of parameters."""
        try:
            await self._conn.executemany(sql, rows)
        except sqlite3.Error as error:
            raise classify(error, self._path) from error

    async def one(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        """The first row of a query, or ``None`` when it has none."""
        try:
            rows = await self._conn.execute_fetchall(sql, params)
        except sqlite3.Error as error:
            raise classify(error, self._path) from error
        return next(iter(rows), None)

    async def all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Every row of a query."""
        try:
            # sqlite3 hands back a list already: no copy of a 100 000-row batch.
            return cast(list[Row], await self._conn.execute_fetchall(sql, params))
        except sqlite3.Error as error:
            raise classify(error, self._path) from error
