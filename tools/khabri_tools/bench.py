"""``khabri bench``: build stores of N passages from real Hindi lines and measure the hot paths.

For each size the benchmark builds a fresh store (under ``--workdir``, a temporary directory by
default) from ``hindi_wiki_lines.jsonl``: passages of 2-3 real lines recombined with a fixed seed,
20 to a report, a share of them carrying a synthetic rare word so that the vocabulary keeps
growing as real archives do. It then measures bulk ingest, disk size, single-query latency of the
ranking alone and of the whole ``ask`` path (Devanagari XQuAD questions and romanized Dakshina
sentences), adding one report until it is searchable, cold start in a subprocess, peak RSS, and
rank-bm25's ``BM25Okapi`` side by side on the same tokens where it fits. It prints one table, or
with ``--json`` the contract ``{"machine": {...}, "sizes": [{...}]}``.

Over 300 lines on purpose: each measurement is a few dozen lines over the same store and archive,
and one size's row, the table and the JSON contract name them all together; the corpus and the
questions are ``khabri_tools.bench_corpus``, ``bench load`` and ``bench --search`` have modules of their own.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

import bot
from bot.archive.core import CANDIDATES, Archive
from bot.archive.report_files import ReportRecord
from khabri_tools.bench_corpus import (
    DATA,
    PASSAGES_PER_REPORT,
    corpus,
    rare_word,
    read_questions,
    readable_lines,
)
from retrieval import decode_batch

BOT_HOME = Path(bot.__file__).resolve().parents[1]
"""The folder ``bot`` is imported from: the cold start's child runs there, so it runs this very ``bot``."""
_INGEST_BATCH = 1000
"""Reports per ``ingest_records`` call (one transaction each)."""

JSON_KEYS = (
    "n",
    "ingest_passages_per_s",
    "disk_mb",
    "rank_p50_ms",
    "rank_p95_ms",
    "ask_p50_ms",
    "ask_p95_ms",
    "add_report_ms",
    "cold_start_s",
    "peak_rss_mb",
    "rank_bm25_p50_ms",
    "speedup_vs_rank_bm25",
    "top10_agreement_with_rank_bm25",
)


def add_bench_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``khabri bench [--sizes ...] [--json]``."""
    bench = commands.add_parser(
        "bench",
        parents=[common],
        help="measure ingest, search and memory at several archive sizes; --db PATH keeps the store built "
        "(PATH must not exist; with several sizes, PATH-N.db each)",
    )
    bench.add_argument(
        "--sizes",
        type=_sizes,
        default=[10_000, 100_000, 1_000_000],
        help="comma-separated passage counts (default 10000,100000,1000000)",
    )
    bench.add_argument("--json", action="store_true", help="print the figures as JSON")
    bench.add_argument("--data", type=Path, default=DATA, help=f"the shared data folder (default {DATA})")
    bench.add_argument("--workdir", type=Path, help="where the stores are built (default a temporary folder)")
    bench.add_argument("--queries", type=int, default=200, help="questions of each script (default 200)")
    bench.add_argument(
        "--rank-bm25-max",
        type=int,
        default=100_000,
        help="the largest size at which rank-bm25 runs side by side (default 100000)",
    )
    bench.add_argument("--seed", type=int, default=0, help="the corpus seed (default 0)")


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes must be comma-separated integers, not {text!r}") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


# ---------------------------------------------------------------- measuring

# ``python -m bot`` that prints its own VmHWM to stderr on exit. A child's getrusage peak is no good
# here: Linux carries the parent's high-water mark over fork and exec into the child's ru_maxrss.
_ASK_REPORTING_PEAK = """
import atexit, runpy, sys
def peak():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            sys.stderr.write(line)
atexit.register(peak)
sys.argv[0] = "khabri"
runpy.run_module("bot", run_name="__main__")
"""


@dataclass(frozen=True, slots=True)
class Latency:
    """Percentiles of a list of durations, in milliseconds."""

    p50: float
    p95: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Latency:
        """Percentiles of ``seconds``."""
        if not seconds:
            return cls(float("nan"), float("nan"))
        ms = np.asarray(seconds) * 1000
        return cls(float(np.percentile(ms, 50)), float(np.percentile(ms, 95)))


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = None
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory_gb = round(pages / 2**30, 1)
    except (ValueError, OSError):
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "sqlite": __import__("sqlite3").sqlite_version,
    }


def status_mb(field: str) -> float:
    """A ``/proc/self/status`` figure (VmRSS, VmHWM) in MiB; getrusage's peak where it is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def disk_mb(db: Path) -> float:
    """The store's size on disk, write-ahead log included."""
    files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")]
    return sum(f.stat().st_size for f in files if f.exists()) / 2**20


async def groups_of(archive: Archive, question: str) -> list[list[tuple[int, float]]]:
    """The question as the archive ranks it: groups of (term id, weight)."""
    _, ranked = await archive.query_groups(question)
    return ranked.groups


async def build_store(db: Path, lines: Sequence[str], n: int, seed: int) -> tuple[float, int, Archive]:
    """Ingest reports into a new store until it holds ``n`` passages (or a little more).

    How a report is cut into passages is retrieval's business, so the batches are sized by the
    passages per report seen so far. Batches go through :meth:`Archive.ingest_batches`, which
    analyses the next batch while one is stored, as a bulk import would. Returns the seconds the
    archive took (making up the synthetic reports is not counted), the passages stored, the archive.
    """
    archive = await Archive.open(db, seed=False)
    records = corpus(lines, 10 * n + PASSAGES_PER_REPORT, seed)
    stored = stored_reports = submitted = 0
    making = 0.0

    def batches() -> Iterator[list[ReportRecord]]:
        nonlocal making, submitted
        while True:
            per_report = stored / stored_reports if stored_reports else PASSAGES_PER_REPORT
            expected = stored + (submitted - stored_reports) * per_report
            if expected >= n:
                return
            size = max(1, min(_INGEST_BATCH, math.ceil((n - expected) / per_report)))
            start = time.perf_counter()
            batch = [record for _, record in zip(range(size), records, strict=False)]
            making += time.perf_counter() - start
            if not batch:
                return
            submitted += len(batch)
            yield batch

    start = time.perf_counter()
    while stored < n:  # the estimate may fall short: go on with what was learnt
        before = stored_reports
        async for outcomes in archive.ingest_batches(batches()):
            stored += sum(o.passages for o in outcomes)
            stored_reports += len(outcomes)
        if stored_reports == before:  # the corpus ran out
            break
    return time.perf_counter() - start - making, stored, archive


@dataclass(frozen=True, slots=True)
class Timings:
    """Seconds per question: the ranking ``ask`` runs, one pass over every group, the whole ask."""

    rank: list[float]
    single_pass: list[float]
    ask: list[float]
    groups: list[list[list[tuple[int, float]]]]


async def measure_queries(archive: Archive, questions: Sequence[str]) -> Timings:
    """Time the ranking alone and the whole ``ask`` path, one question at a time.

    The ranking is :meth:`Archive.rank`, the step ``ask`` runs between analysing the question and
    reading passages: the content words over the whole archive, then the function words over the
    front runners. ``single_pass`` scores every group over the whole archive at once, for reference.
    """
    timings = Timings([], [], [], [])
    for question in questions[:10]:  # warm caches and search buffers
        await archive.ask(question)
    for question in questions:
        _, ranked = await archive.query_groups(question)
        timings.groups.append(ranked.groups)
        start = time.perf_counter()
        archive.rank(ranked, CANDIDATES)
        timings.rank.append(time.perf_counter() - start)
        start = time.perf_counter()
        archive.index.search(ranked.groups, k=CANDIDATES)
        timings.single_pass.append(time.perf_counter() - start)
        start = time.perf_counter()
        await archive.ask(question)
        timings.ask.append(time.perf_counter() - start)
    return timings


async def measure_add(archive: Archive, lines: Sequence[str], seed: int, rounds: int = 5) -> list[float]:
    """Seconds from ingesting one new report of 20 passages until a search finds it."""
    times = []
    for i in range(rounds):
        rng = random.Random(f"add-{seed}-{i}")
        marker = rare_word(rng) + rare_word(rng)
        [record] = corpus(lines, PASSAGES_PER_REPORT, seed=10_000 + i, prefix="add")
        record = ReportRecord(record.origin, record.title, f"{record.body} {marker}।", where=record.where)
        start = time.perf_counter()
        [outcome] = await archive.ingest_records([record])
        groups = await groups_of(archive, marker)
        hits = archive.index.search(groups, k=CANDIDATES) if groups else []
        elapsed = time.perf_counter() - start
        passages = await archive.store.reports.passages(h.doc_id for h in hits)
        if not any(p.report_id == outcome.report_id for p in passages.values()):
            raise RuntimeError(f"the added report {outcome.report_id} is not searchable")
        times.append(elapsed)
    return times


def measure_cold_start(db: Path, question: str) -> tuple[float, float]:
    """Seconds from exec to the first answer of ``khabri ask`` on the store, and that process's peak RSS."""
    env = {**os.environ, "LOG_LEVEL": "WARNING"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", _ASK_REPORTING_PEAK, "ask", question, "--json", "--db", str(db)],
            stdout=out,
            stderr=err,
            env=env,
            cwd=BOT_HOME,
        )
        status = process.wait()
        elapsed = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        errors = err.read().decode(errors="replace")
        if status != 0:
            raise RuntimeError(f"khabri ask failed: {errors[-500:]}")
        if not json.loads(out.read()).get("answered"):
            raise RuntimeError("khabri ask gave no answer at cold start")
    peaks = [line.split()[1] for line in errors.splitlines() if line.startswith("VmHWM:")]
    return elapsed, int(peaks[-1]) / 1024 if peaks else float("nan")


async def passage_tokens(archive: Archive) -> tuple[list[int], list[list[int]]]:
    """Every stored passage's id and its index terms as tokens (term ids, repeated tf times)."""
    ids: list[int] = []
    docs: list[list[int]] = []
    after = 0
    while batch := await archive.store.reports.passage_terms(after_id=after, limit=100_000):
        pids, offsets, terms, tfs = decode_batch([b[0] for b in batch], [b[2] for b in batch])
        tokens = np.repeat(terms, tfs).tolist()
        # Token positions where each document starts and ends (robust to documents without terms).
        bounds = np.concatenate(([0], np.cumsum(tfs, dtype=np.int64)))
        starts, ends = bounds[offsets[:-1]].tolist(), bounds[offsets[1:]].tolist()
        docs += [tokens[a:z] for a, z in zip(starts, ends, strict=True)]
        ids += pids.tolist()
        after = batch[-1][0]
    return ids, docs


@dataclass(frozen=True, slots=True)
class Oracle:
    """rank-bm25 side by side: its p50, ours on the same flat queries, and the top-10 agreement."""

    theirs_p50_ms: float
    ours_p50_ms: float
    agreement: float


async def compare_rank_bm25(
    archive: Archive, queries: Sequence[Sequence[Sequence[tuple[int, float]]]]
) -> Oracle:
    """Run ``BM25Okapi`` over the same tokens, each query's distinct term ids as one query each."""
    from rank_bm25 import BM25Okapi

    ids, docs = await passage_tokens(archive)
    oracle = BM25Okapi(docs, k1=archive.index.k1, b=archive.index.b, epsilon=archive.index.epsilon)
    del docs
    doc_ids = np.asarray(ids, dtype=np.int64)
    theirs: list[float] = []
    ours: list[float] = []
    agree: list[float] = []
    for groups in queries:
        flat = sorted({term for group in groups for term, _ in group})
        if not flat:
            continue
        start = time.perf_counter()
        scores = oracle.get_scores(flat)
        best = np.lexsort((doc_ids, -scores))[:10]
        theirs.append(time.perf_counter() - start)
        expected = [int(doc_ids[i]) for i in best if scores[i] > 0]
        start = time.perf_counter()
        hits = archive.index.search([[(t, 1.0)] for t in flat], k=10)
        ours.append(time.perf_counter() - start)
        agree.append(_agreement([h.doc_id for h in hits], expected, scores, doc_ids))
    return Oracle(Latency.of(theirs).p50, Latency.of(ours).p50, float(np.mean(agree)) if agree else 1.0)


def _agreement(
    ours: Sequence[int], expected: Sequence[int], scores: np.ndarray[Any, Any], doc_ids: np.ndarray[Any, Any]
) -> float:
    """The share of rank-bm25's top 10 that ours returns, counting a tie at the cut as agreement.

    Documents whose scores tie at the 10th place are interchangeable: which of them makes the cut
    depends on the last bit of a float sum, so one of ours that ties rank-bm25's 10th score agrees.
    """
    if not expected:
        return float(not ours)
    theirs = set(expected)
    cut = float(scores[np.searchsorted(doc_ids, expected[-1])])
    at = np.searchsorted(doc_ids, np.asarray(ours, dtype=np.int64))
    agreeing = sum(
        1
        for doc, i in zip(ours, at.tolist(), strict=True)
        if doc in theirs or math.isclose(scores[i], cut, rel_tol=1e-9)
    )
    return min(agreeing, len(expected)) / len(expected)


# ---------------------------------------------------------------- one size, the table, the command


def store_path(args: argparse.Namespace, workdir: Path, n: int) -> Path:
    """Where the store of size ``n`` is built: ``--db`` (PATH-N.db for several sizes), else the workdir."""
    db: Path | None = getattr(args, "db", None)
    if db is None:
        return workdir / f"bench-{n}.db"
    return db if len(args.sizes) == 1 else db.with_name(f"{db.stem}-{n}{db.suffix or '.db'}")


def _existing_stores(args: argparse.Namespace) -> list[str]:
    """The ``--db`` paths that exist already."""
    if getattr(args, "db", None) is None:
        return []
    return [str(p) for p in (store_path(args, Path("."), n) for n in args.sizes) if p.exists()]


async def bench_size(args: argparse.Namespace, workdir: Path, n: int, lines: Sequence[str]) -> dict[str, Any]:
    """All the measurements at one size; the contract keys plus a few ``_``-prefixed extras."""
    db = store_path(args, workdir, n)
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    deva, roman = read_questions(args.data, args.queries)
    seconds, stored, archive = await build_store(db, lines, n, args.seed)
    try:
        timed_d = await measure_queries(archive, deva)
        timed_r = await measure_queries(archive, roman)
        rank_d, ask_d, groups_d = timed_d.rank, timed_d.ask, timed_d.groups
        rank_r, ask_r, groups_r = timed_r.rank, timed_r.ask, timed_r.groups
        add = await measure_add(archive, lines, args.seed)
        oracle = None
        if n <= args.rank_bm25_max:
            picked = groups_d[::4][:50] + groups_r[::4][:50]
            oracle = await compare_rank_bm25(archive, picked)
        bench_peak = status_mb("VmHWM")
    finally:
        await archive.close()
    # The first report's headline surely has an answer, at any size.
    cold, serve_peak = measure_cold_start(db, next(corpus(lines, 1, args.seed)).title)
    rank = Latency.of(rank_d + rank_r)
    ask = Latency.of(ask_d + ask_r)
    return {
        "n": stored,
        "ingest_passages_per_s": round(stored / seconds, 1),
        "disk_mb": round(disk_mb(db), 1),
        "rank_p50_ms": round(rank.p50, 3),
        "rank_p95_ms": round(rank.p95, 3),
        "ask_p50_ms": round(ask.p50, 3),
        "ask_p95_ms": round(ask.p95, 3),
        "add_report_ms": round(float(np.median(add)) * 1000, 2),
        "cold_start_s": round(cold, 2),
        "peak_rss_mb": round(serve_peak, 1),
        "rank_bm25_p50_ms": None if oracle is None else round(oracle.theirs_p50_ms, 2),
        "speedup_vs_rank_bm25": None
        if oracle is None
        else round(oracle.theirs_p50_ms / oracle.ours_p50_ms, 1),
        "top10_agreement_with_rank_bm25": None if oracle is None else round(oracle.agreement, 4),
        "_rank_deva": Latency.of(rank_d),
        "_rank_roman": Latency.of(rank_r),
        "_single_pass": Latency.of(timed_d.single_pass + timed_r.single_pass),
        "_ask_deva": Latency.of(ask_d),
        "_ask_roman": Latency.of(ask_r),
        "_add_max_ms": round(max(add) * 1000, 2),
        "_bench_peak_rss_mb": round(bench_peak, 1),
        "_ingest_s": round(seconds, 1),
    }


def _num(value: object, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}" if isinstance(value, float) else str(value)


def render_table(info: dict[str, object], rows: Sequence[dict[str, Any]]) -> str:
    """One table for people: a row per measurement, a column per size."""
    lines = [
        "machine: " + ", ".join(f"{k}={v}" for k, v in info.items()),
        "",
    ]

    def lat(row: dict[str, Any], key: str) -> str:
        value: Latency = row[key]
        return f"{value.p50:.2f} / {value.p95:.2f}"

    measures: list[tuple[str, Any]] = [
        ("passages", lambda r: f"{r['n']:,}"),
        ("ingest, passages/s", lambda r: _num(r["ingest_passages_per_s"], 0)),
        ("store on disk, MB", lambda r: _num(r["disk_mb"])),
        ("rank p50 / p95 ms, all", lambda r: f"{r['rank_p50_ms']:.2f} / {r['rank_p95_ms']:.2f}"),
        ("  Devanagari", lambda r: lat(r, "_rank_deva")),
        ("  romanized", lambda r: lat(r, "_rank_roman")),
        ("  one pass over all words (reference)", lambda r: lat(r, "_single_pass")),
        ("ask p50 / p95 ms, all", lambda r: f"{r['ask_p50_ms']:.2f} / {r['ask_p95_ms']:.2f}"),
        ("  Devanagari", lambda r: lat(r, "_ask_deva")),
        ("  romanized", lambda r: lat(r, "_ask_roman")),
        ("add 20-passage report, ms (median / max)", lambda r: f"{r['add_report_ms']} / {r['_add_max_ms']}"),
        ("cold start to first answer, s", lambda r: _num(r["cold_start_s"], 2)),
        ("peak RSS serving (khabri ask), MB", lambda r: _num(r["peak_rss_mb"], 0)),
        ("peak RSS benchmark process, MB", lambda r: _num(r["_bench_peak_rss_mb"], 0)),
        ("rank-bm25 p50 ms (same tokens)", lambda r: _num(r["rank_bm25_p50_ms"], 1)),
        ("speedup vs rank-bm25", lambda r: _num(r["speedup_vs_rank_bm25"], 0)),
        ("top-10 agreement with BM25Okapi", lambda r: _num(r["top10_agreement_with_rank_bm25"], 4)),
    ]
    width = max(len(name) for name, _ in measures)
    cells = [[fn(row) for row in rows] for _, fn in measures]
    col = max([len(c) for row in cells for c in row] + [10])
    for (name, _), row_cells in zip(measures, cells, strict=True):
        lines.append(f"{name:<{width}}  " + "  ".join(f"{c:>{col}}" for c in row_cells))
    return "\n".join(lines)


async def run_bench(args: argparse.Namespace) -> int:
    """Run ``khabri bench``: every size in turn, then one table or the JSON contract."""
    if getattr(args, "search", None):  # beside an OpenSearch cluster: khabri_tools/search_bench.py
        from khabri_tools.search_bench import run_search_bench

        return await run_search_bench(args)
    if existing := _existing_stores(args):
        # The benchmark starts each store afresh: it must never delete a store it did not build.
        print(f"khabri bench: {', '.join(existing)} exists; give --db a new path", file=sys.stderr)
        return 2
    if (lines := readable_lines(args.data)) is None:
        return 1
    info = machine()
    rows = []
    with tempfile.TemporaryDirectory(prefix="khabri-bench-") as scratch:
        workdir = args.workdir or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        for n in args.sizes:
            if not args.json:
                print(f"building and measuring {n:,} passages ...", file=sys.stderr)
            rows.append(await bench_size(args, workdir, n, lines))
    if args.json:
        sizes = [{key: row[key] for key in JSON_KEYS} for row in rows]
        print(json.dumps({"machine": info, "sizes": sizes}, ensure_ascii=False, indent=2))
        print(render_table(info, rows), file=sys.stderr)  # the table for people, beside the JSON
    else:
        print(render_table(info, rows))
    return 0


def main() -> None:
    """Run the benchmark without the rest of the command line (``python -m khabri_tools.bench``)."""
    parser = argparse.ArgumentParser(prog="khabri bench")
    commands = parser.add_subparsers(dest="command")
    add_bench_parser(commands, argparse.ArgumentParser(add_help=False))
    raise SystemExit(asyncio.run(run_bench(parser.parse_args(["bench", *sys.argv[1:]]))))


if __name__ == "__main__":
    main()
