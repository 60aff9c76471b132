"""What a report gives in parentheses after a name: its Latin spelling, or its acronym.

"ममता बनर्जी (Mamata Banerjee)" tells how this archive writes a Latin name in Devanagari. Where the
two keys differ (banerjee → "bnerji", बनर्जी → "bnrji") the pair becomes an index term
``k:<latin key>><deva key>`` of the passage, so the key lexicon (which reads every ``k:`` term of
the store) learns it, and a question typing the Latin spelling also matches the Devanagari name in
every other report.

"कोलकाता नाइट राइडर्स (केकेआर)" tells what an acronym stands for: as many words before the
parenthesis as it reads out letters. Each word becomes ``k:=<letters>><word key>``, so a
question typing "kkr" (or केकेआर) also matches a report that only spells the name out.
"""

from __future__ import annotations

import regex

from retrieval.normalize import normalize_term
from retrieval.stopwords import is_stopword
from retrieval.transliterate import deva_key, latin_key, read_letters, skeleton

__all__ = ["ACRONYM_MARK", "ALIAS_MARK", "acronym_expansions", "alias_terms", "parenthetical_pairs"]

ALIAS_MARK = ">"
"""Separates the Latin key from the Devanagari key in an alias term."""
ACRONYM_MARK = "="
"""Opens the letters of an acronym in an alias term (``k:=kkr>kolkt``): letters, not a key, which
would merge एनडीए with आईएनडीआईए (NDA with INDIA)."""

# Up to four Devanagari words, then up to four Latin words in parentheses.
_PATTERN = regex.compile(
    r"((?:[\p{Devanagari}\p{M}]+\s+){0,3}[\p{Devanagari}\p{M}]+)\s*\(\s*"
    r"([A-Za-z][A-Za-z'.-]*(?:\s+[A-Za-z][A-Za-z'.-]*){0,3})\s*\)"
)
_MAX_WORDS = 4
# Up to six Devanagari words, then one Devanagari word in parentheses: an acronym when it reads out
# as many letters as the words before it (two to six).
_ACRONYM_PATTERN = regex.compile(
    r"((?:[\p{Devanagari}\p{M}]+\s+){1,5}[\p{Devanagari}\p{M}]+)\s*\(\s*([\p{Devanagari}\p{M}]+)\s*\)"
)
_MAX_ACRONYM = 6


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


def acronym_expansions(text: str) -> list[tuple[str, tuple[str, ...]]]:
    """Return ``(letters, words)`` for each name followed by its acronym: "कोलकाता नाइट राइडर्स (केकेआर)".

    The acronym reads out Latin letters (`read_letters`), as many as the words taken from just
    before the parenthesis; none of those words may be a stopword ("मैच में (आईपीएल)" is no name).
    """
    found: list[tuple[str, tuple[str, ...]]] = []
    for match in _ACRONYM_PATTERN.finditer(text):
        letters = read_letters(match.group(2))
        words = match.group(1).split()
        if not 2 <= len(letters) <= min(_MAX_ACRONYM, len(words)):
            continue
        named = tuple(words[-len(letters) :])
        if not any(is_stopword(normalize_term(w)) for w in named):
            found.append((letters, named))
    return found


def alias_terms(text: str) -> list[str]:
    """Return the ``k:<latin key>><deva key>`` terms of a passage's parenthetical spellings and acronyms."""
    terms: list[str] = []
    for lat, dev in parenthetical_pairs(text):
        latin, deva = latin_key(lat), deva_key(dev)
        if latin and deva and latin != deva:
            terms.append(f"k:{latin}{ALIAS_MARK}{deva}")
    for letters, words in acronym_expansions(text):
        terms += [f"k:{ACRONYM_MARK}{letters}{ALIAS_MARK}{deva_key(w)}" for w in words if deva_key(w)]
    return terms
