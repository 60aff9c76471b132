"""Query planning for the BM25 index: a query checked, folded into coefficients, ordered and located.

`plan_query` validates a query (groups of ``(term_id, weight)`` alternatives) and turns each
alternative into its scoring coefficient ``weight * idf * (k1 + 1)``, dropping terms that score
nothing and folding repeated groups into one; `locate` orders the groups by their bound, for
MaxScore pruning, and finds each alternative's postings in every segment, flattened as the
kernels (:mod:`retrieval.index.kernels`) take them. Both read the index only through what they
are given (an idf function, the segments), so planning is testable and readable on its own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from retrieval.index.postings import MAX_TERM_ID, Segment

__all__ = ["Group", "Located", "Plan", "locate", "plan_query"]

Group = Sequence[tuple[int, float]]
"""One query word's alternatives: ``(term_id, weight)`` pairs; a document scores the best."""

Plan = list[tuple[list[tuple[int, float]], int, bool]]
"""Per group: ``(term, coefficient)`` of the terms that score, the group's size, whether any is negative."""


@dataclass(frozen=True, slots=True)
class Located:
    """A planned query, its groups in visiting order, flattened as the kernels take them."""

    located: list[tuple[Segment, NDArray[np.int64], NDArray[np.int64]]]
    """Each segment holding a query term, with each alternative's postings range there."""
    coef: NDArray[np.float64]
    group_ptr: NDArray[np.int64]
    group_total: NDArray[np.int64]
    group_signed: NDArray[np.bool_]
    rest: NDArray[np.float64]
    """The sum of the bounds of the groups from each one on."""


def locate(plan: Plan, segments: Sequence[Segment]) -> Located:
    """Order the planned groups for scoring and find their postings in every segment.

    Groups are visited by decreasing bound (global statistics only, so every document's sum
    is formed in the same order however the index is segmented). Since tf / (tf + K) < 1, a
    group adds less than its largest coefficient: the bounds drive MaxScore pruning.
    """
    plan = sorted(plan, key=lambda group: -max(coef for _, coef in group[0]))
    bound = [max(coef for _, coef in alts) for alts, _, _ in plan]
    group_ptr = np.zeros(len(plan) + 1, dtype=np.int64)
    np.cumsum([len(alts) for alts, _, _ in plan], out=group_ptr[1:])
    alt_terms = np.array([t for alts, _, _ in plan for t, _ in alts], dtype=np.uint32)
    located = [(seg, *seg.ranges(alt_terms)) for seg in segments]
    return Located(
        located=[(seg, lo, hi) for seg, lo, hi, found in located if found],
        coef=np.array([c for alts, _, _ in plan for _, c in alts], dtype=np.float64),
        group_ptr=group_ptr,
        group_total=np.array([total for _, total, _ in plan], dtype=np.int64),
        group_signed=np.array([signed for _, _, signed in plan], dtype=np.bool_),
        rest=np.array([*np.cumsum(bound[::-1])[::-1].tolist(), 0.0]),
    )


def plan_query(groups: Sequence[Group], idf: Callable[[int], float], k1: float) -> Plan:
    """Validate the query; per group: (term, coefficient) of the terms present, size, signs.

    Raises:
        ValueError: a group is not a sequence of ``(term_id, weight)`` pairs, a term id is outside
            ``[0, 2**32)``, or a weight is not a finite number.
    """
    if isinstance(groups, str | bytes) or not isinstance(groups, Sequence):
        raise ValueError("groups must be a sequence of groups of (term_id, weight) pairs")
    repeats: dict[tuple[tuple[tuple[int, float], ...], int], int] = {}
    scale = k1 + 1
    for group in groups:
        if isinstance(group, str | bytes) or not isinstance(group, Sequence):
            raise ValueError("each group must be a sequence of (term_id, weight) pairs")
        alts = []
        for alt in group:
            if not isinstance(alt, Sequence) or len(alt) != 2:
                raise ValueError("each alternative must be a (term_id, weight) pair")
            term, weight = alt
            if isinstance(term, bool) or not isinstance(term, int | np.integer):
                raise ValueError(f"term ids must be integers, not {term!r}")
            if not 0 <= term <= MAX_TERM_ID:
                raise ValueError(f"term ids must be in [0, {MAX_TERM_ID}], not {term}")
            if isinstance(weight, bool) or not isinstance(weight, int | float | np.number):
                raise ValueError(f"weights must be finite numbers, not {weight!r}")
            if not math.isfinite(weight):
                raise ValueError(f"weights must be finite numbers, not {weight!r}")
            coef = float(weight) * idf(int(term)) * scale
            if coef != 0:
                alts.append((int(term), coef))
        if alts:
            key = (tuple(alts), len(group))
            repeats[key] = repeats.get(key, 0) + 1
    # A group repeated r times scores r times its max: score it once, coefficients times r.
    return [
        ([(term, coef * r) for term, coef in alts], total, any(coef < 0 for _, coef in alts))
        for (alts, total), r in repeats.items()
    ]
