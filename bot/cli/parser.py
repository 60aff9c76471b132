"""The ``khabri`` command: run the bot, chat in the terminal, ask, ingest, list and show reports, evaluate.

Every subcommand takes ``--db PATH`` (default ``$KHABRI_DB``, else ``$XDG_DATA_HOME/khabri/khabri.db``);
a ``postgresql://`` URL there puts the store in that PostgreSQL database instead.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import sys
from collections.abc import Sequence
from importlib.metadata import entry_points
from pathlib import Path

from bot.archive.search_url import SearchConfigError, parse_search_url
from bot.cli.tools import GROUP as TOOLS_GROUP
from bot.cli.tools import add_tool_parsers, missing_tool
from bot.logs import configure_logging
from bot.settings import ENVIRONMENT, Settings, SettingsError, store_location

EPILOG = "environment variables:\n" + "\n".join(f"  {name:<22} {text}" for name, text in ENVIRONMENT)


def _parser(tools: str) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        type=store_location,
        metavar="PATH|URL",
        help="the store: a SQLite file or a postgresql:// URL (overrides KHABRI_DB)",
    )
    common.add_argument(
        "--search",
        metavar="URL",
        help="search OpenSearch: opensearch+http://host:9200[,host2:9200] (overrides KHABRI_SEARCH)",
    )
    parser = argparse.ArgumentParser(
        prog="khabri",
        description="Khabri answers questions about Hindi news reports, in Devanagari or in Latin letters.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "run",
        parents=[common],
        help="start the Telegram bot (the terminal chat when TELEGRAM_BOT_TOKEN is unset)",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--webhook", metavar="URL", help="serve a webhook at this public URL instead of polling")
    run.add_argument(
        "--listen", metavar="HOST:PORT", default="0.0.0.0:8443", help="where the webhook server listens"
    )

    commands.add_parser(
        "chat", parents=[common], help="ask questions in the terminal (line editing, history, /help)"
    )
    commands.add_parser(
        "try",
        parents=[common],
        help="chat with the real bot through a local Telegram emulator, no token needed (a checkout only)",
    )

    ask = commands.add_parser("ask", parents=[common], help="answer one question")
    ask.add_argument("question", help='e.g. "akhilesh ne mamta se kab mulakat ki"')
    ask.add_argument("-k", type=int, default=3, help="how many reports to quote (default 3)")
    ask.add_argument("--json", action="store_true", help="print the answer as JSON")

    ingest = commands.add_parser("ingest", parents=[common], help="add report files or folders")
    ingest.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help=".txt .md .json .jsonl or folders"
    )

    reports = commands.add_parser("reports", parents=[common], help="list the stored reports")
    reports.add_argument("--limit", type=int, default=50, help="how many (default 50)")

    show = commands.add_parser("show", parents=[common], help="print one report")
    show.add_argument("id", type=int, help="the report id, as `khabri reports` lists it")

    commands.add_parser(
        "reindex",
        parents=[common],
        help="rebuild the OpenSearch index from the store (resumable; needs KHABRI_SEARCH or --search)",
    )

    add_tool_parsers(commands, common, entry_points(group=tools))
    from bot.cli.migrate import add_migrate_parser

    add_migrate_parser(commands)
    from bot.cli.feeds import add_feeds_parser

    add_feeds_parser(commands, common)
    return parser


def main(argv: Sequence[str] | None = None, *, tools: str = TOOLS_GROUP) -> int:
    """Run the ``khabri`` command line; return the exit status.

    Args:
        argv: the arguments (default ``sys.argv[1:]``).
        tools: the entry-point group ``eval`` and ``bench`` are looked up in (``bot/cli/tools.py``).
    """
    parser = _parser(tools)
    # parse_args, split in two: a development tool that is not installed takes no options, and
    # says so (below) whatever options it was given.
    args, unknown = parser.parse_known_args(argv)
    if (missing := missing_tool(args)) is not None:
        print(missing, file=sys.stderr)
        return 2
    if unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        parser.print_help()
        return 2
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"khabri: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, token=settings.token, overrides=settings.log_overrides)
    if getattr(args, "search", None):
        try:
            parse_search_url(args.search)
        except SearchConfigError as error:
            print(f"khabri: --search: {error}", file=sys.stderr)
            return 2
        settings = dataclasses.replace(settings, search=args.search)
    db = args.db if getattr(args, "db", None) else settings.db_path
    try:
        return _dispatch(args, settings, db)
    except BrokenPipeError:
        # The reader went away (`khabri show 1 | head -5`): stop quietly, as `cat` does. Python would
        # report the pipe again when it flushes stdout at exit, so stdout now goes nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def _dispatch(args: argparse.Namespace, settings: Settings, db: Path | str) -> int:
    """Run the subcommand: the terminal ones in the main thread, the rest in an event loop."""
    if args.command == "chat":
        from bot.cli.chat import run_chat

        return run_chat(db, search=settings.search, dictionary=settings.dictionary)
    if args.command == "try":
        from bot.cli.trial import run_try

        return run_try(args.db)
    if args.command == "run" and settings.token is None:
        if not sys.stdin.isatty():
            print(
                "khabri: TELEGRAM_BOT_TOKEN is not set, and there is no terminal for the chat instead.\n"
                "Set the token from @BotFather (docker run -e TELEGRAM_BOT_TOKEN=...), or run with a "
                "terminal (docker run -it) to chat.",
                file=sys.stderr,
            )
            return 2
        from bot.cli.chat import run_chat

        return run_chat(
            db,
            intro="TELEGRAM_BOT_TOKEN is not set: opening the terminal chat instead of the Telegram bot.",
            search=settings.search,
            dictionary=settings.dictionary,
        )
    from bot.cli import commands

    try:
        return asyncio.run(commands.dispatch(args, settings, db))
    except KeyboardInterrupt:
        return 130
