"""The id of every index term in the store, held in memory so that a question never reads the store for it.

Ids are handed out by the store (every process must agree on them). This process reads all of them at
start and then only the new ones, at each sync, in id order: ids only grow and writers take the
store's write lock in turn, so the last id read is a sound place to go on from. The terms this
process interns itself join at once, and leave again if their transaction does not commit (ids
handed out inside it do not exist, and SQLite hands them out again).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from storage import Store

__all__ = ["TermIds"]

# Terms read per statement: about 20 MB of rows at most, a few tenths of a second.
_BATCH = 200_000


class TermIds:
    """Term text → id for the whole store, kept in step with it by :meth:`catch_up`."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._upto = 0

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> dict[str, int]:
        """Every known term's id (read-only by convention: only this class writes it)."""
        return self._ids

    def get(self, terms: Sequence[str]) -> dict[str, int]:
        """The ids of those of ``terms`` that the store knows."""
        ids = self._ids
        return {term: ids[term] for term in terms if term in ids}

    async def catch_up(self, store: Store) -> list[tuple[int, str]]:
        """Read the terms interned since the last look (by any process); return them, oldest first."""
        new: list[tuple[int, str]] = []
        while rows := await store.reports.terms_after(self._upto, limit=_BATCH):
            self._ids.update((text, term_id) for term_id, text in rows)
            self._upto = rows[-1][0]
            new += rows
            if len(rows) < _BATCH:
                break
        return new

    def forget(self, terms: Sequence[str]) -> None:
        """Forget terms interned by a transaction that was rolled back: their ids do not exist."""
        for term in terms:
            self._ids.pop(term, None)

    async def intern(self, store: Store, vocab: Sequence[str], added: list[str]) -> NDArray[np.uint32]:
        """The id of each term, interning the new ones (inside a transaction); new ones go on ``added``.

        The caller hands ``added`` to :meth:`forget` if the transaction does not commit. A list of
        the caller's own, not state kept here, so that ingests of several tasks cannot mix theirs.
        """
        ids = self._ids
        missing = [term for term in vocab if term not in ids]
        if missing:
            found = await store.reports.intern_terms(missing)
            ids.update(found)
            added += found
        return np.fromiter((ids[term] for term in vocab), dtype=np.uint32, count=len(vocab))
