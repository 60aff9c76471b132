"""Topic matching: the per-report shortcut agrees with ``select_answer``; parsing; deep-link payloads."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.archive.core import Archive
from bot.archive.report_files import ReportRecord
from bot.notify.matcher import Matcher
from bot.notify.topics import (
    MIN_COVERAGE,
    analyze_topic,
    canonical_topic,
    has_content,
    match_topic,
    prepare_report,
)
from bot.tg.handlers.subscriptions import payload_topic, topic_payload
from retrieval import Candidate, Span, select_answer
from tests.e2e.subscription_fixtures import REPORTS

TOPICS = [
    "ममता बनर्जी",
    "mamta banerjee",
    "mamata",
    "नीतीश कुमार",
    "nitish kumar patna",
    "सहकारिता चुनाव",
    "sahkarita chunav",
    "चुनाव",
    "क्रिकेट मैच",
    "cricket",
    "अखिलेश यादव कोलकाता",
    "शिवपाल",
    "कोलकाता रैली",
    "मोदी",
    "ऑस्ट्रेलिया शतक",
    "पटना बाढ़",
]


@pytest.fixture
async def archive(tmp_path: Path) -> AsyncIterator[Archive]:
    opened = await Archive.open(tmp_path / "k.db")
    await opened.ingest_records([ReportRecord(f"t:{k}", *v) for k, v in REPORTS.items()])
    try:
        yield opened
    finally:
        await opened.close()


async def test_the_shortcut_decides_as_select_answer_does(archive: Archive) -> None:
    store = archive.store
    summaries = await store.reports.summaries(limit=100)
    unknown_idf = math.log((len(archive.index) + 0.5) / 0.5)
    agreed = matched = 0
    for summary in summaries:
        passages = await store.reports.passages_of(summary.id)
        prepared = prepare_report(summary.id, [(p.id, p.text, p.sentences) for p in passages])
        candidates = [
            Candidate(p.id, summary.id, p.text, tuple(Span(a, b) for a, b in p.sentences), 0.0)
            for p in passages
        ]
        for text in TOPICS:
            topic = analyze_topic(canonical_topic(text), archive.lexicon)
            terms = {a.term for g in topic.include for a in g.alternatives}
            ids = await store.reports.term_ids(terms)
            idf = {term: archive.index.idf(i) for term, i in ids.items()}
            fast = match_topic(topic, prepared, idf, unknown_idf)
            reference = select_answer(
                topic.include,
                candidates,
                idf,
                unknown_idf=unknown_idf,
                max_reports=1,
                min_coverage=MIN_COVERAGE,
            )
            assert (fast is not None) == reference.answered, (text, summary.title)
            if fast is not None:
                assert fast.coverage == pytest.approx(reference.reports[0].coverage)
                assert {q.text for q in fast.quotes} <= {q.text for q in reference.reports[0].quotes}
                matched += 1
            agreed += 1
    assert agreed == len(summaries) * len(TOPICS)
    assert matched >= 8  # the table is not all misses


async def test_a_romanized_topic_catches_the_devanagari_report(archive: Archive) -> None:
    matcher = Matcher(archive)
    rid = await archive.store.reports.find_origin("t:mamata")
    assert rid is not None
    passages = await archive.store.reports.passages_of(rid)
    prepared = prepare_report(rid, [(p.id, p.text, p.sentences) for p in passages])
    from storage import Subscription

    subscriptions = [
        Subscription(1, 10, "mamta banerjee", "en", True, 0, ""),
        Subscription(2, 11, "ममता -कोलकाता", "hi", True, 0, ""),
        Subscription(3, 12, "", "hi", True, 0, ""),
    ]
    found = {s.chat_id: quotes for s, quotes in await matcher.match(prepared, subscriptions)}
    assert set(found) == {10, 12}  # 11 excludes कोलकाता, which the report mentions
    assert any("ममता" in q.text[h.start : h.end] for q in found[10] for h in q.highlights)
    assert all(not q.highlights for q in found[12])


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("  Mamta   Banerjee ", "mamta banerjee"), ("ममता\tबनर्जी", "ममता बनर्जी"), ("", "")],
)
def test_canonical_topic_folds_space_and_case(written: str, canonical: str) -> None:
    assert canonical_topic(written) == canonical


@pytest.mark.parametrize(("topic", "content"), [("की और", False), ("चुनाव -क्रिकेट", True), ("-क्रिकेट", False)])
def test_a_topic_needs_a_content_word(topic: str, content: bool) -> None:
    assert has_content(analyze_topic(topic)) is content


@pytest.mark.parametrize("topic", ["akhilesh", "mamta banerjee", "ममता बनर्जी", "चुनाव -क्रिकेट", "a -b"])
def test_deep_link_payload_round_trips(topic: str) -> None:
    payload = topic_payload(topic)
    assert payload is not None
    assert len(payload) <= 64
    assert all(c.isascii() and (c.isalnum() or c in "_-") for c in payload)
    assert payload_topic(payload) == topic


@pytest.mark.parametrize("payload", ["r_12", "s_", "s_-!!!", "garbage"])
def test_other_payloads_are_not_topics(payload: str) -> None:
    assert payload_topic(payload) is None
