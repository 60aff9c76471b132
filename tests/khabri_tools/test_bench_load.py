"""``khabri bench load``'s options: bad values are refused with a message naming what is wanted."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.parser import main
from tests.auxil.bench_data import write_data


@pytest.mark.parametrize(
    ("option", "said"),
    [
        (["--rate", "0"], "above 0"),
        (["--rate", "fast"], "questions a second"),
        (["--workers", "0"], "at least 1"),
        (["--passages", "1e5"], "whole number"),
        (["--users", "-3"], "at least 1"),
    ],
)
def test_a_bad_option_is_refused(option: list[str], said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["bench", "load", *option])
    assert exited.value.code == 2
    assert said in capsys.readouterr().err


def test_a_missing_store_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = str(write_data(tmp_path / "data"))
    args = ["--db", "/nonexistent/khabri.db", "--data", data, "--users", "1", "--questions", "1"]
    assert main(["bench", "load", *args]) == 1
    assert "no store at /nonexistent/khabri.db" in capsys.readouterr().err
