"""The bot under abuse, end to end: floods of messages, huge reports, forged buttons, odd links, and
group members changing a group's subscriptions. The real application, the emulator, real SQLite."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.render.texts import text
from bot.tg.budget import SLOW_DOWN
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.bot_fixtures import archive_of, entity_urls, record, running_khabri
from tests.e2e.subscription_fixtures import eventually

pytestmark = pytest.mark.e2e

USER = 4101
OTHER = 4102
GROUP = -100_4100
MEMBER, ADMIN, OWNER = 4111, 4112, 4113
LONG_BODY = "\n".join(
    f"अनुच्छेद {n}: " + "राज्य सरकार ने बाढ़ राहत के लिए नई योजना की घोषणा की और जिलों को धन भेजा। " * 12
    for n in range(150)
)


@pytest.fixture
async def khabri(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str
) -> AsyncIterator[KhabriApplication]:
    # Questions are not what is limited here: every reply is.
    async with running_khabri(botapi, bot_token, store_location, questions_per_minute=1000) as app:
        yield app


async def settled(botapi: BotApiEmulator, chat: int, count: int) -> list[str]:
    """The chat's texts once ``count`` arrived and a moment passed with no more (more would show)."""
    await botapi.wait_for_replies(chat, count, timeout=20)
    await asyncio.sleep(0.5)
    return botapi.sent_texts(chat)


async def add_report(khabri: KhabriApplication, title: str, body: str, **fields: Any) -> int:
    [outcome] = await archive_of(khabri).ingest_records([record(title, body, **fields)])
    assert outcome.report_id is not None
    return outcome.report_id


# ---------------------------------------------------------------- the reply budget


async def test_a_flood_of_invalid_messages_gets_a_budget_of_replies_and_one_warning(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    for _ in range(60):
        botapi.send_text(USER, "😀😀")
    texts = await settled(botapi, USER, 21)
    assert len(texts) == 21
    assert texts.count(text("no_words", "hi")) == 20
    assert texts[-1] == SLOW_DOWN
    botapi.send_text(OTHER, "😀😀")  # another chat has its own budget
    assert await settled(botapi, OTHER, 1) == [text("no_words", "hi")]


async def test_a_long_report_is_a_few_messages_ending_with_a_link_to_the_rest(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    report_id = await add_report(khabri, "बाढ़ राहत योजना", LONG_BODY, url="https://example.com/baadh")
    for _ in range(3):
        botapi.send_command(USER, "report", str(report_id))
    messages = (await botapi.wait_for_replies(USER, 12, timeout=20))[-4:]
    await asyncio.sleep(0.5)
    assert len(botapi.replies_to(USER)) == 12  # three reports of four messages, not 3 × 40
    assert text("report_rest", "hi") in messages[-1]["text"]
    assert entity_urls(messages[-1])[-1] == "https://example.com/baadh"


async def test_a_long_report_without_a_url_says_it_was_cut(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    report_id = await add_report(khabri, "बाढ़ राहत योजना", LONG_BODY)
    botapi.send_command(USER, "report", str(report_id))
    texts = await settled(botapi, USER, 4)
    assert len(texts) == 4
    assert texts[-1].endswith(text("report_cut", "hi"))


async def test_forged_report_buttons_are_held_to_the_budget(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    report_id = await add_report(khabri, "बाढ़ राहत योजना", LONG_BODY, url="https://example.com/baadh")
    botapi.send_command(USER, "latest")
    [latest] = await botapi.wait_for_replies(USER)
    for _ in range(10):
        botapi.press_forged_button(latest, f"r:{report_id}", USER)
    texts = await settled(botapi, USER, 21)
    assert len(texts) == 21  # /latest, then 19 of the report's messages, then the warning
    assert texts[-1] == SLOW_DOWN


@pytest.mark.parametrize("data", ["", "u:", "s:", ":", "u:abc", "r:"])
async def test_a_button_with_empty_or_broken_data_gets_a_short_note(
    botapi: BotApiEmulator, khabri: KhabriApplication, caplog: pytest.LogCaptureFixture, data: str
) -> None:
    botapi.send_command(USER, "latest")
    [latest] = await botapi.wait_for_replies(USER)
    with caplog.at_level(logging.ERROR):
        botapi.press_forged_button(latest, data, USER)
        [answer] = await botapi.wait_for_calls("answerCallbackQuery")
    assert answer.params.get("text") == text("stale_button", "hi")
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# ---------------------------------------------------------------- links


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "tg://resolve?domain=x"])
async def test_only_web_links_are_rendered_as_links(
    botapi: BotApiEmulator, khabri: KhabriApplication, url: str
) -> None:
    report_id = await add_report(khabri, "नीतीश कुमार का पटना दौरा", "नीतीश कुमार ने पटना में बैठक की।", url=url)
    botapi.send_command(USER, "report", str(report_id))
    botapi.send_command(USER, "ask", "नीतीश कुमार पटना बैठक")
    replies = await botapi.wait_for_replies(USER, 2)
    links = [u for message in replies for u in entity_urls(message)]
    assert links  # the answer links to the report in the bot instead
    assert all(u.startswith(("https://", "http://")) for u in links), links
    assert url not in str(replies)


# ---------------------------------------------------------------- group subscriptions


async def test_in_a_group_only_admins_change_the_subscriptions(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.set_member_status(GROUP, ADMIN, "administrator")
    botapi.set_member_status(GROUP, OWNER, "creator")
    store = archive_of(khabri).store
    botapi.send_command(ADMIN, "subscribe", "ममता बनर्जी", chat_id=GROUP, chat_type="supergroup")
    await botapi.wait_for_replies(GROUP, 1)
    botapi.send_command(OWNER, "subscribe", "नीतीश कुमार", chat_id=GROUP, chat_type="supergroup")
    await botapi.wait_for_replies(GROUP, 2)
    botapi.send_command(MEMBER, "unsubscribe", "सब", chat_id=GROUP, chat_type="supergroup")
    botapi.send_command(MEMBER, "subscribe", "क्रिकेट", chat_id=GROUP, chat_type="supergroup")
    texts = await settled(botapi, GROUP, 4)
    assert texts[2:] == [text("sub_admins_only", "hi")] * 2
    assert sorted(s.topic for s in await store.subscriptions.of_chat(GROUP)) == ["नीतीश कुमार", "ममता बनर्जी"]
    botapi.send_command(ADMIN, "unsubscribe", "ममता बनर्जी", chat_id=GROUP, chat_type="supergroup")
    await settled(botapi, GROUP, 5)
    assert [s.topic for s in await store.subscriptions.of_chat(GROUP)] == ["नीतीश कुमार"]
    assert botapi.member_lookups(GROUP) == 3  # the admin's second command was answered from the cache


async def test_a_member_cannot_remove_a_group_subscription_with_its_button(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.set_member_status(GROUP, ADMIN, "administrator")
    botapi.send_command(ADMIN, "subscribe", "ममता बनर्जी", chat_id=GROUP, chat_type="supergroup")
    await botapi.wait_for_replies(GROUP, 1)
    botapi.send_command(MEMBER, "subscriptions", chat_id=GROUP, chat_type="supergroup")
    [_, listing] = await botapi.wait_for_replies(GROUP, 2)
    [button] = [b["callback_data"] for row in listing["reply_markup"]["inline_keyboard"] for b in row]
    botapi.press_button(listing, button, user_id=MEMBER)
    [answer] = await botapi.wait_for_calls("answerCallbackQuery")
    assert answer.params.get("text") == text("sub_admins_only", "hi")
    assert len(await archive_of(khabri).store.subscriptions.of_chat(GROUP)) == 1
    botapi.press_button(listing, button, user_id=ADMIN)
    await eventually(lambda: len(botapi.calls("answerCallbackQuery")) == 2)
    await settled(botapi, GROUP, 3)
    assert await archive_of(khabri).store.subscriptions.of_chat(GROUP) == []


async def test_in_a_private_chat_no_one_is_asked(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_command(USER, "subscribe", "ममता बनर्जी")
    await botapi.wait_for_replies(USER)
    assert botapi.member_lookups() == 0
