"""What a user sees, end to end: the reply's shape and length, its language, true dates, /lang after a
restart, pasted text, and the operator commands for an operator and for a stranger."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.render.texts import text
from bot.settings import Settings
from bot.tg.app import build_application, running
from bot.tg.context import KhabriApplication
from retrieval import split_sentences
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.bot_fixtures import archive_of, buttons, entity_texts, plain_http, record, running_khabri

pytestmark = pytest.mark.e2e

USER = 2001
ADMIN = 2002
ROMAN = "akhilesh ne mamta se kab mulakat ki"
DEVANAGARI = "अखिलेश यादव ने कोलकाता में किससे मुलाकात की?"
ENGLISH = "who did akhilesh yadav meet in kolkata"
# Telegram counts the text a user sees; an answer should read at a glance on a phone.
USUAL_ANSWER_LIMIT = 1500


def sentences_of(message: dict[str, object]) -> list[str]:
    """Every sentence quoted in a message (its blockquotes), as the user reads them."""
    found = []
    for quote in entity_texts(message, "blockquote"):  # type: ignore[arg-type]
        for line in quote.split("\n"):
            found += [line[s.start : s.end].strip() for s in split_sentences(line)]
    return [s for s in found if s]


@pytest.mark.parametrize("question", [ROMAN, DEVANAGARI, "akhilesh yadav ne kolkata me kisse mulakat ki"])
async def test_answer_says_each_sentence_once_in_one_short_message(
    botapi: BotApiEmulator, khabri: KhabriApplication, question: str
) -> None:
    botapi.send_text(USER, question)
    [reply] = await botapi.wait_for_replies(USER)
    shown = reply["text"]
    assert len(shown) < USUAL_ANSWER_LIMIT, len(shown)
    quoted = sentences_of(reply)
    assert quoted
    assert len(quoted) == len(set(quoted)), quoted
    # The meeting sentence is in a result, so it is not quoted a second time under the meeting.
    meeting = "इसी बीच सपा प्रमुख अखिलेश यादव ने पश्चिम बंगाल की मुख्यमंत्री ममता बनर्जी से मुलाकात की."
    assert shown.count(meeting) == 1
    # No quote repeats a heading.
    headings = [b for b in entity_texts(reply, "bold") if re.match(r"\d+\. ", b)]
    assert headings
    for heading in headings:
        assert all(heading[3:].rstrip("…") not in q for q in quoted)


async def test_a_meeting_told_by_two_reports_is_one_line_with_both_sources(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, ROMAN)
    [reply] = await botapi.wait_for_replies(USER)
    lines = [line for line in reply["text"].split("\n") if "↔" in line]
    assert len(lines) == 1, lines
    [line] = lines
    assert "अखिलेश यादव ↔ ममता बनर्जी — कोलकाता, शुक्रवार (17 मार्च)" in line
    assert line.endswith("स्रोत: 1, 2")


async def test_meetings_command_cuts_source_labels_at_a_word_boundary(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "meetings", "ममता")
    [reply] = await botapi.wait_for_replies(USER)
    raw = reply["text"].encode("utf-16-le")
    labels = [
        raw[2 * e["offset"] : 2 * (e["offset"] + e["length"])].decode("utf-16-le")
        for e in reply["entities"]
        if e["type"] == "text_link"
    ]
    titles = [r.title for r in (await archive_of(khabri).store.reports.get_many([1, 2])).values()]
    assert labels
    for label in labels:
        assert label.endswith("…")
        [title] = [t for t in titles if t.startswith(label[:-1])]
        # Cut where a word ends: the title goes on with a space or a punctuation mark before one.
        assert re.match(r"[\s:,;—-]", title[len(label) - 1 :]), (label, title)
    assert len([line for line in reply["text"].split("\n") if "↔" in line]) == 2


@pytest.mark.parametrize(
    ("question", "lang"),
    [(ROMAN, "hi"), (DEVANAGARI, "hi"), (ENGLISH, "en")],
    ids=["romanized-hindi", "devanagari", "english"],
)
async def test_interface_is_hindi_for_hindi_in_either_script_and_english_for_english(
    botapi: BotApiEmulator, khabri: KhabriApplication, question: str, lang: str
) -> None:
    botapi.send_text(USER, question)
    [reply] = await botapi.wait_for_replies(USER)
    assert reply["text"].startswith(text("meetings_heading", lang)[3:-4])
    other = "en" if lang == "hi" else "hi"
    if lang == "hi":
        labels = [label for label, _ in buttons(reply)]
        assert text("sub_button", "hi") in labels
        assert all(not label.startswith(text("full_report", other)) for label in labels)
    assert f"{text('source', lang)}:" in reply["text"]
    assert f"{text('source', other)}:" not in reply["text"]


async def test_lang_choice_survives_a_restart(
    botapi: BotApiEmulator, bot_token: str, store_location: Path | str
) -> None:
    db = store_location
    async with running_khabri(botapi, bot_token, db):
        botapi.send_command(USER, "lang", "en")
        [chosen] = await botapi.wait_for_replies(USER)
        assert chosen["text"] == text("lang_set", "en")
    async with running_khabri(botapi, bot_token, db):
        botapi.send_text(USER, DEVANAGARI)
        replies = await botapi.wait_for_replies(USER, 2)
    assert replies[1]["text"].startswith("Who met whom")
    assert text("full_report", "en") in [
        label.split(" ")[0] + " " + label.split(" ")[1] for label, _ in buttons(replies[1])
    ]


@pytest.mark.parametrize(
    "pasted", ["<b>ममता</b> <script>", "shivpal\tyadav\x1b[31m kahan\x07 gaye"], ids=["markup", "control"]
)
async def test_pasted_markup_and_control_characters_still_find_the_answer(
    botapi: BotApiEmulator, khabri: KhabriApplication, pasted: str
) -> None:
    botapi.send_text(USER, pasted)
    [reply] = await botapi.wait_for_replies(USER)
    assert reply["text"] != text("nothing_found", "hi")
    assert entity_texts(reply, "blockquote")


async def test_dates_are_true_and_undated_reports_come_last(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    await archive_of(khabri).ingest_record(record("बिना तारीख़ की खबर", "इस खबर की कोई तारीख़ नहीं है।"))
    botapi.send_command(USER, "start")
    [welcome] = await botapi.wait_for_replies(USER)
    assert "सबसे नई 17 मार्च 2023 की" in welcome["text"]
    botapi.send_command(USER, "latest")
    latest = (await botapi.wait_for_replies(USER, 2))[1]["text"].split("\n")
    assert latest[1].endswith("— 17 मार्च 2023")
    assert latest[2].endswith("— 17 मार्च 2023")
    assert latest[3] == "3. बिना तारीख़ की खबर — तारीख़ नहीं"


async def test_full_report_does_not_repeat_its_title(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "report", "1")
    [report] = await botapi.wait_for_replies(USER)
    title = (await archive_of(khabri).store.reports.get(1)).title
    assert report["text"].startswith(title + "\n17 मार्च 2023 · ABP Live")
    assert report["text"].count(title) == 1


# ---------------------------------------------------------------- operators


@pytest.fixture
async def operated(botapi: BotApiEmulator, bot_token: str, store_location: Path | str) -> KhabriApplication:
    settings = Settings(
        db_path=store_location,
        token=bot_token,
        api_base_url=botapi.base_url,
        admins=frozenset({ADMIN}),
    )
    application = build_application(settings, request=plain_http(), get_updates_request=plain_http())
    async with running(application, poll_timeout=1.0):
        yield application


async def test_stats_for_an_operator(botapi: BotApiEmulator, operated: KhabriApplication) -> None:
    botapi.send_text(USER, DEVANAGARI)
    await botapi.wait_for_replies(USER)
    botapi.send_command(ADMIN, "stats")
    [stats] = await botapi.wait_for_replies(ADMIN)
    shown = stats["text"]
    assert "रिपोर्टें: 2 · अंश: 38 · सबसे नई: 17 मार्च 2023" in shown
    assert "चैट: 1 · सदस्यताएँ: 0 · पिछले 24 घंटों में सवाल: 1" in shown
    assert "आउटबॉक्स: pending 0" in shown
    assert "फ़ीड: 0 ठीक, 0 विफल" in shown


@pytest.mark.parametrize(
    ("command", "args"), [("stats", ""), ("feeds", ""), ("feeds", "add https://e.org/rss")]
)
async def test_operator_commands_refuse_a_stranger_and_change_nothing(
    botapi: BotApiEmulator, operated: KhabriApplication, command: str, args: str
) -> None:
    botapi.send_command(USER, command, args)
    [refusal] = await botapi.wait_for_replies(USER)
    assert refusal["text"] == text("admin_only", "hi")
    assert await archive_of(operated).store.feeds.all() == []


async def test_feeds_list_add_remove_for_an_operator(
    botapi: BotApiEmulator, operated: KhabriApplication
) -> None:
    store = archive_of(operated).store
    steps = [
        ("", text("feeds_none", "hi")),
        (
            "add https://example.org/rss.xml",
            text("feed_added", "hi", id=1, url="https://example.org/rss.xml"),
        ),
        (
            "add https://example.org/rss.xml",
            text("feed_exists", "hi", id=1, url="https://example.org/rss.xml"),
        ),
        ("add ftp://example.org/x", text("feeds_usage", "hi")),
        ("list", "1. https://example.org/rss.xml — ठीक · अभी नहीं पढ़ा"),
        ("remove 7", text("feed_missing", "hi", feed="7")),
        (
            "remove https://example.org/rss.xml",
            text("feed_removed", "hi", feed="https://example.org/rss.xml"),
        ),
    ]
    for n, (args, expected) in enumerate(steps, start=1):
        botapi.send_command(ADMIN, "feeds", args)
        replies = await botapi.wait_for_replies(ADMIN, n)
        assert expected in replies[-1]["text"], (args, replies[-1]["text"])
        if n == 2:
            assert [f.url for f in await store.feeds.all()] == ["https://example.org/rss.xml"]
    assert await store.feeds.all() == []


async def test_operator_menu_has_the_operator_commands(
    botapi: BotApiEmulator, operated: KhabriApplication
) -> None:
    scope = {"type": "chat", "chat_id": ADMIN}
    assert "stats" in [c["command"] for c in botapi.commands(scope)]
    assert "stats" not in [c["command"] for c in botapi.commands()]
