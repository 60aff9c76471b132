"""The lexicon of romanized keys, built here or in a process of its own."""

from __future__ import annotations

from pathlib import Path

import bot.archive.core
import bot.archive.keys
from bot.archive.core import Archive
from bot.archive.keys import LoadedLexicon, add_keys, build_lexicon
from retrieval import Lexicon
from storage import open_store


async def test_a_worker_builds_the_lexicon_the_archive_would(tmp_path: Path) -> None:
    archive = await Archive.open(tmp_path / "k.db")  # the seeds
    try:
        here, last_here, _ = astuple_of(await build_lexicon(archive.store))
        there, last_there, _ = astuple_of(await build_lexicon(archive.store, worker_min_bytes=0))
    finally:
        await archive.close()
    assert len(here) > 100
    assert last_there == last_here
    assert len(there) == len(here)
    for key in ("mmt", "akhilesh", "kolkt"):
        assert there.similar(key) == here.similar(key)


async def test_the_archive_keeps_its_lexicon_for_the_next_start(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    archive = await Archive.open(db, snapshot_min_keys=1)
    keys = len(archive.lexicon)
    await archive.close()
    async with await open_store(db) as store:
        snapshot = await store.snapshots.get(bot.archive.keys.SNAPSHOT)
        assert snapshot is not None
        lexicon, last, _ = astuple_of(await build_lexicon(store))  # from the snapshot
        assert last == snapshot.upto
        assert len(lexicon) == keys
        # A key interned after the snapshot is added on top of it.
        async with store.transaction():
            await store.reports.intern_terms(["k:zzqqx"])
        lexicon, last, _ = astuple_of(await build_lexicon(store))
        assert "zzqqx" in lexicon
        assert last > snapshot.upto


async def test_a_broken_lexicon_snapshot_is_rebuilt_from_the_terms(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    archive = await Archive.open(db)
    keys = len(archive.lexicon)
    async with archive.store.transaction():
        await archive.store.snapshots.put(bot.archive.keys.SNAPSHOT, 10**9, b"garbage")
    await archive.close()
    archive = await Archive.open(db)
    try:
        assert len(archive.lexicon) == keys
        assert archive.lexicon.similar("mamta") == (await build_lexicon_fresh(archive))
    finally:
        await archive.close()


async def build_lexicon_fresh(archive: Archive) -> list[tuple[str, float]]:
    lexicon = Lexicon()
    await add_keys(archive.store, lexicon, 0)
    return lexicon.similar("mamta")


def astuple_of(loaded: LoadedLexicon) -> tuple[Lexicon, int, int]:
    return loaded.lexicon, loaded.last_term_id, loaded.snapshot_upto


async def test_an_unsound_snapshot_is_replaced_at_close(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    await (await Archive.open(db, snapshot_min_keys=1)).close()
    async with await open_store(db) as store, store.transaction():
        await store.snapshots.put(bot.archive.keys.SNAPSHOT, 10**9, b"garbage")
    archive = await Archive.open(db, snapshot_min_keys=1)  # rebuilds the lexicon whole, saves it at close
    await archive.close()
    async with await open_store(db) as store:
        snapshot = await store.snapshots.get(bot.archive.keys.SNAPSHOT)
        assert snapshot is not None
        assert snapshot.upto < 10**9
        assert len(Lexicon.from_bytes(snapshot.data)) > 100
