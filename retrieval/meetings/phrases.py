"""Name phrases around Hindi postpositions, for the meeting rules.

The word key used for every lookup (`word_key`: NFC, nukta removed), and the phrase readers the
Hindi rules, the place finder and the report-level name registry share: `phrase_before` reads
the name phrase ending before a postposition ("X ने", "X से"), `phrase_after` the one starting
after a meeting word; both split coordinated parts ("X और Y") into separate persons and keep a
Latin alias in parentheses.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from retrieval.meetings.names import Person, has_latin, is_group, is_title, person_from_tokens
from retrieval.meetings.words import CONJUNCTIONS, QUANTIFIERS, ROLE_MODIFIERS, STOPWORDS
from retrieval.types import Token

_NAME_AFTER_TITLE: frozenset[str] = frozenset({"जो"})
GENITIVES: frozenset[str] = frozenset({"की", "का", "के"})
_AND: frozenset[str] = frozenset({"और", "व", "तथा", "एवं"})
# Units of an age between a conjunction and a name: "X और 25 साल की Y".
_AGE_UNITS: frozenset[str] = frozenset({"साल", "वर्ष", "बरस"})


@dataclass(frozen=True, slots=True)
class Phrase:
    """A noun phrase found next to a postposition: token range and the parties it names."""

    start: int
    end: int
    persons: tuple[Person, ...]
    group: bool
    first_is_title: bool


def word_key(word: str) -> str:
    """The form words are looked up in: NFC with the nukta removed ("मुलाक़ात" → "मुलाकात")."""
    decomposed = unicodedata.normalize("NFD", word).replace("\u093c", "")
    return unicodedata.normalize("NFC", decomposed)


def surface(token: Token) -> str:
    """A word as written (NFC), for names: lookups use `word_key`, output keeps the spelling."""
    return unicodedata.normalize("NFC", token.text)


def _is_word(token: Token) -> bool:
    return unicodedata.category(token.text[0])[0] in "LM"


def nameish(token: Token) -> bool:
    """Whether a token can be part of a name: a word that is no function word or time word."""
    return _is_word(token) and word_key(token.text) not in STOPWORDS


def _alias_before(tokens: Sequence[Token], close: int, text: str) -> tuple[int, str] | None:
    """For ")" at ``close``, the index of its "(" and the Latin text inside, if any."""
    for k in range(close - 1, max(close - 9, -1), -1):
        if tokens[k].text == "(":
            inner = text[tokens[k].end : tokens[close].start].strip()
            if inner and has_latin(inner):
                return k, inner
            return None
    return None


def _phrase(words: list[str], aliases: list[str], start: int, end: int) -> Phrase | None:
    """Build a phrase from its words; coordinated parts ("X और Y") become separate persons."""
    while words and word_key(words[0]) in CONJUNCTIONS:
        words.pop(0)
    if not words:
        return None
    parts: list[list[str]] = [[]]
    for w in words:
        if word_key(w) in CONJUNCTIONS:
            parts.append([])
        else:
            parts[-1].append(w)
    persons: list[Person] = []
    group = False
    for i, part in enumerate(parts):
        # The alias in parentheses belongs to the part right before it: the last one.
        part_aliases = tuple(aliases) if i == len(parts) - 1 else ()
        person = person_from_tokens(part, part_aliases)
        if person is None:
            group = group or (bool(part) and is_group(part))
            continue
        persons.append(person)
    first_is_title = is_title(word_key(words[0])) or word_key(words[0]) in ROLE_MODIFIERS
    return Phrase(start, end, tuple(persons), group, first_is_title)


def phrase_before(
    tokens: Sequence[Token], end: int, lo: int, text: str, *, coordinate: bool = True, listing: bool = False
) -> Phrase | None:
    """The name phrase ending right before token ``end``, not reaching left of ``lo``.

    With ``coordinate``, "X और Y" is one phrase of two persons; a comma joins parts too once an
    "और" closed the list ("A, B और C"), or when ``listing`` says the caller already read that "और".
    A phrase after a quantifier ("किसी भी छात्र", "दोनों नेता", "एक कारोबारी") names nobody: it comes
    back as a group without persons.
    """
    words: list[str] = []
    aliases: list[str] = []
    j = end - 1
    while j >= lo and len(words) < 8:
        tok = tokens[j]
        if tok.text == ")" and not words:
            found = _alias_before(tokens, j, text)
            if found is None:
                break
            j, alias = found[0] - 1, found[1]
            aliases.append(alias)
            continue
        word = word_key(tok.text)
        listed = listing or any(word_key(w) in _AND for w in words)
        if coordinate and word in CONJUNCTIONS and (word != "," or listed) and words and j - 1 >= lo:
            if nameish(tokens[j - 1]):
                words.insert(0, word)
                j -= 1
                continue
            break
        if not nameish(tok):
            # A few function words double as given names right after a title ("राष्ट्रपति जो").
            if not (words and word in _NAME_AFTER_TITLE and j - 1 >= lo):
                break
            if not is_title(word_key(tokens[j - 1].text)):
                break
        words.insert(0, surface(tok))
        j -= 1
    if words and word_key(words[0]) == "पूर्व" and j >= lo and word_key(tokens[j].text) == "से":
        words.pop(0)  # "चुनावों से पूर्व X ने": "before", not "former"
        j += 1
    own = _phrase(words, aliases, j + 1, end)
    if own is not None and _after_quantifier(tokens, j, lo):
        return Phrase(own.start, own.end, (), True, own.first_is_title)
    if not coordinate or own is None or j < lo or word_key(tokens[j].text) not in GENITIVES:
        return own
    # "X और [राज्य के] मुख्यमंत्री Y", "X और [25 साल की] Y": coordination reaches over the
    # genitive that qualifies a title or gives an age.
    if own.first_is_title:
        qualifier = phrase_before(tokens, j, lo, text, coordinate=False)
        q = qualifier.start if qualifier else j
    elif j - 2 >= lo and word_key(tokens[j - 1].text) in _AGE_UNITS and tokens[j - 2].text.isdigit():
        q = j - 2
    else:
        return own
    if q - 1 < lo or word_key(tokens[q - 1].text) not in _AND:
        return own
    head = phrase_before(tokens, q - 1, lo, text, listing=True)
    if head is None or not head.persons:
        return own
    return Phrase(head.start, end, head.persons + own.persons, head.group, head.first_is_title)


def _after_quantifier(tokens: Sequence[Token], j: int, lo: int) -> bool:
    """Whether token ``j`` (right before a phrase) is a quantifier, maybe with "भी" after it."""
    if j >= lo and word_key(tokens[j].text) == "भी":
        j -= 1
    return j >= lo and word_key(tokens[j].text) in QUANTIFIERS


def phrase_after(tokens: Sequence[Token], begin: int, hi: int, text: str) -> Phrase | None:
    """The name phrase starting at token ``begin``, ending before ``hi`` or a non-name word."""
    words: list[str] = []
    aliases: list[str] = []
    j = begin
    while j < hi and len(words) < 8:
        tok = tokens[j]
        word = word_key(tok.text)
        if tok.text == "(" and words:
            close = next((k for k in range(j + 1, min(j + 9, hi)) if tokens[k].text == ")"), None)
            inner = text[tok.end : tokens[close].start].strip() if close is not None else ""
            if close is None or not has_latin(inner):
                break
            aliases.append(inner)
            j = close + 1
            continue
        if word in {"और", "व", "तथा", "एवं"} and words and j + 1 < hi and nameish(tokens[j + 1]):
            words.append(word)
            j += 1
            continue
        if not nameish(tok):
            break
        words.append(surface(tok))
        j += 1
    return _phrase(words, aliases, begin, j)
