"""``khabri migrate-store SRC DST``: copy a store into another, SQLite to PostgreSQL or back.

The copy runs table by table in batches, each committed with a note of where it got to, so a copy
that is interrupted (Ctrl-C, a kill, a lost connection) resumes where it stopped when run again;
at the end both stores are compared table by table, by row count and by a digest of the rows.
Stop the bot first: a store that changes during the copy does not match it afterwards.
"""

from __future__ import annotations

import argparse
import sys

from bot.settings import store_location
from storage import CopyReport, StoreError, copy_store, open_store


def add_migrate_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``migrate-store``."""
    migrate = commands.add_parser(
        "migrate-store",
        help="copy a store into another (SQLite file <-> postgresql:// URL), resumable, then checked",
        description=__doc__.split("\n\n", 1)[1] if __doc__ else None,
    )
    migrate.add_argument("source", metavar="SRC", type=store_location, help="the store to copy (only read)")
    migrate.add_argument(
        "target", metavar="DST", type=store_location, help="an empty store, or one a copy was cut short in"
    )
    migrate.add_argument("--batch", type=int, default=5000, help="rows per transaction of DST (default 5000)")


async def run_migrate(args: argparse.Namespace) -> int:
    """Copy SRC into DST and check them; exit 0 when they are equal, 1 otherwise."""
    if str(args.source) == str(args.target):
        print("khabri: SRC and DST are the same store", file=sys.stderr)
        return 2
    if args.batch < 1:
        print(f"khabri: --batch must be at least 1, not {args.batch}", file=sys.stderr)
        return 2
    try:
        async with (
            await open_store(args.source, writable=False) as source,
            await open_store(args.target) as target,
        ):
            print(f"copying {source.location} into {target.location}", flush=True)
            report = await copy_store(source, target, batch=args.batch)
    except StoreError as error:
        print(f"khabri: {error}", file=sys.stderr)
        return 1
    _print(report)
    return 0 if report.equal else 1


def _print(report: CopyReport) -> None:
    for check in report.checks:
        state = "equal" if check.equal else "DIFFERENT"
        now = report.copied.get(check.table, 0)
        line = f"{check.table:<16} {check.target_rows:>10} rows  copied now {now:>10}  {state}"
        if not check.equal:
            line += f" (source: {check.source_rows} rows, digest {check.source_digest[:16]})"
        print(f"{line}  digest {check.target_digest[:16]}")
    rows = sum(check.target_rows for check in report.checks)
    if report.equal:
        print(f"done: {len(report.checks)} tables, {rows} rows, equal in both stores")
    else:
        print(
            "the stores differ: was the source changed during the copy? run the command again",
            file=sys.stderr,
        )
