"""Time the whole ask path of whatever checkout is first on PYTHONPATH, for an old-against-new comparison.

    PYTHONPATH=/path/to/old python tools/ask_ab.py STORE.db
    PYTHONPATH=. python tools/ask_ab.py STORE.db

Opens the archive on the store (no seeds), asks the first 150 questions of each question file (the
news and XQuAD dev sets by default) after 30 for warm-up, and prints the cold start, ask p50 / p95 and
the peak RSS. Alternate the two runs a few times: one run on a shared machine is noise.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import time
from pathlib import Path

import bot.archive.core
from bot.archive.core import Archive

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_QUESTIONS = [
    SHARED / "eval" / "news_questions_dev.jsonl",
    SHARED / "data" / "xquad_hi_dev" / "questions.jsonl",
]


def questions(paths: list[Path], per_file: int) -> list[str]:
    """The first ``per_file`` questions of each JSON-lines file (its "query" or "question" field)."""
    found: list[str] = []
    for path in paths:
        with path.open(encoding="utf-8") as lines:
            rows = [json.loads(line) for line in lines if line.strip()]
        found += [str(row.get("query") or row["question"]) for row in rows[:per_file]]
    return found


async def run(store: str, asked: list[str]) -> None:
    """Open the archive, warm up, time every question and print the figures."""
    start = time.perf_counter()
    archive = await Archive.open(store, seed=False)
    try:
        await archive.ask("नमस्ते")
        cold = time.perf_counter() - start
        for question in asked[:30]:
            await archive.ask(question)
        times: list[float] = []
        for question in asked:
            began = time.perf_counter()
            await archive.ask(question)
            times.append(time.perf_counter() - began)
    finally:
        await archive.close()
    times.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(
        f"{Path(bot.archive.core.__file__).parents[2]}: cold start {cold:.2f} s, ask p50"
        f" {times[len(times) // 2] * 1000:.2f} ms, p95 {times[int(len(times) * 0.95)] * 1000:.2f} ms,"
        f" peak RSS {rss} MB"
    )


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("store", help="a SQLite file (or postgresql:// URL) with reports in it")
    parser.add_argument("--questions", type=Path, action="append", help="JSON-lines question files")
    parser.add_argument("--per-file", type=int, default=150)
    args = parser.parse_args()
    asyncio.run(run(args.store, questions(args.questions or DEFAULT_QUESTIONS, args.per_file)))


if __name__ == "__main__":
    main()
