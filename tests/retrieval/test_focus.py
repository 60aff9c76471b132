"""Focal phrases: what a question is about, which an answering report must carry."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import analyze_query, focal_phrases, select_answer, surface_words
from retrieval.normalize import normalize_term
from retrieval.types import Candidate, Span


def norm(*words: str) -> tuple[str, ...]:
    return tuple(normalize_term(w) for w in words)


@pytest.mark.parametrize(
    ("question", "phrases"),
    [
        ("पुणे मेट्रो का किराया कितना बढ़ा?", [norm("पुणे", "मेट्रो"), norm("किराया")]),
        ("सुनीता राव ने किससे शादी की?", [norm("सुनीता", "राव"), norm("शादी")]),
        ("झील के पास क्या मिला?", [norm("झील")]),  # "के पास" is grammar, not topic
        ("किस शहर में मेला लगा?", []),  # the noun after किस names the kind of answer
        ("मेला किस खेल मैदान पर लगा?", [norm("मेला")]),  # all of the noun phrase after किस does
        ("आज सोने का भाव क्या है?", [norm("सोने"), norm("भाव")]),  # आज is never the topic
        ("रमेश और सुरेश की मुलाकात कहां हुई?", [norm("रमेश"), norm("सुरेश"), norm("मुलाकात")]),
        ("ethereum ka rate aaj kitna hai", [norm("ethereum")]),
        ("1998 में पुल बना", []),  # a number constrains but is not the topic
        ("", []),
        # English: runs of content words, names apart from other words, each its last two words.
        ("Whom did Sunita Rao marry?", [norm("sunita", "rao"), norm("marry")]),
        (
            "How much has the Pune Metro fare been raised this time?",
            [norm("pune", "metro"), norm("fare"), norm("raised")],
        ),
        ("On what date did Ramesh Kumar get married?", [norm("ramesh", "kumar"), norm("married")]),
        ("Nepal's rank in the Global Hunger Index", [norm("nepal"), norm("rank"), norm("hunger", "index")]),
        ("Which city hosted the fair?", [norm("fair")]),  # after "which", words name the kind asked
        ("What is the price of the Galaxy 5C in Nepal?", [norm("price"), norm("galaxy"), norm("nepal")]),
    ],
)
def test_focal_phrases(question, phrases):
    assert list(focal_phrases(question)) == phrases


@given(st.text(max_size=120))
def test_focal_phrases_never_raise_and_hold_only_question_words(text):
    words = {normalize_term(w) for w in text.split()}
    for phrase in focal_phrases(text):
        assert phrase
        assert all(w for w in phrase)
    assert isinstance(words, set)


def test_surface_words_give_the_question_its_own_spelling():
    assert surface_words("ताजमहल के टिकट कितने के हैं?", norm("टिकट")) == ("टिकट",)


def report(report_id: int, *sentences: str) -> Candidate:
    text = " ".join(sentences)
    spans, start = [], 0
    for sentence in sentences:
        spans.append(Span(start, start + len(sentence)))
        start += len(sentence) + 1
    return Candidate(report_id, report_id, text, tuple(spans), 1.0)


def ask(question: str, *candidates: Candidate):
    query = analyze_query(question)
    # Every word as specific as a name in a real archive (idf 5 of an unknown word's 8).
    idf = {a.term: 5.0 for g in query for a in g.alternatives}
    return select_answer(query, candidates, idf, unknown_idf=8.0, focus=focal_phrases(question))


def test_a_report_without_the_topic_is_related_not_the_answer():
    taj = report(1, "आगरा में ताजमहल का संगमरमर पीला पड़ रहा है.", "ताजमहल देखने रोज़ हज़ारों लोग आते हैं.")
    answer = ask("ताजमहल के टिकट कितने के हैं?", taj)
    assert not answer.answered
    assert answer.reports == ()
    assert answer.missing == norm("टिकट")
    assert [r.report_id for r in answer.related] == [1]


def test_a_report_with_the_topic_answers():
    taj = report(1, "ताजमहल के टिकट अब 50 रुपये के हैं.", "ताजमहल देखने रोज़ हज़ारों लोग आते हैं.")
    answer = ask("ताजमहल के टिकट कितने के हैं?", taj)
    assert answer.answered
    assert answer.missing == ()
    assert "50" in answer.reports[0].quotes[0].text


def test_a_time_word_alone_never_qualifies_a_report():
    science = report(1, "आज भी चांद सुंदर दिखता है.", "विज्ञान की शिक्षा पर बहस चल रही है.")
    answer = ask("आज सोने का भाव क्या चल रहा है?", science)
    assert not answer.answered
    assert answer.related == ()
    assert set(answer.missing) == set(norm("सोने", "भाव"))


def test_a_meeting_question_needs_the_meeting():
    rally = report(1, "रमेश और सुरेश ने पटना में रैली की.", "रमेश ने भाषण दिया.")
    assert not ask("रमेश और सुरेश की मुलाकात कहां हुई?", rally).answered
    met = report(2, "रमेश और सुरेश की मुलाकात पटना में हुई.", "दोनों ने बातचीत की.")
    assert ask("रमेश और सुरेश की मुलाकात कहां हुई?", met).answered


def test_a_topic_word_the_archive_never_saw_is_not_answered_by_the_rest():
    harry = report(1, "राजकुमार हरि और सुमन बोस अलग हो गए.", "हरि और सुमन की पहली मुलाक़ात 2012 में हुई थी.")
    query = analyze_query("raajkumar hari aur suman bos ki sagaai kab hui")
    # Every word is known but "sagaai", which no report has in any spelling.
    idf = {a.term: 5.0 for g in query for a in g.alternatives if g.word != "sagaai"}
    answer = select_answer(
        query,
        [harry],
        idf,
        unknown_idf=8.0,
        focus=focal_phrases("raajkumar hari aur suman bos ki sagaai kab hui"),
    )
    assert not answer.answered
    assert answer.missing == ("sagaai",)


def test_a_phrase_with_a_common_head_is_met_only_by_its_specific_word():
    # A surname many reports hold: another Verma's wedding, with its date, is not Sunil Verma's.
    question = "सुनील वर्मा की शादी किस दिन हुई?"
    query = analyze_query(question)
    rarity = {normalize_term("वर्मा"): 2.0, normalize_term("दिन"): 3.0}
    idf = {a.term: rarity.get(g.word, 6.0) for g in query for a in g.alternatives}
    other = report(1, "अजय वर्मा की बेटी की शादी 12 मार्च को हुई.", "शादी में पूरा गांव आया.")
    answer = select_answer(query, [other], idf, unknown_idf=8.0, focus=focal_phrases(question))
    assert not answer.answered
    assert answer.missing == norm("सुनील")
    # The report that names him answers.
    his = report(2, "सुनील वर्मा की शादी 12 मार्च को हुई.", "शादी में पूरा गांव आया.")
    assert select_answer(query, [his], idf, unknown_idf=8.0, focus=focal_phrases(question)).answered
