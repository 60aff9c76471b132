"""Remembered questions: one id per text, stable across reopening, writes only in transactions."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import NotFoundError, Store, StoreError, open_store


async def test_remember_gives_one_id_per_question(store: Store) -> None:
    async with store.transaction():
        first = await store.questions.remember("अखिलेश ने किससे मुलाकात की?")
        again = await store.questions.remember("अखिलेश ने किससे मुलाकात की?")
        other = await store.questions.remember("akhilesh ne kisse mulakat ki")
    assert first == again
    assert other != first
    assert await store.questions.get(first) == "अखिलेश ने किससे मुलाकात की?"


async def test_question_ids_survive_reopening(store_location: Path | str) -> None:
    async with await open_store(store_location) as store, store.transaction():
        question_id = await store.questions.remember("सवाल")
    async with await open_store(store_location) as store:
        assert await store.questions.get(question_id) == "सवाल"


async def test_unknown_question_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError):
        await store.questions.get(12345)


async def test_remember_outside_a_transaction_is_refused(store: Store) -> None:
    with pytest.raises(StoreError, match="transaction"):
        await store.questions.remember("सवाल")
