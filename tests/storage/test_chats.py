"""Chat settings and activity counts, and pruning delivered notifications without losing exactly-once."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import NewDelivery, NewPassage, NewReport, Store, StoreError, open_store


async def test_language_choice_survives_reopening(store_location: Path | str) -> None:
    async with await open_store(store_location) as store, store.transaction():
        await store.chats.set_language(7, "en")
        await store.chats.set_language(8, "hi")
        await store.chats.set_language(7, "hi")
    async with await open_store(store_location) as store:
        assert await store.chats.languages() == {7: "hi", 8: "hi"}


async def test_unknown_language_is_refused_and_nothing_changes(store: Store) -> None:
    async with store.transaction():
        with pytest.raises(ValueError, match="hi, en"):
            await store.chats.set_language(7, "fr")
    assert await store.chats.languages() == {}


async def test_writes_need_a_transaction(store: Store) -> None:
    with pytest.raises(StoreError, match="transaction"):
        await store.chats.set_language(7, "en")
    with pytest.raises(StoreError, match="transaction"):
        await store.chats.count_question(7)


async def test_questions_are_counted_per_chat_and_per_hour(store: Store) -> None:
    now = datetime(2024, 5, 1, 12, 30, tzinfo=UTC)
    async with store.transaction():
        await store.chats.count_question(1, now=now)
        await store.chats.count_question(1, now=now - timedelta(hours=3))
        await store.chats.count_question(2, now=now - timedelta(hours=30))
    assert await store.chats.count() == 2
    assert await store.chats.questions_since(24, now=now) == 2
    assert await store.chats.questions_since(48, now=now) == 3


async def _delivered(store: Store, chat_id: int, report_id: int) -> int:
    async with store.transaction():
        await store.outbox.enqueue([NewDelivery(chat_id, report_id, None, "<b>खबर</b>", "[]")])
    [row] = [d for d in await store.outbox.of_chat(chat_id) if d.report_id == report_id]
    async with store.transaction():
        assert await store.outbox.claim(row.id)
        await store.outbox.mark_sent(row.id, 99)
    return row.id


async def test_prune_empties_old_delivered_rows_and_keeps_exactly_once(store: Store) -> None:
    async with store.transaction():
        result = await store.reports.save(NewReport("o", "t", "b"), [NewPassage("b", ((0, 1),), b"")])
    await _delivered(store, 1, result.report_id)
    async with store.transaction():
        await store.outbox.enqueue([NewDelivery(2, result.report_id, None, "owed", None)])
        # Not old enough yet: nothing is pruned.
        assert await store.outbox.prune(older_than=3600) == 0
        # A day later, the delivered row loses its text; the pending one keeps it.
        assert await store.outbox.prune(older_than=3600, now=time.time() + 86_400) == 1
    [sent] = await store.outbox.of_chat(1)
    [pending] = await store.outbox.of_chat(2)
    assert (sent.state, sent.text, sent.markup) == ("sent", "", None)
    assert pending.text == "owed"
    # The key stays: the same report matched again for chat 1 is not owed a second time.
    async with store.transaction():
        assert await store.outbox.enqueue([NewDelivery(1, result.report_id, None, "again", None)]) == 0
        assert await store.outbox.prune(older_than=0, now=time.time() + 86_400) == 0


async def test_prune_refuses_a_negative_age(store: Store) -> None:
    async with store.transaction():
        with pytest.raises(ValueError, match="at least 0"):
            await store.outbox.prune(older_than=-1)
