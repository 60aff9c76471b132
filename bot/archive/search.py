"""Where the archive's passages are searched: the seam between the archive and its search index.

Two implementations follow the store's passage log: :class:`EmbeddedSearch`, the in-memory
:class:`~retrieval.Index` (the default), and ``bot.archive.opensearch.OpenSearchSearch``, an
OpenSearch cluster (``KHABRI_SEARCH=opensearch+http://…``). Analysis and the ranking policy stay in
``retrieval`` (:mod:`retrieval.search`) for both: they receive the same analysed term ids and answer
the same grouped queries.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Protocol

from retrieval import Hit, Index, RankedQuery, decode_batch, decode_joined, new_index, rank, unknown_idf
from storage import Store

# Loading in batches of whole segments builds each once, with no merging afterwards.
_LOAD_BATCH = Index.SEGMENT_DOCS


class SearchBackend(Protocol):
    """A search index that follows the store's passage log and ranks passages for a query."""

    async def load(self, store: Store) -> None:
        """Catch up with the store: afterwards every logged passage is searchable."""

    async def sync(self, store: Store) -> int:
        """Apply the passage log written since the last look; return how many entries were applied."""

    async def rank(self, query: RankedQuery, k: int) -> list[Hit]:
        """The ``k`` best passages: content words choose, function words reorder the front runners."""

    async def idf(self, term_ids: Iterable[int]) -> dict[int, float]:
        """The idf answer selection weighs each term by (0.0 for a term no passage has)."""

    def unknown_idf(self) -> float:
        """The idf a word no passage has is given (as if it were in one passage of N+1)."""

    def __len__(self) -> int:
        """How many passages are searchable, as of the last load or sync."""

    async def close(self) -> None:
        """Let go of what the backend holds (connections); the store is the caller's."""


class EmbeddedSearch:
    """The in-memory BM25 index, rebuilt from the passages' stored terms at start and then kept in step."""

    def __init__(self) -> None:
        self.index = new_index()
        self._seq = 0

    def __len__(self) -> int:
        return len(self.index)

    async def load(self, store: Store) -> None:
        """(Re)build the index from every stored passage, then apply the log written meanwhile."""
        self.index = new_index()
        # Read the log position first: anything logged after it is replayed by sync().
        self._seq = await store.reports.last_change()
        # The database thread reads the next batch while this one is indexed here.
        reading = asyncio.ensure_future(store.reports.passage_terms_packed(limit=_LOAD_BATCH))
        while (batch := await reading).ids:
            reading = asyncio.ensure_future(
                store.reports.passage_terms_packed(after_id=max(batch.ids), limit=_LOAD_BATCH)
            )
            self.index.add(*decode_joined(batch.ids, batch.sizes, batch.blob))

    async def sync(self, store: Store) -> int:
        """Apply the passage log written since the last look; return how many entries were applied."""
        applied = 0
        while changes := await store.reports.changes(after_seq=self._seq):
            # Consecutive additions go into the index as one batch (one segment), not one by one.
            ids: list[int] = []
            blobs: list[bytes] = []
            for change in changes:
                if change.op == "del":
                    self._add_passages(ids, blobs)
                    if change.passage_id in self.index:
                        self.index.remove([change.passage_id])
                elif change.terms is not None:
                    ids.append(change.passage_id)
                    blobs.append(change.terms)
                self._seq = change.seq
                applied += 1
            self._add_passages(ids, blobs)
        return applied

    def _add_passages(self, ids: list[int], blobs: list[bytes]) -> None:
        """Index the passages collected so far and forget them.

        The log never repeats an addition, but one logged while :meth:`load` read the passages may
        be in the index already.
        """
        if ids:
            new = ~self.index.contains(ids)
            if bool(new.all()):
                self.index.add(*decode_batch(ids, blobs))
            elif bool(new.any()):
                self.index.add(
                    *decode_batch(
                        [i for i, n in zip(ids, new, strict=True) if n],
                        [b for b, n in zip(blobs, new, strict=True) if n],
                    )
                )
            ids.clear()
            blobs.clear()

    async def rank(self, query: RankedQuery, k: int) -> list[Hit]:
        """The ``k`` best passages, as :meth:`rank_now` ranks them."""
        return self.rank_now(query, k)

    def rank_now(self, query: RankedQuery, k: int) -> list[Hit]:
        """Rank at once, by the policy of :func:`retrieval.rank` (for benchmarks: no event loop)."""
        return rank(self.index, query, k)

    async def idf(self, term_ids: Iterable[int]) -> dict[int, float]:
        """BM25Okapi's idf (with its floor) of each term, as ranking uses it."""
        return {term_id: self.index.idf(term_id) for term_id in term_ids}

    def unknown_idf(self) -> float:
        """:func:`retrieval.unknown_idf` of the indexed passages."""
        return unknown_idf(len(self.index))

    async def close(self) -> None:
        """Nothing to let go of: the index is garbage once the archive is."""
