"""The BM25 index against its oracle, rank_bm25's BM25Okapi, and against a naive group scorer."""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

from retrieval.index import Index, bm25, codec, decode_batch, encode_terms
from retrieval.index.postings import MERGE_FACTOR, SEALED_DOCS, plan_merge
from retrieval.types import Hit

Corpus = list[list[int]]

# Small alphabets make repeated and very common terms likely, so negative idfs (and a negative
# epsilon floor, when the mean idf is negative) come up often.
corpora = st.lists(st.lists(st.integers(0, 7), max_size=10), min_size=1, max_size=24).filter(
    lambda corpus: any(corpus)
)
queries = st.lists(st.integers(0, 9), min_size=1, max_size=6)  # 8 and 9 are never indexed
alternatives = st.tuples(st.integers(0, 9), st.sampled_from([1.0, 0.5, 0.3, 2.0, 0.0, -0.7]))


def csr(corpus: Corpus, ids: list[int]) -> tuple[np.ndarray, ...]:
    offsets, terms, tfs = [0], [], []
    for tokens in corpus:
        unique, counts = np.unique(np.array(tokens, dtype=np.int64), return_counts=True)
        terms += unique.tolist()
        tfs += counts.tolist()
        offsets.append(len(terms))
    return (
        np.array(ids, dtype=np.int64),
        np.array(offsets, dtype=np.int64),
        np.array(terms, dtype=np.int64),
        np.array(tfs, dtype=np.int64),
    )


def build(corpus: Corpus, ids: list[int] | None = None, cuts: Sequence[int] = ()) -> Index:
    """Index ``corpus`` (doc i has id ids[i]) in batches split at the positions ``cuts``."""
    ids = list(range(len(corpus))) if ids is None else ids
    index = Index()
    bounds = [0, *sorted({c for c in cuts if 0 < c < len(corpus)}), len(corpus)]
    for lo, hi in itertools.pairwise(bounds):
        index.add(*csr(corpus[lo:hi], ids[lo:hi]))
    return index


def single(query: list[int]) -> list[list[tuple[int, float]]]:
    return [[(term, 1.0)] for term in query]


def all_scores(index: Index, groups: list[list[tuple[int, float]]]) -> dict[int, float]:
    return {hit.doc_id: hit.score for hit in index.search(groups, k=10**6)}


def assert_matches(got: dict[int, float], expected: np.ndarray | list[float]) -> None:
    """Every doc scoring above 0 is returned with its score; nothing else is returned."""
    scale = max([1.0, *(abs(e) for e in expected)])
    for doc_id, want in enumerate(expected):
        if want > 1e-9 * scale:
            assert doc_id in got, (doc_id, want)
        if doc_id in got:
            assert got[doc_id] == pytest.approx(want, rel=1e-9, abs=1e-12 * scale)


@settings(max_examples=300, deadline=None)
@given(corpora, queries, st.lists(st.integers(0, 24), max_size=6))
def test_scores_equal_bm25okapi_get_scores(corpus: Corpus, query: list[int], cuts: list[int]) -> None:
    expected = BM25Okapi(corpus).get_scores(query)
    assert_matches(all_scores(build(corpus, cuts=cuts), single(query)), expected)


@settings(max_examples=200, deadline=None)
@given(corpora, queries, st.integers(1, 5))
def test_top_k_agrees_with_bm25okapi(corpus: Corpus, query: list[int], k: int) -> None:
    expected = BM25Okapi(corpus).get_scores(query)
    hits = build(corpus).search(single(query), k=k)
    tol = 1e-9 * max(1.0, *np.abs(expected))
    positive = sorted((s for s in expected if s > tol), reverse=True)
    assert min(k, len(positive)) <= len(hits) <= k
    kth = positive[min(k, len(positive)) - 1] if positive else tol
    for hit in hits:  # near-zero scores are rounding noise either way
        assert expected[hit.doc_id] >= kth - tol or hit.score <= tol
    ids = {hit.doc_id for hit in hits}
    assert all(d in ids for d, s in enumerate(expected) if s > kth + tol)


@settings(max_examples=200, deadline=None)
@given(corpora, queries)
def test_hits_are_positive_and_ordered_by_score_then_id(corpus: Corpus, query: list[int]) -> None:
    hits = build(corpus).search(single(query), k=50)
    assert all(hit.score > 0 for hit in hits)
    assert hits == sorted(hits, key=lambda hit: (-hit.score, hit.doc_id))


@settings(max_examples=200, deadline=None)
@given(corpora, queries, st.randoms(use_true_random=False))
def test_ranking_ignores_insertion_order_and_batching(
    corpus: Corpus, query: list[int], rnd: random.Random
) -> None:
    ids = list(range(len(corpus)))
    rnd.shuffle(ids)
    shuffled = [corpus[i] for i in ids]
    cuts = [rnd.randrange(len(corpus) + 1) for _ in range(rnd.randrange(len(corpus) + 1))]
    once = build(corpus).search(single(query), k=10**6)
    assert build(shuffled, ids, cuts).search(single(query), k=10**6) == once


@settings(max_examples=300, deadline=None)
@given(
    corpora,
    st.lists(st.lists(alternatives, min_size=1, max_size=3), min_size=1, max_size=6),
    st.sampled_from([1, 2, 5]),
)
def test_pruned_top_k_equals_the_full_ranking(
    corpus: Corpus, groups: list[list[tuple[int, float]]], block: int
) -> None:
    index = build(corpus, cuts=[4, 11])
    full = index.search(groups, k=10**6)  # fewer than k documents: nothing can be pruned
    with pytest.MonkeyPatch.context() as patch:
        # Small blocks: a new threshold every few documents, and blocks across segment bounds.
        patch.setattr(bm25, "_BLOCK_SLOTS", block)
        for k in (1, 2, 3):
            assert index.search(groups, k=k) == full[:k]


@settings(max_examples=100, deadline=None)
@given(corpora, st.data())
def test_contains_tells_the_live_documents(corpus: Corpus, data: st.DataObject) -> None:
    index = build(corpus, cuts=[3])
    removed = data.draw(st.sets(st.integers(0, len(corpus))))
    index.remove(removed)
    asked = list(range(-1, len(corpus) + 2))
    assert index.contains(asked).tolist() == [d in index for d in asked]
    assert index.contains(asked).tolist() == [0 <= d < len(corpus) and d not in removed for d in asked]


def test_pruning_on_a_zipfian_corpus_keeps_the_exact_top_k() -> None:
    rng = np.random.default_rng(3)
    corpus = [(rng.zipf(1.2, size=rng.integers(5, 60)) % 3000).tolist() for _ in range(4000)]
    index = build(corpus, cuts=[1000, 2500])
    oracle = BM25Okapi(corpus)
    for _ in range(30):
        query = (rng.zipf(1.2, size=rng.integers(2, 12)) % 3000).tolist()
        expected = oracle.get_scores(query)
        best = sorted(range(len(corpus)), key=lambda d: (-expected[d], d))[:10]
        hits = index.search(single(query), k=10)
        assert [h.doc_id for h in hits] == [d for d in best if expected[d] > 0]
        assert [h.score for h in hits] == pytest.approx([expected[h.doc_id] for h in hits])


def test_many_small_adds_merge_and_keep_scores() -> None:
    rng = np.random.default_rng(7)
    corpus = [(rng.zipf(1.3, size=rng.integers(0, 30)) % 500).tolist() for _ in range(600)]
    one_by_one = build(corpus, cuts=list(range(600)))
    queries = [(rng.zipf(1.3, size=4) % 500).tolist() for _ in range(20)]
    assert len(one_by_one) == 600
    for query in queries:
        assert one_by_one.search(single(query), k=20) == build(corpus).search(single(query), k=20)


@settings(max_examples=200, deadline=None)
@given(corpora, queries, st.data())
def test_remove_equals_rebuild_without(corpus: Corpus, query: list[int], data: st.DataObject) -> None:
    gone = data.draw(st.sets(st.integers(0, len(corpus) + 3)))  # some ids are unknown
    cuts = data.draw(st.lists(st.integers(0, len(corpus)), max_size=4))
    index = build(corpus, cuts=cuts)
    index.remove(gone)
    kept = [i for i in range(len(corpus)) if i not in gone]
    rebuilt = build([corpus[i] for i in kept], kept)
    assert len(index) == len(rebuilt) == len(kept)
    assert index.avgdl == rebuilt.avgdl
    assert [index.df(t) for t in range(10)] == [rebuilt.df(t) for t in range(10)]
    assert [index.idf(t) for t in range(10)] == [rebuilt.idf(t) for t in range(10)]
    assert index.search(single(query), k=10**6) == rebuilt.search(single(query), k=10**6)
    if any(corpus[i] for i in kept):
        expected = BM25Okapi([corpus[i] for i in kept]).get_scores(query)
        got = all_scores(index, single(query))
        assert_matches({kept.index(d): s for d, s in got.items()}, expected)


def test_removed_ids_can_be_added_again() -> None:
    index = build([[1, 2], [2, 3], [3, 4]])
    index.remove([1, 99])  # 99 is unknown and ignored
    assert 1 not in index
    assert len(index) == 2
    index.add(*csr([[2, 3]], [1]))
    assert 1 in index
    assert all_scores(index, single([2])) == all_scores(build([[1, 2], [2, 3], [3, 4]]), single([2]))


def test_removing_everything_leaves_an_empty_index() -> None:
    index = build([[1, 2], [2, 3]])
    index.remove([0, 1])
    assert len(index) == 0
    assert index.avgdl == 0.0
    assert index.df(2) == 0
    assert index.search(single([2])) == []


def naive_group_scores(corpus: Corpus, groups: list[list[tuple[int, float]]]) -> list[float]:
    """The definition, spelled out: per group the max over alternatives, summed over groups."""
    bm25 = BM25Okapi(corpus)
    per_term = {t: bm25.get_scores([t]) for group in groups for t, _ in group}
    return [
        sum(max(weight * per_term[t][d] for t, weight in group) for group in groups if group)
        for d in range(len(corpus))
    ]


@settings(max_examples=300, deadline=None)
@given(corpora, st.lists(st.lists(alternatives, max_size=4), min_size=1, max_size=4))
def test_group_scores_are_max_over_alternatives_summed(
    corpus: Corpus, groups: list[list[tuple[int, float]]]
) -> None:
    assert_matches(all_scores(build(corpus, cuts=[3, 9]), groups), naive_group_scores(corpus, groups))


@settings(max_examples=150, deadline=None)
@given(corpora, queries, st.sets(st.integers(0, 30)), st.integers(1, 6))
def test_candidates_restrict_the_full_ranking(
    corpus: Corpus, query: list[int], candidates: set[int], k: int
) -> None:
    index = build(corpus, cuts=[2, 5])
    full = index.search(single(query), k=10**6)
    chosen = index.search(single(query), k=k, candidates=np.array(sorted(candidates)))
    assert chosen == [hit for hit in full if hit.doc_id in candidates][:k]


def test_statistics_match_bm25okapi() -> None:
    corpus = [[1, 1, 2], [2, 3], [2, 4, 4, 4], [5], [2, 1]]
    oracle, index = BM25Okapi(corpus), build(corpus)
    assert len(index) == oracle.corpus_size
    assert index.avgdl == oracle.avgdl
    for term in range(7):
        assert index.idf(term) == pytest.approx(oracle.idf.get(term, 0.0), rel=1e-12)
    assert index.df(2) == 4
    assert index.idf(2) < 0.25 * oracle.average_idf + 1e-12  # floored
    assert 4 in index
    assert 5 not in index


def test_repeated_query_terms_count_twice() -> None:
    index = build([[1, 2], [2, 3], [3, 4]])
    once, twice = index.search(single([1])), index.search(single([1, 1]))
    assert twice[0].score == pytest.approx(2 * once[0].score)


def test_term_with_zero_idf_scores_nothing() -> None:
    # df = 2 of N = 4 gives ln(2.5) - ln(2.5) = 0, which rank_bm25 leaves unfloored.
    index = build([[1], [1], [2], [3]])
    assert index.idf(1) == 0.0
    assert index.search(single([1])) == []


def test_empty_documents_count_in_n_and_avgdl() -> None:
    corpus = [[], [1, 2], [], [2, 2, 3]]
    expected = BM25Okapi(corpus).get_scores([2, 3])
    assert_matches(all_scores(build(corpus), single([2, 3])), expected)


def test_an_empty_index_finds_nothing() -> None:
    index = Index()
    assert len(index) == 0
    assert index.avgdl == 0.0
    assert index.idf(3) == 0.0
    assert index.search(single([3])) == []
    assert index.search([]) == []


def test_hit_values() -> None:
    hits = build([[1, 2], [2, 2], [3]]).search(single([1]), k=5)
    assert hits == [Hit(0, hits[0].score)]
    assert hits[0].score > 0
    assert isinstance(hits[0].doc_id, int)
    assert isinstance(hits[0].score, float)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.dictionaries(st.integers(0, 2**32 - 1), st.integers(1, 70000), max_size=20),
        max_size=8,
    )
)
def test_codec_round_trips(docs: list[dict[int, int]]) -> None:
    blobs = [encode_terms(list(d), list(d.values())) for d in docs]
    ids, offsets, terms, tfs = decode_batch(list(range(10, 10 + len(docs))), blobs)
    assert ids.tolist() == list(range(10, 10 + len(docs)))
    for i, d in enumerate(docs):
        lo, hi = offsets[i], offsets[i + 1]
        assert terms[lo:hi].tolist() == sorted(d)
        assert tfs[lo:hi].tolist() == [min(d[t], 65535) for t in sorted(d)]
    assert all(len(blob) == 6 * len(d) for blob, d in zip(blobs, docs, strict=True))


def test_decoded_batches_feed_add() -> None:
    corpus = [[5, 5, 9], [9, 1], [1, 1, 1, 5]]
    blobs = []
    for tokens in corpus:
        terms, counts = np.unique(tokens, return_counts=True)
        blobs.append(encode_terms(terms, counts))
    index = Index()
    index.add(*decode_batch([0, 1, 2], blobs))
    assert index.search(single([9, 1])) == build(corpus).search(single([9, 1]))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: Index(k1=-1.0), "k1"),
        (lambda: Index(b=1.5), "b must be in"),
        (lambda: Index(epsilon=math.nan), "epsilon"),
        (lambda: encode_terms([1, 1], [1, 2]), "distinct"),
        (lambda: encode_terms([-1], [1]), "term ids"),
        (lambda: encode_terms([2**32], [1]), "term ids"),
        (lambda: encode_terms([1], [0]), "at least 1"),
        (lambda: encode_terms([1, 2], [1]), "same length"),
        (lambda: decode_batch([1], [b"\x00" * 5]), "multiple of 6"),
        (lambda: decode_batch([1, 2], [b""]), "same length"),
    ],
)
def test_bad_arguments_raise_value_error(call: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        call()  # type: ignore[operator]


def good_batch() -> dict[str, np.ndarray]:
    return {
        "doc_ids": np.array([10, 11]),
        "offsets": np.array([0, 2, 3]),
        "term_ids": np.array([1, 2, 2]),
        "tfs": np.array([1, 3, 1]),
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("doc_ids", np.array([10, 10]), "distinct within a batch"),
        ("doc_ids", np.array([-1, 11]), "non-negative"),
        ("doc_ids", np.array([1.0, 2.0]), "integer array"),
        ("doc_ids", np.array([5, 0]), "already in the index"),
        ("offsets", np.array([0, 2]), "offsets must have"),
        ("offsets", np.array([0, 3, 3, 3]), "offsets must have"),
        ("offsets", np.array([1, 2, 3]), "offsets must have"),
        ("offsets", np.array([0, 4, 3]), "non-decreasing"),
        ("term_ids", np.array([1, 1, 2]), "distinct within each document"),
        ("term_ids", np.array([1, -2, 2]), "term ids must be in"),
        ("tfs", np.array([1, 1]), "same length"),
        ("tfs", np.array([1, 0, 1]), "frequencies must be in"),
        ("tfs", np.array([1, 65536, 1]), "frequencies must be in"),
    ],
)
def test_bad_batches_raise_and_leave_the_index_unchanged(field: str, value: np.ndarray, message: str) -> None:
    index = build([[1, 2], [3]])
    before = index.search(single([1, 2, 3]))
    batch = good_batch() | {field: value}
    with pytest.raises(ValueError, match=message):
        index.add(**batch)
    assert len(index) == 2
    assert index.search(single([1, 2, 3])) == before


@pytest.mark.parametrize(
    ("groups", "k", "message"),
    [
        ([[(1, 1.0)]], 0, "k must be a positive integer"),
        ([[(1, 1.0)]], True, "k must be a positive integer"),
        ([[(1, 1.0)]], 2.5, "k must be a positive integer"),
        ([[(-1, 1.0)]], 5, "term ids must be in"),
        ([[(1.5, 1.0)]], 5, "term ids must be integers"),
        ([[(1, math.inf)]], 5, "finite"),
        ([[(1, "1")]], 5, "finite"),
        ([[(1,)]], 5, "pair"),
        ([(1, 1.0)], 5, "pair"),
        ("ab", 5, "sequence of groups"),
    ],
)
def test_bad_queries_raise_value_error(groups: object, k: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build([[1, 2], [3]]).search(groups, k=k)  # type: ignore[arg-type]


def test_merge_policy_merges_the_newest_run_of_small_segments() -> None:
    assert plan_merge([20] * (MERGE_FACTOR - 1), [20] * (MERGE_FACTOR - 1)) is None
    assert plan_merge([500, *[20] * MERGE_FACTOR], [500, *[20] * MERGE_FACTOR]) == (1, 5)
    sealed = [SEALED_DOCS] * 8
    assert plan_merge(sealed, sealed) is None
    assert plan_merge([10, 10], [30, 10]) == (0, 1)  # mostly dead: rewrite alone


def test_segment_count_stays_logarithmic() -> None:
    index = Index()
    for doc_id in range(2000):
        index.add(*csr([[doc_id % 50, 51]], [doc_id]))
    assert len(index) == 2000
    assert len(index._segments) <= (MERGE_FACTOR - 1) * 8


@settings(max_examples=200, deadline=None)
@given(corpora, st.lists(st.lists(alternatives, min_size=1, max_size=3), min_size=1, max_size=6), st.data())
def test_scores_of_chosen_documents_are_the_scores_search_gives(
    corpus: Corpus, groups: list[list[tuple[int, float]]], data: st.DataObject
) -> None:
    index = build(corpus, cuts=[2, 7])
    found = {hit.doc_id: hit.score for hit in index.search(groups, k=10**6)}
    asked = data.draw(st.lists(st.integers(-1, len(corpus) + 1), max_size=12))
    got = index.scores(groups, asked).tolist()
    for doc_id, score in zip(asked, got, strict=True):
        if doc_id in found:
            assert score == found[doc_id]  # bit for bit: the same sums in the same order
        else:
            assert score <= 0.0  # search leaves out only documents scoring 0 or less
        if not 0 <= doc_id < len(corpus):
            assert score == 0.0


@settings(max_examples=100, deadline=None)
@given(corpora, queries)
def test_scores_agree_with_rank_bm25_whatever_their_sign(corpus: Corpus, query: list[int]) -> None:
    index = build(corpus, cuts=[3])
    got = index.scores(single(query), list(range(len(corpus))))
    np.testing.assert_allclose(got, BM25Okapi(corpus).get_scores(query), rtol=1e-9, atol=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(1, 40))
def test_candidates_in_long_postings_lists_score_as_in_the_full_ranking(seed: int, n_candidates: int) -> None:
    # Lists far longer than the candidates are searched (through the sampled slots), not scanned.
    rng = np.random.default_rng(seed)
    corpus = [[0, *rng.integers(1, 6, size=rng.integers(0, 4)).tolist()] for _ in range(3000)]
    corpus += [[7, 8] for _ in range(6000)]  # term 0 in a third of the documents
    index = build(corpus, cuts=[1000, 4500])
    groups = [[(0, 1.0)], [(1, 1.0), (2, 0.5)], [(3, 1.0)]]
    candidates = rng.choice(len(corpus), size=n_candidates, replace=False)
    full = {hit.doc_id: hit.score for hit in index.search(groups, k=10**6)}
    got = index.search(groups, k=10**6, candidates=candidates)
    assert got == sorted(
        (Hit(int(d), full[int(d)]) for d in candidates if int(d) in full), key=lambda h: (-h.score, h.doc_id)
    )
    assert index.scores(groups, candidates).tolist() == [full.get(int(d), 0.0) for d in candidates]


@given(
    st.lists(st.lists(st.tuples(st.integers(0, 2**32 - 1), st.integers(1, 0xFFFF)), max_size=5), max_size=6)
)
def test_decoding_joined_blobs_is_decoding_them_one_by_one(docs: list[list[tuple[int, int]]]) -> None:
    blobs = [encode_terms([t for t, _ in dict(d).items()], list(dict(d).values())) for d in docs]
    ids = list(range(10, 10 + len(blobs)))
    joined = codec.decode_joined(ids, [len(b) for b in blobs], b"".join(blobs))
    for got, want in zip(joined, decode_batch(ids, blobs), strict=True):
        assert got.tolist() == want.tolist()
    with pytest.raises(ValueError, match="add up"):
        codec.decode_joined([*ids, 99], [*(len(b) for b in blobs), 6], b"".join(blobs))
