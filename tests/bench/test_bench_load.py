"""``khabri bench load`` end to end through the command line, on a tiny store (bench-marked)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.archive.core import Archive
from khabri_tools.bench_corpus import DATA
from khabri_tools.bench_load import JSON_KEYS

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(not (DATA / "xquad_hi_dev").exists(), reason="no benchmark data"),
]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def tiny_store(tmp_path: Path) -> Path:
    """The seeds alone: a handful of passages."""
    db = tmp_path / "tiny.db"

    async def make() -> None:
        await (await Archive.open(db)).close()

    asyncio.run(make())
    return db


def load(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "bench", "load", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )


def test_bench_load_prints_the_json_contract(tiny_store: Path) -> None:
    done = load("--db", str(tiny_store), "--users", "4", "--questions", "2", "--json")
    figures = json.loads(done.stdout)
    assert tuple(figures) == JSON_KEYS
    assert figures["rate"] is None
    assert (figures["workers"], figures["users"], figures["answered"]) == (1, 4, 8)
    assert figures["passages"] > 0
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["max_ms"]
    print(done.stderr)  # the table, for -s


def test_bench_load_open_loop_gives_its_rate(tiny_store: Path) -> None:
    done = load("--db", str(tiny_store), "--users", "4", "--rate", "10", "--seconds", "1", "--json")
    figures = json.loads(done.stdout)
    assert figures["rate"] == 10.0
    assert figures["answered"] == 10


def test_bench_load_table_names_the_cpu_of_each_process(tiny_store: Path) -> None:
    done = load("--db", str(tiny_store), "--users", "2", "--questions", "1")
    for label in ("answers/s", "latency p50 / p95 / max", "CPU, worker 1", "CPU, emulator + load"):
        assert label in done.stdout
