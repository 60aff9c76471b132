"""Meeting extraction: the dev and extra evaluation sets, the seed reports, rules and invariants."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrieval.meetings import (
    Meeting,
    MeetingScores,
    evaluate,
    extract_from_sentence,
    extract_meetings,
    names_match,
)

ROOT = Path(__file__).resolve().parents[2]
DEV = Path(__file__).resolve().parents[3] / "shared" / "eval" / "meetings_dev.jsonl"
EXTRA = Path(__file__).parent / "data" / "meetings_extra.jsonl"
SEEDS = ROOT / "seeds"


def load(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def find(meetings: list[Meeting], x: str, y: str) -> Meeting | None:
    for m in meetings:
        if (names_match(m.a.name, x) and names_match(m.b.name, y)) or (
            names_match(m.a.name, y) and names_match(m.b.name, x)
        ):
            return m
    return None


@pytest.mark.slow
@pytest.mark.skipif(not DEV.exists(), reason="shared dev set not mounted")
def test_dev_set_meets_target() -> None:
    scores = evaluate(load(DEV))
    assert scores.precision >= 0.9, scores.misses
    assert scores.f1 >= 0.85, scores.misses


def test_extra_set_meets_measured_thresholds() -> None:
    rows = load(EXTRA)
    assert len(rows) >= 40
    scores = evaluate(rows)
    # Measured 1.0/1.0 after the rules were written; blind batches scored P 1.0, R 0.78-0.80.
    assert scores.precision >= 0.95, scores.misses
    assert scores.recall >= 0.95, scores.misses


def test_extra_set_has_negatives_and_english() -> None:
    rows = load(EXTRA)
    assert sum(1 for r in rows if not r["pairs"]) >= 15
    assert sum(1 for r in rows if str(r["text"]).isascii()) >= 8


@pytest.fixture(scope="module")
def seed_meetings() -> list[list[Meeting]]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    return [extract_meetings(t) for t in texts]


def test_seed_akhilesh_mamata_with_place_and_day(seed_meetings: list[list[Meeting]]) -> None:
    for meetings in seed_meetings:
        m = find(meetings, "अखिलेश यादव", "ममता बनर्जी")
        assert m is not None
        assert m.place == "कोलकाता"
        assert m.when is not None
        assert "शुक्रवार" in m.when or "17 मार्च" in m.when


def test_seed_shivpal_talk_with_mamata(seed_meetings: list[list[Meeting]]) -> None:
    m = find(seed_meetings[0], "शिवपाल यादव", "ममता बनर्जी")
    assert m is not None
    assert "बातचीत" in m.sentence
    assert m.place == "कोलकाता"


def test_seed_meetings_are_one_per_pair(seed_meetings: list[list[Meeting]]) -> None:
    for meetings in seed_meetings:
        pairs = [frozenset((m.a.name, m.b.name)) for m in meetings]
        assert len(pairs) == len(set(pairs))


def test_seed_latin_alias_kept(seed_meetings: list[list[Meeting]]) -> None:
    m = find(seed_meetings[0], "शिवपाल यादव", "ममता बनर्जी")
    assert m is not None
    mamata = m.a if "ममता" in m.a.name else m.b
    assert mamata.aliases == ("Mamata Banerjee",)
    assert mamata.role == "मुख्यमंत्री"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("अखिलेश यादव ने शुक्रवार को ममता बनर्जी से मुलाकात की।", ("अखिलेश यादव", "ममता बनर्जी")),
        ("शरद पवार की उद्धव ठाकरे से हुई मुलाकात", ("शरद पवार", "उद्धव ठाकरे")),
        ("राहुल गांधी से मिले हेमंत सोरेन", ("हेमंत सोरेन", "राहुल गांधी")),
        ("अशोक गहलोत और सचिन पायलट के बीच बैठक हुई।", ("अशोक गहलोत", "सचिन पायलट")),
        ("अमित शाह ने नवीन पटनायक के साथ वार्ता की।", ("अमित शाह", "नवीन पटनायक")),
        ("गणेश शंकर की भेंट सुन्दरलाल जी से हुई।", ("गणेश शंकर", "सुन्दरलाल")),
        ("Sharad Pawar met Uddhav Thackeray in Mumbai.", ("Sharad Pawar", "Uddhav Thackeray")),
        ("Nitish Kumar and Arvind Kejriwal met on Sunday.", ("Nitish Kumar", "Arvind Kejriwal")),
        ("Talks between Sheikh Hasina and Narendra Modi ended.", ("Sheikh Hasina", "Narendra Modi")),
    ],
)
def test_constructions(sentence: str, expected: tuple[str, str]) -> None:
    assert len(extract_from_sentence(sentence)) == 1
    (a, b) = extract_from_sentence(sentence)[0]
    assert {a, b} == set(expected)


@pytest.mark.parametrize(
    "sentence",
    [
        "नीतीश कुमार ने पार्टी विधायकों के साथ बैठक की।",
        "मुख्यमंत्री ने अधिकारियों के साथ समीक्षा बैठक की।",
        "उम्मीदवार को 40 हजार वोट मिले।",
        "बाढ़ पीड़ितों को सरकार से मदद मिली।",
        "अगले हफ्ते दिल्ली में अहम बैठक होगी।",
        "दोनों देशों के बीच बातचीत की जरूरत है।",
        "उन्होंने मीडिया से बातचीत में कहा कि गठबंधन मजबूत है।",
        "पुतिन ने यूक्रेन के साथ शांति वार्ता की पेशकश की।",
        "लेखक ने यह पुस्तक अपने गुरु को भेंट की।",
        "The Chief Minister met party MLAs on Monday.",
        "Rahul Gandhi met farmers in Punjab.",
        "",
    ],
)
def test_negatives(sentence: str) -> None:
    assert extract_from_sentence(sentence) == []


def test_office_alone_is_a_party() -> None:
    (pair,) = extract_from_sentence("नितिन गडकरी ने महाराष्ट्र के मुख्यमंत्री से मुलाकात की।")
    assert set(pair) == {"नितिन गडकरी", "मुख्यमंत्री"}


def test_title_becomes_role() -> None:
    (m,) = extract_meetings("अमित शाह ने पश्चिम बंगाल की मुख्यमंत्री ममता बनर्जी से भेंट की।")
    assert (m.b.name, m.b.role) == ("ममता बनर्जी", "मुख्यमंत्री")


def test_place_and_date_in_sentence() -> None:
    (m,) = extract_meetings("भगवंत मान ने बुधवार (5 जुलाई) को दिल्ली में अरविंद केजरीवाल से भेंट की।")
    assert m.place == "दिल्ली"
    assert m.when == "बुधवार (5 जुलाई)"


def test_report_date_fills_missing_when() -> None:
    text = (
        "अखिलेश यादव आज शुक्रवार (17 मार्च) को कोलकाता पहुंचे। उन्होंने भाषण दिया। अखिलेश यादव ने ममता बनर्जी से मुलाकात की।"
    )
    (m,) = extract_meetings(text)
    assert m.when == "शुक्रवार (17 मार्च)"


def test_conflicting_report_dates_leave_when_empty() -> None:
    text = "सोमवार को रैली हुई। मंगलवार को सभा हुई। अखिलेश यादव ने ममता बनर्जी से मुलाकात की।"
    (m,) = extract_meetings(text)
    assert m.when is None


def test_title_argument_lends_place() -> None:
    title = "अखिलेश यादव की ममता बनर्जी से कोलकाता में मुलाकात"
    (m,) = extract_meetings("सपा प्रमुख अखिलेश यादव ने ममता बनर्जी से मुलाकात की।", title=title)
    assert m.place == "कोलकाता"
    assert m.sentence.startswith("सपा प्रमुख")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_and_offsets_hold(text: str) -> None:
    for m in extract_meetings(text):
        assert text[m.start : m.end] == m.sentence


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "अखिलेश",
                "यादव",
                "ने",
                "से",
                "की",
                "के",
                "साथ",
                "बीच",
                "और",
                "मुलाकात",
                "मिले",
                "बैठक",
                "(",
                ")",
                "Mamata",
                "met",
                "and",
                ",",
                "।",
                ".",
                "मुख्यमंत्री",
                "में",
                "कि",
            ]
        )
    )
)
def test_never_raises_on_meeting_vocabulary(words: list[str]) -> None:
    text = " ".join(words)
    for m in extract_meetings(text):
        assert text[m.start : m.end] == m.sentence


def test_evaluate_counts_misses() -> None:
    rows = [
        {"id": "a", "text": "अखिलेश यादव ने ममता बनर्जी से मुलाकात की।", "pairs": [["ममता", "अखिलेश"]]},
        {"id": "b", "text": "बारिश हुई।", "pairs": [["राम", "श्याम"]]},
    ]
    scores = evaluate(rows)
    assert isinstance(scores, MeetingScores)
    assert (scores.precision, scores.recall, scores.n) == (1.0, 0.5, 2)
    assert [m.id for m in scores.misses] == ["b"]


def test_evaluate_rejects_malformed_rows() -> None:
    with pytest.raises(ValueError, match="pairs"):
        evaluate([{"text": "x"}])


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("ममता बनर्जी", "ममता", True),
        ("  ममता  बनर्जी ", "ममता बनर्जी", True),
        ("राम", "श्याम", False),
        ("", "राम", False),
    ],
)
def test_names_match(a: str, b: str, expected: bool) -> None:
    assert names_match(a, b) is expected


@pytest.mark.parametrize("path", [DEV, EXTRA])
def test_the_cheap_prefilter_never_hides_a_meeting(path: Path) -> None:
    if not path.exists():
        pytest.skip("data not available")
    from retrieval.meetings import mentions_meeting

    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["pairs"]:
            assert mentions_meeting(row["text"]), row["id"]
    assert not mentions_meeting("बारिश के बाद गंगा का जलस्तर बढ़ गया है।")
