"""Store faults through the real ``khabri`` command: a full disk, a read-only store, an unwritable
directory, a ``KHABRI_DB`` whose parent is a file. Each ends in one clear line naming the file and
what to do, the outcome lines of what was stored, and a non-zero exit; never a traceback.

The full and read-only disks are real: a small tmpfs mounted in a private mount namespace
(``unshare``), remounted read-only where needed. Where the platform cannot do that, those tests
are skipped with the reason.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

KHABRI = [sys.executable, "-m", "bot"]
FAKE_TOKEN = "123456789:" + "A" * 35


def _unshare_prefix() -> list[str] | None:
    """The command that runs a shell in a private mount namespace where tmpfs can be mounted."""
    if shutil.which("unshare") is None:
        return None
    options = [["unshare", "--mount"]] if os.geteuid() == 0 else []
    options.append(["unshare", "--user", "--map-root-user", "--mount"])
    for prefix in options:
        probe = subprocess.run(
            [*prefix, "sh", "-c", "d=$(mktemp -d) && mount -t tmpfs -o size=64k tmpfs $d && umount $d"],
            capture_output=True,
            check=False,
        )
        if probe.returncode == 0:
            return prefix
    return None


UNSHARE = _unshare_prefix()
needs_tmpfs = pytest.mark.skipif(
    UNSHARE is None, reason="cannot mount a tmpfs here (no unshare, or user namespaces are disabled)"
)


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "KHABRI_"))}
    return {**base, "LOG_LEVEL": "WARNING", "PYTHONPATH": str(REPO), **extra}


def khabri(*args: str) -> str:
    return shlex.join([*KHABRI, *args])


def in_sandbox(script: str, mount: Path, size: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` (sh) with a fresh tmpfs of ``size`` mounted at ``mount``."""
    assert UNSHARE is not None
    mount.mkdir(exist_ok=True)
    full = f"set -u\nmount -t tmpfs -o size={size} tmpfs {shlex.quote(str(mount))}\n{script}"
    return subprocess.run(
        [*UNSHARE, "sh", "-c", full],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env(**extra),
        check=False,
        timeout=240,
    )


def one_clear_line(stderr: str) -> str:
    """The single ``khabri:`` line of stderr; there is no traceback."""
    assert "Traceback" not in stderr, stderr
    assert "cannot rollback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("khabri:")]
    assert len(lines) == 1, stderr
    return lines[0]


def report_files(folder: Path, count: int) -> Path:
    folder.mkdir()
    for n in range(count):
        words = " ".join(f"शब्द{n}x{k} खबर{k % 97}" for k in range(400))
        (folder / f"{n:04d}.txt").write_text(f"रिपोर्ट संख्या {n} का शीर्षक\n\n{words}।\n", encoding="utf-8")
    return folder


@needs_tmpfs
def test_a_full_disk_during_ingest_says_so_and_lists_what_was_stored(tmp_path: Path) -> None:
    reports = report_files(tmp_path / "reports", 250)
    disk = tmp_path / "disk"
    db = disk / "khabri.db"
    query = "SELECT count(*) FROM reports"
    opened = f"sqlite3.connect('file:{db}?mode=ro', uri=True)"
    count = f"import sqlite3; print({opened}.execute({query!r}).fetchone()[0])"
    script = (
        f"{khabri('ingest', str(reports), '--db', str(db))}\n"
        "echo rc=$? >&2\n"
        f"{shlex.join([sys.executable, '-c', count])}\n"
    )
    done = in_sandbox(script, disk, "1m")
    line = one_clear_line(done.stderr)
    assert "rc=1" in done.stderr
    assert str(db) in line
    assert "full" in line
    assert "free some space" in line
    *outcomes, summary, stored = done.stdout.strip().splitlines()
    added = [o for o in outcomes if o.startswith("added")]
    assert added, done.stdout
    assert summary.startswith(f"{len(added)} added, ")
    assert int(stored) == len(added) + 2  # the two seeds, and every report said to be added


@needs_tmpfs
@pytest.mark.parametrize("command", [("ingest", "REPORT"), ("run",)])
def test_a_read_only_store_is_refused_before_anything_starts(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    report = tmp_path / "one.txt"
    report.write_text("शीर्षक\n\nएक छोटी रिपोर्ट का पाठ।\n", encoding="utf-8")
    disk = tmp_path / "disk"
    db = disk / "khabri.db"
    args = [str(report) if a == "REPORT" else a for a in command]
    script = (
        f"{khabri('reports', '--db', str(db))} >/dev/null || exit 9\n"
        f"mount -o remount,ro {shlex.quote(str(disk))}\n"
        f"{khabri(*args, '--db', str(db))}\n"
        "echo rc=$? >&2\n"
    )
    # The Bot API address is a closed port: the bot must stop before it would try to reach it.
    done = in_sandbox(
        script, disk, "4m", TELEGRAM_BOT_TOKEN=FAKE_TOKEN, TELEGRAM_API_BASE_URL="http://127.0.0.1:9/bot"
    )
    line = one_clear_line(done.stderr)
    assert "rc=1" in done.stderr
    assert str(db) in line
    assert "writable" in line
    assert "is running" not in done.stderr


@needs_tmpfs
def test_a_store_in_a_directory_that_cannot_be_written_is_not_called_a_foreign_file(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    db = disk / "khabri.db"
    remount = f"mount -o remount,ro {shlex.quote(str(disk))}"
    script = f"{remount}\n{khabri('reports', '--db', str(db))}\necho rc=$? >&2\n"
    done = in_sandbox(script, disk, "1m")
    line = one_clear_line(done.stderr)
    assert "rc=1" in done.stderr
    assert f"cannot create the store {db}" in line
    assert "not a Khabri store" not in line


def test_a_store_path_under_a_file_names_the_file(tmp_path: Path) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("x")
    done = subprocess.run(
        [*KHABRI, "reports"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env(KHABRI_DB=str(blocker / "khabri.db")),
        check=False,
        timeout=60,
    )
    line = one_clear_line(done.stderr)
    assert done.returncode == 1
    assert f"{blocker} is a file, not a directory" in line
