"""Khabri end to end: the real application polls the Bot API emulator; the archive is real SQLite."""

from __future__ import annotations

import asyncio

import pytest

from bot.render.texts import COMMANDS, EXAMPLES, text
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.bot_fixtures import archive_of, buttons, entity_texts, entity_urls, record

pytestmark = pytest.mark.e2e

USER = 1001
OTHER = 1002
GROUP = -1_000_123
MEETING = "अखिलेश यादव ने कोलकाता में किससे मुलाकात की?"
MEETING_ROMAN = "akhilesh yadav ne kolkata me kisse mulakat ki"
NO_ANSWER = "क्रिकेट विश्व कप किसने जीता?"
# The seeds hold no world cup: the reply names what is missing.
NO_ANSWER_REPLY = text("missing_only", "hi", missing="“विश्व”, “कप”")


async def test_start_welcomes_with_counts_and_three_examples(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "start")
    [reply] = await botapi.wait_for_replies(USER)
    assert "नमस्ते" in reply["text"]
    assert "Hello" in reply["text"]
    assert "2 रिपोर्टें" in reply["text"]
    assert [label for label, _ in buttons(reply)] == list(EXAMPLES)


async def test_start_buttons_ask_the_example_questions(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "start")
    [welcome] = await botapi.wait_for_replies(USER)
    for n, (_, data) in enumerate(buttons(welcome), start=2):
        botapi.press_button(welcome, data)
        replies = await botapi.wait_for_replies(USER, n)
        assert replies[-1]["text"] not in (text("nothing_found", "hi"), text("nothing_found", "en"))
        assert entity_texts(replies[-1], "blockquote")


async def test_command_menu_is_set_in_hindi_and_english(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    names = [c.name for c in COMMANDS]
    assert [c["command"] for c in botapi.commands(language_code="hi")] == names
    assert [c["command"] for c in botapi.commands()] == names
    assert botapi.commands(language_code="hi")[0]["description"] != botapi.commands()[0]["description"]


async def test_devanagari_question_quotes_the_meeting_with_a_link(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, MEETING)
    [reply] = await botapi.wait_for_replies(USER)
    assert any("ममता" in quote for quote in entity_texts(reply, "blockquote"))
    assert "ममता" in entity_texts(reply, "bold") or any("ममता" in b for b in entity_texts(reply, "bold"))
    assert entity_urls(reply)[0].startswith("https://t.me/khabri_test_bot?start=r_")
    assert [call.params["action"] for call in botapi.calls("sendChatAction", USER)] == ["typing"]


async def test_romanized_question_finds_the_same_meeting(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, MEETING_ROMAN)
    [reply] = await botapi.wait_for_replies(USER)
    assert any("ममता" in quote for quote in entity_texts(reply, "blockquote"))
    assert "स्रोत" in reply["text"]


async def test_question_without_answer_says_nothing_found(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, NO_ANSWER)
    await botapi.wait_for_replies(USER)
    assert botapi.sent_texts(USER) == [NO_ANSWER_REPLY]
    assert "/latest" in botapi.sent_texts(USER)[0]


async def test_ask_command_answers_the_question(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_command(USER, "ask", MEETING)
    [reply] = await botapi.wait_for_replies(USER)
    assert any("ममता" in quote for quote in entity_texts(reply, "blockquote"))


async def test_report_url_is_the_source_link(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    url = "https://example.com/khabar/1"
    body = "झुमरीतलैया में आज नया पुल खुला। पुल का उद्घाटन मंत्री ने किया।"
    await archive_of(khabri).ingest_record(record("झुमरीतलैया में पुल", body, url=url, published="2023-03-17"))
    botapi.send_text(USER, "झुमरीतलैया में पुल किसने खोला?")
    [reply] = await botapi.wait_for_replies(USER)
    assert entity_urls(reply) == [url]
    assert "17 मार्च 2023" in reply["text"]


async def test_group_message_not_addressed_to_the_bot_gets_no_reply(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, MEETING, chat_id=GROUP, chat_type="group")
    botapi.send_text(USER, "@khabri_test_bot " + NO_ANSWER, chat_id=GROUP, chat_type="group")
    await botapi.wait_for_replies(GROUP)
    await asyncio.sleep(0.3)
    assert botapi.sent_texts(GROUP) == [NO_ANSWER_REPLY]


async def test_group_mention_is_answered(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_text(USER, f"@khabri_test_bot {MEETING}", chat_id=GROUP, chat_type="group")
    [reply] = await botapi.wait_for_replies(GROUP)
    assert any("ममता" in quote for quote in entity_texts(reply, "blockquote"))
    assert reply["reply_to_message"]["from"]["id"] == USER


async def test_group_reply_to_the_bot_is_answered(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_command(USER, "help", chat_id=GROUP, chat_type="group")
    await botapi.wait_for_replies(GROUP)
    botapi.send_text(USER, MEETING_ROMAN, chat_id=GROUP, chat_type="group", reply_to_bot=True)
    replies = await botapi.wait_for_replies(GROUP, 2)
    assert any("ममता" in quote for quote in entity_texts(replies[1], "blockquote"))


async def test_group_ask_command_is_answered(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_command(USER, "ask", MEETING, chat_id=GROUP, chat_type="supergroup")
    [reply] = await botapi.wait_for_replies(GROUP)
    assert any("ममता" in quote for quote in entity_texts(reply, "blockquote"))


async def test_two_users_at_once_each_get_their_own_answer(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, MEETING)
    botapi.send_text(OTHER, NO_ANSWER)
    [mine] = await botapi.wait_for_replies(USER)
    [theirs] = await botapi.wait_for_replies(OTHER)
    assert "ममता" in mine["text"]
    assert theirs["text"] == NO_ANSWER_REPLY


async def test_help_lists_every_command_in_both_scripts(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "help")
    [reply] = await botapi.wait_for_replies(USER)
    for command in COMMANDS:
        assert f"/{command.name}" in reply["text"]
    assert "अखिलेश यादव" in reply["text"]
    assert "akhilesh yadav" in reply["text"]


async def test_about_tells_counts(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_command(USER, "about")
    [reply] = await botapi.wait_for_replies(USER)
    assert "रिपोर्टें: 2" in reply["text"]


async def test_one_users_messages_are_answered_in_order(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, "शिवपाल यादव सहकारिता चुनाव")
    botapi.send_command(USER, "start")
    botapi.send_text(USER, NO_ANSWER)
    replies = await botapi.wait_for_replies(USER, 3)
    assert "शिवपाल" in replies[0]["text"]
    assert "नमस्ते" in replies[1]["text"]
    assert replies[2]["text"] == NO_ANSWER_REPLY


async def test_group_mention_of_another_bot_is_not_answered(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, f"@khabri_test_bot_2 {MEETING}", chat_id=GROUP, chat_type="group")
    botapi.send_text(USER, f"@KHABRI_TEST_BOT {NO_ANSWER}", chat_id=GROUP, chat_type="group")
    await botapi.wait_for_replies(GROUP)
    await asyncio.sleep(0.3)
    assert botapi.sent_texts(GROUP) == [NO_ANSWER_REPLY]


async def test_who_met_whom_comes_first_with_place_day_and_source(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, "ममता से कौन मिला?")
    [reply] = await botapi.wait_for_replies(USER)
    assert reply["text"].startswith("कौन किससे मिला")
    assert "अखिलेश यादव ↔ ममता बनर्जी — कोलकाता, शुक्रवार" in reply["text"]
    assert "शिवपाल यादव ↔ ममता बनर्जी" in reply["text"]
    assert any("मुलाकात की" in quote for quote in entity_texts(reply, "blockquote"))
    assert entity_urls(reply)


async def test_meetings_command_lists_whom_a_person_met(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "meetings", "shivpal")
    [reply] = await botapi.wait_for_replies(USER)
    assert "शिवपाल यादव ↔ ममता बनर्जी" in reply["text"]
    assert "अखिलेश" not in reply["text"].split("\n")[1]


async def test_meetings_command_without_a_name_lists_the_latest(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "meetings")
    [reply] = await botapi.wait_for_replies(USER)
    assert reply["text"].count("↔") >= 2


async def test_meetings_command_with_an_unknown_name_says_so(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "meetings", "narendra")
    [reply] = await botapi.wait_for_replies(USER)
    assert reply["text"] == text("meetings_none", "hi")
