"""Fixtures shared by every test package: real stores, SQLite files in temporary directories or
databases of a throwaway PostgreSQL server (tests/auxil/stores.py).

``store`` here is a SQLite store. ``store_location`` is parametrised over both backends: a test (or
a fixture, as tests/storage's ``store`` and tests/e2e's bot are) that asks for it runs once on a
SQLite file and once on a PostgreSQL database, so the two cannot drift apart.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from storage import Store, open_store
from tests.auxil.stores import BACKENDS, PostgresForTests

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
async def store(db_path: Path) -> AsyncIterator[Store]:
    opened = await open_store(db_path)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresForTests]:
    """The session's PostgreSQL server, started when a test first needs it, stopped at the end."""
    holder = PostgresForTests()
    try:
        yield holder
    finally:
        holder.stop()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def store_location(backend: str, db_path: Path, postgres: PostgresForTests) -> Iterator[Path | str]:
    """Where a store goes: ``db_path`` on SQLite, a fresh database's URL on PostgreSQL."""
    if backend == "sqlite":
        yield db_path
        return
    yield postgres.new_database()
