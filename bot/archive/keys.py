"""The lexicon of romanized keys, built from the store beside the index at start-up.

Building the fuzzy lexicon is pure Python (trigrams and skeletons of every key) and takes seconds
at a million passages, as long as reading and indexing the passages' terms. So the archive saves it
in the store when it closes (a snapshot: derived data, never the source of truth) and the next
start reads that and adds only the keys interned since. Without a snapshot, another process builds
it from its own connection to the store while this one loads the index, and hands it back whole.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from retrieval import KEY_PREFIX, Lexicon
from storage import Store, open_store

__all__ = ["SNAPSHOT_MIN_KEYS", "LoadedLexicon", "add_key_terms", "add_keys", "build_lexicon", "save_lexicon"]

log = logging.getLogger(__name__)


SNAPSHOT = "key-lexicon"
"""The name of the lexicon's snapshot in the store."""

SNAPSHOT_MIN_KEYS = 10_000
"""The lexicon is saved again at close once it holds this many keys more than its snapshot."""

WORKER_MIN_BYTES = 64 << 20
"""Stores smaller than this build their lexicon in-process: starting a process would cost more."""


async def add_keys(store: Store, lexicon: Lexicon, after_id: int) -> int:
    """Add the keys of the terms after ``after_id`` to the lexicon; return the last term id read."""
    return add_key_terms(
        lexicon, await store.reports.terms_with_prefix(KEY_PREFIX, after_id=after_id), after_id
    )


def add_key_terms(lexicon: Lexicon, terms: Sequence[tuple[int, str]], after_id: int) -> int:
    """Add the keys among these ``(id, text)`` terms (id order) above ``after_id``; return the last id seen.

    The archive reads new terms once at each sync and hands them here, instead of a second read.
    """
    lexicon.add(
        text[len(KEY_PREFIX) :]
        for term_id, text in terms
        if term_id > after_id and text.startswith(KEY_PREFIX)
    )
    return max(after_id, terms[-1][0]) if terms else after_id


@dataclass(frozen=True, slots=True)
class LoadedLexicon:
    """The key lexicon as start-up found it."""

    lexicon: Lexicon
    last_term_id: int
    """The last term id whose key it holds."""
    snapshot_upto: int
    """The last term id of the snapshot it started from (0 if it was built whole)."""


async def build_lexicon(store: Store, *, worker_min_bytes: int = WORKER_MIN_BYTES) -> LoadedLexicon:
    """The lexicon of every key in the store.

    Starts from the snapshot :func:`save_lexicon` left, if there is a sound one, and adds the keys
    interned since. Otherwise builds it whole: in a process of its own when the machine has a
    core to spare and the store is a file of at least ``worker_min_bytes``, here otherwise.
    """
    snapshot = await store.snapshots.get(SNAPSHOT)
    if snapshot is not None:
        try:
            lexicon = Lexicon.from_bytes(snapshot.data)
        except ValueError as error:
            log.warning("rebuilding the key lexicon: its snapshot is unusable (%s)", error)
        else:
            return LoadedLexicon(lexicon, await add_keys(store, lexicon, snapshot.upto), snapshot.upto)
    path = store.path
    if path is not None and _worth_a_worker(path, worker_min_bytes):
        try:
            # spawn, not fork: this process runs aiosqlite's thread, which a fork would copy.
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                built, last = await asyncio.get_running_loop().run_in_executor(
                    pool, _build_in_worker, str(path)
                )
                return LoadedLexicon(built, last, 0)
        except (BrokenProcessPool, OSError) as error:  # no process to be had: build it here
            log.warning("building the key lexicon in-process: %s", error)
    lexicon = Lexicon()
    return LoadedLexicon(lexicon, await add_keys(store, lexicon, 0), 0)


async def save_lexicon(store: Store, lexicon: Lexicon, upto: int) -> None:
    """Keep the lexicon, as of term id ``upto``, in the store for the next start."""
    data = lexicon.to_bytes()
    async with store.transaction():
        await store.snapshots.put(SNAPSHOT, upto, data)


def _worth_a_worker(path: Path, min_bytes: int) -> bool:
    """Whether a core is spare and the store a file big enough to pay for starting a process."""
    return (os.cpu_count() or 1) >= 2 and path.is_file() and path.stat().st_size >= min_bytes


def _build_in_worker(path: str) -> tuple[Lexicon, int]:
    async def build() -> tuple[Lexicon, int]:
        async with await open_store(path) as store:
            lexicon = Lexicon()
            return lexicon, await add_keys(store, lexicon, 0)

    return asyncio.run(build())
