"""Subscription topics: parse one, analyse it like a question, and decide whether a new report matches.

A topic is written like a question ("ममता बनर्जी", "akhilesh", "सहकारिता चुनाव -क्रिकेट") and goes
through :func:`retrieval.analyze_query`, so a romanized topic reaches Devanagari reports through the
``k:`` field. A ``-word`` excludes every report that contains the word in any field but stopwords.

The decision is the honest answer rule of ``retrieval.select_answer`` restricted to one report: the
report matches when the sentences selection would quote carry at least half of the topic's
idf-weighted words. Passages are analysed once per report; a cheap upper bound (the topic words present
anywhere in the report) rules out almost every topic with set look-ups, so one report against ten
thousand topics runs selection only for the few that can match. ``tests/bot/test_topics.py`` checks the
shortcut against ``select_answer`` over all of a report's passages.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from retrieval import (
    FUNCTION_FIELD,
    Candidate,
    Lexicon,
    QueryGroup,
    Quote,
    Span,
    analyze_document,
    analyze_query,
    clean_text,
    select_answer,
)

# The share of the topic's weight a report must carry. Passed to select_answer explicitly: a push
# notification should be at least as sure as an answer, whatever threshold answers are tuned to.
MIN_COVERAGE = 0.5
# A notification quotes at most this many of the chosen sentences.
MAX_QUOTED = 2
MAX_TOPIC_CHARS = 100


def canonical_topic(text: str) -> str:
    """The topic as stored: cleaned of markup, NFC, whitespace folded, Latin letters lower-cased.

    ``''`` stands for every report.
    """
    return " ".join(unicodedata.normalize("NFC", clean_text(text)).split()).lower()


@dataclass(frozen=True, slots=True)
class Topic:
    """An analysed topic: the query groups to match and, per ``-word``, the groups that exclude."""

    text: str
    include: tuple[QueryGroup, ...]
    exclude: tuple[tuple[QueryGroup, ...], ...]
    # Every index term whose presence can make this topic match (function words aside).
    terms: frozenset[str]

    @property
    def excluded_words(self) -> tuple[str, ...]:
        """The ``-words`` as written, without the minus."""
        return tuple(w[1:] for w in self.text.split() if w.startswith("-") and len(w) > 1)


def analyze_topic(text: str, lexicon: Lexicon | None = None) -> Topic:
    """Analyse a canonical topic; ``include`` is empty when it has no word to look for."""
    words = text.split()
    wanted = " ".join(w for w in words if not w.startswith("-"))
    unwanted = [w[1:] for w in words if w.startswith("-") and len(w) > 1]
    exclude = []
    for word in unwanted:
        # No lexicon: an exclusion is the word itself in its spellings, never a fuzzy neighbour.
        groups = tuple(g for g in analyze_query(word) if g.field != FUNCTION_FIELD)
        if groups:
            exclude.append(groups)
    include = analyze_query(wanted, lexicon) if wanted else ()
    terms = frozenset(a.term for g in include if g.field != FUNCTION_FIELD for a in g.alternatives)
    return Topic(text, include, tuple(exclude), terms)


def has_content(topic: Topic) -> bool:
    """Whether the topic has a word to look for besides stopwords."""
    return any(g.field != FUNCTION_FIELD for g in topic.include)


@dataclass(frozen=True, slots=True)
class PreparedPassage:
    """One passage of a report with its index terms."""

    id: int
    text: str
    sentences: tuple[Span, ...]
    terms: frozenset[str]


@dataclass(frozen=True, slots=True)
class PreparedReport:
    """A report's passages analysed once, for matching against every topic."""

    report_id: int
    passages: tuple[PreparedPassage, ...]
    terms: frozenset[str]


def prepare_report(
    report_id: int, passages: Iterable[tuple[int, str, Sequence[tuple[int, int]]]]
) -> PreparedReport:
    """Analyse ``(passage id, text, sentence offsets)`` passages, given in reading order."""
    prepared = tuple(
        PreparedPassage(
            pid, text, tuple(Span(a, b) for a, b in spans), frozenset(analyze_document(text).counts)
        )
        for pid, text, spans in passages
    )
    return PreparedReport(report_id, prepared, frozenset().union(*(p.terms for p in prepared)))


@dataclass(frozen=True, slots=True)
class TopicMatch:
    """Why a report matched: the quoted sentences (matched words as spans) and the coverage."""

    coverage: float
    quotes: tuple[Quote, ...]


def excluded(topic: Topic, report: PreparedReport) -> bool:
    """Whether the report contains one of the topic's ``-words``."""
    return any(a.term in report.terms for groups in topic.exclude for g in groups for a in g.alternatives)


def coverage_bound(
    topic: Topic, report: PreparedReport, idf: Mapping[str, float], unknown_idf: float
) -> float:
    """An upper bound of the coverage selection can find: the topic words present anywhere in the report.

    Weighs words as ``retrieval.select`` does (function words left out; a word is known by its own
    spellings, not by fuzzy neighbours); a word's credit never exceeds its weight, so no chosen subset
    of sentences can cover more.
    """
    weights: dict[str, float] = {}
    present: set[str] = set()
    for group in topic.include:
        if group.field == FUNCTION_FIELD:
            continue
        known = [a.weight * idf[a.term] for a in group.alternatives if a.term in idf and not a.fuzzy]
        weights[group.word] = max(weights.get(group.word, 0.0), max(known, default=0.0))
        if any(a.term in report.terms for a in group.alternatives):
            present.add(group.word)
    total = sum(w if w > 0.0 else unknown_idf for w in weights.values())
    if total <= 0.0:
        return 0.0
    return sum(weights[w] if weights[w] > 0.0 else unknown_idf for w in present) / total


def match_topic(
    topic: Topic, report: PreparedReport, idf: Mapping[str, float], unknown_idf: float
) -> TopicMatch | None:
    """The sentences by which ``report`` answers ``topic``, or ``None`` when it does not.

    Args:
        topic: the analysed topic (not the catch-all).
        report: the prepared report.
        idf: idf of each index term the index knows (a term missing here scores nothing).
        unknown_idf: the weight of a topic word none of whose terms the index knows.
    """
    if topic.terms.isdisjoint(report.terms) or excluded(topic, report):
        return None
    if coverage_bound(topic, report, idf, unknown_idf) < MIN_COVERAGE:
        return None
    # Selection reads every passage, since it weighs a sentence together with its neighbours; the
    # passages' terms spare it analysing their texts again.
    candidates = [
        Candidate(p.id, report.report_id, p.text, p.sentences, 0.0, p.terms) for p in report.passages
    ]
    answer = select_answer(
        topic.include, candidates, idf, unknown_idf=unknown_idf, max_reports=1, min_coverage=MIN_COVERAGE
    )
    if not answer.answered:
        return None
    part = answer.reports[0]
    # Quote the (at most two) sentences with the most matched words, in reading order.
    best = sorted(range(len(part.quotes)), key=lambda i: (-len(part.quotes[i].highlights), i))
    quotes = tuple(part.quotes[i] for i in sorted(best[:MAX_QUOTED]))
    return TopicMatch(part.coverage, quotes)


def lead(report: PreparedReport, count: int = MAX_QUOTED) -> tuple[Quote, ...]:
    """The report's first sentences, unhighlighted: what the catch-all subscription quotes."""
    quotes: list[Quote] = []
    for passage in report.passages:
        for span in passage.sentences:
            text = passage.text[span.start : span.end]
            if len(quotes) < count and all(q.text != text for q in quotes):
                quotes.append(Quote(text, (), passage.id, span.start))
    return tuple(quotes)
