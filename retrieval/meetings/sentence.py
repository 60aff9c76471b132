"""One sentence on its own: the pairs it reports as meeting, with its place and date.

`analyse` runs the Hindi rules at every meeting word and the English rules when the sentence
has Latin words, drops pairs found twice, and reads place and date only when a pair was found.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrieval.meetings.clause import NOUN_TRIGGERS, VERB_TRIGGERS
from retrieval.meetings.context import sentence_date, sentence_place
from retrieval.meetings.english import EN_NOUNS, EN_VERBS, english_pairs
from retrieval.meetings.hindi import hindi_pairs
from retrieval.meetings.names import Person, has_latin, names_match, tokenize_words
from retrieval.meetings.phrases import word_key
from retrieval.meetings.talk import TALK_TRIGGERS, talk_pairs
from retrieval.types import Token


@dataclass(frozen=True, slots=True)
class Found:
    """Pairs found in one sentence, with the sentence-level place and date."""

    pairs: list[tuple[Person, Person]]
    place: str | None
    when: str | None


def analyse(sentence: str) -> tuple[Found, list[Token]]:
    """Pairs, place and date of one sentence, without any report context."""
    tokens = tokenize_words(sentence)
    pairs: list[tuple[Person, Person]] = []
    first_trigger = -1
    for t, tok in enumerate(tokens):
        word = word_key(tok.text)
        if word in NOUN_TRIGGERS or word in VERB_TRIGGERS:
            found = hindi_pairs(tokens, t, sentence)
        elif word in TALK_TRIGGERS:
            found = talk_pairs(tokens, t, sentence)
        else:
            continue
        if found and first_trigger < 0:
            first_trigger = t
        pairs.extend(found)
    if has_latin(sentence, 2):
        english = english_pairs(tokens)
        if english and first_trigger < 0:
            first_trigger = next(
                (i for i, tok in enumerate(tokens) if tok.text.lower() in EN_VERBS | EN_NOUNS), 0
            )
        pairs.extend(english)
    pairs = _dedupe_pairs(pairs)
    if not pairs:
        return Found([], None, None), tokens
    return Found(pairs, sentence_place(tokens, sentence, first_trigger), sentence_date(sentence)), tokens


def _dedupe_pairs(pairs: list[tuple[Person, Person]]) -> list[tuple[Person, Person]]:
    kept: list[tuple[Person, Person]] = []
    for a, b in pairs:
        if names_match(a.name, b.name):
            continue  # one party named twice ("X ने X से") is a parsing slip, not a meeting
        if any(same_pair((a, b), k) for k in kept):
            continue
        kept.append((a, b))
    return kept


def same_pair(p: tuple[Person, Person], q: tuple[Person, Person]) -> bool:
    """Whether two pairs name the same two parties, in either order."""
    (a, b), (c, d) = p, q
    return (a.name == c.name and b.name == d.name) or (a.name == d.name and b.name == c.name)


def extract_from_sentence(sentence: str) -> list[tuple[str, str]]:
    """The pairs of names one sentence reports as meeting, read without any other context."""
    found, _ = analyse(sentence)
    return [(a.name, b.name) for a, b in found.pairs]
