"""Where the answering report ranks among the reports an answer quotes, for news questions.

    python tools/report_rank.py --db /tmp/news12.db [--questions ../shared/eval/news_questions_dev.jsonl]

`khabri eval questions` asks whether an answer string is in the first three quoted sentences, which
mixes two stages: finding the report (analysis and ranking) and choosing its sentences (selection).
This prints, per script, the share of answerable questions whose article is the first report
quoted (report@1) or among the first three (report@3). A report is the article when its body
starts like the article's text (the news records have no url).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.archive.core import Archive  # noqa: E402

SHARED = ROOT.parent / "shared"


def _rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


async def ranks(
    db: Path, questions: list[dict[str, object]], texts: dict[object, str]
) -> dict[str, list[int | None]]:
    """The rank of each answerable question's article, by script (None: not quoted)."""
    found: dict[str, list[int | None]] = defaultdict(list)
    archive = await Archive.open(db, seed=False)
    try:
        for question in questions:
            if question["row"] is None:
                continue
            asked = await archive.ask(str(question["query"]))
            ids = [part.report_id for part in asked.answer.reports]
            reports = await archive.store.reports.get_many(ids)
            start = texts[question["row"]][:200]
            hits = [i for i, rid in enumerate(ids) if reports[rid].body[:200] == start]
            found[str(question["script"])].append(hits[0] if hits else None)
    finally:
        await archive.close()
    return found


def main() -> int:
    """Print report@1 and report@3 by script."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--questions", type=Path, default=SHARED / "eval" / "news_questions_dev.jsonl")
    parser.add_argument(
        "--articles", type=Path, default=SHARED / "data" / "news" / "bbc_hindi_articles.jsonl"
    )
    args = parser.parse_args()
    texts = {row["row"]: str(row.get("text", "")) for row in _rows(args.articles)}
    found = asyncio.run(ranks(args.db, _rows(args.questions), texts))
    print(f"{'script':8} {'n':>3}  report@1  report@3")
    for script, values in sorted(found.items()):
        at1 = sum(v == 0 for v in values) / len(values)
        at3 = sum(v is not None and v < 3 for v in values) / len(values)
        print(f"{script:8} {len(values):3}  {at1:8.2f}  {at3:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
