"""Snapshots: opaque bytes under a name, with the position they reflect."""

from __future__ import annotations

import pytest

from storage import Store, StoreError


async def test_a_snapshot_is_saved_replaced_and_read_back(store: Store) -> None:
    assert await store.snapshots.get("lexicon") is None
    async with store.transaction():
        await store.snapshots.put("lexicon", 7, b"\x00first")
    async with store.transaction():
        await store.snapshots.put("lexicon", 9, b"second")
    got = await store.snapshots.get("lexicon")
    assert got is not None
    assert (got.name, got.upto, got.data) == ("lexicon", 9, b"second")


async def test_saving_a_snapshot_needs_a_transaction(store: Store) -> None:
    with pytest.raises(StoreError):
        await store.snapshots.put("lexicon", 1, b"x")
    assert await store.snapshots.get("lexicon") is None
