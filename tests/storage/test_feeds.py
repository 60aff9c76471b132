"""Feeds in the store, on real SQLite files: add, find, remove, validators, backoff, seen entries."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from storage import Feed, NotFoundError, Store, StoreError
from tests.auxil.stores import execute

URL = "https://example.com/rss"


async def add(store: Store, url: str = URL) -> Feed:
    async with store.transaction():
        feed, created = await store.feeds.add(url)
    assert created
    return feed


async def test_a_new_feed_has_no_validators_no_failures_and_is_due_at_once(store: Store) -> None:
    feed = await add(store)
    assert (feed.url, feed.title, feed.etag, feed.last_modified) == (URL, None, None, None)
    assert (feed.failures, feed.next_poll_at, feed.last_polled_at, feed.last_error) == (0, 0.0, None, None)
    assert feed.added_at
    assert await store.feeds.due(now=0.0) == [feed]


async def test_adding_a_feed_again_returns_it_unchanged(store: Store) -> None:
    feed = await add(store)
    async with store.transaction():
        await store.feeds.failed(feed.id, next_poll_at=50.0, error="down")
        again, created = await store.feeds.add(URL)
    assert not created
    assert again == await store.feeds.get(feed.id)
    assert again.failures == 1
    assert await store.feeds.all() == [again]


async def test_find_is_by_exact_url(store: Store) -> None:
    feed = await add(store)
    assert await store.feeds.find(URL) == feed
    assert await store.feeds.find(URL + "/") is None
    assert await store.feeds.find("https://example.org/rss") is None


async def test_get_of_a_missing_feed_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no feed 3"):
        await store.feeds.get(3)


async def test_all_lists_feeds_by_id(store: Store) -> None:
    second = await add(store, "https://b.example/rss")
    first = await add(store, "https://a.example/rss")
    assert [f.url for f in await store.feeds.all()] == [second.url, first.url]


async def test_due_lists_feeds_whose_time_has_come_soonest_first(store: Store) -> None:
    a, b, c = [await add(store, f"https://{n}.example/rss") for n in "abc"]
    async with store.transaction():
        await store.feeds.polled(a.id, next_poll_at=30.0, etag=None, last_modified=None, title=None)
        await store.feeds.failed(b.id, next_poll_at=20.0, error="x")
        await store.feeds.polled(c.id, next_poll_at=90.0, etag=None, last_modified=None, title=None)
    assert [f.id for f in await store.feeds.due(now=19.0)] == []
    assert [f.id for f in await store.feeds.due(now=30.0)] == [b.id, a.id]
    assert [f.id for f in await store.feeds.due(now=90.0)] == [b.id, a.id, c.id]


async def test_a_failed_poll_counts_up_and_keeps_the_validators(store: Store) -> None:
    feed = await add(store)
    async with store.transaction():
        await store.feeds.polled(feed.id, next_poll_at=10.0, etag='"v1"', last_modified="Mon", title="News")
        await store.feeds.failed(feed.id, next_poll_at=70.0, error="503")
        await store.feeds.failed(feed.id, next_poll_at=190.0, error="x" * 900)
    failing = await store.feeds.get(feed.id)
    assert (failing.failures, failing.next_poll_at) == (2, 190.0)
    assert failing.last_error == "x" * 500  # capped: an error page can be long
    assert failing.last_polled_at
    assert (failing.etag, failing.last_modified, failing.title) == ('"v1"', "Mon", "News")


async def test_a_good_poll_resets_the_failures_and_stores_the_validators(store: Store) -> None:
    feed = await add(store)
    async with store.transaction():
        await store.feeds.failed(feed.id, next_poll_at=70.0, error="503")
        await store.feeds.polled(feed.id, next_poll_at=400.0, etag='"v2"', last_modified="Tue", title="News")
    ok = await store.feeds.get(feed.id)
    assert (ok.failures, ok.last_error, ok.next_poll_at) == (0, None, 400.0)
    assert (ok.etag, ok.last_modified, ok.title) == ('"v2"', "Tue", "News")
    assert ok.last_polled_at


async def test_a_poll_without_a_title_keeps_the_old_one_and_may_drop_validators(store: Store) -> None:
    feed = await add(store)
    async with store.transaction():
        await store.feeds.polled(feed.id, next_poll_at=1.0, etag='"v1"', last_modified="Mon", title="News")
        await store.feeds.polled(feed.id, next_poll_at=2.0, etag=None, last_modified=None, title=None)
    polled = await store.feeds.get(feed.id)
    assert (polled.title, polled.etag, polled.last_modified) == ("News", None, None)


async def test_seen_entries_are_per_feed_and_marked_once(store: Store) -> None:
    a = await add(store, "https://a.example/rss")
    b = await add(store, "https://b.example/rss")
    async with store.transaction():
        await store.feeds.mark_seen(a.id, "entry-1", None)
        await store.feeds.mark_seen(a.id, "entry-1", 5)  # already done: kept as it was
        await store.feeds.mark_seen(b.id, "entry-2", None)
    assert await store.feeds.seen(a.id, ["entry-1", "entry-2", "entry-3"]) == {"entry-1"}
    assert await store.feeds.seen(b.id, ["entry-1", "entry-2"]) == {"entry-2"}
    assert await store.feeds.seen(a.id, []) == set()


async def test_seen_looks_up_more_keys_than_one_query_can_take(store: Store) -> None:
    feed = await add(store)
    keys = [f"k{i}" for i in range(1_200)]
    async with store.transaction():
        for key in keys[::2]:
            await store.feeds.mark_seen(feed.id, key, None)
    assert await store.feeds.seen(feed.id, keys) == set(keys[::2])


async def test_remove_deletes_the_feed_and_its_seen_entries(store: Store, store_location: Path | str) -> None:
    feed = await add(store)
    other = await add(store, "https://other.example/rss")
    async with store.transaction():
        await store.feeds.mark_seen(feed.id, "entry-1", None)
        await store.feeds.mark_seen(other.id, "entry-1", None)
        assert await store.feeds.remove(feed.id)
        assert not await store.feeds.remove(feed.id)
    assert await store.feeds.all() == [other]
    assert await store.feeds.find(URL) is None
    assert execute(store_location, "SELECT feed_id, entry_key FROM feed_entries") == [(other.id, "entry-1")]


async def test_a_removed_feed_added_again_starts_afresh(store: Store) -> None:
    feed = await add(store)
    async with store.transaction():
        await store.feeds.failed(feed.id, next_poll_at=99.0, error="down")
        await store.feeds.mark_seen(feed.id, "entry-1", None)
        await store.feeds.remove(feed.id)
    again = await add(store)
    assert again.id != feed.id
    assert (again.failures, again.next_poll_at) == (0, 0.0)
    assert await store.feeds.seen(again.id, ["entry-1"]) == set()


WRITES: dict[str, Callable[[Store], Awaitable[object]]] = {
    "add": lambda s: s.feeds.add("https://new.example/rss"),
    "remove": lambda s: s.feeds.remove(1),
    "polled": lambda s: s.feeds.polled(1, next_poll_at=5.0, etag="e", last_modified=None, title="t"),
    "failed": lambda s: s.feeds.failed(1, next_poll_at=5.0, error="x"),
    "mark_seen": lambda s: s.feeds.mark_seen(1, "k", None),
}


@pytest.mark.parametrize("name", sorted(WRITES))
async def test_writes_need_a_transaction_and_change_nothing_without(store: Store, name: str) -> None:
    feed = await add(store)
    with pytest.raises(StoreError, match="inside"):
        await WRITES[name](store)
    assert await store.feeds.all() == [feed]
    assert await store.feeds.seen(feed.id, ["k"]) == set()
