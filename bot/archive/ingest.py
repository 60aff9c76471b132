"""Analysing reports for the store: passages, their index terms and meetings, on every core.

Analysis is pure Python and holds the GIL, so big batches go to worker processes, a chunk of
reports at a time, and the archive stores the first chunks while the workers analyse the rest. A
chunk's index terms come back as one table over the chunk's own vocabulary (each distinct term
once, then arrays of positions into it), so the process that writes the store maps each distinct
term to its id once per chunk instead of once per occurrence, and encodes the passages' term blobs
with a single sort (``retrieval.encode_batch``).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bot.archive.report_files import ReportRecord
from retrieval import Meeting, Person, Span, analyze_document, encode_batch, extract_meetings, split_passages
from storage import NewMeeting, Party

__all__ = ["AnalysedChunk", "AnalysedReport", "analyse_chunks", "analyse_records"]

POOL_MIN_RECORDS = 32
"""Batches of at least this many reports are analysed in worker processes, one per core."""

CHUNK_RECORDS = 16
"""Reports per unit of work handed to a worker process."""

_pool: ProcessPoolExecutor | None = None


@dataclass(frozen=True, slots=True)
class AnalysedReport:
    """A report made ready to store: its passages' texts and sentence spans, and its meetings."""

    passages: list[tuple[str, tuple[Span, ...]]]
    meetings: tuple[NewMeeting, ...]


@dataclass(frozen=True, slots=True)
class AnalysedChunk:
    """Reports analysed together, with their passages' index terms over one shared vocabulary.

    The passages of all the reports, in order, form a CSR table: passage ``i`` has the terms
    ``vocab[terms[j]]`` with frequencies ``tfs[j]`` for ``j`` in ``offsets[i]:offsets[i + 1]``.
    """

    reports: list[AnalysedReport]
    vocab: list[str]
    offsets: NDArray[np.int64]
    terms: NDArray[np.int32]
    tfs: NDArray[np.int32]

    def blobs(self, term_ids: NDArray[np.uint32]) -> list[bytes]:
        """Each passage's term blob, as ``retrieval.encode_terms`` makes it, given the vocabulary's ids."""
        return encode_batch(self.offsets, term_ids[self.terms], self.tfs)


def analyse_records(records: Sequence[ReportRecord]) -> AnalysedChunk:
    """Analyse reports here and now, into one chunk."""
    reports: list[AnalysedReport] = []
    vocab: dict[str, int] = {}
    sizes: list[int] = []
    terms: list[int] = []
    tfs: list[int] = []
    for record in records:
        # The headline is a passage of its own when the body does not contain it.
        texts = [] if record.title in record.body else split_passages(record.title)
        texts += split_passages(record.body)
        for passage in texts:
            counts = analyze_document(passage.text).counts
            sizes.append(len(counts))
            terms.extend(vocab.setdefault(term, len(vocab)) for term in counts)
            tfs.extend(counts.values())
        meetings = tuple(_stored(m) for m in extract_meetings(record.body, title=record.title))
        reports.append(AnalysedReport([(p.text, p.sentences) for p in texts], meetings))
    offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=offsets[1:])
    return AnalysedChunk(
        reports, list(vocab), offsets, np.asarray(terms, dtype=np.int32), np.asarray(tfs, dtype=np.int32)
    )


def analyse_chunks(
    records: Sequence[ReportRecord], *, off_loop: bool = False
) -> list[tuple[int, int, asyncio.Future[AnalysedChunk]]]:
    """Start analysing the reports; return ``(lo, hi, future)`` for each run ``records[lo:hi]``, in order.

    Small batches are analysed here and now, unless ``off_loop`` (the event loop is serving users:
    a feed's entries); big ones go to the worker processes in chunks, so the caller can store the
    first chunks while the workers analyse the rest.
    """
    if not records:
        return []
    loop = asyncio.get_running_loop()
    pool = _analysis_pool() if off_loop or len(records) >= POOL_MIN_RECORDS else None
    if pool is None and off_loop:
        # One core: a thread at least lets the event loop take its turns.
        return [(0, len(records), asyncio.ensure_future(asyncio.to_thread(analyse_records, records)))]
    if pool is None:
        done: asyncio.Future[AnalysedChunk] = loop.create_future()
        done.set_result(analyse_records(records))
        return [(0, len(records), done)]
    return [
        (lo, min(lo + CHUNK_RECORDS, len(records)), loop.run_in_executor(pool, analyse_records, chunk))
        for lo in range(0, len(records), CHUNK_RECORDS)
        if (chunk := records[lo : lo + CHUNK_RECORDS])
    ]


def _analysis_pool() -> ProcessPoolExecutor | None:
    global _pool
    workers = os.cpu_count() or 1
    if workers < 2:
        return None
    if _pool is None:
        # spawn, not fork: the parent runs aiosqlite's thread, which a fork would copy mid-flight.
        _pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
    return _pool


def _stored(meeting: Meeting) -> NewMeeting:
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
