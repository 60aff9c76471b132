"""``khabri bench`` and ``khabri eval``: the development tools, found through ``khabri.tools`` entry points.

The benchmark and the evaluation are not part of the khabri package: they live in the checkout's
``tools/`` folder, the khabri-tools distribution (``make`` installs it beside khabri), so the wheel
holds no development code and nothing shipped imports it by name. Each entry point of the group names
a ``register(commands, common)`` that adds its subcommand's parser (named as the entry point) and
sets the parser's ``tool`` default to the coroutine function that runs it, ``tool(args, db) -> int``.

Without khabri-tools the two commands are still listed; each then says in one line how to get them
and exits with status 2.
"""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

GROUP = "khabri.tools"
# The subcommands the tools provide, in the order `khabri --help` lists them, with their help
# when the tools are missing.
TOOLS = {
    "eval": "measure answer quality on a question set (a development tool, not installed)",
    "bench": "measure ingest, search and memory at several archive sizes (a development tool, not installed)",
}
MISSING = (
    "khabri {name}: the development tools are not installed; in a checkout of Khabri run "
    "`pip install -e ./tools` (or `make bench`)"
)

Tool = Callable[[argparse.Namespace, Path | str], Awaitable[int]]
"""What a tool's parser sets as its ``tool`` default: run the parsed command on the store, give its status."""


def add_tool_parsers(commands: Any, common: argparse.ArgumentParser, *, group: str = GROUP) -> None:
    """Register ``khabri eval`` and ``khabri bench``: the tools' own, or stand-ins naming what to install.

    Args:
        commands: the ``khabri`` command's subparsers.
        common: the parent parser of the options every subcommand takes (``--db``, ``--search``).
        group: the entry-point group to look the tools up in.
    """
    found = {entry.name: entry for entry in entry_points(group=group)}
    for name, help_text in TOOLS.items():
        entry = found.get(name)
        if entry is not None:
            entry.load()(commands, common)
            continue
        # No options, not even --help: whatever follows is left over (``main`` parses known
        # arguments), so every spelling of the command gets the one line.
        stand_in = commands.add_parser(name, help=help_text, add_help=False)
        stand_in.set_defaults(missing_tool=name)


def missing_tool(args: argparse.Namespace) -> str | None:
    """The line to print when the parsed command is a tool that is not installed, else ``None``."""
    name: str | None = getattr(args, "missing_tool", None)
    return None if name is None else MISSING.format(name=name)
