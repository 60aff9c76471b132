import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.name_aliases import (
    ACRONYM_MARK,
    ALIAS_MARK,
    acronym_expansions,
    alias_terms,
    parenthetical_pairs,
)
from retrieval.transliterate import deva_key, latin_key


@pytest.mark.parametrize(
    ("text", "pairs"),
    [
        ("मुख्यमंत्री ममता बनर्जी (Mamata Banerjee) से", [("Mamata", "ममता"), ("Banerjee", "बनर्जी")]),
        ("रॉजर फ़ेडरर (Federer) ने", [("Federer", "फ़ेडरर")]),
        ("भारतीय जनता पार्टी (BJP) ने", []),  # an acronym is not a spelling of the last word
        ("कोलकाता (भारत) में", []),
        ("कुछ नहीं", []),
        ("(Federer) ने", []),
    ],
)
def test_parenthetical_pairs(text, pairs):
    assert parenthetical_pairs(text) == pairs


def test_alias_terms_only_where_the_keys_differ():
    terms = alias_terms("ममता बनर्जी (Mamata Banerjee)")
    assert latin_key("Mamata") == deva_key("ममता")
    assert terms == [f"k:{latin_key('Banerjee')}>{deva_key('बनर्जी')}"]


@given(st.text(max_size=80))
def test_never_crash(text):
    for term in alias_terms(text):
        assert term.startswith("k:")
        assert term.count(">") == 1


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("कोलकाता नाइट राइडर्स (केकेआर) की टीम", [("kkr", ("कोलकाता", "नाइट", "राइडर्स"))]),
        ("इसमें केंद्रीय जांच ब्यूरो (सीबीआई) ने", [("cbi", ("केंद्रीय", "जांच", "ब्यूरो"))]),
        ("भारतीय जनता पार्टी (भाजपा) ने", []),  # not letters read out
        ("यह मैच में (आईपीएल)", []),  # a stopword is no part of a name
        ("नाइट राइडर्स (केकेआर)", []),  # three letters, two words before them
        ("कोलकाता (केकेआर)", []),
    ],
)
def test_acronym_expansions_are_as_many_words_as_letters(text, found):
    assert acronym_expansions(text) == found


def test_an_acronyms_words_are_aliases_of_its_letters_not_its_key():
    terms = alias_terms("राष्ट्रीय लोकतांत्रिक गठबंधन (एनडीए) की बैठक")
    assert terms == [
        f"k:{ACRONYM_MARK}nda{ALIAS_MARK}{deva_key(w)}" for w in ("राष्ट्रीय", "लोकतांत्रिक", "गठबंधन")
    ]
    # The key would have merged it with INDIA read out (आईएनडीआईए): both are "endie".
    assert deva_key("एनडीए") == deva_key("आईएनडीआईए")
