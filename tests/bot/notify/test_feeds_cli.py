"""``khabri feeds add|list|remove`` through the command line's own entry point."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    status = main(["feeds", *args, "--db", str(db)])
    out, err = capsys.readouterr()
    return status, out, err


def test_feeds_add_list_remove(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.db"
    assert run(capsys, db, "add", "https://example.com/rss.xml")[:2] == (
        0,
        "added feed 1: https://example.com/rss.xml\n",
    )
    assert run(capsys, db, "add", "https://example.com/rss.xml")[1].startswith("already have feed 1")
    status, out, _ = run(capsys, db, "list")
    assert status == 0
    assert "https://example.com/rss.xml" in out
    assert "polled never" in out
    assert run(capsys, db, "remove", "https://example.com/rss.xml")[:2] == (
        0,
        "removed feed https://example.com/rss.xml\n",
    )
    assert run(capsys, db, "list")[1].startswith("no feeds yet")


@pytest.mark.parametrize(("args", "status"), [(("add", "ftp://x"), 2), (("remove", "7"), 1)])
def test_feeds_refuses_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], status: int
) -> None:
    code, _, err = run(capsys, tmp_path / "k.db", *args)
    assert code == status
    assert err.startswith("khabri: ")
