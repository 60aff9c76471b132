"""Honest partial answers through the emulator: what was not found is named, the rest offered as related."""

from __future__ import annotations

import pytest

from bot.render.texts import text
from bot.tg.context import KhabriApplication
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.bot_fixtures import archive_of, record

pytestmark = pytest.mark.e2e

USER = 1001
REPORTS = [
    record(
        "ताजमहल की रंगत फीकी",
        "आगरा में ताजमहल का संगमरमर प्रदूषण के कारण पीला पड़ रहा है.पुरातत्व विभाग ने सफ़ाई शुरू की है.",
    ),
    record("गुवाहाटी में बाढ़", "असम में बाढ़ से कई सड़कें बंद हो गईं.प्रशासन ने राहत शिविर खोले."),
    record("पुणे की जीत", "पुणे की टीम ने फ़ाइनल में मुंबई को 3-1 से हराया."),
    record("नया पुस्तकालय", "दिल्ली में रविवार को नए पुस्तकालय का उद्घाटन हुआ."),
]


async def test_a_question_whose_topic_is_absent_names_it_and_offers_the_rest(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    await archive_of(khabri).ingest_records(REPORTS)
    botapi.send_text(USER, "ताजमहल के टिकट कितने के हैं?")
    [reply] = await botapi.wait_for_replies(USER)
    first_line = reply["text"].splitlines()[0]
    assert "“टिकट”" in first_line
    assert "कुछ नहीं मिला" in first_line
    # The near report is offered, after the line that says it is not the answer.
    assert "ताजमहल की रंगत फीकी" in reply["text"]
    assert reply["text"] != text("nothing_found", "hi")


async def test_a_question_the_archive_answers_is_not_called_partial(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    await archive_of(khabri).ingest_records(REPORTS)
    botapi.send_text(USER, "ताजमहल का संगमरमर पीला क्यों पड़ रहा है?")
    [reply] = await botapi.wait_for_replies(USER)
    assert "कुछ नहीं मिला" not in reply["text"]
    assert "प्रदूषण" in reply["text"]


async def test_a_topic_nothing_mentions_is_named_without_related_reports(
    botapi: BotApiEmulator, khabri: KhabriApplication
) -> None:
    await archive_of(khabri).ingest_records(REPORTS)
    botapi.send_text(USER, "बिटकॉइन का भाव कितना है?")
    [reply] = await botapi.wait_for_replies(USER)
    assert reply["text"] == text("missing_only", "hi", missing="“बिटकॉइन”, “भाव”")
    assert "ताजमहल" not in reply["text"]
