"""The ``khabri`` command line, run in-process on real stores."""

from __future__ import annotations

import io
import json
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


def test_help_lists_commands_and_environment(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for word in (
        "run",
        "chat",
        "ask",
        "ingest",
        "reports",
        "show",
        "eval",
        "TELEGRAM_BOT_TOKEN",
        "KHABRI_DB",
    ):
        assert word in out


def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("run", "chat", "ask", "ingest", "reports", "show"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "usage: khabri" in capsys.readouterr().out


def test_ingest_reports_and_show(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "k.db")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\ntitle: बाढ़ से सड़कें बंद\npublished: 2024-07-02\nurl: https://news.example/flood\n---\n"
        "असम में बाढ़ से कई सड़कें बंद हो गईं। प्रशासन ने राहत शिविर खोले।",
        encoding="utf-8",
    )
    (folder / "bad.json").write_text('{"title": "बिना पाठ"}', encoding="utf-8")
    status, out, err = run(capsys, "ingest", str(folder), "--db", db)
    assert status == 1
    assert "added" in out
    assert "bad.json: record has no body" in err
    assert "1 added, 0 replaced" in out

    status, out, _ = run(capsys, "ingest", str(folder / "a.md"), "--db", db)
    assert status == 0
    assert "already have it" in out

    status, out, _ = run(capsys, "reports", "--db", db)
    assert status == 0
    line = next(x for x in out.splitlines() if "बाढ़ से सड़कें बंद" in x)
    report_id = line.split()[0]
    assert "2024-07-02" in line

    status, out, _ = run(capsys, "show", report_id, "--db", db)
    assert status == 0
    assert out.startswith("बाढ़ से सड़कें बंद\n")
    assert "2 जुलाई 2024" in out
    assert "राहत शिविर" in out

    status, _, err = run(capsys, "show", "999", "--db", db)
    assert status == 1
    assert "no report 999" in err


def test_ask_json_contract(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(
        capsys,
        "ask",
        "akhilesh yadav ne kolkata me kisse mulakat ki",
        "--json",
        "--db",
        str(tmp_path / "k.db"),
    )
    assert status == 0
    data = json.loads(out)
    assert set(data) >= {"query", "answered", "results"}
    assert data["answered"] is True
    first = data["results"][0]
    assert set(first) >= {"report_id", "title", "url", "published", "source", "sentences", "score"}
    assert any("ममता" in s for s in first["sentences"])
    assert data["meetings"]
    assert set(data["meetings"][0]) == {"a", "b", "place", "when", "sentence", "report_id"}
    assert {(m["a"], m["b"], m["place"]) for m in data["meetings"]} == {
        ("अखिलेश यादव", "ममता बनर्जी", "कोलकाता")
    }


def test_ask_with_no_answer_says_so(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "ask", "cricket world cup kisne jeeta", "--db", str(tmp_path / "k.db"))
    assert status == 0
    # The seeds hold no world cup: the reply names what it lacks.
    assert "“world”, “cup” के बारे में" in out
    assert "Nothing about" in out
    status, out, _ = run(
        capsys, "ask", "cricket world cup kisne jeeta", "--json", "--db", str(tmp_path / "k.db")
    )
    assert json.loads(out) == {
        "query": "cricket world cup kisne jeeta",
        "answered": False,
        "results": [],
        "meetings": [],
        "missing": ["world", "cup"],
        "related": [],
    }


class _Terminal(io.StringIO):
    """Typed lines, as from a terminal (``isatty``), without readline's prompt."""

    def isatty(self) -> bool:
        return True


def test_run_without_token_opens_the_chat_in_a_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", _Terminal("mamta banerji kolkata\n/quit\n"))
    monkeypatch.setattr("builtins.input", lambda prompt="": _readline(prompt))
    status, out, _ = run(capsys, "run", "--db", str(tmp_path / "k.db"))
    assert status == 0
    assert out.splitlines()[0] == (
        "TELEGRAM_BOT_TOKEN is not set: opening the terminal chat instead of the Telegram bot."
    )
    assert "ममता बनर्जी" in out


def _readline(prompt: str) -> str:
    import sys

    line = sys.stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")


def test_run_without_token_or_terminal_exits_non_zero_saying_why(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    status, out, err = run(capsys, "run", "--db", str(tmp_path / "k.db"))
    assert status == 2
    assert out == ""
    assert "TELEGRAM_BOT_TOKEN is not set" in err
    assert "docker run -it" in err
    assert not (tmp_path / "k.db").exists()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("/help", "/report N"),
        ("/latest", "/report 2"),
        ("/report 1", "17 मार्च 2023 · ABP Live"),
        ("/report 99", "रिपोर्ट 99 नहीं मिली"),
        ("/report x", "/report 2"),
        ("/meetings mamta", "अखिलेश यादव ↔ ममता बनर्जी"),
        ("/subscribe ममता", "khabri try"),
        ("/frobnicate", "/help"),
        ("क" * 600, "600 अक्षर"),
        ("<b>ममता</b> <script>", "ममता बनर्जी"),
        ("shivpal\tyadav\x1b[31m kahan\x07 gaye", "शिवपाल यादव"),
    ],
    ids=[
        "help",
        "latest",
        "report",
        "no-report",
        "bad-number",
        "meetings",
        "subscribe",
        "unknown",
        "long",
        "markup",
        "control-characters",
    ],
)
def test_chat_answers_the_bots_commands_and_limits(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    line: str,
    expected: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(line + "\n"))
    status, out, _ = run(capsys, "chat", "--db", str(tmp_path / "k.db"))
    assert status == 0
    assert expected in out
    assert "कुछ नहीं मिला" not in out


def test_chat_leaves_at_once_on_ctrl_c(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(prompt: str = "") -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr("sys.stdin", _Terminal(""))
    monkeypatch.setattr("builtins.input", interrupted)
    status, _, _ = run(capsys, "chat", "--db", str(tmp_path / "k.db"))
    assert status == 130


def test_chat_keeps_a_history_beside_the_store(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readline = pytest.importorskip("readline")
    monkeypatch.setattr("sys.stdin", _Terminal("ममता बनर्जी\n/quit\n"))

    def typed(prompt: str = "") -> str:
        line = _readline(prompt)
        readline.add_history(line)
        return line

    monkeypatch.setattr("builtins.input", typed)
    readline.clear_history()
    status, _, _ = run(capsys, "chat", "--db", str(tmp_path / "k.db"))
    assert status == 0
    assert "ममता बनर्जी" in (tmp_path / "chat_history").read_text(encoding="utf-8")


def test_show_into_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    import subprocess
    import sys

    db = tmp_path / "k.db"
    # Longer than a pipe's buffer, so that the writer still writes after the reader is gone.
    big = tmp_path / "big.txt"
    big.write_text("लंबी खबर\n" + "यह एक लंबी खबर का वाक्य है।\n" * 20_000, encoding="utf-8")
    assert main(["ingest", str(big), "--db", str(db)]) == 0
    shown = subprocess.run(
        f"{sys.executable} -m bot show 3 --db {db} | head -5",
        shell=True,
        capture_output=True,
        text=True,
        check=False,
    )
    assert "Traceback" not in shown.stderr
    assert "BrokenPipeError" not in shown.stderr


def test_show_does_not_repeat_the_title(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    status, out, _ = run(capsys, "show", "2", "--db", str(tmp_path / "k.db"))
    assert status == 0
    title = out.splitlines()[0]
    assert title.startswith("UP Politics: अखिलेश यादव")
    assert out.count(title) == 1


def test_reports_list_true_dates_and_undated_last(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "undated.txt").write_text("बिना तारीख़ की खबर\nकोई खबर जिसकी तारीख़ नहीं है।", encoding="utf-8")
    (tmp_path / "old.md").write_text(
        "---\ntitle: पुरानी खबर\npublished: 2001-01-01\n---\nपुरानी खबर का पाठ।", encoding="utf-8"
    )
    db = str(tmp_path / "k.db")
    assert run(capsys, "ingest", str(tmp_path / "undated.txt"), str(tmp_path / "old.md"), "--db", db)[0] == 0
    status, out, _ = run(capsys, "reports", "--db", db)
    assert status == 0
    rows = out.splitlines()[1:]
    assert [row.split()[1] for row in rows] == ["2023-03-17", "2023-03-17", "2001-01-01", "-"]
    assert "बिना तारीख़" in rows[-1]


def test_malformed_environment_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "not-a-token")
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    status, _, err = run(capsys, "reports")
    assert status == 2
    assert err.count("\n") == 1
    assert "TELEGRAM_BOT_TOKEN" in err
    assert "LOG_LEVEL" in err


def test_ask_offering_related_reports_says_so_in_both_languages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    report = tmp_path / "onion.txt"
    report.write_text(
        "नासिक में प्याज किसानों का धरना\n\nनासिक में प्याज किसानों ने मंडी के बाहर धरना दिया। किसानों ने प्याज का "
        "न्यूनतम समर्थन मूल्य मांगा।\n",
        encoding="utf-8",
    )
    db = str(tmp_path / "k.db")
    assert run(capsys, "ingest", str(report), "--db", db)[0] == 0
    status, out, _ = run(capsys, "ask", "नासिक में प्याज का निर्यात कब रुका?", "--db", db)
    assert status == 0
    assert "“निर्यात” के बारे में कुछ नहीं मिला — पास की ये रिपोर्टें हैं:" in out
    assert "Nothing about “निर्यात”; these reports are near, but do not answer it:" in out
    assert "• नासिक में प्याज किसानों का धरना (khabri show" in out
    # Its title is not quoted again under it.
    assert "“नासिक में प्याज किसानों का धरना”" not in out
