"""``retrieval.aliases``: every spelling of an abbreviated name gives one id, and only those do."""

from __future__ import annotations

from retrieval.aliases import ALIASES, PHRASE_HEADS, alias_of, phrase_aliases
from retrieval.normalize import normalize_term
from retrieval.stopwords import is_stopword


def norms(text: str) -> list[str]:
    return [normalize_term(w) for w in text.split()]


def test_aliases() -> None:
    assert alias_of((normalize_term("भाजपा"),)) == "bjp"
    assert alias_of(("bjp",)) == "bjp"
    assert alias_of(tuple(norms("भारतीय जनता पार्टी"))) == "bjp"
    assert alias_of(("sp",)) == alias_of((normalize_term("सपा"),)) == "sp"
    assert alias_of((normalize_term("ममता"),)) is None
    assert all(not is_stopword(normalize_term(s)) for v in ALIASES.values() for s in v if " " not in s)


def test_phrase_aliases_finds_the_longest_phrase_at_each_head() -> None:
    words = norms("कल भारतीय जनता पार्टी और समाजवादी पार्टी की बैठक")
    assert list(phrase_aliases(words)) == [(1, 4, "bjp"), (5, 7, "sp")]


def test_a_head_word_alone_is_no_phrase() -> None:
    assert normalize_term("भारतीय") in PHRASE_HEADS
    assert list(phrase_aliases(norms("भारतीय टीम जीती"))) == []
