"""``khabri eval SUITE``: the parser, and the run that prints a suite's table or its JSON.

Every suite prints a table of metrics for people, and with ``--json`` the contract
``{"suite", "n", "metrics": {...}}`` for tools.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.archive.core import Archive
from khabri_tools.evaluate.suites import (
    eval_meetings,
    eval_questions,
    eval_questions_on,
    eval_roman,
    eval_xquad,
    read_jsonl,
)

__all__ = ["add_eval_parser", "print_table", "run_eval"]


def add_eval_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``khabri eval SUITE ...``."""
    evaluate = commands.add_parser("eval", help="measure answer quality on a question set")
    suites = evaluate.add_subparsers(dest="suite", metavar="SUITE", required=True)

    questions = suites.add_parser(
        "questions", parents=[common], help="questions about the store (seed_questions.jsonl format)"
    )
    questions.add_argument("file", type=Path, metavar="FILE.jsonl")
    questions.add_argument(
        "--reports",
        type=Path,
        action="append",
        metavar="REPORTS",
        help="ask against a fresh temporary store of these report files or folders (read as `khabri "
        "ingest` reads them; repeatable) instead of --db",
    )
    questions.add_argument("--json", action="store_true", help="print the metrics as JSON")

    fresh = "; --db PATH builds it at PATH (which must not exist) and keeps it"
    xquad = suites.add_parser(
        "xquad", parents=[common], help="XQuAD-style reading comprehension in a fresh temporary store" + fresh
    )
    xquad.add_argument("--passages", type=Path, required=True, metavar="P.jsonl")
    xquad.add_argument("--questions", type=Path, required=True, metavar="Q.jsonl")
    xquad.add_argument("--distractors", type=Path, metavar="LINES.jsonl", help="extra reports, one per line")
    xquad.add_argument("--json", action="store_true", help="print the metrics as JSON")

    roman = suites.add_parser(
        "roman",
        parents=[common],
        help="romanized queries against Devanagari sentences, in a fresh store" + fresh,
    )
    roman.add_argument("--pairs", type=Path, required=True, metavar="SENTENCES.jsonl")
    roman.add_argument("--distractors", type=Path, metavar="LINES.jsonl")
    roman.add_argument("--words", type=int, default=0, help="query with the first N words (default all)")
    roman.add_argument("--json", action="store_true", help="print the metrics as JSON")

    meetings = suites.add_parser(
        "meetings",
        parents=[common],
        help="who-met-whom extraction (meetings_dev.jsonl format); reads no store, so --db changes nothing",
    )
    meetings.add_argument("file", type=Path, metavar="FILE.jsonl")
    meetings.add_argument("--json", action="store_true", help="print the metrics as JSON")


def print_table(suite: str, n: int, metrics: dict[str, Any]) -> None:
    """The metrics as a two-column table; nested ones by dotted name, lists joined."""
    print(f"suite: {suite}   n: {n}")
    print(f"{'metric':<24} value")
    for name, value in metrics.items():
        if isinstance(value, dict):
            for sub, inner in value.items():
                if isinstance(inner, dict):
                    for metric, number in inner.items():
                        print(f"{name}.{sub}.{metric:<{max(1, 24 - len(name) - len(sub) - 2)}} {number}")
                else:
                    print(f"{name}.{sub:<{max(1, 23 - len(name))}} {inner}")
        elif isinstance(value, list):
            print(f"{name:<24} {', '.join(map(str, value)) if value else '-'}")
        else:
            print(f"{name:<24} {value}")


async def run_eval(args: argparse.Namespace, db: Path) -> int:
    """Run the chosen suite and print its table (or JSON)."""
    suite = args.suite
    try:
        if suite == "questions":
            rows = list(read_jsonl(args.file))
            if args.reports:
                metrics = await eval_questions_on(args.reports, rows, args.search)
            else:
                archive = await Archive.open(db, search=args.search)
                try:
                    metrics = await eval_questions(archive, rows)
                finally:
                    await archive.close()
            n = len(rows)
        elif suite == "xquad":
            n = sum(1 for _ in read_jsonl(args.questions))
            metrics = await eval_xquad(args.passages, args.questions, args.distractors, args.db, args.search)
        elif suite == "roman":
            n = sum(1 for _ in read_jsonl(args.pairs))
            metrics = await eval_roman(args.pairs, args.distractors, args.words, args.db, args.search)
        else:
            rows = list(read_jsonl(args.file))
            n = len(rows)
            metrics = eval_meetings(rows)
    except (OSError, ValueError, KeyError) as error:
        print(f"khabri eval {suite}: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"suite": suite, "n": n, "metrics": metrics}, ensure_ascii=False))
    else:
        print_table(suite, n, metrics)
    return 0
