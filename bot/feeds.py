"""News feeds: poll RSS/Atom feeds and turn their entries into reports; ``khabri feeds add|list|remove``.

A poll sends the feed's ETag and Last-Modified back (``If-None-Match``/``If-Modified-Since``), so an
unchanged feed costs a 304. Entries are read with feedparser. When an entry carries only a summary
(under ``FULL_TEXT_CHARS`` characters of text), the article page is fetched and its text extracted
with trafilatura; a page without extractable text falls back to the summary, or the entry is skipped.
Each entry becomes a report with its url (the origin, so a changed article replaces its old version),
title, date and source (the feed's title). Entries already seen are not fetched again.

A feed that is down, slow, answers an error status, or sends XML that is not well-formed is
logged and retried later with exponential backoff (``interval × 2^failures``, at most
``max_backoff``). Feeds are polled concurrently, each under its own timeout, so one never blocks
another or the bot.
"""

from __future__ import annotations

import argparse
import asyncio
import html
import logging
import re
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from xml.sax import SAXParseException

import httpx

from bot.archive import Archive
from bot.report_files import ReportRecord
from storage import Feed

logger = logging.getLogger(__name__)

# Entry text shorter than this is a summary: the article page is fetched for the full text.
FULL_TEXT_CHARS = 400
USER_AGENT = "Khabri/0.1 (+https://github.com/khabri; news bot)"


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """How often and how patiently feeds are polled."""

    interval: float = 900.0
    max_backoff: float = 6 * 3600.0
    timeout: float = 20.0
    max_entries: int = 50


@dataclass(frozen=True, slots=True)
class PollResult:
    """One feed's poll: ``status`` is ``ok``, ``unchanged`` or ``failed``; reports added or replaced."""

    feed_id: int
    status: str
    reports: tuple[int, ...] = ()
    error: str = ""


def _html_text(markup: str) -> str:
    """Plain text of an HTML fragment: block ends become line breaks, tags go, entities are decoded."""
    spaced = re.sub(r"(?i)<\s*(br|/p|/div|/li|/h\d)\s*/?>", "\n", markup)
    plain = html.unescape(re.sub(r"<[^>]+>", " ", spaced))
    lines = (" ".join(line.split()) for line in plain.splitlines())
    return "\n".join(line for line in lines if line)


def _published(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    try:
        year, month, day = (int(x) for x in parsed[:3])
        return datetime(year, month, day, tzinfo=UTC).date().isoformat()
    except (TypeError, ValueError):
        return None


def _entry_key(entry: Any) -> str:
    return str(entry.get("id") or entry.get("link") or entry.get("title") or "")


def _entry_text(entry: Any) -> str:
    contents = entry.get("content") or []
    best = max((_html_text(str(c.get("value", ""))) for c in contents), key=len, default="")
    summary = _html_text(str(entry.get("summary", "")))
    return best if len(best) >= len(summary) else summary


async def _article_text(client: httpx.AsyncClient, url: str, seconds: float) -> str:
    """The article's text from its page, or '' when the page cannot be fetched or has none."""
    try:
        response = await client.get(url, timeout=seconds, follow_redirects=True)
        response.raise_for_status()
    except httpx.HTTPError as error:
        logger.info("article page %s: %s", url, error)
        return ""
    import trafilatura  # imported here: it takes a while, and only feed polling needs it

    extracted = await asyncio.to_thread(
        trafilatura.extract, response.text, url=url, include_comments=False, include_tables=False
    )
    return str(extracted or "").strip()


async def _records(
    client: httpx.AsyncClient, feed: Feed, parsed: Any, fresh: list[Any], options: FeedOptions
) -> list[tuple[str, ReportRecord | None]]:
    source = str(parsed.feed.get("title") or urlsplit(feed.url).hostname or feed.url)
    records: list[tuple[str, ReportRecord | None]] = []
    for entry in fresh:
        key = _entry_key(entry)
        title = _html_text(str(entry.get("title", ""))).replace("\n", " ")
        link = str(entry.get("link") or "") or None
        body = _entry_text(entry)
        if len(body) < FULL_TEXT_CHARS and link:
            body = await _article_text(client, link, options.timeout) or body
        if not title or not body:
            logger.info("feed %d: entry %r has no text; skipped", feed.id, key[:80])
            records.append((key, None))
            continue
        origin = link or f"feed:{feed.id}:{key}"
        records.append(
            (key, ReportRecord(origin, title, body, link, source, _published(entry), f"{feed.url} {key}"))
        )
    return records


async def poll_feed(
    archive: Archive, client: httpx.AsyncClient, feed: Feed, options: FeedOptions
) -> PollResult:
    """Fetch one feed, store its new entries as reports, and record the outcome (never raises)."""
    store = archive.store
    try:
        async with asyncio.timeout(options.timeout * 4):
            return await _poll(archive, client, feed, options)
    except Exception as error:  # one broken feed must not stop the others
        message = f"{type(error).__name__}: {error}"[:300]
        delay = min(options.max_backoff, options.interval * 2**feed.failures)
        logger.warning("feed %d (%s) failed: %s; next try in %.0f s", feed.id, feed.url, message, delay)
        async with store.transaction():
            await store.feeds.failed(feed.id, next_poll_at=time.time() + delay, error=message)
        return PollResult(feed.id, "failed", error=message)


async def _poll(archive: Archive, client: httpx.AsyncClient, feed: Feed, options: FeedOptions) -> PollResult:
    store = archive.store
    headers = {"User-Agent": USER_AGENT}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    response = await client.get(feed.url, headers=headers, timeout=options.timeout, follow_redirects=True)
    following = time.time() + options.interval
    if response.status_code == 304:
        async with store.transaction():
            await store.feeds.polled(
                feed.id, next_poll_at=following, etag=feed.etag, last_modified=feed.last_modified, title=None
            )
        return PollResult(feed.id, "unchanged")
    response.raise_for_status()
    import feedparser  # imported here, as trafilatura is

    # feedparser reads the bytes itself, so it honours the XML declaration's encoding.
    parsed = await asyncio.to_thread(feedparser.parse, response.content)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, SAXParseException):
        # Not well-formed: feedparser's loose parser guesses, and a guess is no report.
        raise ValueError(f"malformed XML: {problem}")
    if not parsed.entries and not parsed.get("version"):
        raise ValueError(f"not a feed: {problem or 'no entries'}")
    entries = list(parsed.entries)[: options.max_entries]
    keys = [_entry_key(e) for e in entries]
    seen = await store.feeds.seen(feed.id, keys)
    fresh = [e for e, k in zip(entries, keys, strict=True) if k and k not in seen]
    records = await _records(client, feed, parsed, fresh, options)
    stored = [r for _, r in records if r is not None]
    outcomes = await archive.ingest_records(stored) if stored else []
    report_ids = iter(o.report_id for o in outcomes)
    async with store.transaction():
        for key, record in records:
            await store.feeds.mark_seen(feed.id, key, next(report_ids) if record is not None else None)
        await store.feeds.polled(
            feed.id,
            next_poll_at=following,
            etag=response.headers.get("ETag"),
            last_modified=response.headers.get("Last-Modified"),
            title=str(parsed.feed.get("title") or "") or None,
        )
    added = tuple(o.report_id for o in outcomes if o.status in ("added", "replaced") and o.report_id)
    return PollResult(feed.id, "ok", added)


async def poll_due_feeds(
    archive: Archive, options: FeedOptions | None = None, *, client: httpx.AsyncClient | None = None
) -> list[PollResult]:
    """Poll every feed whose time has come, concurrently; one feed's failure never affects another."""
    options = options or FeedOptions()
    feeds = await archive.store.feeds.due()
    if not feeds:
        return []
    own = client is None
    http = client or httpx.AsyncClient(headers={"User-Agent": USER_AGENT})
    try:
        # Polls share the one store connection; their transactions are serialised by the store.
        return list(await asyncio.gather(*(poll_feed(archive, http, f, options) for f in feeds)))
    finally:
        if own:
            await http.aclose()


# ---------------------------------------------------------------------- khabri feeds


def check_feed_url(url: str) -> str:
    """The feed url, trimmed, when it can be polled.

    Raises:
        ValueError: it is not ``http(s)://HOST/...``.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"a feed URL must be http(s)://HOST/..., not {url!r}")
    return url


def add_feeds_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``khabri feeds add URL | list | remove URL-or-ID``."""
    feeds = commands.add_parser("feeds", help="the news feeds the running bot polls")
    actions = feeds.add_subparsers(dest="feeds_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="poll this RSS/Atom feed")
    add.add_argument("url", help="http(s) URL of the feed")
    actions.add_parser("list", parents=[common], help="the feeds, with their state")
    remove = actions.add_parser("remove", parents=[common], help="stop polling a feed")
    remove.add_argument("feed", help="its URL or its id from `khabri feeds list`")


async def run_feeds(args: argparse.Namespace, archive: Archive) -> int:
    """Carry out ``khabri feeds ...``; return the exit status."""
    store = archive.store
    if args.feeds_action == "add":
        try:
            url = check_feed_url(str(args.url))
        except ValueError as error:
            print(f"khabri: {error}", file=sys.stderr)
            return 2
        async with store.transaction():
            feed, created = await store.feeds.add(url)
        print(f"{'added' if created else 'already have'} feed {feed.id}: {feed.url}")
        return 0
    if args.feeds_action == "list":
        rows = await store.feeds.all()
        if not rows:
            print("no feeds yet: add one with `khabri feeds add URL`")
        for feed in rows:
            state = f"failing ({feed.failures}): {feed.last_error}" if feed.failures else "ok"
            polled = feed.last_polled_at or "never"
            print(f"{feed.id:>4}  {feed.url}  [{feed.title or '-'}]  polled {polled}  {state}")
        return 0
    target = str(args.feed)
    found = await store.feeds.find(target)
    feed_id = found.id if found is not None else int(target) if target.isdigit() else None
    removed = False
    if feed_id is not None:
        async with store.transaction():
            removed = await store.feeds.remove(feed_id)
    if not removed:
        print(f"khabri: no feed {target}; `khabri feeds list` shows them", file=sys.stderr)
        return 1
    print(f"removed feed {target}")
    return 0
