"""Subscriptions, the outbox and feeds in the store: real SQLite files."""

from __future__ import annotations

import pytest

from storage import NewDelivery, NewPassage, NewReport, Store, StoreError


async def test_add_is_idempotent_per_chat_and_topic(store: Store) -> None:
    async with store.transaction():
        first, created = await store.subscriptions.add(1, "akhilesh", "en", 0)
        again, created_again = await store.subscriptions.add(1, "akhilesh", "en", 5)
    assert created
    assert not created_again
    assert again == first


async def test_writes_need_a_transaction(store: Store) -> None:
    with pytest.raises(StoreError):
        await store.subscriptions.add(1, "x", "hi", 0)
    with pytest.raises(StoreError):
        await store.outbox.enqueue([])


async def test_deactivated_chat_is_left_out_and_revived_with_a_new_since(store: Store) -> None:
    async with store.transaction():
        await store.subscriptions.add(1, "", "hi", 0)
        await store.subscriptions.add(2, "", "hi", 0)
        assert await store.subscriptions.set_chat_active(1, False) == 1
    assert [s.chat_id for s in await store.subscriptions.active()] == [2]
    async with store.transaction():
        assert await store.subscriptions.set_chat_active(1, True, since_seq=42) == 1
    [revived] = await store.subscriptions.of_chat(1)
    assert revived.since_seq == 42


async def test_remove_only_removes_the_chats_own(store: Store) -> None:
    async with store.transaction():
        mine, _ = await store.subscriptions.add(1, "a", "hi", 0)
        assert await store.subscriptions.remove(2, mine.id) is None
        assert await store.subscriptions.remove(1, mine.id) == mine
        await store.subscriptions.add(1, "b", "hi", 0)
        await store.subscriptions.add(1, "c", "hi", 0)
        assert await store.subscriptions.remove_all(1) == 2


def delivery(chat: int, report: int = 1) -> NewDelivery:
    return NewDelivery(chat, report, None, f"text {chat}", None)


async def test_outbox_owes_each_chat_a_report_once(store: Store) -> None:
    async with store.transaction():
        assert await store.outbox.enqueue([delivery(1), delivery(2)]) == 2
        assert await store.outbox.enqueue([delivery(1), delivery(3)]) == 1
    assert [d.chat_id for d in await store.outbox.due()] == [1, 2, 3]


async def test_claim_happens_once_and_a_crash_leaves_it_unknown(store: Store) -> None:
    async with store.transaction():
        await store.outbox.enqueue([delivery(1), delivery(2)])
    first, second = await store.outbox.due()
    async with store.transaction():
        assert await store.outbox.claim(first.id)
        assert not await store.outbox.claim(first.id)
        assert await store.outbox.claim(second.id)
        await store.outbox.mark_sent(second.id, 99)
    assert await store.outbox.due() == []
    async with store.transaction():
        assert await store.outbox.recover() == 1
    assert await store.outbox.counts() == {"unknown": 1, "sent": 1}


async def test_retry_later_is_not_due_before_its_time(store: Store) -> None:
    async with store.transaction():
        await store.outbox.enqueue([delivery(1)])
    [row] = await store.outbox.due()
    async with store.transaction():
        await store.outbox.claim(row.id)
        await store.outbox.retry_later(row.id, 1000.0, "429")
    assert await store.outbox.due(now=999.0) == []
    [again] = await store.outbox.due(now=1000.0)
    assert again.attempts == 1
    assert await store.outbox.next_attempt() == 1000.0


async def test_drop_chat_drops_only_pending_rows(store: Store) -> None:
    async with store.transaction():
        await store.outbox.enqueue([delivery(1, 1), delivery(1, 2), delivery(2, 1)])
    rows = await store.outbox.due()
    async with store.transaction():
        await store.outbox.claim(rows[0].id)
        await store.outbox.mark_sent(rows[0].id, 1)
        assert await store.outbox.drop_chat(1, "blocked") == 1
    assert await store.outbox.counts() == {"sent": 1, "dropped": 1, "pending": 1}


async def test_finish_names_the_final_states(store: Store) -> None:
    async with store.transaction():
        await store.outbox.enqueue([delivery(1)])
        with pytest.raises(ValueError, match="failed, dropped or unknown"):
            await store.outbox.finish(1, "sent", "x")


async def test_cursor_and_added_reports_follow_the_passage_log(store: Store) -> None:
    assert await store.outbox.cursor("match") is None
    async with store.transaction():
        for n in range(2):
            report = NewReport(f"o{n}", f"t{n}", f"b{n}")
            await store.reports.save(report, [NewPassage(f"b{n}", ((0, 2),), b"")])
        await store.outbox.set_cursor("match", 1)
    upto = await store.reports.last_change()
    assert await store.outbox.cursor("match") == 1
    assert await store.outbox.added_reports(after_seq=0, upto_seq=upto) == [(1, 1), (2, 2)]
    assert await store.outbox.added_reports(after_seq=1, upto_seq=upto) == [(2, 2)]


async def test_feeds_remember_validators_failures_and_seen_entries(store: Store) -> None:
    async with store.transaction():
        feed, created = await store.feeds.add("http://x/rss")
        _, again = await store.feeds.add("http://x/rss")
        await store.feeds.failed(feed.id, next_poll_at=50.0, error="down")
    assert created
    assert not again
    assert await store.feeds.due(now=49.0) == []
    [failing] = await store.feeds.due(now=50.0)
    assert (failing.failures, failing.last_error) == (1, "down")
    async with store.transaction():
        await store.feeds.polled(feed.id, next_poll_at=60.0, etag='"e"', last_modified=None, title="T")
        await store.feeds.mark_seen(feed.id, "a", None)
    ok = await store.feeds.get(feed.id)
    assert (ok.failures, ok.etag, ok.title) == (0, '"e"', "T")
    assert await store.feeds.seen(feed.id, ["a", "b"]) == {"a"}
    async with store.transaction():
        assert await store.feeds.remove(feed.id)
    assert await store.feeds.all() == []
