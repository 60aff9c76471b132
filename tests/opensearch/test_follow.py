"""The OpenSearch index follows the store: replay from the acknowledged position, deletions, reindex."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.archive.core import Archive
from bot.archive.opensearch import OpenSearchSearch
from bot.archive.opensearch_reindex import reindex
from bot.archive.search_url import SearchError, SearchTarget, parse_search_url
from storage import open_store
from tests.opensearch import corpus
from tools.search_cluster import free_port


async def test_passages_stored_while_the_index_was_not_told_are_replayed_at_open(
    store_path: Path, search_url: str
) -> None:
    # A store the index never heard of: as if every bulk request had been lost after its commit.
    embedded = await Archive.open(store_path)
    await embedded.ingest_records(corpus.reports()[:20])
    last = await embedded.store.reports.last_change()
    await embedded.close()
    archive = await Archive.open(store_path, search=search_url)
    try:
        assert len(archive.search) == await archive.store.reports.passage_count()
        assert isinstance(archive.search, OpenSearchSearch)
        assert await archive.store.search_positions.get(archive.search.position_name) == last
        ranked = await archive.rank_reports(f"{corpus.CITIES[1]} {corpus.GROUPS[1]}", k=3)
        assert ranked[0] == await archive.store.reports.find_origin(corpus.report(1, 1).origin)
    finally:
        await archive.close()


async def test_a_crash_between_the_commit_and_the_bulk_request_is_repaired_at_the_next_start(
    store_path: Path, search_url: str
) -> None:
    first = await Archive.open(store_path, search=search_url)
    await first.close()
    # The same index, reached through a port where no node listens: the store commits, the bulk fails.
    target = parse_search_url(search_url)
    dead = OpenSearchSearch(SearchTarget((f"http://127.0.0.1:{free_port()}",), target.index), retry_for=0.5)
    cut_off = Archive(await open_store(store_path), dead)
    try:
        with pytest.raises(SearchError):
            await cut_off.ingest_records([corpus.report(4, 4)])
        assert await cut_off.store.reports.find_origin(corpus.report(4, 4).origin) is not None
    finally:
        await cut_off.close()
    again = await Archive.open(store_path, search=search_url)
    try:
        report_id = await again.store.reports.find_origin(corpus.report(4, 4).origin)
        assert (await again.rank_reports(f"{corpus.CITIES[4]} {corpus.GROUPS[4]}", k=3))[0] == report_id
        assert len(again.search) == await again.store.reports.passage_count()
    finally:
        await again.close()


async def test_replaying_the_whole_log_again_changes_nothing(store_path: Path, search_url: str) -> None:
    archive = await Archive.open(store_path, search=search_url)
    await archive.ingest_records(corpus.reports()[:10])
    before = len(archive.search)
    assert isinstance(archive.search, OpenSearchSearch)
    name = archive.search.position_name
    async with archive.store.transaction():
        await archive.store.search_positions.put(name, 0)
    await archive.close()
    again = await Archive.open(store_path, search=search_url)
    try:
        assert len(again.search) == before == await again.store.reports.passage_count()
    finally:
        await again.close()


async def test_a_replaced_reports_old_passages_leave_the_index(store_path: Path, search_url: str) -> None:
    archive = await Archive.open(store_path, search=search_url)
    try:
        old = corpus.report(5, 5)
        (added,) = await archive.ingest_records([old])
        old_passages = [p.id for p in await archive.store.reports.passages_of(added.report_id)]
        new = type(old)(
            origin=old.origin,
            title="जयपुर में व्यापारियों का जुलूस",
            body="जयपुर में व्यापारियों ने जुलूस निकाला। उन्होंने पार्किंग की मांग की।",
            where=old.where,
            published=old.published,
        )
        (replaced,) = await archive.ingest_records([new])
        assert replaced.status == "replaced"
        assert replaced.report_id == added.report_id
        assert len(archive.search) == await archive.store.reports.passage_count()
        hits = await archive.rank_reports("जयपुर व्यापारियों प्रदर्शन स्थानीय नेताओं", k=50)
        assert hits[0] == added.report_id  # the new text still names जयपुर and व्यापारियों
        _, ranked = await archive.query_groups("स्थानीय नेताओं ने कहा")
        found = {h.doc_id for h in await archive.search.rank(ranked, 100)}
        assert found.isdisjoint(old_passages)
        assert await archive.rank_reports("पार्किंग जुलूस", k=3) == [added.report_id]
    finally:
        await archive.close()


async def test_reindex_rebuilds_from_the_store_and_resumes_after_a_stop(
    store_path: Path, search_url: str
) -> None:
    embedded = await Archive.open(store_path)
    await embedded.ingest_records(corpus.reports())
    total = await embedded.store.reports.passage_count()
    await embedded.close()
    store = await open_store(store_path)
    backend = OpenSearchSearch.from_url(search_url)
    seen: list[tuple[int, int]] = []

    def stop_after_two(done: int, of: int) -> None:
        seen.append((done, of))
        if len(seen) == 2:
            raise KeyboardInterrupt

    try:
        with pytest.raises(KeyboardInterrupt):
            await reindex(backend, store, on_progress=stop_after_two, batch_size=50)
        assert seen == [(50, total), (100, total)]
        # Run again: it goes on from passage 100, not from the start.
        sent = await reindex(backend, store, batch_size=50)
        assert sent == total - 100
        assert await backend.count() == total
        assert await store.search_positions.get(backend.position_name) == await store.reports.last_change()
        assert await store.search_positions.get(backend.position_name + "@reindex") == 0
    finally:
        await backend.close()
        await store.close()
    archive = await Archive.open(store_path, search=search_url)
    try:
        right = await archive.store.reports.find_origin(corpus.report(8, 2).origin)
        assert (await archive.rank_reports(f"{corpus.CITIES[8]} {corpus.GROUPS[2]}", k=3))[0] == right
    finally:
        await archive.close()


async def test_an_index_fed_by_another_store_is_refused_until_reindexed(
    tmp_path: Path, search_url: str
) -> None:
    first = await Archive.open(tmp_path / "one.db", search=search_url)
    await first.ingest_records(corpus.reports()[:5])
    held = len(first.search)
    await first.close()
    with pytest.raises(SearchError, match="built from another store"):
        await Archive.open(tmp_path / "two.db", search=search_url)
    store = await open_store(tmp_path / "two.db")
    backend = OpenSearchSearch.from_url(search_url)
    try:
        await reindex(backend, store)
        assert await backend.count() == await store.reports.passage_count() != held
    finally:
        await backend.close()
        await store.close()
    again = await Archive.open(tmp_path / "two.db", search=search_url)
    await again.close()
