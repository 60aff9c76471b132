"""Train the shipped spelling model from the Dakshina lexicon, or compare approaches on its dev split.

    python tools/train_translit.py                 # writes retrieval/data/translit.json.gz + .sha256
    python tools/train_translit.py --compare       # accuracy of each approach on lexicon.dev.tsv

`make translit-model` runs the first form. The model is deterministic in its inputs: the manifest
``retrieval/data/translit.sha256`` records the checksums of the training file and of the model, and
``tests/retrieval/test_loanwords.py`` checks the shipped file against it.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from retrieval.loanword_training import Pair, model_bytes, read_pairs, train  # noqa: E402
from retrieval.loanwords import SpellingModel  # noqa: E402
from retrieval.transliterate import latin_key, query_variants  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "dakshina_hi"
MODEL = ROOT / "retrieval" / "data" / "translit.json.gz"
MANIFEST = ROOT / "retrieval" / "data" / "translit.sha256"
ORDER = 3


def sha256(data: bytes) -> str:
    """Hex SHA-256 of bytes."""
    return hashlib.sha256(data).hexdigest()


def _read(path: Path) -> list[Pair]:
    return read_pairs(path.read_text(encoding="utf-8").splitlines())


def write_model(train_file: Path) -> None:
    """Train the shipped model and write it with its manifest."""
    started = time.perf_counter()
    raw = train_file.read_bytes()
    blob = model_bytes(train(_read(train_file), order=ORDER))
    MODEL.write_bytes(blob)
    MANIFEST.write_text(f"{sha256(raw)}  lexicon.train.tsv\n{sha256(blob)}  {MODEL.name}\n", encoding="utf-8")
    print(
        f"wrote {MODEL.relative_to(ROOT)} ({len(blob) / 1e6:.2f} MB) in {time.perf_counter() - started:.0f} s"
    )


def _rank(candidates: list[str], vocabulary: set[str]) -> list[str]:
    seen: dict[str, None] = {}
    for key in candidates:
        if key in vocabulary:
            seen.setdefault(key)
    return list(seen)


def compare(train_file: Path, dev_file: Path) -> None:
    """Print top-1 / top-3 key accuracy of each approach on the dev pairs.

    The candidate set is every key of a Devanagari word in train + dev (as the archive's key
    lexicon is at run time): an approach's candidates count only when they are in it.
    """
    train_pairs, dev_pairs = _read(train_file), _read(dev_file)
    vocabulary = {p.key for p in train_pairs} | {p.key for p in dev_pairs}
    approaches: dict[str, object] = {
        "rule key (latin_key)": lambda w: [latin_key(w)],
        "rule key + query_variants": lambda w: list(query_variants(w)),
    }
    for order in (1, 2, 3, 4):
        started = time.perf_counter()
        model = SpellingModel.from_bytes(model_bytes(train(train_pairs, order=order)))
        print(f"order {order}: trained in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        approaches[f"graphone {order}-gram"] = lambda w, m=model: [k for k, _ in m.candidates(w)]
        approaches[f"rules then graphone {order}-gram"] = lambda w, m=model: [
            *query_variants(w)[:1],
            *(k for k, _ in m.candidates(w)),
        ]
    print(f"{'approach':36} top-1  top-3  (dev pairs: {len(dev_pairs)}, vocabulary: {len(vocabulary)})")
    for name, generate in approaches.items():
        hit1 = hit3 = 0.0
        total = 0.0
        for pair in dev_pairs:
            ranked = _rank(generate(pair.latin), vocabulary)  # type: ignore[operator]
            hit1 += pair.weight * (ranked[:1] == [pair.key])
            hit3 += pair.weight * (pair.key in ranked[:3])
            total += pair.weight
        print(f"{name:36} {hit1 / total:.3f}  {hit3 / total:.3f}")


def main() -> int:
    """Parse the arguments and run."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--train", type=Path, default=DATA / "lexicon.train.tsv")
    parser.add_argument("--dev", type=Path, default=DATA / "lexicon.dev.tsv")
    parser.add_argument("--compare", action="store_true", help="compare approaches on the dev split")
    args = parser.parse_args()
    if args.compare:
        compare(args.train, args.dev)
    else:
        write_model(args.train)
    return 0


if __name__ == "__main__":
    sys.exit(main())
