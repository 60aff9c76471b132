import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrieval.name_aliases import alias_terms, parenthetical_pairs
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
