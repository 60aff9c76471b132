"""The store's size and speed at N passages, on SQLite or PostgreSQL: the figures of docs/scale.md.

    python -m tools.store_size --passages 100000                     # a SQLite file in a temp dir
    python -m tools.store_size --passages 100000 --db postgresql://khabri@127.0.0.1:PORT/khabri

Builds a store of ``--passages`` passages from the benchmark's synthetic corpus (``khabri bench``'s
own builder, over the shared Hindi lines), then prints one JSON object: the backend, the passages,
ingest passages per second, the store's size on disk in MB (SQLite: the file with its WAL;
PostgreSQL: ``pg_database_size`` after VACUUM, less that of an empty database) and the seconds to
open it again and load the index, and the whole ``ask`` path's p50 and p95 over 200 questions (100
in Devanagari, 100 romanized). ``--db`` on PostgreSQL must name an empty database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.archive.core import Archive  # noqa: E402
from bot.settings import store_location  # noqa: E402
from khabri_tools.bench import build_store, disk_mb  # noqa: E402
from khabri_tools.bench_corpus import DATA, read_lines, read_questions  # noqa: E402


def postgres_mb(url: str) -> float:
    """The database's size less an empty one's (``template1``), after VACUUM."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        row = conn.execute(
            "SELECT pg_database_size(current_database()) - pg_database_size('template1')"
        ).fetchone()
    return float(row[0] if row else 0) / 2**20


async def measure(db: Path | str, passages: int, data: Path) -> dict[str, object]:
    """Build, measure, reopen."""
    lines = read_lines(data)
    seconds, stored, archive = await build_store(db, lines, passages, 0)  # type: ignore[arg-type]
    await archive.close()
    size = postgres_mb(db) if isinstance(db, str) else disk_mb(db)
    start = time.perf_counter()
    archive = await Archive.open(db, seed=False)
    opened = time.perf_counter() - start
    # The whole ask path, store reads included (the reports and passages an answer quotes).
    deva, roman = read_questions(data, 100)
    times = []
    for question in [*deva, *roman]:
        start = time.perf_counter()
        await archive.ask(question)
        times.append((time.perf_counter() - start) * 1000)
    await archive.close()
    times.sort()
    return {
        "backend": "postgresql" if isinstance(db, str) else "sqlite",
        "passages": stored,
        "ingest_passages_per_s": round(stored / seconds, 1),
        "disk_mb": round(size, 1),
        "disk_mb_per_million_passages": round(size * 1_000_000 / stored, 0),
        "open_s": round(opened, 2),
        "ask_p50_ms": round(times[len(times) // 2], 1),
        "ask_p95_ms": round(times[int(len(times) * 0.95)], 1),
    }


def main() -> int:
    """Measure one store and print the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--db", type=store_location, help="a new SQLite file or an empty PostgreSQL database")
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "size.db"
        print(json.dumps(asyncio.run(measure(db, args.passages, args.data))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
