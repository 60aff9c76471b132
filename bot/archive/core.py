"""The archive: the store and the in-memory search index, kept in step, and the ``ask`` path.

The SQLite store is the single source of truth. The index is rebuilt from the passages' stored term
entries at start-up and then follows the store's passage log, so reports ingested by another process
(``khabri ingest`` while the bot runs) become searchable at the next :meth:`Archive.sync`.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from bot.archive.ingest import AnalysedChunk, analyse_chunks
from bot.archive.keys import SNAPSHOT_MIN_KEYS, add_keys, build_lexicon, save_lexicon
from bot.archive.report_files import MAX_FILE_BYTES as MAX_REPORT_BYTES
from bot.archive.report_files import Problem, ReportRecord, find_report_files, read_report_file
from retrieval import (
    Answer,
    Candidate,
    Hit,
    Index,
    Lexicon,
    QueryGroup,
    Span,
    analyze_query,
    asks_about_everyone,
    asks_for_partner,
    clean_text,
    decode_batch,
    decode_joined,
    focal_phrases,
    is_meeting_question,
    load_spelling_model,
    pick_meetings,
    question_kind,
    question_words,
    select_answer,
    surface_words,
)
from storage import (
    MeetingRow,
    NewPassage,
    NewReport,
    Report,
    Store,
    StoreError,
    StoreFault,
    content_hash,
    open_store,
)

log = logging.getLogger(__name__)

# How many passages the ranker hands to sentence selection.
CANDIDATES = 40
# How many meetings an answer lists.
MAX_MEETINGS = 10
# How many passages the content words choose before function words may reorder them.
RERANK = 200
FUNCTION_FIELD = "f"
# How many of the best reports selection reads in full, and how many such windows it reads when the
# first holds no answer.
READ_REPORTS = 5
READ_WINDOWS = 2
# BM25Okapi's parameters for sentence passages. Measured on the development sets (romanized Dakshina
# queries, 5 words, with 25k distractor sentences): k1 0.6 / b 0.5 ranks the right sentence first 89%
# of the time against 84% for rank_bm25's defaults (1.5 / 0.75); XQuAD-hi is unchanged.
BM25_K1 = 0.6
BM25_B = 0.5
# Loading in batches of whole segments builds each once, with no merging afterwards.
_LOAD_BATCH = Index.SEGMENT_DOCS


def seeds_dir() -> Path:
    """The reports shipped with Khabri: inside the installed package, or the checkout's ``seeds/``."""
    packaged = Path(str(resources.files("bot"))) / "seeds"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "seeds"


@dataclass(frozen=True, slots=True)
class IngestOutcome:
    """What happened to one report or file: ``status`` is added/replaced/unchanged/duplicate/error."""

    status: str
    where: str
    report_id: int | None = None
    title: str = ""
    passages: int = 0
    message: str = ""


class IngestStopped(StoreError):
    """The store failed (a full disk, a read-only file) part-way through an ingest.

    Attributes:
        fault: the store's error, naming the file and what to do.
        outcomes: what happened to each report before the failure (those are stored).
        where: the report that could not be stored.
    """

    def __init__(self, fault: StoreFault, outcomes: list[IngestOutcome], where: str) -> None:
        super().__init__(str(fault))
        self.fault = fault
        self.outcomes = outcomes
        self.where = where


@dataclass(frozen=True, slots=True)
class Asked:
    """An answer with the analysed question and the reports it quotes."""

    query: tuple[QueryGroup, ...]
    answer: Answer
    reports: dict[int, Report]
    # Who met whom, when the question asks it and names someone the reports saw meet: newest first.
    meetings: tuple[MeetingRow, ...] = ()
    # When nothing answers: the question's focal words no report carries, as the user spelt them.
    missing: tuple[str, ...] = ()


class Archive:
    """A store plus the search index that follows it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.index = Index(k1=BM25_K1, b=BM25_B)
        self.lexicon = Lexicon()
        self._seq = 0
        self._last_key_id = 0
        self._snapshot_upto = 0
        self._term_cache: dict[str, int] = {}
        self._meetings: list[MeetingRow] = []

    @classmethod
    async def open(cls, path: str | Path, *, seed: bool = True) -> Archive:
        """Open the store at ``path``, load any seed it lacks, and build the index."""
        archive = cls(await open_store(path))
        try:
            if seed:
                await archive.load_seeds()
            await archive.load()
        except BaseException:
            await archive.close()
            raise
        return archive

    async def load_seeds(self) -> int:
        """Store the seeds the store does not have yet, all in one transaction; return how many.

        Each seed is looked up by its origin (``seed:<file name>``), so a store that once missed
        one (an older version loaded them one transaction each, and a kill could fall between)
        gets it at the next start.
        """
        records: list[ReportRecord] = []
        for found in find_report_files([seeds_dir()]):
            if isinstance(found, Problem):
                log.warning("seed %s: %s", found.where, found.message)
                continue
            for item in read_report_file(found):
                if isinstance(item, Problem):
                    log.warning("seed %s: %s", item.where, item.message)
                    continue
                records.append(
                    _with_origin(item, "seed:" + found.name) if item.origin.startswith("file:") else item
                )
        missing = [r for r in records if await self.store.reports.find_origin(r.origin) is None]
        if missing:
            await self.ingest_records(missing)
        return len(missing)

    async def close(self) -> None:
        """Save the key lexicon if it grew much since its snapshot, and close the store."""
        try:
            if self._last_key_id - self._snapshot_upto >= SNAPSHOT_MIN_KEYS:
                await save_lexicon(self.store, self.lexicon, self._last_key_id)
        except StoreFault as error:  # the caller reports the fault itself; only a head start is lost
            log.info("could not save the key lexicon: %s", error)
        except StoreError as error:  # only a head start for the next run is lost
            log.warning("could not save the key lexicon: %s", error)
        finally:
            await self.store.close()

    async def load(self) -> None:
        """(Re)build the index from every stored passage."""
        self.index = Index(k1=BM25_K1, b=BM25_B)
        # Read the log position first: anything logged after it is replayed by sync().
        self._seq = await self.store.reports.last_change()
        lexicon = asyncio.ensure_future(build_lexicon(self.store))
        # The database thread reads the next batch while this one is indexed here.
        reading = asyncio.ensure_future(self.store.reports.passage_terms_packed(limit=_LOAD_BATCH))
        while (batch := await reading).ids:
            reading = asyncio.ensure_future(
                self.store.reports.passage_terms_packed(after_id=max(batch.ids), limit=_LOAD_BATCH)
            )
            self.index.add(*decode_joined(batch.ids, batch.sizes, batch.blob))
        loaded = await lexicon
        self.lexicon, self._last_key_id = loaded.lexicon, loaded.last_term_id
        # A lexicon rebuilt whole is saved again at close, replacing a missing or unsound snapshot.
        self._snapshot_upto = loaded.snapshot_upto
        self._meetings = await self.store.meetings.all()
        # Read the spelling model now rather than at the first Latin question (~0.2 s, once).
        await asyncio.to_thread(load_spelling_model)
        await self.sync()

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
                elif change.terms is not None:
                    ids.append(change.passage_id)
                    blobs.append(change.terms)
                self._seq = change.seq
                applied += 1
            self._add_passages(ids, blobs)
        if applied:
            self._last_key_id = await add_keys(self.store, self.lexicon, self._last_key_id)
            self._meetings = await self.store.meetings.all()
        return applied

    def meetings_for(self, question: str, *, require_meeting_word: bool = True) -> list[MeetingRow]:
        """The stored meetings a question asks about, newest first.

        One named person gives everyone they met; two give the meetings between them. Unless
        ``require_meeting_word`` is False (the /meetings command), the question must also ask about
        a meeting ("मुलाकात", "mila", "met" ...).
        """
        words = question_words(clean_text(question))
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
        """Index the passages collected so far and forget them.

        The log never repeats an addition, but one logged while :meth:`load` read the passages may
        be in the index already.
        """
        if ids:
            new = ~self.index.contains(ids)
            if bool(new.all()):
                self.index.add(*decode_batch(ids, blobs))
            elif bool(new.any()):
                self.index.add(
                    *decode_batch(
                        [i for i, n in zip(ids, new, strict=True) if n],
                        [b for b, n in zip(blobs, new, strict=True) if n],
                    )
                )
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
                try:
                    outcomes.append(await self.ingest_record(item))
                except StoreFault as fault:
                    # Every report before this one is stored (each is its own transaction).
                    raise IngestStopped(fault, outcomes, item.where) from fault
        return outcomes

    async def ingest_record(self, record: ReportRecord) -> IngestOutcome:
        """Store one report (with its passages and index entries) unless its content is already here."""
        return (await self.ingest_records([record]))[0]

    async def ingest_records(
        self, records: Sequence[ReportRecord], *, off_loop: bool = False
    ) -> list[IngestOutcome]:
        """Store several reports in one transaction (all or none), skipping content already here.

        ``off_loop`` analyses even a small batch outside the event loop (see ``analyse_chunks``).
        """
        return await self._store(await self._prepare(records, off_loop=off_loop))

    async def ingest_batches(
        self, batches: Iterable[Sequence[ReportRecord]]
    ) -> AsyncIterator[list[IngestOutcome]]:
        """Ingest batch after batch, as :meth:`ingest_records` would, yielding each one's outcomes.

        The next batch is analysed (in the worker processes) while this one is stored and indexed,
        so the cores do not wait for each other between batches. Each batch is its own transaction.
        """
        upcoming = iter(batches)
        first = next(upcoming, None)
        if first is None:
            return
        current: _Prepared | None = await self._prepare(first)
        try:
            while current is not None:
                batch = next(upcoming, None)
                following = None if batch is None else await self._prepare(batch)
                prepared, current = current, following
                yield await self._store(prepared)
        finally:
            if current is not None:
                current.cancel()

    async def _prepare(self, records: Sequence[ReportRecord], *, off_loop: bool = False) -> _Prepared:
        """Sort out the content already here (and any too big to keep) and start analysing the rest."""
        fresh: list[tuple[int, ReportRecord]] = []
        outcomes: list[IngestOutcome | None] = []
        known = await self.store.reports.find_hashes(content_hash(r.title, r.body) for r in records)
        for record in records:
            size = len(record.title.encode()) + len(record.body.encode())
            if size > MAX_REPORT_BYTES:
                # The same cap as report files, whatever the source: a feed entry, a JSON record...
                message = f"the report is {size / 2**20:.1f} MB, over the {MAX_REPORT_BYTES // 2**20} MB cap"
                outcomes.append(IngestOutcome("error", record.where, message=message))
                continue
            same = known.get(content_hash(record.title, record.body))
            if same is not None:
                status = "unchanged" if same.origin == record.origin else "duplicate"
                outcomes.append(IngestOutcome(status, record.where, same.id, same.title))
                continue
            fresh.append((len(outcomes), record))
            outcomes.append(None)
        # Analysis of later chunks runs in the worker processes while earlier chunks are written.
        return _Prepared(fresh, outcomes, analyse_chunks([record for _, record in fresh], off_loop=off_loop))

    async def _store(self, prepared: _Prepared) -> list[IngestOutcome]:
        """Store a prepared batch in one transaction as its analysis comes in, then index it."""
        fresh, outcomes = prepared.fresh, prepared.outcomes
        if fresh:
            try:
                async with self.store.transaction():
                    for lo, hi, analysing in prepared.analysing:
                        chunk = await analysing
                        blobs = iter(chunk.blobs(await self._term_ids(chunk.vocab)))
                        stored = [
                            [
                                NewPassage(text, tuple((s.start, s.end) for s in spans), next(blobs))
                                for text, spans in report.passages
                            ]
                            for report in chunk.reports
                        ]
                        results = await self.store.reports.save_many(
                            [
                                (_new_report(record), p)
                                for (_, record), p in zip(fresh[lo:hi], stored, strict=True)
                            ]
                        )
                        for (position, record), report, passages, result in zip(
                            fresh[lo:hi], chunk.reports, stored, results, strict=True
                        ):
                            if report.meetings or result.status != "added":  # a new report has none
                                await self.store.meetings.replace(result.report_id, report.meetings)
                            written = len(passages) if result.status in ("added", "replaced") else 0
                            outcomes[position] = IngestOutcome(
                                result.status, record.where, result.report_id, record.title, written
                            )
            except BaseException:
                prepared.cancel()
                # Ids handed out inside a rolled-back transaction do not exist.
                self._term_cache.clear()
                raise
            await self.sync()
        return [o for o in outcomes if o is not None]

    async def _term_ids(self, vocab: Sequence[str]) -> NDArray[np.uint32]:
        """The id of each term, interning the new ones."""
        cache = self._term_cache
        missing = [term for term in vocab if term not in cache]
        if missing:
            cache.update(await self.store.reports.intern_terms(missing))
        return np.fromiter((cache[term] for term in vocab), dtype=np.uint32, count=len(vocab))

    async def query_groups(self, question: str) -> tuple[tuple[QueryGroup, ...], RankedQuery]:
        """Analyse a question into its query groups and the term-id groups that ranking takes."""
        query = analyze_query(question, self.lexicon)
        terms = {alt.term for group in query for alt in group.alternatives}
        ids = await self.store.reports.term_ids(terms)
        content: list[list[tuple[int, float]]] = []
        function: list[list[tuple[int, float]]] = []
        for group in query:
            alternatives = [(ids[alt.term], alt.weight) for alt in group.alternatives if alt.term in ids]
            if alternatives:
                (function if group.field == FUNCTION_FIELD else content).append(alternatives)
        return query, RankedQuery(content, function, ids)

    async def _search(
        self, question: str, k: int
    ) -> tuple[tuple[QueryGroup, ...], list[Hit], dict[str, int]]:
        query, ranked = await self.query_groups(question)
        return query, self.rank(ranked, k), ranked.term_ids

    def rank(self, query: RankedQuery, k: int) -> list[Hit]:
        """Rank passages by the content words, then let the function words reorder the front runners.

        Function words (से, की, ne, ka ...) sit in most passages: scoring their postings over the
        whole archive costs more than everything else, yet they only ever decide between passages
        the content words already put near the top.
        """
        content, function = query.content, query.function
        if not content:
            return self.index.search(function, k=k)
        hits = self.index.search(content, k=max(k, RERANK))
        if not function or not hits:
            return hits[:k]
        front = np.fromiter((h.doc_id for h in hits), dtype=np.int64, count=len(hits))
        total = np.fromiter((h.score for h in hits), dtype=np.float64, count=len(hits))
        total += self.index.scores(function, front)
        order = np.lexsort((front, -total))[:k]
        return [Hit(int(front[i]), float(total[i])) for i in order.tolist() if total[i] > 0]

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

    async def _candidates(
        self, report_ids: Sequence[int], ids: dict[str, int], scores: dict[int, float]
    ) -> list[Candidate]:
        """Every passage of these reports, in their order, as selection reads them."""
        whole = await self.store.reports.passages_of_reports(report_ids)
        passages = [p for report_id in report_ids for p in whole.get(report_id, [])]
        terms = self._query_terms_in(ids, await self.store.reports.terms_of(p.id for p in passages))
        return [
            Candidate(
                p.id,
                p.report_id,
                p.text,
                tuple(Span(a, b) for a, b in p.sentences),
                scores.get(p.id, 0.0),
                terms.get(p.id, frozenset()),
            )
            for p in passages
        ]

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
        """Answer a question from the archive: the best sentences of up to ``k`` reports.

        Pasted markup and control characters are cleaned off the question first.
        """
        question = clean_text(question)
        query, hits, ids = await self._search(question, CANDIDATES)
        # Each report's rank and score come from its best passage...
        best = await self._best_reports(hits)
        scores = {h.doc_id: h.score for h in hits}
        # ...but the answer may stand in a sentence of the report the ranker did not return, so
        # selection reads the best reports whole. When none of them carries what the question is
        # about, the next few are read too before saying so (a long report's best sentence can rank
        # below short ones that share a common word).
        ranked = list(best)
        idf = {term: self.index.idf(term_id) for term, term_id in ids.items()}
        unknown_idf = math.log((len(self.index) + 0.5) / 0.5) if len(self.index) else 1.0
        kind, focus = question_kind(question), focal_phrases(question)
        read: list[Candidate] = []
        answer = Answer(False, ())
        for window in range(READ_WINDOWS):
            top = ranked[window * max(k, READ_REPORTS) : (window + 1) * max(k, READ_REPORTS)]
            if not top:
                break
            read += await self._candidates(top, ids, scores)
            answer = select_answer(
                query, read, idf, unknown_idf=unknown_idf, max_reports=k, kind=kind, focus=focus
            )
            if answer.answered:
                break
        meetings = tuple(self.meetings_for(question)[:MAX_MEETINGS])
        reports = await self.store.reports.get_many(
            [r.report_id for r in (*answer.reports, *answer.related)] + [m.report_id for m in meetings]
        )
        return Asked(query, answer, reports, meetings, surface_words(question, answer.missing))


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A batch of reports on its way in: those already here, and the analysis of the rest."""

    fresh: list[tuple[int, ReportRecord]]
    """Each new report with its position among the outcomes."""
    outcomes: list[IngestOutcome | None]
    analysing: list[tuple[int, int, asyncio.Future[AnalysedChunk]]]

    def cancel(self) -> None:
        """Stop analysing: the batch will not be stored."""
        for _, _, analysing in self.analysing:
            analysing.cancel()


@dataclass(frozen=True, slots=True)
class RankedQuery:
    """A question as ranking takes it: groups of (term id, weight), content and function words."""

    content: list[list[tuple[int, float]]]
    function: list[list[tuple[int, float]]]
    term_ids: dict[str, int]
    """The id of each of the question's index terms that the archive knows."""

    @property
    def groups(self) -> list[list[tuple[int, float]]]:
        """All the groups, content words first."""
        return self.content + self.function


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
