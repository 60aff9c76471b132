"""Who met whom: meetings and talks between two named parties in Hindi and English news.

A sentence reports a meeting when a meeting word (मुलाकात, भेंट, बातचीत, वार्ता, बैठक, मिले ...;
"met", "talks") has two parties around it in one of the constructions Hindi news uses:

- "X ने Y से मुलाकात की", "X ने Y के साथ वार्ता की" (subject with ने, other party with से/के साथ);
- "X की Y से (हुई) मुलाकात", "Y से X की मुलाकात" (genitive subject);
- "Y से मिले X" (headline order), "X Y से मिलने पहुंचे", "Y से मुलाकात के बाद X ने ...";
- "X और Y के बीच बैठक/वार्ता", "X और Y की मुलाकात हुई", "X और Y मिले";
- "X ने कहा कि Y से बातचीत हुई" (the speaker is the other party), "X कहती हैं, ''Y से मेरी
  मुलाकात ...''" (a first-person pronoun is the speaker);
- "X ने Y से (फ़ोन पर) बात की", "X ने Y से कहा/पूछा", "Y को फ़ोन किया", "Y के घर पहुंचे";
- "X और Y में बातचीत", "A, B और C की बैठक", "Y से मुलाकात X को याद है";
- English "X met Y", "X and Y met", "talks between X and Y", "X held talks with Y".

A party that is a group ("पार्टी विधायकों के साथ बैठक"), unnamed ("किसी भी छात्र", "दोनों नेता") or
the media ("बीबीसी से बातचीत में", "प्रेस वार्ता") cancels the meeting, and so do meetings only
offered, tried, wished, refused, denied or asked about.

`extract_meetings` reads a whole report: it resolves short references to names introduced
earlier (`retrieval.meetings.names.Registry`), fills the date and the place from the report when the
sentence has none and the report is unambiguous, and keeps one meeting per pair.

The rules this reads with live beside it in `retrieval.meetings` (its `__init__` maps them).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, replace

from retrieval.meetings.clause import BOUNDARY_MARKS, NOUN_TRIGGERS, VERB_TRIGGERS
from retrieval.meetings.context import (
    RELATIVE_DATES,
    date_of_report,
    place_of_report,
    sentence_place,
    sentence_spans,
)
from retrieval.meetings.english import EN_NOUNS, EN_VERBS
from retrieval.meetings.names import Person, Registry, tokenize_words
from retrieval.meetings.phrases import phrase_before, word_key
from retrieval.meetings.sentence import analyse, same_pair
from retrieval.meetings.talk import TALK_TRIGGERS
from retrieval.types import Token

__all__ = ["Meeting", "extract_meetings", "mentions_meeting"]

_NUKTA = "\u093c"
# Any meeting word of either language, as a substring: a text without one holds no meeting.
_ANY_TRIGGER = re.compile(
    "|".join(sorted(map(re.escape, NOUN_TRIGGERS | VERB_TRIGGERS | TALK_TRIGGERS), key=len, reverse=True))
    + r"|\b(?:"
    + "|".join(sorted(EN_VERBS | EN_NOUNS))
    + r")\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Meeting:
    """One reported meeting: both parties, where and when, and the sentence that says so.

    ``start``/``end`` are the sentence's character offsets in the text given to
    `extract_meetings`, so ``text[start:end] == sentence``.
    """

    a: Person
    b: Person
    place: str | None
    when: str | None
    sentence: str
    start: int
    end: int


def _register_mentions(registry: Registry, tokens: Sequence[Token], text: str) -> None:
    """Remember every titled or full name a sentence introduces, for later short references."""
    markers = {"ने", "से", "की", "का", "के", "को", "में", "और", "पर"}
    for j, tok in enumerate(tokens):
        if word_key(tok.text) in markers or tok.text in BOUNDARY_MARKS:
            phrase = phrase_before(tokens, j, 0, text)
            if phrase is not None:
                for person in phrase.persons:
                    registry.add(person)


def _informative(m: Meeting) -> int:
    return (m.place is not None) + (m.when is not None) + (m.a.role is not None) + (m.b.role is not None)


def mentions_meeting(text: str) -> bool:
    """Whether the text holds any meeting word at all.

    A cheap test that spares most reports the full analysis; it never says no to a text the rules
    would find a meeting in.
    """
    return _ANY_TRIGGER.search(unicodedata.normalize("NFC", text).replace(_NUKTA, "")) is not None


def extract_meetings(text: str, *, title: str | None = None) -> list[Meeting]:
    """Every meeting between two named parties a report tells of, one per pair.

    Short references resolve to the full names the report introduced earlier (the title
    counts as earlier). A meeting without a date in its sentence takes the report's date when
    every specific date phrase in the report (and title) agrees; one without a place takes the
    place the report mentions most, if it clearly dominates. The same pair reported twice keeps
    the most informative sentence (place, date and roles given; the first on a tie), and takes
    a missing place or date from the other reports of it.

    Args:
        text: the report body.
        title: the report's headline, if kept apart from the body; read first.

    Returns:
        The meetings in order of first mention; an empty list when there are none.
    """
    if not mentions_meeting(f"{title or ''}\n{text}"):
        return []
    spans = sentence_spans(text)
    sentences = [text[s:e] for s, e in spans]
    # Most reports that use a meeting word report no meeting: look for a pair in the sentences
    # with a meeting word before reading the whole report for names, places and dates.
    if not any(
        analyse(sentence)[0].pairs for sentence in [title or "", *sentences] if mentions_meeting(sentence)
    ):
        return []
    registry = Registry()
    titled = ([title] if title else []) + sentences
    report_date = date_of_report(titled)
    places: list[str] = []
    raw: list[tuple[Meeting, bool]] = []
    if title:
        _register_mentions(registry, tokenize_words(title), title)
        found, _ = analyse(title)
        # A title meeting has no offsets in ``text``; it only lends place and date below.
        for a, b in found.pairs:
            m = Meeting(registry.resolve(a), registry.resolve(b), found.place, found.when, "", 0, 0)
            raw.append((m, False))
    for (start, end), sentence in zip(spans, sentences, strict=True):
        found, tokens = analyse(sentence)
        _register_mentions(registry, tokens, sentence)
        sentence_places = sentence_place(tokens, sentence, 0)
        if sentence_places:
            places.append(sentence_places)
        for a, b in found.pairs:
            m = Meeting(
                registry.resolve(a), registry.resolve(b), found.place, found.when, sentence, start, end
            )
            raw.append((m, True))
    return _merge(raw, report_date, place_of_report(places))


def _merge(
    raw: list[tuple[Meeting, bool]], report_date: str | None, report_place: str | None
) -> list[Meeting]:
    """One meeting per pair: the most informative sentence, gaps filled from the others."""
    groups: list[list[tuple[Meeting, bool]]] = []
    for item in raw:
        m = item[0]
        for group in groups:
            g = group[0][0]
            if same_pair((m.a, m.b), (g.a, g.b)):
                group.append(item)
                break
        else:
            groups.append([item])
    merged: list[Meeting] = []
    for group in groups:
        in_text = [m for m, ok in group if ok]
        if not in_text:
            continue
        best = max(in_text, key=_informative)  # max keeps the first on a tie
        place = best.place or next((m.place for m, _ in group if m.place), None) or report_place
        when = best.when
        if when is None or when in RELATIVE_DATES:
            specific = next((m.when for m, _ in group if m.when and m.when not in RELATIVE_DATES), None)
            when = specific or report_date or when
        merged.append(replace(best, place=place, when=when))
    return merged
