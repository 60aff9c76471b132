"""Training of the graphone model of `retrieval.loanwords` from (Devanagari, typed Latin) pairs.

Pure and deterministic: the same pairs give the same bytes, so the shipped model can be checked
against its inputs. Two steps:

1. Alignment by expectation–maximisation over all segmentations of a pair into graphones (one or
   two typed letters with zero to two key letters), as in Jiampojamarn, Kondrak & Sherif,
   *Applying many-to-many alignments and HMMs to letter-to-phoneme conversion*, NAACL 2007; the
   paths are kept near the diagonal (`_BAND`) so a pair costs tens of arcs, not hundreds.
2. The Viterbi segmentations become graphone sequences, and an n-gram over them is smoothed with
   interpolated Witten–Bell (Witten & Bell 1991; Chen & Goodman, TR-10-98, §2.4), backing off to a
   uniform distribution over the graphones.

With ``order=1`` the model is a memoryless weighted edit distance whose costs are learned (Ristad &
Yianilos, IEEE PAMI 20(5), 1998), one of the two approaches compared in docs/transliteration.md.
"""

from __future__ import annotations

import gzip
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from retrieval.loanwords import FORMAT
from retrieval.transliterate import deva_key, deva_unmerged_key

__all__ = ["Pair", "align", "model_bytes", "read_pairs", "train"]

_BAND = 3  # how far (in key letters) a path may stray from the pair's diagonal
_LATIN_SIZES = (1, 2)
_KEY_SIZES = (0, 1, 2)
_BOS, _EOS = -1, -2


@dataclass(frozen=True, slots=True)
class Pair:
    """A typed Latin word, the K2 key of its Devanagari word, and how many typists gave it."""

    latin: str
    key: str
    weight: float
    letters: str = ""
    """The key before its last merge of doubled letters (`unmerged_key`: "lenn" for लेनन, key
    "len"), which the model learns to spell, so that each typed consonant of "lennon" is a written
    one; "" when it is the key itself."""

    @property
    def target(self) -> str:
        """What the model learns to write for ``latin``; the decoder merges it into the key."""
        return self.letters or self.key


def read_pairs(lines: Iterable[str]) -> list[Pair]:
    """Parse Dakshina lexicon lines (``devanagari<TAB>latin<TAB>count``) into training pairs.

    Lines whose Latin side has a non-letter, or whose key is empty, are skipped.

    Raises:
        ValueError: a line does not have three tab-separated fields with an integer count.
    """
    pairs: list[Pair] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 3 or not fields[2].strip().isdigit():
            raise ValueError(f"line {number}: expected devanagari, latin, count separated by tabs")
        latin = fields[1].strip().lower()
        key = deva_key(fields[0].strip())
        letters = deva_unmerged_key(fields[0].strip())
        if latin.isascii() and latin.isalpha() and key:
            pairs.append(Pair(latin, key, float(fields[2]), "" if letters == key else letters))
    return pairs


def _arcs(latin: str, key: str) -> list[tuple[int, int, int, int, str]]:
    """Every graphone step ``(i, j, i2, j2, "lat|key")`` of a pair's lattice, by increasing ``i``."""
    n, m = len(latin), len(key)
    arcs: list[tuple[int, int, int, int, str]] = []
    for i in range(n):
        centre = i * m / n
        for j in range(m + 1):
            if abs(j - centre) > _BAND:
                continue
            for a in _LATIN_SIZES:
                if i + a > n:
                    break
                for b in _KEY_SIZES:
                    if j + b > m:
                        break
                    arcs.append((i, j, i + a, j + b, f"{latin[i : i + a]}|{key[j : j + b]}"))
    return arcs


def _expected_counts(
    pair: Pair, prob: dict[str, float], unseen: float, counts: defaultdict[str, float]
) -> None:
    """Add a pair's expected graphone counts under ``prob`` (forward–backward) to ``counts``.

    A graphone missing from ``prob`` weighs ``unseen`` (1.0 in the first iteration, else 0).
    """
    arcs = _arcs(pair.latin, pair.target)
    end = (len(pair.latin), len(pair.target))
    alpha: defaultdict[tuple[int, int], float] = defaultdict(float)
    alpha[(0, 0)] = 1.0
    for i, j, i2, j2, g in arcs:
        a = alpha.get((i, j))
        if a:
            alpha[(i2, j2)] += a * prob.get(g, unseen)
    total = alpha.get(end, 0.0)
    if total <= 0.0:
        return
    beta: defaultdict[tuple[int, int], float] = defaultdict(float)
    beta[end] = 1.0
    for i, j, i2, j2, g in reversed(arcs):
        b = beta.get((i2, j2))
        if b:
            beta[(i, j)] += b * prob.get(g, unseen)
    scale = pair.weight / total
    for i, j, i2, j2, g in arcs:
        a, b = alpha.get((i, j)), beta.get((i2, j2))
        if a and b:
            counts[g] += a * prob.get(g, unseen) * b * scale


def _viterbi(pair: Pair, prob: dict[str, float]) -> list[str] | None:
    """The likeliest segmentation of a pair into graphones, or None when there is none."""
    best: dict[tuple[int, int], tuple[float, tuple[int, int], str]] = {(0, 0): (0.0, (0, 0), "")}
    for i, j, i2, j2, g in _arcs(pair.latin, pair.target):
        here = best.get((i, j))
        p = prob.get(g, 0.0)
        if here is None or p <= 0.0:
            continue
        score = here[0] + math.log(p)
        there = best.get((i2, j2))
        if there is None or score > there[0]:
            best[(i2, j2)] = (score, (i, j), g)
    cell = (len(pair.latin), len(pair.target))
    if cell not in best:
        return None
    path: list[str] = []
    while cell != (0, 0):
        _, cell, g = best[cell]
        path.append(g)
    return path[::-1]


def align(pairs: Sequence[Pair], iterations: int = 5) -> list[list[str] | None]:
    """Align every pair into graphones by EM.

    Args:
        pairs: The training pairs.
        iterations: EM iterations, starting from uniform graphone weights.

    Returns:
        One graphone sequence (``"lat|key"`` strings) per pair, in input order; None for a pair
        that has no alignment.
    """
    prob: dict[str, float] = {}
    unseen = 1.0  # uniform weights to start from
    for _ in range(iterations):
        counts: defaultdict[str, float] = defaultdict(float)
        for pair in pairs:
            _expected_counts(pair, prob, unseen, counts)
        total = sum(counts.values())
        prob = {g: c / total for g, c in counts.items() if c > 0.0}
        unseen = 0.0
    return [_viterbi(pair, prob) for pair in pairs]


def train(pairs: Sequence[Pair], order: int = 3, iterations: int = 5) -> dict[str, object]:
    """Train the model: the JSON object `retrieval.loanwords.SpellingModel` reads.

    Args:
        pairs: The training pairs.
        order: The n-gram order over graphones (1 = learned edit costs).
        iterations: EM iterations of the alignment.

    Raises:
        ValueError: ``order`` is not 1..6 or no pair could be aligned.
    """
    if not 1 <= order <= 6:
        raise ValueError(f"order must be 1..6, got {order}")
    aligned = [(s, p.weight) for s, p in zip(align(pairs, iterations), pairs, strict=True) if s]
    if not aligned:
        raise ValueError("no pair could be aligned")
    graphones = sorted({g for s, _ in aligned for g in s})
    ids = {g: i for i, g in enumerate(graphones)}
    # Count every n-gram of each order (history padded with the word-start symbol).
    grams: defaultdict[tuple[int, ...], float] = defaultdict(float)
    for seq, weight in aligned:
        tokens = [_BOS] * (order - 1) + [ids[g] for g in seq] + [_EOS]
        for pos in range(order - 1, len(tokens)):
            for k in range(order):
                grams[tuple(tokens[pos - k : pos + 1])] += weight
    context_total: defaultdict[tuple[int, ...], float] = defaultdict(float)
    context_types: Counter[tuple[int, ...]] = Counter()
    for gram, count in grams.items():
        context_total[gram[:-1]] += count
        context_types[gram[:-1]] += 1
    vocabulary = len(graphones) + 1  # the graphones and the word end
    probs: dict[tuple[int, ...], float] = {}
    for gram in sorted(grams, key=len):
        history = gram[:-1]
        lower = probs[gram[1:]] if history else 1.0 / vocabulary
        total, types = context_total[history], context_types[history]
        probs[gram] = (grams[gram] + types * lower) / (total + types)
    backoff = {
        " ".join(map(str, h)): round(math.log(context_types[h] / (context_total[h] + context_types[h])), 5)
        for h in sorted(context_total)
        if h
    }
    return {
        "format": FORMAT,
        "order": order,
        "graphones": graphones,
        "ngrams": {" ".join(map(str, g)): round(math.log(p), 5) for g, p in sorted(probs.items())},
        "backoff": backoff,
        "attribution": (
            "Trained on the Dakshina dataset v1.0 (Roark et al., LREC 2020), Hindi romanization "
            "lexicon, train split; CC BY-SA 4.0."
        ),
    }


def model_bytes(model: dict[str, object]) -> bytes:
    """Serialise a model deterministically: sorted JSON, gzip without a timestamp."""
    text = json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
