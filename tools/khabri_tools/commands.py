"""The ``khabri.tools`` entry points: ``khabri bench`` and ``khabri eval`` on the ``khabri`` command line.

Each ``register`` adds its subcommand's parser and sets the parser's ``tool`` default, the coroutine
function ``bot.cli`` awaits with the parsed arguments and the store (``bot/cli/tools.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def register_bench(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``khabri bench [--sizes ...] [--json] [--search URL]`` and ``khabri bench load``."""
    from khabri_tools.bench import add_bench_parser
    from khabri_tools.bench_load import add_load_parser

    add_bench_parser(commands, common)
    bench: argparse.ArgumentParser = commands.choices["bench"]
    add_load_parser(bench, common)
    bench.set_defaults(tool=run_bench)


async def run_bench(args: argparse.Namespace, db: Path | str) -> int:
    """Run ``khabri bench`` or ``khabri bench load``; each builds its own stores (``--db`` names one)."""
    if getattr(args, "bench_mode", None) == "load":
        from khabri_tools.bench_load import run_load

        return await run_load(args)
    from khabri_tools.bench import run_bench as bench

    return await bench(args)


def register_eval(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``khabri eval SUITE ...``."""
    from khabri_tools.evaluate import add_eval_parser

    add_eval_parser(commands, common)
    evaluate: argparse.ArgumentParser = commands.choices["eval"]
    evaluate.set_defaults(tool=run_eval)


async def run_eval(args: argparse.Namespace, db: Path | str) -> int:
    """Run ``khabri eval SUITE`` on the SQLite store at ``db``."""
    from khabri_tools.evaluate import run_eval as evaluate

    if not isinstance(db, Path):
        print("khabri: the evaluation reads a SQLite store; give --db a file path", file=sys.stderr)
        return 2
    return await evaluate(args, db)
