"""kill -9 during ``khabri ingest``: whatever moment the process dies, running the same ingest again
leaves every report stored exactly once, with all its passages (each report is one transaction)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO

REPORTS = 300
KILLS = 6


def write_reports(folder: Path) -> None:
    folder.mkdir()
    for n in range(REPORTS):
        body = " ".join(f"जिला{n} में राहत शिविर {k} खोला गया।" for k in range(30))
        (folder / f"{n:04d}.txt").write_text(f"राहत रिपोर्ट {n}\n\n{body}\n", encoding="utf-8")


def ingest(folder: Path, db: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", str(folder), "--db", str(db)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def stored(db: Path) -> tuple[int, int, int]:
    """(reports, distinct contents, reports without passages) in the store."""
    with sqlite3.connect(db) as conn:
        reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
        distinct = conn.execute("SELECT count(DISTINCT content_hash) FROM reports").fetchone()[0]
        empty = conn.execute(
            "SELECT count(*) FROM reports r"
            " WHERE NOT EXISTS (SELECT 1 FROM passages p WHERE p.report_id = r.id)"
        ).fetchone()[0]
    return int(reports), int(distinct), int(empty)


def stored_quietly(db: Path) -> int:
    """How many reports are stored, or 0 while the store is being created or locked."""
    try:
        return stored(db)[0]
    except sqlite3.Error:
        return 0


def test_kill_9_during_ingest_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    folder, db = tmp_path / "reports", tmp_path / "khabri.db"
    write_reports(folder)
    seed = time.time_ns()
    rng = random.Random(seed)
    killed_at: list[int] = []
    for kill in range(KILLS):
        before = stored(db)[0] if db.exists() else 0
        # Die once the store has grown to a random point of what is left, mid-ingest.
        target = before + rng.randint(1, (REPORTS + 2 - before) // (KILLS - kill + 1))
        process = ingest(folder, db)
        deadline = time.monotonic() + 120
        while process.poll() is None and time.monotonic() < deadline:
            if db.exists() and stored_quietly(db) >= target:
                break
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
        process.wait()
        killed_at.append(stored(db)[0])
    final = ingest(folder, db)
    assert final.wait(timeout=240) == 0
    reports, distinct, empty = stored(db)
    print(f"killed with {killed_at} reports stored")
    assert (reports, distinct, empty) == (REPORTS + 2, REPORTS + 2, 0), f"seed {seed}, killed at {killed_at}"
