"""``khabri bench`` at a tiny size: its options, and exactly the JSON contract's keys."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from khabri_tools import bench
from tests.auxil.bench_data import write_data

CONTRACT = {
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
}


def test_sizes_option_rejects_bad_input() -> None:
    assert bench._sizes("10,2000") == [10, 2000]
    with pytest.raises(argparse.ArgumentTypeError):
        bench._sizes("ten")


async def test_json_has_exactly_the_contract_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = write_data(tmp_path / "data")
    args = argparse.Namespace(
        sizes=[300], json=True, data=data, workdir=tmp_path / "work", queries=4, rank_bm25_max=100_000, seed=0
    )
    assert await bench.run_bench(args) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"machine", "sizes"}
    [size] = result["sizes"]
    assert set(size) == CONTRACT
    assert size["n"] >= 300
    assert size["top10_agreement_with_rank_bm25"] >= 0.99
    assert all(size[key] is not None for key in CONTRACT)
