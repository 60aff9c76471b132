"""Typed Latin words → the romanized keys of their likely Devanagari renderings, by a learned model.

English words and foreign names are written in Hindi news by their English sound (quarter →
क्वार्टर, murray → मरे), which the rule-made key of `retrieval.transliterate` cannot follow. This
module holds a joint-sequence ("graphone") model in the manner of Bisani & Ney, *Joint-sequence
models for grapheme-to-phoneme conversion*, Speech Communication 50 (2008): a word pair is a
sequence of graphones — a chunk of one or two typed letters paired with zero to two letters of the
Devanagari word's K2 key (`retrieval.transliterate.deva_key`) — and an n-gram over graphones,
interpolated Witten–Bell (Witten & Bell, IEEE Trans. Inf. Theory 37(4), 1991), scores a pair.
Decoding is a beam search over the typed word's letters; the keys it yields are looked up in the
archive's key lexicon by the caller, so only renderings the archive holds ever become alternatives.

The model is trained from the Dakshina lexicon (Roark et al., LREC 2020; CC BY-SA 4.0) by
`tools/train_translit.py` (see `retrieval.loanword_training`) and ships as
``retrieval/data/translit.json.gz``; it is never downloaded.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import regex

__all__ = ["MODEL_RESOURCE", "SpellingModel", "default_model"]

MODEL_RESOURCE = "data/translit.json.gz"
"""The shipped model, relative to the ``retrieval`` package."""

FORMAT = "khabri-graphone-ngram-1"
"""The ``format`` field a model file must carry."""

# Words longer than this are not decoded: no typed word of a question is, and the beam costs grow.
MAX_WORD = 24
_BEAM = 24
_NBEST = 12
# A partial hypothesis this far (in nats) below the best one at its position is dropped: no key
# under exp(-3) of the best is used, and the margin leaves room for a weak start to recover.
_MARGIN = 10.0
_FLOOR = -30.0  # log-probability of a graphone the model never saw, even as a unigram
_DOUBLED = regex.compile(r"(.)\1+")


@dataclass(frozen=True, slots=True)
class _Tables:
    """The model's arrays: graphones, n-gram log-probabilities and back-off weights."""

    latin: tuple[str, ...]
    key: tuple[str, ...]
    logprob: dict[tuple[int, ...], float]
    backoff: dict[tuple[int, ...], float]
    order: int
    by_latin: dict[str, tuple[int, ...]]


class SpellingModel:
    """A graphone n-gram model scoring typed Latin words against K2 keys."""

    def __init__(self, data: dict[str, object]) -> None:
        """Build the model from the JSON object `loanword_training.train` writes.

        Raises:
            ValueError: the object is not a model of this format, or its parts disagree.
        """
        try:
            if data["format"] != FORMAT:
                raise ValueError(f"not a spelling model: format {data['format']!r}, expected {FORMAT!r}")
            graphones = [str(g) for g in data["graphones"]]  # type: ignore[attr-defined]
            order = int(data["order"])  # type: ignore[call-overload]
            grams = data["ngrams"]
            backoffs = data["backoff"]
            pairs = [g.split("|") for g in graphones]
            logprob = {tuple(map(int, k.split())): float(v) for k, v in grams.items()}  # type: ignore[attr-defined]
            backoff = {tuple(map(int, k.split())): float(v) for k, v in backoffs.items()}  # type: ignore[attr-defined]
        except (KeyError, TypeError, AttributeError) as error:
            raise ValueError(f"not a spelling model: {error!r}") from error
        n = len(graphones)
        if any(len(p) != 2 for p in pairs) or any(i < -2 or i >= n for k in logprob for i in k):
            raise ValueError("not a spelling model: its parts disagree")
        by_latin: dict[str, list[int]] = {}
        for i, (lat, _) in enumerate(pairs):
            if lat:
                by_latin.setdefault(lat, []).append(i)
        self._t = _Tables(
            latin=tuple(p[0] for p in pairs),
            key=tuple(p[1] for p in pairs),
            logprob=logprob,
            backoff=backoff,
            order=order,
            by_latin={lat: tuple(ids) for lat, ids in by_latin.items()},
        )
        self.candidates = lru_cache(maxsize=50_000)(self._candidates)

    @classmethod
    def from_bytes(cls, blob: bytes) -> SpellingModel:
        """Read a model from gzip-compressed JSON.

        Raises:
            ValueError: the bytes are not a model this version wrote.
        """
        try:
            data = json.loads(gzip.decompress(blob).decode("utf-8"))
        except (OSError, EOFError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise ValueError(f"not a spelling model: {error}") from error
        if not isinstance(data, dict):
            raise ValueError("not a spelling model: not a JSON object")
        return cls(data)

    @property
    def order(self) -> int:
        """The n-gram order (1 is a memoryless model of learned edit costs)."""
        return self._t.order

    def _score(self, history: tuple[int, ...], graphone: int) -> float:
        """Log P(graphone | history) with back-off to shorter histories."""
        t = self._t
        penalty = 0.0
        while True:
            found = t.logprob.get((*history, graphone))
            if found is not None:
                return penalty + found
            if not history:
                return penalty + _FLOOR
            penalty += t.backoff.get(history, 0.0)
            history = history[1:]

    def _candidates(self, word: str) -> tuple[tuple[str, float], ...]:
        """The likeliest keys of a typed word with their posterior among the n-best."""
        t = self._t
        if not word or len(word) > MAX_WORD or not word.isascii() or not word.isalpha():
            return ()
        word = word.lower()
        keep = t.order - 1
        # beams[i]: hypotheses that have consumed i letters, (history, key so far) → log-prob.
        beams: list[dict[tuple[tuple[int, ...], str], float]] = [{} for _ in range(len(word) + 1)]
        beams[0][((-1,) * keep, "")] = 0.0  # -1 is the word-start symbol
        for i in range(len(word)):
            if not beams[i]:
                continue
            best = sorted(beams[i].items(), key=lambda kv: -kv[1])[:_BEAM]
            cutoff = best[0][1] - _MARGIN
            for (history, out), logp in best:
                if logp < cutoff:
                    break
                for size in (1, 2):
                    if i + size > len(word):
                        break
                    for g in t.by_latin.get(word[i : i + size], ()):
                        score = logp + self._score(history, g)
                        state = ((*history, g)[-keep:] if keep else (), out + t.key[g])
                        target = beams[i + size]
                        if score > target.get(state, -math.inf):
                            target[state] = score
        finals: dict[str, float] = {}
        for (history, out), logp in beams[len(word)].items():
            score = logp + self._score(history, -2)  # -2 is the word-end symbol
            # Chunks can meet in a doubled letter, which no K2 key has.
            out = _DOUBLED.sub(r"\1", out)
            if out:
                prev = finals.get(out)
                finals[out] = (
                    score if prev is None else max(prev, score) + math.log1p(math.exp(-abs(prev - score)))
                )
        ranked = sorted(finals.items(), key=lambda kv: (-kv[1], kv[0]))[:_NBEST]
        if not ranked:
            return ()
        top = ranked[0][1]
        total = sum(math.exp(s - top) for _, s in ranked)
        return tuple((key, math.exp(s - top) / total) for key, s in ranked)


@lru_cache(maxsize=1)
def default_model() -> SpellingModel:
    """The shipped model, read once per process.

    Raises:
        ValueError: the shipped file is damaged (a packaging error, never user input).
    """
    blob = resources.files("retrieval").joinpath(MODEL_RESOURCE).read_bytes()
    return SpellingModel.from_bytes(blob)
