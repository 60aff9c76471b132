"""What only the PostgreSQL backend has: its write lock across connections, its errors, its placeholders."""

from __future__ import annotations

import asyncio

import pytest

from storage import NewPassage, NewReport, ReadOnlyStoreError, StoreError, StoreFault, open_store
from storage.postgres import redact, translate
from tests.auxil.stores import PostgresForTests, execute


def test_placeholders_outside_quotes_become_psycopg_ones() -> None:
    sql = """SELECT '?', "a?b", x FROM t WHERE a = ? AND b LIKE '50%' AND c = ?"""
    assert translate(sql) == """SELECT '?', "a?b", x FROM t WHERE a = %s AND b LIKE '50%%' AND c = %s"""


def test_a_password_never_reaches_a_message() -> None:
    assert (
        redact("postgresql://bot:s3cret@db.example:5433/khabri")
        == "postgresql://bot:***@db.example:5433/khabri"
    )
    assert redact("postgresql://bot@db/khabri") == "postgresql://bot@db/khabri"


async def test_writers_on_two_connections_take_turns(postgres: PostgresForTests) -> None:
    url = postgres.new_database()
    async with await open_store(url) as first, await open_store(url) as second:
        inside = asyncio.Event()

        async def write_second() -> None:
            async with second.transaction():
                inside.set()
                await second.reports.save(NewReport("file:b", "ख", "ख।"), [NewPassage("ख।", ((0, 2),), b"b")])

        async with first.transaction():
            await first.reports.save(NewReport("file:a", "क", "क।"), [NewPassage("क।", ((0, 2),), b"a")])
            waiting = asyncio.create_task(write_second())
            await asyncio.sleep(0.3)
            # The second writer waits for the lock, as a second SQLite writer waits for BEGIN IMMEDIATE.
            assert not inside.is_set()
        await waiting
        # So the passage log is in commit order: the first report's entries come first.
        changes = await second.reports.changes(after_seq=0)
        assert [c.report_id for c in changes] == [1, 2]


async def test_a_server_that_is_not_there_is_a_fault_naming_it_without_the_password() -> None:
    with pytest.raises(StoreFault, match="cannot use the PostgreSQL server") as raised:
        await open_store("postgresql://bot:s3cret@127.0.0.1:1/khabri")
    assert "s3cret" not in str(raised.value)
    assert "127.0.0.1:1" in str(raised.value)


async def test_a_database_that_does_not_exist_says_so(postgres: PostgresForTests) -> None:
    url = postgres.new_database() + "_missing"
    with pytest.raises(StoreError, match="does not exist") as raised:
        await open_store(url)
    assert "createdb" in str(raised.value)
    assert not isinstance(raised.value, StoreFault)


async def test_a_read_only_database_is_refused_for_writing_and_read_otherwise(
    postgres: PostgresForTests,
) -> None:
    url = postgres.new_database()
    async with await open_store(url) as store, store.transaction():
        await store.reports.save(NewReport("file:a", "क", "क।"), [])
    name = url.rsplit("/", 1)[1]
    execute(postgres.require().url(), f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')
    with pytest.raises(ReadOnlyStoreError, match="read-only"):
        await open_store(url)
    async with await open_store(url, writable=False) as store:
        assert await store.reports.count() == 1
        with pytest.raises(ReadOnlyStoreError):
            async with store.transaction():
                await store.reports.save(NewReport("file:b", "ख", "ख।"), [])


async def test_a_connection_the_server_dropped_is_made_again(postgres: PostgresForTests) -> None:
    url = postgres.new_database()
    admin = postgres.require().url()

    def drop_connections() -> None:
        name = url.rsplit("/", 1)[1]
        execute(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?", (name,))

    async with await open_store(url) as store:
        async with store.transaction():
            await store.reports.save(NewReport("file:a", "क", "क।"), [])
        drop_connections()
        # A read finds the connection gone, connects again and answers.
        assert await store.reports.count() == 1
        drop_connections()
        async with store.transaction():  # so does the BEGIN of a transaction
            await store.reports.save(NewReport("file:b", "ख", "ख।"), [])

        async def lose_it_mid_transaction() -> None:
            async with store.transaction():
                await store.reports.save(NewReport("file:c", "ग", "ग।"), [])
                drop_connections()
                await store.reports.save(NewReport("file:d", "घ", "घ।"), [])

        # Inside a transaction the loss is the caller's: the transaction is gone with the connection.
        with pytest.raises(StoreFault):
            await lose_it_mid_transaction()
        assert await store.reports.count() == 2
