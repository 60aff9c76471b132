"""The index vocabulary of romanized keys, with fuzzy lookup for misspelled query words.

`Lexicon` grows one batch of keys at a time (as reports are ingested) and answers "which known keys
look like this one?" by character-trigram Dice similarity on the key, with ``^``/``$`` marking the
word boundaries, plus equality of the K3 skeleton as a second candidate source (it rescues loans
such as third / थर्ड whose vowels differ). Storage is compact: one ``array('i')`` of key ids per
distinct trigram and an ``array`` per key attribute, never a Python object per posting.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable

import numpy as np

from retrieval.transliterate import skeleton

__all__ = ["Lexicon", "trigrams"]

# A candidate found only through its skeleton scores at least this much; Dice adds the rest.
_SKELETON_FLOOR = 0.5


def trigrams(key: str) -> frozenset[str]:
    """Return the distinct character trigrams of ``^key$``.

    Args:
        key: A romanized key.

    Returns:
        The set of trigrams; a one-letter key yields the single trigram ``^k$``.
    """
    padded = f"^{key}$"
    return frozenset(padded[i : i + 3] for i in range(len(padded) - 2))


class Lexicon:
    """An incrementally growing set of keys with trigram/skeleton fuzzy lookup."""

    def __init__(self, keys: Iterable[str] = ()) -> None:
        self._ids: dict[str, int] = {}
        self._keys: list[str] = []
        self._gram_ids: dict[str, int] = {}
        self._postings: list[array[int]] = []
        self._gram_counts: array[int] = array("i")
        # Keys sharing a skeleton form a chain: head id in a dict, the rest linked by _next.
        self._skeleton_head: dict[str, int] = {}
        self._next: array[int] = array("i")
        self.add(keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def add(self, keys: Iterable[str]) -> None:
        """Add keys; keys already present and empty strings are ignored.

        Args:
            keys: Romanized keys (lowercase ASCII letters).

        Raises:
            ValueError: When a key is not a string.
        """
        for key in keys:
            if not isinstance(key, str):
                raise ValueError(f"keys must be str, got {type(key).__name__}")
            if not key or key in self._ids:
                continue
            key_id = len(self._keys)
            self._ids[key] = key_id
            self._keys.append(key)
            grams = trigrams(key)
            self._gram_counts.append(len(grams))
            for gram in grams:
                gram_id = self._gram_ids.get(gram)
                if gram_id is None:
                    gram_id = self._gram_ids[gram] = len(self._postings)
                    self._postings.append(array("i"))
                self._postings[gram_id].append(key_id)
            skel = skeleton(key)
            self._next.append(self._skeleton_head.get(skel, -1))
            self._skeleton_head[skel] = key_id

    def similar(self, key: str, limit: int = 5) -> list[tuple[str, float]]:
        """Return the known keys most similar to ``key``.

        Similarity is the Dice coefficient of the two keys' trigram sets. A key with the same K3
        skeleton scores at least ``0.5 + dice / 2``. Ties are broken by the key, so the order is
        deterministic and independent of insertion order.

        Args:
            key: The key to look up (need not be in the lexicon; it ranks first when it is).
            limit: How many keys to return at most; must be positive.

        Returns:
            ``(key, similarity)`` pairs with similarity in (0, 1], best first.

        Raises:
            ValueError: When ``limit`` is not positive.
        """
        if limit < 1:
            raise ValueError(f"limit must be a positive integer, got {limit}")
        if not key or not self._keys:
            return []
        grams = trigrams(key)
        lists = [
            self._postings[gram_id]
            for gram_id in (self._gram_ids.get(g) for g in grams)
            if gram_id is not None
        ]
        scores: dict[int, float] = {}
        if lists:
            ids = np.concatenate([np.frombuffer(post, dtype=np.int32) for post in lists])
            shared = np.bincount(ids)
            candidates = np.flatnonzero(shared)
            sizes = np.frombuffer(self._gram_counts, dtype=np.int32)[candidates]
            dice = 2.0 * shared[candidates] / (sizes + len(grams))
            if len(candidates) > 4 * limit:
                # Keep every candidate tied with the limit-th best, so the key tie-break decides.
                kth = np.partition(dice, len(dice) - limit)[len(dice) - limit]
                keep = dice >= kth
                candidates, dice = candidates[keep], dice[keep]
            scores = dict(zip(candidates.tolist(), dice.tolist(), strict=True))
        key_id = self._skeleton_head.get(skeleton(key), -1)
        while key_id >= 0:
            scores[key_id] = _SKELETON_FLOOR + scores.get(key_id, 0.0) / 2
            key_id = self._next[key_id]
        ranked = sorted(
            ((self._keys[i], min(1.0, s)) for i, s in scores.items()), key=lambda p: (-p[1], p[0])
        )
        return ranked[:limit]
