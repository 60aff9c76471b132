"""A light Hindi stemmer: at most one inflectional suffix removed.

The rules are those of A. Ramanathan and D. D. Rao, "A Lightweight Stemmer for Hindi" (Workshop on
Computational Linguistics for South-Asian Languages, EACL 2003), in the form Lucene's
``HindiStemmer`` applies them: suffix classes tried longest first, each with a minimum word length
so that the stem keeps at least two characters. Unlike Lucene we write the suffix table in the
spelling `retrieval.normalize.normalize_term` produces (ी → ि, ू → ु, ँ → ं, ई → इ, ऊ → उ), so
every entry can fire after normalisation; Lucene's long-vowel entries never do (रहेगी stays
रहेग there, becomes रह here).
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["stem"]

# (suffix length, minimum word length, suffixes), longest class first. Lengths count code points,
# each vowel sign being one, as in the paper's implementation.
_SUFFIX_CLASSES: tuple[tuple[int, int, frozenset[str]], ...] = (
    (5, 7, frozenset(["ाएंगि", "ाएंगे", "ाउंगि", "ाउंगा", "ाइयां", "ाइयों"])),
    (
        4,
        6,
        frozenset(
            [
                "ाएगि",
                "ाएगा",
                "ाओगि",
                "ाओगे",
                "एंगि",
                "ेंगि",
                "एंगे",
                "ेंगे",
                "ुंगि",
                "ुंगा",
                "ातिं",
                "नाओं",
                "नाएं",
                "ताओं",
                "ताएं",
                "ियां",
                "ियों",
            ]
        ),
    ),
    (
        3,
        5,
        frozenset(
            [
                "ाकर",
                "ाइए",
                "ाइं",
                "ाया",
                "ेगि",
                "ेगा",
                "ोगि",
                "ोगे",
                "ाने",
                "ाना",
                "ाते",
                "ाति",
                "ाता",
                "तिं",
                "ाओं",
                "ाएं",
                "ुओं",
                "ुएं",
                "ुअं",
            ]
        ),
    ),
    (2, 4, frozenset(["कर", "ाओ", "िए", "ाइ", "ाए", "ने", "नि", "ना", "ते", "िं", "ति", "ता", "ां", "ों", "ें"])),
    (1, 3, frozenset(["ो", "े", "ु", "ि", "ा"])),
)


@lru_cache(maxsize=200_000)
def stem(term: str) -> str:
    """Strip at most one Hindi inflectional suffix from a normalised term.

    Args:
        term: A normalised Devanagari term; other strings come back unchanged.

    Returns:
        The stem.
    """
    length = len(term)
    for size, min_length, suffixes in _SUFFIX_CLASSES:
        if length >= min_length and term[-size:] in suffixes:
            return term[:-size]
    return term
