"""``khabri bench --search opensearch+http://…``: the embedded index and an OpenSearch cluster, one run.

For each size the store is built once, as ``khabri bench`` builds it (the embedded index follows
it), and the same store is then sent to a fresh index on the cluster with ``reindex``. Both then answer
the same questions (Devanagari XQuAD, romanized Dakshina): ranking alone and the whole ``ask``, p50
and p95; a new report until a search finds it; the top-10 agreement of the two rankings; and the
memory each takes (the benchmark process's RSS for the embedded index, the nodes' RSS for the
cluster). ``--json`` prints ``{"machine": {...}, "search": "…", "sizes": [{...}]}``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.archive.core import CANDIDATES, Archive
from bot.archive.opensearch import OpenSearchSearch
from bot.archive.opensearch_reindex import reindex
from bot.archive.report_files import ReportRecord
from bot.archive.search_url import SearchError, parse_search_url
from khabri_tools.bench import Latency, build_store, machine, status_mb
from khabri_tools.bench_corpus import (
    PASSAGES_PER_REPORT,
    corpus,
    rare_word,
    read_questions,
    readable_lines,
)

ADD_ROUNDS = 5
INGEST_SAMPLE = 20_000
"""Passages ingested end to end (analysis, store, bulk) into a second store on the cluster."""
POLL_S = 0.01
"""How often a search looks for the new report while waiting for the refresh."""


async def _time_queries(archive: Archive, questions: Sequence[str]) -> tuple[list[float], list[float]]:
    """Seconds per question: the ranking the backend does for ``ask``, and the whole ``ask``."""
    for question in questions[:10]:  # warm caches, connections and the cluster's query cache alike
        await archive.ask(question)
    rank: list[float] = []
    ask: list[float] = []
    for question in questions:
        _, ranked = await archive.query_groups(question)
        start = time.perf_counter()
        await archive.search.rank(ranked, CANDIDATES)
        rank.append(time.perf_counter() - start)
        start = time.perf_counter()
        await archive.ask(question)
        ask.append(time.perf_counter() - start)
    return rank, ask


async def _ranked(archive: Archive, questions: Sequence[str], k: int) -> list[list[tuple[int, float]]]:
    """Each question's ``k`` best passages with their scores, as the archive's backend ranks them."""
    found = []
    for question in questions:
        _, ranked = await archive.query_groups(question)
        found.append([(hit.doc_id, hit.score) for hit in await archive.search.rank(ranked, k)])
    return found


def _agreement(
    embedded: Sequence[Sequence[tuple[int, float]]], cluster: Sequence[Sequence[tuple[int, float]]]
) -> tuple[float, float]:
    """The mean share of the embedded top 10 that the cluster's top 10 holds, and of first places.

    Passages that tie in the embedded index are interchangeable (the benchmark's passages recombine
    the same lines, so exact ties are common): a cluster hit agrees when it is in the embedded top 10
    or scores there (among the embedded top 50) what the embedded 10th (or 1st) scores.
    """
    shares: list[float] = []
    firsts: list[float] = []
    for ours, theirs in zip(embedded, cluster, strict=True):
        top = ours[:10]
        if not top:
            continue
        score = dict(ours)
        cut, best = top[-1][1], top[0][1]
        ids = {doc for doc, _ in top}
        agreeing = sum(
            1 for doc, _ in theirs[:10] if doc in ids or math.isclose(score.get(doc, 0.0), cut, rel_tol=1e-9)
        )
        shares.append(min(agreeing, len(top)) / len(top))
        firsts.append(float(bool(theirs) and math.isclose(score.get(theirs[0][0], 0.0), best, rel_tol=1e-9)))
    return (sum(shares) / len(shares) if shares else 1.0), (sum(firsts) / len(firsts) if firsts else 1.0)


def _new_report(lines: Sequence[str], seed: int, i: int) -> tuple[ReportRecord, str]:
    """A 20-passage report carrying a made-up word no other report has, and that word."""
    rng = random.Random(f"search-add-{seed}-{i}")
    marker = rare_word(rng) + rare_word(rng)
    [record] = corpus(lines, PASSAGES_PER_REPORT, seed=20_000 + i, prefix="search-add")
    return ReportRecord(record.origin, record.title, f"{record.body} {marker}।", where=record.where), marker


async def _until_searchable(archive: Archive, lines: Sequence[str], seed: int, salt: int) -> list[float]:
    """Seconds from ingesting one report until a search returns one of its passages."""
    times = []
    for i in range(ADD_ROUNDS):
        record, marker = _new_report(lines, seed, salt * 100 + i)
        start = time.perf_counter()
        [outcome] = await archive.ingest_records([record])
        passage_ids = {p.id for p in await archive.store.reports.passages_of(outcome.report_id or 0)}
        while True:
            _, ranked = await archive.query_groups(marker)
            if {h.doc_id for h in await archive.search.rank(ranked, 10)} & passage_ids:
                break
            if time.perf_counter() - start > 30:
                raise RuntimeError(f"report {outcome.report_id} was not searchable after 30 s")
            await asyncio.sleep(POLL_S)
        times.append(time.perf_counter() - start)
    return times


async def _ingest_rate(db: Path, url: str, lines: Sequence[str], n: int, seed: int) -> tuple[float, int]:
    """Passages per second ingested into a new store whose archive searches ``url``, and how many."""
    records = list(corpus(lines, n, seed + 1, prefix="search-ingest"))
    batches = [records[i : i + 50] for i in range(0, len(records), 50)]
    archive = await Archive.open(db, seed=False, search=url)
    try:
        stored = 0
        start = time.perf_counter()
        async for outcomes in archive.ingest_batches(batches):
            stored += sum(o.passages for o in outcomes)
        seconds = time.perf_counter() - start
        assert isinstance(archive.search, OpenSearchSearch)
        await archive.search.drop_index()
    finally:
        await archive.close()
    return stored / seconds, stored


def _process_rss_mb(pid: int) -> float:
    """A process's resident memory (VmRSS), in MiB; NaN when it is not on this machine."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


async def _cluster_rss_mb(backend: OpenSearchSearch) -> tuple[float, float]:
    """The nodes' summed RSS (when they run on this machine) and JVM heap in use, in MiB."""
    nodes = (await backend.call("GET", "/_nodes/stats/jvm,process"))["nodes"].values()
    heap = sum(node["jvm"]["mem"]["heap_used_in_bytes"] for node in nodes) / 2**20
    pids = (await backend.call("GET", "/_nodes/process"))["nodes"].values()
    rss = sum(_process_rss_mb(int(node["process"]["id"])) for node in pids)
    return rss, heap


async def bench_size(
    args: argparse.Namespace, workdir: Path, n: int, lines: Sequence[str], search: str
) -> dict[str, Any]:
    """Both backends at one size, from one store."""
    db = workdir / f"search-bench-{n}.db"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    deva, roman = read_questions(args.data, args.queries)
    questions = deva + roman
    rss_before = status_mb("VmRSS")
    seconds, stored, embedded = await build_store(db, lines, n, args.seed)
    try:
        embedded_rss = status_mb("VmRSS") - rss_before
        e_rank, e_ask = await _time_queries(embedded, questions)
        e_top = await _ranked(embedded, questions, 50)
        e_add = await _until_searchable(embedded, lines, args.seed, salt=1)
    finally:
        await embedded.close()

    index = f"khabri-bench-{n}"
    url = search.split("/", 3)
    base = "/".join(url[:3])
    backend = OpenSearchSearch(parse_search_url(f"{base}/{index}"))
    store_archive = await Archive.open(db, seed=False)  # only for its store, to reindex from
    try:
        start = time.perf_counter()
        sent = await reindex(backend, store_archive.store)
        reindex_s = time.perf_counter() - start
    finally:
        await backend.close()
        await store_archive.close()
    cluster = await Archive.open(db, seed=False, search=f"{base}/{index}")
    try:
        assert isinstance(cluster.search, OpenSearchSearch)
        c_rank, c_ask = await _time_queries(cluster, questions)
        c_top = await _ranked(cluster, questions, 10)
        # As the bot ingests: the bulk request returns once the passages are searchable.
        c_add = await _until_searchable(cluster, lines, args.seed, salt=2)
        # Without waiting for the refresh: how soon the 1 s refresh interval makes a report searchable.
        cluster.search.wait_for_refresh = False
        c_refresh = await _until_searchable(cluster, lines, args.seed, salt=3)
        cluster_rss, cluster_heap = await _cluster_rss_mb(cluster.search)
        stats = await cluster.search.call("GET", f"/{index}/_stats/store")
        primaries_mb = stats["_all"]["primaries"]["store"]["size_in_bytes"] / 2**20
        await cluster.search.drop_index()
    finally:
        await cluster.close()
    sample = min(n, INGEST_SAMPLE)
    ingest_rate, ingested = await _ingest_rate(
        workdir / f"search-ingest-{n}.db", f"{base}/{index}-ingest", lines, sample, args.seed
    )
    share, first = _agreement(e_top, c_top)
    e_r, e_a, c_r, c_a = (Latency.of(x) for x in (e_rank, e_ask, c_rank, c_ask))
    return {
        "n": stored,
        "embedded_ingest_passages_per_s": round(stored / seconds, 1),
        "opensearch_ingest_passages_per_s": round(ingest_rate, 1),
        "opensearch_ingest_sample": ingested,
        "opensearch_reindex_passages_per_s": round(sent / reindex_s, 1),
        "embedded_rank_p50_ms": round(e_r.p50, 2),
        "embedded_rank_p95_ms": round(e_r.p95, 2),
        "opensearch_rank_p50_ms": round(c_r.p50, 2),
        "opensearch_rank_p95_ms": round(c_r.p95, 2),
        "embedded_ask_p50_ms": round(e_a.p50, 2),
        "embedded_ask_p95_ms": round(e_a.p95, 2),
        "opensearch_ask_p50_ms": round(c_a.p50, 2),
        "opensearch_ask_p95_ms": round(c_a.p95, 2),
        "embedded_add_until_searchable_ms": round(sorted(e_add)[len(e_add) // 2] * 1000, 1),
        "opensearch_add_until_searchable_ms": round(sorted(c_add)[len(c_add) // 2] * 1000, 1),
        "opensearch_add_until_searchable_max_ms": round(max(c_add) * 1000, 1),
        "opensearch_add_no_wait_until_searchable_ms": round(sorted(c_refresh)[len(c_refresh) // 2] * 1000, 1),
        "opensearch_add_no_wait_max_ms": round(max(c_refresh) * 1000, 1),
        "top10_agreement": round(share, 4),
        "top1_agreement": round(first, 4),
        "embedded_index_rss_mb": round(embedded_rss, 1),
        "cluster_rss_mb": round(cluster_rss, 1),
        "opensearch_index_primaries_mb": round(primaries_mb, 1),
        "cluster_heap_used_mb": round(cluster_heap, 1),
        "questions": len(questions),
    }


def render_table(info: dict[str, object], search: str, rows: Sequence[dict[str, Any]]) -> str:
    """One table for people: a row per measurement, a column per size."""
    out = ["machine: " + ", ".join(f"{k}={v}" for k, v in info.items()), f"cluster: {search}", ""]
    width = max(len(key) for row in rows for key in row)
    for key in rows[0]:
        out.append(f"{key:<{width}}  " + "  ".join(f"{row[key]:>12,}" for row in rows))
    return "\n".join(out)


async def run_search_bench(args: argparse.Namespace) -> int:
    """Run ``khabri bench --search URL``: every size in turn, then one table or the JSON."""
    search: str = args.search
    try:
        target = parse_search_url(search)
    except ValueError as error:
        print(f"khabri bench: {error}", file=sys.stderr)
        return 2
    if (lines := readable_lines(args.data)) is None:
        return 1
    info = machine()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="khabri-search-bench-") as scratch:
            workdir = args.workdir or Path(scratch)
            workdir.mkdir(parents=True, exist_ok=True)
            for n in args.sizes:
                if not args.json:
                    print(
                        f"building and measuring {n:,} passages, embedded and on OpenSearch ...",
                        file=sys.stderr,
                    )
                rows.append(await bench_size(args, workdir, n, lines, search))
    except SearchError as error:
        print(f"khabri bench: the cluster at {', '.join(target.hosts)} failed: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps({"machine": info, "search": search, "sizes": rows}, ensure_ascii=False, indent=2))
    print(render_table(info, search, rows), file=sys.stderr if args.json else sys.stdout)
    return 0
