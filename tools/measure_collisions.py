"""How often a romanized word's alternatives reach a wrong word, with the model and the dictionary.

Before and after the spelling model, and with the English-Hindi dictionary's senses:

    python tools/measure_collisions.py [--pairs sentences.dev.jsonl] [--vocabulary hindi_wiki_lines.jsonl]
        [--dictionary /usr/share/dictd/freedict-eng-hin]

Every content word of a Dakshina sentence pair (the native and the typed sentence have the same
number of words in 4,977 of 5,000 pairs) is a query word; the vocabulary is the keys of every
Devanagari word of the native sentences and the distractor lines, as an archive's key lexicon
would be. For each word the key alternatives are taken from `analyze_query` with the lexicon, and
counted: *right* when one of them is the native word's key, *wrong* when one of them is the key of
another word of the vocabulary, separately for the alternatives that count as the word's own
spellings and for fuzzy neighbours. The "before" column leaves the model out. With a dictionary,
the last column adds the senses (`retrieval.translate`) and counts, besides, the words a sense of
which reaches a word of the vocabulary: every Dakshina word is Hindi typed in Latin letters, so a
sense is a collision unless it is the native word itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import retrieval.analyze as analyze  # noqa: E402
from bot.archive.dictionary import SYSTEM_DICTIONARY, index_of, read_dictionary  # noqa: E402
from retrieval import EnglishHindi  # noqa: E402
from retrieval.lexicon import Lexicon  # noqa: E402
from retrieval.stopwords import is_stopword  # noqa: E402
from retrieval.tokenize import tokenize  # noqa: E402
from retrieval.transliterate import deva_key  # noqa: E402

DATA = ROOT.parent / "shared" / "data"


def _deva_keys(text: str) -> set[str]:
    return {deva_key(t.text) for t in tokenize(text) if t.script == "deva"}


def measure(
    pairs: list[tuple[str, str]], lexicon: Lexicon, dictionary: EnglishHindi | None = None
) -> dict[str, float]:
    """Rates of right and wrong matches over the content words of the pairs."""
    counts = dict.fromkeys(("words", "right", "wrong_own", "wrong_fuzzy", "sense_wrong", "sense_right"), 0)
    for native, roman in pairs:
        for deva_word, latin_word in zip(native.split(), roman.split(), strict=True):
            gold = deva_key(deva_word.strip("।,.?!()\"'"))
            if not gold or is_stopword(latin_word.lower()) or not latin_word.isalpha():
                continue
            groups = [g for g in analyze.analyze_query(latin_word, lexicon, dictionary) if g.field == "k"]
            alternatives = [a for g in groups for a in g.alternatives if a.term[2:] in lexicon]
            if dictionary is not None:
                plain = {a.term for g in analyze.analyze_query(latin_word, lexicon) for a in g.alternatives}
                senses = [a for a in alternatives if a.term not in plain]
                counts["sense_wrong"] += any(a.term[2:] != gold for a in senses)
                counts["sense_right"] += any(a.term[2:] == gold for a in senses)
            counts["words"] += 1
            counts["right"] += any(a.term[2:] == gold for a in alternatives)
            counts["wrong_own"] += any(a.term[2:] != gold and not a.fuzzy for a in alternatives)
            counts["wrong_fuzzy"] += any(a.term[2:] != gold and a.fuzzy for a in alternatives)
    words = counts["words"]
    return {"words": words, **{k: round(v / words, 4) for k, v in counts.items() if k != "words"}}


def main() -> int:
    """Print the before/after table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=Path, default=DATA / "dakshina_hi" / "sentences.dev.jsonl")
    parser.add_argument("--vocabulary", type=Path, default=DATA / "hindi_wiki_lines.jsonl")
    parser.add_argument("--dictionary", type=Path, default=SYSTEM_DICTIONARY, help="a dictd dictionary")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.pairs.read_text(encoding="utf-8").splitlines() if line.strip()]
    pairs = [(r["native"], r["roman"]) for r in rows if len(r["native"].split()) == len(r["roman"].split())]
    keys: set[str] = set()
    for native, _ in pairs:
        keys |= _deva_keys(native)
    for line in args.vocabulary.read_text(encoding="utf-8").splitlines():
        if line.strip():
            keys |= _deva_keys(json.loads(line).get("text", ""))
    lexicon = Lexicon(sorted(keys))
    dictionary = read_dictionary(args.dictionary) if index_of(args.dictionary).exists() else None
    translated = measure(pairs, lexicon, dictionary) if dictionary is not None else None
    after = measure(pairs, lexicon)
    analyze.SPELLING_MIN = 2.0  # no model alternative passes: the analysis as it was
    before = measure(pairs, lexicon)
    print(f"words: {after['words']}, vocabulary keys: {len(lexicon)}")
    print(f"{'rate':36} before  after   +senses")
    for name, label in (
        ("right", "native word's key reached"),
        ("wrong_own", "wrong word among own spellings"),
        ("wrong_fuzzy", "wrong word among fuzzy neighbours"),
        ("sense_wrong", "a sense reaches a wrong word"),
        ("sense_right", "a sense is the native word"),
    ):
        extra = f"{translated[name]:.4f}" if translated is not None else "-"
        print(f"{label:36} {before[name]:.4f}  {after[name]:.4f}  {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
