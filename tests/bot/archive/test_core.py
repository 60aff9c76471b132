"""The archive: ingest into a real store, the index following it, and answers from both."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.archive.core import ANALYSIS_SNAPSHOT, Archive
from bot.archive.report_files import ReportRecord
from retrieval import ANALYSIS_VERSION
from storage import NewPassage, NewReport, open_store


def record(origin: str, body: str, title: str = "", **kw: str) -> ReportRecord:
    return ReportRecord(origin=origin, title=title or body.split("।")[0], body=body, where=origin, **kw)


FARMERS = record(
    "https://news.example/farmers",
    "नासिक में प्याज किसानों ने मंडी के बाहर धरना दिया। किसानों ने प्याज का न्यूनतम समर्थन मूल्य मांगा।",
    "प्याज किसानों का धरना",
    published="2024-02-10",
)


@pytest.fixture
async def archive(db_path: Path) -> Archive:
    opened = await Archive.open(db_path)
    yield opened  # type: ignore[misc]
    await opened.close()


async def test_first_open_loads_the_seeds_once(db_path: Path) -> None:
    first = await Archive.open(db_path)
    count = await first.store.reports.count()
    await first.close()
    again = await Archive.open(db_path)
    assert count >= 2
    assert await again.store.reports.count() == count
    await again.close()


async def test_a_new_report_is_answerable_at_once(archive: Archive) -> None:
    (outcome,) = await archive.ingest_records([FARMERS])
    assert outcome.status == "added"
    asked = await archive.ask("नासिक के प्याज किसानों ने क्या मांगा?")
    assert asked.answer.answered
    assert asked.answer.reports[0].report_id == outcome.report_id
    assert any("न्यूनतम समर्थन मूल्य" in q.text for q in asked.answer.reports[0].quotes)


async def test_romanized_question_finds_the_new_report(archive: Archive) -> None:
    (outcome,) = await archive.ingest_records([FARMERS])
    asked = await archive.ask("nasik ke pyaj kisan dharna")
    assert asked.answer.reports[0].report_id == outcome.report_id


async def test_reingest_is_skipped_and_replacement_keeps_the_id(archive: Archive) -> None:
    (first,) = await archive.ingest_records([FARMERS])
    (again,) = await archive.ingest_records([FARMERS])
    assert (again.status, again.report_id) == ("unchanged", first.report_id)
    changed = record(FARMERS.origin, "नासिक में लहसुन किसानों ने रैली निकाली।", "लहसुन किसानों की रैली")
    (replaced,) = await archive.ingest_records([changed])
    assert (replaced.status, replaced.report_id) == ("replaced", first.report_id)
    assert not (await archive.ask("प्याज न्यूनतम समर्थन मूल्य धरना")).answer.answered
    asked = await archive.ask("लहसुन किसानों की रैली")
    assert asked.answer.reports[0].report_id == first.report_id


async def test_a_crash_inside_an_ingest_leaves_no_trace(archive: Archive) -> None:
    before = (await archive.store.reports.count(), await archive.store.reports.last_change())

    class Boom(Exception):
        pass

    async def crash() -> None:
        async with archive.store.transaction():
            await archive.store.reports.intern_terms(["w:नया"])
            raise Boom

    with pytest.raises(Boom):
        await crash()
    assert (await archive.store.reports.count(), await archive.store.reports.last_change()) == before
    assert await archive.store.reports.term_ids(["w:नया"]) == {}
    (outcome,) = await archive.ingest_records([FARMERS])  # the archive still works afterwards
    assert outcome.status == "added"


async def test_reports_from_another_process_arrive_with_sync(archive: Archive, db_path: Path) -> None:
    other = await Archive.open(db_path)
    await other.ingest_records([FARMERS])
    await other.close()
    assert not (await archive.ask("नासिक प्याज धरना")).answer.answered
    assert await archive.sync() > 0
    assert (await archive.ask("नासिक प्याज धरना")).answer.answered


async def test_the_index_rebuilt_from_the_store_answers_the_same(archive: Archive, db_path: Path) -> None:
    await archive.ingest_records([FARMERS])
    question = "प्याज किसानों का धरना कहां हुआ?"
    live = await archive.ask(question)
    rebuilt = await Archive.open(db_path)
    again = await rebuilt.ask(question)
    await rebuilt.close()
    assert [r.report_id for r in again.answer.reports] == [r.report_id for r in live.answer.reports]
    assert [q.text for q in again.answer.reports[0].quotes] == [q.text for q in live.answer.reports[0].quotes]


async def test_ingest_paths_reports_every_bad_file_and_keeps_the_good(
    archive: Archive, tmp_path: Path
) -> None:
    (tmp_path / "good.txt").write_text("अच्छी खबर\nगांव में नया स्कूल खुला।", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe bad")
    (tmp_path / "r.jsonl").write_text(json.dumps({"title": "x"}) + "\n", encoding="utf-8")
    outcomes = await archive.ingest_paths([tmp_path])
    assert sorted(o.status for o in outcomes) == ["added", "error", "error"]
    assert (await archive.ask("गांव में नया स्कूल")).answer.answered


async def test_seeds_are_not_loaded_when_not_asked(tmp_path: Path) -> None:
    archive = await Archive.open(tmp_path / "empty.db", seed=False)
    assert await archive.store.reports.count() == 0
    assert not (await archive.ask("अखिलेश यादव")).answer.answered
    await archive.close()
    store = await open_store(tmp_path / "empty.db")
    assert await store.reports.count() == 0
    await store.close()


MEETING_REPORT = record(
    "https://news.example/talks",
    "पटना में बिहार के मुख्यमंत्री नीतीश कुमार ने गुरुवार को तेजस्वी यादव से मुलाकात की। "
    "दोनों नेताओं के बीच सीटों के बंटवारे पर चर्चा हुई।",
    "नीतीश कुमार और तेजस्वी यादव की मुलाकात",
    published="2024-03-07",
)


async def test_seed_meetings_are_extracted_with_place_and_day(archive: Archive) -> None:
    pairs = {(m.meeting.a.name, m.meeting.b.name, m.meeting.place) for m in archive.latest_meetings(50)}
    assert ("अखिलेश यादव", "ममता बनर्जी", "कोलकाता") in pairs
    assert ("शिवपाल यादव", "ममता बनर्जी", "कोलकाता") in pairs
    assert all(m.meeting.when for m in archive.latest_meetings(50) if m.meeting.a.name == "अखिलेश यादव")


async def test_a_meeting_in_a_new_report_is_asked_in_latin_letters(archive: Archive) -> None:
    (outcome,) = await archive.ingest_records([MEETING_REPORT])
    asked = await archive.ask("nitish kumar ne kisse mulakat ki")
    assert [(m.meeting.a.name, m.meeting.b.name, m.report_id) for m in asked.meetings] == [
        ("नीतीश कुमार", "तेजस्वी यादव", outcome.report_id)
    ]
    assert asked.meetings[0].meeting.place == "पटना"


async def test_two_names_give_only_the_meetings_between_them(archive: Archive) -> None:
    await archive.ingest_records([MEETING_REPORT])
    asked = await archive.ask("akhilesh mamta mulakat kab hui")
    assert asked.meetings
    assert {(m.meeting.a.name, m.meeting.b.name) for m in asked.meetings} == {("अखिलेश यादव", "ममता बनर्जी")}


async def test_a_question_without_a_meeting_word_gets_no_meetings(archive: Archive) -> None:
    assert (await archive.ask("mamta banerji kolkata")).meetings == ()


async def test_replacing_a_report_rebuilds_its_meetings(archive: Archive) -> None:
    await archive.ingest_records([MEETING_REPORT])
    quiet = record(MEETING_REPORT.origin, "पटना में बारिश हुई। सड़कें भर गईं।", "पटना में बारिश")
    await archive.ingest_records([quiet])
    assert not any(m.meeting.a.name == "नीतीश कुमार" for m in archive.latest_meetings(50))


def _reports(prefix: str, count: int) -> list[ReportRecord]:
    return [
        ReportRecord(
            f"{prefix}:{i}", f"खबर {prefix}{i}", f"किसानों ने {i} गांवों में धरना दिया। सरकार ने {i} बैठकें बुलाईं।"
        )
        for i in range(count)
    ]


async def _state(archive: Archive) -> tuple[object, ...]:
    summaries = await archive.store.reports.summaries(limit=1000)
    hits = await archive.rank_reports("किसानों धरना गांवों", k=50)
    return sorted((s.id, s.title) for s in summaries), len(archive.index), hits


async def test_ingesting_batches_in_a_pipeline_is_ingesting_them_one_by_one(tmp_path: Path) -> None:
    # Big enough batches for the worker processes; the second repeats one of the first's reports.
    first = _reports("a", 40)
    second = [*_reports("b", 39), first[7]]
    third = _reports("c", 3)
    one_by_one = await Archive.open(tmp_path / "one.db", seed=False)
    piped = await Archive.open(tmp_path / "piped.db", seed=False)
    try:
        expected = [await one_by_one.ingest_records(batch) for batch in (first, second, third)]
        got = [outcomes async for outcomes in piped.ingest_batches(iter([first, second, third]))]
        assert got == expected
        assert [o.status for o in got[1]][-1] == "unchanged"
        assert await _state(piped) == await _state(one_by_one)
    finally:
        await one_by_one.close()
        await piped.close()


async def test_leaving_a_pipeline_early_stores_only_the_batches_taken(tmp_path: Path) -> None:
    archive = await Archive.open(tmp_path / "k.db", seed=False)
    try:
        async for outcomes in archive.ingest_batches([_reports("a", 40), _reports("b", 40)]):
            assert len(outcomes) == 40
            break
        assert await archive.store.reports.count() == 40
        (again,) = await archive.ingest_records(_reports("b", 1))  # the archive still works
        assert again.status == "added"
    finally:
        await archive.close()


async def test_a_seed_missing_from_a_store_is_loaded_at_the_next_open(db_path: Path) -> None:
    from bot.archive.core import seeds_dir
    from bot.archive.report_files import read_report_file

    first, *others = sorted(seeds_dir().glob("*.txt"))
    assert others, "the test needs two seeds"
    [item] = read_report_file(first)
    assert isinstance(item, ReportRecord)
    # What a kill between the old version's two seed transactions left behind: the first seed only.
    partial = await Archive.open(db_path, seed=False)
    await partial.ingest_records(
        [ReportRecord(f"seed:{first.name}", item.title, item.body, where=item.where)]
    )
    await partial.close()
    again = await Archive.open(db_path)
    assert await again.store.reports.count() == 1 + len(others)
    assert all([await again.store.reports.find_origin(f"seed:{p.name}") for p in others])
    await again.close()


async def test_a_report_over_five_megabytes_is_refused_from_any_source(archive: Archive) -> None:
    before = await archive.store.reports.count()
    huge = record("https://news.example/huge", "बहुत लंबी खबर। " * 400_000, "लंबी खबर")
    refused, added = await archive.ingest_records([huge, FARMERS])
    assert refused.status == "error"
    assert "5 MB" in refused.message
    assert added.status == "added"  # the others in the batch are stored
    assert await archive.store.reports.count() == before + 1


async def test_a_report_analysed_off_the_event_loop_is_stored_as_on_it(tmp_path: Path) -> None:
    stored = []
    for off_loop in (False, True):
        archive = await Archive.open(tmp_path / f"{off_loop}.db", seed=False)
        (outcome,) = await archive.ingest_records([FARMERS], off_loop=off_loop)
        assert outcome.report_id is not None
        passages = await archive.store.reports.passages_of(outcome.report_id)
        answer = await archive.ask("नासिक के प्याज किसानों ने क्या मांगा?")
        stored.append(
            ([(p.text, p.sentences) for p in passages], [r.report_id for r in answer.answer.reports])
        )
        await archive.close()
    assert stored[0] == stored[1]
    assert stored[0][1]  # and the report answers the question


async def test_an_answer_reads_the_store_in_one_call_and_writes_nothing(store_location: Path | str) -> None:
    archive = await Archive.open(store_location)
    try:
        (outcome,) = await archive.ingest_records([FARMERS])
        before = (archive.store.statements, await archive.store.reports.last_change())
        asked = await archive.ask("नासिक के प्याज किसानों ने क्या मांगा?")
        assert asked.answer.reports[0].report_id == outcome.report_id
        # One call (read_ranked): the reports of the hits, their passages, their rows; term ids come
        # from memory. (Reading `before` above ran one statement of its own.)
        assert archive.store.statements - before[0] - 1 <= 3
        assert await archive.store.reports.last_change() == before[1]
    finally:
        await archive.close()


async def test_terms_another_process_interns_are_known_after_sync(store_location: Path | str) -> None:
    archive = await Archive.open(store_location)
    other = await Archive.open(store_location)
    try:
        await other.ingest_records([FARMERS])
        term = "w:" + "नासिक"
        assert archive.term_ids([term]) == {}
        assert await archive.sync() > 0
        assert archive.term_ids([term]) == other.term_ids([term]) != {}
        assert (await archive.ask("नासिक प्याज धरना")).answer.answered
    finally:
        await other.close()
        await archive.close()


async def test_the_terms_of_a_rolled_back_ingest_are_forgotten(archive: Archive) -> None:
    known = dict(archive.terms.ids)
    # The URL's NUL is refused when the report is saved, after its terms were interned.
    broken = record("https://news.example/x", "ज़ायरकोनियम खदान पर गोष्ठी हुई।", url="https://x/\x00")
    with pytest.raises(ValueError, match="NUL"):
        await archive.ingest_records([broken])
    assert archive.terms.ids == known
    assert await archive.store.reports.terms_after(max(known.values())) == []
    (outcome,) = await archive.ingest_records([record(broken.origin, broken.body)])  # and it still works
    assert (await archive.ask("ज़ायरकोनियम खदान")).answer.reports[0].report_id == outcome.report_id


async def test_a_noted_question_is_counted_on_its_first_page_and_kept_only_when_asked(
    archive: Archive,
) -> None:
    assert await archive.note_question(5, "प्याज?", first_page=False, keep=False) == 0
    assert await archive.store.chats.questions_since(24) == 0
    assert await archive.note_question(5, "प्याज?", first_page=True, keep=False) == 0
    assert await archive.store.chats.questions_since(24) == 1
    kept = await archive.note_question(5, "लहसुन?", first_page=False, keep=True)
    assert await archive.store.questions.get(kept) == "लहसुन?"
    assert await archive.store.chats.questions_since(24) == 1


async def test_the_term_ids_in_memory_are_the_stores_after_ingests_at_once_one_failing(
    archive: Archive,
) -> None:
    good = record("https://news.example/g", "ज़ायरकोनियम खदान पर गोष्ठी हुई।")
    broken = record("https://news.example/b", "टंगस्टन कारखाने में हड़ताल हुई।", url="https://x/\x00")
    results = await asyncio.gather(
        archive.ingest_records([broken]), archive.ingest_records([good]), return_exceptions=True
    )
    assert isinstance(results[0], ValueError)
    assert not isinstance(results[1], BaseException)
    stored = {text: term_id for term_id, text in await archive.store.reports.terms_after(0)}
    assert archive.terms.ids == stored
    assert not (await archive.ask("टंगस्टन हड़ताल")).answer.answered
    assert (await archive.ask("ज़ायरकोनियम खदान")).answer.answered


async def _stale_store(location: Path | str, version: int | None) -> int:
    """A store holding one report whose passages no analysis of ours made, stamped ``version``."""
    async with await open_store(location) as store, store.transaction():
        saved = await store.reports.save(
            NewReport(origin="file:old", title="पुरानी रिपोर्ट", body=MEETING_BODY),
            [NewPassage("कुछ और", ((0, 6),), b"")],
        )
        if version is not None:
            await store.snapshots.put(ANALYSIS_SNAPSHOT, version, b"")
    return saved.report_id


MEETING_BODY = "अखिलेश यादव ने कोलकाता में ममता बनर्जी से मुलाकात की। दोनों ने चुनाव पर बात की।"


@pytest.mark.parametrize("version", [None, ANALYSIS_VERSION - 1])
async def test_a_store_analysed_by_other_code_is_analysed_again_at_open(
    store_location: Path | str, version: int | None
) -> None:
    report_id = await _stale_store(store_location, version)
    archive = await Archive.open(store_location, seed=False)
    try:
        assert await archive.analysed_with() == ANALYSIS_VERSION
        texts = [p.text for p in await archive.store.reports.passages_of(report_id)]
        # The headline is a passage of its own (the body does not hold it), then the body's.
        assert "".join(texts).replace(" ", "") == ("पुरानी रिपोर्ट" + MEETING_BODY).replace(" ", "")
        asked = await archive.ask("अखिलेश यादव ने किससे मुलाकात की?")
        assert asked.answer.reports[0].report_id == report_id
        assert [m.report_id for m in asked.meetings] == [report_id]
    finally:
        await archive.close()
    again = await Archive.open(store_location, seed=False)
    try:
        assert await again.reanalyse_if_stale() == 0  # stamped: never twice
    finally:
        await again.close()


async def test_a_new_store_is_stamped_with_this_analysis(db_path: Path) -> None:
    archive = await Archive.open(db_path)
    try:
        assert await archive.analysed_with() == ANALYSIS_VERSION
    finally:
        await archive.close()
