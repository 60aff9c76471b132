"""Where the archive's passages are searched: the seam between the archive and its search index.

Two implementations follow the store's passage log: :class:`EmbeddedSearch`, the in-memory
:class:`~retrieval.Index` (the default), and ``bot.archive.opensearch.OpenSearchSearch``, an
OpenSearch cluster (``KHABRI_SEARCH=opensearch+http://…``). Analysis stays in ``retrieval`` for both:
they receive the same analysed term ids and answer the same grouped queries.
"""

from __future__ import annotations

import asyncio
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from retrieval import Hit, Index, decode_batch, decode_joined
from storage import Store

# BM25Okapi's parameters for sentence passages. Measured on the development sets (romanized Dakshina
# queries, 5 words, with 25k distractor sentences): k1 0.6 / b 0.5 ranks the right sentence first 89%
# of the time against 84% for rank_bm25's defaults (1.5 / 0.75); XQuAD-hi is unchanged.
BM25_K1 = 0.6
BM25_B = 0.5
# How many passages the content words choose before function words may reorder them.
RERANK = 200
# Loading in batches of whole segments builds each once, with no merging afterwards.
_LOAD_BATCH = Index.SEGMENT_DOCS


@dataclass(frozen=True, slots=True)
class RankedQuery:
    """A question as ranking takes it: groups of (term id, weight), content and function words."""

    content: list[list[tuple[int, float]]]
    function: list[list[tuple[int, float]]]
    term_ids: dict[str, int]
    """The id of each of the question's index terms that the archive knows."""

    @property
    def groups(self) -> list[list[tuple[int, float]]]:
        """All the groups, content words first."""
        return self.content + self.function


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
        self.index = Index(k1=BM25_K1, b=BM25_B)
        self._seq = 0

    def __len__(self) -> int:
        return len(self.index)

    async def load(self, store: Store) -> None:
        """(Re)build the index from every stored passage, then apply the log written meanwhile."""
        self.index = Index(k1=BM25_K1, b=BM25_B)
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
        """Rank passages by the content words, then let the function words reorder the front runners.

        Function words (से, की, ne, ka ...) sit in most passages: scoring their postings over the
        whole archive costs more than everything else, yet they only ever decide between passages
        the content words already put near the top.
        """
        content, function = query.content, query.function
        if not content:
            return self.index.search(function, k=k)
        hits = self.index.search(content, k=max(k, RERANK))
        if not function or not hits:
            return hits[:k]
        front = np.fromiter((h.doc_id for h in hits), dtype=np.int64, count=len(hits))
        total = np.fromiter((h.score for h in hits), dtype=np.float64, count=len(hits))
        total += self.index.scores(function, front)
        order = np.lexsort((front, -total))[:k]
        return [Hit(int(front[i]), float(total[i])) for i in order.tolist() if total[i] > 0]

    async def idf(self, term_ids: Iterable[int]) -> dict[int, float]:
        """BM25Okapi's idf (with its floor) of each term, as ranking uses it."""
        return {term_id: self.index.idf(term_id) for term_id in term_ids}

    def unknown_idf(self) -> float:
        """``ln((N + 0.5) / 0.5)``, the raw Okapi idf of a term in no passage (1.0 for an empty index)."""
        n = len(self.index)
        return math.log((n + 0.5) / 0.5) if n else 1.0

    async def close(self) -> None:
        """Nothing to let go of: the index is garbage once the archive is."""
