"""The Devanagari news dev questions as a user would type them in romanized Hindi and in English.

    python tools/retyped_questions.py ../shared/eval/news_questions_dev.jsonl > /tmp/retyped.jsonl
    khabri eval questions /tmp/retyped.jsonl --reports ../shared/data/news/bbc_hindi_articles.jsonl

The news dev set has 22 romanized and 5 English questions: one row is 4.5 and 20 points of a
script's figure, too few to tell a method from luck. `tools/data/news_retyped.jsonl` holds each of
its 29 Devanagari questions typed again, once in romanized Hindi as chat is typed (English words
kept: "airport pe jhagde se pehle afridi kahan se laut rahe the") and once in English, written
from the question before anything was measured on them and never changed after. It holds only the
typed questions (``of`` names the dev row); this joins them with the dev rows, whose answers come
from the BBC articles and stay in ../shared, and prints the rows ``khabri eval questions`` reads,
with ids ``r<id>`` and ``e<id>``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RETYPED = Path(__file__).resolve().parent / "data" / "news_retyped.jsonl"
_PREFIX = {"roman": "r", "latin": "e"}


def main(argv: list[str] | None = None) -> int:
    """Print the retyped questions as evaluation rows; exit 2 when a dev row is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dev", type=Path, help="news_questions_dev.jsonl")
    args = parser.parse_args(argv)
    dev = {}
    for line in args.dev.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            dev[row["id"]] = row
    for line in RETYPED.read_text(encoding="utf-8").splitlines():
        typed = json.loads(line)
        original = dev.get(typed["of"])
        if original is None:
            print(f"retyped_questions: {args.dev} has no row {typed['of']}", file=sys.stderr)
            return 2
        row = {**original, "id": _PREFIX[typed["script"]] + typed["of"], "query": typed["query"]}
        row["script"] = typed["script"]
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
