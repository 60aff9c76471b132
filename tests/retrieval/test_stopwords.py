import pytest

from retrieval.normalize import normalize_term
from retrieval.stopwords import DEVANAGARI_STOPWORDS, ROMAN_STOPWORDS, is_stopword


def test_devanagari_entries_are_normalised():
    assert all(normalize_term(w) == w for w in DEVANAGARI_STOPWORDS)


def test_roman_entries_are_lowercase_ascii():
    assert all(w.isascii() and w.isalpha() and w == w.lower() for w in ROMAN_STOPWORDS)


def test_list_sizes():
    assert 150 <= len(DEVANAGARI_STOPWORDS) <= 250


@pytest.mark.parametrize(
    "word", ["किसने", "कब", "कहां", "कहाँ", "क्यों", "कितनी", "कौन", "क्या", "का", "में", "है", "हैं"]
)
def test_devanagari_stopwords(word):
    assert is_stopword(normalize_term(word))


@pytest.mark.parametrize("word", ["kisne", "kab", "kahan", "kyon", "kitni", "ne", "se", "mein", "hai"])
def test_roman_stopwords(word):
    assert is_stopword(word)


@pytest.mark.parametrize("word", ["up", "sp", "cm", "pm", "bjp", "tmc", "ममता", "चुनाव", "mulakat"])
def test_content_words_and_acronyms_are_kept(word):
    assert not is_stopword(normalize_term(word))


@pytest.mark.parametrize(
    ("chat", "written"), [("pr", "पर"), ("tk", "तक"), ("kb", "कब"), ("kr", "कर"), ("gya", "गया"), ("n", "न")]
)
def test_chat_spellings_are_function_words_that_reach_the_written_one(chat, written):
    from retrieval.transliterate import deva_key, latin_key

    assert is_stopword(chat)
    assert is_stopword(normalize_term(written))
    assert latin_key(chat) == deva_key(written)


def test_a_chat_question_keeps_only_its_content_words():
    from retrieval.analyze import FUNCTION_FIELD, analyze_query

    content = {
        g.word for g in analyze_query("salman ki kick film kb release ho rhi h") if g.field != FUNCTION_FIELD
    }
    assert content == {"salman", "kick", "film", "release"}
