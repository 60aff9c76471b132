"""An in-memory, incrementally growing BM25 index over integer term ids and document ids.

Scoring is Okapi BM25 exactly as ``rank_bm25.BM25Okapi`` computes it (our reference
implementation, https://github.com/dorianbrown/rank_bm25), with ``k1 = 1.5``, ``b = 0.75`` and
``epsilon = 0.25`` by default (Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25
and Beyond", 2009; the variants and the epsilon floor as surveyed by Trotman, Puurula & Burgess,
"Improvements to BM25 and Language Models Examined", ADCS 2014)::

    idf(t)      = ln(N - df(t) + 0.5) - ln(df(t) + 0.5)
                  or, where that is negative, epsilon * (the mean of that raw idf over every
                  term with df > 0)
    bm25(t, d)  = idf(t) * tf(t, d) * (k1 + 1) / (tf(t, d) + k1 * (1 - b + b * |d| / avgdl))

``N`` counts the live documents, ``|d|`` is the sum of a document's term frequencies, and ``avgdl``
is the mean of ``|d|`` over the live documents. Like rank_bm25 we keep Robertson's idf, which is
negative for terms in more than half the documents, and its epsilon floor; when the mean idf itself
is negative (tiny or uniform corpora) the floor is negative too, and so are such terms' scores, as
in rank_bm25. A term with idf exactly 0 scores 0.

A query is a sequence of *groups* of weighted alternatives (synonyms, transliterations, fields):
a document scores ``max(weight * bm25(t, d))`` over a group's alternatives, where an alternative
the document lacks scores 0, and the groups' scores add up. With one alternative of weight 1 per
group this is ``BM25Okapi.get_scores`` summed over the query tokens. Only documents scoring above
0 are returned, best first, ties broken by ascending document id. Scores agree with rank_bm25 to
within a few ulps, and they are bit-for-bit independent of how documents were batched or merged.

Documents live in immutable segments (see :mod:`retrieval.index.postings`); ``add`` builds one per batch
and a log-structured merge policy keeps their number logarithmic. ``remove`` sets tombstones and
updates ``N``, ``df``, ``avgdl`` and the idf floor at once; merges reclaim the space.

Search runs compiled loops (:mod:`retrieval.index.kernels`) over the query terms' postings, a block of
slots at a time: within a block every group is scored in turn into a small accumulator that stays
in cache, and each posting carries its document's length, so the only table looked up at random is
the BM25 length normalisation by length (a few kB). The best ``k`` are kept in a heap; once it is
full, MaxScore (Turtle & Flood, 1995) scores the groups that cannot lift an unseen document into it
only for documents already seen. An ``Index`` is not thread-safe: serialise calls to it.

What is not the index itself lives beside it in :mod:`retrieval.index` (query planning, postings,
kernels, the blob codec). This module stays over 300 lines because `Index` is one object over one
set of arrays: ``add``, ``remove`` and merges keep the slots, tombstones, df histogram and norms
that ``search`` and ``scores`` read, and splitting the class would share that private state across
modules.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from numpy.typing import NDArray

from retrieval.index.kernels import score_groups, search_blocks
from retrieval.index.plan import Group, Located, Plan, locate, plan_query
from retrieval.index.postings import (
    MAX_LEN,
    MAX_TERM_ID,
    MAX_TF,
    SEALED_DOCS,
    Segment,
    build_segment,
    merge_segments,
    plan_merge,
)
from retrieval.types import Hit

__all__ = ["Index"]

_BUILD_DOCS = 1 << 14
"""Document lengths are summed this many documents at a time, keeping temporaries small."""

_BUILD_THREADS = 2
"""Segments of a large batch are built on this many threads."""

_BLOCK_SLOTS = 1 << 14
"""Slots scored together: a block's share of the per-slot search buffers stays in L2 cache, and
the pruning threshold is updated between blocks."""

_BlockBuffers = tuple[
    NDArray[np.float64], NDArray[np.float64], NDArray[np.int32], NDArray[np.uint8], NDArray[np.int32]
]


def _int_array(name: str, value: object) -> NDArray[np.integer]:
    array = np.asarray(value)
    if array.ndim != 1 or not (array.size == 0 or np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"{name} must be a 1-D integer array")
    return array if array.size else array.astype(np.int64)


class Index:
    """A BM25Okapi index that grows in small batches and answers grouped queries."""

    SEGMENT_DOCS = SEALED_DOCS
    """Adding documents in batches of this many builds segments that are never merged again."""

    def __init__(self, k1: float = 1.5, b: float = 0.75, epsilon: float = 0.25) -> None:
        """Create an empty index.

        Raises:
            ValueError: ``k1`` is negative, ``b`` is outside ``[0, 1]`` or ``epsilon`` is negative
                (or any of them is not finite).
        """
        if not (math.isfinite(k1) and k1 >= 0):
            raise ValueError(f"k1 must be a finite number >= 0, not {k1!r}")
        if not (math.isfinite(b) and 0 <= b <= 1):
            raise ValueError(f"b must be in [0, 1], not {b!r}")
        if not (math.isfinite(epsilon) and epsilon >= 0):
            raise ValueError(f"epsilon must be a finite number >= 0, not {epsilon!r}")
        self.k1, self.b, self.epsilon = float(k1), float(b), float(epsilon)
        self._segments: list[Segment] = []
        self._seg_live: list[int] = []  # live documents per segment
        self._n_slots = 0
        self._slot_doc = np.zeros(0, dtype=np.int64)
        self._slot_len = np.zeros(0, dtype=np.int64)
        self._live = np.zeros(0, dtype=bool)
        self._n_live = 0
        self._total_len = 0
        self._ascending = True  # whether _slot_doc ascends
        self._df = np.zeros(0, dtype=np.int32)
        self._df_hist = np.zeros(1, dtype=np.int64)  # how many terms have each df
        self._version = 0  # bumped by every change to N or to a df
        self._mean_idf: tuple[int, float] = (-1, 0.0)
        self._norm_version = -1
        self._norm = np.zeros(0)  # k1 * (1 - b + b * |d| / avgdl), by document length |d|
        self._max_len = 0
        self._acc = np.zeros(0)
        self._best = np.zeros(0)
        self._seen = np.zeros(0, dtype=np.int32)
        self._mark = np.zeros(0, dtype=np.uint8)  # 1 for the slots listed in _touched
        self._allowed = np.zeros(0, dtype=np.uint8)  # 1 for the slots a filtered search scores
        self._touched = np.zeros(0, dtype=np.int32)
        self._block: _BlockBuffers | None = None

    # ---------------------------------------------------------------- statistics

    def __len__(self) -> int:
        """Return the number of live documents."""
        return self._n_live

    def __contains__(self, doc_id: object) -> bool:
        """Return whether ``doc_id`` is a live document."""
        if not isinstance(doc_id, int | np.integer):
            return False
        return bool(self._slots_of(np.array([doc_id], dtype=np.int64))[0] >= 0)

    def contains(self, doc_ids: Sequence[int] | NDArray[np.integer]) -> NDArray[np.bool_]:
        """Return whether each of ``doc_ids`` is a live document."""
        return self._slots_of(_int_array("doc_ids", doc_ids).astype(np.int64)) >= 0

    @property
    def avgdl(self) -> float:
        """The mean document length over the live documents (0.0 when there are none)."""
        return self._total_len / self._n_live if self._n_live else 0.0

    def df(self, term_id: int) -> int:
        """Return how many live documents contain ``term_id`` (0 for unknown terms)."""
        return int(self._df[term_id]) if 0 <= term_id < len(self._df) else 0

    def idf(self, term_id: int) -> float:
        """Return the (floored) idf that scoring uses for ``term_id``; 0.0 for unknown terms."""
        return self._idf(self.df(term_id))

    def _idf(self, df: int) -> float:
        if df == 0:
            return 0.0
        raw = math.log(self._n_live - df + 0.5) - math.log(df + 0.5)
        return raw if raw >= 0 else self.epsilon * self._mean_raw_idf()

    def _mean_raw_idf(self) -> float:
        """The mean of the unfloored idf over all terms with df > 0, from the df histogram."""
        version, mean = self._mean_idf
        if version != self._version:
            dfs = np.flatnonzero(self._df_hist[1:]) + 1
            counts = self._df_hist[dfs].astype(np.float64)
            n = self._n_live
            raw = np.array([math.log(n - df + 0.5) - math.log(df + 0.5) for df in dfs.tolist()])
            # An exactly rounded sum: no dependence on order, and idfs that cancel give 0.
            mean = math.fsum((counts * raw).tolist()) / counts.sum() if len(dfs) else 0.0
            self._mean_idf = (self._version, mean)
        return mean

    # ---------------------------------------------------------------- changes

    def add(
        self,
        doc_ids: NDArray[np.integer],
        offsets: NDArray[np.integer],
        term_ids: NDArray[np.integer],
        tfs: NDArray[np.integer],
    ) -> None:
        """Add a batch of documents given in CSR form; they are searchable on return.

        Document ``doc_ids[i]`` has the distinct terms ``term_ids[offsets[i]:offsets[i + 1]]``
        with frequencies ``tfs[offsets[i]:offsets[i + 1]]``. A document may have no terms.

        Raises:
            ValueError: the arrays are malformed, a document id is negative, repeated or already
                in the index, a term id is outside ``[0, 2**32)``, a frequency is outside
                ``[1, 65535]``, or a document repeats a term id. The index is then unchanged.
        """
        ids = _int_array("doc_ids", doc_ids).astype(np.int64)
        offs = _int_array("offsets", offsets).astype(np.int64)
        terms = _int_array("term_ids", term_ids)
        freqs = _int_array("tfs", tfs)
        if len(offs) != len(ids) + 1 or offs[0] != 0 or offs[-1] != len(terms):
            raise ValueError("offsets must have len(doc_ids) + 1 entries, from 0 to len(term_ids)")
        if len(freqs) != len(terms):
            raise ValueError("term_ids and tfs must have the same length")
        lengths = np.diff(offs)
        if bool(np.any(lengths < 0)):
            raise ValueError("offsets must be non-decreasing")
        if not len(ids):
            return
        if len(terms) and (int(terms.min()) < 0 or int(terms.max()) > MAX_TERM_ID):
            raise ValueError(f"term ids must be in [0, {MAX_TERM_ID}]")
        if len(freqs) and (int(freqs.min()) < 1 or int(freqs.max()) > MAX_TF):
            raise ValueError(f"term frequencies must be in [1, {MAX_TF}]")
        if int(ids.min()) < 0:
            raise ValueError("document ids must be non-negative")
        if not bool(np.all(ids[1:] > ids[:-1])):
            # Put the documents in id order, so that slots ascend with ids within a batch.
            order = np.argsort(ids, kind="stable")
            ids, lengths = ids[order], lengths[order]
            if bool(np.any(ids[1:] == ids[:-1])):
                raise ValueError("document ids must be distinct within a batch")
            take = np.repeat(offs[:-1][order] - np.cumsum(lengths) + lengths, lengths)
            take += np.arange(len(terms))
            terms, freqs = terms[take], freqs[take]
            offs = np.concatenate(([0], np.cumsum(lengths)))
        if bool(np.any(self._slots_of(ids) >= 0)):
            raise ValueError("a document id is already in the index; remove it first")
        doc_len = np.empty(len(ids), dtype=np.int64)
        for lo in range(0, len(ids), _BUILD_DOCS):
            hi = min(lo + _BUILD_DOCS, len(ids))
            total = np.zeros(int(offs[hi] - offs[lo]) + 1, dtype=np.int64)
            np.cumsum(freqs[offs[lo] : offs[hi]], out=total[1:])
            ends = offs[lo : hi + 1] - offs[lo]
            doc_len[lo:hi] = total[ends[1:]] - total[ends[:-1]]
        if len(doc_len) and int(doc_len.max()) > MAX_LEN:
            raise ValueError(f"a document is longer than {MAX_LEN} terms")
        self._commit(ids, doc_len, self._build(ids, offs, terms, freqs, doc_len))

    def _build(
        self,
        ids: NDArray[np.int64],
        offs: NDArray[np.int64],
        terms: NDArray[np.integer],
        freqs: NDArray[np.integer],
        doc_len: NDArray[np.int64],
    ) -> list[Segment]:
        """Build one segment per :data:`SEALED_DOCS` documents; big batches on two threads."""

        def build(lo: int) -> Segment:
            hi = min(lo + SEALED_DOCS, len(ids))
            a, z = int(offs[lo]), int(offs[hi])
            return build_segment(
                self._n_slots + lo, ids[lo:hi], offs[lo : hi + 1] - a, terms[a:z], freqs[a:z], doc_len[lo:hi]
            )

        starts = range(0, len(ids), SEALED_DOCS)
        if len(starts) == 1:
            return [build(0)]
        # numpy releases the GIL while sorting and in elementwise loops.
        with ThreadPoolExecutor(max_workers=_BUILD_THREADS) as pool:
            return list(pool.map(build, starts))

    def _commit(self, ids: NDArray[np.int64], doc_len: NDArray[np.int64], built: list[Segment]) -> None:
        start, stop = self._n_slots, self._n_slots + len(ids)
        self._grow(stop)
        self._slot_doc[start:stop] = ids
        self._slot_len[start:stop] = doc_len
        self._live[start:stop] = True
        self._n_slots = stop
        # Stores hand out ascending ids; while every id is larger than all before it, slots are in
        # id order and finding an id's slot is one binary search.
        self._ascending = self._ascending and (start == 0 or int(ids[0]) > int(self._slot_doc[start - 1]))
        self._n_live += len(ids)
        self._total_len += int(doc_len.sum())
        self._max_len = max(self._max_len, int(doc_len.max()))
        for seg in built:
            self._change_df(seg.terms, np.diff(seg.ptr))
        self._segments.extend(built)
        self._seg_live.extend(len(seg.ids) for seg in built)
        self._version += 1
        self._merge()

    def remove(self, doc_ids: Iterable[int]) -> None:
        """Remove documents; ids not in the index are ignored. Statistics change at once.

        Raises:
            ValueError: ``doc_ids`` holds something other than integers.
        """
        ids = np.unique(_int_array("doc_ids", list(doc_ids)).astype(np.int64))
        slots = self._slots_of(ids)
        slots = slots[slots >= 0]
        if not len(slots):
            return
        self._live[slots] = False
        self._n_live -= len(slots)
        self._total_len -= int(self._slot_len[slots].sum())
        dead = np.zeros(self._n_slots, dtype=bool)
        dead[slots] = True
        for i, seg in enumerate(self._segments):
            n_dead = int(np.count_nonzero(dead[seg.start : seg.stop]))
            if not n_dead:
                continue
            self._seg_live[i] -= n_dead
            hit = np.flatnonzero(dead[seg.slots])
            which = np.searchsorted(seg.ptr, hit, side="right") - 1
            terms, counts = np.unique(seg.terms[which], return_counts=True)
            self._change_df(terms, -counts)
        self._version += 1
        self._merge()

    def _change_df(self, terms: NDArray[np.uint32], delta: NDArray[np.int64]) -> None:
        """Add ``delta`` to the df of each of the distinct ``terms``, keeping the histogram."""
        if not len(terms):
            return
        top = int(terms.max())
        if top >= len(self._df):
            df = np.zeros(max(top + 1, 2 * len(self._df)), dtype=np.int32)
            df[: len(self._df)] = self._df
            self._df = df
        index = terms.astype(np.intp)
        old = self._df[index].astype(np.int64)
        new = old + delta
        if int(new.max()) >= len(self._df_hist):
            grown = np.zeros(max(int(new.max()) + 1, 2 * len(self._df_hist)), dtype=np.int64)
            grown[: len(self._df_hist)] = self._df_hist
            self._df_hist = grown
        if len(old) < 4096:
            np.subtract.at(self._df_hist, old, 1)
            np.add.at(self._df_hist, new, 1)
        else:  # bincount is much faster than ufunc.at on large arrays
            self._df_hist -= np.bincount(old, minlength=len(self._df_hist))
            self._df_hist += np.bincount(new, minlength=len(self._df_hist))
        self._df[index] = new

    def _grow(self, size: int) -> None:
        if size <= len(self._live):
            return
        capacity = max(size, 2 * len(self._live), 1024)
        for name in ("_slot_doc", "_slot_len", "_live"):
            old = getattr(self, name)
            new = np.zeros(capacity, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def _merge(self) -> None:
        while True:
            run = plan_merge(self._seg_live, [len(seg.ids) for seg in self._segments])
            if run is None:
                break
            i, j = run
            merged = merge_segments(self._segments[i:j], self._live)
            keep = [merged] if len(merged.ids) else []
            self._segments[i:j] = keep
            self._seg_live[i:j] = [len(merged.ids)] if keep else []

    def _slots_of(self, ids: NDArray[np.int64]) -> NDArray[np.int64]:
        """Return the live slot of each id, or -1."""
        if self._ascending:  # slots hold ids in order: one search over them all
            n = self._n_slots
            if not n:
                return np.full(len(ids), -1, dtype=np.int64)
            pos = np.minimum(np.searchsorted(self._slot_doc[:n], ids), n - 1)
            return np.where((self._slot_doc[pos] == ids) & self._live[pos], pos, -1)
        found = np.full(len(ids), -1, dtype=np.int64)
        for seg in self._segments:
            if not len(seg.ids):
                continue
            pos = np.minimum(np.searchsorted(seg.ids, ids), len(seg.ids) - 1)
            slot = seg.id_slots[pos]
            hit = (seg.ids[pos] == ids) & self._live[slot]
            found[hit] = slot[hit]
        return found

    # ---------------------------------------------------------------- search

    def search(
        self,
        groups: Sequence[Group],
        k: int = 10,
        *,
        candidates: NDArray[np.integer] | None = None,
    ) -> list[Hit]:
        """Return the ``k`` best documents scoring above 0, best first, ties by ascending id.

        Args:
            groups: the query; each group is a sequence of ``(term_id, weight)`` alternatives. A
                document scores the maximum of ``weight * bm25(term, doc)`` over a group's
                alternatives (0 for one it lacks), summed over the groups. Unknown terms score 0.
            k: how many hits to return at most.
            candidates: if given, only these document ids are scored (unknown ids are ignored).

        Raises:
            ValueError: ``k`` is not a positive integer, a group is not a sequence of
                ``(term_id, weight)`` pairs, a term id is outside ``[0, 2**32)``, or a weight is
                not a finite number.
        """
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be a positive integer, not {k!r}")
        plan = plan_query(groups, self.idf, self.k1)
        if not plan or not self._total_len:
            return []  # no live document has a term, so every score is 0
        if candidates is not None:
            ids = np.unique(_int_array("candidates", candidates).astype(np.int64))
            scores = self._scores_of(plan, ids)  # 0 for unknown and dead ids
            order = np.lexsort((ids, -scores))[:k]
            return [Hit(int(ids[i]), float(scores[i])) for i in order.tolist() if scores[i] > 0]
        norm = self._norms()
        query = locate(plan, self._segments)
        heap_score = np.empty(k, dtype=np.float64)
        heap_doc = np.empty(k, dtype=np.int64)
        size = 0
        prunable = not bool(query.group_signed.any())
        block = self._block_buffers()
        for seg, lo, hi in query.located:
            size, _ = search_blocks(
                seg.slots, seg.tfs, seg.lens, seg.start, seg.stop, norm, self._live, self._slot_doc,
                lo, hi, query.coef, query.group_ptr, query.group_total, query.group_signed, query.rest,
                prunable, *block, heap_score, heap_doc, size,
            )  # fmt: skip
        order = np.lexsort((heap_doc[:size], -heap_score[:size]))
        return [
            Hit(doc_id, score)
            for doc_id, score in zip(heap_doc[order].tolist(), heap_score[order].tolist(), strict=True)
        ]

    def scores(
        self, groups: Sequence[Group], doc_ids: Sequence[int] | NDArray[np.integer]
    ) -> NDArray[np.float64]:
        """Return the score of each of ``doc_ids`` for the query ``groups``, whatever its sign.

        A document that is not in the index, or has none of the query's terms, scores 0. Each
        score is the one :meth:`search` gives the document.

        Raises:
            ValueError: as :meth:`search`, or ``doc_ids`` is not a 1-D integer array.
        """
        return self._scores_of(
            plan_query(groups, self.idf, self.k1), _int_array("doc_ids", doc_ids).astype(np.int64)
        )

    def _scores_of(self, plan: Plan, ids: NDArray[np.int64]) -> NDArray[np.float64]:
        """The planned query's score of each of ``ids`` (0 for ids not live in the index)."""
        out = np.zeros(len(ids))
        if not plan or not self._total_len or not len(ids):
            return out
        self._norms()
        slots = self._slots_of(ids)
        present = slots >= 0
        chosen = np.unique(slots[present])
        if not len(chosen):
            return out
        n_touched = self._score_chosen(locate(plan, self._segments), chosen)
        out[present] = self._acc[slots[present]]
        touched = self._touched[:n_touched]
        self._acc[touched] = 0.0
        self._mark[touched] = 0
        return out

    def _score_chosen(self, query: Located, chosen: NDArray[np.int64]) -> int:
        """Score only the ``chosen`` slots (sorted), looking each one up in the postings lists.

        Returns how many slots ``_touched`` lists; the caller clears their ``_acc`` and ``_mark``.
        """
        n_touched = 0
        self._allowed[chosen] = 1
        try:
            for seg, lo, hi in query.located:
                mine = _within(chosen, seg)
                if len(mine):
                    n_touched = score_groups(
                        seg.slots, seg.skips, seg.tfs, seg.lens, self._norm, self._acc, self._best,
                        self._seen, self._mark, self._touched, n_touched, lo, hi, query.coef,
                        query.group_ptr, query.group_total, query.group_signed, True, self._allowed,
                        mine,
                    )  # fmt: skip
        finally:
            self._allowed[chosen] = 0
        return n_touched

    def _block_buffers(self) -> _BlockBuffers:
        """The per-block search buffers: sums, best alternative, alternatives seen, marks, touched."""
        if self._block is None or len(self._block[0]) != _BLOCK_SLOTS:
            self._block = (
                np.zeros(_BLOCK_SLOTS),
                np.full(_BLOCK_SLOTS, -np.inf),
                np.zeros(_BLOCK_SLOTS, dtype=np.int32),
                np.zeros(_BLOCK_SLOTS, dtype=np.uint8),
                np.zeros(_BLOCK_SLOTS, dtype=np.int32),
            )
        return self._block

    def _norms(self) -> NDArray[np.float64]:
        """Return ``k1 * (1 - b + b * |d| / avgdl)`` by document length, and size the buffers."""
        capacity = len(self._live)
        if len(self._acc) < capacity:
            self._acc = np.zeros(capacity)
            self._best = np.full(capacity, -np.inf)
            self._seen = np.zeros(capacity, dtype=np.int32)
            self._mark = np.zeros(capacity, dtype=np.uint8)
            self._allowed = np.zeros(capacity, dtype=np.uint8)
            self._touched = np.zeros(capacity, dtype=np.int32)
        if self._norm_version != self._version:
            # rank_bm25's order of operations: k1 * (1 - b + b * doc_len / avgdl)
            norm = np.arange(self._max_len + 1, dtype=np.float64)
            norm *= self.b
            norm /= self.avgdl
            norm += 1 - self.b
            norm *= self.k1
            self._norm = norm
            self._norm_version = self._version
        return self._norm


def _within(slots: NDArray[np.intp], seg: Segment) -> NDArray[np.intp]:
    """Return the part of the sorted ``slots`` that falls in ``seg``."""
    lo, hi = np.searchsorted(slots, [seg.start, seg.stop]).tolist()
    return slots[lo:hi]
