"""The names Hindi news abbreviates, each with one canonical id: parties, offices, houses, a state.

"भाजपा", "बीजेपी", "भारतीय जनता पार्टी" and "bjp" all give the index term ``@:bjp`` (see
`retrieval.analyze`), so a question typing one form finds reports writing another. Generic
vocabulary of Indian news only, no people. `alias_of` looks up a sequence of normalised words;
`phrase_aliases` finds the multi-word ones in a passage.
"""

from __future__ import annotations

from collections.abc import Iterable

import regex

from retrieval.normalize import normalize_term
from retrieval.tokenize import WORD_PATTERN

__all__ = ["ALIASES", "MAX_ALIAS_WORDS", "PHRASE_HEADS", "alias_of", "phrase_aliases"]

# Canonical id → surface forms (Devanagari as written in news, Latin lowercase). Generic
# vocabulary of Indian news: parties, offices, houses, the most-abbreviated state; no people.
ALIASES: dict[str, tuple[str, ...]] = {
    "sp": ("सपा", "समाजवादी पार्टी", "sp", "samajwadi party"),
    "bjp": ("भाजपा", "बीजेपी", "भारतीय जनता पार्टी", "bjp", "bhajpa", "bharatiya janata party"),
    "inc": ("कांग्रेस", "congress", "इंडियन नेशनल कांग्रेस", "inc"),
    "tmc": ("टीएमसी", "तृणमूल", "तृणमूल कांग्रेस", "tmc", "trinamool", "trinamool congress"),
    "bsp": ("बसपा", "बीएसपी", "बहुजन समाज पार्टी", "bsp", "basapa", "bahujan samaj party"),
    # Not "aap": in romanized Hindi that is आप, "you".
    "aap": ("आम आदमी पार्टी", "aam aadmi party"),
    "rjd": ("राजद", "आरजेडी", "राष्ट्रीय जनता दल", "rjd", "rashtriya janata dal"),
    "ncp": ("राकांपा", "एनसीपी", "ncp"),
    "cpm": ("माकपा", "सीपीएम", "cpm", "cpi(m)"),
    "rss": ("आरएसएस", "राष्ट्रीय स्वयंसेवक संघ", "rss"),
    "up": ("यूपी", "उत्तर प्रदेश", "उत्तरप्रदेश", "up", "uttar pradesh"),
    "cm": ("सीएम", "मुख्यमंत्री", "मुख्य मंत्री", "cm", "mukhyamantri", "chief minister"),
    "pm": ("पीएम", "प्रधानमंत्री", "प्रधान मंत्री", "pm", "pradhanmantri", "prime minister"),
    "mla": ("विधायक", "एमएलए", "mla", "vidhayak"),
    "loksabha": ("लोकसभा", "लोक सभा", "loksabha", "lok sabha"),
    "rajyasabha": ("राज्यसभा", "राज्य सभा", "rajyasabha", "rajya sabha"),
    "vidhansabha": ("विधानसभा", "विधान सभा", "vidhansabha", "vidhan sabha", "assembly"),
    "ec": ("चुनाव आयोग", "निर्वाचन आयोग", "election commission"),
    "sc": ("सुप्रीम कोर्ट", "उच्चतम न्यायालय", "supreme court"),
    "hc": ("हाईकोर्ट", "हाई कोर्ट", "उच्च न्यायालय", "high court"),
}
MAX_ALIAS_WORDS = 4


def _alias_phrase_key(surface: str) -> tuple[str, ...]:
    return tuple(normalize_term(w) for w in regex.findall(r"[\p{L}\p{M}\p{Nd}]+", surface))


def _build_alias_index() -> dict[tuple[str, ...], str]:
    index: dict[tuple[str, ...], str] = {}
    for alias_id, surfaces in ALIASES.items():
        for surface in surfaces:
            words = _alias_phrase_key(surface)
            if not 0 < len(words) <= MAX_ALIAS_WORDS:
                raise ValueError(f"alias surface {surface!r} must have 1..{MAX_ALIAS_WORDS} words")
            index[words] = alias_id
    return index


_ALIAS_INDEX = _build_alias_index()


def alias_of(words: tuple[str, ...]) -> str | None:
    """Return the alias id of a sequence of normalised words, or None.

    Args:
        words: One to `MAX_ALIAS_WORDS` words, each already passed through ``normalize_term``.

    Returns:
        The canonical alias id (such as ``"bjp"``) or None.
    """
    return _ALIAS_INDEX.get(words)


def _phrase_heads() -> frozenset[str]:
    """The normalised first word of every alias surface of two words or more."""
    heads: set[str] = set()
    for surfaces in ALIASES.values():
        for surface in surfaces:
            words = [normalize_term(w) for w in WORD_PATTERN.findall(surface)]
            if len(words) > 1:
                heads.add(words[0])
    return frozenset(heads)


PHRASE_HEADS = _phrase_heads()
"""The first words of the multi-word surfaces: only a text holding one can hold an alias phrase."""


def phrase_aliases(norms: list[str]) -> Iterable[tuple[int, int, str]]:
    """Yield ``(first, past_last, alias)`` for every multi-word alias phrase in a word sequence."""
    for i, word in enumerate(norms):
        if word not in PHRASE_HEADS:
            continue
        for size in range(MAX_ALIAS_WORDS, 1, -1):
            if i + size <= len(norms):
                alias = alias_of(tuple(norms[i : i + size]))
                if alias is not None:
                    yield i, i + size, alias
                    break
