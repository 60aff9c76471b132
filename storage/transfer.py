"""Copy a whole store into another (SQLite to PostgreSQL, or back): resumable, then checked.

Tables are copied one after the other, each in primary-key order, a batch per transaction of the
destination; the same transaction records, in the destination's ``_copy_progress``, the key of the
batch's last row. A copy that is killed therefore resumes after the last batch it committed, and
never copies a row twice. When every table is done, each table of both stores is read again in key
order and compared by its row count and a digest of its rows (:func:`table_digest`), so a copy
that says it is done is one whose content is equal.

The identity counters come along too: a destination never hands out an id the source had already
used (a deleted report's id stays used; the outbox keys deliveries by report id).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from storage.db import Store
from storage.errors import StoreError
from storage.query import Query

__all__ = ["CopyReport", "TableCheck", "copy_store", "table_digest"]

PROGRESS = "_copy_progress"
# Tables other tables point at (foreign keys) go first; the rest follow in name order.
_PARENTS = ("reports", "feeds")
_SKIP = ("_migrations", PROGRESS)


@dataclass(frozen=True, slots=True)
class TableCheck:
    """One table in both stores after the copy: rows and digest on each side."""

    table: str
    source_rows: int
    target_rows: int
    source_digest: str
    target_digest: str

    @property
    def equal(self) -> bool:
        """Whether both sides hold the same rows."""
        return self.source_rows == self.target_rows and self.source_digest == self.target_digest


@dataclass(frozen=True, slots=True)
class CopyReport:
    """What a copy did: rows copied by this run, per table, and the check of every table."""

    copied: dict[str, int]
    checks: tuple[TableCheck, ...]

    @property
    def equal(self) -> bool:
        """Whether every table is equal in both stores."""
        return all(check.equal for check in self.checks)


async def tables(db: Query) -> list[str]:
    """The store's own tables, parents first."""
    if db.dialect == "postgresql":
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    names = sorted(str(row[0]) for row in await db.all(sql) if str(row[0]) not in _SKIP)
    return [n for n in _PARENTS if n in names] + [n for n in names if n not in _PARENTS]


async def columns(db: Query, table: str) -> tuple[list[str], list[str]]:
    """A table's columns in order, and those of its primary key in key order."""
    if db.dialect == "postgresql":
        rows = await db.all(
            "SELECT c.column_name, k.ordinal_position FROM information_schema.columns c"
            " LEFT JOIN information_schema.table_constraints t ON t.table_schema = c.table_schema"
            " AND t.table_name = c.table_name AND t.constraint_type = 'PRIMARY KEY'"
            " LEFT JOIN information_schema.key_column_usage k ON k.constraint_name = t.constraint_name"
            " AND k.table_schema = c.table_schema AND k.column_name = c.column_name"
            " WHERE c.table_schema = current_schema() AND c.table_name = ? ORDER BY c.ordinal_position",
            (table,),
        )
    else:
        rows = await db.all("SELECT name, pk FROM pragma_table_info(?) ORDER BY cid", (table,))
    names = [str(name) for name, _ in rows]
    key = [str(name) for name, position in sorted((r for r in rows if r[1]), key=lambda r: int(r[1]))]
    if not key:
        raise StoreError(f"the table {table} has no primary key to copy it by")
    return names, key


def _quoted(names: Sequence[str]) -> str:
    # Names come from the database's own catalogue, never from a user; quoted for "end".
    return ", ".join(f'"{name}"' for name in names)


async def _batch(
    db: Query, table: str, names: Sequence[str], key: Sequence[str], after: Sequence[object] | None, size: int
) -> list[Sequence[object]]:
    """Up to ``size`` rows of ``table`` in key order, after the key ``after`` (from the start if None)."""
    where = f"WHERE ({_quoted(key)}) > ({', '.join('?' * len(key))})" if after is not None else ""
    sql = f"SELECT {_quoted(names)} FROM {table} {where} ORDER BY {_quoted(key)} LIMIT ?"
    return await db.all(sql, (*(after or ()), size))


def _canonical(value: object) -> bytes:
    """One value as the digest sees it: the same on both backends for the same stored value."""
    if value is None:
        return b"\\N"
    if isinstance(value, bytes | bytearray | memoryview):
        return b"x" + bytes(value).hex().encode()
    if isinstance(value, float):
        return b"f" + repr(value).encode()
    if isinstance(value, int):
        return b"i" + str(value).encode()
    return b"s" + str(value).encode("utf-8")


async def table_digest(db: Query, table: str, *, batch: int = 5000) -> tuple[int, str]:
    """How many rows ``table`` has, and a digest of them: its column names and every row's content.

    The digest is the sum, modulo 2**256, of each row's SHA-256 (with the column names' hash), so it
    does not depend on the order rows come in: PostgreSQL may sort text keys by another collation
    than SQLite's byte order, and the same rows must still give the same digest.
    """
    names, key = await columns(db, table)
    total = int.from_bytes(hashlib.sha256("\x1f".join(names).encode()).digest())
    count = 0
    after: Sequence[object] | None = None
    positions = [names.index(k) for k in key]
    while rows := await _batch(db, table, names, key, after, batch):
        for row in rows:
            line = b"\x1f".join(_canonical(v) for v in row)
            total += int.from_bytes(hashlib.sha256(line).digest())
        count += len(rows)
        after = [rows[-1][i] for i in positions]
    return count, f"{total % 2**256:064x}"


async def _progress(db: Query) -> dict[str, tuple[list[object] | None, bool]]:
    await db.run(
        f"CREATE TABLE IF NOT EXISTS {PROGRESS} (name TEXT PRIMARY KEY, last_key TEXT, done INTEGER NOT NULL)"
    )
    rows = await db.all(f"SELECT name, last_key, done FROM {PROGRESS}")
    return {str(n): (None if k is None else list(json.loads(str(k))), bool(d)) for n, k, d in rows}


async def _high_water(db: Query, table: str, column: str) -> int:
    """The largest id ``table`` has used for ``column``, deleted rows included, as far as the store knows."""
    row = await db.one(f'SELECT max("{column}") FROM {table}')
    used = row[0] if row is not None and isinstance(row[0], int) else 0
    if db.dialect == "postgresql":
        row = await db.one("SELECT pg_get_serial_sequence(?, ?)", (table, column))
        if row is not None and row[0] is not None:
            seq = await db.one(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {row[0]}")
            used = max(used, int(seq[0]) if seq else 0)
    else:
        row = await db.one("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,))
        used = max(used, int(row[0]) if row else 0)
    return used


async def _carry_counter(source: Query, target: Query, table: str, column: str) -> None:
    """Make the target's next id for ``table`` follow every id the source has used."""
    used = await _high_water(source, table, column)
    if used == 0:  # an empty table, or a key that is not a counter (a name, an hour)
        return
    if target.dialect == "postgresql":
        row = await target.one("SELECT pg_get_serial_sequence(?, ?)", (table, column))
        if row is not None and row[0] is not None:
            await target.run("SELECT setval(?, ?)", (str(row[0]), used))
        return
    if await target.one("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'") is None:
        return
    written = await target.run("UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?", (used, table))
    if written.rowcount == 0 and await target.one(
        "SELECT 1 FROM sqlite_master WHERE name = ? AND sql LIKE '%AUTOINCREMENT%'", (table,)
    ):
        await target.run("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, used))


async def copy_store(
    source: Store, target: Store, *, batch: int = 5000, told: Callable[[str, int], None] | None = None
) -> CopyReport:
    """Copy every row of ``source`` into ``target``, resuming a copy that was cut short, then check.

    Args:
        source: the store to copy; it is only read.
        target: an empty store (its schema made by ``open_store``), or one a copy from the same kind
            of source was cut short in.
        batch: rows per transaction of the target.
        told: called with (table, rows copied so far) after each batch.

    Raises:
        StoreError: ``target`` holds rows of a table that no unfinished copy put there.
        ValueError: ``batch`` is not positive.
    """
    if batch < 1:
        raise ValueError(f"batch must be at least 1, not {batch}")
    src, dst = source._query, target._query
    async with target.transaction():
        progress = await _progress(dst)
    names_of = {table: await columns(src, table) for table in await tables(src)}
    for table in names_of:
        if table not in progress and await dst.one(f"SELECT 1 FROM {table} LIMIT 1") is not None:
            raise StoreError(
                f"{target.location} already holds rows in {table}, and no copy into it was cut short: "
                "copy into an empty store"
            )
    copied: dict[str, int] = {}
    for table, (names, key) in names_of.items():
        after, done = progress.get(table, (None, False))
        copied[table] = 0
        if done:
            continue
        positions = [names.index(k) for k in key]
        while True:
            rows = await _batch(src, table, names, key, after, batch)
            async with target.transaction():
                if rows:
                    await dst.insert_rows(table, names, rows)
                    after = [rows[-1][i] for i in positions]
                await dst.run(
                    f"INSERT INTO {PROGRESS} (name, last_key, done) VALUES (?, ?, ?)"
                    " ON CONFLICT (name) DO UPDATE SET last_key = excluded.last_key, done = excluded.done",
                    (table, None if after is None else json.dumps(after), int(len(rows) < batch)),
                )
            copied[table] += len(rows)
            if told is not None:
                told(table, copied[table])
            if len(rows) < batch:
                break
    async with target.transaction():
        for table, (_, key) in names_of.items():
            if len(key) == 1:
                await _carry_counter(src, dst, table, key[0])
    checks = []
    for table in names_of:
        source_rows, source_digest = await table_digest(src, table, batch=batch)
        target_rows, target_digest = await table_digest(dst, table, batch=batch)
        checks.append(TableCheck(table, source_rows, target_rows, source_digest, target_digest))
    return CopyReport(copied, tuple(checks))
