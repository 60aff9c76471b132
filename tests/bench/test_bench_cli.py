"""``khabri bench`` end to end through the command line, at a small size (bench-marked)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from khabri_tools.bench import JSON_KEYS
from khabri_tools.bench_corpus import DATA

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(not (DATA / "hindi_wiki_lines.jsonl").exists(), reason="no benchmark data"),
]

ROOT = Path(__file__).resolve().parents[2]


def test_bench_prints_the_json_contract_at_2000_passages(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "bench", "--sizes", "2000", "--json", "--workdir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result = json.loads(done.stdout)
    [size] = result["sizes"]
    assert tuple(size) == JSON_KEYS
    assert result["machine"]["cores"]
    assert size["n"] >= 2000
    assert size["top10_agreement_with_rank_bm25"] >= 0.99
    assert size["add_report_ms"] < 1000
    print(done.stderr)  # the table, for -s


def test_bench_table_lists_every_measurement(tmp_path: Path) -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot",
            "bench",
            "--sizes",
            "500",
            "--queries",
            "20",
            "--workdir",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    for label in ("ingest, passages/s", "rank p50 / p95 ms", "ask p50 / p95 ms", "cold start", "rank-bm25"):
        assert label in done.stdout
