"""One meeting reported by several reports: which stored meetings are the same meeting.

Two meetings are the same when they have the same two parties, in either order, after name
normalisation (`party_form`: NFC, nukta, ZWJ/ZWNJ and chandrabindu folded, spaces collapsed,
Latin casefolded); a party's aliases (a Latin spelling kept beside the name) count as its names.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval.meetings.names import party_form

__all__ = ["group_meetings", "party_form"]


def group_meetings(parties: Sequence[tuple[Sequence[str], Sequence[str]]]) -> list[tuple[int, ...]]:
    """Group the meetings that are one meeting, so that it is shown once with all its sources.

    Args:
        parties: for each meeting, the names (name first, then aliases) of its two parties, in
            the order the meetings are shown (as `pick_meetings` takes them).

    Returns:
        Every meeting's index exactly once: one tuple per meeting, its reports' indexes in input
        order, the tuples in order of first appearance. A meeting whose parties have no name
        with letters stays alone.
    """
    groups: list[list[int]] = []
    seen: dict[frozenset[str], int] = {}
    for i, (a, b) in enumerate(parties):
        forms_a = {f for f in map(party_form, a) if f}
        forms_b = {f for f in map(party_form, b) if f}
        keys = {frozenset((x, y)) for x in forms_a for y in forms_b}
        found = next((seen[k] for k in keys if k in seen), None)
        if found is None:
            found = len(groups)
            groups.append([])
        groups[found].append(i)
        for k in keys:
            seen.setdefault(k, found)
    return [tuple(g) for g in groups]
