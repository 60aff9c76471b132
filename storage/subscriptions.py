"""Subscriptions: which chats want which new reports; add, remove, list, (de)activate per chat."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from storage.errors import NotFoundError, StoreError
from storage.models import Subscription
from storage.query import Query

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

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    async def add(self, chat_id: int, topic: str, lang: str, since_seq: int) -> tuple[Subscription, bool]:
        """Subscribe ``chat_id`` to ``topic`` (inside a transaction); ``True`` when it is new.

        An existing subscription to the same topic is returned unchanged (revived if it was inactive).
        """
        self._require_transaction()
        found = await self.find(chat_id, topic)
        if found is not None:
            if not found.active:
                await self._db.run(
                    "UPDATE subscriptions SET active = 1, since_seq = ? WHERE id = ?", (since_seq, found.id)
                )
                return await self.get(found.id), False
            return found, False
        row = await self._db.one(
            "INSERT INTO subscriptions (chat_id, topic, lang, active, since_seq, created_at)"
            " VALUES (?, ?, ?, 1, ?, ?) RETURNING id",
            (chat_id, topic, lang, since_seq, datetime.now(UTC).isoformat(timespec="seconds")),
        )
        if row is None:
            raise StoreError("the subscription was not inserted")
        return await self.get(int(row[0])), True

    async def get(self, subscription_id: int) -> Subscription:
        """The subscription with this id (active or not).

        Raises:
            NotFoundError: there is no such subscription.
        """
        row = await self._db.one(f"SELECT {_COLUMNS} FROM subscriptions WHERE id = ?", (subscription_id,))
        if row is None:
            raise NotFoundError(f"no subscription {subscription_id}")
        return _subscription(row)

    async def find(self, chat_id: int, topic: str) -> Subscription | None:
        """The chat's subscription to exactly this topic, if any (active or not)."""
        row = await self._db.one(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE chat_id = ? AND topic = ?", (chat_id, topic)
        )
        return None if row is None else _subscription(row)

    async def of_chat(self, chat_id: int) -> list[Subscription]:
        """The chat's active subscriptions, oldest first."""
        rows = await self._db.all(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE chat_id = ? AND active = 1 ORDER BY id", (chat_id,)
        )
        return [_subscription(row) for row in rows]

    async def active(self) -> list[Subscription]:
        """Every active subscription, by id."""
        rows = await self._db.all(f"SELECT {_COLUMNS} FROM subscriptions WHERE active = 1 ORDER BY id")
        return [_subscription(row) for row in rows]

    async def remove(self, chat_id: int, subscription_id: int) -> Subscription | None:
        """Delete one of the chat's subscriptions by id (inside a transaction); what was deleted."""
        self._require_transaction()
        row = await self._db.one(
            f"SELECT {_COLUMNS} FROM subscriptions WHERE id = ? AND chat_id = ?", (subscription_id, chat_id)
        )
        if row is None:
            return None
        await self._db.run("DELETE FROM subscriptions WHERE id = ?", (subscription_id,))
        return _subscription(row)

    async def remove_all(self, chat_id: int) -> int:
        """Delete every subscription of the chat (inside a transaction); how many there were."""
        self._require_transaction()
        written = await self._db.run("DELETE FROM subscriptions WHERE chat_id = ?", (chat_id,))
        return written.rowcount

    async def set_chat_active(self, chat_id: int, active: bool, since_seq: int = 0) -> int:
        """(De)activate all of a chat's subscriptions (inside a transaction); how many changed.

        Reviving sets ``since_seq``, so a chat that was away gets what arrives from now on, not a backlog.
        """
        self._require_transaction()
        if active:
            written = await self._db.run(
                "UPDATE subscriptions SET active = 1, since_seq = ? WHERE chat_id = ? AND active = 0",
                (since_seq, chat_id),
            )
        else:
            written = await self._db.run(
                "UPDATE subscriptions SET active = 0 WHERE chat_id = ? AND active = 1", (chat_id,)
            )
        return written.rowcount

    async def count_active(self) -> int:
        """How many subscriptions are active, over all chats."""
        row = await self._db.one("SELECT count(*) FROM subscriptions WHERE active = 1")
        return int(row[0]) if row else 0
