"""Subscribing, removing, pausing and reviving a chat's subscriptions against a real store."""

from __future__ import annotations

from bot.notify import subscribing
from bot.notify.subscribing import SubscribeOutcome
from storage import NewDelivery, NewPassage, NewReport, Store


async def add_report(store: Store, origin: str) -> int:
    async with store.transaction():
        saved = await store.reports.save(
            NewReport(origin=origin, title="शीर्षक", body=f"{origin} वाक्य।"),
            [NewPassage(f"{origin} वाक्य।", ((0, 9),), b"")],
        )
    return saved.report_id


async def test_subscribe_adds_then_finds_it_there_then_stops_at_the_cap(store: Store) -> None:
    first = await subscribing.subscribe(store, 7, "प्याज", "hi", cap=2)
    assert first.outcome is SubscribeOutcome.ADDED
    assert first.subscription is not None
    assert first.subscription.topic == "प्याज"
    again = await subscribing.subscribe(store, 7, "प्याज", "en", cap=2)
    assert (again.outcome, again.subscription) == (SubscribeOutcome.EXISTS, first.subscription)
    await subscribing.subscribe(store, 7, "लहसुन", "hi", cap=2)
    capped = await subscribing.subscribe(store, 7, "टमाटर", "hi", cap=2)
    assert (capped.outcome, capped.subscription) == (SubscribeOutcome.CAPPED, None)
    assert [s.topic for s in await store.subscriptions.of_chat(7)] == ["प्याज", "लहसुन"]
    assert await store.subscriptions.of_chat(8) == []  # another chat is untouched


async def test_a_subscription_hears_only_of_reports_after_it(store: Store) -> None:
    await add_report(store, "file:before")
    added = await subscribing.subscribe(store, 7, "", "hi", cap=5)
    assert added.subscription is not None
    assert added.subscription.since_seq == await store.reports.last_change() > 0


async def test_unsubscribing_removes_one_or_all_and_says_when_there_was_none(store: Store) -> None:
    one = (await subscribing.subscribe(store, 7, "प्याज", "hi", cap=5)).subscription
    await subscribing.subscribe(store, 7, "लहसुन", "hi", cap=5)
    assert one is not None
    assert await subscribing.unsubscribe(store, 8, one.id) is None  # not this chat's
    removed = await subscribing.unsubscribe(store, 7, one.id)
    assert removed is not None
    assert removed.id == one.id
    assert await subscribing.unsubscribe(store, 7, one.id) is None
    assert await subscribing.unsubscribe_all(store, 7) == 1
    assert await store.subscriptions.of_chat(7) == []


async def test_a_chat_that_left_is_paused_and_comes_back_with_only_new_reports(store: Store) -> None:
    report_id = await add_report(store, "file:a")
    sub = (await subscribing.subscribe(store, 7, "", "hi", cap=5)).subscription
    assert sub is not None
    async with store.transaction():
        await store.outbox.enqueue([NewDelivery(7, report_id, sub.id, "<b>नई</b>")])
    await subscribing.chat_left(store, 7, "bot kicked")
    assert await store.subscriptions.of_chat(7) == []  # paused: not listed
    assert not (await store.subscriptions.get(sub.id)).active
    assert [d.state for d in await store.outbox.of_chat(7)] == ["dropped"]
    await add_report(store, "file:b")
    await subscribing.chat_returned(store, 7)
    (back,) = await store.subscriptions.of_chat(7)
    assert back.id == sub.id
    assert back.active
    assert back.since_seq == await store.reports.last_change() > sub.since_seq
