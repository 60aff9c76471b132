"""Subscriptions: which chats want which new reports; add, remove, list, (de)activate per chat."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import aiosqlite

from storage.errors import StoreError
from storage.models import Subscription

_COLUMNS = "id, chat_id, topic, lang, active, since_seq, created_at"


def _subscription(row: Sequence[object]) -> Subscription:
    sid, chat_id, topic, lang, active, since_seq, created_at = row
    return Subscription(
        int(sid),  # type: ignore[call-overload]
        int(chat_id),  # type: ignore[call-overload]
        str(topic),
        str(lang),
        bool(active),
        int(since_seq),  # type: ignore[call-overload]
        str(created_at),
    )


class Subscriptions:
    """The subscriptions of one store; reached as ``store.subscriptions``."""

    def __init__(self, conn: aiosqlite.Connection, require_transaction: Callable[[], None]) -> None:
        self._conn = conn
        self._require_transaction = require_transaction

    async def add(self, chat_id: int, topic: str, lang: str, since_seq: int) -> tuple[Subscription, bool]:
        """Subscribe ``chat_id`` to ``topic`` (inside a transaction); ``True`` when it is new.

        An existing subscription to the same topic is returned unchanged (revived if it was inactive).
        """
        self._require_transaction()
        found = await self.find(chat_id, topic)
        if found is not None:
            if not found.active:
                await self._conn.execute(
                    "UPDATE subscriptions SET active = 1, since_seq = ? WHERE id = ?", (since_seq, found.id)
                )
                return await self._get(found.id), False
            return found, False
        cursor = await self._conn.execute(
            "INSERT INTO subscriptions (chat_id, topic, lang, active, since_seq, created_at)"
            " VALUES (?, ?, ?, 1, ?, ?)",
            (chat_id, topic, lang, since_seq, datetime.now(UTC).isoformat(timespec="seconds")),
        )
        if cursor.lastrowid is None:
            raise StoreError("the subscription was not inserted")
        return await self._get(cursor.lastrowid), True

    async def _get(self, subscription_id: int) -> Subscription:
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE id = ?", (subscription_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            raise StoreError(f"no subscription {subscription_id}")
        return _subscription(row)

    async def find(self, chat_id: int, topic: str) -> Subscription | None:
        """The chat's subscription to exactly this topic, if any (active or not)."""
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE chat_id = ? AND topic = ?", (chat_id, topic)
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else _subscription(row)

    async def of_chat(self, chat_id: int) -> list[Subscription]:
        """The chat's active subscriptions, oldest first."""
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE chat_id = ? AND active = 1 ORDER BY id", (chat_id,)
        ) as cursor:
            return [_subscription(row) async for row in cursor]

    async def active(self) -> list[Subscription]:
        """Every active subscription, by id."""
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE active = 1 ORDER BY id"
        ) as cursor:
            return [_subscription(row) async for row in cursor]

    async def remove(self, chat_id: int, subscription_id: int) -> Subscription | None:
        """Delete one of the chat's subscriptions by id (inside a transaction); what was deleted."""
        self._require_transaction()
        async with self._conn.execute(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE id = ? AND chat_id = ?", (subscription_id, chat_id)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return None
        await self._conn.execute("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))
        return _subscription(row)

    async def remove_all(self, chat_id: int) -> int:
        """Delete every subscription of the chat (inside a transaction); how many there were."""
        self._require_transaction()
        cursor = await self._conn.execute("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
        return cursor.rowcount

    async def set_chat_active(self, chat_id: int, active: bool, since_seq: int = 0) -> int:
        """(De)activate all of a chat's subscriptions (inside a transaction); how many changed.

        Reviving sets ``since_seq``, so a chat that was away gets what arrives from now on, not a backlog.
        """
        self._require_transaction()
        if active:
            cursor = await self._conn.execute(
                "UPDATE subscriptions SET active = 1, since_seq = ? WHERE chat_id = ? AND active = 0",
                (since_seq, chat_id),
            )
        else:
            cursor = await self._conn.execute(
                "UPDATE subscriptions SET active = 0 WHERE chat_id = ? AND active = 1", (chat_id,)
            )
        return cursor.rowcount

    async def count_active(self) -> int:
        """How many subscriptions are active, over all chats."""
        async with self._conn.execute("SELECT count(*) FROM subscriptions WHERE active = 1") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0
