"""``khabri feeds add URL | list | remove URL-or-ID``: the feeds the running bot polls."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.archive.core import Archive
from bot.notify.feeds import add_feed, remove_feed
from bot.notify.netguard import FetchPolicy, UnsafeURL, check_url, redact_url


def add_feeds_parser(commands: Any, common: argparse.ArgumentParser) -> None:
    """Register ``khabri feeds add URL | list | remove URL-or-ID``."""
    feeds = commands.add_parser("feeds", help="the news feeds the running bot polls")
    actions = feeds.add_subparsers(dest="feeds_action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[common], help="poll this RSS/Atom feed")
    add.add_argument("url", help="http(s) URL of the feed")
    actions.add_parser("list", parents=[common], help="the feeds, with their state")
    remove = actions.add_parser("remove", parents=[common], help="stop polling a feed")
    remove.add_argument("feed", help="its URL or its id from `khabri feeds list`")


async def run_feeds(args: argparse.Namespace, archive: Archive, *, policy: FetchPolicy | None = None) -> int:
    """Carry out ``khabri feeds ...``; return the exit status.

    ``feeds add`` refuses a url the guard would refuse to fetch (see ``bot.notify.netguard``); a url that
    carries credentials is never printed with them.
    """
    store = archive.store
    if args.feeds_action == "add":
        url = str(args.url).strip()
        try:
            check_url(url, policy)
        except UnsafeURL as error:
            print(f"khabri: cannot add the feed {redact_url(url)!r}: {error}", file=sys.stderr)
            return 2
        feed, created = await add_feed(store, url)
        print(f"{'added' if created else 'already have'} feed {feed.id}: {feed.url}")
        return 0
    if args.feeds_action == "list":
        rows = await store.feeds.all()
        if not rows:
            print("no feeds yet: add one with `khabri feeds add URL`")
        for feed in rows:
            state = f"failing ({feed.failures}): {feed.last_error}" if feed.failures else "ok"
            polled = feed.last_polled_at or "never"
            print(f"{feed.id:>4}  {redact_url(feed.url)}  [{feed.title or '-'}]  polled {polled}  {state}")
        return 0
    target = str(args.feed)
    if not await remove_feed(store, target):
        print(f"khabri: no feed {redact_url(target)}; `khabri feeds list` shows them", file=sys.stderr)
        return 1
    print(f"removed feed {redact_url(target)}")
    return 0
