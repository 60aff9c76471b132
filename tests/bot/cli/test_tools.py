"""``khabri bench`` and ``khabri eval`` without the development tools: one line saying how to get them."""

from __future__ import annotations

import argparse
from importlib.metadata import EntryPoint

import pytest

from bot.cli import main
from bot.cli.tools import add_tool_parsers, missing_tool

# An entry-point group nothing installs: the command line as a plain `pip install .` builds it.
ABSENT = "khabri.tools.absent"


@pytest.mark.parametrize(
    "argv",
    [
        ["bench"],
        ["bench", "--sizes", "1000", "--json"],
        ["bench", "load", "--workers", "2", "--json"],
        ["bench", "--help"],
        ["eval", "questions", "q.jsonl", "--db", "/nonexistent/k.db"],
        ["eval", "-h"],
    ],
)
def test_a_missing_tool_says_in_one_line_how_to_install_it(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv, tools=ABSENT) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"khabri {argv[0]}: the development tools are not installed")
    assert "pip install -e ./tools" in err


def test_help_still_lists_the_tools_and_says_they_are_not_installed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"], tools=ABSENT)
    words = capsys.readouterr().out.split()  # argparse wraps the help lines
    assert "bench" in words
    assert "eval" in words
    assert " ".join(words).count("(a development tool, not installed)") == 2


def test_other_commands_still_refuse_unknown_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    # The command line parses known arguments (for the stand-ins); the rest is refused as before.
    with pytest.raises(SystemExit) as exited:
        main(["reports", "--bogus"], tools=ABSENT)
    assert exited.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_tools_that_do_not_import_are_reported_by_their_commands_only() -> None:
    # An editable install whose checkout moved: its entry points name a module that is gone.
    gone = [
        EntryPoint(name, f"khabri_tools_gone.commands:register_{name}", "khabri.tools")
        for name in ("bench", "eval")
    ]
    parser = argparse.ArgumentParser(prog="khabri")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("reports")
    add_tool_parsers(commands, argparse.ArgumentParser(add_help=False), gone)
    assert missing_tool(parser.parse_known_args(["reports"])[0]) is None
    line = missing_tool(parser.parse_known_args(["bench", "--json"])[0])
    assert line is not None
    assert line.startswith(
        "khabri bench: the development tools do not load (No module named 'khabri_tools_gone')"
    )
    assert "pip install -e ./tools" in line
