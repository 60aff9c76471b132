"""Choosing the sentences to quote, and saying "nothing found" honestly."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import (
    Answer,
    Candidate,
    analyze_document,
    analyze_query,
    question_kind,
    select_answer,
    split_passages,
    split_sentences,
)
from retrieval.normalize import normalize_term

REPORTS = {
    1: "शिवपाल यादव सहकारिता चुनाव के लिए इटावा गए। कोलकाता में बैठक हुई। मौसम अच्छा था।",
    2: "किसानों ने फसल की कीमत पर प्रदर्शन किया। पुलिस ने रास्ता रोका।",
}


def candidates(texts: dict[int, str]) -> list[Candidate]:
    out = []
    next_id = 1
    for report_id, text in texts.items():
        for passage in split_passages(text):
            out.append(Candidate(next_id, report_id, passage.text, passage.sentences, 1.0))
            next_id += 1
    return out


def idf_for(question: str, texts: dict[int, str]) -> dict[str, float]:
    """A document frequency idf over the sentences, for the query's terms that occur."""
    docs = [analyze_document(p.text).counts for t in texts.values() for p in split_passages(t)]
    terms = {alt.term for g in analyze_query(question) for alt in g.alternatives}
    return {t: 1.0 + len(docs) / (1 + sum(t in d for d in docs)) for t in terms if any(t in d for d in docs)}


def ask(question: str, texts: dict[int, str] = REPORTS, **kw: float) -> list[list[str]]:
    answer = select_answer(
        analyze_query(question),
        candidates(texts),
        idf_for(question, texts),
        unknown_idf=10.0,
        **kw,  # type: ignore[arg-type]
    )
    return [[q.text for q in part.quotes] for part in answer.reports]


def test_quotes_the_sentence_that_carries_the_question() -> None:
    assert ask("शिवपाल यादव इटावा क्यों गए?") == [["शिवपाल यादव सहकारिता चुनाव के लिए इटावा गए।"]]


def test_romanized_question_finds_the_devanagari_sentence() -> None:
    assert ask("shivpal yadav etawa kyon gaye") == [["शिवपाल यादव सहकारिता चुनाव के लिए इटावा गए।"]]


def test_a_question_about_something_absent_finds_nothing() -> None:
    answer = select_answer(
        analyze_query("क्रिकेट विश्व कप किसने जीता?"),
        candidates(REPORTS),
        idf_for("क्रिकेट विश्व कप किसने जीता?", REPORTS),
        unknown_idf=10.0,
    )
    assert not answer.answered
    assert answer.reports == ()


def test_the_best_sentence_leads_and_others_follow_in_reading_order() -> None:
    text = {7: "बैठक कोलकाता में थी। मौसम साफ था। कोलकाता बैठक में किसानों पर चर्चा हुई।"}
    quotes = ask("कोलकाता बैठक किसानों चर्चा", text)
    assert quotes[0][0] == "कोलकाता बैठक में किसानों पर चर्चा हुई।"
    assert "मौसम साफ था।" not in quotes[0]


def test_only_stopwords_or_empty_give_nothing() -> None:
    for question in ["", "की से में है", "🙂🙂", "?!"]:
        assert ask(question) == []


def test_max_reports_is_validated() -> None:
    with pytest.raises(ValueError, match="max_reports"):
        select_answer((), [], {}, unknown_idf=1.0, max_reports=0)


@given(st.text(max_size=80))
def test_quotes_are_exact_substrings_and_highlights_inside(question: str) -> None:
    answer = select_answer(
        analyze_query(question), candidates(REPORTS), idf_for(question, REPORTS), unknown_idf=10.0
    )
    texts = list(REPORTS.values())
    for part in answer.reports:
        assert 1 <= len(part.quotes) <= 3
        for quote in part.quotes:
            assert any(quote.text in t for t in texts)
            for span in quote.highlights:
                assert 0 <= span.start < span.end <= len(quote.text)


# The best sentence names everything the question asks about; the answer follows it and repeats
# only one of its words, as does a sentence further on.
MEETING = (
    "मुख्यमंत्री ने कोलकाता में किसानों की बैठक बुलाई। बैठक में फसल बीमा पर फैसला हुआ। "
    "मौसम साफ था। शाम को बाजार में भीड़ रही। अगले दिन बैठक की खबर छपी।"
)


def test_a_weak_sentence_next_to_the_best_is_quoted_and_one_elsewhere_is_not() -> None:
    quotes = ask("मुख्यमंत्री कोलकाता किसानों बैठक", {1: MEETING})
    assert quotes == [["मुख्यमंत्री ने कोलकाता में किसानों की बैठक बुलाई।", "बैठक में फसल बीमा पर फैसला हुआ।"]]


def test_a_neighbour_without_a_question_word_is_never_quoted() -> None:
    text = {1: "मुख्यमंत्री ने कोलकाता में किसानों की बैठक बुलाई। मौसम साफ था। शाम को बाजार में भीड़ रही।"}
    assert ask("मुख्यमंत्री कोलकाता किसानों बैठक", text) == [["मुख्यमंत्री ने कोलकाता में किसानों की बैठक बुलाई।"]]


# Seven question words: the best sentence carries them all, two others six each. Side by side, each of
# the two would outweigh the best one if its neighbour's score counted towards the lead.
QUESTION = "मुख्यमंत्री कोलकाता किसानों बैठक फसल बीमा फैसला"
LEADS = [
    "मुख्यमंत्री ने कोलकाता में किसानों की बैठक में फसल बीमा पर फैसला किया।",
    "मुख्यमंत्री ने कोलकाता में किसानों की बैठक में फसल बीमा पर बात की।",
    "मुख्यमंत्री ने कोलकाता में किसानों की बैठक में फसल पर फैसला टाला।",
    "मौसम साफ था।",
    "शाम को बाजार में भीड़ रही।",
]


@given(st.permutations(LEADS))
def test_the_leading_quote_is_the_best_sentence_wherever_it_stands(order: list[str]) -> None:
    quotes = ask(QUESTION, {1: " ".join(order)})
    assert quotes[0][0] == LEADS[0]


_WORDS = ["टीम", "कप्तान", "मैच", "जीत", "शहर", "पुल", "9.63", "डा.", "ए.के.", "www.khabar.in", "ने", "कहा", "में"]
_ENDS = [".", "?", "!", "।", "|", ". ", "। ", "\n"]


@given(
    st.lists(
        st.tuples(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=8), st.sampled_from(_ENDS)),
        min_size=1,
        max_size=8,
    ),
    st.lists(st.sampled_from(["टीम", "कप्तान", "मैच", "शहर", "पुल", "जीत"]), min_size=1, max_size=3),
)
def test_quotes_are_exact_single_sentences_of_the_report(sentences, question_words):
    text = "".join(" ".join(words) + end for words, end in sentences)
    passages = split_passages(text)
    offset, candidates = 0, []
    for i, passage in enumerate(passages):
        offset = text.index(passage.text, offset)
        candidates.append(Candidate(i, 1, passage.text, passage.sentences, 1.0))
        offset += len(passage.text)
    query = analyze_query(" ".join(question_words))
    idf = {a.term: 2.0 for g in query for a in g.alternatives}
    answer = select_answer(query, candidates, idf, unknown_idf=6.0, min_coverage=0.0)
    for part in (*answer.reports, *answer.related):
        for quote in part.quotes:
            assert quote.text in text
            # One sentence: the splitter finds no sentence end inside it.
            assert [quote.text[s.start : s.end] for s in split_sentences(quote.text)] == [quote.text]


# A report that carries the whole question over three sentences, two words each, and two reports whose
# single best sentence carries more of it.
SCATTERED = "मुख्यमंत्री कोलकाता गए। किसानों की बैठक हुई। फसल बीमा पर बात हुई।"
SCATTER_QUESTION = "मुख्यमंत्री कोलकाता किसानों बैठक फसल बीमा"


def test_a_reports_weaker_sentences_give_way_to_a_stronger_one_of_the_next_report() -> None:
    strong = "मुख्यमंत्री ने कोलकाता में किसानों की बैठक बुलाई।"
    quotes = ask(SCATTER_QUESTION, {1: SCATTERED, 2: strong + " मौसम साफ था।"})
    assert len(quotes) == 2
    assert len(quotes[0]) == 1
    assert quotes[0][0] in SCATTERED
    assert quotes[1] == [strong]


def test_a_report_nearly_as_complete_with_the_stronger_sentence_leads() -> None:
    strong = "मुख्यमंत्री ने कोलकाता में किसानों की बैठक में फसल बीमा पर बात की।"
    quotes = ask(SCATTER_QUESTION, {1: SCATTERED, 2: strong})
    assert quotes[0] == [strong]
    assert quotes[1][0] in SCATTERED


def test_a_report_with_a_stronger_sentence_but_far_less_of_the_question_does_not_lead() -> None:
    quotes = ask(SCATTER_QUESTION, {1: SCATTERED, 2: "मुख्यमंत्री ने कोलकाता में किसानों की बैठक बुलाई।"})
    assert quotes[0][0] in SCATTERED


def _kinded(question: str, texts: dict[int, str]) -> Answer:
    return select_answer(
        analyze_query(question),
        candidates(texts),
        idf_for(question, texts),
        unknown_idf=10.0,
        kind=question_kind(question),
    )


def test_a_when_question_is_not_answered_by_a_report_without_a_date() -> None:
    texts = {1: "मेयर ने नए पुल का उद्घाटन किया। पुल पर भीड़ रही।"}
    answer = _kinded("पुल का उद्घाटन कब हुआ?", texts)
    assert not answer.answered
    assert answer.missing == (normalize_term("कब"),)
    assert next(q.text for part in answer.related for q in part.quotes) == "मेयर ने नए पुल का उद्घाटन किया।"
    dated = {1: "मेयर ने 12 मार्च को नए पुल का उद्घाटन किया। पुल पर भीड़ रही।"}
    assert _kinded("पुल का उद्घाटन कब हुआ?", dated).answered


def test_a_how_many_question_names_what_it_counts_when_no_report_holds_a_number() -> None:
    texts = {1: "मिताली राज ने फ़ाइनल में तेज़ी से रन बनाए। टीम ने ख़िताब जीता।"}
    answer = _kinded("फ़ाइनल में मिताली राज ने कितने रन बनाए?", texts)
    assert not answer.answered
    assert answer.missing == (normalize_term("रन"),)


def test_a_report_with_the_date_comes_before_one_without() -> None:
    texts = {
        1: "मेयर ने नए पुल का उद्घाटन किया और पुल पर भीड़ रही। मेयर का पुल सुंदर है।",
        2: "पुल का उद्घाटन 12 मार्च को हुआ।",
    }
    answer = _kinded("मेयर ने पुल का उद्घाटन कब किया?", texts)
    assert answer.answered
    assert answer.reports[0].quotes[0].text == "पुल का उद्घाटन 12 मार्च को हुआ।"


def test_a_how_many_question_is_led_by_the_number_of_the_noun_it_counts() -> None:
    # "एक सज़ा" only says "a sentence"; "दस साल" counts the years the question asks about.
    texts = {1: "रिश्वत के मामले में रमेश पाल को एक सज़ा सुनाई गई है। अदालत ने कहा कि पाल को दस साल जेल में रहना होगा।"}
    answer = _kinded("रिश्वत के मामले में रमेश पाल को कितने साल की सज़ा हुई?", texts)
    assert answer.reports[0].quotes[0].text == "अदालत ने कहा कि पाल को दस साल जेल में रहना होगा।"


def test_a_where_from_question_is_led_by_the_place_before_se() -> None:
    # The first sentence carries more of the question; the second says where from.
    texts = {
        1: "हवाई अड्डे पर लौट रहे मंत्री रमेश पाल को देखने भीड़ जुटी थी। मंत्री रमेश पाल नेपाल से लौट रहे थे। "
        "मौसम साफ था। हवाई अड्डे पर रोज़ भीड़ रहती है। नेपाल में बारिश हुई।",
    }
    answer = _kinded("हवाई अड्डे पर मंत्री रमेश पाल कहां से लौट रहे थे?", texts)
    assert answer.reports[0].quotes[0].text == "मंत्री रमेश पाल नेपाल से लौट रहे थे।"


def test_a_report_with_a_much_stronger_sentence_leads_one_that_scatters_a_little_more() -> None:
    strong = "मुख्यमंत्री ने कोलकाता में किसानों की बैठक में फसल पर बात की।"
    quotes = ask(SCATTER_QUESTION, {1: SCATTERED, 2: strong + " मौसम साफ था।"})
    assert quotes[0] == [strong]
    assert quotes[1][0] in SCATTERED


# Three sentences carry more of "बच्चों का नया टीका किसने विकसित किया?" than the one that names the doer.
VACCINE = {
    1: "बच्चों का नया टीका बुखार से बचाता है और बच्चों का नया टीका सस्ता है। "
    "बच्चों के नए टीके का विकसित रूप अगले साल बाज़ार में आएगा। "
    "डॉक्टरों का कहना है कि बच्चों का नया टीका सुरक्षित है। वैज्ञानिक सीमा राव ने इसे विकसित किया है। मौसम साफ था।"
}


def test_the_doer_of_the_act_asked_about_is_quoted_though_it_carries_few_words() -> None:
    answer = _kinded("बच्चों का नया टीका किसने विकसित किया?", VACCINE)
    assert "वैज्ञानिक सीमा राव ने इसे विकसित किया है।" in [q.text for q in answer.reports[0].quotes]


def test_the_doer_of_the_act_asked_about_leads() -> None:
    answer = _kinded("बच्चों का नया टीका किसने विकसित किया?", VACCINE)
    assert answer.reports[0].quotes[0].text == "वैज्ञानिक सीमा राव ने इसे विकसित किया है।"


def test_a_when_question_reads_the_quote_with_the_date_first_even_below_the_lead() -> None:
    # The lead carries every word of the question but no date; the quote that has the date is too
    # weak to lead, yet it answers "कब", so it is read first. What is quoted stays the same.
    texts = {1: ("मेयर सुनीता राव ने नदी पर बने नए पुल का उद्घाटन धूमधाम से किया। पुल 12 मार्च को खुला। शहर में भीड़ रही।")}
    answer = _kinded("मेयर सुनीता राव ने नदी के नए पुल का उद्घाटन कब किया?", texts)
    quotes = [q.text for q in answer.reports[0].quotes]
    assert quotes[0] == "पुल 12 मार्च को खुला।"
    assert "मेयर सुनीता राव ने नदी पर बने नए पुल का उद्घाटन धूमधाम से किया।" in quotes
    # The lead is the stronger sentence still: it leads where no date is asked for.
    assert answer.reports[0].quotes[1].support > answer.reports[0].quotes[0].support
    assert ask("मेयर सुनीता राव ने नदी के नए पुल का उद्घाटन किया", texts)[0][0].startswith("मेयर सुनीता राव")
