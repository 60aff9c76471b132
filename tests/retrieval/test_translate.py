"""English–Hindi dictionary senses: reading dictd, lemmas, and the alternatives a question gets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.analyze import TRANSLATION_WEIGHTS, analyze_document, analyze_query
from retrieval.lexicon import Lexicon
from retrieval.translate import MAX_SENSES, EnglishHindi, Sense, english_lemmas
from retrieval.transliterate import deva_key
from tests.auxil.dictd import SMALL, b64, dictd, entry


@pytest.fixture(scope="module")
def small() -> EnglishHindi:
    return EnglishHindi.from_dictd(*dictd(SMALL))


def words(dictionary: EnglishHindi, english: str) -> list[str]:
    return [s.word for s in dictionary.senses(english)]


def test_senses_come_in_the_dictionarys_order_up_to_the_limit(small):
    assert words(small, "director") == ["अध्यक्ष", "निर्देशक"]
    assert words(small, "idea") == ["विचार", "योजना", "मत"][:MAX_SENSES]


def test_a_verb_phrase_gives_its_noun_and_a_longer_phrase_nothing(small):
    assert words(small, "marry") == ["विवाह"]
    assert words(small, "country") == ["देश"]  # "प्रदेश का छोटा खण्ड" is no word to search for


def test_senses_split_at_commas_and_lose_their_notes(small):
    assert words(small, "phobia") == ["डर", "भीति"]
    assert words(small, "court") == ["कचहरी", "न्यायालय"]


def test_a_word_in_two_entries_counts_once(small):
    assert small.senses("ban") == (Sense("प्रतिबंध"),)  # the noun's, and the verb's phrase
    assert small.senses("win") == (Sense("जीतना"),)


def test_a_sense_is_found_by_its_key_and_a_verb_by_its_roots_forms():
    key, root = Sense("जीतना").terms
    assert key == f"k:{deva_key('जीतना')}"
    for form in ("जीत", "जिताया", "जीतकर"):
        assert root in analyze_document(form).counts, form
    assert Sense("देश").terms[1] in analyze_document("देशों").counts


@pytest.mark.parametrize(
    ("typed", "headword"),
    [
        ("married", "marry"),
        ("countries", "country"),
        ("banned", "ban"),
        ("wins", "win"),
        ("winning", "win"),
        ("won", "win"),  # irregular: LemmInflect's lexicon
        ("ideas", "idea"),
        ("Music", "music"),
    ],
)
def test_an_inflected_word_finds_its_lemmas_senses(small, typed, headword):
    assert small.senses(typed) == small.senses(headword) != ()


def test_a_word_the_dictionary_lacks_has_no_senses(small):
    assert small.senses("zebra") == ()
    assert small.senses("") == ()
    assert small.senses("s") == ()


def test_lemmas_begin_with_the_word_and_come_from_the_lexicon():
    assert list(english_lemmas("banned"))[:1] == ["banned"]
    assert "ban" in english_lemmas("banned")
    assert "take" in english_lemmas("took")
    assert list(english_lemmas("wankhede")) == ["wankhede"]  # no English word: no lemma


@given(st.text(max_size=30))
def test_lemmas_of_any_text_never_raise(text):
    lemmas = list(english_lemmas(text.lower()))
    assert lemmas[0] == text.lower()


@pytest.mark.parametrize(
    ("index", "body", "says"),
    [
        ("music\tA\n", b"x", "not a dictd index"),
        ("music\tA\t!!\n", b"x", "not a dictd index"),
        (f"music\t{b64(0)}\t{b64(50)}\n", b"short", "past its end"),
        (f"music\t{b64(0)}\t{b64(2)}\n", b"\xff\xfe", "UTF-8"),
    ],
)
def test_a_broken_dictionary_is_refused_with_what_is_wrong(index, body, says):
    with pytest.raises(ValueError, match=says):
        EnglishHindi.from_dictd(index, body)


def test_dictds_own_entries_and_phrases_are_no_headwords():
    index, body = dictd([entry("00databaseinfo", "N", "सूचना"), entry("a la carte", "N", "सूची")])
    assert len(EnglishHindi.from_dictd(index, body)) == 0


@given(st.text(max_size=40))
def test_any_text_is_looked_up_and_finds_only_single_words(text):
    small = EnglishHindi.from_dictd(*dictd(SMALL))
    for sense in small.senses(text):
        assert sense.word
        assert not any(ch.isspace() or ch in "~,{" for ch in sense.word)


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=30), st.text(max_size=30))
def test_any_dictionary_text_reads_or_is_refused_with_a_value_error(headword, sense):
    try:
        read = EnglishHindi.from_dictd(*dictd([entry(headword.replace("\t", " "), "N", sense)]))
    except ValueError:
        return
    assert all(len(read.senses(w)) <= MAX_SENSES for w in (headword, sense))


# The query side: senses join a Latin content word's key group, when the archive holds them.
def lexicon_of(*deva: str) -> Lexicon:
    return Lexicon(deva_key(w) for w in deva)


def translated(question: str, lexicon: Lexicon, dictionary: EnglishHindi) -> dict[str, dict[str, float]]:
    """Each query word's translation alternatives (terms no plain analysis gives it): term → weight."""
    plain = {(g.word, a.term) for g in analyze_query(question, lexicon) for a in g.alternatives}
    found: dict[str, dict[str, float]] = {}
    for group in analyze_query(question, lexicon, dictionary):
        for alt in group.alternatives:
            if (group.word, alt.term) not in plain:
                found.setdefault(group.word, {})[alt.term] = alt.weight
    return found


def test_an_english_questions_words_get_their_senses_at_the_english_weight(small):
    lexicon = lexicon_of("संगीत", "निर्देशक")
    found = translated("Who is the music director of the film?", lexicon, small)
    assert found["music"][f"k:{deva_key('संगीत')}"] == TRANSLATION_WEIGHTS["english"]
    assert found["director"][f"k:{deva_key('निर्देशक')}"] == TRANSLATION_WEIGHTS["english"]
    # अध्यक्ष is not in this archive: its key is no alternative (its stem still is, harmlessly).
    assert f"k:{deva_key('अध्यक्ष')}" not in found["director"]


def test_a_romanized_questions_latin_words_get_them_at_the_lower_weight(small):
    found = translated("ugly film ka naya music director kaun hai", lexicon_of("संगीत"), small)
    assert found["music"][f"k:{deva_key('संगीत')}"] == TRANSLATION_WEIGHTS["romanized"]
    assert TRANSLATION_WEIGHTS["romanized"] < TRANSLATION_WEIGHTS["english"]


def test_a_name_and_an_acronym_are_not_translated(small):
    lexicon = lexicon_of("निशान", "संगीत")
    assert "mark" not in translated("Who is Mark Changizi?", lexicon, small)
    assert "mark" in translated("mark kis cheez ka hai", lexicon, small)  # lower case: a word
    assert "music" not in translated("what is MUSIC in the new law", lexicon, small)


def test_a_sense_that_is_another_word_of_the_question_is_not_added(small):
    lexicon = lexicon_of("डर", "भीति")
    found = translated("jis phobia me hansi se dar lagta hai", lexicon, small)
    assert f"k:{deva_key('डर')}" not in found.get("phobia", {})
    assert f"k:{deva_key('भीति')}" in found["phobia"]


def test_without_a_dictionary_or_a_lexicon_nothing_is_translated(small):
    lexicon = lexicon_of("संगीत")
    assert analyze_query("music director", lexicon) == analyze_query("music director", lexicon, None)
    assert analyze_query("music director", None, small) == analyze_query("music director")


@given(st.text(alphabet=st.characters(max_codepoint=0x24F), max_size=60))
def test_latin_questions_with_a_dictionary_never_crash(text):
    small = EnglishHindi.from_dictd(*dictd(SMALL))
    for group in analyze_query(text, lexicon_of("संगीत", "देश", "डर"), small):
        assert group.alternatives
        assert all(0.0 < a.weight <= 1.0 for a in group.alternatives)


def test_an_english_questions_senses_help_find_but_do_not_carry_the_word(small):
    # In an English question every word is translated, so a sense only helps rank and quote: a report
    # holding it does not carry the word for "not found"; in romanized Hindi an English word is a
    # loan the report may well have translated, and its sense counts as the word.
    lexicon = lexicon_of("संगीत")
    senses = {
        question: [
            a for g in analyze_query(question, lexicon, small) for a in g.alternatives if a.term == "k:sngit"
        ]
        for question in ("Who is the music director?", "naya music director kaun hai")
    }
    assert deva_key("संगीत") == "sngit"
    assert [a.fuzzy for a in senses["Who is the music director?"]] == [True]
    assert [a.fuzzy for a in senses["naya music director kaun hai"]] == [False]
