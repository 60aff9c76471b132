"""``khabri bench load``: the real bot under load, through its webhook, against the local Bot API emulator.

Users (private chats) ask questions from the shared evaluation data (XQuAD questions and romanized
Dakshina sentences, alternating). ``--workers W`` bot processes serve one store, each with its own
index, as ``khabri run --webhook`` does; with more than one, nginx (``khabri_tools.balancer``) spreads the
updates over them. The emulator runs in this process and posts each update to the webhook as
Telegram does, counting it done when the webhook answers 200 (which the bot says once its reply is
sent).

Closed loop (no ``--rate``): every user asks its next question once the last one is answered, so the
figure is what the workers can do. Open loop (``--rate Q``): questions arrive at an even pace of ``Q``
a second whatever the bot does, as independent users' questions do, so the latencies are those a
user sees at that load.

A latency is from the moment an update is queued in the emulator to the moment the first message of
its answer reaches it. The figures are the bot's own: its flood limiter's deliberate waits (Telegram
allows about 30 messages a second to a bot; the emulator sets no limit) and the per-user question
limit are off in the workers; everything else is the application ``khabri run`` builds. The store is
a copy (a run never changes the store it is given), built once per size under the system temporary
directory (``khabri-load/store-N.db``, as ``tests/bench/test_load.py`` builds it) unless ``--db``
names one. The emulator and the load live in this process: the table shows what each process used
of the CPU, so the emulator's own share is seen beside the bot's.

It prints a table, or with ``--json`` exactly ``{"passages", "workers", "rate", "users", "answered",
"answers_per_s", "p50_ms", "p95_ms", "max_ms"}`` (``rate`` is null for the closed loop).

Over 300 lines on purpose: the store copy, the worker processes, the two load loops and the figures
are one experiment sharing the emulator and the workers' lifecycle, and the worker's own entry point
(``serve_worker``) is here so that parent and child agree on how it is started.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from khabri_tools import bench
from khabri_tools.balancer import Balancer, free_port, stop_processes
from khabri_tools.bench_corpus import DATA, read_lines, read_questions
from storage import open_store

JSON_KEYS = (
    "passages",
    "workers",
    "rate",
    "users",
    "answered",
    "answers_per_s",
    "p50_ms",
    "p95_ms",
    "max_ms",
)
WEBHOOK_URL = "https://bench.khabri.invalid/khabri"
FIRST_USER = 700_001
# Seconds a worker may take to load its index and reach the Bot API.
STARTUP_TIMEOUT = 600.0
# Seconds one question may wait for its answer before it counts as unanswered.
ANSWER_TIMEOUT = 60.0


def add_load_parser(bench_parser: argparse.ArgumentParser, common: argparse.ArgumentParser) -> None:
    """Register ``khabri bench load`` under ``khabri bench``."""
    modes = bench_parser.add_subparsers(dest="bench_mode", metavar="MODE")
    load = modes.add_parser(
        "load",
        parents=[common],
        help="the running bot under load: answers a second and latency, with one or more workers",
    )
    load.add_argument("--passages", type=_positive, default=100_000, help="store size (default 100000)")
    load.add_argument(
        "--workers", type=_positive, default=1, help="bot processes (default 1; more need nginx)"
    )
    load.add_argument(
        "--rate",
        type=_rate,
        default=None,
        help="questions a second, at an even pace (open loop); without it each user asks on answer",
    )
    load.add_argument("--users", type=_positive, default=50, help="users asking (default 50)")
    load.add_argument(
        "--questions", type=_positive, default=8, help="questions each user asks, closed loop (default 8)"
    )
    load.add_argument("--seconds", type=float, default=10.0, help="length of the open-loop run (default 10)")
    load.add_argument("--json", action="store_true", help="print the figures as JSON")
    load.add_argument("--data", type=Path, default=DATA, help=f"the shared data (default {DATA})")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number of questions a second, not {text!r}") from None
    if not 0 < value <= 1000:
        raise argparse.ArgumentTypeError(f"must be above 0 and at most 1000, not {value}")
    return value


# ---------------------------------------------------------------- the store


async def prepared_store(args: argparse.Namespace, into: Path) -> Path:
    """A copy of the store to load: ``--db`` if given, else the cached one of ``--passages`` (built now)."""
    source = args.db
    if source is None:
        source = Path(tempfile.gettempdir()) / "khabri-load" / f"store-{args.passages}.db"
        if not source.exists():
            source.parent.mkdir(parents=True, exist_ok=True)
            partial = source.with_suffix(".partial")
            for stale in partial.parent.glob(partial.name + "*"):
                stale.unlink()
            if not args.json:
                print(f"building a store of {args.passages:,} passages (once) ...", file=sys.stderr)
            _, _, archive = await bench.build_store(partial, read_lines(args.data), args.passages, 0)
            await archive.close()
            partial.rename(source)
    return await asyncio.to_thread(_copy_store, Path(source), into / "store.db")


def _copy_store(source: Path, copy: Path) -> Path:
    if not source.exists():
        raise FileNotFoundError(f"no store at {source}")
    shutil.copyfile(source, copy)
    wal = source.with_name(source.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    return copy


async def passages_in(db: Path) -> int:
    """How many passages the store holds."""
    store = await open_store(db)
    try:
        return sum(r.passages for r in await store.reports.summaries(limit=10**9))
    finally:
        await store.close()


# ---------------------------------------------------------------- the workers


@dataclass
class Worker:
    """One bot process and its webhook port."""

    port: int
    process: subprocess.Popen[bytes]


def start_workers(count: int, db: Path, base_url: str, token: str, log: Path) -> list[Worker]:
    """Start ``count`` bot processes serving the webhook on free ports."""
    workers = []
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": base_url,
        "KHABRI_DB": str(db),
        "LOG_LEVEL": "WARNING",
    }
    for n in range(count):
        port = free_port()
        with (log.parent / f"worker-{n}.log").open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "khabri_tools.bench_load", "--worker", f"127.0.0.1:{port}"],
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        workers.append(Worker(port, process))
    return workers


def stop_workers(workers: Sequence[Worker]) -> None:
    """SIGTERM every worker, then SIGKILL those still running after 10 s."""
    stop_processes((worker.process for worker in workers), timeout=10)


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a process has used (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    """CPU seconds this process (the emulator and the load) has used."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------- the load


@dataclass(frozen=True, slots=True)
class Asked:
    """One question put to the bot: by whom, its update, when it was queued."""

    user: int
    update_id: int
    at: float


def question_pool(data: Path, count: int) -> list[str]:
    """Devanagari and romanized questions, alternating."""
    deva, roman = read_questions(data, max(count, 50))
    return [q for pair in zip(deva, roman, strict=False) for q in pair]


def cycle(pool: Sequence[str]) -> Iterator[str]:
    """The pool's questions over and over."""
    while True:
        yield from pool


async def closed_loop(botapi: Any, users: Sequence[int], each: int, questions: Iterator[str]) -> list[Asked]:
    """Every user asks ``each`` questions, the next once the last is answered."""
    asked: list[Asked] = []

    async def user(uid: int) -> None:
        for _ in range(each):
            question = next(questions)
            update_id = botapi.send_text(uid, question)
            asked.append(Asked(uid, update_id, time.time()))
            if not await botapi.wait_taken(update_id, ANSWER_TIMEOUT):
                return

    await asyncio.gather(*(user(uid) for uid in users))
    return asked


async def open_loop(
    botapi: Any, users: Sequence[int], rate: float, seconds: float, questions: Iterator[str]
) -> list[Asked]:
    """Questions at an even pace of ``rate`` a second for ``seconds``, the users taking turns."""
    asked: list[Asked] = []
    total = max(1, round(rate * seconds))
    start = time.monotonic()
    for i in range(total):
        delay = start + i / rate - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        uid = users[i % len(users)]
        asked.append(Asked(uid, botapi.send_text(uid, next(questions)), time.time()))
    deadline = time.monotonic() + ANSWER_TIMEOUT
    for question in asked:
        await botapi.wait_taken(question.update_id, max(0.0, deadline - time.monotonic()))
    return asked


def latencies(botapi: Any, asked: Sequence[Asked]) -> list[float]:
    """Seconds from each question to the first message of its answer (answered questions only).

    A chat's updates are answered in order, and in the closed loop the next is asked only once the
    last is done; so the first reply to a chat after a question was queued is that question's.
    """
    replies: dict[int, list[float]] = {}
    for call in botapi.calls("sendMessage"):
        if call.status == 200 and isinstance(call.chat_id, int):
            replies.setdefault(call.chat_id, []).append(call.timestamp)
    seconds = []
    for question in asked:
        times = sorted(replies.get(question.user, []))
        k = bisect.bisect_left(times, question.at)
        if k < len(times) and botapi.taken(question.update_id):
            seconds.append(times[k] - question.at)
    return seconds


# ---------------------------------------------------------------- running it


async def measure(args: argparse.Namespace, emulator: Any, scratch: Path) -> dict[str, Any]:
    """Start the emulator and workers, run the load, and return the figures (and CPU shares)."""
    db = await prepared_store(args, scratch)
    passages = args.passages if args.db is None else await passages_in(db)
    pool = question_pool(args.data, args.users * args.questions)
    questions = cycle(pool)
    users = list(range(FIRST_USER, FIRST_USER + args.users))
    async with emulator.BotApiEmulator(token=emulator.TEST_TOKEN) as botapi:
        botapi.webhook_retry = 0.5
        token = emulator.TEST_TOKEN
        workers = start_workers(args.workers, db, botapi.base_url, token, scratch / "worker.log")
        balancer: Balancer | None = None
        try:
            if args.workers > 1:
                balancer = Balancer([w.port for w in workers]).start()
                botapi.route_webhook(balancer.origin)
            else:
                botapi.route_webhook(f"http://127.0.0.1:{workers[0].port}")
            await _wait_ready(botapi, workers, scratch)
            warm = list(range(FIRST_USER - 100, FIRST_USER - 100 + 4 * args.workers))
            await closed_loop(botapi, warm, 2, questions)
            before = _cpu(workers, balancer)
            started = time.time()
            if args.rate is None:
                asked = await closed_loop(botapi, users, args.questions, questions)
            else:
                asked = await open_loop(botapi, users, args.rate, args.seconds, questions)
            cpu = {name: after - before[name] for name, after in _cpu(workers, balancer).items()}
            seconds = latencies(botapi, asked)
            last = max((c.timestamp for c in botapi.calls("sendMessage")), default=started)
        finally:
            stop_workers(workers)
            if balancer is not None:
                balancer.stop()
    wall = max(last - started, 1e-9)
    ms = np.asarray(seconds) * 1000 if seconds else np.asarray([float("nan")])
    return {
        "passages": passages,
        "workers": args.workers,
        "rate": args.rate,
        "users": args.users,
        "answered": len(seconds),
        "answers_per_s": round(len(seconds) / wall, 1),
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "max_ms": round(float(ms.max()), 1),
        "asked": len(asked),
        "wall_s": round(wall, 2),
        "cpu": {name: round(value / wall, 2) for name, value in cpu.items()},
    }


def _cpu(workers: Sequence[Worker], balancer: Balancer | None) -> dict[str, float]:
    figures = {f"worker {n + 1}": cpu_seconds(w.process.pid) for n, w in enumerate(workers)}
    figures["emulator + load"] = own_cpu_seconds()
    if balancer is not None and balancer._process is not None:
        figures["nginx"] = cpu_seconds(balancer._process.pid) + sum(
            cpu_seconds(int(pid)) for pid in _children(balancer._process.pid)
        )
    return figures


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


async def _wait_ready(botapi: Any, workers: Sequence[Worker], scratch: Path) -> None:
    """Wait until every worker has set the webhook (its index is loaded and it listens)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while len(botapi.calls("setWebhook")) < len(workers):
        for n, worker in enumerate(workers):
            if worker.process.poll() is not None:
                log = (scratch / f"worker-{n}.log").read_text(errors="replace")[-2000:]
                raise RuntimeError(f"worker {n + 1} exited with status {worker.process.returncode}:\n{log}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the workers did not start within {STARTUP_TIMEOUT:.0f} s")
        with contextlib.suppress(TimeoutError):
            await botapi.wait_for_calls("setWebhook", len(workers), timeout=1.0)


def render(figures: dict[str, Any]) -> str:
    """The figures as a table for people."""
    mode = "closed loop" if figures["rate"] is None else f"open loop, {figures['rate']:g} questions/s"
    rows = [
        ("store", f"{figures['passages']:,} passages"),
        ("workers", str(figures["workers"])),
        ("load", f"{figures['users']} users, {mode}"),
        ("answered", f"{figures['answered']} of {figures['asked']} in {figures['wall_s']} s"),
        ("answers/s", f"{figures['answers_per_s']}"),
        ("latency p50 / p95 / max", f"{figures['p50_ms']} / {figures['p95_ms']} / {figures['max_ms']} ms"),
    ]
    rows += [(f"CPU, {name}", f"{share:.2f} cores") for name, share in figures["cpu"].items()]
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


async def run_load(args: argparse.Namespace) -> int:
    """Run ``khabri bench load``; return the exit status."""
    from bot.cli.trial import MISSING, emulator_module

    try:
        emulator = emulator_module()
    except ImportError as error:
        print(f"khabri bench load: the emulator needs the test extra ({error})", file=sys.stderr)
        return 1
    if emulator is None:
        print("khabri bench load: " + MISSING.format(path="tests/auxil/botapi"), file=sys.stderr)
        return 1
    if args.seconds <= 0:
        print("khabri bench load: --seconds must be positive", file=sys.stderr)
        return 2
    try:
        read_questions(args.data, 1)
    except OSError as error:
        print(f"khabri bench load: cannot read the benchmark data: {error}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="khabri-load-") as scratch:
        try:
            figures = await measure(args, emulator, Path(scratch))
        except (RuntimeError, FileNotFoundError) as error:
            print(f"khabri bench load: {error}", file=sys.stderr)
            return 1
    if args.json:
        print(json.dumps({key: figures[key] for key in JSON_KEYS}))
        print(render(figures), file=sys.stderr)
    else:
        print(render(figures))
    return 0


# ---------------------------------------------------------------- one worker (a child process)


def serve_worker(listen: str) -> int:
    """One worker: ``khabri run --webhook`` with the flood limiter's waits and the question limit off."""
    from bot.archive.core import Archive
    from bot.logs import configure_logging
    from bot.settings import Settings
    from bot.tg.app import Webhook, build_application, serve

    settings = Settings.from_env()
    configure_logging(settings.log_level, token=settings.token, overrides=settings.log_overrides)
    if settings.token is None:
        raise SystemExit("TELEGRAM_BOT_TOKEN is required")
    token = settings.token

    async def main() -> None:
        archive = await Archive.open(settings.db_path)
        try:
            application = build_application(settings, archive=archive, questions_per_minute=1_000_000)
            limiter = application.bot.rate_limiter
            # The bot's own figures: no deliberate waits for Telegram's 30 messages a second.
            if limiter is not None:
                limiter._base_limiter = None  # type: ignore[attr-defined]
                limiter._group_max_rate = 0  # type: ignore[attr-defined]
            await serve(application, webhook=Webhook.parse(WEBHOOK_URL, listen, token))
        finally:
            await archive.close()

    asyncio.run(main())
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--worker":
        sys.exit(serve_worker(sys.argv[2]))
    sys.exit("usage: python -m khabri_tools.bench_load --worker HOST:PORT (started by khabri bench load)")
