"""Subscriptions end to end: the real application, the Bot API emulator, real SQLite."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.archive.core import Archive
from bot.notify.topics import MAX_TOPIC_CHARS
from bot.render.texts import text
from bot.tg.context import KhabriApplication
from bot.tg.handlers.subscriptions import MAX_SUBSCRIPTIONS, topic_payload
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.bot_fixtures import buttons, entity_texts, running_khabri
from tests.e2e.subscription_fixtures import (
    FAST_APP,
    REPORTS,
    archive_of,
    eventually,
    notifications,
    report,
    subscribe_many,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
async def khabri(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str
) -> AsyncIterator[KhabriApplication]:
    async with running_khabri(botapi, bot_token, store_location, **FAST_APP) as application:
        yield application


async def command(botapi: BotApiEmulator, chat: int, name: str, args: str = "") -> dict[str, object]:
    before = len(botapi.replies_to(chat))
    botapi.send_command(chat, name, args)
    replies = await botapi.wait_for_replies(chat, before + 1)
    return replies[-1]


def title(key: str) -> str:
    return REPORTS[key][0]


async def test_subscribers_in_both_scripts_get_exactly_the_matching_reports(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    deva, roman, nitish, everything = 201, 202, 203, 204
    reply = await command(botapi, deva, "subscribe", "ममता बनर्जी")
    assert "ममता बनर्जी" in str(reply["text"])
    assert "भेजूँगा" in str(reply["text"])
    reply = await command(botapi, roman, "subscribe", "mamta banerjee")
    assert "mamta banerjee" in str(reply["text"])
    await command(botapi, nitish, "subscribe", "nitish")
    reply = await command(botapi, everything, "subscribe")
    assert reply["text"] == text("sub_added_all", "hi")

    await archive_of(khabri).ingest_records([report(k) for k in ("mamata", "cricket", "nitish")])
    await eventually(lambda: len(notifications(botapi, everything)) == 3)
    await eventually(lambda: len(notifications(botapi, nitish)) == 1)
    await asyncio.sleep(0.5)  # anything else owed would have gone out by now
    assert [title("mamata") in t for t in notifications(botapi, deva)] == [True]
    assert [title("mamata") in t for t in notifications(botapi, roman)] == [True]
    assert [title("nitish") in t for t in notifications(botapi, nitish)] == [True]
    [note] = [r for r in botapi.replies_to(roman) if str(r["text"]).startswith("🔔")]
    assert any("ममता" in b for b in entity_texts(note, "bold"))
    assert any("ममता बनर्जी" in q for q in entity_texts(note, "blockquote"))
    assert "mamta banerjee" in str(note["text"])
    assert "1 मई 2024" in str(note["text"])
    # A romanized Hindi topic gets the Hindi interface, as questions do.
    assert [label for label, _ in buttons(note)] == [text("full_report", "hi"), text("sub_stop", "hi")]


async def test_a_minus_word_excludes_reports_that_mention_it(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    reply = await command(botapi, 301, "subscribe", "चुनाव -क्रिकेट")
    assert "क्रिकेट" in str(reply["text"])  # the confirmation names what is left out
    await archive_of(khabri).ingest_records([report("election"), report("cricket_election")])
    await eventually(lambda: len(notifications(botapi, 301)) == 1)
    await asyncio.sleep(0.5)
    [note] = notifications(botapi, 301)
    assert title("election") in note


async def test_unsubscribe_stops_the_topic_and_all_stops_everything(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    await command(botapi, 401, "subscribe", "nitish")
    await command(botapi, 401, "subscribe", "ममता बनर्जी")
    reply = await command(botapi, 401, "unsubscribe", "nitish")
    assert "nitish" in str(reply["text"])
    await archive_of(khabri).ingest_records([report("nitish"), report("mamata")])
    await eventually(lambda: len(notifications(botapi, 401)) == 1)
    await asyncio.sleep(0.5)
    assert title("mamata") in notifications(botapi, 401)[0]
    reply = await command(botapi, 401, "unsubscribe", "all")
    assert reply["text"] == text("sub_removed_all", "en", count=1)
    assert await archive_of(khabri).store.subscriptions.of_chat(401) == []


async def test_subscriptions_lists_topics_with_remove_buttons(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    await command(botapi, 501, "subscribe", "nitish")
    await command(botapi, 501, "subscribe")
    listing = await command(botapi, 501, "subscriptions")
    assert "nitish" in str(listing["text"])
    assert text("sub_everything", "hi") in str(listing["text"])
    data = [d for _, d in buttons(listing)]
    assert all(d.startswith("u:") for d in data)
    assert len(data) == 2
    botapi.press_button(listing, data[0])
    replies = await botapi.wait_for_replies(501, 4)
    assert "nitish" in str(replies[-1]["text"])
    assert [s.topic for s in await archive_of(khabri).store.subscriptions.of_chat(501)] == [""]


async def test_a_chat_has_a_cap_on_topics_with_a_clear_message(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    await subscribe_many(archive_of(khabri), range(601, 602), "")
    store = archive_of(khabri).store
    async with store.transaction():
        for n in range(MAX_SUBSCRIPTIONS - 1):
            await store.subscriptions.add(601, f"topic{n}", "hi", 0)
    reply = await command(botapi, 601, "subscribe", "nitish")
    assert reply["text"] == text("sub_cap", "hi", cap=MAX_SUBSCRIPTIONS)
    # A topic of function words only is no topic.
    reply = await command(botapi, 602, "subscribe", "की और")
    assert reply["text"] == text("sub_usage", "hi", limit=MAX_TOPIC_CHARS)


async def test_the_bell_under_an_answer_and_the_deep_link_subscribe(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(701, "अखिलेश यादव ने कोलकाता में किससे मुलाकात की?")
    [answer] = await botapi.wait_for_replies(701)
    [bell] = [d for label, d in buttons(answer) if label == text("sub_button", "hi")]
    botapi.press_button(answer, bell)
    replies = await botapi.wait_for_replies(701, 2)
    assert "✅" in str(replies[-1]["text"])
    payload = topic_payload("ममता बनर्जी")
    assert payload is not None
    botapi.send_command(702, "start", payload)
    [reply] = await botapi.wait_for_replies(702)
    assert "ममता बनर्जी" in str(reply["text"])
    botapi.send_command(703, "start", "s_nitish_kumar")
    [reply] = await botapi.wait_for_replies(703)
    assert "nitish" in str(reply["text"])
    store = archive_of(khabri).store
    assert [s.topic for s in await store.subscriptions.of_chat(702)] == ["ममता बनर्जी"]
    assert [s.topic for s in await store.subscriptions.of_chat(703)] == ["nitish kumar"]
    assert len(await store.subscriptions.of_chat(701)) == 1


async def test_a_report_from_another_process_is_delivered_once_even_when_ingested_twice(
    botapi: BotApiEmulator, khabri: KhabriApplication, store_location: Path | str
) -> None:
    await command(botapi, 801, "subscribe", "nitish")
    # Another process (khabri ingest) writes the store; the bot's sync job notices.
    other = await Archive.open(store_location)
    try:
        await other.ingest_records([report("nitish")])
        await eventually(lambda: len(notifications(botapi, 801)) == 1)
        await other.ingest_records([report("nitish")])  # the same report again
        await other.ingest_records([report("nitish", origin="test:copy")])  # same text elsewhere
        title_, body = REPORTS["nitish"]
        from bot.archive.report_files import ReportRecord

        # A newer version of the same report (same origin): it keeps its id and is not sent again.
        await other.ingest_records([ReportRecord("test:nitish", title_, body + " अखिलेश ने कहा।")])
    finally:
        await other.close()
    await asyncio.sleep(1.5)
    assert len(notifications(botapi, 801)) == 1


async def test_a_new_subscription_does_not_get_older_reports(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    await archive_of(khabri).ingest_records([report("nitish")])
    await asyncio.sleep(0.5)
    await command(botapi, 901, "subscribe", "nitish")
    await asyncio.sleep(1.0)
    assert notifications(botapi, 901) == []


async def test_a_blocked_user_is_deactivated_while_fifty_others_get_theirs(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    archive = archive_of(khabri)
    chats = range(10_000, 10_051)
    blocked = 10_025
    await subscribe_many(archive, chats)
    botapi.block_chat(blocked)
    await archive.ingest_records([report("cricket")])
    others = [c for c in chats if c != blocked]
    await eventually(lambda: all(len(notifications(botapi, c)) == 1 for c in others), seconds=15)
    assert notifications(botapi, blocked) == []
    assert [c.status for c in botapi.calls("sendMessage", blocked)] == [403]
    store = archive.store
    assert await store.subscriptions.of_chat(blocked) == []
    assert botapi.max_rate(1.0) <= 30
    assert all(botapi.max_rate(1.0, c) <= 1 for c in others)
    # The user unblocks and says /start: the subscription is back, for new reports only.
    botapi.unblock_chat(blocked)
    await command(botapi, blocked, "start")
    assert len(await store.subscriptions.of_chat(blocked)) == 1
    await archive.ingest_records([report("election")])
    await eventually(lambda: len(notifications(botapi, blocked)) == 1)
    assert title("election") in notifications(botapi, blocked)[0]


async def test_my_chat_member_updates_pause_and_revive_subscriptions(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    await command(botapi, 1101, "subscribe", "nitish")
    store = archive_of(khabri).store
    botapi.my_chat_member(1101, "kicked", "member")
    await eventually(lambda: not botapi.pending_updates)
    await asyncio.sleep(0.2)
    assert await store.subscriptions.of_chat(1101) == []
    botapi.my_chat_member(1101, "member", "kicked")
    await asyncio.sleep(0.3)
    assert len(await store.subscriptions.of_chat(1101)) == 1


async def test_a_429_in_the_middle_of_a_broadcast_is_honoured(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    archive = archive_of(khabri)
    chats = range(20_000, 20_030)
    await subscribe_many(archive, chats)
    await archive.ingest_records([report("cricket")])
    await botapi.wait_for_calls("sendMessage", 10, ok=True)
    botapi.fail_next("sendMessage", 429, retry_after=1)
    await eventually(lambda: all(len(notifications(botapi, c)) == 1 for c in chats), seconds=15)
    calls = [c for c in botapi.calls("sendMessage") if c.chat_id in chats]
    [refused] = [c for c in calls if c.status == 429]
    # Only a send already on its way when the 429 came back may arrive during the flood wait.
    during = [c for c in calls if c.ok and refused.timestamp < c.timestamp < refused.timestamp + 0.9]
    assert len(during) <= 1
    assert sum(c.ok for c in calls) == 30
    assert botapi.max_rate(1.0) <= 30


async def test_a_5xx_is_retried_and_delivered_once(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    archive = archive_of(khabri)
    await subscribe_many(archive, range(1301, 1302))
    botapi.fail_next("sendMessage", 500, chat_id=1301)
    await archive.ingest_records([report("cricket")])
    await eventually(lambda: len(notifications(botapi, 1301)) == 1)
    assert [c.status for c in botapi.calls("sendMessage", 1301)] == [500, 200]
    await asyncio.sleep(0.3)  # the emulator records the call before the sender records "sent"
    [row] = await archive.store.outbox.of_chat(1301)
    assert (row.state, row.attempts) == ("sent", 2)
