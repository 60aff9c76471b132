"""Named schema steps, applied in order at open, each recorded in ``_migrations``.

A migration that has shipped is never edited: add a new one instead. Each step runs inside one
transaction together with the row that records it, so a crash leaves it either applied or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from storage.errors import SchemaError

if TYPE_CHECKING:
    import aiosqlite


@dataclass(frozen=True, slots=True)
class Migration:
    """One named schema step: a tuple of SQL statements."""

    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        "0001_reports",
        (
            """
            CREATE TABLE reports (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                origin TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                body TEXT NOT NULL,
                url TEXT,
                source TEXT,
                published TEXT,
                content_hash TEXT NOT NULL UNIQUE,
                ingested_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX reports_published ON reports(published)",
            """
            CREATE TABLE passages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                ord INTEGER NOT NULL,
                text TEXT NOT NULL,
                sentences TEXT NOT NULL,
                terms BLOB NOT NULL,
                UNIQUE (report_id, ord)
            )
            """,
            # The vocabulary of index terms; ids are assigned here so that every process agrees.
            """
            CREATE TABLE terms (
                id INTEGER PRIMARY KEY,
                text TEXT NOT NULL UNIQUE
            )
            """,
            # The search index follows this log: a passage added or removed is one row, written in the
            # same transaction as the passage itself, so the index and the store never disagree.
            """
            CREATE TABLE passage_log (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                op TEXT NOT NULL CHECK (op IN ('add', 'del')),
                passage_id INTEGER NOT NULL,
                report_id INTEGER NOT NULL,
                terms BLOB
            )
            """,
        ),
    ),
    Migration(
        "0002_questions",
        (
            # Questions the bot put behind a button ("more results"): the button carries only the id.
            """
            CREATE TABLE questions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                text TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL
            )
            """,
        ),
    ),
    Migration(
        "0003_subscriptions",
        (
            # A chat's standing questions. ``topic`` is '' for "every new report". ``since_seq`` is the
            # passage-log position when the subscription was made (or revived): it only gets reports
            # logged after that, never the back catalogue.
            """
            CREATE TABLE subscriptions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                chat_id INTEGER NOT NULL,
                topic TEXT NOT NULL,
                lang TEXT NOT NULL,
                active INTEGER NOT NULL DEFAULT 1,
                since_seq INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                UNIQUE (chat_id, topic)
            )
            """,
            "CREATE INDEX subscriptions_active ON subscriptions(active, chat_id)",
            # What each chat is owed. UNIQUE (chat_id, report_id) is the exactly-once key: a report
            # matched again (restart, double ingest, a replaced version keeping its id) adds nothing.
            """
            CREATE TABLE outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                chat_id INTEGER NOT NULL,
                report_id INTEGER NOT NULL,
                subscription_id INTEGER,
                text TEXT NOT NULL,
                markup TEXT,
                state TEXT NOT NULL DEFAULT 'pending'
                    CHECK (state IN ('pending', 'sending', 'sent', 'unknown', 'failed', 'dropped')),
                attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at REAL NOT NULL DEFAULT 0,
                last_error TEXT,
                message_id INTEGER,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (chat_id, report_id)
            )
            """,
            "CREATE INDEX outbox_due ON outbox(state, next_attempt_at, id)",
            # Named positions in the passage log (the subscription matcher's is 'match').
            "CREATE TABLE cursors (name TEXT PRIMARY KEY, seq INTEGER NOT NULL)",
            """
            CREATE TABLE feeds (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                url TEXT NOT NULL UNIQUE,
                title TEXT,
                etag TEXT,
                last_modified TEXT,
                failures INTEGER NOT NULL DEFAULT 0,
                next_poll_at REAL NOT NULL DEFAULT 0,
                last_polled_at TEXT,
                last_error TEXT,
                added_at TEXT NOT NULL
            )
            """,
            # Entries already turned into reports, so a feed repeating them costs no page fetch.
            """
            CREATE TABLE feed_entries (
                feed_id INTEGER NOT NULL REFERENCES feeds(id) ON DELETE CASCADE,
                entry_key TEXT NOT NULL,
                report_id INTEGER,
                seen_at TEXT NOT NULL,
                PRIMARY KEY (feed_id, entry_key)
            )
            """,
        ),
    ),
    Migration(
        "0004_meetings",
        (
            # Who met whom, extracted at ingest; a replaced report's rows are rebuilt with it.
            """
            CREATE TABLE meetings (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                report_id INTEGER NOT NULL REFERENCES reports(id) ON DELETE CASCADE,
                a TEXT NOT NULL,
                a_role TEXT,
                a_aliases TEXT NOT NULL,
                b TEXT NOT NULL,
                b_role TEXT,
                b_aliases TEXT NOT NULL,
                place TEXT,
                when_text TEXT,
                sentence TEXT NOT NULL,
                start INTEGER NOT NULL,
                "end" INTEGER NOT NULL
            )
            """,
            "CREATE INDEX meetings_report ON meetings(report_id)",
        ),
    ),
    Migration(
        "0005_snapshots",
        (
            # Derived data kept to start faster (the key lexicon): opaque bytes, rebuilt from the
            # store when missing. ``upto`` is the position in the source data the bytes reflect.
            """
            CREATE TABLE snapshots (
                name TEXT PRIMARY KEY,
                upto INTEGER NOT NULL,
                data BLOB NOT NULL,
                saved_at TEXT NOT NULL
            )
            """,
        ),
    ),
    Migration(
        "0006_chat_settings",
        (
            # The interface language a user chose with /lang: kept so that a restart remembers it.
            """
            CREATE TABLE chat_settings (
                user_id INTEGER PRIMARY KEY,
                lang TEXT NOT NULL CHECK (lang IN ('hi', 'en')),
                updated_at TEXT NOT NULL
            )
            """,
            # Chats the bot has answered, for the operator's /stats: ids and times, never text.
            """
            CREATE TABLE chats (
                chat_id INTEGER PRIMARY KEY,
                first_seen TEXT NOT NULL,
                last_seen TEXT NOT NULL
            )
            """,
            # Questions counted per hour (``YYYY-MM-DDTHH``), so "questions in the last day" needs no log.
            """
            CREATE TABLE question_hours (
                hour TEXT PRIMARY KEY,
                questions INTEGER NOT NULL
            )
            """,
        ),
    ),
    Migration(
        "0008_search_positions",
        (
            # How far an outside search index (OpenSearch) has acknowledged the passage log, by the
            # index's name: the start-up replay begins there.
            """
            CREATE TABLE search_positions (
                target TEXT PRIMARY KEY,
                seq INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
        ),
    ),
)


async def applied(conn: aiosqlite.Connection) -> list[str]:
    """Names of the migrations already applied to this database, in order."""
    await conn.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    async with conn.execute("SELECT name FROM _migrations ORDER BY rowid") as cursor:
        return [row[0] async for row in cursor]


async def pending(conn: aiosqlite.Connection) -> list[Migration]:
    """The migrations not yet applied, in order.

    Raises:
        SchemaError: the database records a migration this code does not know (a newer Khabri wrote it).
    """
    done = await applied(conn)
    known = [m.name for m in MIGRATIONS]
    unknown = [name for name in done if name not in known]
    if unknown:
        raise SchemaError(
            f"this database was written by a newer Khabri (unknown migrations: {', '.join(unknown)})"
        )
    return [m for m in MIGRATIONS if m.name not in done]


async def apply(conn: aiosqlite.Connection) -> list[str]:
    """Apply every pending migration, each in its own transaction; return the names applied."""
    names = []
    for migration in await pending(conn):
        await conn.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have applied it between our look and our lock: check again.
            async with conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (migration.name,)) as cursor:
                if await cursor.fetchone() is not None:
                    await conn.execute("ROLLBACK")
                    continue
            for statement in migration.statements:
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO _migrations (name, applied_at) VALUES (?, datetime('now'))",
                (migration.name,),
            )
        except BaseException:
            await conn.execute("ROLLBACK")
            raise
        await conn.execute("COMMIT")
        names.append(migration.name)
    return names
