"""Stores on both backends for tests: the throwaway PostgreSQL server, a database per test, raw SQL.

The server is tools/pg_server.py's, started once per test session (``fast``: no fsync). Each test
that asks for a PostgreSQL store gets an empty database of its own (CREATE DATABASE copies the
empty ``template1``: a few milliseconds); they go with the server's files at the end of the session,
since dropping each would cost more than making it. A property test that needs a new store per
example reuses one database, emptied in between (:func:`fresh_location`). In CI (``CI=true``) a
server that cannot start fails the PostgreSQL tests; elsewhere they are skipped, with the reason.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tools import pg_server

BACKENDS = ("sqlite", "postgresql")
_numbers = itertools.count(1)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


class PostgresForTests:
    """The session's server, or why there is none."""

    def __init__(self) -> None:
        self.server: pg_server.Server | None = None
        self.problem: str | None = None
        self._directory: Path | None = None
        self._reusable: dict[str, str] = {}

    def require(self) -> pg_server.Server:
        """The running server; fails (CI) or skips (elsewhere) the test when it could not start."""
        if self.server is None and self.problem is None:
            self._directory = Path(tempfile.mkdtemp(prefix="khabri-pg-test-"))
            try:
                self.server = pg_server.start(self._directory, fast=True)
            except pg_server.ServerError as error:
                self.problem = str(error)
        if self.server is None:
            message = f"PostgreSQL could not start: {self.problem}"
            if in_ci():
                pytest.fail(message)
            pytest.skip(message)
        return self.server

    def stop(self) -> None:
        if self._directory is not None:
            pg_server.stop(self._directory)

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        server = self.require()
        name = f"khabri_test_{os.getpid()}_{next(_numbers)}"
        with psycopg.connect(server.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return server.url(name)

    def emptied_database(self, key: str) -> str:
        """The database kept under ``key``, with every table but ``_migrations`` emptied, ids reset."""
        url = self._reusable.get(key)
        if url is None:
            url = self._reusable[key] = self.new_database()
            return url
        with psycopg.connect(url, autocommit=True) as conn:
            names = [
                row[0]
                for row in conn.execute(
                    "SELECT tablename FROM pg_tables"
                    " WHERE schemaname = 'public' AND tablename != '_migrations'"
                )
            ]
            if names:
                conn.execute(f"TRUNCATE {', '.join(names)} RESTART IDENTITY CASCADE")
        return url


def execute(location: Path | str, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
    """Run one statement on a store from outside it (a second connection), with ``?`` placeholders."""
    if isinstance(location, str):
        with psycopg.connect(location, autocommit=True) as conn:
            cursor = conn.execute(sql.replace("?", "%s"), params)
            return cursor.fetchall() if cursor.description else []
    with sqlite3.connect(location) as conn:
        return conn.execute(sql, params).fetchall()


def table_names(location: Path | str) -> set[str]:
    """The store's tables."""
    if isinstance(location, str):
        rows = execute(location, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    else:
        rows = execute(location, "SELECT name FROM sqlite_master WHERE type = 'table'")
    return {str(row[0]) for row in rows if not str(row[0]).startswith("sqlite_")}


def drop_every_table(location: Path | str) -> None:
    """Drop every table under a store that is open, so that each of its statements fails."""
    if isinstance(location, str):
        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE")
            conn.execute("CREATE SCHEMA public")
        return
    with sqlite3.connect(location) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        for name in table_names(location):
            conn.execute(f'DROP TABLE "{name}"')


def driver_error() -> tuple[type[BaseException], ...]:
    """The exception types either driver raises."""
    return (sqlite3.Error, psycopg.Error)


@contextlib.contextmanager
def fresh_location(backend: str, postgres: PostgresForTests, name: str = "t.db") -> Iterator[Path | str]:
    """A new empty store's location on ``backend``, for a test that makes several (hypothesis)."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield Path(tmp) / name
        return
    yield postgres.emptied_database(name)


def integrity_error() -> tuple[type[BaseException], ...]:
    """What either driver raises for a broken constraint."""
    return (sqlite3.IntegrityError, psycopg.errors.IntegrityError)
