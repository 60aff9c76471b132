"""The lexicon of romanized keys, built here or in a process of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

import bot.keys
from bot.archive import Archive
from bot.keys import build_lexicon


async def test_a_worker_builds_the_lexicon_the_archive_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = await Archive.open(tmp_path / "k.db")  # the seeds
    try:
        here, last_here = await build_lexicon(archive.store)
        monkeypatch.setattr(bot.keys, "WORKER_MIN_BYTES", 0)
        there, last_there = await build_lexicon(archive.store)
    finally:
        await archive.close()
    assert len(here) > 100
    assert last_there == last_here
    assert len(there) == len(here)
    for key in ("mmt", "akhilesh", "kolkt"):
        assert there.similar(key) == here.similar(key)
