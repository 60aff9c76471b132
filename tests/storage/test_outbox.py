"""The outbox in the store, on real SQLite files: exactly once per chat and report, states, pruning."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from storage import Delivery, DeliveryState, NewDelivery, NewPassage, NewReport, Store, StoreError
from tests.auxil.stores import execute, integrity_error


def delivery(chat: int, report: int = 1, *, subscription: int | None = None, text: str = "") -> NewDelivery:
    return NewDelivery(
        chat, report, subscription, text or f"<b>report {report}</b> for {chat}", '[["a","b"]]'
    )


async def enqueue(store: Store, *deliveries: NewDelivery) -> list[Delivery]:
    async with store.transaction():
        await store.outbox.enqueue(deliveries)
    return await store.outbox.due()


async def all_rows(store: Store) -> list[Delivery]:
    rows: list[Delivery] = []
    for chat in range(1, 10):
        rows += await store.outbox.of_chat(chat)
    return sorted(rows, key=lambda d: d.id)


async def one_of(store: Store, delivery_id: int) -> Delivery:
    [row] = [d for d in await all_rows(store) if d.id == delivery_id]
    return row


async def claim(store: Store, delivery_id: int) -> bool:
    async with store.transaction():
        return await store.outbox.claim(delivery_id)


# ---------------------------------------------------------------------------- exactly once


async def test_a_new_delivery_is_pending_with_what_it_was_given(store: Store) -> None:
    [row] = await enqueue(store, delivery(1, 7, subscription=3, text="<i>x</i>"))
    assert row == Delivery(
        row.id, 1, 7, 3, "<i>x</i>", '[["a","b"]]', DeliveryState.PENDING, 0, 0.0, None, None
    )
    assert isinstance(row.state, DeliveryState)


async def test_a_chat_is_owed_a_report_once_whatever_subscription_matched_it(store: Store) -> None:
    async with store.transaction():
        assert (
            await store.outbox.enqueue([delivery(1, 1, subscription=1), delivery(1, 1, subscription=2)]) == 1
        )
        assert await store.outbox.enqueue([delivery(1, 1, subscription=3), delivery(2, 1)]) == 1
    async with store.transaction():
        assert await store.outbox.enqueue([delivery(1, 1, text="again"), delivery(1, 2)]) == 1
    rows = await all_rows(store)
    assert [(d.chat_id, d.report_id) for d in rows] == [(1, 1), (2, 1), (1, 2)]
    assert rows[0].subscription_id == 1  # the first row stays as it was written
    assert "again" not in rows[0].text


async def test_a_sent_report_is_not_owed_again(store: Store) -> None:
    [row] = await enqueue(store, delivery(1))
    async with store.transaction():
        await store.outbox.claim(row.id)
        await store.outbox.mark_sent(row.id, 5)
        assert await store.outbox.enqueue([delivery(1)]) == 0
    assert await store.outbox.due() == []


async def test_enqueue_counts_nothing_for_nothing(store: Store) -> None:
    async with store.transaction():
        assert await store.outbox.enqueue([]) == 0
    assert await store.outbox.counts() == {}


# ---------------------------------------------------------------------------- states


async def test_claim_moves_pending_to_sending_once_and_counts_the_attempt(store: Store) -> None:
    [row] = await enqueue(store, delivery(1))
    async with store.transaction():
        assert await store.outbox.claim(row.id)
        assert not await store.outbox.claim(row.id)
        assert not await store.outbox.claim(row.id + 100)
    claimed = await one_of(store, row.id)
    assert (claimed.state, claimed.attempts) == (DeliveryState.SENDING, 1)
    assert await store.outbox.due() == []


async def test_mark_sent_records_the_message_and_clears_the_error(store: Store) -> None:
    [row] = await enqueue(store, delivery(1))
    async with store.transaction():
        await store.outbox.claim(row.id)
        await store.outbox.retry_later(row.id, 0.0, "timed out")
        await store.outbox.claim(row.id)
        await store.outbox.mark_sent(row.id, 4242)
    sent = await one_of(store, row.id)
    assert (sent.state, sent.message_id, sent.last_error, sent.attempts) == (
        DeliveryState.SENT,
        4242,
        None,
        2,
    )
    assert not await claim(store, row.id)


async def test_retry_later_is_pending_again_but_not_due_before_its_time(store: Store) -> None:
    [row] = await enqueue(store, delivery(1))
    async with store.transaction():
        await store.outbox.claim(row.id)
        await store.outbox.retry_later(row.id, 1000.0, "429: too many")
    assert await store.outbox.due(now=999.0) == []
    [again] = await store.outbox.due(now=1000.0)
    assert (again.state, again.attempts, again.next_attempt_at, again.last_error) == (
        DeliveryState.PENDING,
        1,
        1000.0,
        "429: too many",
    )
    assert await store.outbox.next_attempt() == 1000.0


@pytest.mark.parametrize("state", [DeliveryState.FAILED, DeliveryState.DROPPED, DeliveryState.UNKNOWN])
async def test_finish_ends_a_delivery_in_a_final_state(store: Store, state: DeliveryState) -> None:
    [row] = await enqueue(store, delivery(1))
    async with store.transaction():
        await store.outbox.claim(row.id)
        await store.outbox.finish(row.id, state, "why")
    done = await one_of(store, row.id)
    assert (done.state, done.last_error) == (state, "why")
    assert not await claim(store, row.id)
    assert await store.outbox.counts() == {state: 1}


@pytest.mark.parametrize("state", [DeliveryState.PENDING, DeliveryState.SENDING, DeliveryState.SENT])
async def test_finish_refuses_a_state_that_is_not_an_end_and_changes_nothing(
    store: Store, state: DeliveryState
) -> None:
    [row] = await enqueue(store, delivery(1))
    async with store.transaction():
        with pytest.raises(ValueError, match="failed, dropped or unknown"):
            await store.outbox.finish(row.id, state, "x")
    assert await one_of(store, row.id) == row


async def test_drop_chat_drops_only_that_chats_pending_rows(store: Store) -> None:
    rows = await enqueue(store, delivery(1, 1), delivery(1, 2), delivery(1, 3), delivery(2, 1))
    async with store.transaction():
        await store.outbox.claim(rows[0].id)
        await store.outbox.mark_sent(rows[0].id, 1)
        await store.outbox.claim(rows[1].id)
        assert await store.outbox.drop_chat(1, "blocked") == 1
    states = [(d.chat_id, d.report_id, d.state, d.last_error) for d in await all_rows(store)]
    assert states == [
        (1, 1, DeliveryState.SENT, None),
        (1, 2, DeliveryState.SENDING, None),
        (1, 3, DeliveryState.DROPPED, "blocked"),
        (2, 1, DeliveryState.PENDING, None),
    ]


async def test_recover_turns_rows_left_sending_into_unknown_and_never_resends_them(store: Store) -> None:
    rows = await enqueue(store, delivery(1), delivery(2))
    async with store.transaction():
        await store.outbox.claim(rows[0].id)
    async with store.transaction():
        assert await store.outbox.recover() == 1
        assert await store.outbox.recover() == 0
    lost = await one_of(store, rows[0].id)
    assert (lost.state, lost.last_error) == (DeliveryState.UNKNOWN, "interrupted while sending")
    assert [d.id for d in await store.outbox.due()] == [rows[1].id]


async def test_due_is_oldest_first_and_limited(store: Store) -> None:
    await enqueue(store, *(delivery(chat, 1) for chat in range(1, 6)))
    assert [d.chat_id for d in await store.outbox.due(limit=3)] == [1, 2, 3]


async def test_next_attempt_is_none_when_nothing_is_pending(store: Store) -> None:
    assert await store.outbox.next_attempt() is None
    [row] = await enqueue(store, delivery(1))
    assert await store.outbox.next_attempt() == 0.0
    async with store.transaction():
        await store.outbox.claim(row.id)
    assert await store.outbox.next_attempt() is None


async def test_the_states_are_the_schemas_own(store: Store, store_location: Path | str) -> None:
    await enqueue(store, delivery(1))
    for state in DeliveryState:
        execute(store_location, "UPDATE outbox SET state = ?", (state.value,))
    with pytest.raises(integrity_error(), match=r"(?i)check"):
        execute(store_location, "UPDATE outbox SET state = 'lost'")


# ---------------------------------------------------------------------------- pruning


async def finished_rows(store: Store) -> list[Delivery]:
    """One row in each state: sent, unknown, failed, dropped, sending, pending (chats 1..6)."""
    rows = await enqueue(store, *(delivery(chat) for chat in range(1, 7)))
    sent, unknown, failed, dropped, sending, _pending = rows
    async with store.transaction():
        for row in (sent, unknown, failed, sending):
            await store.outbox.claim(row.id)
        await store.outbox.mark_sent(sent.id, 1)
        await store.outbox.finish(unknown.id, DeliveryState.UNKNOWN, "lost")
        await store.outbox.finish(failed.id, DeliveryState.FAILED, "refused")
        await store.outbox.finish(dropped.id, DeliveryState.DROPPED, "blocked")
    return await all_rows(store)


async def test_prune_empties_the_text_of_old_finished_rows_only(store: Store) -> None:
    before = await finished_rows(store)
    later = time.time() + 3600
    async with store.transaction():
        assert await store.outbox.prune(older_than=60, now=later) == 4
        assert await store.outbox.prune(older_than=60, now=later) == 0
    after = await all_rows(store)
    assert [(d.text, d.markup) for d in after[:4]] == [("", None)] * 4
    assert after[4:] == before[4:]  # sending and pending keep their message
    # Everything else about a pruned row stays: its state, its error, its message id.
    assert [(d.state, d.last_error, d.message_id) for d in after] == [
        (d.state, d.last_error, d.message_id) for d in before
    ]


async def test_prune_leaves_recent_rows(store: Store) -> None:
    before = await finished_rows(store)
    async with store.transaction():
        assert await store.outbox.prune(older_than=3600) == 0
    assert await all_rows(store) == before


async def test_a_pruned_row_still_keeps_its_report_from_being_sent_twice(store: Store) -> None:
    await finished_rows(store)
    async with store.transaction():
        await store.outbox.prune(older_than=0, now=time.time() + 10)
        assert await store.outbox.enqueue([delivery(chat) for chat in range(1, 7)]) == 0


async def test_prune_refuses_a_negative_age(store: Store) -> None:
    async with store.transaction():
        with pytest.raises(ValueError, match="at least 0"):
            await store.outbox.prune(older_than=-1)


# ---------------------------------------------------------------------------- the matcher's cursor


async def test_cursor_is_none_until_set_and_then_overwritten(store: Store) -> None:
    assert await store.outbox.cursor("match") is None
    async with store.transaction():
        await store.outbox.set_cursor("match", 3)
        await store.outbox.set_cursor("other", 9)
    async with store.transaction():
        await store.outbox.set_cursor("match", 5)
    assert (await store.outbox.cursor("match"), await store.outbox.cursor("other")) == (5, 9)


async def test_added_reports_are_the_reports_first_logged_in_the_range(store: Store) -> None:
    async with store.transaction():
        for n in range(3):
            body = f"वाक्य {n}। और {n}।"
            await store.reports.save(
                NewReport(f"o{n}", f"t{n}", body),
                [NewPassage("a", ((0, 1),), b""), NewPassage("b", ((0, 1),), b"")],
            )
        await store.reports.delete(2)  # logs two deletions, which are not additions
    upto = await store.reports.last_change()
    assert upto == 8
    assert await store.outbox.added_reports(after_seq=0, upto_seq=upto) == [(1, 1), (2, 3), (3, 5)]
    assert await store.outbox.added_reports(after_seq=1, upto_seq=4) == [(1, 2), (2, 3)]
    assert await store.outbox.added_reports(after_seq=6, upto_seq=upto) == []


# ---------------------------------------------------------------------------- transactions

WRITES: dict[str, Callable[[Store], Awaitable[object]]] = {
    "enqueue": lambda s: s.outbox.enqueue([delivery(1)]),
    "claim": lambda s: s.outbox.claim(1),
    "mark_sent": lambda s: s.outbox.mark_sent(1, 1),
    "retry_later": lambda s: s.outbox.retry_later(1, 0.0, "x"),
    "finish": lambda s: s.outbox.finish(1, DeliveryState.FAILED, "x"),
    "drop_chat": lambda s: s.outbox.drop_chat(1, "x"),
    "recover": lambda s: s.outbox.recover(),
    "prune": lambda s: s.outbox.prune(older_than=0),
    "set_cursor": lambda s: s.outbox.set_cursor("match", 1),
}


@pytest.mark.parametrize("name", sorted(WRITES))
async def test_writes_need_a_transaction_and_change_nothing_without(store: Store, name: str) -> None:
    [row] = await enqueue(store, delivery(1))
    with pytest.raises(StoreError, match="inside"):
        await WRITES[name](store)
    assert await store.outbox.due() == [row]
    assert await store.outbox.cursor("match") is None
