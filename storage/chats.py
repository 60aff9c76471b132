"""Per-user settings (the /lang choice) and the counts an operator reads: chats and questions per hour.

Nothing here holds message text: a chat is its id and two times, a question is one count in its hour.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from storage.query import Query

__all__ = ["Chats"]

LANGUAGES = ("hi", "en")


def _now() -> datetime:
    return datetime.now(UTC)


def _hour(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H")


class Chats:
    """The chat settings and activity counts of one store; reached as ``store.chats``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    async def languages(self) -> dict[int, str]:
        """Every user's chosen interface language, by user id."""
        rows = await self._db.all("SELECT user_id, lang FROM chat_settings")
        return {int(user_id): str(lang) for user_id, lang in rows}

    async def set_language(self, user_id: int, lang: str) -> None:
        """Remember a user's interface language (inside a transaction).

        Raises:
            ValueError: ``lang`` is not ``hi`` or ``en``.
        """
        if lang not in LANGUAGES:
            raise ValueError(f"lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
        self._require_transaction()
        await self._db.run(
            "INSERT INTO chat_settings (user_id, lang, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, updated_at = excluded.updated_at",
            (user_id, lang, _now().isoformat(timespec="seconds")),
        )

    async def count_question(self, chat_id: int, *, now: datetime | None = None) -> None:
        """Count one question asked in ``chat_id`` (inside a transaction)."""
        self._require_transaction()
        moment = now or _now()
        stamp = moment.isoformat(timespec="seconds")
        await self._db.run(
            "INSERT INTO chats (chat_id, first_seen, last_seen) VALUES (?, ?, ?)"
            " ON CONFLICT (chat_id) DO UPDATE SET last_seen = excluded.last_seen",
            (chat_id, stamp, stamp),
        )
        await self._db.run(
            "INSERT INTO question_hours (hour, questions) VALUES (?, 1)"
            " ON CONFLICT (hour) DO UPDATE SET questions = question_hours.questions + 1",
            (_hour(moment),),
        )

    async def count(self) -> int:
        """How many chats have asked a question or hold a subscription."""
        row = await self._db.one(
            "SELECT count(*) FROM (SELECT chat_id FROM chats UNION SELECT chat_id FROM subscriptions) AS seen"
        )
        return int(row[0]) if row else 0

    async def questions_since(self, hours: int = 24, *, now: datetime | None = None) -> int:
        """Questions asked in the last ``hours`` hours (the current hour included)."""
        start = _hour((now or _now()) - timedelta(hours=hours - 1))
        row = await self._db.one(
            "SELECT coalesce(sum(questions), 0) FROM question_hours WHERE hour >= ?", (start,)
        )
        return int(row[0]) if row else 0
