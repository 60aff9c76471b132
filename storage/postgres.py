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

import logging
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

log = logging.getLogger(__name__)

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
    """:class:`Query` on one psycopg connection (autocommit; transactions are explicit).

    A connection the server dropped (a restart, a failover, an idle timeout) is made again before the
    next statement outside a transaction, and a read or a ``BEGIN`` that found it dropped is tried
    once more on the new one; inside a transaction the error is the caller's, since the transaction
    is lost with the connection, and the next one starts on a new connection.
    """

    dialect: Dialect = "postgresql"

    def __init__(self, conn: psycopg.AsyncConnection[tuple[Any, ...]], url: str) -> None:
        self._conn = conn
        self._url = url
        self._where = redact(url)
        self._in_transaction = False
        self._closed = False

    async def _connection(self) -> psycopg.AsyncConnection[tuple[Any, ...]]:
        if (self._conn.broken or self._conn.closed) and not self._in_transaction and not self._closed:
            log.info("the connection to %s was lost; connecting again", self._where)
            self._conn = await _open(self._url, self._where)
        return self._conn

    async def _execute(
        self, sql: str, params: Sequence[object], *, binary: bool = False, retry: bool = False
    ) -> psycopg.AsyncCursor[tuple[Any, ...]]:
        """Run one statement; ``retry``: once more on a new connection if the server dropped this one."""
        conn = await self._connection()
        self.statements += 1
        try:
            return await conn.execute(translate(sql), params, binary=binary)
        except psycopg.OperationalError as error:
            if not (retry and conn.broken and not self._in_transaction):
                raise classify_postgres(error, self._where) from error
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error
        conn = await self._connection()
        try:
            return await conn.execute(translate(sql), params, binary=binary)
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error

    async def run(self, sql: str, params: Sequence[object] = ()) -> Written:
        """Run one statement that returns no rows."""
        cursor = await self._execute(sql, params)
        return Written(max(cursor.rowcount, 0), None)

    async def run_many(self, sql: str, rows: Iterable[Sequence[object]]) -> int:
        """Run one statement once per row of parameters (pipelined); how many rows they changed."""
        batch = list(rows)
        if not batch:
            return 0
        self.statements += 1
        conn = await self._connection()
        try:
            async with conn.cursor() as cursor:
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
        conn = await self._connection()
        self.statements += 1
        try:
            async with (
                conn.cursor() as cursor,
                cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    await copy.write_row(row)
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error

    async def one(self, sql: str, params: Sequence[object] = ()) -> Row | None:
        """The first row of a query, or ``None`` when it has none."""
        cursor = await self._execute(sql, params, binary=True, retry=True)
        try:
            return await cursor.fetchone()
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error

    async def all(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """Every row of a query."""
        # Binary results: a batch of index entries comes as its bytes, not as hex text to decode.
        cursor = await self._execute(sql, params, binary=True, retry=True)
        try:
            rows = await cursor.fetchall()
        except psycopg.Error as error:
            raise classify_postgres(error, self._where) from error
        return list[Row](rows)

    async def begin(self) -> None:
        """``BEGIN``, then the store's write lock, held until the transaction ends."""
        await self._execute("BEGIN", (), retry=True)
        self._in_transaction = True
        await self.run("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK,))

    async def commit(self) -> None:
        """Commit the transaction."""
        try:
            await self.run("COMMIT")
        finally:
            self._in_transaction = False

    async def rollback(self) -> None:
        """Roll back the open (or failed) transaction, if there is one."""
        self._in_transaction = False
        if self._conn.closed or self._conn.info.transaction_status == TransactionStatus.IDLE:
            return
        try:
            await self._conn.execute("ROLLBACK")
        except psycopg.Error:
            # The connection is in trouble already; the original error is what the caller raises.
            return

    async def close(self) -> None:
        """Close the connection."""
        self._closed = True
        await self._conn.close()


class _ValueDumper(StrDumper):
    """Our ``StrEnum`` states travel as their values (``'sent'``), as they do on SQLite."""

    def dump(self, obj: Any) -> bytes | bytearray | memoryview | None:
        return super().dump(str(obj.value))


async def _open(url: str, where: str) -> psycopg.AsyncConnection[tuple[Any, ...]]:
    try:
        conn = await psycopg.AsyncConnection.connect(url, autocommit=True, application_name="khabri")
    except psycopg.Error as error:
        raise classify_postgres(error, where) from error
    conn.adapters.register_dumper(StrEnum, _ValueDumper)
    return conn


async def connect(url: str, *, writable: bool = True) -> PostgresQuery:
    """Connect to the database at ``url`` and check that it can be written.

    Raises:
        StoreFault: the server cannot be reached.
        StoreError: the database does not exist, or the login is refused.
        ReadOnlyStoreError: ``writable`` and the server only reads (a standby, a read-only default).
    """
    where = redact(url)
    conn = await _open(url, where)
    query = PostgresQuery(conn, url)
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
