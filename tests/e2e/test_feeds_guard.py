"""Feeds under attack, through the real poller, store and guarded HTTP client against local servers:
no fetch reaches an internal address (at connect time, after redirects, however it is spelt), no
credentials are printed, bodies are capped while they stream, and slow article pages cost only
their own entries."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from bot.archive.core import Archive
from bot.cli.feeds import run_feeds
from bot.notify.feeds import FeedOptions, PollResult, feed_client, poll_feed
from bot.notify.netguard import FetchPolicy
from storage import Feed
from tests.e2e.subscription_fixtures import eventually

pytestmark = pytest.mark.e2e

LOCAL = FetchPolicy(allow_loopback=True)
SECRET = "aws_secret_access_key=wJalrXUtnFEMI"
SECRET_PAGE = f"<html><body><article><p>{SECRET} " + "गोपनीय पाठ। " * 80 + "</p></article></body></html>"
ARTICLE = (
    "<html><body><article>"
    + "<p>पटना में बाढ़ राहत पर बैठक हुई और राहत शिविरों की व्यवस्था पर लंबी चर्चा की गई।</p>" * 8
    + "</article></body></html>"
)
OPTIONS = FeedOptions(timeout=5.0, page_timeout=5.0)


def rss(items: list[tuple[str, str, str]]) -> str:
    """An RSS feed of (guid, link, summary) items."""
    body = "".join(
        f"<item><title>खबर {guid}</title><link>{link}</link><guid>{guid}</guid>"
        f"<description>{summary}</description></item>"
        for guid, link, summary in items
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>स्थानीय</title>'
        f"<link>http://x/</link><description>d</description>{body}</channel></rss>"
    )


@dataclass
class Site:
    """A local web server: ``pages`` maps a path to (status, body, headers); ``hits`` counts requests."""

    base: str = ""
    pages: dict[str, tuple[int, bytes, dict[str, str]]] = field(default_factory=dict)
    hits: list[str] = field(default_factory=list)
    delay: dict[str, float] = field(default_factory=dict)
    in_flight: int = 0
    gate: asyncio.Event | None = None

    def page(self, path: str, body: str | bytes, status: int = 200, **headers: str) -> str:
        self.pages[path] = (status, body.encode() if isinstance(body, str) else body, headers)
        return self.base + path


async def start_site(host: str) -> tuple[Site, web.AppRunner]:
    site = Site()

    async def serve(request: web.Request) -> web.StreamResponse:
        site.hits.append(request.path)
        site.in_flight += 1
        try:
            if site.gate is not None and request.path != "/rss.xml":
                await site.gate.wait()
            # A slow page, until its client gives up (so in_flight counts only live requests).
            deadline = asyncio.get_running_loop().time() + site.delay.get(request.path, 0.0)
            while asyncio.get_running_loop().time() < deadline:
                if request.transport is None or request.transport.is_closing():
                    return web.Response(status=499)
                await asyncio.sleep(0.02)
            if request.path not in site.pages:
                return web.Response(status=404)
            status, body, headers = site.pages[request.path]
            return web.Response(status=status, body=body, headers=headers)
        finally:
            site.in_flight -= 1

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", serve)
    runner = web.AppRunner(app, shutdown_timeout=0.5)
    await runner.setup()
    await web.TCPSite(runner, host, 0).start()
    site.base = f"http://{host}:{runner.addresses[0][1]}"
    return site, runner


@pytest.fixture
async def web_site() -> AsyncIterator[Site]:
    site, runner = await start_site("127.0.0.1")
    yield site
    await runner.cleanup()


@pytest.fixture
async def inner_site() -> AsyncIterator[Site]:
    """A server on 127.0.0.2: loopback, but not the one address tests may fetch from."""
    site, runner = await start_site("127.0.0.2")
    site.page("/secret", SECRET_PAGE, content_type="text/html")
    yield site
    await runner.cleanup()


@pytest.fixture
async def archive(store_location: Path | str) -> AsyncIterator[Archive]:
    opened = await Archive.open(store_location)
    yield opened
    await opened.close()


async def add(archive: Archive, url: str) -> Feed:
    """Add a feed straight to the store (``feeds add`` is tested for what it refuses)."""
    async with archive.store.transaction():
        feed, _ = await archive.store.feeds.add(url)
    return feed


async def poll(
    archive: Archive, feed: Feed, policy: FetchPolicy = LOCAL, options: FeedOptions = OPTIONS
) -> PollResult:
    async with feed_client(policy) as client:
        return await poll_feed(archive, client, await archive.store.feeds.get(feed.id), options)


async def bodies(archive: Archive) -> str:
    summaries = await archive.store.reports.summaries(limit=100)
    return "\n".join([(await archive.store.reports.get(s.id)).body for s in summaries])


# ---------------------------------------------------------------- feeds add


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1/feed.xml", "loopback"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/rss", "loopback"),
        ("http://10.1.2.3/rss", "private"),
        ("http://192.168.0.1/rss", "private"),
        ("http://0x7f000001/rss", "loopback"),
        ("http://2130706433/rss", "loopback"),
        ("http://0177.0.0.1/rss", "loopback"),
        ("http://127.1/rss", "loopback"),
        ("http://[::ffff:127.0.0.1]/rss", "loopback"),
        ("http://[fe80::1]/rss", "link-local"),
        ("http://224.0.0.1/rss", "multicast"),
        ("http://0.0.0.0/rss", "unspecified"),
        ("http://100.64.0.1/rss", "not a public address"),
        ("http://localhost:8000/rss", "this machine"),
        ("http://a b/rss", "spaces"),
        ("http://user:hunter2@example.com/rss", "user name or password"),
        ("file:///etc/passwd", "only http"),
        ("ftp://example.com/rss", "only http"),
        ("javascript:alert(1)", "only http"),
    ],
)
async def test_feeds_add_refuses_what_the_guard_would_not_fetch(
    archive: Archive, capsys: pytest.CaptureFixture[str], url: str, why: str
) -> None:
    status = await run_feeds(argparse.Namespace(feeds_action="add", url=url), archive)
    err = capsys.readouterr().err
    assert status == 2
    assert why in err
    assert "hunter2" not in err
    assert await archive.store.feeds.all() == []


async def test_feeds_add_takes_a_public_url(archive: Archive) -> None:
    assert (
        await run_feeds(argparse.Namespace(feeds_action="add", url="https://example.com/rss.xml"), archive)
        == 0
    )
    assert [f.url for f in await archive.store.feeds.all()] == ["https://example.com/rss.xml"]


async def test_credentials_in_an_old_feed_url_are_never_printed_or_logged(
    archive: Archive, web_site: Site, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    web_site.page("/rss.xml", rss([]), content_type="application/rss+xml")
    # A url stored by an older version, which accepted credentials.
    feed = await add(archive, web_site.base.replace("http://", "http://reader:hunter2@") + "/rss.xml")
    with caplog.at_level(logging.INFO):
        result = await poll(archive, feed)
    assert await run_feeds(argparse.Namespace(feeds_action="list"), archive) == 0
    listed = capsys.readouterr().out
    assert result.status == "failed"
    assert "user name or password" in result.error
    assert web_site.hits == []
    assert "***@127.0.0.1" in listed
    assert "hunter2" not in listed
    assert "hunter2" not in caplog.text


# ---------------------------------------------------------------- fetching


async def test_the_default_guard_refuses_a_feed_on_the_loopback_address(
    archive: Archive, web_site: Site
) -> None:
    feed = await add(archive, web_site.page("/rss.xml", rss([]), content_type="application/rss+xml"))
    result = await poll(archive, feed, policy=FetchPolicy())
    assert result.status == "failed"
    assert "127.0.0.1 is a loopback address" in result.error
    assert web_site.hits == []


async def test_the_test_switch_lets_127_0_0_1_through_and_nothing_else(
    archive: Archive, inner_site: Site
) -> None:
    port = inner_site.base.rsplit(":", 1)[1]
    feed = await add(archive, f"{inner_site.base}/rss.xml")
    inner_site.page("/rss.xml", rss([]), content_type="application/rss+xml")
    spelt = await add(archive, f"http://2130706434:{port}/rss.xml")  # 127.0.0.2, as one number
    assert (await poll(archive, feed)).status == "failed"
    assert "127.0.0.2 is a loopback address" in (await poll(archive, spelt)).error
    assert inner_site.hits == []


@pytest.mark.parametrize("how", ["link", "redirect", "numeric", "credentials", "scheme"])
async def test_an_entry_link_never_reaches_an_internal_page(
    archive: Archive, web_site: Site, inner_site: Site, how: str
) -> None:
    port = inner_site.base.rsplit(":", 1)[1]
    secret = f"{inner_site.base}/secret"
    links = {
        "link": secret,
        "redirect": web_site.page("/go", "", status=302, Location=secret),
        "numeric": f"http://0x7f000002:{port}/secret",
        "credentials": web_site.page("/go", "", status=302, Location=f"http://u:p@127.0.0.1:{port}/secret"),
        "scheme": web_site.page("/go", "", status=302, Location="file:///etc/passwd"),
    }
    feed_url = web_site.page("/rss.xml", rss([("e1", links[how], "सार")]), content_type="application/rss+xml")
    result = await poll(archive, await add(archive, feed_url))
    assert result.status == "ok"
    [(entry, why)] = result.failed_entries
    assert entry == "e1"
    assert why.startswith("page ")
    assert inner_site.hits == []
    assert SECRET not in await bodies(archive)


async def test_a_page_redirected_to_a_public_looking_local_page_is_still_fetched(
    archive: Archive, web_site: Site
) -> None:
    """The guard refuses addresses, not redirects: a redirect on the allowed host is followed."""
    target = web_site.page("/article", ARTICLE, content_type="text/html")
    link = web_site.page("/go", "", status=301, Location=target)
    feed_url = web_site.page("/rss.xml", rss([("e1", link, "सार")]), content_type="application/rss+xml")
    result = await poll(archive, await add(archive, feed_url))
    assert result.failed_entries == ()
    assert "बाढ़ राहत" in await bodies(archive)


# ---------------------------------------------------------------- size caps


async def test_a_feed_over_its_cap_is_refused_while_it_streams(archive: Archive, web_site: Site) -> None:
    huge = rss([("e1", "http://x/1", "पाठ " * 200_000)])
    feed = await add(archive, web_site.page("/rss.xml", huge, content_type="application/rss+xml"))
    result = await poll(archive, feed, options=FeedOptions(max_feed_bytes=100_000))
    assert result.status == "failed"
    assert "cap" in result.error
    assert await archive.store.reports.count() == 2  # the seeds only


async def test_a_page_over_its_cap_leaves_the_entry_its_summary(archive: Archive, web_site: Site) -> None:
    big = web_site.page("/big", "<html><body><p>" + "बहुत लंबा पन्ना। " * 50_000 + "</p></body></html>")
    feed_url = web_site.page("/rss.xml", rss([("e1", big, "छोटा सार")]), content_type="application/rss+xml")
    result = await poll(archive, await add(archive, feed_url), options=FeedOptions(max_page_bytes=100_000))
    [(_, why)] = result.failed_entries
    assert "cap" in why
    assert "छोटा सार" in await bodies(archive)
    assert "बहुत लंबा पन्ना" not in await bodies(archive)


async def test_an_entry_over_five_megabytes_is_not_stored_but_the_others_are(
    archive: Archive, web_site: Site
) -> None:
    article = web_site.page("/article", ARTICLE, content_type="text/html")
    items = [("big", "http://x/big", "<p>" + "विशाल प्रविष्टि। " * 250_000 + "</p>"), ("small", article, "सार")]
    feed_url = web_site.page("/rss.xml", rss(items), content_type="application/rss+xml")
    result = await poll(archive, await add(archive, feed_url), options=FeedOptions(max_feed_bytes=20 * 2**20))
    assert result.status == "ok"
    assert [entry for entry, _ in result.failed_entries] == ["big"]
    assert "5 MB" in result.failed_entries[0][1]
    text = await bodies(archive)
    assert "बाढ़ राहत" in text
    assert "विशाल प्रविष्टि" not in text


# ---------------------------------------------------------------- slow pages


async def test_slow_pages_cost_only_their_own_entries_and_are_tried_again(
    archive: Archive, web_site: Site
) -> None:
    items = []
    for n in range(6):
        link = web_site.page(f"/a{n}", ARTICLE.replace("बैठक", f"बैठक{n}"), content_type="text/html")
        items.append((f"e{n}", link, ""))
        if n % 2:
            web_site.delay[f"/a{n}"] = 30.0
    feed = await add(archive, web_site.page("/rss.xml", rss(items), content_type="application/rss+xml"))
    options = FeedOptions(page_timeout=1.0, page_concurrency=2)
    first = await poll(archive, feed, options=options)
    assert first.status == "ok"
    assert sorted(entry for entry, _ in first.failed_entries) == ["e1", "e3", "e5"]
    assert all(why.endswith("timed out after 1 s") for _, why in first.failed_entries)
    assert len(first.reports) == 3  # the fast pages are kept
    web_site.delay.clear()
    second = await poll(archive, feed, options=options)
    assert second.failed_entries == ()
    assert len(second.reports) == 3  # the slow ones, now that they answer; the others were seen


async def test_pages_are_fetched_a_few_at_a_time(archive: Archive, web_site: Site) -> None:
    items = [(f"e{n}", web_site.page(f"/a{n}", ARTICLE, content_type="text/html"), "") for n in range(6)]
    feed = await add(archive, web_site.page("/rss.xml", rss(items), content_type="application/rss+xml"))
    web_site.gate = asyncio.Event()
    polling = asyncio.ensure_future(poll(archive, feed, options=FeedOptions(page_concurrency=2)))
    await eventually(lambda: web_site.in_flight >= 2)
    await asyncio.sleep(0.3)  # time enough for more requests, were they allowed
    held = web_site.in_flight
    web_site.gate.set()
    result = await polling
    assert held == 2
    assert result.failed_entries == ()
    assert len(web_site.hits) == 7


def test_trafilatura_imports_on_this_install() -> None:
    """A fresh install can extract article pages: trafilatura needs lxml_html_clean, a dependency."""
    import trafilatura

    assert "बाढ़ राहत" in (trafilatura.extract(ARTICLE) or "")


async def test_pages_past_the_polls_budget_wait_for_the_next_poll(archive: Archive, web_site: Site) -> None:
    items = [(f"e{n}", web_site.page(f"/a{n}", ARTICLE.replace("बैठक", f"बैठक{n}")), "सार") for n in range(3)]
    feed = await add(archive, web_site.page("/rss.xml", rss(items), content_type="application/rss+xml"))
    spent = await poll(archive, feed, options=FeedOptions(pages_budget=0.0))
    assert sorted(entry for entry, _ in spent.failed_entries) == ["e0", "e1", "e2"]
    assert all("budget" in why for _, why in spent.failed_entries)
    assert spent.reports == ()  # not even the summaries: the pages are still to come
    later = await poll(archive, feed)
    assert later.failed_entries == ()
    assert len(later.reports) == 3
    assert "बाढ़ राहत" in await bodies(archive)


# ---------------------------------------------------------------- failures and bugs


async def test_a_feed_whose_server_is_gone_backs_off(archive: Archive, web_site: Site) -> None:
    feed = await add(archive, web_site.base + "/rss.xml")
    web_site.page("/rss.xml", rss([]), status=503)
    result = await poll(archive, feed)
    state = await archive.store.feeds.get(feed.id)
    assert result.status == "failed"
    assert result.error == "HTTP 503"
    assert (state.failures, state.last_error) == (1, "HTTP 503")


@pytest.mark.parametrize("module", ["feedparser", "trafilatura"])
async def test_a_bug_in_a_poll_propagates_and_is_not_taken_for_a_broken_feed(
    archive: Archive, web_site: Site, monkeypatch: pytest.MonkeyPatch, module: str
) -> None:
    """An ImportError (here of the feed parser, or of the page extractor for a summary-only entry) is
    Khabri's fault, not the feed's: it must surface, not put the feed on an hour's backoff."""
    article = web_site.page("/article", ARTICLE, content_type="text/html")
    feed_url = web_site.page("/rss.xml", rss([("e1", article, "सार")]), content_type="application/rss+xml")
    feed = await add(archive, feed_url)
    monkeypatch.setitem(sys.modules, module, None)  # `import module` now raises ImportError
    with pytest.raises(ImportError, match=module):
        await poll(archive, feed)
    state = await archive.store.feeds.get(feed.id)
    assert (state.failures, state.last_error) == (0, None)
    assert await archive.store.feeds.seen(feed.id, ["e1"]) == set()
