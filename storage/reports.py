"""Reports, their passages and the passage log: save (keyed by content hash), list, fetch.

Over 300 lines on purpose: a report, its passages, their index entries and the log rows the search
index follows are written together here and nowhere else, so they cannot disagree; the reads the
question path and the index need (``read_ranked``, the packed terms, the log) sit beside the
writes whose layout they read.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import cast

from storage.errors import NotFoundError, StoreError
from storage.models import (
    NewPassage,
    NewReport,
    PackedTerms,
    Passage,
    PassageChange,
    PassageOp,
    RankedReports,
    Report,
    ReportSummary,
    SaveResult,
    SaveStatus,
    WholeReports,
)
from storage.query import Query, Row

# SQLite allows 32766 host parameters; stay well below for IN (...) lists.
_CHUNK = 500

# A batch of passages' index entries as three values (see ``Reports.passage_terms_packed``).
_PACKED_TERMS = {
    "sqlite": "SELECT group_concat(id), group_concat(length(terms)), CAST(group_concat(terms, '') AS BLOB)"
    " FROM (SELECT id, terms FROM passages WHERE id > ? ORDER BY id LIMIT ?)",
    "postgresql": "SELECT string_agg(id::text, ',' ORDER BY id),"
    " string_agg(length(terms)::text, ',' ORDER BY id), string_agg(terms, ''::bytea ORDER BY id)"
    " FROM (SELECT id, terms FROM passages WHERE id > ? ORDER BY id LIMIT ?) batch",
}


def _spans(spans: Sequence[tuple[int, int]]) -> str:
    """Sentence spans as stored: the JSON ``[[start,end],...]``, written without json's overhead."""
    return "[" + ",".join(f"[{int(a)},{int(b)}]" for a, b in spans) + "]"


@lru_cache(maxsize=4096)
def content_hash(title: str, body: str) -> str:
    """The identity of a report's content: SHA-256 over its NFC title and body, whitespace folded."""
    folded = " ".join(unicodedata.normalize("NFC", f"{title}\n{body}").split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _refuse_nul(report: NewReport | None, passages: Sequence[NewPassage]) -> None:
    """Refuse text holding U+0000, on either backend: PostgreSQL cannot store it in a text column.

    ``report`` is ``None`` when only passages are written (a report analysed again).
    """
    names = ("origin", "title", "body", "url", "source", "published") if report is not None else ()
    fields = {name: getattr(report, name) for name in names}
    fields.update({f"passage {i}": passage.text for i, passage in enumerate(passages)})
    for name, value in fields.items():
        if value is not None and "\x00" in value:
            raise ValueError(f"the report's {name} holds a NUL character (U+0000), which no store keeps")


_REPORT_COLUMNS = "id, origin, title, body, url, source, published, content_hash, ingested_at"


def _report(row: Sequence[object]) -> Report:
    return Report(*row)  # type: ignore[arg-type]


class Reports:
    """The report tables of one store; reached as ``store.reports``."""

    def __init__(self, db: Query, require_transaction: Callable[[], None]) -> None:
        self._db = db
        self._require_transaction = require_transaction

    async def _rows_in(self, select: str, values: Iterable[object], suffix: str = "") -> AsyncIterator[Row]:
        """Rows of ``{select} (?, ?, ...) {suffix}`` for the distinct values, a chunk at a time.

        ``select`` ends with ``... IN``; chunks keep each query under SQLite's parameter limit, and
        the values always travel as parameters, never in the SQL text.
        """
        wanted = sorted(set(values), key=str)
        if self._db.dialect == "postgresql" and wanted:
            # One array parameter, one trip, however many values: PostgreSQL has no 32766 limit here.
            for row in await self._db.all(f"{select.removesuffix(' IN')} = ANY(?) {suffix}", (wanted,)):
                yield row
            return
        for i in range(0, len(wanted), _CHUNK):
            chunk = wanted[i : i + _CHUNK]
            marks = ",".join("?" * len(chunk))
            # One trip to the database thread per chunk, not one per 64 rows.
            rows = await self._db.all(f"{select} ({marks}) {suffix}", chunk)
            for row in rows:
                yield row

    async def find_by_hash(self, digest: str) -> Report | None:
        """The report whose content has this hash, if any."""
        row = await self._db.one(f"SELECT {_REPORT_COLUMNS} FROM reports WHERE content_hash = ?", (digest,))
        return None if row is None else _report(row)

    async def find_origin(self, origin: str) -> int | None:
        """The id of the report stored under this origin, if any."""
        row = await self._db.one("SELECT id FROM reports WHERE origin = ?", (origin,))
        return None if row is None else int(row[0])

    async def intern_terms(self, texts: Iterable[str]) -> dict[str, int]:
        """Ids for these index terms, creating the missing ones (inside a transaction)."""
        self._require_transaction()
        wanted = sorted(set(texts))
        known = await self.term_ids(wanted)
        # Only the missing ones are inserted (not ON CONFLICT over all): PostgreSQL would use up an id
        # for every term that exists already, and term ids are packed into every passage's entry.
        missing = [t for t in wanted if t not in known]
        if missing:
            # The write lock keeps anyone else from adding these meanwhile; ids go in sorted order.
            await self._db.insert_rows("terms", ("text",), [(t,) for t in missing])
            known.update(await self.term_ids(missing))
        return known

    async def term_ids(self, texts: Iterable[str]) -> dict[str, int]:
        """Ids of those of these index terms that exist; unknown terms are left out."""
        return {
            text: term_id
            async for text, term_id in self._rows_in("SELECT text, id FROM terms WHERE text IN", texts)
        }

    async def terms_after(self, after_id: int = 0, *, limit: int = 200_000) -> list[tuple[int, str]]:
        """``(id, text)`` of the terms with an id above ``after_id``, in id order, at most ``limit``.

        Term ids only grow and writers take the store's write lock in turn, so a reader that keeps the
        last id it saw reads each new term exactly once.
        """
        rows = await self._db.all(
            "SELECT id, text FROM terms WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)
        )
        return [(int(term_id), str(text)) for term_id, text in rows]

    async def terms_with_prefix(self, prefix: str, after_id: int = 0) -> list[tuple[int, str]]:
        """``(id, text)`` of the terms that start with ``prefix`` and have an id above ``after_id``."""
        if not prefix:
            raise ValueError("prefix must not be empty")
        # A range on the text lets SQLite walk the terms' unique index instead of the whole table.
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        rows = await self._db.all(
            "SELECT id, text FROM terms WHERE text >= ? AND text < ? AND id > ? ORDER BY id",
            (prefix, upper, after_id),
        )
        return [(int(term_id), str(text)) for term_id, text in rows]

    async def save(self, report: NewReport, passages: Sequence[NewPassage]) -> SaveResult:
        """Add a report, or replace the one with the same origin, with all its passages.

        Must run inside ``store.transaction()``, so that the report, its passages and their log
        entries land together or not at all.

        Raises:
            ValueError: a text field holds U+0000 (PostgreSQL's text cannot; SQLite is held to the same).
        """
        self._require_transaction()
        _refuse_nul(report, passages)
        digest = content_hash(report.title, report.body)
        same = await self.find_by_hash(digest)
        if same is not None:
            status = SaveStatus.UNCHANGED if same.origin == report.origin else SaveStatus.DUPLICATE
            return SaveResult(status, same.id)
        row = await self._db.one("SELECT id FROM reports WHERE origin = ?", (report.origin,))
        values = (
            report.title,
            report.body,
            report.url,
            report.source,
            report.published,
            digest,
            _now(),
        )
        if row is None:
            inserted = await self._db.one(
                "INSERT INTO reports (origin, title, body, url, source, published, content_hash,"
                " ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (report.origin, *values),
            )
            if inserted is None:
                raise StoreError("the report was not inserted")
            report_id = int(inserted[0])
            status = SaveStatus.ADDED
        else:
            report_id = int(row[0])
            await self._delete_passages(report_id)
            await self._db.run(
                "UPDATE reports SET title = ?, body = ?, url = ?, source = ?, published = ?,"
                " content_hash = ?, ingested_at = ? WHERE id = ?",
                (*values, report_id),
            )
            status = SaveStatus.REPLACED
        await self._insert_passages(report_id, passages)
        return SaveResult(status, report_id)

    async def replace_passages(self, report_id: int, passages: Sequence[NewPassage]) -> None:
        """Give a report new passages (a new analysis of the same text), logging the old out, the new in.

        Must run inside ``store.transaction()``.

        Raises:
            NotFoundError: there is no such report.
            ValueError: a passage holds U+0000.
        """
        self._require_transaction()
        _refuse_nul(None, passages)
        if await self._db.one("SELECT 1 FROM reports WHERE id = ?", (report_id,)) is None:
            raise NotFoundError(f"no report {report_id}")
        await self._delete_passages(report_id)
        await self._insert_passages(report_id, passages)

    async def report_ids(self, *, after_id: int = 0, limit: int = 1000) -> list[int]:
        """The ids of the reports after ``after_id``, in id order, at most ``limit``."""
        rows = await self._db.all(
            "SELECT id FROM reports WHERE id > ? ORDER BY id LIMIT ?", (after_id, limit)
        )
        return [int(row[0]) for row in rows]

    async def save_many(self, items: Sequence[tuple[NewReport, Sequence[NewPassage]]]) -> list[SaveResult]:
        """Save reports as :meth:`save` would, one after the other, in a few statements per batch.

        New content under a new origin, the usual case in a bulk ingest, is inserted for the whole
        batch at once; a report whose content or origin the store or the batch already has goes
        through :meth:`save` in its turn. Must run inside ``store.transaction()``.
        """
        self._require_transaction()
        for report, passages in items:
            _refuse_nul(report, passages)
        digests = [content_hash(report.title, report.body) for report, _ in items]
        taken_hashes = {
            row[0]
            async for row in self._rows_in("SELECT content_hash FROM reports WHERE content_hash IN", digests)
        }
        taken_origins = {
            row[0]
            async for row in self._rows_in(
                "SELECT origin FROM reports WHERE origin IN", [report.origin for report, _ in items]
            )
        }
        results: list[SaveResult] = []
        fresh: list[tuple[NewReport, Sequence[NewPassage], str]] = []
        for (report, passages), digest in zip(items, digests, strict=True):
            if digest in taken_hashes or report.origin in taken_origins:
                results += await self._insert_new(fresh)
                fresh = []
                results.append(await self.save(report, passages))
            else:
                fresh.append((report, passages, digest))
            taken_hashes.add(digest)
            taken_origins.add(report.origin)
        results += await self._insert_new(fresh)
        return results

    async def _insert_new(
        self, fresh: Sequence[tuple[NewReport, Sequence[NewPassage], str]]
    ) -> list[SaveResult]:
        """Insert reports whose content and origin are new, with their passages and log entries.

        The ids are chosen here, as AUTOINCREMENT would (after the largest ever used), so that the
        passages and log entries can be inserted with one statement each; the transaction's write
        lock keeps anyone else from taking them meanwhile.
        """
        if not fresh:
            return []
        report_id = await self._reserve_ids("reports", len(fresh))
        passage_id = await self._reserve_ids("passages", sum(len(passages) for _, passages, _ in fresh))
        now = _now()
        report_rows = []
        passage_rows = []
        log_rows = []
        for i, (report, passages, digest) in enumerate(fresh):
            rid = report_id + i
            report_rows.append(
                (
                    rid,
                    report.origin,
                    report.title,
                    report.body,
                    report.url,
                    report.source,
                    report.published,
                    digest,
                    now,
                )
            )
            for ord_, passage in enumerate(passages):
                passage_rows.append(
                    (passage_id, rid, ord_, passage.text, _spans(passage.sentences), passage.terms)
                )
                log_rows.append(("add", passage_id, rid))
                passage_id += 1
        await self._db.insert_rows("reports", _REPORT_COLUMNS.split(", "), report_rows)
        await self._db.insert_rows(
            "passages", ("id", "report_id", "ord", "text", "sentences", "terms"), passage_rows
        )
        await self._db.insert_rows("passage_log", ("op", "passage_id", "report_id"), log_rows)
        return [SaveResult(SaveStatus.ADDED, report_id + i) for i in range(len(fresh))]

    async def _reserve_ids(self, table: str, count: int) -> int:
        """The first of ``count`` consecutive ids for new rows of ``table`` (one of ours, not user input).

        SQLite: the id AUTOINCREMENT would give next; inserting rows with explicit ids moves its
        counter on by itself. PostgreSQL: the identity sequence is moved past the ids taken, since
        explicit ids do not move it.
        """
        if self._db.dialect == "postgresql":
            if count == 0:
                return 1
            row = await self._db.one(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                f" nextval(pg_get_serial_sequence('{table}', 'id')) + ? - 1)",
                (count,),
            )
            if row is None:
                raise StoreError(f"cannot reserve ids of {table}")
            return int(row[0]) - count + 1
        row = await self._db.one(
            f"SELECT max(coalesce((SELECT seq FROM sqlite_sequence WHERE name = ?), 0),"
            f" coalesce((SELECT max(id) FROM {table}), 0)) + 1",
            (table,),
        )
        if row is None:
            raise StoreError(f"cannot read the next id of {table}")
        return int(row[0])

    async def find_hashes(self, digests: Iterable[str]) -> dict[str, Report]:
        """The reports whose content has one of these hashes, by hash."""
        sql = f"SELECT {_REPORT_COLUMNS} FROM reports WHERE content_hash IN"
        reports = [_report(row) async for row in self._rows_in(sql, digests)]
        return {report.content_hash: report for report in reports}

    async def _insert_passages(self, report_id: int, passages: Sequence[NewPassage]) -> None:
        """Insert a report's passages and log their addition: two statements, whatever their number."""
        if not passages:
            return
        await self._db.insert_rows(
            "passages",
            ("report_id", "ord", "text", "sentences", "terms"),
            [
                (
                    report_id,
                    ord_,
                    passage.text,
                    _spans(passage.sentences),
                    passage.terms,
                )
                for ord_, passage in enumerate(passages)
            ],
        )
        # The report's old passages were deleted above, so these are all of its passages, in order.
        await self._db.run(
            "INSERT INTO passage_log (op, passage_id, report_id)"
            " SELECT 'add', id, report_id FROM passages WHERE report_id = ? ORDER BY id",
            (report_id,),
        )

    async def _delete_passages(self, report_id: int) -> None:
        await self._db.run(
            "INSERT INTO passage_log (op, passage_id, report_id, terms)"
            " SELECT 'del', id, report_id, terms FROM passages WHERE report_id = ? ORDER BY id",
            (report_id,),
        )
        await self._db.run("DELETE FROM passages WHERE report_id = ?", (report_id,))

    async def delete(self, report_id: int) -> None:
        """Remove a report and its passages (inside a transaction).

        Raises:
            NotFoundError: there is no such report.
        """
        self._require_transaction()
        await self.get(report_id)
        await self._delete_passages(report_id)
        await self._db.run("DELETE FROM reports WHERE id = ?", (report_id,))

    async def get(self, report_id: int) -> Report:
        """The report with this id.

        Raises:
            NotFoundError: there is no such report.
        """
        row = await self._db.one(f"SELECT {_REPORT_COLUMNS} FROM reports WHERE id = ?", (report_id,))
        if row is None:
            raise NotFoundError(f"no report {report_id}")
        return _report(row)

    async def get_many(self, report_ids: Iterable[int]) -> dict[int, Report]:
        """The reports with these ids that exist, by id."""
        sql = f"SELECT {_REPORT_COLUMNS} FROM reports WHERE id IN"
        return {row[0]: _report(row) async for row in self._rows_in(sql, report_ids)}

    async def summaries(self, *, limit: int = 50, offset: int = 0) -> list[ReportSummary]:
        """Reports with their passage counts: dated ones newest first, then the undated, newest first.

        An arrival time is not a report's date, so an undated report never sorts among dated ones.
        """
        rows = await self._db.all(
            "SELECT r.id, r.title, r.url, r.source, r.published, r.ingested_at,"
            " (SELECT count(*) FROM passages p WHERE p.report_id = r.id)"
            " FROM reports r ORDER BY r.published IS NULL, r.published DESC, r.id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [ReportSummary(*row) for row in rows]

    async def count(self) -> int:
        """How many reports the store holds."""
        row = await self._db.one("SELECT count(*) FROM reports")
        return int(row[0]) if row else 0

    async def passage_count(self) -> int:
        """How many passages the store holds."""
        row = await self._db.one("SELECT count(*) FROM passages")
        return int(row[0]) if row else 0

    async def newest_date(self) -> str | None:
        """The newest published date of any report, as ``YYYY-MM-DD``; ``None`` when none is dated."""
        row = await self._db.one("SELECT max(published) FROM reports")
        return None if row is None or row[0] is None else str(row[0])

    async def passages_of(self, report_id: int) -> list[Passage]:
        """The passages of one report, in reading order."""
        rows = await self._db.all(
            "SELECT id, report_id, ord, text, sentences FROM passages WHERE report_id = ? ORDER BY ord",
            (report_id,),
        )
        return [_passage(row) for row in rows]

    async def report_order(self, passage_ids: Sequence[int]) -> list[int]:
        """The reports of these passages (best first), each once, in the order of its first passage.

        A passage that is gone (its report replaced or deleted since it was ranked) is skipped.
        """
        report_of = await self.report_ids_of(passage_ids)
        return list(dict.fromkeys(report_of[p] for p in passage_ids if p in report_of))

    async def read_whole(self, report_ids: Sequence[int], *, also: Iterable[int] = ()) -> WholeReports:
        """These reports whole: rows, passages in reading order and index entries; rows of ``also`` too.

        Two statements for up to 500 reports (SQLite's lists go in chunks of 500; PostgreSQL takes one
        array): the passages with their entries, then the rows.
        """
        passages: dict[int, list[Passage]] = {}
        terms: dict[int, bytes] = {}
        sql = "SELECT id, report_id, ord, text, sentences, terms FROM passages WHERE report_id IN"
        async for row in self._rows_in(sql, report_ids, "ORDER BY report_id, ord"):
            passage = _passage(row[:5])
            passages.setdefault(passage.report_id, []).append(passage)
            terms[passage.id] = bytes(row[5])
        return WholeReports(await self.get_many([*report_ids, *also]), passages, terms)

    async def read_ranked(
        self, passage_ids: Sequence[int], *, first: int, also: Iterable[int] = ()
    ) -> RankedReports:
        """The reports of these ranked passages in order, the ``first`` of them read whole (see above)."""
        order = await self.report_order(passage_ids)
        return RankedReports(order, await self.read_whole(order[:first], also=also))

    async def report_ids_of(self, passage_ids: Iterable[int]) -> dict[int, int]:
        """The report each of these passages belongs to, by passage id (missing ones left out)."""
        sql = "SELECT id, report_id FROM passages WHERE id IN"
        return {int(pid): int(rid) async for pid, rid in self._rows_in(sql, passage_ids)}

    async def passages(self, passage_ids: Iterable[int]) -> dict[int, Passage]:
        """The passages with these ids that exist, by id."""
        sql = "SELECT id, report_id, ord, text, sentences FROM passages WHERE id IN"
        return {row[0]: _passage(row) async for row in self._rows_in(sql, passage_ids)}

    async def passage_terms(self, *, after_id: int = 0, limit: int = 100_000) -> list[tuple[int, int, bytes]]:
        """``(passage id, report id, terms)`` in id order, for (re)building the index in batches."""
        # One trip to the database thread for the whole batch: iterating row by row costs a
        # thread hop per handful of rows, which dominated start-up at a million passages.
        rows = await self._db.all(
            "SELECT id, report_id, terms FROM passages WHERE id > ? ORDER BY id LIMIT ?",
            (after_id, limit),
        )
        # sqlite3 gives exactly these types already (INTEGER -> int, BLOB -> bytes): no copying.
        return cast(list[tuple[int, int, bytes]], rows)

    async def passage_terms_packed(self, *, after_id: int = 0, limit: int = 100_000) -> PackedTerms:
        """The passages after ``after_id`` (at most ``limit``, in id order): ids, blob sizes, blobs.

        The same data as :meth:`passage_terms`, but the blobs come back concatenated in one bytes
        object and the ids and sizes as comma-separated text: one value per column instead of three
        Python objects per row, which is what loading a million passages at start-up spends its
        time on otherwise.
        """
        row = await self._db.one(_PACKED_TERMS[self._db.dialect], (after_id, limit))
        if row is None or row[0] is None:
            return PackedTerms([], [], b"")
        ids = [int(i) for i in str(row[0]).split(",")]
        sizes = [int(n) for n in str(row[1]).split(",")]
        blob = bytes(row[2] or b"")
        if len(ids) != len(sizes) or sum(sizes) != len(blob):
            raise StoreError("the packed passage terms do not add up")
        return PackedTerms(ids, sizes, blob)

    async def last_change(self) -> int:
        """The sequence number of the newest passage-log entry (0 for none)."""
        row = await self._db.one("SELECT coalesce(max(seq), 0) FROM passage_log")
        return int(row[0]) if row else 0

    async def changes(self, *, after_seq: int, limit: int = 10_000) -> list[PassageChange]:
        """Passage-log entries after ``after_seq``, oldest first, with each passage's terms."""
        rows = await self._db.all(
            "SELECT l.seq, l.op, l.passage_id, l.report_id,"
            " CASE l.op WHEN 'del' THEN l.terms ELSE p.terms END"
            " FROM passage_log l LEFT JOIN passages p ON p.id = l.passage_id"
            " WHERE l.seq > ? ORDER BY l.seq LIMIT ?",
            (after_seq, limit),
        )
        return [PassageChange(seq, PassageOp(op), pid, rid, terms) for seq, op, pid, rid, terms in rows]


def _passage(row: Sequence[object]) -> Passage:
    pid, rid, ord_, text, sentences = row
    spans = tuple((int(a), int(b)) for a, b in json.loads(str(sentences)))
    return Passage(int(pid), int(rid), int(ord_), str(text), spans)  # type: ignore[call-overload]
