"""Copying a store into another: SQLite to PostgreSQL and back, equal by counts and digests."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import NewDelivery, NewPassage, NewReport, Store, StoreError, copy_store, open_store
from tests.auxil.stores import PostgresForTests, execute


async def fill(store: Store, reports: int = 30) -> None:
    async with store.transaction():
        for i in range(reports):
            body = f"वाक्य {i}। दूसरा {i}।"
            passages = [
                NewPassage(f"वाक्य {i}।", ((0, 8),), bytes([i % 256, 0, 255]) * (j + 1)) for j in range(3)
            ]
            await store.reports.save(NewReport(f"file:{i}.txt", f"शीर्षक {i}", body), passages)
        await store.reports.intern_terms([f"शब्द{i}" for i in range(50)])
        await store.outbox.enqueue([NewDelivery(-100123456789, 1, None, "खबर <b>1</b>")])
        await store.outbox.retry_later(1, 1733050000.25, "429")
        await store.subscriptions.add(-100123456789, "अखिलेश", "hi", 0)
        await store.snapshots.put("lexicon", 7, b"\x00\x01binary\xff")
        await store.chats.set_language(42, "en")
        feed, _ = await store.feeds.add("https://example.com/rss")
        await store.feeds.mark_seen(feed.id, "entry-1", 1)
        await store.outbox.set_cursor("match", 9)
        # A deleted report's id stays used: the copy must not hand it out again.
        await store.reports.delete(reports)


@pytest.mark.parametrize("direction", ["sqlite-to-postgresql", "postgresql-to-sqlite"])
async def test_a_copy_is_equal_table_by_table(
    direction: str, tmp_path: Path, postgres: PostgresForTests
) -> None:
    sqlite_file, url = tmp_path / "store.db", postgres.new_database()
    source, target = (sqlite_file, url) if direction == "sqlite-to-postgresql" else (url, sqlite_file)
    async with await open_store(source) as src:
        await fill(src)
        async with await open_store(target) as dst:
            report = await copy_store(src, dst, batch=7)
            assert report.equal
            tables = {check.table: check for check in report.checks}
            assert tables["passages"].target_rows == 29 * 3
            assert tables["terms"].target_rows == 50
            # The copy reads and writes like the store it was: the same reports, the same next id.
            assert await dst.reports.count() == 29
            assert (await dst.outbox.of_chat(-100123456789))[0].next_attempt_at == 1733050000.25
            async with dst.transaction():
                [added] = await dst.reports.save_many([(NewReport("file:new", "नया", "नया।"), [])])
            assert added.report_id == 31
            assert [r[0] for r in execute(target, "SELECT id FROM reports WHERE id > 28 ORDER BY id")] == [
                29,
                31,
            ]


async def test_a_store_with_rows_of_its_own_is_refused(tmp_path: Path, postgres: PostgresForTests) -> None:
    url = postgres.new_database()
    async with await open_store(tmp_path / "a.db") as src, await open_store(url) as dst:
        await fill(src, 3)
        await fill(dst, 1)
        with pytest.raises(StoreError, match="already holds rows"):
            await copy_store(src, dst)
        assert await dst.reports.count() == 0  # fill(dst, 1) deleted its one report; nothing was added
