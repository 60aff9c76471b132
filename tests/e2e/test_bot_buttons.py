"""Buttons, deep links and report pages: what a user reaches by pressing rather than typing."""

from __future__ import annotations

from pathlib import Path

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.render.texts import text
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.bot_fixtures import archive_of, buttons, record, running_khabri

pytestmark = pytest.mark.e2e

USER = 2001
TOPIC = "अखिलेश यादव"


async def add_reports_about_akhilesh(khabri: KhabriApplication, count: int) -> None:
    records = [
        record(
            f"अखिलेश यादव की रैली नंबर {n}",
            f"सपा प्रमुख अखिलेश यादव ने शहर {n} में रैली की। रैली में {n} हज़ार लोग पहुंचे।",
            published=f"2024-01-{n + 1:02d}",
        )
        for n in range(count)
    ]
    await archive_of(khabri).ingest_records(records)


async def test_more_results_shows_the_next_three(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    await add_reports_about_akhilesh(khabri, 6)
    botapi.send_text(USER, TOPIC)
    [first] = await botapi.wait_for_replies(USER)
    more = [data for label, data in buttons(first) if label == text("more", "hi")]
    assert len(more) == 1
    assert len(more[0].encode()) <= 64
    assert first["text"].startswith("1. ")
    botapi.press_button(first, more[0])
    second = (await botapi.wait_for_replies(USER, 2))[1]
    assert second["text"].startswith("4. ")
    assert "\n\n3. " not in second["text"]


async def test_more_results_button_survives_a_restart(
    botapi: BotApiEmulator, khabri: KhabriApplication, bot_token: str, store_location: Path | str
) -> None:
    await add_reports_about_akhilesh(khabri, 6)
    botapi.send_text(USER, TOPIC)
    [first] = await botapi.wait_for_replies(USER)
    [more] = [data for label, data in buttons(first) if label == text("more", "hi")]
    db = store_location  # where the running bot's store is
    # Stop the first bot's polling; a second bot process starts on the same store.
    assert khabri.updater is not None
    await khabri.updater.stop()
    # ... and gives up polling as a stopped process does, or the second would refuse to poll too.
    assert khabri.bot_data.poll_lease is not None
    await khabri.bot_data.poll_lease.release()
    async with running_khabri(botapi, bot_token, db):
        botapi.press_button(first, more)
        second = (await botapi.wait_for_replies(USER, 2))[1]
    assert second["text"].startswith("4. ")


async def test_full_report_button_sends_the_report(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_text(USER, "akhilesh yadav ne kolkata me kisse mulakat ki")
    [answer] = await botapi.wait_for_replies(USER)
    label, data = buttons(answer)[0]
    assert label.startswith(text("full_report", "hi"))
    botapi.press_button(answer, data)
    replies = await botapi.wait_for_replies(USER, 2)
    report = await archive_of(khabri).store.reports.get(int(data.split(":")[1]))
    assert replies[1]["text"].startswith(report.title)
    assert [c.ok for c in botapi.calls("answerCallbackQuery")] == [True]


async def test_deep_link_opens_the_report(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_command(USER, "start", "r_2")
    replies = await botapi.wait_for_replies(USER)
    report = await archive_of(khabri).store.reports.get(2)
    assert replies[0]["text"].startswith(report.title)


@pytest.mark.parametrize("payload", ["x_cricket", "r_abc", "garbage"])
async def test_unknown_deep_link_is_a_plain_start(
    botapi: BotApiEmulator, khabri: KhabriApplication, payload: str
) -> None:
    botapi.send_command(USER, "start", payload)
    [reply] = await botapi.wait_for_replies(USER)
    assert "नमस्ते" in reply["text"]


async def test_deep_link_to_a_missing_report_says_so(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "start", "r_99999")
    [reply] = await botapi.wait_for_replies(USER)
    assert reply["text"] == text("report_missing", "hi", id=99999)


@pytest.mark.parametrize("data", ["ans:old:1", "q:99999", "m:99999:1", "lang:fr", "x"])
async def test_button_of_an_older_version_gets_a_short_note(
    botapi: BotApiEmulator, khabri: KhabriApplication, data: str
) -> None:
    # A message an older version of the bot sent, with a button this version does not know.
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("पुराना", callback_data=data)]])
    old = await khabri.bot.send_message(USER, "पुराना संदेश", reply_markup=keyboard)
    botapi.press_button(old.to_dict(), data)
    [answered] = await botapi.wait_for_calls("answerCallbackQuery")
    assert answered.ok
    assert answered.params["text"] == text("stale_button", "hi")
    assert botapi.sent_texts(USER) == ["पुराना संदेश"]


async def test_latest_pages_through_the_reports(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    await add_reports_about_akhilesh(khabri, 6)
    botapi.send_command(USER, "latest")
    [page] = await botapi.wait_for_replies(USER)
    # Six reports of 2024 and the two seeds of 2023: five a page, newest first.
    assert page["text"].index("नंबर 5") < page["text"].index("नंबर 4")
    assert "5. " in page["text"]
    assert "6. " not in page["text"]
    [older] = [data for label, data in buttons(page) if label == text("next", "hi")]
    botapi.press_button(page, older)
    [edit] = await botapi.wait_for_calls("editMessageText", ok=True)
    assert "6. अखिलेश यादव की रैली नंबर 0 — 1 जनवरी 2024" in edit.result["text"]
    assert "8. SP National Executive Meeting" in edit.result["text"]
    labels = [label for label, _ in buttons(edit.result)]
    assert text("previous", "hi") in labels
    assert text("next", "hi") not in labels


async def test_latest_report_button_opens_the_report(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_command(USER, "latest")
    [page] = await botapi.wait_for_replies(USER)
    _, data = buttons(page)[0]
    botapi.press_button(page, data)
    replies = await botapi.wait_for_replies(USER, 2)
    report = await archive_of(khabri).store.reports.get(int(data.split(":")[1]))
    assert replies[1]["text"].startswith(report.title)


async def test_lang_switches_the_interface(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_command(USER, "lang", "en")
    botapi.send_command(USER, "help")
    replies = await botapi.wait_for_replies(USER, 2)
    assert replies[0]["text"] == text("lang_set", "en")
    assert "Commands" in replies[1]["text"]
    # A chosen language wins over the script of the question.
    botapi.send_text(USER, "क्रिकेट विश्व कप किसने जीता?")
    replies = await botapi.wait_for_replies(USER, 3)
    assert replies[2]["text"] == text("missing_only", "en", missing="“विश्व”, “कप”")
    botapi.send_command(USER, "lang", "hi")
    botapi.send_command(USER, "help")
    replies = await botapi.wait_for_replies(USER, 5)
    assert "कमांड" in replies[4]["text"]


async def test_lang_buttons_switch_the_interface(botapi: BotApiEmulator, khabri: KhabriApplication) -> None:
    botapi.send_command(USER, "lang")
    [prompt] = await botapi.wait_for_replies(USER)
    assert [data for _, data in buttons(prompt)] == ["lang:hi", "lang:en"]
    botapi.press_button(prompt, "lang:en")
    replies = await botapi.wait_for_replies(USER, 2)
    assert replies[1]["text"] == text("lang_set", "en")


async def test_interface_follows_the_script_of_the_question(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    botapi.send_text(USER, "who won the cricket world cup")
    botapi.send_text(USER + 1, "क्रिकेट विश्व कप किसने जीता?")
    botapi.send_text(USER + 2, "cricket world cup kisne jeeta")
    [english] = await botapi.wait_for_replies(USER)
    [hindi] = await botapi.wait_for_replies(USER + 1)
    [romanized] = await botapi.wait_for_replies(USER + 2)
    # An English question has focal words too, and is told in English which of them no report holds.
    assert english["text"] == text("missing_only", "en", missing="“won”, “world”, “cup”")
    # An English question that finds nothing is told, in English, to try Hindi.
    assert "asking in Hindi" in english["text"]
    assert hindi["text"] == text("missing_only", "hi", missing="“विश्व”, “कप”")
    # Hindi in Latin letters is Hindi: the interface follows the language, not the script.
    assert romanized["text"] == text("missing_only", "hi", missing="“world”, “cup”")
