"""Latin spellings a report gives in parentheses after a name: "ममता बनर्जी (Mamata Banerjee)".

Such a pair tells how this archive writes a Latin name in Devanagari. Where the two keys differ
(banerjee → "bnerji", बनर्जी → "bnrji") the pair becomes an index term ``k:<latin key>><deva key>``
of the passage, so the key lexicon (which reads every ``k:`` term of the store) learns it, and a
question typing the Latin spelling also matches the Devanagari name in every other report.
"""

from __future__ import annotations

import regex

from retrieval.normalize import normalize_term
from retrieval.stopwords import is_stopword
from retrieval.transliterate import deva_key, latin_key, skeleton

__all__ = ["ALIAS_MARK", "alias_terms", "parenthetical_pairs"]

ALIAS_MARK = ">"
"""Separates the Latin key from the Devanagari key in an alias term."""

# Up to four Devanagari words, then up to four Latin words in parentheses.
_PATTERN = regex.compile(
    r"((?:[\p{Devanagari}\p{M}]+\s+){0,3}[\p{Devanagari}\p{M}]+)\s*\(\s*"
    r"([A-Za-z][A-Za-z'.-]*(?:\s+[A-Za-z][A-Za-z'.-]*){0,3})\s*\)"
)
_MAX_WORDS = 4


def _plausible(latin: str, deva: str) -> bool:
    """Whether two keys can spell one name: same first letter class and similar consonants."""
    a, b = skeleton(latin), skeleton(deva)
    if not a or not b:
        return False
    vowels = "aeiou"
    if a[0] != b[0] and not (a[0] in vowels and b[0] in vowels):
        return False
    shared = len(set(a[1:]) & set(b[1:]))
    return shared * 2 >= max(len(set(a[1:])), len(set(b[1:])))


def parenthetical_pairs(text: str) -> list[tuple[str, str]]:
    """Return ``(latin word, devanagari word)`` pairs of names followed by their Latin spelling.

    The Latin words in parentheses are paired, last with last, with as many Devanagari words
    right before the parenthesis; a pair is kept when neither is a stopword and their consonant
    skeletons agree (so "भारतीय जनता पार्टी (BJP)" yields nothing).

    Args:
        text: A passage.

    Returns:
        The pairs in text order; empty when the text has none.
    """
    if "(" not in text:
        return []
    pairs: list[tuple[str, str]] = []
    for match in _PATTERN.finditer(text):
        latin = match.group(2).split()
        deva = match.group(1).split()
        if len(latin) > _MAX_WORDS or len(deva) < len(latin):
            continue
        for lat, dev in zip(latin, deva[-len(latin) :], strict=True):
            lat = lat.strip("'.-")
            if not lat or is_stopword(normalize_term(dev)) or is_stopword(lat.lower()):
                continue
            if _plausible(latin_key(lat), deva_key(dev)):
                pairs.append((lat, dev))
    return pairs


def alias_terms(text: str) -> list[str]:
    """Return the ``k:<latin key>><deva key>`` terms of a passage's parenthetical spellings."""
    terms: list[str] = []
    for lat, dev in parenthetical_pairs(text):
        latin, deva = latin_key(lat), deva_key(dev)
        if latin and deva and latin != deva:
            terms.append(f"k:{latin}{ALIAS_MARK}{deva}")
    return terms
