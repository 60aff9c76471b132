"""The store on PostgreSQL: :class:`PostgresQuery` over one psycopg 3 connection, and opening it.

The repositories write SQLite's ``?`` placeholders; :func:`translate` turns them into psycopg's
``%s`` (doubling a literal ``%``), once per distinct statement. The connection runs in autocommit, so
a read outside ``store.transaction()`` sees what is committed, as on SQLite; a transaction starts with
``BEGIN`` and then takes one transaction-scoped advisory lock, the store's write lock. Writers on one
store, in this process or any other, so take turns as SQLite's ``BEGIN IMMEDIATE`` makes them: the
passage log gains its entries in the order of its sequence numbers (a reader that has seen entry N
has seen every entry before it), and ids chosen ahead of an insert (``Reports.save_many``) are
nobody else's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from enum import StrEnum
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.types.string import StrDumper

from storage.errors import ReadOnlyStoreError, classify_postgres
from storage.query import Dialect, Query, Row, Written

__all__ = ["WRITE_LOCK", "PostgresQuery", "connect", "is_postgres_url", "redact"]

# The key of the store's write lock (pg_advisory_xact_lock): "khabri" in ASCII, as a number.
WRITE_LOCK = 0x6B6861627269
_SCHEMES = ("postgresql://", "postgres://")
# A ``?`` outside quotes is a placeholder; quoted strings and identifiers are copied as they are.
_TOKEN = re.compile(r"""'(?:[^']|'')*'|"(?:[^"]|"")*"|\?""")


def is_postgres_url(location: object) -> bool:
    """Whether a ``KHABRI_DB`` / ``--db`` value names a PostgreSQL database rather than a file."""
    return isinstance(location, str) and location.startswith(_SCHEMES)


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


@lru_cache(maxsize=1024)
def translate(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s``, with every literal ``%`` doubled.

    psycopg reads ``%`` as the start of a placeholder anywhere, quoted or not, so each is doubled;
    a ``?`` is a placeholder only outside quotes.
    """

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        return "%s" if token == "?" else token

    return _TOKEN.sub(replace, sql.replace("%", "%%"))


class PostgresQuery(Query):
    """:class:`Query` on one psycopg connection (autocommit; transactions are explicit)."""

    dialect: Dialect = "postgresql"

    def __init__(self, conn: psycopg.AsyncConnection[tuple[Any, ...]], where: str) -> None:
        self._conn = conn
        self._where = where

    async def run(self, sql: str, params: Sequence[object] = ()) -> Written:
        """Run one statement that returns no rows."""
        try:
            cursor = await self._conn.execute(translate(sql), params)
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error
        return Written(max(cursor.rowcount, 0), None)

    async def run_many(self, sql: str, rows: Iterable[Sequence[object]]) -> int:
        """Run one statement once per row of parameters (pipelined); how many rows they changed."""
        batch = list(rows)
        if not batch:
            return 0
        try:
            async with self._conn.cursor() as cursor:
                # psycopg sums the rows each execution changed (an insert that did nothing adds 0).
                await cursor.executemany(translate(sql), batch)
                return max(cursor.rowcount, 0)
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error

    async def insert_rows(self, table: str, columns: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """Stream the rows in with ``COPY … FROM STDIN``: no statement per row."""
        if not rows:
            return
        names = ", ".join(f'"{name}"' for name in columns)
        try:
            async with (
                self._conn.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    await copy.write_row(row)
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error

    async def one(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        """The first row of a query, or ``None`` when it has none."""
        try:
            cursor = await self._conn.execute(translate(sql), params, binary=True)
            return await cursor.fetchone()
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error

    async def all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Every row of a query."""
        try:
            # Binary results: a batch of index entries comes as its bytes, not as hex text to decode.
            cursor = await self._conn.execute(translate(sql), params, binary=True)
            rows = await cursor.fetchall()
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error
        return list[Row](rows)

    async def begin(self) -> None:
        """``BEGIN``, then the store's write lock, held until the transaction ends."""
        await self.run("BEGIN")
        await self.run("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))

    async def commit(self) -> None:
        """Commit the transaction."""
        await self.run("COMMIT")

    async def rollback(self) -> None:
        """Roll back the open (or failed) transaction, if there is one."""
        if self._conn.closed or self._conn.info.transaction_status == TransactionStatus.IDLE:
            return
        try:
            await self._conn.execute("ROLLBACK")
        except psycopg.Error:
            # The connection is in trouble already; the original error is what the caller raises.
            return

    async def close(self) -> None:
        """Close the connection."""
        await self._conn.close()


class _ValueDumper(StrDumper):
    """Our ``StrEnum`` states travel as their values (``'sent'``), as they do on SQLite."""

    def dump(self, obj: Any) -> bytes | bytearray | memoryview | None:
        return super().dump(str(obj.value))


async def connect(url: str, *, writable: bool = True) -> PostgresQuery:
    """Connect to the database at ``url`` and check that it can be written.

    Raises:
        StoreFault: the server cannot be reached.
        StoreError: the database does not exist, or the login is refused.
        ReadOnlyStoreError: ``writable`` and the server only reads (a standby, a read-only default).
    """
    where = redact(url)
    try:
        conn = await psycopg.AsyncConnection.connect(url, autocommit=True, application_name="khabri")
    except psycopg.Error as error:
        raise classify_postgres(error, where) from error
    conn.adapters.register_dumper(StrEnum, _ValueDumper)
    query = PostgresQuery(conn, where)
    try:
        if writable:
            row = await query.one("SELECT current_setting('transaction_read_only')")
            if row is not None and row[0] == "on":
                raise ReadOnlyStoreError(
                    f"the database {where} is read-only: point KHABRI_DB at the primary server, "
                    "or at another store"
                )
    except BaseException:
        await conn.close()
        raise
    return query
