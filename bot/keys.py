"""The lexicon of romanized keys, built from the store beside the index at start-up.

Building the fuzzy lexicon is pure Python (trigrams and skeletons of every key) and takes seconds
at a million passages, as long as reading and indexing the passages' terms. It needs nothing but
the terms table, so another process builds it from its own connection to the store while this one
loads the index, and hands it back whole.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from retrieval import Lexicon
from storage import Store, open_store

__all__ = ["KEY_PREFIX", "add_keys", "build_lexicon"]

log = logging.getLogger(__name__)

KEY_PREFIX = "k:"
"""The index field of romanized keys, whose terms the lexicon holds."""

WORKER_MIN_BYTES = 64 << 20
"""Stores smaller than this build their lexicon in-process: starting a process would cost more."""


async def add_keys(store: Store, lexicon: Lexicon, after_id: int) -> int:
    """Add the keys of the terms after ``after_id`` to the lexicon; return the last term id read."""
    rows = await store.reports.terms_with_prefix(KEY_PREFIX, after_id=after_id)
    if rows:
        lexicon.add(text[len(KEY_PREFIX) :] for _, text in rows)
        return int(rows[-1][0])
    return after_id


async def build_lexicon(store: Store) -> tuple[Lexicon, int]:
    """The lexicon of every key in the store, and the last term id it has read.

    Built in a process of its own when the machine has a core to spare and the store is a big
    file, here otherwise.
    """
    path = Path(store.path)
    if _worth_a_worker(path):
        try:
            # spawn, not fork: this process runs aiosqlite's thread, which a fork would copy.
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                return await asyncio.get_running_loop().run_in_executor(pool, _build_in_worker, str(path))
        except (BrokenProcessPool, OSError) as error:  # no process to be had: build it here
            log.warning("building the key lexicon in-process: %s", error)
    lexicon = Lexicon()
    return lexicon, await add_keys(store, lexicon, 0)


def _worth_a_worker(path: Path) -> bool:
    """Whether a core is spare and the store a file big enough to pay for starting a process."""
    return (os.cpu_count() or 1) >= 2 and path.is_file() and path.stat().st_size >= WORKER_MIN_BYTES


def _build_in_worker(path: str) -> tuple[Lexicon, int]:
    async def build() -> tuple[Lexicon, int]:
        async with await open_store(path) as store:
            lexicon = Lexicon()
            return lexicon, await add_keys(store, lexicon, 0)

    return asyncio.run(build())
