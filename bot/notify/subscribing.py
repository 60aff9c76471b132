"""What a chat's subscriptions go through: subscribe, remove, pause and revive, each in one transaction.

The Telegram handlers (and any other front end) call these and only render the outcome: every
write to the store happens here, where the rules live. A subscription starts from the passage log's
position at the time, so it is told only of reports that arrive afterwards; a revived chat starts
afresh in the same way, never catching up on what came while it was away.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage import Store, Subscription

__all__ = [
    "SubscribeOutcome",
    "Subscribed",
    "chat_left",
    "chat_returned",
    "subscribe",
    "unsubscribe",
    "unsubscribe_all",
]


class SubscribeOutcome(StrEnum):
    """How a subscribe request ended."""

    ADDED = "added"
    """A new subscription, or one removed before and now active again."""
    EXISTS = "exists"
    """The chat already had this subscription; nothing changed."""
    CAPPED = "capped"
    """The chat is at its cap of subscriptions; nothing changed."""


@dataclass(frozen=True, slots=True)
class Subscribed:
    """A subscribe request's outcome, and the subscription (``None`` when capped)."""

    outcome: SubscribeOutcome
    subscription: Subscription | None


async def subscribe(store: Store, chat_id: int, topic: str, lang: str, *, cap: int) -> Subscribed:
    """Subscribe a chat to ``topic`` (canonical form; '' for every new report), up to ``cap`` of them."""
    async with store.transaction():
        found = await store.subscriptions.find(chat_id, topic)
        if found is not None and found.active:
            return Subscribed(SubscribeOutcome.EXISTS, found)
        if len(await store.subscriptions.of_chat(chat_id)) >= cap:
            return Subscribed(SubscribeOutcome.CAPPED, None)
        since = await store.reports.last_change()
        subscription, _ = await store.subscriptions.add(chat_id, topic, lang, since)
    return Subscribed(SubscribeOutcome.ADDED, subscription)


async def unsubscribe(store: Store, chat_id: int, subscription_id: int) -> Subscription | None:
    """Remove one of the chat's subscriptions; the removed one, or ``None`` when it had no such one."""
    async with store.transaction():
        return await store.subscriptions.remove(chat_id, subscription_id)


async def unsubscribe_all(store: Store, chat_id: int) -> int:
    """Remove every subscription of the chat; how many there were."""
    async with store.transaction():
        return await store.subscriptions.remove_all(chat_id)


async def chat_returned(store: Store, chat_id: int) -> None:
    """The chat can be written to again: its subscriptions resume with reports arriving from now."""
    async with store.transaction():
        since = await store.reports.last_change()
        await store.subscriptions.set_chat_active(chat_id, True, since)


async def chat_left(store: Store, chat_id: int, reason: str) -> None:
    """The chat blocked or removed the bot: pause its subscriptions and drop what waits to be sent."""
    async with store.transaction():
        await store.subscriptions.set_chat_active(chat_id, False)
        await store.outbox.drop_chat(chat_id, reason)
