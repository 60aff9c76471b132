"""Bad input and bad days: odd questions, odd reports, and a Bot API that fails now and then."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.render.texts import ERROR, MAX_QUESTION_CHARS, text
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator
from tests.auxil.botapi_html import utf16_len
from tests.e2e.bot_fixtures import archive_of, entity_texts, record

pytestmark = pytest.mark.e2e

USER = 3001
OTHER = 3002
MEETING = "अखिलेश यादव ने कोलकाता में किससे मुलाकात की?"


@pytest.mark.parametrize(
    ("command", "args", "expected"),
    [
        ("ask", "", text("ask_usage", "hi")),
        ("ask", "   ", text("ask_usage", "hi")),
        ("ask", "😀😀😀", text("no_words", "hi")),
        ("ask", "?!।...", text("no_words", "hi")),
        ("report", "", text("report_usage", "hi")),
        ("report", "abc", text("report_usage", "hi")),
        ("report", "2 3", text("report_usage", "hi")),
        ("report", "99999", text("report_missing", "hi", id=99999)),
        ("report", "99999999999999999999", text("report_usage", "hi")),
        ("frobnicate", "", text("unknown_command", "hi")),
    ],
    ids=[
        "ask-empty",
        "ask-blank",
        "ask-emoji",
        "ask-punctuation",
        "report-empty",
        "report-letters",
        "report-two-ids",
        "report-missing",
        "report-huge-id",
        "unknown-command",
    ],
)
async def test_bad_command_gets_a_short_helpful_reply(
    botapi: BotApiEmulator, khabri: KhabriApplication, command: str, args: str, expected: str
) -> None:
    botapi.send_command(USER, command, args)
    await botapi.wait_for_replies(USER)
    assert botapi.sent_texts(USER) == [expected.strip()]


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("😀", text("no_words", "hi")),
        ("🙏🏽🇮🇳", text("no_words", "hi")),
        ("?", text("no_words", "hi")),
        ("।।।", text("no_words", "hi")),
        ("क" * 10_000, text("too_long", "hi", length=10_000, limit=MAX_QUESTION_CHARS)),
        ("a " * 300, text("too_long", "en", length=600, limit=MAX_QUESTION_CHARS)),
        ("<b>&amp; <3", text("nothing_found", "hi")),
    ],
    ids=["emoji", "emoji-flags", "question-mark", "dandas", "10000-chars", "600-chars", "html-like"],
)
async def test_odd_message_gets_a_short_helpful_reply(
    botapi: BotApiEmulator, khabri: KhabriApplication, message: str, expected: str
) -> None:
    botapi.send_text(USER, message)
    await botapi.wait_for_replies(USER)
    assert botapi.sent_texts(USER) == [expected]


async def test_long_report_is_split_at_sentences_into_valid_messages(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    # Long enough for three messages after the heading, and no more: /report sends at most four
    # (tests/e2e/test_bot_abuse.py has the longer report, cut with a link to the rest).
    sentences = [f"वाक्य संख्या {n} में लखनऊ की खबर है और <यह> & वह भी।" for n in range(240)]
    body = " ".join(sentences)
    assert len(body) > 12_000
    [outcome] = await archive_of(khabri).ingest_records([record("लंबी रिपोर्ट", body)])
    botapi.send_command(USER, "report", str(outcome.report_id))
    await asyncio.sleep(0)
    await botapi.wait_for_calls("sendMessage", 4, USER, ok=True)
    await asyncio.sleep(0.3)
    sends = botapi.calls("sendMessage", USER)
    # The emulator refuses invalid HTML and texts over 4096: every send succeeding is the proof.
    assert all(call.ok for call in sends)
    texts = botapi.sent_texts(USER)
    assert len(texts) >= 4
    assert all(utf16_len(t) <= 4096 for t in texts)
    assert texts[0].startswith("लंबी रिपोर्ट")
    joined = "\n".join(texts)
    for sentence in sentences:
        assert sentence in joined
    # Every message but the heading ends at a sentence end.
    assert all(t.endswith("।") for t in texts[1:])


async def test_html_in_a_report_renders_as_written(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    title = "<b>पटना</b> में टमाटर & प्याज़ <3"
    body = "पटना की मंडी में टमाटर <b>सस्ता</b> हुआ & प्याज़ महंगा। दुकानदार बोले: हमें ग्राहक <3 हैं।"
    [outcome] = await archive_of(khabri).ingest_records([record(title, body)])
    botapi.send_command(USER, "report", str(outcome.report_id))
    botapi.send_text(OTHER, "पटना में टमाटर सस्ता हुआ?")
    [full] = await botapi.wait_for_replies(USER)
    [answer] = await botapi.wait_for_replies(OTHER)
    assert full["text"].startswith(title)
    assert "टमाटर <b>सस्ता</b> हुआ & प्याज़" in full["text"]
    assert "ग्राहक <3 हैं" in full["text"]
    assert title in answer["text"]
    assert any("<b>सस्ता</b>" in quote for quote in entity_texts(answer, "blockquote"))


async def test_reply_arrives_despite_a_429(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.fail_next("sendMessage", status=429, retry_after=1)
    botapi.send_text(USER, MEETING)
    [reply] = await botapi.wait_for_replies(USER, timeout=5)
    assert "ममता" in reply["text"]
    assert [call.status for call in botapi.calls("sendMessage")] == [429, 200]


async def test_reply_arrives_despite_a_bad_gateway(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.fail_next("sendMessage", status=502, count=2)
    botapi.send_text(USER, MEETING)
    [reply] = await botapi.wait_for_replies(USER, timeout=5)
    assert "ममता" in reply["text"]
    assert [call.status for call in botapi.calls("sendMessage")] == [502, 502, 200]


async def test_failed_update_gets_an_apology_and_a_log_of_ids(
    botapi: BotApiEmulator, khabri: KhabriApplication, caplog: pytest.LogCaptureFixture
) -> None:
    botapi.fail_next("sendMessage", status=400, description="Bad Request: injected failure")
    with caplog.at_level(logging.ERROR, logger="bot.tg.errors"):
        botapi.send_text(USER, MEETING)
        await botapi.wait_for_replies(USER)
    assert botapi.sent_texts(USER) == [ERROR]
    [logged] = [r for r in caplog.records if r.name == "bot.tg.errors"]
    assert f"user={USER}" in logged.getMessage()
    assert MEETING not in logged.getMessage()
    assert logged.exc_info is not None


async def test_a_user_who_blocked_the_bot_does_not_stop_it(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.block_chat(USER)
    botapi.send_text(USER, MEETING)
    await botapi.wait_for_calls("sendChatAction", 1, USER, ok=False)
    botapi.send_text(OTHER, MEETING)
    [reply] = await botapi.wait_for_replies(OTHER)
    assert "ममता" in reply["text"]
    botapi.unblock_chat(USER)
    botapi.send_text(USER, MEETING)
    [reply] = await botapi.wait_for_replies(USER)
    assert "ममता" in reply["text"]


async def test_too_many_questions_get_one_polite_slow_down(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    khabri.bot_data.questions_per_minute = 2
    for _ in range(4):
        botapi.send_text(USER, MEETING)
    await botapi.wait_for_replies(USER, 3)
    await asyncio.sleep(0.3)
    texts = botapi.sent_texts(USER)
    assert len(texts) == 3
    assert texts.count(text("slow_down", "hi", rate=2)) == 1
    botapi.send_text(OTHER, MEETING)
    [reply] = await botapi.wait_for_replies(OTHER)
    assert "ममता" in reply["text"]
