"""``khabri try``: the emulator and the real bot start, answer through the emulator, and stop cleanly."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.trial import render_message, run_try

REPO = Path(__file__).resolve().parents[3]


def test_try_answers_a_question_and_stops_cleanly(tmp_path: Path) -> None:
    typed = "akhilesh ne mamta se kab mulakat ki\n1\n"
    done = subprocess.run(
        [sys.executable, "-m", "bot", "try", "--db", str(tmp_path / "try.db")],
        input=typed,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=tmp_path,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    # The welcome of /start with its example buttons, numbered.
    assert "नमस्ते" in out
    assert "[1] शिवपाल यादव कोलकाता से क्यों लौटे?" in out
    # The answer, in Hindi for romanized Hindi, with its buttons...
    assert "अखिलेश यादव ↔ ममता बनर्जी" in out
    assert "[1] पूरी रिपोर्ट 1" in out
    # ...and "1" pressed the first: the whole report came.
    assert out.count("17 मार्च 2023 · ABP Live") >= 3
    assert "Traceback" not in done.stderr
    assert (tmp_path / "try.db").exists()


def test_try_outside_a_checkout_says_where_the_emulator_is(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_try(None, checkout=tmp_path, stdin=io.StringIO(""), stdout=io.StringIO()) == 2
    err = capsys.readouterr().err
    assert "tests/auxil/botapi" in err
    assert "make try" in err


def test_messages_render_as_telegram_shows_them() -> None:
    text = "1. शीर्षक\nउद्धरण एक\nस्रोत"
    entities = [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "blockquote", "offset": 10, "length": 9},
        {"type": "text_link", "offset": 20, "length": 5, "url": "https://example.org/a"},
    ]
    assert render_message(text, entities, color=False) == (
        "1. शीर्षक\n│ उद्धरण एक\nस्रोत (https://example.org/a)"
    )
    assert "\033[1m1. शीर्षक\033[0m" in render_message(text, entities, color=True)
