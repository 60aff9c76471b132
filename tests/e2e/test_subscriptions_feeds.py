"""Feeds end to end: a local HTTP server on 127.0.0.1 serves RSS/Atom and article pages; the running bot
polls them, stores each entry as a report, and notifies its subscribers."""

from __future__ import annotations

import argparse
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

from bot.cli.feeds import run_feeds
from bot.notify.feeds import FeedOptions, feed_client, poll_feed
from bot.notify.netguard import FetchPolicy
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.bot_fixtures import running_khabri
from tests.e2e.subscription_fixtures import FAST_APP, archive_of, eventually, notifications

pytestmark = pytest.mark.e2e
# The feed server is on 127.0.0.1: the guard lets that one address through, in tests only.
LOCAL = FetchPolicy(allow_loopback=True)

CHAT = 1201
ARTICLE = (
    "<html><head><title>x</title></head><body><nav>होम | राज्य | देश</nav><article>"
    "<h1>नीतीश कुमार ने पटना में बैठक की</h1>"
    + "".join(
        f"<p>बिहार के मुख्यमंत्री नीतीश कुमार ने पटना में अधिकारियों के साथ बाढ़ राहत पर बैठक की, "
        f"और राहत शिविरों की व्यवस्था पर चर्चा की। यह अनुच्छेद {n} है।</p>"
        for n in range(6)
    )
    + "</article><footer>© समाचार</footer></body></html>"
)
FULL_TEXT = " ".join(
    f"राज्य में सहकारिता चुनाव की मतगणना पूरी हो गई और नतीजे घोषित किए गए। यह वाक्य {n} है।" for n in range(8)
)


MAMATA = "पश्चिम बंगाल की मुख्यमंत्री ममता बनर्जी ने कोलकाता में रैली की। "


def rss(base: str) -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>लोकल समाचार</title><link>{base}/</link><description>d</description>
<item><title>नीतीश कुमार ने पटना में बैठक की</title><link>{base}/article/1</link>
<guid>{base}/article/1</guid><pubDate>Wed, 01 May 2024 10:00:00 +0530</pubDate>
<description>नीतीश कुमार ने बैठक की।</description></item>
<item><title>सहकारिता चुनाव के नतीजे</title><link>{base}/article/2</link>
<guid>{base}/article/2</guid><pubDate>Thu, 02 May 2024 10:00:00 +0530</pubDate>
<content:encoded><![CDATA[<p>{FULL_TEXT}</p>]]></content:encoded></item>
</channel></rss>"""


def atom(base: str) -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>एटम खबरें</title><id>urn:a</id>
<updated>2024-05-03T00:00:00Z</updated>
<entry><title>ममता बनर्जी की रैली</title><id>urn:a:1</id><link href="{base}/article/3"/>
<updated>2024-05-03T00:00:00Z</updated>
<content type="html">&lt;p&gt;{MAMATA * 8}&lt;/p&gt;</content>
</entry></feed>"""


NO_TEXT_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>खाली</title><link>{base}/</link><description>d</description>
<item><title>सिर्फ़ शीर्षक</title><link>{base}/empty</link><guid>{base}/empty</guid></item>
</channel></rss>"""


@dataclass
class FeedServer:
    base: str = ""
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    honour_etag: bool = True


@pytest.fixture
async def feeds() -> AsyncIterator[FeedServer]:
    server = FeedServer()

    async def serve(request: web.Request) -> web.Response:
        server.requests.append((request.path, dict(request.headers)))
        path = request.path
        if path == "/rss.xml":
            if server.honour_etag and request.headers.get("If-None-Match") == '"v1"':
                return web.Response(status=304)
            return web.Response(
                body=rss(server.base).encode(), headers={"ETag": '"v1"'}, content_type="application/rss+xml"
            )
        if path == "/atom.xml":
            # The header names the wrong charset; the XML declaration is right, and wins.
            body = atom(server.base).encode("utf-8")
            return web.Response(
                body=body, headers={"Content-Type": "application/atom+xml; charset=windows-1251"}
            )
        if path == "/malformed.xml":
            return web.Response(text="<rss><channel><item><title>टूटा", content_type="text/xml")
        if path == "/notext.xml":
            return web.Response(text=NO_TEXT_FEED.replace("{base}", server.base), content_type="text/xml")
        if path == "/500.xml":
            return web.Response(status=500, text="oops")
        if path == "/article/1":
            return web.Response(text=ARTICLE, content_type="text/html")
        if path == "/empty":
            return web.Response(text="<html><body><script>1</script></body></html>", content_type="text/html")
        return web.Response(status=404)

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", serve)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    server.base = f"http://127.0.0.1:{port}"
    try:
        yield server
    finally:
        await runner.cleanup()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def khabri(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str
) -> AsyncIterator[KhabriApplication]:
    async with running_khabri(
        botapi, bot_token, store_location, settings={"fetch_loopback": True}, **FAST_APP
    ) as application:
        yield application


async def add_feed(khabri: KhabriApplication, url: str) -> None:
    args = argparse.Namespace(feeds_action="add", url=url)
    assert await run_feeds(args, archive_of(khabri), policy=LOCAL) == 0


async def test_feeds_become_reports_and_notifications_while_broken_feeds_back_off(
    botapi: BotApiEmulator, khabri: KhabriApplication, feeds: FeedServer
) -> None:
    botapi.send_command(CHAT, "subscribe")
    await botapi.wait_for_replies(CHAT)
    good = [f"{feeds.base}/rss.xml", f"{feeds.base}/atom.xml"]
    broken = [
        f"http://127.0.0.1:{closed_port()}/down.xml",
        f"{feeds.base}/500.xml",
        f"{feeds.base}/malformed.xml",
        f"{feeds.base}/notext.xml",
    ]
    for url in [*broken, *good]:
        await add_feed(khabri, url)
    await eventually(lambda: len(notifications(botapi, CHAT)) == 3, seconds=15)
    store = archive_of(khabri).store
    summaries = await store.reports.summaries(limit=10)
    by_title = {s.title: s for s in summaries}
    summary_only = by_title["नीतीश कुमार ने पटना में बैठक की"]
    assert summary_only.url == f"{feeds.base}/article/1"
    assert summary_only.source == "लोकल समाचार"
    assert summary_only.published == "2024-05-01"
    report = await store.reports.get(summary_only.id)
    assert "बाढ़ राहत" in report.body  # taken from the article page, not the one-line summary
    assert "होम | राज्य" not in report.body
    assert "ममता बनर्जी की रैली" in by_title  # the wrong charset header did not garble it
    assert "सिर्फ़ शीर्षक" not in by_title  # no text anywhere: skipped
    state = {f.url: f for f in await store.feeds.all()}
    for url in broken[:3]:
        assert state[url].failures == 1, url
        assert state[url].last_error
    for url in [*good, broken[3]]:
        assert state[url].failures == 0, url
    notes = notifications(botapi, CHAT)
    assert any("नीतीश कुमार" in n and "लोकल समाचार" in n for n in notes)


async def test_a_feed_polled_again_sends_its_etag_and_an_entry_seen_twice_is_not_sent_twice(
    botapi: BotApiEmulator, khabri: KhabriApplication, feeds: FeedServer
) -> None:
    botapi.send_command(CHAT, "subscribe")
    await botapi.wait_for_replies(CHAT)
    await add_feed(khabri, f"{feeds.base}/rss.xml")
    await eventually(lambda: len(notifications(botapi, CHAT)) == 2, seconds=15)
    archive = archive_of(khabri)
    feed = await archive.store.feeds.find(f"{feeds.base}/rss.xml")
    assert feed is not None
    assert feed.etag == '"v1"'
    async with feed_client(LOCAL) as client:
        unchanged = await poll_feed(archive, client, feed, FeedOptions())
        assert unchanged.status == "unchanged"
        assert feeds.requests[-1][1].get("If-None-Match") == '"v1"'
        feeds.honour_etag = False  # the server sends the same entries again
        again = await poll_feed(archive, client, feed, FeedOptions())
    assert again.status == "ok"
    assert again.reports == ()
    assert [p for p, _ in feeds.requests].count("/article/1") == 1  # the page was not fetched again
    notifier = khabri.bot_data.notifier
    assert notifier is not None
    await notifier.match()
    await eventually(lambda: not botapi.pending_updates)
    assert len(notifications(botapi, CHAT)) == 2
