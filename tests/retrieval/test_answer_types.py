"""What a question asks for, and where a sentence holds it: table tests in both scripts."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval import AnswerKind, analyze_query, match_spans, question_kind, select_answer, typed_spans
from retrieval.answer_types import (
    QUESTION_WORDS,
    act_asked,
    asked_for,
    counts_what_was_asked,
    names_the_agent,
    names_the_role,
    role_asked,
)
from retrieval.normalize import normalize_term
from retrieval.types import Candidate, Span


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("पुल का उद्घाटन किसने किया?", AnswerKind.PERSON),
        ("pul ka udghatan kisne kiya", AnswerKind.PERSON),
        ("मेयर कौन है", AnswerKind.PERSON),
        ("Who opened the bridge?", AnswerKind.PERSON),
        ("चुनाव कब होंगे?", AnswerKind.DATE),
        ("chunav kab honge", AnswerKind.DATE),
        # Chat spellings without vowels ask the same.
        ("salman ki film kb release ho rhi h", AnswerKind.DATE),
        ("baadh me ktne log mare", AnswerKind.NUMBER),
        ("mantri kyo laute", AnswerKind.REASON),
        ("किस साल पुल बना?", AnswerKind.DATE),
        ("kis din match hua", AnswerKind.DATE),
        # A romanized kind noun counts by its key, however its vowels are typed (तारीख, शहर, गांव).
        ("mela kis tareekh ko laga", AnswerKind.DATE),
        ("mela kis taarikh ko laga", AnswerKind.DATE),
        ("mela kis gaanv me laga", AnswerKind.PLACE),
        ("mela kis film me dikha", AnswerKind.PERSON),
        # English "what <noun>" asks like "which <noun>"; "what is" asks for no kind.
        ("On what date did the fair open?", AnswerKind.DATE),
        ("In what city was the fair held?", AnswerKind.PLACE),
        ("What is the price of a ticket?", None),
        ("How long is the new bridge?", AnswerKind.NUMBER),  # a measure asks for a number
        ("How old was the mayor?", AnswerKind.NUMBER),
        ("How did the mayor win?", None),
        ("When was the bridge opened?", AnswerKind.DATE),
        ("मेला कहां लगा?", AnswerKind.PLACE),
        ("mela kahan laga", AnswerKind.PLACE),
        ("किस शहर में मेला लगा?", AnswerKind.PLACE),
        ("Where was the fair?", AnswerKind.PLACE),
        # The head of the noun phrase after किस is its last word.
        ("फ़ाइनल किस क्रिकेट ग्राउंड पर हुआ?", AnswerKind.PLACE),
        ("final kis cricket ground par hua", AnswerKind.PLACE),
        ("किस साल विश्व कप हुआ?", AnswerKind.DATE),
        # Where from: the place something came from.
        ("मंत्री कहां से लौटे थे?", AnswerKind.ORIGIN),
        ("mantri kahan se laute the", AnswerKind.ORIGIN),
        ("वे किस शहर से आए थे?", AnswerKind.ORIGIN),
        ("Where was the minister returning from?", AnswerKind.ORIGIN),
        ("बाढ़ में कितने लोग मरे?", AnswerKind.NUMBER),
        ("badh me kitne log mare", AnswerKind.NUMBER),
        ("How many people died in the flood?", AnswerKind.NUMBER),
        ("स्कूल क्यों बंद हुए?", AnswerKind.REASON),
        ("school kyon band hue", AnswerKind.REASON),
        ("Why were schools shut?", AnswerKind.REASON),
        ("कौन सी टीम जीती?", AnswerKind.PERSON),
        ("असम में बाढ़", None),
        ("assam me badh", None),
    ],
)
def test_question_kind(question, kind):
    assert question_kind(question) is kind


def shown(sentence, kind, question):
    matched = match_spans(sentence, analyze_query(question))
    return [sentence[s.start : s.end] for s in typed_spans(sentence, kind, matched)]


@pytest.mark.parametrize(
    ("sentence", "kind", "question", "expected"),
    [
        ("हादसे में 42 लोगों की मौत हुई.", AnswerKind.NUMBER, "हादसे में कितने लोग मरे", ["42"]),
        ("फ़ाइनल में टीम 3-1 से जीती.", AnswerKind.NUMBER, "final kitne se jeeti", ["3-1"]),
        ("मैच में पांच विकेट गिरे.", AnswerKind.NUMBER, "kitne wicket gire", ["पांच"]),
        ("धावक ने 9.58 सेकेंड लिए.", AnswerKind.NUMBER, "कितने सेकेंड", ["9.58"]),
        ("मेला 17 मार्च को शुरू होगा.", AnswerKind.DATE, "मेला कब शुरू होगा", ["17 मार्च"]),
        ("पुल 1998 में बना था.", AnswerKind.DATE, "pul kab bana", ["1998"]),
        ("बैठक मंगलवार को हुई.", AnswerKind.DATE, "बैठक कब हुई", ["मंगलवार"]),
        ("यह चलन उन्नीसवीं सदी तक रहा.", AnswerKind.DATE, "यह चलन कब तक रहा", ["सदी"]),
        ("वे छठी बार शहर आए हैं.", AnswerKind.NUMBER, "वे कितनी बार शहर आए", ["छठी"]),
        ("रैली रामपुर में हुई.", AnswerKind.PLACE, "रैली कहां हुई", ["रामपुर"]),
        ("धरना ज़िला अदालत के बाहर हुआ.", AnswerKind.PLACE, "धरना कहां हुआ", ["ज़िला अदालत"]),
        ("मंत्री शुक्रवार को नेपाल से लौटे.", AnswerKind.ORIGIN, "मंत्री कहां से लौटे", ["नेपाल"]),
        ("मंत्री ने सेना की ओर से बयान दिया.", AnswerKind.ORIGIN, "मंत्री कहां से लौटे", []),
        # से marks where from only for an origin question; elsewhere it means with, by, than.
        ("मंत्री नेपाल से लौटे.", AnswerKind.PLACE, "मंत्री कहां गए", []),
        ("सुनीता राव ने पुल का उद्घाटन किया.", AnswerKind.PERSON, "pul ka udghatan kisne kiya", ["सुनीता राव"]),
        ("स्कूल की प्रिंसिपल कमला देवी हैं.", AnswerKind.PERSON, "स्कूल की प्रिंसिपल कौन है", ["कमला देवी"]),
        ("बारिश के कारण स्कूल बंद रहे.", AnswerKind.REASON, "स्कूल क्यों बंद रहे", ["के कारण"]),
        # The question's own words are never the answer.
        ("1998 में बना पुल गिरा.", AnswerKind.DATE, "1998 wala pul kab gira", []),
        ("रैली में भीड़ थी.", AnswerKind.PLACE, "रैली कहां हुई", []),
        ("उसने कुछ नहीं कहा.", AnswerKind.NUMBER, "कितने", []),
    ],
)
def test_typed_spans(sentence, kind, question, expected):
    assert shown(sentence, kind, question) == expected


@given(st.text(max_size=200), st.sampled_from(list(AnswerKind)))
def test_typed_spans_are_ordered_disjoint_spans_of_the_sentence(text, kind):
    spans = typed_spans(text, kind, [Span(0, len(text) // 2)])
    for a, b in itertools.pairwise(spans):
        assert a.end <= b.start
    assert all(0 <= s.start < s.end <= len(text) for s in spans)


@given(st.text(max_size=120))
def test_question_kind_never_raises(text):
    assert question_kind(text) in (None, *AnswerKind)


def test_selection_leads_with_the_sentence_that_holds_the_number_and_marks_it():
    first = "नगर निगम ने शहर में नए पार्क खोले."
    second = "नगर निगम ने बताया कि शहर में 14 नए पार्क खोले गए."
    third = "शहर के लोग पार्कों से ख़ुश हैं."
    text = f"{first} {second} {third}"
    a, b = len(first), len(first) + 1 + len(second)
    spans = (Span(0, a), Span(a + 1, b), Span(b + 1, len(text)))
    candidate = Candidate(1, 1, text, spans, 1.0)
    question = "नगर निगम ने शहर में कितने पार्क खोले"
    query = analyze_query(question)
    idf = {a.term: 1.0 for g in query for a in g.alternatives}
    plain = select_answer(query, [candidate], idf, unknown_idf=5.0)
    typed = select_answer(query, [candidate], idf, unknown_idf=5.0, kind=question_kind(question))
    assert "14" not in plain.reports[0].quotes[0].text
    lead = typed.reports[0].quotes[0]
    assert "14" in lead.text
    assert any(lead.text[s.start : s.end] == "14" for s in lead.highlights)


@pytest.mark.parametrize(
    ("sentence", "question", "counted"),
    [
        ("मंत्री ने बताया कि 180 देशों को यह सुविधा मिलेगी.", "कितने देशों को सुविधा", True),
        ("सेवा सात घंटे बाद चालू हुई.", "seva kitne ghante me chalu hui", True),
        ("इस सूची में 12 नाम हैं और कई देशों के लोग.", "कितने देशों को सुविधा", False),
        ("देशों की सूची लंबी है.", "कितने देशों को सुविधा", False),
    ],
)
def test_a_number_that_counts_the_asked_noun(sentence, question, counted):
    matched = match_spans(sentence, analyze_query(question))
    assert counts_what_was_asked(sentence, matched) is counted


def test_a_number_counts_the_noun_after_kitne_not_any_question_word():
    sentence = "अदालत ने उन्हें एक सज़ा सुनाई और बाद में पांच साल की क़ैद."
    query = analyze_query("कितने साल की सज़ा")
    matched = match_spans(sentence, query)
    years = match_spans(sentence, [g for g in query if g.word == normalize_term("साल")])
    assert counts_what_was_asked(sentence, matched, years)
    alone = "अदालत ने उन्हें एक सज़ा सुनाई."
    assert counts_what_was_asked(alone, match_spans(alone, query))  # any question word
    no_years = match_spans(alone, [g for g in query if g.word == normalize_term("साल")])
    assert not counts_what_was_asked(alone, match_spans(alone, query), no_years)


@pytest.mark.parametrize(
    ("words", "role"),
    [
        (["आश्रम", "वार्डन", "कौन"], "वार्डन"),
        (["film", "direktor", "kaun"], "direktor"),
        (["who", "director", "general"], "director"),
        (["पुल", "उद्घाटन", "किसने"], None),
        (["कौन", "जीता"], None),
        (["मेला", "कहां"], None),
    ],
)
def test_the_role_a_who_question_asks_to_fill(words, role):
    norms = [normalize_term(w) for w in words]
    at = role_asked(norms)
    assert (None if at is None else norms[at]) == (role and normalize_term(role))


@pytest.mark.parametrize(
    ("sentence", "question", "named"),
    [
        ("इस आश्रम की वार्डन सुनीता वर्मा भी शामिल थीं.", "आश्रम की वार्डन कौन थी", True),
        ("फ़िल्म के निर्देशक हैं रमेश कुमार.", "फ़िल्म का निर्देशक कौन है", True),
        ("वार्डन ने बताया कि बच्चे सुरक्षित हैं.", "आश्रम की वार्डन कौन थी", False),
        ("आश्रम में वार्डन नहीं थी.", "आश्रम की वार्डन कौन थी", False),
        ("निर्देशक 2014 में आए.", "फ़िल्म का निर्देशक कौन है", False),
    ],
)
def test_a_name_right_after_the_asked_role(sentence, question, named):
    query = analyze_query(question)
    words = list(dict.fromkeys(g.word for g in query if g.field != "f" or g.word in QUESTION_WORDS))
    at = role_asked(words)
    assert at is not None
    groups = [g for g in query if g.word == words[at] and g.field != "f"]
    matched = match_spans(sentence, query)
    assert names_the_role(sentence, match_spans(sentence, groups), matched) is named


@given(st.text(max_size=120), st.lists(st.integers(0, 120), max_size=4))
def test_names_the_role_never_raises_and_needs_a_role(text, starts):
    roles = [Span(s, s + 1) for s in starts if s < len(text)]
    assert names_the_role(text, [], roles) is False
    assert names_the_role(text, roles, roles) in (True, False)


def test_selection_leads_with_the_name_that_fills_the_asked_role():
    echo = "आश्रम की वार्डन के मामले में ज़िला अदालत ने आज आश्रम के दो कर्मचारियों को सज़ा सुनाई."
    answer = "आरोप था कि आश्रम की वार्डन सुनीता वर्मा भी शामिल थीं."
    text = f"{echo} {answer}"
    spans = (Span(0, len(echo)), Span(len(echo) + 1, len(text)))
    question = "आश्रम मामले में वार्डन कौन थी"
    query = analyze_query(question)
    idf = {a.term: 1.0 for g in query for a in g.alternatives}
    chosen = select_answer(
        query, [Candidate(1, 1, text, spans, 1.0)], idf, unknown_idf=5.0, kind=question_kind(question)
    )
    assert chosen.reports[0].quotes[0].text == answer


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("युवराज की शादी किस तारीख को हुई", "तारीख"),
        ("mithali ne kitne run banaye", "run"),
        ("How many people died", "people"),
        ("चुनाव कब होंगे", "कब"),
        ("kaun si team jeeti", "team"),
        ("असम में बाढ़", None),
    ],
)
def test_what_a_question_asks_for(question, asked):
    words = [normalize_term(w) for w in question.split()]
    assert asked_for(words) == (() if asked is None else (normalize_term(asked),))


@pytest.mark.parametrize(
    ("words", "act"),
    [
        (["टीका", "किसने", "विकसित"], "विकसित"),
        (["tika", "kisne", "banaya"], "banaya"),
        (["मेयर", "कौन", "है"], None),  # a role, not an act
        (["टीका", "किसने"], None),
    ],
)
def test_the_act_a_kisne_question_asks_the_doer_of(words, act):
    norms = [normalize_term(w) for w in words]
    at = act_asked(norms)
    assert (None if at is None else norms[at]) == (None if act is None else normalize_term(act))


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("वैज्ञानिक सीमा राव ने इसे विकसित किया है.", True),
        ("इसे विकसित करने में बरसों लगे.", False),  # the act, but no one before ने
        ("सीमा राव ने बच्चों से बात की.", False),  # a doer, but of another act
    ],
)
def test_a_name_before_ne_in_a_sentence_that_tells_the_act(sentence, named):
    query = analyze_query("टीका किसने विकसित किया")
    act = match_spans(sentence, [g for g in query if g.word == normalize_term("विकसित")])
    assert names_the_agent(sentence, act, match_spans(sentence, query)) is named
