"""Reply shape, pure: labels cut at a word boundary, each sentence once, one line per meeting."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render.present import MeetingLine, cut, mark_spans, merge_meetings, plan_quotes
from retrieval import Quote, ReportAnswer, Span
from storage import MeetingRow, NewMeeting, Party


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        (
            "UP Politics: अखिलेश यादव की ममता बनर्जी से हुई कोलकाता में मुलाकात",
            40,
            "UP Politics: अखिलेश यादव की ममता…",
        ),
        ("SP National Executive Meeting: समाजवादी पार्टी", 32, "SP National Executive Meeting…"),
        ("छोटा शीर्षक", 40, "छोटा शीर्षक"),
        ("एकबहुतलंबाशब्दजिसमेंकोईजगहनहीं", 10, "एकबहुतलंबा…"[:9] + "…"),
    ],
    ids=["hindi-title", "drops-the-colon", "short", "one-long-word"],
)
def test_cut_ends_at_a_word_boundary_with_an_ellipsis(text: str, limit: int, expected: str) -> None:
    assert cut(text, limit) == expected


@given(st.text(alphabet="कखग घ ङ.", min_size=1), st.integers(min_value=2, max_value=60))
def test_cut_never_exceeds_the_limit_and_keeps_a_prefix(text: str, limit: int) -> None:
    out = cut(text, limit)
    assert len(out) <= limit
    folded = " ".join(text.split())
    assert folded.startswith(out.removesuffix("…"))


def quote(text: str, marks: int = 0) -> Quote:
    return Quote(text, tuple(Span(0, 1) for _ in range(marks)), 1, 0)


def part(report_id: int, *texts: str) -> ReportAnswer:
    return ReportAnswer(report_id, 1.0, 1.0, tuple(quote(t) for t in texts))


def test_plan_quotes_says_each_sentence_once_and_never_the_title() -> None:
    parts = [
        part(1, "शीर्षक एक", "ममता से मुलाकात हुई।", "गठबंधन पर बात हुई।"),
        part(2, "ममता से मुलाकात हुई।", "दूसरी रिपोर्ट का वाक्य।"),
    ]
    planned = plan_quotes(parts, {1: "शीर्षक एक", 2: "शीर्षक दो"})
    shown = [q.text for p in planned for q in p.quotes]
    assert shown == ["ममता से मुलाकात हुई।", "गठबंधन पर बात हुई।", "दूसरी रिपोर्ट का वाक्य।"]


def test_plan_quotes_keeps_within_the_budget_but_gives_every_report_one() -> None:
    long = "यह एक लंबा वाक्य है " * 10
    parts = [part(1, long + "1", long + "2", long + "3"), part(2, long + "4"), part(3, long + "5")]
    # Round one: each report's first quote (603 characters, over the budget: still shown). Round
    # two: one more fits under 900, a third would not.
    planned = plan_quotes(parts, {}, budget=900, longest=1000)
    assert [len(p.quotes) for p in planned] == [2, 1, 1]


def test_plan_quotes_prefers_the_most_matched_sentence_and_keeps_reading_order() -> None:
    answer = ReportAnswer(1, 1.0, 1.0, (quote("पहला।", 0), quote("दूसरा।", 3), quote("तीसरा।", 1)))
    [planned] = plan_quotes([answer], {}, budget=0)
    assert [q.text for q in planned.quotes] == ["दूसरा।"]
    [planned] = plan_quotes([answer], {}, budget=12)
    assert [q.text for q in planned.quotes] == ["दूसरा।", "तीसरा।"]


def row(report_id: int, when: str | None, place: str | None = "कोलकाता") -> MeetingRow:
    meeting = NewMeeting(Party("अखिलेश यादव"), Party("ममता बनर्जी"), place, when, f"वाक्य {report_id}", 0, 5)
    return MeetingRow(report_id, report_id, meeting, "2023-03-17")


def test_one_meeting_told_by_two_reports_is_one_line_with_both_sources() -> None:
    [line] = merge_meetings([row(2, "शुक्रवार (17 मार्च)"), row(1, "शुक्रवार"), row(2, None)])
    assert line.report_ids == (2, 1)
    assert line.title == "अखिलेश यादव ↔ ममता बनर्जी — कोलकाता, शुक्रवार (17 मार्च)"
    assert line.sentence == "वाक्य 2"


def test_meetings_in_different_places_stay_apart() -> None:
    lines = merge_meetings([row(1, None, "कोलकाता"), row(2, None, "लखनऊ")])
    assert [line.place for line in lines] == ["कोलकाता", "लखनऊ"]


def test_runs_of_white_space_are_shown_as_one_space() -> None:
    text = "मुख्यमंत्री  नीतीश \t कुमार\nसे मिले"
    shown = mark_spans(text, [Span(0, 11)], plain=lambda s: s, marked=lambda s: f"[{s}]")
    assert shown == "[मुख्यमंत्री] नीतीश कुमार से मिले"


def test_a_meetings_sources_are_named_in_the_replys_order_then_as_listed() -> None:
    line = MeetingLine("क", "ख", None, None, "क और ख मिले।", (9, 4, 7, 2))
    assert line.sources({7: 1, 4: 2}) == [7, 4, 9, 2]
    assert line.sources({}) == [9, 4, 7, 2]
