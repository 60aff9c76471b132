"""What each ``khabri`` subcommand does, once the command line is parsed."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.archive.core import Archive, Asked, IngestOutcome, IngestStopped
from bot.archive.search_url import SearchError
from bot.cli.tools import Tool
from bot.render.formatting import body_without_title
from bot.render.present import format_date
from bot.render.terminal import render_answer
from bot.settings import Settings
from retrieval import ReportAnswer
from storage import NotFoundError, StoreError


async def dispatch(args: argparse.Namespace, settings: Settings, db: Path | str) -> int:
    """Run the parsed subcommand; return the exit status."""
    command = args.command
    try:
        if command == "ingest":
            return await ingest(db, args.paths, search=settings.search)
        if command == "reindex":
            from bot.cli.reindex import reindex

            return await reindex(db, settings.search)
        tool: Tool | None = getattr(args, "tool", None)  # eval and bench, from the tools' parsers
        if tool is not None:
            return await tool(args, db)
        if command == "migrate-store":
            from bot.cli.migrate import run_migrate

            return await run_migrate(args)
        archive = await Archive.open(db, search=settings.search, dictionary=settings.dictionary)
    except (StoreError, SearchError) as error:
        print(f"khabri: {error}", file=sys.stderr)
        return 1
    try:
        if command == "ask":
            return await ask(archive, args.question, k=args.k, as_json=args.json)
        if command == "reports":
            return await reports(archive, args.limit)
        if command == "show":
            return await show(archive, args.id)
        if command == "run":
            return await run(archive, settings, args)
        if command == "feeds":
            from bot.cli.feeds import run_feeds
            from bot.notify.netguard import FetchPolicy

            return await run_feeds(args, archive, policy=FetchPolicy(allow_loopback=settings.fetch_loopback))
        raise ValueError(f"unknown command {command!r}")
    finally:
        await archive.close()


def _report_results(asked: Asked, parts: Sequence[ReportAnswer]) -> list[dict[str, object]]:
    """The reports of an answer (or its related reports) as JSON objects."""
    results: list[dict[str, object]] = []
    for part in parts:
        report = asked.reports.get(part.report_id)
        if report is None:
            continue
        results.append(
            {
                "report_id": report.id,
                "title": report.title,
                "url": report.url,
                "published": report.published,
                "source": report.source,
                "sentences": [q.text for q in part.quotes],
                "score": round(part.score, 4),
            }
        )
    return results


def answer_json(asked: Asked, question: str) -> dict[str, object]:
    """The ``khabri ask --json`` shape.

    ``results`` holds the reports that answer; when none does, ``missing`` names the question's focal
    words no report carries and ``related`` the near reports, which are not the answer.
    """
    results = _report_results(asked, asked.answer.reports)
    meetings = [
        {
            "a": row.meeting.a.name,
            "b": row.meeting.b.name,
            "place": row.meeting.place,
            "when": row.meeting.when,
            "sentence": row.meeting.sentence,
            "report_id": row.report_id,
        }
        for row in asked.meetings
    ]
    return {
        "query": question,
        "answered": bool(results),
        "results": results,
        "meetings": meetings,
        "missing": list(asked.missing),
        "related": _report_results(asked, asked.answer.related),
    }


async def ask(archive: Archive, question: str, *, k: int, as_json: bool) -> int:
    """Print the answer to one question."""
    if k < 1:
        print("khabri: -k must be at least 1", file=sys.stderr)
        return 2
    asked = await archive.ask(question, k=k)
    if as_json:
        print(json.dumps(answer_json(asked, question), ensure_ascii=False, indent=2))
    else:
        print(render_answer(asked, color=sys.stdout.isatty()))
    return 0


def _outcome_line(outcome: IngestOutcome) -> str:
    if outcome.status == "error":
        return f"error      {outcome.where}: {outcome.message}"
    if outcome.status in ("unchanged", "duplicate"):
        return f"skipped    {outcome.where}: already have it (report {outcome.report_id})"
    return f"{outcome.status:<10} #{outcome.report_id} {outcome.title[:70]} ({outcome.passages} passages)"


async def ingest(db: Path | str, paths: list[Path], *, search: str | None = None) -> int:
    """Ingest files and folders; exit 1 when anything failed."""
    from rich.progress import Progress

    # Ingesting analyses documents only: no question is read, so no dictionary is needed.
    archive = await Archive.open(db, search=search, dictionary=None)
    stopped: IngestStopped | None = None
    try:
        with Progress(transient=True, disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("ingesting", total=None)
            outcomes = await archive.ingest_paths(paths, on_each=lambda: progress.advance(task))
    except IngestStopped as error:
        stopped, outcomes = error, error.outcomes
    finally:
        await archive.close()
    for outcome in outcomes:
        print(_outcome_line(outcome), file=sys.stderr if outcome.status == "error" else sys.stdout)
    counts = {s: sum(o.status == s for o in outcomes) for s in ("added", "replaced", "error")}
    skipped = len(outcomes) - sum(counts.values())
    print(
        f"{counts['added']} added, {counts['replaced']} replaced, {skipped} skipped, {counts['error']} failed"
    )
    if stopped is not None:
        print(f"khabri: stopped at {stopped.where}: {stopped.fault}", file=sys.stderr)
        return 1
    return 1 if counts["error"] else 0


async def reports(archive: Archive, limit: int) -> int:
    """List the stored reports."""
    rows = await archive.store.reports.summaries(limit=limit)
    if not rows:
        print("no reports yet: add some with `khabri ingest PATH`")
        return 0
    print(f"{'id':>5}  {'date':<10}  {'passages':>8}  title")
    for row in rows:
        print(f"{row.id:>5}  {(row.published or '-'):<10}  {row.passages:>8}  {row.title}")
    return 0


async def show(archive: Archive, report_id: int) -> int:
    """Print one report in full."""
    try:
        report = await archive.store.reports.get(report_id)
    except NotFoundError:
        print(f"khabri: no report {report_id}; `khabri reports` lists them", file=sys.stderr)
        return 1
    print(report.title)
    meta = [format_date(report.published), report.source or "", report.url or ""]
    if any(meta):
        print(" · ".join(m for m in meta if m))
    print()
    print(body_without_title(report.title, report.body))
    return 0


async def run(archive: Archive, settings: Settings, args: argparse.Namespace) -> int:
    """Start the bot; say it runs only once it has reached the Bot API."""
    if settings.token is None:
        raise ValueError("`khabri run` without a token is the terminal chat (bot.cli)")
    from bot.tg.app import AnotherPoller, Webhook, build_application, serve

    webhook = None
    try:
        if args.webhook:
            webhook = Webhook.parse(args.webhook, args.listen, settings.token)
        # The archive is already open (dispatch opened it): the application uses it, dispatch closes it.
        application = build_application(settings, archive=archive)
    except ValueError as error:
        print(f"khabri: {error}", file=sys.stderr)
        return 2
    how = f"webhook {webhook.url} (listening on {webhook.host}:{webhook.port})" if webhook else "long polling"

    def announce() -> None:
        # Only now: Telegram has answered getMe (the token is good) and updates are coming in.
        name = application.bot.username
        print(f"khabri: @{name} is running with {how}; Ctrl-C stops it.", file=sys.stderr)

    print("khabri: connecting to the Bot API ...", file=sys.stderr)
    from telegram.error import InvalidToken, NetworkError

    try:
        await serve(application, webhook=webhook, on_ready=announce)
    except AnotherPoller as error:
        print(f"khabri: {error}", file=sys.stderr)
        return 2
    except InvalidToken:
        print("khabri: Telegram rejected TELEGRAM_BOT_TOKEN; check it with @BotFather", file=sys.stderr)
        return 1
    except NetworkError as error:
        print(f"khabri: cannot reach the Bot API: {error}", file=sys.stderr)
        return 1
    return 0
