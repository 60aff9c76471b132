"""Scoring sentence-level meeting extraction against labelled rows.

`evaluate` compares `extract_from_sentence` with the expected pairs of each row and returns
pair-level precision, recall and F1 (`MeetingScores`), with the rows it got wrong (`Miss`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from retrieval.meetings.names import names_match
from retrieval.meetings.sentence import extract_from_sentence


@dataclass(frozen=True, slots=True)
class Miss:
    """A row the extractor got wrong: what was expected and what it found."""

    id: str
    text: str
    expected: tuple[tuple[str, str], ...]
    found: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class MeetingScores:
    """Pair-level precision, recall and F1 over ``n`` rows, with the rows missed."""

    precision: float
    recall: float
    f1: float
    n: int
    misses: tuple[Miss, ...]


def evaluate(rows: Iterable[Mapping[str, object]]) -> MeetingScores:
    """Score `extract_from_sentence` against rows of ``{"id", "text", "pairs"}``.

    A found pair matches an expected one, in either order, when both names match
    (`names_match`: one contains the other). Each expected pair is matched at most once.

    Raises:
        ValueError: a row lacks ``text`` or ``pairs``.
    """
    tp = fp = fn = n = 0
    misses: list[Miss] = []
    for row in rows:
        text, expected = _row(row)
        n += 1
        found = extract_from_sentence(text)
        unmatched = list(expected)
        hits = 0
        for a, b in found:
            for i, (x, y) in enumerate(unmatched):
                if (names_match(a, x) and names_match(b, y)) or (names_match(a, y) and names_match(b, x)):
                    del unmatched[i]
                    hits += 1
                    break
        tp += hits
        fp += len(found) - hits
        fn += len(unmatched)
        if unmatched or hits < len(found):
            misses.append(Miss(str(row.get("id", n)), text, tuple(expected), tuple(found)))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return MeetingScores(precision, recall, f1, n, tuple(misses))


def _row(row: Mapping[str, object]) -> tuple[str, list[tuple[str, str]]]:
    text = row.get("text")
    pairs = row.get("pairs")
    if not isinstance(text, str) or not isinstance(pairs, list):
        raise ValueError("each row needs 'text' (a string) and 'pairs' (a list of [name, name])")
    expected: list[tuple[str, str]] = []
    for pair in pairs:
        if not isinstance(pair, list | tuple) or len(pair) != 2:
            raise ValueError(f"a pair must be two names, got {pair!r}")
        expected.append((str(pair[0]), str(pair[1])))
    return text, expected
