"""The benchmarks' inputs: a synthetic archive recombined from real Hindi lines, and the questions.

Shared by ``khabri bench`` (``khabri_tools.bench``), ``khabri bench load`` (``khabri_tools.bench_load``),
``khabri bench --search`` (``khabri_tools.search_bench``) and the benchmark tests, so that every figure is
measured on the same corpus for the same seed. The data is the shared evaluation data beside the checkout
(``DATA``: ``../shared/data`` from its root, which the editable install of ``tools/`` keeps this file in),
never shipped.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from bot.archive.report_files import ReportRecord

# tools/khabri_tools/bench_corpus.py -> the checkout's parent folder, which holds shared/.
DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
PASSAGES_PER_REPORT = 20
RARE_SHARE = 0.3
"""The share of passages that carry one synthetic rare word."""
ROMAN_WORDS = 5

# Syllables of the synthetic rare words: a consonant and a vowel sign (or none).
_CONSONANTS = "कखगघचछजझटठडढतथदधनपफबभमयरलवशसह"
_SIGNS = ["", "ा", "ि", "ी", "ु", "ू", "े", "ै", "ो", "ौ"]


def read_lines(data: Path) -> list[str]:
    """The real Hindi lines the passages are recombined from."""
    with (data / "hindi_wiki_lines.jsonl").open(encoding="utf-8") as file:
        return [text for line in file if (text := str(json.loads(line)["text"]).strip())]


def readable_lines(data: Path) -> list[str] | None:
    """The lines, once the questions are known to be readable too; ``None`` after saying why on stderr.

    Both ``khabri bench`` and ``khabri bench --search`` check their data before building anything.
    """
    try:
        lines = read_lines(data)
        read_questions(data, 1)
    except OSError as error:
        print(f"khabri: cannot read the benchmark data: {error}", file=sys.stderr)
        return None
    return lines


def rare_word(rng: random.Random) -> str:
    """A made-up Devanagari word of 3-5 syllables, almost surely new to the vocabulary."""
    return "".join(rng.choice(_CONSONANTS) + rng.choice(_SIGNS) for _ in range(rng.randint(3, 5)))


def passage_texts(lines: Sequence[str], n: int, seed: int = 0) -> Iterator[str]:
    """``n`` passages of 2-3 real lines chosen with a fixed seed, some with a rare word inserted."""
    rng = random.Random(seed)
    for _ in range(n):
        chosen = [lines[rng.randrange(len(lines))] for _ in range(rng.randint(2, 3))]
        if rng.random() < RARE_SHARE:
            words = chosen[0].split(" ")
            words.insert(rng.randrange(len(words) + 1), rare_word(rng))
            chosen[0] = " ".join(words)
        yield " ".join(chosen)


def corpus(lines: Sequence[str], n: int, seed: int = 0, *, prefix: str = "bench") -> Iterator[ReportRecord]:
    """Reports of :data:`PASSAGES_PER_REPORT` passages each, one passage a paragraph, ``n`` passages in all.

    The title is the start of the first passage, so it is not a passage of its own.
    """
    texts = passage_texts(lines, n, seed)
    number = 0
    while batch := [t for _, t in zip(range(PASSAGES_PER_REPORT), texts, strict=False)]:
        title = " ".join(batch[0].split(" ")[:6])
        yield ReportRecord(f"{prefix}:{seed}:{number}", title, "\n".join(batch), where=f"{prefix}#{number}")
        number += 1


def read_questions(data: Path, count: int) -> tuple[list[str], list[str]]:
    """Devanagari XQuAD questions and romanized Dakshina queries (first words), ``count`` of each."""
    with (data / "xquad_hi_dev" / "questions.jsonl").open(encoding="utf-8") as file:
        deva = [str(json.loads(line)["question"]) for line in file][:count]
    roman: list[str] = []
    with (data / "dakshina_hi" / "sentences.dev.jsonl").open(encoding="utf-8") as file:
        for line in file:
            words = str(json.loads(line)["roman"]).split()[:ROMAN_WORDS]
            if len(words) >= 3:
                roman.append(" ".join(words))
            if len(roman) >= count:
                break
    return deva, roman
