"""``khabri bench`` and ``khabri eval``: the development tools, found through ``khabri.tools`` entry points.

The benchmark and the evaluation are not part of the khabri package: they live in the checkout's
``tools/`` folder, the khabri-tools distribution (``make`` installs it beside khabri), so the wheel
holds no development code and nothing shipped imports it by name. Each entry point of the group names
a ``register(commands, common)`` that adds its subcommand's parser (named as the entry point) and
sets the parser's ``tool`` default to the coroutine function that runs it, ``tool(args, db) -> int``.

Without khabri-tools the two commands are still listed; each then says in one line how to get them
and exits with status 2. A tools install that no longer imports (an editable one whose checkout
moved, say) is reported the same way, by those two commands only: ``khabri run`` never depends on it.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Iterable
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import Any

GROUP = "khabri.tools"
# The subcommands the tools provide, in the order `khabri --help` lists them, with their help
# when the tools are missing.
TOOLS = {
    "eval": "measure answer quality on a question set",
    "bench": "measure ingest, search and memory at several archive sizes",
}
INSTALL = "in a checkout of Khabri run `pip install -e ./tools` (or `make bench`)"
MISSING = "khabri {name}: the development tools are not installed; " + INSTALL
BROKEN = "khabri {name}: the development tools do not load ({error}); " + INSTALL

Tool = Callable[[argparse.Namespace, Path | str], Awaitable[int]]
"""What a tool's parser sets as its ``tool`` default: run the parsed command on the store, give its status."""


def add_tool_parsers(commands: Any, common: argparse.ArgumentParser, entries: Iterable[EntryPoint]) -> None:
    """Register ``khabri eval`` and ``khabri bench``: the tools' own, or stand-ins naming what to install.

    Args:
        commands: the ``khabri`` command's subparsers.
        common: the parent parser of the options every subcommand takes (``--db``, ``--search``).
        entries: the entry points of the ``khabri.tools`` group (``importlib.metadata.entry_points``).
    """
    found = {entry.name: entry for entry in entries}
    for name, help_text in TOOLS.items():
        entry = found.get(name)
        if entry is None:
            _stand_in(commands, name, help_text, MISSING.format(name=name))
            continue
        try:
            register = entry.load()
        except ImportError as error:
            _stand_in(commands, name, help_text, BROKEN.format(name=name, error=error))
            continue
        register(commands, common)


def _stand_in(commands: Any, name: str, help_text: str, line: str) -> None:
    # No options, not even --help: whatever follows is left over (``main`` parses known
    # arguments), so every spelling of the command gets the one line.
    stand_in = commands.add_parser(
        name, help=f"{help_text} (a development tool, not installed)", add_help=False
    )
    stand_in.set_defaults(missing_tool=line)


def missing_tool(args: argparse.Namespace) -> str | None:
    """The line to print when the parsed command is a tool that is not installed, else ``None``."""
    line: str | None = getattr(args, "missing_tool", None)
    return line
