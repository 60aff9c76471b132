"""No driver exception leaves the store: every public read and write maps the driver's errors.

The store is opened on a real file (or PostgreSQL database), then another connection drops every
table under it, so each statement the store runs fails in the database ("no such table"); each call
must raise a ``StoreError`` whose cause is the driver's error (``sqlite3.Error``, ``psycopg.Error``).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from storage import (
    DeliveryState,
    NewDelivery,
    NewMeeting,
    NewPassage,
    NewReport,
    NotFoundError,
    Party,
    Store,
    StoreError,
)
from tests.auxil.stores import driver_error, drop_every_table

REPO = Path(__file__).resolve().parents[2]
REPORT = NewReport("file:a.txt", "शीर्षक", "पहला वाक्य।")
PASSAGE = NewPassage("पहला वाक्य।", ((0, 11),), b"\x01")
MEETING = NewMeeting(Party("क"), Party("ख"), None, None, "क ने ख से मुलाकात की।", 0, 20)

Call = Callable[[Store], Awaitable[object]]

# Every public coroutine of every repository on Store, with arguments that make it run a query.
READS: dict[str, Call] = {
    "reports.changes": lambda s: s.reports.changes(after_seq=0),
    "reports.count": lambda s: s.reports.count(),
    "reports.passage_count": lambda s: s.reports.passage_count(),
    "reports.find_by_hash": lambda s: s.reports.find_by_hash("x"),
    "reports.find_hashes": lambda s: s.reports.find_hashes(["x"]),
    "reports.find_origin": lambda s: s.reports.find_origin("x"),
    "reports.get": lambda s: s.reports.get(1),
    "reports.get_many": lambda s: s.reports.get_many([1]),
    "reports.last_change": lambda s: s.reports.last_change(),
    "reports.newest_date": lambda s: s.reports.newest_date(),
    "reports.passage_terms": lambda s: s.reports.passage_terms(),
    "reports.passage_terms_packed": lambda s: s.reports.passage_terms_packed(),
    "reports.passages": lambda s: s.reports.passages([1]),
    "reports.passages_of": lambda s: s.reports.passages_of(1),
    "reports.report_ids": lambda s: s.reports.report_ids(),
    "reports.read_ranked": lambda s: s.reports.read_ranked([1], first=1),
    "reports.read_whole": lambda s: s.reports.read_whole([1]),
    "reports.report_ids_of": lambda s: s.reports.report_ids_of([1]),
    "reports.report_order": lambda s: s.reports.report_order([1]),
    "reports.summaries": lambda s: s.reports.summaries(),
    "reports.term_ids": lambda s: s.reports.term_ids(["x"]),
    "reports.terms_after": lambda s: s.reports.terms_after(0),
    "reports.terms_with_prefix": lambda s: s.reports.terms_with_prefix("x"),
    "questions.get": lambda s: s.questions.get(1),
    "subscriptions.active": lambda s: s.subscriptions.active(),
    "subscriptions.count_active": lambda s: s.subscriptions.count_active(),
    "subscriptions.find": lambda s: s.subscriptions.find(1, "x"),
    "subscriptions.get": lambda s: s.subscriptions.get(1),
    "subscriptions.of_chat": lambda s: s.subscriptions.of_chat(1),
    "outbox.added_reports": lambda s: s.outbox.added_reports(after_seq=0, upto_seq=9),
    "outbox.counts": lambda s: s.outbox.counts(),
    "outbox.cursor": lambda s: s.outbox.cursor("match"),
    "outbox.due": lambda s: s.outbox.due(),
    "outbox.next_attempt": lambda s: s.outbox.next_attempt(),
    "outbox.of_chat": lambda s: s.outbox.of_chat(1),
    "feeds.all": lambda s: s.feeds.all(),
    "feeds.due": lambda s: s.feeds.due(),
    "feeds.find": lambda s: s.feeds.find("http://x/rss"),
    "feeds.get": lambda s: s.feeds.get(1),
    "feeds.seen": lambda s: s.feeds.seen(1, ["a"]),
    "meetings.all": lambda s: s.meetings.all(),
    "meetings.last_id": lambda s: s.meetings.last_id(),
    "snapshots.get": lambda s: s.snapshots.get("index"),
    "search_positions.get": lambda s: s.search_positions.get("opensearch:x"),
    "chats.count": lambda s: s.chats.count(),
    "chats.languages": lambda s: s.chats.languages(),
    "chats.questions_since": lambda s: s.chats.questions_since(),
}
WRITES: dict[str, Call] = {
    "reports.delete": lambda s: s.reports.delete(1),
    "reports.intern_terms": lambda s: s.reports.intern_terms(["x"]),
    "reports.replace_passages": lambda s: s.reports.replace_passages(1, [PASSAGE]),
    "reports.save": lambda s: s.reports.save(REPORT, [PASSAGE]),
    "reports.save_many": lambda s: s.reports.save_many([(REPORT, [PASSAGE])]),
    "questions.remember": lambda s: s.questions.remember("x"),
    "subscriptions.add": lambda s: s.subscriptions.add(1, "x", "hi", 0),
    "subscriptions.remove": lambda s: s.subscriptions.remove(1, 1),
    "subscriptions.remove_all": lambda s: s.subscriptions.remove_all(1),
    "subscriptions.set_chat_active": lambda s: s.subscriptions.set_chat_active(1, False),
    "outbox.claim": lambda s: s.outbox.claim(1),
    "outbox.drop_chat": lambda s: s.outbox.drop_chat(1, "gone"),
    "outbox.enqueue": lambda s: s.outbox.enqueue([NewDelivery(1, 1, None, "x")]),
    "outbox.finish": lambda s: s.outbox.finish(1, DeliveryState.FAILED, "no"),
    "outbox.mark_sent": lambda s: s.outbox.mark_sent(1, 9),
    "outbox.prune": lambda s: s.outbox.prune(older_than=0),
    "outbox.recover": lambda s: s.outbox.recover(),
    "outbox.retry_later": lambda s: s.outbox.retry_later(1, 0.0, "429"),
    "outbox.set_cursor": lambda s: s.outbox.set_cursor("match", 1),
    "feeds.add": lambda s: s.feeds.add("http://x/rss"),
    "feeds.failed": lambda s: s.feeds.failed(1, next_poll_at=0.0, error="down"),
    "feeds.mark_seen": lambda s: s.feeds.mark_seen(1, "a", None),
    "feeds.polled": lambda s: s.feeds.polled(1, next_poll_at=0.0, etag=None, last_modified=None, title=None),
    "feeds.remove": lambda s: s.feeds.remove(1),
    "meetings.replace": lambda s: s.meetings.replace(1, [MEETING]),
    "snapshots.put": lambda s: s.snapshots.put("index", 1, b""),
    "search_positions.put": lambda s: s.search_positions.put("opensearch:x", 1),
    "chats.count_question": lambda s: s.chats.count_question(1),
    "chats.set_language": lambda s: s.chats.set_language(1, "hi"),
}
REPOSITORIES = (
    "reports",
    "questions",
    "subscriptions",
    "outbox",
    "feeds",
    "meetings",
    "snapshots",
    "chats",
    "search_positions",
)


def test_the_tables_name_every_public_method_of_every_repository(store: Store) -> None:
    public = {
        f"{attribute}.{name}"
        for attribute in REPOSITORIES
        for name, _ in inspect.getmembers(type(getattr(store, attribute)), inspect.iscoroutinefunction)
        if not name.startswith("_")
    }
    assert public == set(READS) | set(WRITES)


@pytest.mark.parametrize("name", sorted(READS))
async def test_a_failing_read_raises_the_stores_error(
    store: Store, store_location: Path | str, name: str
) -> None:
    drop_every_table(store_location)
    with pytest.raises(StoreError) as raised:
        await READS[name](store)
    assert isinstance(raised.value.__cause__, driver_error())


@pytest.mark.parametrize("name", sorted(WRITES))
async def test_a_failing_write_raises_the_stores_error(
    store: Store, store_location: Path | str, name: str
) -> None:
    drop_every_table(store_location)
    with pytest.raises(StoreError) as raised:
        async with store.transaction():
            await WRITES[name](store)
    assert isinstance(raised.value.__cause__, driver_error())
    # The transaction was rolled back: the next one starts cleanly.
    async with store.transaction():
        pass


async def test_a_missing_subscription_is_not_found(store: Store) -> None:
    with pytest.raises(NotFoundError, match="no subscription 7"):
        await store.subscriptions.get(7)


def test_only_the_query_helper_and_the_opener_use_the_driver() -> None:
    # Anything else calling SQLite directly could let a driver error out again.
    allowed = {"query.py", "postgres.py", "db.py", "migrations.py", "errors.py"}
    for path in sorted((REPO / "storage").glob("*.py")):
        modules: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module)
        if path.name not in allowed:
            drivers = {"sqlite3", "aiosqlite", "psycopg"}
            assert not {m.split(".")[0] for m in modules} & drivers, f"{path.name} uses the driver directly"
