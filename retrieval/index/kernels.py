"""The compiled inner loops of BM25 search: score postings into an accumulator, keep the best.

numpy spends a query's time on per-call overhead and temporaries (a gather, an add, a divide and a
multiply per posting, then a scatter); these loops do the same arithmetic in one pass per posting
and in the same order, so every score is bit-for-bit ``tf / (norm[len] + tf) * coef``, where
``norm`` is ``k1 * (1 - b + b * len / avgdl)`` tabulated by document length. numba compiles them
once and caches the machine code on disk.

:func:`search_blocks` scores a whole segment a block of slots at a time into a heap of the best.
:func:`score_groups` scores only chosen slots (re-ranking a shortlist) into buffers indexed by
slot: ``acc`` holds the running sums (0.0 when untouched),
``best`` is -inf and ``seen`` 0 between groups, ``mark`` is 1 for the slots listed in ``touched``
and ``allowed`` 1 for the slots that may be scored.

Over 300 lines because it is one compiled unit: the two scoring loops and the helpers they inline
(seek, touch, offer, find_ranges) are read and changed together, and each loop is long because
numba wants it flat, with no Python objects in it.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["MARGIN", "SKIP", "find_ranges", "postings_in", "score_groups", "search_blocks"]

MARGIN = 1e-9
"""Relative slack in pruning decisions, far above the rounding error of a sum of scores."""

SKIP = 64
"""Every this many postings a segment samples its slots, for searching long lists quickly."""

_BSEARCH_RATIO = 32
"""A filtered list is binary-searched when it is this many times longer than the allowed slots."""


@njit(cache=True, nogil=True)
def _lower_bound(values: NDArray[np.int32], lo: int, hi: int, target: int) -> int:  # pragma: no cover
    while lo < hi:
        mid = (lo + hi) >> 1
        if values[mid] < target:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True, nogil=True)
def _seek(
    slots: NDArray[np.int32], skips: NDArray[np.int32], at: int, hi: int, target: int
) -> int:  # pragma: no cover
    """The first position in ``[at, hi)`` whose slot is at least ``target`` (``hi`` if none).

    ``slots[at:hi]`` ascends, and ``skips[j]`` is ``slots[SKIP * j]``: a binary search over the
    samples (a few kB, in cache) narrows the search to one run of ``SKIP`` postings.
    """
    j0 = (at + SKIP - 1) // SKIP
    j1 = (hi + SKIP - 1) // SKIP
    j = _lower_bound(skips, j0, j1, target)
    lo = at if j == j0 else SKIP * (j - 1)
    end = hi if j == j1 else SKIP * j
    return _lower_bound(slots, lo, end, target)


@njit(cache=True, nogil=True)
def postings_in(
    slots: NDArray[np.int32],
    skips: NDArray[np.int32],
    lo: int,
    hi: int,
    allowed: NDArray[np.uint8],
    chosen: NDArray[np.int64],
) -> NDArray[np.int64]:  # pragma: no cover
    """Return the positions in ``slots[lo:hi]`` (ascending) of the slots that are allowed.

    ``chosen`` is the sorted list of the allowed slots of this segment; a long postings list is
    searched for each of them, a short one is scanned against the ``allowed`` bitmap.
    """
    if (hi - lo) > _BSEARCH_RATIO * len(chosen):
        out = np.empty(len(chosen), dtype=np.int64)
        n = 0
        at = lo
        for slot in chosen:
            at = _seek(slots, skips, at, hi, slot)
            if at == hi:
                break
            if slots[at] == slot:
                out[n] = at
                n += 1
        return out[:n]
    out = np.empty(hi - lo, dtype=np.int64)
    n = 0
    for p in range(lo, hi):
        if allowed[slots[p]]:
            out[n] = p
            n += 1
    return out[:n]


@njit(cache=True, nogil=True, inline="always")
def _touch(slot: int, mark: NDArray[np.uint8], touched: NDArray[np.int32], n: int) -> int:  # pragma: no cover
    if mark[slot] == 0:
        mark[slot] = 1
        touched[n] = slot
        n += 1
    return n


@njit(cache=True, nogil=True)
def score_groups(
    slots: NDArray[np.int32],
    skips: NDArray[np.int32],
    tfs: NDArray[np.uint16],
    lens: NDArray[np.uint32],
    norm: NDArray[np.float64],
    acc: NDArray[np.float64],
    best: NDArray[np.float64],
    seen: NDArray[np.int32],
    mark: NDArray[np.uint8],
    touched: NDArray[np.int32],
    n_touched: int,
    alt_lo: NDArray[np.int64],
    alt_hi: NDArray[np.int64],
    alt_coef: NDArray[np.float64],
    group_ptr: NDArray[np.int64],
    group_total: NDArray[np.int64],
    group_signed: NDArray[np.bool_],
    filtered: bool,
    allowed: NDArray[np.uint8],
    chosen: NDArray[np.int64],
) -> int:  # pragma: no cover
    """Add each group's score to ``acc`` for the postings of one segment; return ``n_touched``.

    Group ``g`` has the alternatives ``group_ptr[g]:group_ptr[g + 1]``: alternative ``a`` is the
    postings ``alt_lo[a]:alt_hi[a]`` of this segment with coefficient ``alt_coef[a]``
    (``weight * idf * (k1 + 1)``). A document adds the maximum over a group's alternatives; one
    that lacks some of the group's ``group_total[g]`` alternatives has 0 among them, which matters
    only when a coefficient is negative (``group_signed[g]``). With ``filtered``, only ``allowed``
    slots are scored (``chosen`` lists them, sorted).
    """
    empty = np.empty(0, dtype=np.int64)
    for g in range(len(group_ptr) - 1):
        a0, a1 = group_ptr[g], group_ptr[g + 1]
        signed = group_signed[g]
        total = group_total[g]
        # A filtered search visits the positions of the allowed slots; otherwise whole ranges.
        lists = []
        for a in range(a0, a1):
            lists.append(
                postings_in(slots, skips, alt_lo[a], alt_hi[a], allowed, chosen) if filtered else empty
            )
        if a1 - a0 == 1 and (total == 1 or not signed):
            coef = alt_coef[a0]
            where, lo = lists[0], alt_lo[a0]
            for j in range(len(where) if filtered else alt_hi[a0] - lo):
                p = where[j] if filtered else lo + j
                s = slots[p]
                tf = np.float64(tfs[p])
                acc[s] += tf / (norm[lens[p]] + tf) * coef
                n_touched = _touch(s, mark, touched, n_touched)
            continue
        # The maximum over the alternatives first, then one addition per document.
        for i in range(a1 - a0):
            coef = alt_coef[a0 + i]
            where, lo = lists[i], alt_lo[a0 + i]
            for j in range(len(where) if filtered else alt_hi[a0 + i] - lo):
                p = where[j] if filtered else lo + j
                s = slots[p]
                tf = np.float64(tfs[p])
                score = tf / (norm[lens[p]] + tf) * coef
                if score > best[s]:
                    best[s] = score
                if signed:
                    seen[s] += 1
        for i in range(a1 - a0):
            where, lo = lists[i], alt_lo[a0 + i]
            for j in range(len(where) if filtered else alt_hi[a0 + i] - lo):
                s = slots[where[j] if filtered else lo + j]
                score = best[s]
                if score == -np.inf:
                    continue  # added already, through another alternative
                if score < 0.0 and (not signed or seen[s] < total):
                    score = 0.0
                acc[s] += score
                best[s] = -np.inf
                seen[s] = 0
                n_touched = _touch(s, mark, touched, n_touched)
    return n_touched


@njit(cache=True, nogil=True, inline="always")
def _worse(score: float, doc: int, than_score: float, than_doc: int) -> bool:  # pragma: no cover
    """Whether (score, doc) ranks below (than_score, than_doc): lower score, or a larger id."""
    return score < than_score or (score == than_score and doc > than_doc)


@njit(cache=True, nogil=True)
def _offer(
    heap_score: NDArray[np.float64], heap_doc: NDArray[np.int64], size: int, score: float, doc: int
) -> int:  # pragma: no cover
    """Offer a document to the min-heap of the best ``len(heap_score)``; return the heap's size."""
    k = len(heap_score)
    if size < k:
        i = size
        size += 1
        while i > 0:  # sift up
            parent = (i - 1) >> 1
            if not _worse(score, doc, heap_score[parent], heap_doc[parent]):
                break
            heap_score[i], heap_doc[i] = heap_score[parent], heap_doc[parent]
            i = parent
        heap_score[i], heap_doc[i] = score, doc
        return size
    if not _worse(heap_score[0], heap_doc[0], score, doc):
        return size
    i = 0
    while True:  # sift down from the root
        child = 2 * i + 1
        if child >= k:
            break
        right = child + 1
        if right < k and _worse(heap_score[right], heap_doc[right], heap_score[child], heap_doc[child]):
            child = right
        if not _worse(heap_score[child], heap_doc[child], score, doc):
            break
        heap_score[i], heap_doc[i] = heap_score[child], heap_doc[child]
        i = child
    heap_score[i], heap_doc[i] = score, doc
    return size


@njit(cache=True, nogil=True)
def search_blocks(
    slots: NDArray[np.int32],
    tfs: NDArray[np.uint16],
    lens: NDArray[np.uint32],
    seg_start: int,
    seg_stop: int,
    norm: NDArray[np.float64],
    live: NDArray[np.bool_],
    slot_doc: NDArray[np.int64],
    alt_lo: NDArray[np.int64],
    alt_hi: NDArray[np.int64],
    alt_coef: NDArray[np.float64],
    group_ptr: NDArray[np.int64],
    group_total: NDArray[np.int64],
    group_signed: NDArray[np.bool_],
    rest: NDArray[np.float64],
    prunable: bool,
    acc: NDArray[np.float64],
    best: NDArray[np.float64],
    seen: NDArray[np.int32],
    mark: NDArray[np.uint8],
    touched: NDArray[np.int32],
    heap_score: NDArray[np.float64],
    heap_doc: NDArray[np.int64],
    heap_size: int,
) -> tuple[int, int]:  # pragma: no cover
    """Score one segment a block of slots at a time into the heap of the best; MaxScore-pruned.

    A block is ``len(acc)`` slots; ``acc``, ``best``, ``seen``, ``mark`` and ``touched`` are that
    block's buffers, indexed by slot minus the block's first slot, so they stay in cache and only
    ``norm`` is read from all over memory. Within a block every group is scored in turn, so each
    document's sum is formed in the query's group order. Groups are visited by decreasing bound;
    ``rest[g]`` is the sum of the bounds of the groups from ``g`` on. Once the heap is full, the
    groups whose ``rest`` falls below its worst score are non-essential: a document they alone
    touch cannot reach the heap, so they are scored only for documents touched before them.

    Returns the heap's new size and the number of postings scored.
    """
    n_groups = len(group_ptr) - 1
    k = len(heap_score)
    block = len(acc)
    cursor = alt_lo.copy()
    scored = 0
    for b0 in range(seg_start, seg_stop, block):
        b1 = min(b0 + block, seg_stop)
        essential = n_groups
        if prunable and heap_size == k:
            threshold = heap_score[0] * (1 - MARGIN)
            for g in range(n_groups):
                if rest[g] < threshold:
                    essential = g
                    break
        n_touched = 0
        for g in range(n_groups):
            a0, a1 = group_ptr[g], group_ptr[g + 1]
            signed, total, only_marked = group_signed[g], group_total[g], g >= essential
            if a1 - a0 == 1 and (total == 1 or not signed):
                coef = alt_coef[a0]
                p, hi = cursor[a0], alt_hi[a0]
                while p < hi and slots[p] < b1:
                    s = slots[p]
                    i = s - b0
                    if not only_marked or mark[i]:
                        tf = np.float64(tfs[p])
                        acc[i] += tf / (norm[lens[p]] + tf) * coef
                        n_touched = _touch(i, mark, touched, n_touched)
                        scored += 1
                    p += 1
                cursor[a0] = p
                continue
            # The maximum over the alternatives first, then one addition per document.
            for a in range(a0, a1):
                coef = alt_coef[a]
                p, hi = cursor[a], alt_hi[a]
                while p < hi and slots[p] < b1:
                    s = slots[p]
                    i = s - b0
                    if not only_marked or mark[i]:
                        tf = np.float64(tfs[p])
                        score = tf / (norm[lens[p]] + tf) * coef
                        if score > best[i]:
                            best[i] = score
                        if signed:
                            seen[i] += 1
                        scored += 1
                    p += 1
            for a in range(a0, a1):
                p, hi = cursor[a], alt_hi[a]
                while p < hi and slots[p] < b1:
                    i = slots[p] - b0
                    p += 1
                    score = best[i]
                    if score == -np.inf:
                        continue  # added already, through another alternative, or not scored
                    if score < 0.0 and (not signed or seen[i] < total):
                        score = 0.0
                    acc[i] += score
                    best[i] = -np.inf
                    seen[i] = 0
                    n_touched = _touch(i, mark, touched, n_touched)
                cursor[a] = p
        for j in range(n_touched):
            i = touched[j]
            score = acc[i]
            acc[i] = 0.0
            mark[i] = 0
            if score <= 0.0 or (heap_size == k and score < heap_score[0]):
                continue
            if live[b0 + i]:
                heap_size = _offer(heap_score, heap_doc, heap_size, score, slot_doc[b0 + i])
    return heap_size, scored


@njit(cache=True, nogil=True)
def find_ranges(
    terms: NDArray[np.uint32], ptr: NDArray[np.int64], wanted: NDArray[np.uint32]
) -> tuple[NDArray[np.int64], NDArray[np.int64], bool]:  # pragma: no cover
    """Each wanted term's postings range ``[lo, hi)`` in a segment (empty if absent), and any found.

    ``terms`` is the segment's sorted term array and ``ptr`` its offsets into the postings.
    """
    lo = np.zeros(len(wanted), dtype=np.int64)
    hi = np.zeros(len(wanted), dtype=np.int64)
    found = False
    for i in range(len(wanted)):
        t = wanted[i]
        a, b = 0, len(terms)
        while a < b:
            mid = (a + b) >> 1
            if terms[mid] < t:
                a = mid + 1
            else:
                b = mid
        if a < len(terms) and terms[a] == t:
            lo[i], hi[i] = ptr[a], ptr[a + 1]
            found = found or hi[i] > lo[i]
    return lo, hi, found
