"""The index vocabulary of romanized keys, with fuzzy lookup for misspelled query words.

`Lexicon` grows one batch of keys at a time (as reports are ingested) and answers "which known keys
look like this one?" by character-trigram Dice similarity on the key, with ``^``/``$`` marking the
word boundaries, plus equality of the K3 skeleton as a second candidate source (it rescues loans
such as third / थर्ड whose vowels differ). Storage is compact: one ``array('i')`` of key ids per
distinct trigram and an ``array`` per key attribute, never a Python object per posting.

A key of the form ``latin>deva`` (`retrieval.name_aliases`) is not a key but a name alias: a report
wrote the Latin spelling in parentheses after the Devanagari name. `aliases` answers them.
"""

from __future__ import annotations

import io
import zipfile
from array import array
from collections.abc import Iterable
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from retrieval.name_aliases import ACRONYM_MARK, ALIAS_MARK
from retrieval.transliterate import skeleton

__all__ = ["Lexicon", "trigrams"]

# A candidate found only through its skeleton scores at least this much; Dice adds the rest.
_SKELETON_FLOOR = 0.5


def _joined(texts: list[str]) -> NDArray[np.uint8]:
    return np.frombuffer("\n".join(texts).encode("utf-8"), dtype=np.uint8)


def _split(joined: NDArray[np.uint8], count: int) -> list[str]:
    """The ``count`` strings :func:`_joined` joined (an empty join is no string, or one empty one)."""
    text = joined.tobytes().decode("utf-8")
    return text.split("\n") if text or count else []


def _within(values: NDArray[np.int32], lo: int, hi: int) -> bool:
    """Whether every value is in ``[lo, hi)``."""
    return not len(values) or (lo <= int(values.min()) and int(values.max()) < hi)


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
        # Latin key → Devanagari keys a report gave for it in parentheses, in the order first seen.
        self._aliases: dict[str, list[str]] = {}
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
            if ALIAS_MARK in key:
                latin, _, deva = key.partition(ALIAS_MARK)
                known = self._aliases.setdefault(latin, [])
                if deva and deva not in known:
                    known.append(deva)
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

    def aliases(self, key: str) -> tuple[str, ...]:
        """Return the Devanagari keys that reports gave the Latin key ``key`` as a name alias."""
        return tuple(self._aliases.get(key, ()))

    def acronym_words(self, letters: str) -> tuple[str, ...]:
        """Return the keys of the words a report spelled the acronym ``letters`` ("kkr") out in."""
        return self.aliases(ACRONYM_MARK + letters) if letters.isalpha() and letters.isascii() else ()

    def to_bytes(self) -> bytes:
        """Serialise the lexicon: arrays and newline-joined strings in an ``.npz``, no pickle."""
        gram_lists = self._postings
        sizes = np.fromiter(map(len, gram_lists), dtype=np.int64, count=len(gram_lists))
        skeletons = list(self._skeleton_head)
        out = io.BytesIO()
        np.savez(
            out,
            keys=_joined(self._keys),
            grams=_joined(list(self._gram_ids)),
            gram_sizes=sizes,
            postings=np.frombuffer(b"".join(p.tobytes() for p in gram_lists), dtype=np.int32),
            gram_counts=np.frombuffer(self._gram_counts.tobytes(), dtype=np.int32),
            skeletons=_joined(skeletons),
            skeleton_heads=np.fromiter(self._skeleton_head.values(), dtype=np.int32, count=len(skeletons)),
            next=np.frombuffer(self._next.tobytes(), dtype=np.int32),
            aliases=_joined(
                [f"{lat}{ALIAS_MARK}{dev}" for lat, devs in self._aliases.items() for dev in devs]
            ),
            alias_count=np.array([sum(map(len, self._aliases.values()))], dtype=np.int64),
        )
        return out.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Lexicon:
        """Rebuild a lexicon from :meth:`to_bytes`.

        Raises:
            ValueError: the bytes are not a lexicon this version wrote.
        """
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                sizes = arrays["gram_sizes"].astype(np.int64)
                postings = arrays["postings"].astype(np.int32)
                gram_counts = arrays["gram_counts"].astype(np.int32)
                heads = arrays["skeleton_heads"].astype(np.int32)
                chain = arrays["next"].astype(np.int32)
                keys = _split(arrays["keys"], len(chain))
                grams = _split(arrays["grams"], len(sizes))
                skeletons = _split(arrays["skeletons"], len(heads))
                # Snapshots written before name aliases existed have none.
                files = set(arrays.files)
                alias_count = int(arrays["alias_count"][0]) if "alias_count" in files else 0
                alias_pairs = _split(arrays["aliases"], alias_count) if "aliases" in files else []
        except (
            OSError,
            EOFError,
            KeyError,
            IndexError,
            ValueError,
            UnicodeDecodeError,
            zipfile.BadZipFile,
        ) as error:
            raise ValueError(f"not a lexicon: {error}") from error
        n = len(keys)
        if not (
            len(sizes) == len(grams)
            and int(sizes.sum()) == len(postings)
            and len(gram_counts) == len(chain) == n
            and len(heads) == len(skeletons)
            and _within(postings, 0, n)
            and _within(heads, 0, n)
            and _within(chain, -1, n)
        ):
            raise ValueError("not a lexicon: its parts disagree")
        lexicon = cls()
        lexicon._keys = keys
        lexicon._ids = {key: i for i, key in enumerate(keys)}
        lexicon._gram_ids = {gram: i for i, gram in enumerate(grams)}
        bounds = [0, *np.cumsum(sizes).tolist()]
        lexicon._postings = [array("i", postings[a:z].tobytes()) for a, z in pairwise(bounds)]
        lexicon._gram_counts = array("i", gram_counts.tobytes())
        lexicon._skeleton_head = dict(zip(skeletons, heads.tolist(), strict=True))
        lexicon._next = array("i", chain.tobytes())
        lexicon.add(alias_pairs)
        return lexicon

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
