"""The benchmarks' corpus: deterministic for a seed, reports of twenty passages, a growing vocabulary."""

from __future__ import annotations

from khabri_tools import bench_corpus
from tests.auxil.bench_data import LINES


def test_corpus_is_deterministic_for_a_seed() -> None:
    first = list(bench_corpus.corpus(LINES, 100, seed=3))
    assert first == list(bench_corpus.corpus(LINES, 100, seed=3))
    assert first != list(bench_corpus.corpus(LINES, 100, seed=4))


def test_corpus_has_the_passages_asked_for_in_reports_of_twenty() -> None:
    reports = list(bench_corpus.corpus(LINES, 110, seed=0))
    assert [len(r.body.split("\n")) for r in reports] == [20] * 5 + [10]
    assert len({r.origin for r in reports}) == len(reports)


def test_rare_words_keep_the_vocabulary_growing() -> None:
    texts = list(bench_corpus.passage_texts(LINES, 400, seed=0))
    words = {w for t in texts for w in t.split()}
    common = {w for line in LINES for w in line.split()}
    assert len(words - common) > 0.2 * 400
