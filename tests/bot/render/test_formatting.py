"""``bot.render.formatting``: answers and reports as valid HTML messages, their text and links kept.

The oracle for "Telegram accepts it" is the emulator's HTML parser (``tests.auxil.botapi_html``),
which follows the Bot API's rules for tags, entities and lengths.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render.formatting import answer_block, body_without_title, report_link, report_messages
from bot.render.markup import MAX_MESSAGE, fit, utf16_len
from retrieval import Quote, ReportAnswer, Span
from storage import Report
from tests.auxil.botapi_html import parse_html
from tests.auxil.render import LONG_TEXT, SETTINGS, TEXT, TITLE, assert_telegram_accepts, squeeze


def make_report(title: str = "शीर्षक", body: str = "पाठ।", **fields: object) -> Report:
    values: dict[str, object] = {
        "id": 7,
        "origin": "test",
        "title": title,
        "body": body,
        "url": None,
        "source": None,
        "published": None,
        "content_hash": "x",
        "ingested_at": "2024-01-01T00:00:00+00:00",
    }
    values.update(fields)
    return Report(**values)  # type: ignore[arg-type]


@SETTINGS
@given(TITLE, LONG_TEXT)
def test_report_messages_fit_and_parse(title: str, body: str) -> None:
    messages = report_messages(make_report(title, body))
    seen = [assert_telegram_accepts(m) for m in messages]
    # A body opening with its own title does not repeat it under the heading.
    assert squeeze("".join(seen)) == squeeze(title + body_without_title(title, body))


@SETTINGS
@given(
    TITLE,
    st.lists(st.tuples(TEXT, st.lists(st.tuples(st.integers(-5, 400), st.integers(-5, 400)))), max_size=4),
)
def test_answer_block_is_valid_html_with_the_quotes_verbatim(
    title: str, quotes: list[tuple[str, list[tuple[int, int]]]]
) -> None:
    part = ReportAnswer(
        7,
        1.0,
        1.0,
        tuple(Quote(q, tuple(Span(a, b) for a, b in spans), 1, 0) for q, spans in quotes),
    )
    block = answer_block(part, make_report(title), bot_username="khabri_bot")
    seen = parse_html(fit(block)).text
    if utf16_len(block) <= MAX_MESSAGE:
        for quote, _ in quotes:
            # Shown with runs of white space as one space, the words verbatim.
            assert " ".join(quote.split()) in " ".join(seen.split())


def test_answer_block_shows_title_date_quotes_and_link() -> None:
    report = make_report("पुल <खुला>", published="2023-03-17", url="https://example.com/a?x=1&y=2")
    part = ReportAnswer(7, 1.0, 1.0, (Quote("मंत्री ने पुल खोला।", (Span(11, 14),), 1, 0),))
    block = answer_block(part, report, bot_username="khabri_bot", number=1)
    parsed = parse_html(block)
    assert parsed.text.startswith("1. पुल <खुला>\n17 मार्च 2023\nमंत्री ने पुल खोला।")
    kinds = {e["type"]: e for e in parsed.entities}
    assert set(kinds) == {"bold", "blockquote", "text_link"}
    assert kinds["text_link"]["url"] == "https://example.com/a?x=1&y=2"


@pytest.mark.parametrize(
    ("url", "username", "expected"),
    [
        ("https://example.com/x", "khabri_bot", "https://example.com/x"),
        (None, "khabri_bot", "https://t.me/khabri_bot?start=r_7"),
        (None, None, ""),
    ],
)
def test_report_link_prefers_the_url_then_the_deep_link(
    url: str | None, username: str | None, expected: str
) -> None:
    assert report_link(make_report(url=url), username) == expected


def test_long_report_splits_into_sentence_ending_messages() -> None:
    body = " ".join(f"यह वाक्य {n} है।" for n in range(2000))
    messages = report_messages(make_report(body=body))
    assert len(messages) >= 4
    assert all(utf16_len(m) <= MAX_MESSAGE for m in messages)
    assert all(m.endswith("।") for m in messages[1:])


def test_emoji_count_twice_towards_the_limit() -> None:
    body = "😀" * 3000 + "।"
    for message in report_messages(make_report(body=body)):
        assert_telegram_accepts(message)


@pytest.mark.parametrize(
    "url", [None, "https://example.com/a", "https://example.com/" + "x" * 3000, "javascript:x"]
)
def test_a_capped_report_is_at_most_the_cap_and_says_where_the_rest_is(url: str | None) -> None:
    body = "\n".join("राहत शिविरों की व्यवस्था पर <चर्चा> & बैठक हुई। " * 20 for _ in range(60))
    report = Report(1, "o", "लंबी रिपोर्ट", body, url, None, None, "h", "2024-01-01")
    messages = report_messages(report, max_messages=4, rest="बाकी स्रोत पर")
    assert len(messages) == 4
    assert all(utf16_len(m) <= 4096 for m in messages)
    assert "बाकी स्रोत पर" in messages[-1].rsplit("\n", 1)[-1]
    assert ("href" in messages[-1]) == (url == "https://example.com/a")
