"""The tools' entry points: ``khabri bench`` and ``khabri eval`` reach the ``khabri`` command line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main


@pytest.fixture(autouse=True)
def no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("KHABRI_DB", raising=False)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize("suite", ["questions", "xquad", "roman", "meetings"])
def test_every_eval_suite_and_bench_take_db(suite: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["eval", suite, "--help"], ["bench", "--help"]):
        with pytest.raises(SystemExit):
            main(argv)
        assert "--db" in capsys.readouterr().out


def test_bench_refuses_an_existing_db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "mine.db").write_bytes(b"precious")
    status, _, err = run(capsys, "bench", "--sizes", "2000", "--db", str(tmp_path / "mine.db"))
    assert status == 2
    assert "exists" in err
    assert (tmp_path / "mine.db").read_bytes() == b"precious"


def test_the_tools_are_found_through_their_entry_points() -> None:
    from importlib.metadata import entry_points

    found = {entry.name: entry.value for entry in entry_points(group="khabri.tools")}
    assert found == {
        "bench": "khabri_tools.commands:register_bench",
        "eval": "khabri_tools.commands:register_eval",
    }


def test_help_describes_the_installed_tools(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "measure answer quality on a question set" in out
    assert "not installed" not in out
    with pytest.raises(SystemExit):
        main(["bench", "load", "--help"])
    assert "--workers" in capsys.readouterr().out
