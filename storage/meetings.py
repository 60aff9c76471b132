"""Who met whom, as extracted from each report: replaced with the report, listed newest first."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from storage.models import MeetingRow, NewMeeting, Party
from storage.query import Query


class Meetings:
    """The meetings of one store; reached as ``store.meetings``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    async def replace(self, report_id: int, meetings: Sequence[NewMeeting]) -> None:
        """Make these the report's meetings, dropping any it had (inside a transaction)."""
        self._require_transaction()
        await self._db.run("DELETE FROM meetings WHERE report_id = ?", (report_id,))
        await self._db.run_many(
            "INSERT INTO meetings (report_id, a, a_role, a_aliases, b, b_role, b_aliases, place,"
            ' when_text, sentence, start, "end") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
            [
                (
                    report_id,
                    m.a.name,
                    m.a.role,
                    json.dumps(m.a.aliases, ensure_ascii=False),
                    m.b.name,
                    m.b.role,
                    json.dumps(m.b.aliases, ensure_ascii=False),
                    m.place,
                    m.when,
                    m.sentence,
                    m.start,
                    m.end,
                )
                for m in meetings
            ],
        )

    async def all(self) -> list[MeetingRow]:
        """Every stored meeting, newest dated report first, then those of undated reports."""
        rows = await self._db.all(
            "SELECT m.id, m.report_id, m.a, m.a_role, m.a_aliases, m.b, m.b_role, m.b_aliases, m.place,"
            ' m.when_text, m.sentence, m.start, m."end",'
            " coalesce(r.published, substr(r.ingested_at, 1, 10))"
            " FROM meetings m JOIN reports r ON r.id = m.report_id"
            " ORDER BY r.published IS NULL, r.published DESC, m.report_id DESC, m.id",
        )
        return [_row(row) for row in rows]

    async def last_id(self) -> int:
        """The largest meeting id so far (0 for none): it changes whenever meetings are added."""
        row = await self._db.one("SELECT coalesce(max(id), 0) FROM meetings")
        return int(row[0]) if row else 0


def _row(row: Sequence[object]) -> MeetingRow:
    mid, rid, a, a_role, a_aliases, b, b_role, b_aliases, place, when, sentence, start, end, day = row
    meeting = NewMeeting(
        Party(str(a), _opt(a_role), tuple(json.loads(str(a_aliases)))),
        Party(str(b), _opt(b_role), tuple(json.loads(str(b_aliases)))),
        _opt(place),
        _opt(when),
        str(sentence),
        int(start),  # type: ignore[call-overload]
        int(end),  # type: ignore[call-overload]
    )
    return MeetingRow(int(mid), int(rid), meeting, str(day))  # type: ignore[call-overload]


def _opt(value: object) -> str | None:
    return None if value is None else str(value)
