"""Subscriptions in the store: real SQLite files (the outbox and feeds have test_outbox, test_feeds)."""

from __future__ import annotations

import pytest

from storage import NotFoundError, Store, StoreError, Subscription


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
    assert await store.subscriptions.find(1, "x") is None


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


async def test_get_finds_a_subscription_by_id_active_or_not(store: Store) -> None:
    async with store.transaction():
        sub, _ = await store.subscriptions.add(1, "a", "hi", 0)
        await store.subscriptions.set_chat_active(1, False)
    assert await store.subscriptions.get(sub.id) == Subscription(
        sub.id, 1, "a", "hi", False, 0, sub.created_at
    )
    with pytest.raises(NotFoundError):
        await store.subscriptions.get(sub.id + 1)
