"""Questions remembered by id, so a button under an answer can name its question in a few bytes.

Telegram limits a button's callback data to 64 bytes, too few for a question; the bot stores the
question here and puts its id in the button. Ids survive restarts, so old buttons keep working.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from storage.errors import NotFoundError, StoreError
from storage.query import Query


class Questions:
    """The remembered questions of one store; reached as ``store.questions``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    async def remember(self, text: str) -> int:
        """The id of this question, stored now unless it already is (inside a transaction)."""
        self._require_transaction()
        # Inserted only when missing (not ON CONFLICT), so that asking again uses up no id on PostgreSQL.
        await self._db.run(
            "INSERT INTO questions (text, created_at) SELECT ?, ?"
            " WHERE NOT EXISTS (SELECT 1 FROM questions WHERE text = ?)",
            (text, datetime.now(UTC).isoformat(timespec="seconds"), text),
        )
        row = await self._db.one("SELECT id FROM questions WHERE text = ?", (text,))
        if row is None:
            raise StoreError("the question was not stored")
        return int(row[0])

    async def get(self, question_id: int) -> str:
        """The question stored under this id.

        Raises:
            NotFoundError: there is no such question.
        """
        row = await self._db.one("SELECT text FROM questions WHERE id = ?", (question_id,))
        if row is None:
            raise NotFoundError(f"no question {question_id}")
        return str(row[0])
