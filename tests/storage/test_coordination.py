"""Leases and answered updates on both backends, with two connections racing as two workers do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import LeaseHolder, Store, open_store


async def acquire(store: Store, holder: str, *, now: float = 100.0, ttl: float = 10.0) -> bool:
    async with store.transaction():
        return await store.leases.acquire("sender", holder, until=now + ttl, now=now)


async def test_a_free_lease_is_taken(store: Store) -> None:
    assert await acquire(store, "a")
    assert await store.leases.holder("sender") == LeaseHolder("a", 110.0)


async def test_a_held_lease_is_refused_to_another(store: Store) -> None:
    await acquire(store, "a")
    assert not await acquire(store, "b", now=105.0)
    assert await store.leases.holder("sender") == LeaseHolder("a", 110.0)


async def test_the_holder_renews_its_lease(store: Store) -> None:
    await acquire(store, "a")
    assert await acquire(store, "a", now=108.0)
    assert await store.leases.holder("sender") == LeaseHolder("a", 118.0)


async def test_a_lease_run_out_is_taken_over(store: Store) -> None:
    await acquire(store, "a")
    assert await acquire(store, "b", now=110.0)
    assert await store.leases.holder("sender") == LeaseHolder("b", 120.0)


async def test_release_frees_only_the_holders_lease(store: Store) -> None:
    await acquire(store, "a")
    async with store.transaction():
        assert not await store.leases.release("sender", "b")
        assert await store.leases.release("sender", "a")
    assert await store.leases.holder("sender") is None


async def test_a_lease_must_end_after_now(store: Store) -> None:
    with pytest.raises(ValueError, match="must end after now"):
        async with store.transaction():
            await store.leases.acquire("sender", "a", until=100.0, now=100.0)
    assert await store.leases.holder("sender") is None


async def test_two_stores_on_one_file_never_both_win_a_lease(db_path: Path) -> None:
    stores = [await open_store(db_path) for _ in range(4)]
    try:
        for round_ in range(20):
            now = 1000.0 + 100 * round_  # every round starts with the lease run out
            won = await asyncio.gather(
                *(acquire(s, f"worker-{n}", now=now, ttl=50.0) for n, s in enumerate(stores))
            )
            assert sum(won) == 1
    finally:
        for s in stores:
            await s.close()


async def test_an_update_is_claimed_once(db_path: Path) -> None:
    first, second = await open_store(db_path), await open_store(db_path)
    try:
        async with first.transaction():
            assert await first.updates.claim(7, now=1.0)
        async with second.transaction():
            assert not await second.updates.claim(7, now=2.0)
            assert await second.updates.claim(8, now=2.0)
    finally:
        await first.close()
        await second.close()


async def test_prune_forgets_old_answered_updates(store: Store) -> None:
    async with store.transaction():
        await store.updates.claim(1, now=10.0)
        await store.updates.claim(2, now=20.0)
        assert await store.updates.prune(before=15.0) == 1
        assert await store.updates.claim(1, now=30.0)
        assert not await store.updates.claim(2, now=30.0)


@pytest.fixture
async def sqlite_store(db_path: Path) -> AsyncIterator[Store]:
    """A SQLite store: the at-once path (a second connection to the file) is SQLite's alone."""
    opened = await open_store(db_path)
    try:
        yield opened
    finally:
        await opened.close()


async def test_claim_now_records_an_update_once_without_a_transaction(sqlite_store: Store) -> None:
    assert sqlite_store.updates.claim_now(9, now=1.0) is True
    assert sqlite_store.updates.claim_now(9, now=2.0) is False
    async with sqlite_store.transaction():
        assert not await sqlite_store.updates.claim(9, now=3.0)


async def test_claim_now_says_not_at_once_on_postgresql_and_claim_records(store: Store) -> None:
    at_once = store.updates.claim_now(9, now=1.0)
    assert at_once is (True if store.dialect == "sqlite" else None)
    async with store.transaction():
        assert await store.updates.claim(9, now=2.0) is (store.dialect != "sqlite")
    assert 9 in await store.updates.recorded()


async def test_claim_now_gives_up_at_once_while_another_writer_holds_the_file(
    sqlite_store: Store, db_path: Path
) -> None:
    other = await open_store(db_path)
    try:
        async with other.transaction():
            await other.leases.acquire("x", "other", until=2.0, now=1.0)
            assert sqlite_store.updates.claim_now(10, now=1.0) is None
        assert sqlite_store.updates.claim_now(10, now=1.0) is True
    finally:
        await other.close()


async def test_an_at_once_transaction_commits_for_every_connection(
    store: Store, store_location: Path | str
) -> None:
    async with store.transaction(at_once=True):
        question_id = await store.questions.remember("कौन मिला")
        await store.chats.count_question(5)
    other = await open_store(store_location)
    try:
        assert await other.questions.get(question_id) == "कौन मिला"
        assert await store.questions.get(question_id) == "कौन मिला"
    finally:
        await other.close()


async def _claim_then_fail(store: Store, update_id: int) -> None:
    async with store.transaction(at_once=True):
        await store.updates.claim(update_id, now=1.0)
        raise RuntimeError("boom")


async def test_an_at_once_transaction_rolls_back_on_error(store: Store) -> None:
    with pytest.raises(RuntimeError):
        await _claim_then_fail(store, 11)
    async with store.transaction():
        assert await store.updates.claim(11, now=2.0)


async def test_an_at_once_transaction_waits_its_turn_when_the_file_is_busy(
    store: Store, store_location: Path | str
) -> None:
    other = await open_store(store_location)
    try:
        async with other.transaction():
            await other.updates.claim(12, now=1.0)
            waiting = asyncio.ensure_future(_claim_at_once(store, 12))
            await asyncio.sleep(0.2)
            assert not waiting.done()
        assert await waiting is False
    finally:
        await other.close()


async def _claim_at_once(store: Store, update_id: int) -> bool:
    async with store.transaction(at_once=True):
        return await store.updates.claim(update_id, now=2.0)
