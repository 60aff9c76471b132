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

ROOT = Path(__file__).resolve().parents[3]
DEV = Path(__file__).resolve().parents[4] / "shared" / "eval" / "meetings_dev.jsonl"
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


@pytest.mark.parametrize(
    "sentence",
    [
        "इसी सिलसिले में सुधा मेहता ने विनोद राय से मुलाक़ात की।",
        "सुधा मेहता ने दोस्ताना अंदाज़ में विनोद राय से बात की।",
        "सुधा मेहता ने आख़िर में विनोद राय से कहा कि वे लौट आएं।",
        "सुधा मेहता ने अपने दफ़्तर में विनोद राय से मुलाक़ात की।",
    ],
)
def test_manner_and_unnamed_places_are_no_place(sentence: str) -> None:
    (m,) = extract_meetings(sentence)
    assert m.place is None


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


@pytest.mark.parametrize("path", [DEV, EXTRA, DEV.parent / "news_meetings_dev.jsonl"])
def test_the_cheap_prefilter_never_hides_a_meeting(path: Path) -> None:
    if not path.exists():
        pytest.skip("data not available")
    from retrieval.meetings import mentions_meeting

    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        # The claim is about the rules: whatever they find, the prefilter lets through.
        if extract_from_sentence(row["text"]):
            assert mentions_meeting(row["text"]), row["id"]
    assert not mentions_meeting("बारिश के बाद गंगा का जलस्तर बढ़ गया है।")


NEWS_DEV = Path(__file__).resolve().parents[4] / "shared" / "eval" / "news_meetings_dev.jsonl"


@pytest.mark.slow
@pytest.mark.skipif(not NEWS_DEV.exists(), reason="shared news set not mounted")
def test_news_dev_set_meets_target() -> None:
    scores = evaluate(load(NEWS_DEV))
    assert scores.precision >= 0.9, scores.misses
    assert scores.f1 >= 0.85, scores.misses


# Each form news uses to report a meeting or a talk, in sentences written for these tests.
@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # nukta spellings of the meeting word and the names
        ("फ़ैज़ अहमद ने ज़ोया ख़ान से मुलाक़ात की।", {("फ़ैज़ अहमद", "ज़ोया ख़ान")}),
        ("मुख्यमंत्री गीता राव की उद्योगपति अजय शाह से मुलाकात हुई।", {("गीता राव", "अजय शाह")}),
        ("करण मल्होत्रा के साथ अजय देवल की मुलाक़ात पिछले साल हुई थी।", {("अजय देवल", "करण मल्होत्रा")}),
        ("अजय देवल की मुलाकात करण मल्होत्रा से करवाई गई।", {("अजय देवल", "करण मल्होत्रा")}),
        ("नेपाल और भूटान के बीच वार्ता हुई।", {("नेपाल", "भूटान")}),
        ("अनिल कपूर और सुनील दत्ता के बीच फ़ोन पर बातचीत हुई।", {("अनिल कपूर", "सुनील दत्ता")}),
        ("भारत के राजदूत और घाना के राष्ट्रपति कोफ़ी की बीच हुई बैठक सफल रही।", {("राजदूत", "कोफ़ी")}),
        ("उन्होंने कहा कि तहरीक और प्रांतीय सरकार में बातचीत हुई है।", {("तहरीक", "प्रांतीय सरकार")}),
        ("किरण बेदी ने प्रकाश झा से फ़ोन पर बात की।", {("किरण बेदी", "प्रकाश झा")}),
        ("किरण बेदी ने प्रकाश झा से खुलकर बात की, दोनों हंसते रहे।", {("किरण बेदी", "प्रकाश झा")}),
        ("मनोज तिवारी ने अरुण जेटली को फ़ोन किया।", {("मनोज तिवारी", "अरुण जेटली")}),
        ("सुरेश रैना अपने कोच अनिल शर्मा से मिलने पहुंचे।", {("सुरेश रैना", "अनिल शर्मा")}),
        ("अनिल शर्मा से मिलने गए सुरेश रैना", {("सुरेश रैना", "अनिल शर्मा")}),
        ("विनोद राय के घर पहुंचे अमित शाह", {("अमित शाह", "विनोद राय")}),
        ("सुधा मेहता कल विनोद राय के घर गईं।", {("सुधा मेहता", "विनोद राय")}),
        (
            "रमेश पांडे ने सुधा मेहता, विनोद राय और कविता सेन से मुलाक़ात की।",
            {("रमेश पांडे", "सुधा मेहता"), ("रमेश पांडे", "विनोद राय"), ("रमेश पांडे", "कविता सेन")},
        ),
        (
            "आयोग के सदस्य मोहन लाल, गृह सचिव रीना दास और मंत्रालय के वरिष्ठ अधिकारियों की एक बैठक हुई।",
            {("मोहन लाल", "रीना दास")},
        ),
        ("विनोद राय और 30 साल की सुधा मेहता की मुलाक़ात 2015 में हुई थी।", {("विनोद राय", "सुधा मेहता")}),
        ("सुधा मेहता ने विनोद राय से कहा कि फ़ैसला जल्द होगा।", {("सुधा मेहता", "विनोद राय")}),
        ("कप्तान ने पास में बैठे रोहित वर्मा से पूछा कि वे कहां जाएंगे।", {("कप्तान", "रोहित वर्मा")}),
        ("तो सुधा ने जाकर विनोद राय साहब को कहा कि वे लौट आएं।", {("सुधा", "विनोद राय")}),
        ("अभिनेता विनय ने अली से झगड़ा रोकने को कहा।", {("विनय", "अली")}),
        # a pronoun stands for the speaker the sentence names
        ('कविता सेन कहती हैं, "विनोद राय से मेरी मुलाक़ात दिल्ली में हुई थी."', {("कविता सेन", "विनोद राय")}),
        ('सुधा मेहता ने बताया, "हम विनोद राय के घर गए थे."', {("सुधा मेहता", "विनोद राय")}),
        ('कोच ने कहा,"हमने ज़िला संघ से भी बातचीत कर ली है."', {("कोच", "ज़िला संघ")}),
        ("कविता सेन ने बताया कि उन्होंने विनोद राय से बात की है।", {("कविता सेन", "विनोद राय")}),
        ("कविता सेन ने कहा कि वह विनोद राय से मिली थीं।", {("कविता सेन", "विनोद राय")}),
        # the party named after the meeting: memory, and the meeting as the agent
        ("विनोद राय से हुई बातचीत को याद करते हुए सुधा मेहता ने लिखा है कि वे विनम्र थे।", {("सुधा मेहता", "विनोद राय")}),
        ("विनोद राय से पहली मुलाक़ात सुधा मेहता को आज भी याद है।", {("सुधा मेहता", "विनोद राय")}),
        ("विनोद राय के साथ हुई मुलाक़ात ने सुधा मेहता के करियर को नई दिशा दी।", {("सुधा मेहता", "विनोद राय")}),
        ("राजनयिक सुधा मेहता को छात्र विनोद राय से मिलने की इजाज़त दी गई थी।", {("सुधा मेहता", "विनोद राय")}),
        ("सुधा मेहता का कहना है कि विनोद राय से उनकी मुलाकात अच्छी रही।", {("सुधा मेहता", "विनोद राय")}),
        ("सुधा मेहता, विनोद राय से मिलीं।", {("सुधा मेहता", "विनोद राय")}),
        ("सुधा मेहता और विनोद राय ने फ़ोन पर बात की।", {("सुधा मेहता", "विनोद राय")}),
        ("विनोद राय से बात करते हुए सुधा मेहता ने कहा कि सब ठीक है।", {("सुधा मेहता", "विनोद राय")}),
        ("विनोद राय के साथ बैठक में सुधा मेहता ने कहा कि सब ठीक है।", {("सुधा मेहता", "विनोद राय")}),
        ("सुधा मेहता ने कविता से विनोद राय के बारे में बात की।", {("सुधा मेहता", "कविता")}),
        ("सुधा मेहता इतनी ख़ुश हुईं कि उन्होंने फ़ोन करके विनोद राय से धन्यवाद कहा।", {("सुधा मेहता", "विनोद राय")}),
        ("मुख्यमंत्री सुधा मेहता द्वारा राज्यपाल विनोद राय से मुलाकात की गई।", {("सुधा मेहता", "विनोद राय")}),
        ("सुधा-विनोद मुलाक़ात: गठबंधन पर चर्चा", {("सुधा", "विनोद")}),
        ("अखिलेश ने की ममता से मुलाकात", {("अखिलेश", "ममता")}),
        ("चुनावों से पूर्व सज्जन सिंह ने प्रधानमंत्री रवि राय से मुलाकात की।", {("सज्जन सिंह", "रवि राय")}),
        ("रवि कुमार 2008 से कोच हैं और 2010 में अजय सिंह से मिले थे।", {("रवि कुमार", "अजय सिंह")}),
    ],
)
def test_news_forms(sentence: str, expected: set[tuple[str, str]]) -> None:
    found = extract_from_sentence(sentence)
    assert len(found) == len(expected), found
    for x, y in expected:
        assert any(
            (names_match(a, x) and names_match(b, y)) or (names_match(a, y) and names_match(b, x))
            for a, b in found
        ), (x, y, found)


@pytest.mark.parametrize(
    "sentence",
    [
        # a body's own meeting, an all-party meeting, unnamed counterparts
        "समिति के सदस्यों ने एक बैठक की।",
        "मुख्यमंत्री ने आपात बैठक बुलाई है।",
        "सर्वदलीय बैठक में सभी दलों के नेता शामिल हुए।",
        "दोनों नेता मिले।",
        "विनोद राय ने एक व्यापारी से मुलाक़ात की।",
        "रजिस्ट्रार ने किसी भी छात्र से मिलने की अनुमति नहीं दी।",
        "विनोद राय ने अपने समर्थकों से मुलाक़ात की।",
        "राज ने अपनी माँ से पूछा कि खाना कब बनेगा।",
        "उन्होंने विनोद राय से मुलाक़ात की।",
        # press conferences and interviews given to the media
        "उन्होंने संवाददाता सम्मेलन में कहा कि सरकार गिर जाएगी।",
        'अभिनेत्री ने प्रेस वार्ता में कहा, "फ़िल्म अच्छी है."',
        "कविता सेन ने बीबीसी से बातचीत में कहा कि उन्हें उम्मीद है।",
        "बीबीसी ने कॉलेज के प्रिंसिपल विनोद राय से बात की तो उन्होंने कुछ नहीं कहा।",
        "लेखिका ने विद्वान विनोद राय से इतिहास पर रेडियो से विशेष बातचीत की है।",
        "विनोद राय ने पत्रकारों से बात की।",
        "पत्रकार को दिए एक इंटरव्यू में विनोद राय ने कहा था कि वे खुश हैं।",
        # attempts that failed, talks offered, wished or refused, meetings that did not happen
        "अख़बार ने इस बार भी कंपनी से बातचीत करने की कोशिश की लेकिन उसने मना कर दिया।",
        "विनोद राय ने सुधा मेहता से मिलने की कोशिश की लेकिन मुलाक़ात नहीं हो सकी।",
        "सरकार ने विद्रोहियों से बातचीत की कोई कोशिश नहीं की है।",
        "सरकार को पड़ोसी देश से किसी तरह की बातचीत नहीं करनी चाहिए।",
        "अमरीका उत्तर कोरिया से बात करने के लिए तभी राजी होगा जब वह तैयार हो।",
        "सुधा मेहता ने विनोद राय से मिलने से इनकार कर दिया।",
        "अजय देवल और करण मल्होत्रा की मुलाक़ात टल गई।",
        "अजय देवल करण मल्होत्रा से मिलना चाहते थे।",
        "वह खेल मंत्री से मिलने की कोशिश कर रहे हैं।",
        "सुधा मेहता से पूछा गया कि क्या वह विनोद राय से मिलेंगी।",
        "अजय देवल को करण मल्होत्रा से मिलने का मौक़ा नहीं मिला।",
        "सुधा मेहता को विनोद राय से मिलने की इजाज़त नहीं दी गई।",
        "अजय देवल ने कहा कि करण मल्होत्रा से बात करने का कोई मतलब नहीं है।",
        "अजय देवल और करण मल्होत्रा की मुलाक़ात की ख़बरें ग़लत हैं।",
        "अजय देवल ने करण मल्होत्रा से मुलाक़ात की ख़बरों का खंडन किया।",
        # "से" and "मिले" in other senses
        "सुधा मेहता ने गर्व से कहा कि वे जीतेंगे।",
        "सुधा मेहता ने विनोद राय को ग़लत कहा।",
        "गेंदबाज़ ने मुड़कर बल्लेबाज़ से कहा-सुनी की।",
        "कंपनी जल्द से जल्द बातचीत करेगी।",
        "राजधानी में अगले महीने से बातचीत शुरू होगी।",
        "विनोद राय और सुधा मेहता ने मिलकर पारी को संभाला।",
        "ना जाने कैसे शक्ति और साधन मिले।",
        "हाल में पड़ोसी देश से मिले हथियारों ने सेना को मज़बूत किया।",
        "मंत्री ने इस बात की पुष्टि की।",
        "अल-क़ायदा की बैठक में फ़ैसला हुआ।",
        "वह आम तौर पर गैर-हिंसक बातचीत की रणनीति अपनाता है।",
        "ये दवाएं बाज़ार में बहुत आराम से मिलने वाली दवाओं में से हैं।",
        "राजा द्वारा दूतों के हाथ भेजी गई भेंट के विवरण मिलते हैं।",
        "गुरु ने पत्र लिखकर रमेश को सुरेश वर्मा से मिलकर संस्था बनाने की सलाह दी।",
        "युवक दल की बैठक में विनोद राय से चर्चा हुई।",
        "राजा ने क्रोध से कहा कि वह चला जाए।",
        "सुधा मेहता ने विनोद राय के बारे में बात की।",
        "संवाददाताओं से बातचीत में सुधा मेहता ने कहा कि सब ठीक है।",
        "मीडिया से बात करते हुए सुधा मेहता ने कहा कि सब ठीक है।",
        "सुधा मेहता विनोद राय से बात करना चाहती हैं।",
        "सुधा मेहता इतनी नाराज़ थीं कि उन्होंने विनोद राय से बात करना बंद कर दिया।",
        "पुलिस विनोद राय के घर पहुंची।",
        "गवाह ने अदालत को बताया कि हथियार ख़रीदा गया था।",
        "प्राचीन शहर राज्य की राजधानी से मिलने के लिए निकल गए।",
    ],
)
def test_news_negatives(sentence: str) -> None:
    assert extract_from_sentence(sentence) == []


def test_purva_after_se_is_before_not_former() -> None:
    (pair,) = extract_from_sentence("चुनावों से पूर्व सज्जन सिंह ने प्रधानमंत्री रवि राय से मुलाकात की।")
    assert pair == ("सज्जन सिंह", "रवि राय")
    (m,) = extract_meetings("गुजरात के पूर्व मंत्री अमित देव ने रवि राय से मुलाकात की।")
    assert (m.a.name, m.a.role) == ("अमित देव", "पूर्व मंत्री")
