"""Saving, replacing and reading reports and the passage log."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storage import NewPassage, NewReport, NotFoundError, Store, open_store
from tests.auxil.stores import PostgresForTests, execute, fresh_location

# The property tests below make a store per example on the backend of the test's parameter.
PER_EXAMPLE = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


def report(origin: str = "file:a.txt", body: str = "पहला वाक्य। दूसरा वाक्य।", **kw: str) -> NewReport:
    return NewReport(origin=origin, title=kw.pop("title", "शीर्षक"), body=body, **kw)


def passages(body: str) -> list[NewPassage]:
    parts = [p for p in body.split("।") if p.strip()]
    return [NewPassage(text=p, sentences=((0, len(p)),), terms=p.encode()[:8]) for p in parts]


async def save(store: Store, new: NewReport) -> tuple[str, int]:
    async with store.transaction():
        result = await store.reports.save(new, passages(new.body))
    return result.status, result.report_id


async def test_save_adds_report_with_passages_in_order(store: Store) -> None:
    status, rid = await save(store, report(url="https://example.com/a", published="2023-03-17"))
    assert status == "added"
    got = await store.reports.get(rid)
    assert (got.url, got.published, got.title) == ("https://example.com/a", "2023-03-17", "शीर्षक")
    assert [p.text for p in await store.reports.passages_of(rid)] == ["पहला वाक्य", " दूसरा वाक्य"]


async def test_same_content_again_is_unchanged(store: Store) -> None:
    _, rid = await save(store, report())
    assert await save(store, report()) == ("unchanged", rid)
    assert await store.reports.count() == 1


async def test_same_content_from_another_origin_is_a_duplicate(store: Store) -> None:
    _, rid = await save(store, report())
    assert await save(store, report(origin="file:b.txt")) == ("duplicate", rid)
    assert await store.reports.count() == 1


async def test_new_content_at_same_origin_replaces_and_keeps_the_id(store: Store) -> None:
    _, rid = await save(store, report())
    old = {p.id for p in await store.reports.passages_of(rid)}
    status, rid2 = await save(store, report(body="नया वाक्य। और एक। तीसरा।"))
    assert (status, rid2) == ("replaced", rid)
    new = await store.reports.passages_of(rid)
    assert [p.text.strip() for p in new] == ["नया वाक्य", "और एक", "तीसरा"]
    assert not old & {p.id for p in new}
    changes = await store.reports.changes(after_seq=0)
    assert [(c.op, c.passage_id) for c in changes if c.op == "del"] == [("del", i) for i in sorted(old)]
    assert all(c.terms is not None for c in changes if c.op == "del")
    assert await store.reports.count() == 1


async def test_log_add_for_a_since_deleted_passage_has_no_terms(store: Store) -> None:
    _, rid = await save(store, report())
    async with store.transaction():
        await store.reports.delete(rid)
    adds = [c for c in await store.reports.changes(after_seq=0) if c.op == "add"]
    assert adds
    assert all(c.terms is None for c in adds)
    with pytest.raises(NotFoundError):
        await store.reports.get(rid)


async def test_intern_terms_gives_stable_ids(store: Store) -> None:
    async with store.transaction():
        first = await store.reports.intern_terms(["w:a", "k:b"])
    async with store.transaction():
        second = await store.reports.intern_terms(["k:b", "s:c", "w:a"])
    assert second["w:a"] == first["w:a"]
    assert second["k:b"] == first["k:b"]
    assert len(set(second.values())) == 3
    assert await store.reports.term_ids(["w:a", "zzz"]) == {"w:a": first["w:a"]}
    assert [t for _, t in await store.reports.terms_with_prefix("k:")] == ["k:b"]


async def test_summaries_are_newest_first_with_counts(store: Store) -> None:
    await save(store, report(origin="o1", body="एक। दो।", published="2020-01-01"))
    await save(store, report(origin="o2", body="तीन।", published="2024-05-05"))
    rows = await store.reports.summaries()
    assert [(r.published, r.passages) for r in rows] == [("2024-05-05", 1), ("2020-01-01", 2)]
    assert await store.reports.newest_date() == "2024-05-05"


# Any text a store keeps: every character but surrogates and U+0000 (refused, tested below).
texts = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=300,
).filter(lambda s: s.strip() != "")


@settings(max_examples=40, deadline=None, suppress_health_check=PER_EXAMPLE)
@given(title=texts, body=texts, url=st.none() | texts)
def test_any_unicode_round_trips(
    backend: str, postgres: PostgresForTests, title: str, body: str, url: str | None
) -> None:
    async def check(path: Path | str) -> None:
        async with await open_store(path) as store:
            new = NewReport(origin="x", title=title, body=body, url=url)
            passage = NewPassage(text=body, sentences=((0, len(body)),), terms=body.encode())
            async with store.transaction():
                rid = (await store.reports.save(new, [passage])).report_id
        async with await open_store(path) as store:
            got = await store.reports.get(rid)
            assert (got.title, got.body, got.url) == (title, body, url)
            (stored,) = await store.reports.passages_of(rid)
            assert stored.text == body
            assert stored.sentences == ((0, len(body)),)
            assert (await store.reports.passage_terms())[0][2] == body.encode()

    with fresh_location(backend, postgres) as location:
        asyncio.run(check(location))


async def _state(location: Path | str) -> tuple[list[tuple[object, ...]], ...]:
    """Everything saving writes, but the arrival times."""
    tables = {
        "reports": "SELECT id, origin, title, body, url, content_hash FROM reports ORDER BY id",
        "passages": "SELECT id, report_id, ord, text, sentences, terms FROM passages ORDER BY id",
        "log": "SELECT seq, op, passage_id, report_id, terms FROM passage_log ORDER BY seq",
    }
    # Read with a connection of its own, as anyone looking at the store would: committed rows only.
    return tuple([tuple(row) for row in execute(location, sql)] for sql in tables.values())


# A few origins and bodies, so that batches repeat contents and origins, within themselves and
# against what the store already holds.
batch_items = st.lists(
    st.tuples(st.sampled_from("abc"), st.sampled_from(["क।ख।", "ग।", "घ। ङ। च।", ""])), max_size=7
)


@settings(max_examples=60, deadline=None, suppress_health_check=PER_EXAMPLE)
@given(before=batch_items, batch=batch_items)
def test_save_many_does_what_saving_one_by_one_does(
    backend: str, postgres: PostgresForTests, before: list[tuple[str, str]], batch: list[tuple[str, str]]
) -> None:
    async def run(path: Path | str, many: bool) -> tuple[object, ...]:
        async with await open_store(path) as store:
            for origin, body in before:
                await save(store, report(origin, body))
            items = [(report(origin, body), passages(body)) for origin, body in batch]
            async with store.transaction():
                if many:
                    results = await store.reports.save_many(items)
                else:
                    results = [await store.reports.save(new, stored) for new, stored in items]
            return ([(r.status, r.report_id) for r in results], await _state(path))

    with (
        fresh_location(backend, postgres, "one.db") as one,
        fresh_location(backend, postgres, "many.db") as many,
    ):
        one_by_one = asyncio.run(run(one, many=False))
        at_once = asyncio.run(run(many, many=True))
    assert at_once == one_by_one


async def test_save_many_never_reuses_the_id_of_a_deleted_report(store: Store) -> None:
    _, first = await save(store, report("a", "क।"))
    async with store.transaction():
        await store.reports.delete(first)
    async with store.transaction():
        [result] = await store.reports.save_many([(report("b", "ख।"), passages("ख।"))])
    assert result.report_id > first


@settings(deadline=None, suppress_health_check=PER_EXAMPLE)
@given(st.lists(st.tuples(st.integers(0, 10**9), st.integers(0, 10**9)), max_size=20))
def test_sentence_spans_are_stored_as_compact_json(
    backend: str, postgres: PostgresForTests, spans: list[tuple[int, int]]
) -> None:
    async def check(path: Path | str) -> tuple[tuple[int, int], ...]:
        async with await open_store(path) as store:
            async with store.transaction():
                await store.reports.save(report("a", "क।"), [NewPassage("क।", tuple(spans), b"")])
            [stored] = await store.reports.passages_of(1)
        return stored.sentences

    with fresh_location(backend, postgres) as location:
        assert asyncio.run(check(location)) == tuple(spans)
        [(column,)] = execute(location, "SELECT sentences FROM passages")
    assert column == json.dumps(spans, separators=(",", ":"))


@settings(max_examples=40, deadline=None, suppress_health_check=PER_EXAMPLE)
@given(st.lists(st.lists(st.binary(max_size=30), min_size=1, max_size=4), max_size=6), st.integers(1, 7))
def test_packed_terms_are_the_passage_terms_joined(
    backend: str, postgres: PostgresForTests, reports: list[list[bytes]], limit: int
) -> None:
    # Any bytes, NULs and invalid UTF-8 included, come back exactly, batch by batch.
    async def check(path: Path | str) -> None:
        async with await open_store(path) as store:
            for i, blobs in enumerate(reports):
                stored = [NewPassage(text=f"p{j}", sentences=((0, 2),), terms=b) for j, b in enumerate(blobs)]
                async with store.transaction():
                    await store.reports.save(report(f"r{i}", f"body {i}"), stored)
            after = 0
            while True:
                rows = await store.reports.passage_terms(after_id=after, limit=limit)
                packed = await store.reports.passage_terms_packed(after_id=after, limit=limit)
                assert packed.ids == [pid for pid, _, _ in rows]
                assert packed.sizes == [len(blob) for _, _, blob in rows]
                assert packed.blob == b"".join(blob for _, _, blob in rows)
                if not rows:
                    break
                after = rows[-1][0]

    with fresh_location(backend, postgres) as location:
        asyncio.run(check(location))


@pytest.mark.parametrize("field", ["title", "body", "url", "passage"])
async def test_a_nul_character_is_refused_on_every_backend_and_nothing_is_stored(
    store: Store, field: str
) -> None:
    new = report("file:nul", "क।", **({field: "a\x00b"} if field in ("title", "url") else {}))
    if field == "body":
        new = report("file:nul", "क\x00ख।")
    stored = [NewPassage("क\x00" if field == "passage" else "क।", ((0, 2),), b"")]
    for save_it in (
        lambda: store.reports.save(new, stored),
        lambda: store.reports.save_many([(new, stored)]),
    ):
        with pytest.raises(ValueError, match="NUL"):
            async with store.transaction():
                await save_it()
    assert await store.reports.count() == 0


async def _three_reports(store: Store) -> list[int]:
    ids = []
    for n, body in enumerate(["एक। दो।", "तीन। चार। पांच।", "छह।"]):
        ids.append((await save(store, report(f"file:{n}.txt", body)))[1])
    return ids


async def test_read_ranked_orders_reports_by_their_best_passage_and_reads_the_first_whole(
    store: Store,
) -> None:
    a, b, c = await _three_reports(store)
    by_report = {r: [p.id for p in await store.reports.passages_of(r)] for r in (a, b, c)}
    # Ranked passages: b's second, a's first, b's first again, c's only, one that does not exist.
    ranked = [by_report[b][1], by_report[a][0], by_report[b][0], by_report[c][0], 10_000]
    read = await store.reports.read_ranked(ranked, first=2, also=[c])
    assert read.order == [b, a, c]
    assert set(read.whole.passages) == {b, a}
    assert [p.id for p in read.whole.passages[b]] == by_report[b]  # in reading order
    assert set(read.whole.reports) == {a, b, c}  # the rows of `also` come too
    assert set(read.whole.terms) == set(by_report[a] + by_report[b])
    assert read.whole.terms[by_report[a][0]] == passages("एक। दो।")[0].terms


async def test_read_whole_of_nothing_or_of_missing_reports_is_empty(store: Store) -> None:
    await _three_reports(store)
    for ids in ([], [10_000]):
        whole = await store.reports.read_whole(ids)
        assert (whole.reports, whole.passages, whole.terms) == ({}, {}, {})


async def test_terms_after_reads_each_new_term_once_in_id_order(store: Store) -> None:
    async with store.transaction():
        first = await store.reports.intern_terms(["w:क", "w:ख"])
    rows = await store.reports.terms_after(0)
    assert rows == sorted((i, t) for t, i in first.items())
    async with store.transaction():
        second = await store.reports.intern_terms(["w:ख", "w:ग"])
    assert await store.reports.terms_after(rows[-1][0]) == [(second["w:ग"], "w:ग")]
    assert await store.reports.terms_after(0, limit=1) == rows[:1]


async def test_replace_passages_logs_the_old_out_and_the_new_in(store: Store) -> None:
    (report_id,) = (await _three_reports(store))[1:2]
    old = [p.id for p in await store.reports.passages_of(report_id)]
    seq = await store.reports.last_change()
    async with store.transaction():
        await store.reports.replace_passages(report_id, passages("नया। और नया।"))
    new = await store.reports.passages_of(report_id)
    assert [p.text for p in new] == ["नया", " और नया"]
    changes = await store.reports.changes(after_seq=seq)
    assert [(c.op, c.passage_id) for c in changes] == [("del", i) for i in old] + [("add", p.id) for p in new]
    assert (await store.reports.get(report_id)).body == "तीन। चार। पांच।"  # the text stays


async def test_replace_passages_of_no_report_is_not_found_and_changes_nothing(store: Store) -> None:
    seq = await store.reports.last_change()
    with pytest.raises(NotFoundError):
        async with store.transaction():
            await store.reports.replace_passages(10_000, passages("नया।"))
    assert await store.reports.last_change() == seq


async def test_report_ids_walk_every_report_in_pages(store: Store) -> None:
    ids = await _three_reports(store)
    assert await store.reports.report_ids(limit=2) == ids[:2]
    assert await store.reports.report_ids(after_id=ids[1]) == ids[2:]


async def test_replace_passages_refuses_a_nul_and_keeps_the_old_ones(store: Store) -> None:
    (report_id,) = (await _three_reports(store))[:1]
    before = await store.reports.passages_of(report_id)
    with pytest.raises(ValueError, match="NUL"):
        async with store.transaction():
            await store.reports.replace_passages(report_id, passages("क\x00ख।"))
    assert await store.reports.passages_of(report_id) == before
