"""``khabri reindex`` and ``khabri bench --search`` through the command line, on the real cluster."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.archive.core import Archive
from bot.cli import main
from khabri_tools.bench_corpus import DATA
from tests.opensearch import corpus

ROOT = Path(__file__).resolve().parents[2]


async def test_reindex_sends_every_stored_passage_and_ask_then_answers(
    capsys: pytest.CaptureFixture[str], store_path: Path, search_url: str
) -> None:
    archive = await Archive.open(store_path)
    await archive.ingest_records(corpus.reports()[:12])
    stored = await archive.store.reports.passage_count()
    await archive.close()
    # main() runs its own event loop: off this test's loop, in a thread.
    assert await asyncio.to_thread(main, ["reindex", "--db", str(store_path), "--search", search_url]) == 0
    out = capsys.readouterr().out
    assert f"reindexed {stored} passages" in out
    question = f"{corpus.CITIES[1]} में {corpus.GROUPS[3]} ने क्या मांग की"
    assert (
        await asyncio.to_thread(
            main, ["ask", "--db", str(store_path), "--search", search_url, "--json", question]
        )
        == 0
    )
    answer = json.loads(capsys.readouterr().out)
    assert answer["answered"]
    assert corpus.CITIES[1] in answer["results"][0]["title"]


@pytest.mark.bench
@pytest.mark.skipif(not (DATA / "hindi_wiki_lines.jsonl").exists(), reason="no benchmark data")
def test_bench_search_measures_both_backends(cluster_url: str, tmp_path: Path) -> None:
    command = ["bench", "--search", cluster_url, "--sizes", "1000", "--queries", "10", "--json"]
    done = subprocess.run(
        [sys.executable, "-m", "bot", *command, "--workdir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    [size] = json.loads(done.stdout)["sizes"]
    assert size["n"] >= 1000
    assert size["top10_agreement"] >= 0.7
    assert size["opensearch_add_until_searchable_max_ms"] < 1500
    assert size["cluster_rss_mb"] > 0
