"""How often a key the spelling model proposes is the right one, by its share of the best key.

    python tools/measure_spelling_bands.py [--lexicon lexicon.dev.tsv] [--vocabulary lexicon.train.tsv ...]

For each (Devanagari, typed) pair of the Dakshina dev lexicon, the model's n-best keys are weighed as
`retrieval.analyze` weighs them, ``(p / p_best) ** (1 / SPELLING_TEMPERATURE)``, and counted in bands
of that share: *right* when the key is the Devanagari word's own. Only keys that a vocabulary holds
count, as in an archive, where a key no report holds never becomes an alternative; the vocabulary is
the keys of every word of the given lexicons. `SPELLING_TRUSTED` is where a key starts to count as a
spelling of the word rather than as a fuzzy neighbour.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.analyze import SPELLING_MIN, SPELLING_TEMPERATURE  # noqa: E402
from retrieval.loanwords import default_model  # noqa: E402
from retrieval.transliterate import deva_key  # noqa: E402

DAKSHINA = ROOT.parent / "shared" / "data" / "dakshina_hi"


def _pairs(path: Path) -> set[tuple[str, str]]:
    with path.open(encoding="utf-8") as lines:
        return {
            (cols[0], cols[1]) for cols in (line.rstrip("\n").split("\t") for line in lines) if len(cols) >= 2
        }


def main() -> int:
    """Print the bands as a table and as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lexicon", type=Path, default=DAKSHINA / "lexicon.dev.tsv")
    parser.add_argument(
        "--vocabulary",
        type=Path,
        nargs="+",
        default=[DAKSHINA / "lexicon.train.tsv", DAKSHINA / "lexicon.dev.tsv"],
    )
    args = parser.parse_args()
    model = default_model()
    vocabulary = {deva_key(native) for path in args.vocabulary for native, _ in _pairs(path)}
    proposed: Counter[float] = Counter()
    right: Counter[float] = Counter()
    for native, typed in sorted(_pairs(args.lexicon)):
        candidates = model.candidates(typed)
        if not candidates:
            continue
        best, own = candidates[0][1], deva_key(native)
        for key, p in candidates:
            share = (p / best) ** (1.0 / SPELLING_TEMPERATURE)
            if share < SPELLING_MIN or key not in vocabulary:
                continue
            band = min(int(share * 10), 9) / 10
            proposed[band] += 1
            right[band] += key == own
    rows = [
        {
            "share_from": band,
            "keys": proposed[band],
            "right": right[band],
            "precision": round(right[band] / proposed[band], 3),
        }
        for band in sorted(proposed)
    ]
    print(f"{'share':>6} {'keys':>6} {'right':>6} {'precision':>9}")
    for row in rows:
        print(f"{row['share_from']:>6} {row['keys']:>6} {row['right']:>6} {row['precision']:>9}")
    print(json.dumps(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
