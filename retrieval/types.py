"""Frozen value types shared by the retrieval stages (the one shared-types module)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` inside some text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: its surface form, where it stands, and its script.

    ``script`` is ``"deva"`` (Devanagari letters and marks), ``"latin"`` or ``"digit"``.
    """

    text: str
    start: int
    end: int
    script: str


@dataclass(frozen=True, slots=True)
class DocTerms:
    """What one passage contributes to the index: field-prefixed term -> frequency."""

    counts: dict[str, int]

    @property
    def length(self) -> int:
        """The BM25 document length: every indexed term occurrence, all fields together."""
        return sum(self.counts.values())


@dataclass(frozen=True, slots=True)
class Alternative:
    """One candidate index term for a query word, with its weight.

    ``fuzzy`` marks a neighbour found by similarity rather than a spelling of the word itself: it
    may help ranking, but it never makes an unknown word count as known.
    """

    term: str
    weight: float
    fuzzy: bool = False


@dataclass(frozen=True, slots=True)
class QueryGroup:
    """The candidates one query word offers in one field.

    A document scores the *best* alternative of a group (a synonym group), and the groups' scores
    add up over the query.
    """

    word: str
    field: str
    alternatives: tuple[Alternative, ...]


@dataclass(frozen=True, slots=True)
class Hit:
    """A ranked document: its id and BM25 score."""

    doc_id: int
    score: float


@dataclass(frozen=True, slots=True)
class Candidate:
    """A passage the ranker found, with what selection needs to quote from it."""

    passage_id: int
    report_id: int
    text: str
    sentences: tuple[Span, ...]
    score: float
    # The passage's index terms, when the caller has them: for a one-sentence passage selection then
    # need not analyse the text again.
    terms: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Quote:
    """A sentence quoted exactly from a passage, with the spans (inside ``text``) that matched the query."""

    text: str
    highlights: tuple[Span, ...]
    passage_id: int
    start: int
    # How strongly the sentence answers, read in its context, in the question's weight units; comparable
    # between reports of one answer.
    support: float = 0.0


@dataclass(frozen=True, slots=True)
class ReportAnswer:
    """The sentences quoted from one report, in reading order, and how well they cover the question."""

    report_id: int
    score: float
    coverage: float
    quotes: tuple[Quote, ...]
    # The question's content words that no sentence of the report carries (fuzzy look-alikes do not count).
    missing: tuple[str, ...] = ()
    # Whether one of the quotes holds the kind of answer asked for (a date for "कब", a number for
    # "कितने"); True when the question asks for no kind.
    holds_kind: bool = True


@dataclass(frozen=True, slots=True)
class Answer:
    """The reports that answer a question, best first; ``answered`` is False when none do.

    When no report carries the question's focal words, ``missing`` names them and ``related`` holds
    the reports that carry the rest: near the question, to be offered as related, never as the answer.
    """

    answered: bool
    reports: tuple[ReportAnswer, ...]
    missing: tuple[str, ...] = ()
    related: tuple[ReportAnswer, ...] = ()
