"""The store's connection, migrations and transactions, on real SQLite files and PostgreSQL databases."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import NewPassage, NewReport, SchemaError, Store, StoreError, open_store
from storage.migrations import MIGRATIONS
from tests.auxil.stores import execute, table_names

REPORT = NewReport(origin="file:a.txt", title="शीर्षक", body="पहला वाक्य। दूसरा वाक्य।")
PASSAGE = NewPassage(text="पहला वाक्य।", sentences=((0, 11),), terms=b"\x01\x00")


async def test_migrations_create_schema_on_empty_store(store_location: Path | str) -> None:
    async with await open_store(store_location):
        pass
    assert {"reports", "passages", "terms", "passage_log", "_migrations"} <= table_names(store_location)
    order = "seq" if isinstance(store_location, str) else "rowid"
    names = [row[0] for row in execute(store_location, f"SELECT name FROM _migrations ORDER BY {order}")]
    assert names == [m.name for m in MIGRATIONS]


async def test_migrations_on_migrated_store_apply_nothing_and_keep_data(store_location: Path | str) -> None:
    async with await open_store(store_location) as store, store.transaction():
        await store.reports.save(REPORT, [PASSAGE])
    async with await open_store(store_location) as store:
        assert await store.reports.count() == 1
    assert execute(store_location, "SELECT count(*) FROM _migrations") == [(len(MIGRATIONS),)]


async def test_unknown_migration_means_newer_schema(store_location: Path | str) -> None:
    async with await open_store(store_location):
        pass
    execute(store_location, "INSERT INTO _migrations (name, applied_at) VALUES ('9999_future', 'now')")
    with pytest.raises(SchemaError, match="newer"):
        await open_store(store_location)


async def test_a_file_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "not.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(SchemaError, match="not a Khabri store"):
        await open_store(path)


async def test_pragmas_are_set(db_path: Path) -> None:
    async with await open_store(db_path) as store:
        assert await store.reports.count() == 0
    with sqlite3.connect(db_path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


async def test_transaction_rolls_back_on_error(store: Store) -> None:
    async def crash_mid_ingest() -> None:
        async with store.transaction():
            await store.reports.save(REPORT, [PASSAGE])
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await crash_mid_ingest()
    assert await store.reports.count() == 0
    assert await store.reports.last_change() == 0
    assert await store.reports.passage_terms() == []


async def test_writes_outside_a_transaction_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="inside"):
        await store.reports.save(REPORT, [PASSAGE])


async def test_transactions_do_not_nest(store: Store) -> None:
    with pytest.raises(StoreError, match="nest"):
        async with store.transaction(), store.transaction():
            pass
    async with store.transaction():  # the store is still usable
        await store.reports.save(REPORT, [PASSAGE])
    assert await store.reports.count() == 1
