import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.normalize import clean_text, normalize_term

DEVANAGARI = st.text(alphabet=st.characters(min_codepoint=0x0900, max_codepoint=0x097F), max_size=12)


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("\u0958िला", "किला"),  # precomposed nukta letter
        ("क\u093cिला", "किला"),  # combining nukta
        ("पहुँचे", "पहुंचे"),  # chandrabindu → anusvara
        ("पन्त", "पंत"),  # dead न → anusvara
        ("राष्ट्रीय", "राषटरिय"),  # virama removed, ी → ि
        ("ऑफ़िस", "ओफिस"),  # chandra o, nukta
        ("बैठक", "बेठक"),  # ai → e
        ("औरत", "ओरत"),  # independent au → o
        ("आम", "अम"),  # independent vowel length merged
        ("अाम", "अम"),  # अ + ा composed first
        ("कूलर", "कुलर"),
        ("मुलाक़ात", "मुलाकात"),  # dependent ा kept
        ("क\u200dष", "कष"),  # ZWJ dropped
        ("२०२४", "2024"),
        ("Café", "cafe"),
        ("BJP", "bjp"),
        ("Straße", "strasse"),
    ],
)
def test_rules(word, expected):
    assert normalize_term(word) == expected


def test_spelling_variants_meet():
    assert normalize_term("ज़्यादा") == normalize_term("ज्यादा")
    assert normalize_term("पंत") == normalize_term("पन्त")
    assert normalize_term("कहाँ") == normalize_term("कहां")


@given(st.text(max_size=20))
def test_idempotent_on_any_text(word):
    once = normalize_term(word)
    assert normalize_term(once) == once


@given(DEVANAGARI)
def test_idempotent_on_devanagari(word):
    once = normalize_term(word)
    assert normalize_term(once) == once
    assert "\u094d" not in once
    assert "\u093c" not in once


def test_clean_text_drops_invisibles_and_composes():
    text = "\ufeffक\u200dष soft\u00adhyphen न\u093c"
    cleaned = clean_text(text)
    assert cleaned == unicodedata.normalize("NFC", "कष softhyphen न\u093c")
    assert "\u200d" not in cleaned
