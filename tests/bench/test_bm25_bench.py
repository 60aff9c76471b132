"""BM25 index benchmarks on a synthetic Zipfian corpus: query, add, load, memory, vs rank_bm25.

Run with ``pytest -m bench --benchmark-enable tests/bench/test_bm25_bench.py -s``; the figures
(p50/p95 in milliseconds, seconds, MiB) are printed and stored in each benchmark's extra_info.
The corpus (fixed seed) is cached under the system temp directory, since building the 1M one
takes a while.
"""

from __future__ import annotations

import gc
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from retrieval.index import Index, decode_batch, encode_terms

pytestmark = pytest.mark.bench

VOCAB = 1_500_000
ZIPF_A = 1.07  # token rank distribution, close to natural text's exponent of 1
CACHE = Path(tempfile.gettempdir()) / "khabri-bm25-bench"
LOAD_CHUNK = 1 << 17  # SEALED_DOCS: each chunk becomes one final segment, no merges

Batch = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
Groups = list[list[tuple[int, float]]]


def _rank_to_term(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).permutation(VOCAB).astype(np.uint32)


def generate(n_docs: int, first_id: int = 0, seed: int = 0) -> Batch:
    """Docs of 70-140 Zipfian tokens (about 60-100 distinct terms each), as CSR arrays."""
    rng = np.random.default_rng(seed + 1)
    term_of_rank = _rank_to_term(seed)
    ids, offsets, terms, tfs = [], [np.zeros(1, dtype=np.int64)], [], []
    done = 0
    for lo in range(0, n_docs, 50_000):
        n = min(50_000, n_docs - lo)
        tokens = rng.integers(70, 141, n)
        ranks = (rng.zipf(ZIPF_A, int(tokens.sum())) - 1) % VOCAB
        key = np.repeat(np.arange(n, dtype=np.uint64), tokens) << np.uint64(32)
        key |= term_of_rank[ranks].astype(np.uint64)
        unique, counts = np.unique(key, return_counts=True)
        per_doc = np.bincount((unique >> np.uint64(32)).astype(np.int64), minlength=n)
        ids.append(np.arange(first_id + lo, first_id + lo + n, dtype=np.int64))
        offsets.append(np.cumsum(per_doc) + done)
        terms.append((unique & np.uint64(0xFFFFFFFF)).astype(np.uint32))
        tfs.append(np.minimum(counts, 65535).astype(np.uint16))
        done += len(unique)
    return np.concatenate(ids), np.concatenate(offsets), np.concatenate(terms), np.concatenate(tfs)


def corpus(n_docs: int) -> Batch:
    path = CACHE / f"zipf-{n_docs}-v{VOCAB}-a{ZIPF_A}.npz"
    if not path.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        ids, offsets, terms, tfs = generate(n_docs)
        np.savez(path, ids=ids, offsets=offsets, terms=terms, tfs=tfs)
    with np.load(path) as data:
        return data["ids"], data["offsets"], data["terms"], data["tfs"]


def chunks(batch: Batch, size: int) -> Iterator[Batch]:
    ids, offsets, terms, tfs = batch
    for lo in range(0, len(ids), size):
        hi = min(lo + size, len(ids))
        a, z = offsets[lo], offsets[hi]
        yield ids[lo:hi], offsets[lo : hi + 1] - a, terms[a:z], tfs[a:z]


def load(batch: Batch) -> Index:
    index = Index()
    for part in chunks(batch, LOAD_CHUNK):
        index.add(*part)
    return index


def queries(batch: Batch, kind: str, n: int = 300, seed: int = 5) -> list[Groups]:
    """``zipf``: 5-15 tokens drawn like the corpus' tokens (head terms included);
    ``content``: the same without the 1,000 most frequent ranks (stopword-like terms);
    ``doc``: 5-15 distinct terms of a random document; ``synonyms``: content queries where each
    word has 3 alternatives of similar frequency, weighted 1, 0.8 and 0.5."""
    rng = np.random.default_rng(seed)
    term_of_rank = _rank_to_term(0)
    ids, offsets, terms, _ = batch
    out: list[Groups] = []
    for _ in range(n):
        size = int(rng.integers(5, 16))
        if kind == "doc":
            d = int(rng.integers(len(ids)))
            own = terms[offsets[d] : offsets[d + 1]]
            picked = rng.choice(own, min(size, len(own)), replace=False)
            out.append([[(int(t), 1.0)] for t in picked])
            continue
        floor = 0 if kind == "zipf" else 1000
        ranks = rng.zipf(ZIPF_A, 50 * size) - 1
        ranks = ranks[(ranks >= floor) & (ranks < VOCAB)][:size]
        words = [int(t) for t in term_of_rank[ranks]]
        if kind == "synonyms":  # variants of a word are about as frequent as the word
            near = ranks[:, None] * rng.uniform(0.5, 2.0, (len(ranks), 2)) + rng.integers(1, 9, 2)
            extra = term_of_rank[np.minimum(near.astype(np.int64), VOCAB - 1)]
            out.append(
                [[(w, 1.0), (int(a), 0.8), (int(b), 0.5)] for w, (a, b) in zip(words, extra, strict=True)]
            )
        else:
            out.append([[(w, 1.0)] for w in words])
    return out


def percentiles(seconds: list[float]) -> dict[str, float]:
    ms = np.array(seconds) * 1000
    return {
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p95_ms": round(float(np.percentile(ms, 95)), 3),
        "max_ms": round(float(ms.max()), 3),
    }


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def status_mib(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM (Linux >= 4.0)


def index_mib(index: Index) -> float:
    arrays = [v for v in vars(index).values() if isinstance(v, np.ndarray)]
    for seg in index._segments:
        arrays += [seg.terms, seg.ptr, seg.slots, seg.tfs, seg.ids, seg.id_slots]
    return sum(a.nbytes for a in arrays) / 2**20


def report(benchmark: Any, name: str, figures: dict[str, float]) -> None:
    benchmark.extra_info.update(figures)
    print(f"\n{name}: {figures}")


SIZES = [100_000, 1_000_000]


@pytest.fixture(scope="module", params=SIZES, ids=["100k", "1M"])
def loaded(request: pytest.FixtureRequest) -> tuple[Batch, Index, dict[str, float]]:
    batch = corpus(request.param)
    gc.collect()
    reset_peak()
    before = status_mib("VmRSS")
    start = time.perf_counter()
    index = load(batch)
    seconds = time.perf_counter() - start
    gc.collect()
    figures = {
        "docs": len(index),
        "postings": len(batch[2]),
        "segments": len(index._segments),
        "load_s": round(seconds, 2),
        "index_mib": round(index_mib(index), 1),
        "rss_growth_mib": round(status_mib("VmRSS") - before, 1),
        "load_peak_growth_mib": round(status_mib("VmHWM") - before, 1),
    }
    return batch, index, figures


def test_load(benchmark: Any, loaded: tuple[Batch, Index, dict[str, float]]) -> None:
    batch, index, figures = loaded
    benchmark.pedantic(lambda: len(index), rounds=1)
    ids = batch[0]
    assert len(index) == len(ids)  # every document of the corpus is in, the first and last too
    assert int(ids[0]) in index
    assert int(ids[-1]) in index
    report(benchmark, f"load {figures['docs']}", figures)


@pytest.mark.parametrize("kind", ["zipf", "content", "doc", "synonyms"])
def test_query(benchmark: Any, loaded: tuple[Batch, Index, dict[str, float]], kind: str) -> None:
    batch, index, _ = loaded
    qs = queries(batch, kind)
    warm = [index.search(q) for q in qs[:20]]  # warm the norms cache and the buffers
    for hits in warm:
        scores = [hit.score for hit in hits]
        assert scores == sorted(scores, reverse=True)
        assert all(score > 0 for score in scores)
    if kind == "doc":  # a query of a document's own terms finds at least that document
        assert all(warm)
    times = [t for q in qs for t in timed(partial(index.search, q, k=10), 1)]
    it = iter(qs)
    benchmark.pedantic(lambda: index.search(next(it), k=10), rounds=len(qs))
    report(benchmark, f"query {kind} @ {len(index)}", percentiles(times))


def test_add_20_docs(benchmark: Any, loaded: tuple[Batch, Index, dict[str, float]]) -> None:
    _, index, _ = loaded
    new = generate(20 * 500, first_id=10**9, seed=9)
    parts = list(chunks(new, 20))
    it = iter(parts)
    add_times = timed(lambda: index.add(*next(it)), 250)
    probe = queries(new, "content", n=1)[0]
    after = []
    for _ in range(250):
        after += timed(lambda: index.add(*next(it)), 1)
        after += timed(lambda: index.search(probe), 1)
    searchable = index.search([[(int(new[2][0]), 1.0)]], k=10**6)
    assert any(hit.doc_id >= 10**9 for hit in searchable)
    benchmark.pedantic(lambda: None, rounds=1)
    figures = {f"add_{k}": v for k, v in percentiles(add_times + after[0::2]).items()}
    figures |= {f"query_after_add_{k}": v for k, v in percentiles(after[1::2]).items()}
    figures["segments"] = len(index._segments)
    report(benchmark, f"add 20 docs @ {len(index)}", figures)
    index.remove(range(10**9, 10**9 + 20 * 500))


def test_remove_20_docs(benchmark: Any, loaded: tuple[Batch, Index, dict[str, float]]) -> None:
    _, index, _ = loaded
    before = len(index)
    victims = iter(range(0, 20 * 50, 20))
    times = timed(lambda: index.remove(range((v := next(victims)), v + 20)), 50)
    benchmark.pedantic(lambda: None, rounds=1)
    assert len(index) == before - 20 * 50
    assert not any(doc in index for doc in (0, 499, 999))
    assert 1000 in index
    report(benchmark, f"remove 20 docs @ {len(index)}", percentiles(times))


def test_decode_batch_100k(benchmark: Any) -> None:
    ids, offsets, terms, tfs = corpus(100_000)
    blobs = [
        encode_terms(terms[offsets[i] : offsets[i + 1]], tfs[offsets[i] : offsets[i + 1]])
        for i in range(len(ids))
    ]
    decoded = benchmark.pedantic(lambda: decode_batch(ids, blobs), rounds=5)
    assert np.array_equal(decoded[2], terms)
    seconds = min(timed(lambda: decode_batch(ids, blobs), 3))
    report(benchmark, "decode 100k blobs", {"decode_s": round(seconds, 3)})


def test_rank_bm25_side_by_side_100k(benchmark: Any) -> None:
    from rank_bm25 import BM25Okapi

    batch = corpus(100_000)
    _, offsets, terms, tfs = batch
    tokens = np.repeat(terms, tfs).tolist()
    ends = np.cumsum(np.add.reduceat(tfs.astype(np.int64), offsets[:-1])).tolist()
    docs = [tokens[a:z] for a, z in zip([0, *ends[:-1]], ends, strict=True)]
    start = time.perf_counter()
    oracle = BM25Okapi(docs)
    oracle_build = time.perf_counter() - start
    start = time.perf_counter()
    index = load(batch)
    ours_build = time.perf_counter() - start
    qs = queries(batch, "content", n=10)
    flat = [[g[0][0] for g in q] for q in qs]
    theirs = [t for q in flat for t in timed(partial(oracle.get_scores, q), 1)]
    ours = [t for q in qs for t in timed(partial(index.search, q), 1)]
    for q, groups in zip(flat, qs, strict=True):
        scores = oracle.get_scores(q)
        best = np.lexsort((np.arange(len(scores)), -scores))[:10]
        hits = index.search(groups)
        assert [h.doc_id for h in hits] == [int(d) for d in best if scores[d] > 0]
        assert np.allclose([h.score for h in hits], scores[best][: len(hits)], rtol=1e-9)
    benchmark.pedantic(lambda: None, rounds=1)
    figures = {
        "rank_bm25_build_s": round(oracle_build, 1),
        "ours_build_s": round(ours_build, 2),
        "rank_bm25_query_p50_ms": percentiles(theirs)["p50_ms"],
        "ours_query_p50_ms": percentiles(ours)["p50_ms"],
    }
    figures["speedup_p50"] = round(figures["rank_bm25_query_p50_ms"] / figures["ours_query_p50_ms"])
    report(benchmark, "rank_bm25 vs ours @ 100k", figures)
