"""The archive: the store and the in-memory search index, kept in step, and the ``ask`` path.

The SQLite store is the single source of truth. The index is rebuilt from the passages' stored term
entries at start-up and then follows the store's passage log, so reports ingested by another process
(``khabri ingest`` while the bot runs) become searchable at the next :meth:`Archive.sync`.
"""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from bot.report_files import Problem, ReportRecord, find_report_files, read_report_file
from retrieval import (
    Answer,
    Candidate,
    Hit,
    Index,
    Lexicon,
    Meeting,
    Person,
    QueryGroup,
    Span,
    analyze_document,
    analyze_query,
    asks_about_everyone,
    asks_for_partner,
    decode_batch,
    encode_terms,
    extract_meetings,
    is_meeting_question,
    pick_meetings,
    question_words,
    select_answer,
    split_passages,
)
from storage import (
    MeetingRow,
    NewMeeting,
    NewPassage,
    NewReport,
    Party,
    Report,
    Store,
    content_hash,
    open_store,
)

KEY_PREFIX = "k:"
# How many passages the ranker hands to sentence selection.
CANDIDATES = 40
# How many meetings an answer lists.
MAX_MEETINGS = 10
# How many passages the content words choose before function words may reorder them.
RERANK = 200
FUNCTION_FIELD = "f"
# How many of the best reports selection reads in full.
READ_REPORTS = 5
# BM25Okapi's parameters for sentence passages. Measured on the development sets (romanized Dakshina
# queries, 5 words, with 25k distractor sentences): k1 0.6 / b 0.5 ranks the right sentence first 89%
# of the time against 84% for rank_bm25's defaults (1.5 / 0.75); XQuAD-hi is unchanged.
BM25_K1 = 0.6
BM25_B = 0.5
_LOAD_BATCH = 100_000
# The largest term frequency the term-blob codec stores (``retrieval.postings.MAX_TF``); it clamps.
_MAX_TF = 0xFFFF


def seeds_dir() -> Path:
    """The reports shipped with Khabri: inside the installed package, or the checkout's ``seeds/``."""
    packaged = Path(str(resources.files("bot"))) / "seeds"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parent.parent / "seeds"


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one report or file: ``status`` is added/replaced/unchanged/duplicate/error."""

    status: str
    where: str
    report_id: int | None = None
    title: str = ""
    passages: int = 0
    message: str = ""


@dataclass(frozen=True, slots=True)
class Asked:
    """An answer with the analysed question and the reports it quotes."""

    query: tuple[QueryGroup, ...]
    answer: Answer
    reports: dict[int, Report]
    # Who met whom, when the question asks it and names someone the reports saw meet: newest first.
    meetings: tuple[MeetingRow, ...] = ()


class Archive:
    """A store plus the search index that follows it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = Index(k1=BM25_K1, b=BM25_B)
        self.lexicon = Lexicon()
        self._seq = 0
        self._last_key_id = 0
        self._term_cache: dict[str, int] = {}
        self._meetings: list[MeetingRow] = []

    @classmethod
    async def open(cls, path: str | Path, *, seed: bool = True) -> Archive:
        """Open the store at ``path``, load the seeds into an empty new store, and build the index."""
        archive = cls(await open_store(path))
        try:
            if seed and await archive.store.reports.last_change() == 0:
                await archive.ingest_paths([seeds_dir()], origin_prefix="seed:")
            await archive.load()
        except BaseException:
            await archive.close()
            raise
        return archive

    async def close(self) -> None:
        """Close the store."""
        await self.store.close()

    async def load(self) -> None:
        """(Re)build the index from every stored passage."""
        self.index = Index(k1=BM25_K1, b=BM25_B)
        self.lexicon = Lexicon()
        self._last_key_id = 0
        # Read the log position first: anything logged after it is replayed by sync().
        self._seq = await self.store.reports.last_change()
        # The database thread reads the next batch while this one is indexed here.
        reading = asyncio.ensure_future(self.store.reports.passage_terms(limit=_LOAD_BATCH))
        while batch := await reading:
            reading = asyncio.ensure_future(
                self.store.reports.passage_terms(after_id=batch[-1][0], limit=_LOAD_BATCH)
            )
            ids, offsets, terms, tfs = decode_batch([b[0] for b in batch], [b[2] for b in batch])
            self.index.add(ids, offsets, terms, tfs)
        await self._load_keys()
        self._meetings = await self.store.meetings.all()
        await self.sync()

    async def _load_keys(self) -> None:
        rows = await self.store.reports.terms_with_prefix(KEY_PREFIX, after_id=self._last_key_id)
        if rows:
            self.lexicon.add(text[len(KEY_PREFIX) :] for _, text in rows)
            self._last_key_id = rows[-1][0]

    async def sync(self) -> int:
        """Apply the passage log written since the last look; return how many entries were applied."""
        applied = 0
        while changes := await self.store.reports.changes(after_seq=self._seq):
            # Consecutive additions go into the index as one batch (one segment), not one by one.
            ids: list[int] = []
            blobs: list[bytes] = []
            for change in changes:
                if change.op == "del":
                    self._add_passages(ids, blobs)
                    if change.passage_id in self.index:
                        self.index.remove([change.passage_id])
                elif change.terms is not None and change.passage_id not in self.index:
                    ids.append(change.passage_id)
                    blobs.append(change.terms)
                self._seq = change.seq
                applied += 1
            self._add_passages(ids, blobs)
        if applied:
            await self._load_keys()
            self._meetings = await self.store.meetings.all()
        return applied

    def meetings_for(self, question: str, *, require_meeting_word: bool = True) -> list[MeetingRow]:
        """The stored meetings a question asks about, newest first.

        One named person gives everyone they met; two give the meetings between them. Unless
        ``require_meeting_word`` is False (the /meetings command), the question must also ask about
        a meeting ("मुलाकात", "mila", "met" ...).
        """
        words = question_words(question)
        if require_meeting_word and not is_meeting_question(words):
            return []
        if require_meeting_word and asks_about_everyone(words):
            return list(self._meetings)
        parties = [
            ((m.meeting.a.name, *m.meeting.a.aliases), (m.meeting.b.name, *m.meeting.b.aliases))
            for m in self._meetings
        ]
        picked = pick_meetings(words, parties)
        # One name answers only "whom did X meet?"; a question that names one person and a meeting
        # word but asks something else ("where did X go after the meeting?") gets the ordinary answer.
        if require_meeting_word and not picked.between and not asks_for_partner(words):
            return []
        return [self._meetings[i] for i in picked.indexes]

    def latest_meetings(self, limit: int = 10) -> list[MeetingRow]:
        """The newest meetings in the archive."""
        return self._meetings[:limit]

    def _add_passages(self, ids: list[int], blobs: list[bytes]) -> None:
        """Index the passages collected so far (the log never repeats an addition) and forget them."""
        if ids:
            self.index.add(*decode_batch(ids, blobs))
            ids.clear()
            blobs.clear()

    async def ingest_paths(
        self,
        paths: Iterable[Path],
        *,
        origin_prefix: str | None = None,
        on_each: Callable[[], object] | None = None,
    ) -> list[IngestOutcome]:
        """Read every report file under ``paths`` and store what is new; report each outcome."""
        outcomes: list[IngestOutcome] = []
        for found in find_report_files(paths):
            if on_each is not None:
                on_each()
            if isinstance(found, Problem):
                outcomes.append(IngestOutcome("error", found.where, message=found.message))
                continue
            for item in read_report_file(found):
                if isinstance(item, Problem):
                    outcomes.append(IngestOutcome("error", item.where, message=item.message))
                    continue
                if origin_prefix is not None and item.origin.startswith("file:"):
                    item = _with_origin(item, origin_prefix + found.name)
                outcomes.append(await self.ingest_record(item))
        return outcomes

    async def ingest_record(self, record: ReportRecord) -> IngestOutcome:
        """Store one report (with its passages and index entries) unless its content is already here."""
        return (await self.ingest_records([record]))[0]

    async def ingest_records(self, records: Sequence[ReportRecord]) -> list[IngestOutcome]:
        """Store several reports in one transaction (all or none), skipping content already here."""
        fresh: list[tuple[int, ReportRecord]] = []
        outcomes: list[IngestOutcome | None] = []
        for record in records:
            same = await self.store.reports.find_by_hash(content_hash(record.title, record.body))
            if same is not None:
                status = "unchanged" if same.origin == record.origin else "duplicate"
                outcomes.append(IngestOutcome(status, record.where, same.id, same.title))
                continue
            fresh.append((len(outcomes), record))
            outcomes.append(None)
        # Analysis of later chunks runs in the worker processes while earlier chunks are written.
        pending = _analyse_chunks([record for _, record in fresh])
        if fresh:
            try:
                async with self.store.transaction():
                    for lo, hi, analysing in pending:
                        part = list(zip(fresh[lo:hi], await analysing, strict=True))
                        counts = [terms for _, analysis in part for _, _, terms in analysis.passages]
                        # One interning round trip and one encoding pass per chunk, not per report.
                        blobs = iter(_encode_all(counts, await self._term_ids(counts)))
                        for (position, record), analysis in part:
                            stored = [
                                NewPassage(text, tuple((s.start, s.end) for s in spans), next(blobs))
                                for text, spans, _ in analysis.passages
                            ]
                            result = await self.store.reports.save(_new_report(record), stored)
                            await self.store.meetings.replace(result.report_id, analysis.meetings)
                            outcomes[position] = IngestOutcome(
                                result.status, record.where, result.report_id, record.title, len(stored)
                            )
            except BaseException:
                for _, _, analysing in pending:
                    analysing.cancel()
                # Ids handed out inside a rolled-back transaction do not exist.
                self._term_cache.clear()
                raise
            await self.sync()
        return [o for o in outcomes if o is not None]

    async def _term_ids(self, counts: Sequence[dict[str, int]]) -> dict[str, int]:
        cache = self._term_cache
        missing = {term for terms in counts for term in terms if term not in cache}
        if missing:
            cache.update(await self.store.reports.intern_terms(missing))
        return cache

    async def _search(
        self, question: str, k: int
    ) -> tuple[tuple[QueryGroup, ...], list[Hit], dict[str, int]]:
        query = analyze_query(question, self.lexicon)
        terms = {alt.term for group in query for alt in group.alternatives}
        ids = await self.store.reports.term_ids(terms)
        content: list[list[tuple[int, float]]] = []
        function: list[list[tuple[int, float]]] = []
        for group in query:
            alternatives = [(ids[alt.term], alt.weight) for alt in group.alternatives if alt.term in ids]
            if alternatives:
                (function if group.field == FUNCTION_FIELD else content).append(alternatives)
        return query, self._rank(content, function, k), ids

    def _rank(
        self, content: list[list[tuple[int, float]]], function: list[list[tuple[int, float]]], k: int
    ) -> list[Hit]:
        """Rank by the content words, then let the function words reorder the front runners.

        Function words (से, की, ne, ka ...) sit in most passages: scoring their postings over the
        whole archive costs more than everything else, yet they only ever decide between passages
        the content words already put near the top.
        """
        if not content:
            return self.index.search(function, k=k)
        hits = self.index.search(content, k=max(k, RERANK))
        if not function or not hits:
            return hits[:k]
        front = np.fromiter((h.doc_id for h in hits), dtype=np.int64, count=len(hits))
        return self.index.search(content + function, k=k, candidates=front)

    async def rank_reports(self, question: str, *, k: int = 10) -> list[int]:
        """The ids of the ``k`` best-ranked reports for a question, by their best passage."""
        _, hits, _ = await self._search(question, CANDIDATES * 2)
        return list(await self._best_reports(hits))[:k]

    async def _best_reports(self, hits: Sequence[Hit]) -> dict[int, float]:
        """Each hit report's score (its best passage's), in rank order."""
        report_of = await self.store.reports.report_ids_of(h.doc_id for h in hits)
        best: dict[int, float] = {}
        for hit in hits:
            if (report_id := report_of.get(hit.doc_id)) is not None:
                best.setdefault(report_id, hit.score)
        return best

    @staticmethod
    def _query_terms_in(ids: dict[str, int], blobs: dict[int, bytes]) -> dict[int, frozenset[str]]:
        """Which of the query's terms each passage holds, read from its stored index entry."""
        if not ids or not blobs:
            return {}
        passage_ids = list(blobs)
        _, offsets, term_ids, _ = decode_batch(passage_ids, [blobs[p] for p in passage_ids])
        wanted = np.fromiter(ids.values(), dtype=np.int64, count=len(ids))
        hit = np.isin(term_ids, wanted)
        by_id = {term_id: term for term, term_id in ids.items()}
        found: dict[int, frozenset[str]] = {}
        for i, pid in enumerate(passage_ids):
            lo, hi = int(offsets[i]), int(offsets[i + 1])
            found[pid] = frozenset(by_id[int(t)] for t in term_ids[lo:hi][hit[lo:hi]])
        return found

    async def ask(self, question: str, *, k: int = 3) -> Asked:
        """Answer a question from the archive: the best sentences of up to ``k`` reports."""
        query, hits, ids = await self._search(question, CANDIDATES)
        # Each report's rank and score come from its best passage...
        best = await self._best_reports(hits)
        scores = {h.doc_id: h.score for h in hits}
        # ...but the answer may stand in a sentence of the report the ranker did not return, so
        # selection reads the best reports whole.
        top = list(best)[: max(k, READ_REPORTS)]
        whole = await self.store.reports.passages_of_reports(top)
        read = [p for report_id in top for p in whole.get(report_id, [])]
        terms = self._query_terms_in(ids, await self.store.reports.terms_of(p.id for p in read))
        candidates = [
            Candidate(
                p.id,
                p.report_id,
                p.text,
                tuple(Span(a, b) for a, b in p.sentences),
                scores.get(p.id, 0.0),
                terms.get(p.id, frozenset()),
            )
            for p in read
        ]
        idf = {term: self.index.idf(term_id) for term, term_id in ids.items()}
        unknown_idf = math.log((len(self.index) + 0.5) / 0.5) if len(self.index) else 1.0
        answer = select_answer(query, candidates, idf, unknown_idf=unknown_idf, max_reports=k)
        meetings = tuple(self.meetings_for(question)[:MAX_MEETINGS])
        reports = await self.store.reports.get_many(
            [r.report_id for r in answer.reports] + [m.report_id for m in meetings]
        )
        return Asked(query, answer, reports, meetings)


def _with_origin(record: ReportRecord, origin: str) -> ReportRecord:
    return ReportRecord(
        origin, record.title, record.body, record.url, record.source, record.published, record.where
    )


def _new_report(record: ReportRecord) -> NewReport:
    return NewReport(
        origin=record.origin,
        title=record.title,
        body=record.body,
        url=record.url,
        source=record.source,
        published=record.published,
    )


@dataclass(frozen=True, slots=True)
class Analysis:
    """A report made ready to store: its passages with their index terms, and its meetings."""

    passages: list[tuple[str, tuple[Span, ...], dict[str, int]]]
    meetings: tuple[NewMeeting, ...]


# Batches of at least this many reports are analysed in worker processes, one per core: analysis is
# pure Python and holds the GIL, and bulk ingest is otherwise bound by it.
_POOL_MIN_RECORDS = 32
_pool: ProcessPoolExecutor | None = None


def _analysis_pool() -> ProcessPoolExecutor | None:
    global _pool
    workers = os.cpu_count() or 1
    if workers < 2:
        return None
    if _pool is None:
        # spawn, not fork: the parent runs aiosqlite's thread, which a fork would copy mid-flight.
        _pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    return _pool


_CHUNK_RECORDS = 8
"""Reports per unit of work handed to a worker process."""


def _analyse_chunks(records: Sequence[ReportRecord]) -> list[tuple[int, int, asyncio.Future[list[Analysis]]]]:
    """Start analysing the reports; return ``(lo, hi, future)`` for each run ``records[lo:hi]``, in order.

    Small batches are analysed here and now; big ones go to the worker processes in chunks, so the
    caller can store the first chunks while the workers analyse the rest.
    """
    if not records:
        return []
    loop = asyncio.get_running_loop()
    pool = _analysis_pool() if len(records) >= _POOL_MIN_RECORDS else None
    if pool is None:
        done: asyncio.Future[list[Analysis]] = loop.create_future()
        done.set_result(_analyse_chunk(records))
        return [(0, len(records), done)]
    return [
        (lo, min(lo + _CHUNK_RECORDS, len(records)), loop.run_in_executor(pool, _analyse_chunk, chunk))
        for lo in range(0, len(records), _CHUNK_RECORDS)
        if (chunk := records[lo : lo + _CHUNK_RECORDS])
    ]


def _analyse_chunk(records: Sequence[ReportRecord]) -> list[Analysis]:
    return [_analyse(record) for record in records]


def _analyse(record: ReportRecord) -> Analysis:
    """A report's passages with their index terms, and who met whom in it.

    The headline is a passage of its own when the body does not contain it.
    """
    texts = [] if record.title in record.body else split_passages(record.title)
    texts += split_passages(record.body)
    passages = [(p.text, p.sentences, analyze_document(p.text).counts) for p in texts]
    meetings = tuple(_stored_meeting(m) for m in extract_meetings(record.body, title=record.title))
    return Analysis(passages, meetings)


def _stored_meeting(meeting: Meeting) -> NewMeeting:
    def party(person: Person) -> Party:
        return Party(person.name, person.role, tuple(person.aliases))

    return NewMeeting(
        party(meeting.a),
        party(meeting.b),
        meeting.place,
        meeting.when,
        meeting.sentence,
        meeting.start,
        meeting.end,
    )


def _encode_all(counts: Sequence[dict[str, int]], ids: dict[str, int]) -> list[bytes]:
    """The term blob of each passage, as ``encode_terms`` makes it, for a whole batch at once.

    One sort of (passage, term id) keys replaces a sort and a validation per passage; the terms of a
    passage are dict keys, so they are distinct, as ``encode_terms`` requires.
    """
    if len(counts) < 8:
        return [_encode(terms, ids) for terms in counts]
    sizes = np.fromiter(map(len, counts), dtype=np.int64, count=len(counts))
    total = int(sizes.sum())
    term_ids = np.fromiter((ids[t] for terms in counts for t in terms), dtype=np.uint64, count=total)
    tfs = np.fromiter((tf for terms in counts for tf in terms.values()), dtype=np.int64, count=total)
    if total and int(tfs.min()) < 1:
        raise ValueError("term frequencies must be at least 1")
    key = np.repeat(np.arange(len(counts), dtype=np.uint64), sizes) << np.uint64(32)
    key |= term_ids
    order = np.argsort(key, kind="stable")
    records = np.empty(total, dtype=[("term", "<u4"), ("tf", "<u2")])
    records["term"] = term_ids[order]
    records["tf"] = np.minimum(tfs[order], _MAX_TF)
    raw = records.tobytes()
    ends = (np.cumsum(sizes) * records.itemsize).tolist()
    return [raw[a:z] for a, z in zip([0, *ends[:-1]], ends, strict=True)]


def _encode(terms: dict[str, int], ids: dict[str, int]) -> bytes:
    term_ids = np.fromiter((ids[t] for t in terms), dtype=np.uint32, count=len(terms))
    tfs = np.fromiter(terms.values(), dtype=np.uint32, count=len(terms))
    return encode_terms(term_ids, tfs)
