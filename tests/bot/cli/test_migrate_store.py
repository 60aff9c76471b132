"""``khabri migrate-store SRC DST`` as a process: killed part-way, run again, it ends with equal stores."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from storage import NewPassage, NewReport, open_store
from tests.auxil.stores import PostgresForTests, execute

REPO = Path(__file__).resolve().parents[3]


def migrate(source: Path | str, target: Path | str, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("KHABRI_DB", None)
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "migrate-store", str(source), str(target), *extra],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def progress(url: str) -> list[tuple[str, int]]:
    try:
        return [(str(n), int(d)) for n, d in execute(url, "SELECT name, done FROM _copy_progress")]
    except Exception:  # the table is not there yet
        return []


async def build(source: Path) -> None:
    async with await open_store(source) as store, store.transaction():
        for i in range(200):
            passages = [NewPassage(f"अंश {i}.{j}", ((0, 5),), bytes([j]) * 20) for j in range(10)]
            await store.reports.save(NewReport(f"file:{i}", f"रिपोर्ट {i}", f"पाठ {i}"), passages)


def test_a_killed_copy_resumes_and_ends_equal(tmp_path: Path, postgres: PostgresForTests) -> None:
    source, target = tmp_path / "big.db", postgres.new_database()
    asyncio.run(build(source))
    # 4,400 rows in batches of 5: hundreds of transactions, so the kill lands in the middle.
    first = migrate(source, target, "--batch", "5")
    deadline = time.monotonic() + 60
    while not any(done == 0 for _, done in progress(target)) and time.monotonic() < deadline:
        assert first.poll() is None, first.communicate()
        time.sleep(0.005)
    first.send_signal(signal.SIGKILL)
    first.communicate()
    cut_short = progress(target)
    assert any(done == 0 for _, done in cut_short), cut_short
    copied_before = execute(target, "SELECT count(*) FROM passages")[0][0]
    assert copied_before < 2000

    second = migrate(source, target, "--batch", "500")
    out, err = second.communicate(timeout=120)
    assert second.returncode == 0, err
    assert "equal in both stores" in out
    for table in ("reports", "passages", "passage_log"):
        [line] = [row for row in out.splitlines() if row.startswith(table + " ")]
        assert "equal" in line
    assert execute(target, "SELECT count(*) FROM passages") == [(2000,)]
    # The rows copied before the kill were not copied again.
    [passages_line] = [row for row in out.splitlines() if row.startswith("passages ")]
    assert f"copied now {2000 - copied_before:>10}" in passages_line

    # A third run finds everything done, copies nothing and checks again.
    third = migrate(source, target)
    out, err = third.communicate(timeout=120)
    assert third.returncode == 0, err
    assert "copied now          0  equal" in out


def test_a_copy_into_itself_is_refused(tmp_path: Path) -> None:
    run = migrate(tmp_path / "a.db", tmp_path / "a.db")
    _, err = run.communicate(timeout=60)
    assert run.returncode == 2
    assert "same store" in err
