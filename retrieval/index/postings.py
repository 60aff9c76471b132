"""Immutable postings segments for the BM25 index and their merge policy.

A :class:`Segment` holds the postings of a contiguous range of *slots* (the index's internal,
append-only document numbers) in CSR form, term-major: ``terms`` is the sorted array of term ids
present, and the postings of ``terms[i]`` are ``slots[ptr[i]:ptr[i + 1]]`` (ascending) with
frequencies ``tfs[ptr[i]:ptr[i + 1]]``. Segments never change after they are built; tombstones
live in the index, and :func:`merge_segments` drops the postings of dead slots.

Building sorts one ``uint64`` key per posting (term, local document, tf packed together), which
numpy sorts with its SIMD sort and which needs no gathers afterwards. Merging a run of adjacent
segments needs no sort at all: the postings of each term are the concatenation of the inputs'
postings, in slot order, copied with one vectorised scatter per input.

The merge policy is log-structured (Lucene's ``LogMergePolicy``, the adjacent-segments relative of
``TieredMergePolicy``): sizes fall into levels of ratio :data:`MERGE_FACTOR`, and whenever the
newest :data:`MERGE_FACTOR` or more segments are at or below the level of the newest one they
merge into one. Segments of :data:`SEALED_DOCS` live documents or more are never merged again,
which bounds the cost of the largest merge; a segment more than half dead is rewritten alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from retrieval.index.kernels import SKIP, find_ranges

MAX_TF = 0xFFFF
"""The largest term frequency stored; the codec clamps larger ones, ``Index.add`` rejects them."""

MAX_LEN = 0xFFFF_FFFF
"""The largest document length a posting records (``uint32``); ``Index.add`` rejects longer ones."""

MAX_TERM_ID = 0xFFFF_FFFF
"""Term ids are ``uint32``."""

MERGE_FACTOR = 4
"""How many segments of one level merge into one (and how far apart the levels are)."""

LEVEL_BASE = 32
"""Segments with fewer live documents than this are all on level 0."""

SEALED_DOCS = 1 << 17
"""Segments with at least this many live documents take part in no further size merges."""


@dataclass(frozen=True, slots=True, eq=False)
class Segment:
    """The postings of the slots ``[start, stop)``, term-major, plus their document ids."""

    start: int
    stop: int
    terms: NDArray[np.uint32]
    ptr: NDArray[np.int64]
    slots: NDArray[np.int32]
    tfs: NDArray[np.uint16]
    lens: NDArray[np.uint32]
    """The length of each posting's document: scoring reads it in order, not from all over."""
    skips: NDArray[np.int32]
    """Every :data:`retrieval.index.kernels.SKIP`-th entry of ``slots``, to search long lists."""
    ids: NDArray[np.int64]
    """Document ids of the slots that still have an entry here, ascending."""
    id_slots: NDArray[np.int64]
    """The slot of each entry of ``ids``."""

    def ranges(self, term_ids: NDArray[np.uint32]) -> tuple[NDArray[np.int64], NDArray[np.int64], bool]:
        """Return the postings range ``[lo, hi)`` of each of ``term_ids`` here (empty if absent).

        The third value tells whether any range is non-empty.
        """
        return find_ranges(self.terms, self.ptr, term_ids)


def build_segment(
    start: int,
    ids: NDArray[np.int64],
    offsets: NDArray[np.int64],
    term_ids: NDArray[np.integer],
    tfs: NDArray[np.integer],
    doc_len: NDArray[np.integer],
) -> Segment:
    """Build the segment of documents ``ids`` (ascending), given in CSR form, at slot ``start``.

    ``doc_len`` is each document's length (the sum of its term frequencies).

    Raises:
        ValueError: a document lists the same term id twice.
    """
    n_docs = len(ids)
    term_bits = max(int(term_ids.max()).bit_length(), 1) if len(term_ids) else 1
    doc_bits = max((n_docs - 1).bit_length(), 1)
    if term_bits + doc_bits + 16 > 64:
        raise ValueError(f"a segment of {n_docs} documents is too large for term ids this big")
    # One uint64 per posting, (term, local doc, tf): sorting it groups the postings by term,
    # ascending by document within a term, and carries the tf along.
    key = term_ids.astype(np.uint64)
    key <<= np.uint64(doc_bits + 16)
    local = np.repeat(np.arange(n_docs, dtype=np.uint64), np.diff(offsets))
    local <<= np.uint64(16)
    key |= local
    key |= tfs.astype(np.uint64)
    key.sort()
    np.right_shift(key, np.uint64(16), out=local)  # (term, local doc)
    if len(local) > 1 and bool(np.any(local[1:] == local[:-1])):
        raise ValueError("term ids must be distinct within each document")
    out_tfs = (key & np.uint64(MAX_TF)).astype(np.uint16)
    slots = (local & np.uint64((1 << doc_bits) - 1)).astype(np.int32)
    lens = np.minimum(doc_len, MAX_LEN).astype(np.uint32)[slots]
    slots += np.int32(start)
    np.right_shift(local, np.uint64(doc_bits), out=local)
    del key
    term_of = local.astype(np.uint32)
    del local
    first = np.flatnonzero(term_of[1:] != term_of[:-1])
    first += 1
    first = np.concatenate(([0], first)) if len(term_of) else first
    terms = term_of[first]
    ptr = np.concatenate((first, [len(term_of)])).astype(np.int64)
    return Segment(
        start=start,
        stop=start + n_docs,
        terms=terms,
        ptr=ptr,
        slots=slots,
        tfs=out_tfs,
        lens=lens,
        skips=slots[::SKIP].copy(),
        ids=ids.astype(np.int64, copy=True),
        id_slots=np.arange(start, start + n_docs, dtype=np.int64),
    )


def _live_part(
    seg: Segment, live: NDArray[np.bool_] | None
) -> tuple[NDArray[np.uint32], NDArray[np.int64], NDArray[np.int32], NDArray[np.uint16], NDArray[np.uint32]]:
    """Return ``seg``'s terms, per-term counts, slots, tfs and lens without the dead slots'."""
    counts = np.diff(seg.ptr)
    if live is None or bool(live[seg.id_slots].all()):
        return seg.terms, counts, seg.slots, seg.tfs, seg.lens
    keep = live[seg.slots]
    kept = np.add.reduceat(keep.astype(np.int64), seg.ptr[:-1]) if len(keep) else counts
    nonempty = kept > 0
    return seg.terms[nonempty], kept[nonempty], seg.slots[keep], seg.tfs[keep], seg.lens[keep]


def _sorted_unique(values: NDArray[np.uint32]) -> NDArray[np.uint32]:
    """``np.unique`` by sorting (numpy 2's hash-based unique is far slower on millions)."""
    values.sort()
    if len(values) < 2:
        return values
    first = np.empty(len(values), dtype=bool)
    first[0] = True
    np.not_equal(values[1:], values[:-1], out=first[1:])
    return values[first]


def merge_segments(segs: Sequence[Segment], live: NDArray[np.bool_] | None = None) -> Segment:
    """Merge adjacent segments (in slot order) into one, dropping the dead slots' postings.

    ``live`` tells which slots are live, by slot; None means all of them are.
    """
    parts = [_live_part(seg, live) for seg in segs]
    union = _sorted_unique(np.concatenate([part[0] for part in parts]))
    where = [np.searchsorted(union, part[0]) for part in parts]
    totals = np.zeros(len(union), dtype=np.int64)
    for pos, (_, counts, _, _, _) in zip(where, parts, strict=True):
        totals[pos] += counts  # a term occurs once per part, so no index repeats
    ptr = np.zeros(len(union) + 1, dtype=np.int64)
    np.cumsum(totals, out=ptr[1:])
    fill = ptr[:-1].copy()
    out_slots = np.empty(int(ptr[-1]), dtype=np.int32)
    out_tfs = np.empty(int(ptr[-1]), dtype=np.uint16)
    out_lens = np.empty(int(ptr[-1]), dtype=np.uint32)
    for pos, (_, counts, slots, tfs, lens) in zip(where, parts, strict=True):
        src = np.zeros(len(counts), dtype=np.int64)
        np.cumsum(counts[:-1], out=src[1:])
        dest = np.repeat(fill[pos] - src, counts)
        dest += np.arange(len(slots), dtype=np.int64)
        out_slots[dest] = slots
        out_tfs[dest] = tfs
        out_lens[dest] = lens
        fill[pos] += counts
    ids = np.concatenate([seg.ids for seg in segs])
    id_slots = np.concatenate([seg.id_slots for seg in segs])
    if live is not None:
        alive = live[id_slots]
        ids, id_slots = ids[alive], id_slots[alive]
    order = np.argsort(ids, kind="stable")
    return Segment(
        start=segs[0].start,
        stop=segs[-1].stop,
        terms=union.astype(np.uint32),
        ptr=ptr,
        slots=out_slots,
        tfs=out_tfs,
        lens=out_lens,
        skips=out_slots[::SKIP].copy(),
        ids=ids[order],
        id_slots=id_slots[order],
    )


def _level(n_docs: int) -> int:
    level = 0
    while n_docs >= LEVEL_BASE * MERGE_FACTOR**level:
        level += 1
    return level


def plan_merge(live_docs: Sequence[int], entries: Sequence[int]) -> tuple[int, int] | None:
    """Choose the run ``[i, j)`` of adjacent segments to merge next, or None.

    Args:
        live_docs: the live document count of each segment, oldest first.
        entries: how many documents, live or dead, each segment still holds.
    """
    for i, (count, held) in enumerate(zip(live_docs, entries, strict=True)):
        # Rewriting a mostly dead segment alone reclaims its space at the cost of one merge.
        if 2 * count < held:
            return (i, i + 1)
    n = len(live_docs)
    if n < MERGE_FACTOR or live_docs[-1] >= SEALED_DOCS:
        return None
    top = _level(live_docs[-1])
    i = n
    while i > 0 and live_docs[i - 1] < SEALED_DOCS and _level(live_docs[i - 1]) <= top:
        i -= 1
    return (i, n) if n - i >= MERGE_FACTOR else None
