"""News feeds: poll RSS/Atom feeds and turn their entries into reports (``khabri feeds``: ``bot.cli.feeds``).

A poll sends the feed's ETag and Last-Modified back (``If-None-Match``/``If-Modified-Since``), so an
unchanged feed costs a 304. Entries are read with feedparser. When an entry carries only a summary
(under ``FULL_TEXT_CHARS`` characters of text), the article page is fetched and its text extracted
with trafilatura; a page without extractable text falls back to the summary, or the entry is skipped.
Each entry becomes a report with its url (the origin, so a changed article replaces its old version),
title, date and source (the feed's title). Entries already seen are not fetched again.

Every fetch goes through ``bot.notify.netguard``: http(s) only, public addresses only (checked when it
connects and at each redirect), no credentials in urls, bodies capped while they stream (a feed at
``max_feed_bytes``, a page at ``max_page_bytes``; a report's text at the 5 MB report files have).
Article pages are fetched a few at a time, each under its own timeout; the entries whose pages came
are stored even when others failed, and each failure is logged with its entry and reason. Entries
are analysed in the ingest worker processes, off the event loop.

A feed that is down, slow, answers an error status, or sends XML that is not well-formed is
logged and retried later with exponential backoff (``interval × 2^failures``, at most
``max_backoff``). Feeds are polled concurrently, each under its own timeout, so one never blocks
another or the bot.

Over 300 lines on purpose: one poll is one pipeline (conditional fetch, parse, fresh entries, their
pages under one budget, store and mark seen, back off), whose failure handling runs through every step;
the url guard is ``bot.notify.netguard`` and the command ``bot.cli.feeds``.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from xml.sax import SAXParseException

import httpx

from bot.archive.core import Archive
from bot.archive.report_files import MAX_FILE_BYTES as MAX_REPORT_BYTES
from bot.archive.report_files import ReportRecord
from bot.archive.search_url import SearchError
from bot.notify.netguard import (
    FetchPolicy,
    TooLarge,
    UnsafeURL,
    check_url,
    guarded_client,
    read_capped,
    redact_url,
)
from storage import Feed, Store, StoreError

logger = logging.getLogger(__name__)

# Entry text shorter than this is a summary: the article page is fetched for the full text.
FULL_TEXT_CHARS = 400
USER_AGENT = "Khabri/0.1 (+https://github.com/khabri; news bot)"


class FeedError(ValueError):
    """The feed answered, but not with a feed: XML that is not well-formed, or no entries and no version."""


# What a fetch can fail with when the site, not our code, is at fault: the network (httpx's errors,
# a timeout), a url or an address the guard refuses, a body over its cap, or a link httpx cannot
# parse. Anything else (an ImportError, a TypeError) is a bug and propagates, to be logged as one.
FETCH_FAILURES: tuple[type[Exception], ...] = (
    httpx.HTTPError,
    httpx.StreamError,
    httpx.InvalidURL,
    TimeoutError,
    UnsafeURL,
    TooLarge,
)
# A feed's poll also fails when the feed is not one, or when storing or indexing its entries does.
POLL_FAILURES: tuple[type[Exception], ...] = (*FETCH_FAILURES, FeedError, StoreError, SearchError)


@dataclass(frozen=True, slots=True)
class FeedOptions:
    """How often and how patiently feeds are polled."""

    interval: float = 900.0
    max_backoff: float = 6 * 3600.0
    timeout: float = 20.0
    max_entries: int = 50
    # Article pages: each under its own timeout, a few at a time, and none started after the
    # poll's page budget is spent (those entries wait for the next poll).
    page_timeout: float = 15.0
    page_concurrency: int = 4
    pages_budget: float = 60.0
    # Bodies are refused past these sizes while they stream in.
    max_feed_bytes: int = 10 * 2**20
    max_page_bytes: int = 5 * 2**20


@dataclass(frozen=True, slots=True)
class PollResult:
    """One feed's poll: ``status`` is ``ok``, ``unchanged`` or ``failed``; reports added or replaced."""

    feed_id: int
    status: str
    reports: tuple[int, ...] = ()
    error: str = ""
    failed_entries: tuple[tuple[str, str], ...] = ()
    """Entries whose page or text failed, each with why; one with nothing stored is tried again later."""


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


@dataclass(frozen=True, slots=True)
class _Fetched:
    status: int
    headers: httpx.Headers
    body: bytes


async def _fetch(client: httpx.AsyncClient, url: str, headers: dict[str, str], limit: int) -> _Fetched:
    """GET ``url`` through the client, its body read while streaming and refused past ``limit`` bytes."""
    async with client.stream("GET", url, headers=headers, follow_redirects=True) as response:
        if response.status_code == 304:
            return _Fetched(304, response.headers, b"")
        response.raise_for_status()
        return _Fetched(response.status_code, response.headers, await read_capped(response, limit))


def _reason(error: BaseException, seconds: float) -> str:
    """Why a fetch failed, in a few words; a timeout says so (its own message is empty)."""
    if isinstance(error, TimeoutError | httpx.TimeoutException):
        return f"timed out after {seconds:g} s"
    if isinstance(error, httpx.HTTPStatusError):
        return f"HTTP {error.response.status_code}"
    return f"{type(error).__name__}: {error}"[:200]


async def _article_text(client: httpx.AsyncClient, url: str, options: FeedOptions) -> str:
    """The article's text from its page ('' when it has none).

    Raises:
        One of ``FETCH_FAILURES``: the page could not be fetched in time, or is too big, or is not allowed.
    """
    async with asyncio.timeout(options.page_timeout):
        page = await _fetch(client, url, {"User-Agent": USER_AGENT}, options.max_page_bytes)
    import trafilatura  # imported here: it takes a while, and only feed polling needs it

    # Bytes, not text: trafilatura finds the page's encoding itself.
    extracted = await asyncio.to_thread(
        trafilatura.extract, page.body, url=url, include_comments=False, include_tables=False
    )
    return str(extracted or "").strip()


@dataclass(frozen=True, slots=True)
class _Entry:
    key: str
    title: str
    link: str | None
    body: str
    published: str | None


def _entries(fresh: list[Any]) -> list[_Entry]:
    """The fresh entries' keys, titles, links, texts and dates (run in a thread: texts can be big)."""
    return [
        _Entry(
            _entry_key(entry),
            _html_text(str(entry.get("title", ""))).replace("\n", " "),
            str(entry.get("link") or "") or None,
            _entry_text(entry),
            _published(entry),
        )
        for entry in fresh
    ]


async def _records(
    client: httpx.AsyncClient, feed: Feed, parsed: Any, fresh: list[Any], options: FeedOptions
) -> tuple[list[tuple[str, ReportRecord | None]], list[tuple[str, str]]]:
    """Each fresh entry as a report (``None``: nothing to store), and the entries that failed, with why.

    Summary-only entries have their pages fetched a few at a time, each under its own timeout; an
    entry whose page failed keeps its summary when it has one, and is otherwise left for the next
    poll (not marked seen), so one slow page neither holds up nor loses the others.
    """
    source = str(parsed.feed.get("title") or urlsplit(feed.url).hostname or feed.url)
    entries = await asyncio.to_thread(_entries, fresh)
    gate = asyncio.Semaphore(options.page_concurrency)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + options.pages_budget

    async def complete(entry: _Entry) -> tuple[str | None, str | None]:
        """The entry's text (None: leave it for the next poll) and what went wrong, if anything."""
        if len(entry.body) >= FULL_TEXT_CHARS or not entry.link:
            return entry.body, None
        async with gate:
            if loop.time() >= deadline:
                return None, f"page {redact_url(entry.link)}: not fetched, the poll's page budget is spent"
            try:
                return await _article_text(client, entry.link, options) or entry.body, None
            except FETCH_FAILURES as error:  # one page's failure is this entry's, not the feed's
                return entry.body, f"page {redact_url(entry.link)}: {_reason(error, options.page_timeout)}"

    completed = await asyncio.gather(*(complete(entry) for entry in entries))
    records: list[tuple[str, ReportRecord | None]] = []
    failures: list[tuple[str, str]] = []
    for entry, (body, problem) in zip(entries, completed, strict=True):
        if problem is not None:
            logger.warning("feed %d: entry %r: %s", feed.id, entry.key[:80], problem)
            failures.append((entry.key, problem))
            if not body:
                continue  # nothing to store: tried again at the next poll
        if not entry.title or not body:
            logger.info("feed %d: entry %r has no text; skipped", feed.id, entry.key[:80])
            records.append((entry.key, None))
            continue
        if len(body.encode()) > MAX_REPORT_BYTES:
            problem = f"its text is over the {MAX_REPORT_BYTES // 2**20} MB a report may have"
            logger.warning("feed %d: entry %r: %s; skipped", feed.id, entry.key[:80], problem)
            failures.append((entry.key, problem))
            records.append((entry.key, None))
            continue
        origin = entry.link or f"feed:{feed.id}:{entry.key}"
        where = f"{redact_url(feed.url)} {entry.key}"
        records.append(
            (entry.key, ReportRecord(origin, entry.title, body, entry.link, source, entry.published, where))
        )
    return records, failures


async def poll_feed(
    archive: Archive, client: httpx.AsyncClient, feed: Feed, options: FeedOptions
) -> PollResult:
    """Fetch one feed, store its new entries as reports, and record the outcome.

    ``client`` should come from :func:`feed_client`, which keeps fetches off internal addresses.
    A feed that fails (see ``POLL_FAILURES``) is recorded as failed and backs off; nothing of it is
    raised. Any other exception is a bug in Khabri, not in the feed, and propagates.
    """
    store = archive.store
    try:
        return await _poll(archive, client, feed, options)
    except POLL_FAILURES as error:  # one broken feed must not stop the others
        message = _reason(error, options.timeout)[:300]
        delay = min(options.max_backoff, options.interval * 2**feed.failures)
        logger.warning(
            "feed %d (%s) failed: %s; next try in %.0f s", feed.id, redact_url(feed.url), message, delay
        )
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
    async with asyncio.timeout(options.timeout):
        response = await _fetch(client, feed.url, headers, options.max_feed_bytes)
    following = time.time() + options.interval
    if response.status == 304:
        async with store.transaction():
            await store.feeds.polled(
                feed.id, next_poll_at=following, etag=feed.etag, last_modified=feed.last_modified, title=None
            )
        return PollResult(feed.id, "unchanged")
    import feedparser  # imported here, as trafilatura is

    # feedparser reads the bytes itself, so it honours the XML declaration's encoding.
    parsed = await asyncio.to_thread(feedparser.parse, response.body)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, SAXParseException):
        # Not well-formed: feedparser's loose parser guesses, and a guess is no report.
        raise FeedError(f"malformed XML: {problem}")
    if not parsed.entries and not parsed.get("version"):
        raise FeedError(f"not a feed: {problem or 'no entries'}")
    entries = list(parsed.entries)[: options.max_entries]
    keys = [_entry_key(e) for e in entries]
    seen = await store.feeds.seen(feed.id, keys)
    fresh = [e for e, k in zip(entries, keys, strict=True) if k and k not in seen]
    records, failures = await _records(client, feed, parsed, fresh, options)
    stored = [r for _, r in records if r is not None]
    # Analysed in the worker processes: a big entry must not hold up the questions being answered.
    outcomes = await archive.ingest_records(stored, off_loop=True) if stored else []
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
    return PollResult(feed.id, "ok", added, failed_entries=tuple(failures))


def feed_client(policy: FetchPolicy) -> httpx.AsyncClient:
    """The HTTP client for feeds and article pages: guarded (see ``netguard``), with our User-Agent."""
    return guarded_client(policy, headers={"User-Agent": USER_AGENT})


async def poll_due_feeds(
    archive: Archive,
    options: FeedOptions | None = None,
    *,
    policy: FetchPolicy | None = None,
    client: httpx.AsyncClient | None = None,
) -> list[PollResult]:
    """Poll every feed whose time has come, concurrently; one feed's failure never affects another."""
    options = options or FeedOptions()
    feeds = await archive.store.feeds.due()
    if not feeds:
        return []
    own = client is None
    http = client or feed_client(policy or FetchPolicy())
    try:
        # Polls share the one store connection; their transactions are serialised by the store.
        return list(await asyncio.gather(*(poll_feed(archive, http, f, options) for f in feeds)))
    finally:
        if own:
            await http.aclose()


# ---------------------------------------------------------------------- adding and removing feeds


def check_feed_url(url: str, policy: FetchPolicy | None = None) -> str:
    """The feed url, trimmed, when the guard lets it be polled (the one check `feeds add` and /feeds use).

    Raises:
        UnsafeURL: not http(s), credentials in it, or an internal address; the message says why.
    """
    url = url.strip()
    check_url(url, policy)
    return url


async def add_feed(store: Store, url: str) -> tuple[Feed, bool]:
    """Add a feed by its URL, checked by the caller (`khabri feeds add`, /feeds); whether it is new."""
    async with store.transaction():
        return await store.feeds.add(url)


async def remove_feed(store: Store, target: str) -> bool:
    """Remove the feed named by its url or its id, as `khabri feeds remove` and /feeds take it.

    Returns:
        Whether there was such a feed.
    """
    found = await store.feeds.find(target)
    feed_id = found.id if found is not None else int(target) if target.isdigit() else None
    if feed_id is None:
        return False
    async with store.transaction():
        return await store.feeds.remove(feed_id)
