"""The two schemas, SQLite's and PostgreSQL's, have the same tables, columns and constraints on nulls."""

from __future__ import annotations

from pathlib import Path

from storage import open_store
from storage.migrations import MIGRATIONS
from tests.auxil.stores import PostgresForTests, execute


def sqlite_columns(path: Path) -> dict[str, list[tuple[str, bool]]]:
    tables = [
        str(row[0])
        for row in execute(path, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        if not str(row[0]).startswith("sqlite_")
    ]
    # PRAGMA table_info: (cid, name, type, notnull, default, pk); a primary key is never null.
    return {
        table: [(str(c[1]), bool(c[3] or c[5])) for c in execute(path, f'PRAGMA table_info("{table}")')]
        for table in tables
    }


def postgres_columns(url: str) -> dict[str, list[tuple[str, bool]]]:
    rows = execute(
        url,
        "SELECT table_name, column_name, is_nullable = 'NO' FROM information_schema.columns"
        " WHERE table_schema = 'public' ORDER BY table_name, ordinal_position",
    )
    found: dict[str, list[tuple[str, bool]]] = {}
    for table, column, not_null in rows:
        found.setdefault(str(table), []).append((str(column), bool(not_null)))
    return found


async def test_both_backends_get_the_same_tables_and_columns(
    db_path: Path, postgres: PostgresForTests
) -> None:
    url = postgres.new_database()
    for location in (db_path, url):
        async with await open_store(location):
            pass
    on_sqlite = sqlite_columns(db_path)
    on_postgres = postgres_columns(url)
    # The bookkeeping differs on purpose: PostgreSQL has no rowid, so it numbers the rows itself.
    assert on_postgres.pop("_migrations") == [*on_sqlite.pop("_migrations"), ("seq", True)]
    assert on_postgres == on_sqlite


def test_every_migration_says_which_statements_postgresql_runs() -> None:
    for migration in MIGRATIONS:
        statements = migration.statements_for("postgresql")
        assert statements, migration.name
        # The SQLite spellings that PostgreSQL refuses or reads otherwise.
        for statement in statements:
            for word in ("AUTOINCREMENT", " BLOB", " REAL"):
                assert word not in statement.upper(), (migration.name, word)
