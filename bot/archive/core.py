"""The archive: the store and the search index, kept in step, and the ``ask`` path.

The SQLite store is the single source of truth. The search index (:mod:`bot.archive.search`: the
in-memory index by default, or an OpenSearch cluster) follows the store's passage log, so reports
ingested by another process (``khabri ingest`` while the bot runs) become searchable at the next
:meth:`Archive.sync`.

Over 300 lines on purpose: :class:`Archive` is the one narrow interface the front ends reach (open,
close, ingest, sync, ask), and its parts share the store, the search backend and the term-id cache,
whose consistency (a rolled-back ingest clears the cache) is easiest to check in one class. What is
not that lives beside it: ``report_files``, ``ingest`` (analysis), ``keys`` (lexicon), ``search``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from bot.archive.dictionary import SYSTEM_DICTIONARY, load_dictionary
from bot.archive.ingest import AnalysedChunk, analyse_chunks
from bot.archive.keys import SNAPSHOT_MIN_KEYS, add_key_terms, build_lexicon, save_lexicon
from bot.archive.report_files import MAX_FILE_BYTES as MAX_REPORT_BYTES
from bot.archive.report_files import Problem, ReportRecord, find_report_files, read_report_file
from bot.archive.search import EmbeddedSearch, SearchBackend
from bot.archive.terms import TermIds
from retrieval import (
    ANALYSIS_VERSION,
    Answer,
    Candidate,
    EnglishHindi,
    Hit,
    Index,
    Lexicon,
    QueryGroup,
    Question,
    QuestionWords,
    RankedQuery,
    Span,
    asks_about_everyone,
    asks_for_partner,
    clean_text,
    idf_by_term,
    is_meeting_question,
    load_spelling_model,
    pick_meetings,
    question_words,
    ranked_query,
    read_question,
    select_answer,
    terms_held,
)
from storage import (
    MeetingRow,
    NewPassage,
    NewReport,
    Report,
    Store,
    StoreError,
    StoreFault,
    WholeReports,
    content_hash,
    open_store,
)

log = logging.getLogger(__name__)

# How many passages the ranker hands to sentence selection.
CANDIDATES = 40
# How many meetings an answer lists.
MAX_MEETINGS = 10
# How many of the best reports selection reads in full, and how many such windows it reads when the
# first holds no answer.
READ_REPORTS = 5
READ_WINDOWS = 2
# The snapshot that records which analysis made the store's index entries (retrieval.version).
ANALYSIS_SNAPSHOT = "analysis-version"
# Reports analysed again per transaction when the analysis changed.
REANALYSE_BATCH = 64


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

    def __init__(
        self,
        store: Store,
        search: SearchBackend | None = None,
        *,
        snapshot_min_keys: int = SNAPSHOT_MIN_KEYS,
        dictionary: EnglishHindi | None = None,
    ) -> None:
        """Wrap an open store.

        ``snapshot_min_keys``: save the key lexicon at close once it grew this much; ``dictionary``:
        the English–Hindi dictionary questions' English words are translated with (None: none are).
        """
        self.store = store
        self.dictionary = dictionary
        self.snapshot_min_keys = snapshot_min_keys
        self.search: SearchBackend = search if search is not None else EmbeddedSearch()
        self.lexicon = Lexicon()
        self._last_key_id = 0
        self._snapshot_upto = 0
        self.terms = TermIds()
        self._meetings: list[MeetingRow] = []

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        seed: bool = True,
        search: str | None = None,
        snapshot_min_keys: int = SNAPSHOT_MIN_KEYS,
        dictionary: Path | None = SYSTEM_DICTIONARY,
    ) -> Archive:
        """Open the store at ``path``, load any seed it lacks, and build (or catch up) the index.

        ``search`` is ``KHABRI_SEARCH``: None for the embedded index, or an ``opensearch+http://…`` URL;
        ``snapshot_min_keys`` as for the constructor; ``dictionary`` is ``KHABRI_DICTIONARY``, the
        dictd dictionary to translate English words with (None, or a missing or broken one: none).
        """
        backend: SearchBackend | None = None
        if search:
            from bot.archive.opensearch import OpenSearchSearch

            backend = OpenSearchSearch.from_url(search)
        english_hindi = await asyncio.to_thread(load_dictionary, dictionary)
        archive = cls(
            await open_store(path), backend, snapshot_min_keys=snapshot_min_keys, dictionary=english_hindi
        )
        try:
            await archive.reanalyse_if_stale()
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

    async def analysed_with(self) -> int | None:
        """The analysis version the store's index entries were made with (``None``: not recorded)."""
        found = await self.store.snapshots.get(ANALYSIS_SNAPSHOT)
        return found.upto if found is not None else None

    async def reanalyse_if_stale(self) -> int:
        """Analyse every stored report again if another analysis made them; return how many were.

        A store made before versions were recorded counts as stale. An empty one is only stamped.
        Two processes opening a stale store at once both do the work; the result is the same.
        """
        version = await self.analysed_with()
        if version == ANALYSIS_VERSION:
            return 0
        count = await self.store.reports.count()
        if count:
            log.warning(
                "analysing the %d stored reports again: they were analysed by %s, this is analysis %d",
                count,
                "an older Khabri" if version is None else f"analysis {version}",
                ANALYSIS_VERSION,
            )
            count = await self.reanalyse()
        async with self.store.transaction():
            await self.store.snapshots.put(ANALYSIS_SNAPSHOT, ANALYSIS_VERSION, b"")
        return count

    async def reanalyse(self, *, batch: int = REANALYSE_BATCH) -> int:
        """Analyse every stored report again with this code: new passages, index entries and meetings.

        A batch of reports is one transaction; the search index follows through the passage log at
        the next sync (or load). Returns how many reports were analysed.
        """
        done, after = 0, 0
        while ids := await self.store.reports.report_ids(after_id=after, limit=batch):
            after = ids[-1]
            rows = await self.store.reports.get_many(ids)
            kept = [i for i in ids if i in rows]  # one deleted meanwhile is skipped
            records = [
                ReportRecord(r.origin, r.title, r.body, r.url, r.source, r.published, r.origin)
                for r in (rows[i] for i in kept)
            ]
            analysing = analyse_chunks(records)
            interned: list[str] = []
            try:
                async with self.store.transaction():
                    for lo, hi, chunk_done in analysing:
                        chunk = await chunk_done
                        stored = await self._new_passages(chunk, interned)
                        for report_id, report, passages in zip(
                            kept[lo:hi], chunk.reports, stored, strict=True
                        ):
                            await self.store.reports.replace_passages(report_id, passages)
                            await self.store.meetings.replace(report_id, report.meetings)
            except BaseException:
                _cancel(analysing)
                self.terms.forget(interned)
                raise
            done += len(kept)
        return done

    @property
    def index(self) -> Index:
        """The embedded in-memory index (benchmarks and tests reach into it).

        Raises:
            TypeError: the archive searches another backend (OpenSearch).
        """
        if not isinstance(self.search, EmbeddedSearch):
            raise TypeError("this archive searches OpenSearch, not the embedded index")
        return self.search.index

    async def close(self) -> None:
        """Save the key lexicon if it grew much since its snapshot, and close the store."""
        try:
            if self._last_key_id - self._snapshot_upto >= self.snapshot_min_keys:
                await save_lexicon(self.store, self.lexicon, self._last_key_id)
        except StoreFault as error:  # the caller reports the fault itself; only a head start is lost
            log.info("could not save the key lexicon: %s", error)
        except StoreError as error:  # only a head start for the next run is lost
            log.warning("could not save the key lexicon: %s", error)
        finally:
            try:
                await self.search.close()
            finally:
                await self.store.close()

    async def load(self) -> None:
        """(Re)build the index from every stored passage (or catch an outside index up with the log)."""
        lexicon = asyncio.ensure_future(build_lexicon(self.store))
        try:
            await self.search.load(self.store)
            self.terms = TermIds()
            await self.terms.catch_up(self.store)
        except BaseException:
            lexicon.cancel()
            raise
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
        applied = await self.search.sync(self.store)
        if applied:
            # New passages may bring new terms (interned by any process): read them once, for the
            # term ids and the key lexicon both.
            new_terms = await self.terms.catch_up(self.store)
            self._last_key_id = add_key_terms(self.lexicon, new_terms, self._last_key_id)
            self._meetings = await self.store.meetings.all()
        return applied

    def meetings_for(self, question: str, *, require_meeting_word: bool = True) -> list[MeetingRow]:
        """The stored meetings a question asks about, newest first.

        One named person gives everyone they met; two give the meetings between them. Unless
        ``require_meeting_word`` is False (the /meetings command), the question must also ask about
        a meeting ("मुलाकात", "mila", "met" ...).
        """
        return self._meetings_of(question_words(clean_text(question)), require_meeting_word)

    def _meetings_of(self, words: QuestionWords, require_meeting_word: bool = True) -> list[MeetingRow]:
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
            interned: list[str] = []
            try:
                async with self.store.transaction():
                    await self._write(prepared, interned)
            except BaseException:  # rolled back, or the commit failed
                prepared.cancel()
                self.terms.forget(interned)
                raise
            await self.sync()
        return [o for o in outcomes if o is not None]

    async def _write(self, prepared: _Prepared, interned: list[str]) -> None:
        """Write a prepared batch inside the caller's transaction as its analysis comes in.

        The terms it interns are added to ``interned``, for the caller to forget on a rollback.
        """
        fresh, outcomes = prepared.fresh, prepared.outcomes
        for lo, hi, analysing in prepared.analysing:
            chunk = await analysing
            stored = await self._new_passages(chunk, interned)
            results = await self.store.reports.save_many(
                [(_new_report(record), p) for (_, record), p in zip(fresh[lo:hi], stored, strict=True)]
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

    async def _new_passages(self, chunk: AnalysedChunk, interned: list[str]) -> list[list[NewPassage]]:
        """Each analysed report's passages as the store takes them (new terms go onto ``interned``)."""
        blobs = iter(chunk.blobs(await self.terms.intern(self.store, chunk.vocab, interned)))
        return [
            [
                NewPassage(text, tuple((s.start, s.end) for s in spans), next(blobs))
                for text, spans in report.passages
            ]
            for report in chunk.reports
        ]

    def read(self, question: str) -> Question:
        """Read a question once, as every later step takes it (with this archive's spellings)."""
        return read_question(question, self.lexicon, self.dictionary)

    def ranked_query(self, question: Question) -> RankedQuery:
        """The question as ranking takes it: its terms' ids, from memory."""
        return ranked_query(question.query, self.terms.ids)

    async def query_groups(self, question: str) -> tuple[tuple[QueryGroup, ...], RankedQuery]:
        """Analyse a question into its query groups and the term-id groups that ranking takes."""
        read = self.read(question)
        return read.query, self.ranked_query(read)

    def rank(self, query: RankedQuery, k: int) -> list[Hit]:
        """Rank with the embedded index at once (see :meth:`EmbeddedSearch.rank_now`); for benchmarks.

        Raises:
            TypeError: the archive searches another backend (OpenSearch).
        """
        if not isinstance(self.search, EmbeddedSearch):
            raise TypeError("this archive searches OpenSearch, not the embedded index")
        return self.search.rank_now(query, k)

    async def idf_of(self, term_ids: dict[str, int]) -> tuple[dict[str, float], float]:
        """The idf of each of these terms, and that of an unknown word, as answer selection weighs them."""
        return idf_by_term(term_ids, await self.search.idf(term_ids.values())), self.search.unknown_idf()

    def term_ids(self, terms: Iterable[str]) -> dict[str, int]:
        """The ids of those of these index terms that the archive knows (from memory)."""
        return self.terms.get(list(terms))

    async def rank_reports(self, question: str, *, k: int = 10) -> list[int]:
        """The ids of the ``k`` best-ranked reports for a question, by their best passage."""
        hits = await self.search.rank(self.ranked_query(self.read(question)), CANDIDATES * 2)
        return (await self.store.reports.report_order([h.doc_id for h in hits]))[:k]

    async def ask(self, question: str, *, k: int = 3) -> Asked:
        """Answer a question from the archive: the best sentences of up to ``k`` reports.

        One way through: the question is read once (:meth:`read`, cleaning off pasted markup and
        control characters), ranked with its term ids from memory, the best reports are read from
        the store in one call (:meth:`storage.Reports.read_ranked`), and selection chooses from them.
        Nothing is written: the front end notes the question itself (:meth:`note_question`).
        """
        asked = self.read(question)
        ranked = self.ranked_query(asked)
        hits = await self.search.rank(ranked, CANDIDATES)
        meetings = tuple(self._meetings_of(asked.words)[:MAX_MEETINGS])
        window = max(k, READ_REPORTS)
        # Each report's rank and score come from its best passage, but the answer may stand in a
        # sentence the ranker did not return, so selection reads the best reports whole. When none
        # of the first window carries what the question is about, the next is read before saying
        # so (a long report's best sentence can rank below short ones that share a common word).
        # Both windows come in the one read: measured, reading ten reports instead of five costs
        # no more than the second trip it saves (docs/design.md).
        found, (idf, unknown_idf) = await asyncio.gather(
            self.store.reports.read_ranked(
                [h.doc_id for h in hits], first=window * READ_WINDOWS, also=[m.report_id for m in meetings]
            ),
            self.idf_of(ranked.term_ids),
        )
        scores = {h.doc_id: h.score for h in hits}
        whole = found.whole
        read: list[Candidate] = []
        answer = Answer(False, ())
        for start in range(0, READ_WINDOWS * window, window):
            top = found.order[start : start + window]
            if not top:
                break
            read += _candidates(top, whole, ranked.term_ids, scores)
            answer = select_answer(
                asked.query,
                read,
                idf,
                unknown_idf=unknown_idf,
                max_reports=k,
                kind=asked.kind,
                focus=asked.focus,
            )
            if answer.answered:
                break
        shown = [r.report_id for r in (*answer.reports, *answer.related)] + [m.report_id for m in meetings]
        reports = {i: whole.reports[i] for i in shown if i in whole.reports}
        return Asked(asked.query, answer, reports, meetings, asked.spelled(answer.missing))

    async def note_question(self, chat_id: int, question: str, *, first_page: bool, keep: bool) -> int:
        """Count a chat's question (first page) and keep it for its buttons; its id (0 when not kept).

        Both writes share one transaction, taken at once: other workers wait for the store's lock
        meanwhile, so it is held as briefly as possible.
        """
        if not first_page and not keep:
            return 0
        async with self.store.transaction(at_once=True):
            if first_page:
                await self.store.chats.count_question(chat_id)
            return await self.store.questions.remember(question) if keep else 0


def _candidates(
    report_ids: Sequence[int], whole: WholeReports, term_ids: dict[str, int], scores: dict[int, float]
) -> list[Candidate]:
    """Every passage of these reports, in their order, as selection reads them."""
    passages = [p for report_id in report_ids for p in whole.passages.get(report_id, [])]
    held = terms_held(term_ids, {p.id: whole.terms[p.id] for p in passages})
    return [
        Candidate(
            p.id,
            p.report_id,
            p.text,
            tuple(Span(a, b) for a, b in p.sentences),
            scores.get(p.id, 0.0),
            held.get(p.id, frozenset()),
        )
        for p in passages
    ]


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A batch of reports on its way in: those already here, and the analysis of the rest."""

    fresh: list[tuple[int, ReportRecord]]
    """Each new report with its position among the outcomes."""
    outcomes: list[IngestOutcome | None]
    analysing: list[tuple[int, int, asyncio.Future[AnalysedChunk]]]

    def cancel(self) -> None:
        """Stop analysing: the batch will not be stored."""
        _cancel(self.analysing)


def _cancel(analysing: Sequence[tuple[int, int, asyncio.Future[AnalysedChunk]]]) -> None:
    """Stop the analysis of chunks that will not be stored."""
    for _, _, chunk in analysing:
        chunk.cancel()


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
