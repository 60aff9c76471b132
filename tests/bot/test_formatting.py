"""``bot.render.formatting``: escaped, balanced HTML in messages Telegram accepts, losing no text.

The oracle for "Telegram accepts it" is the emulator's HTML parser (``tests.auxil.botapi_html``),
which follows the Bot API's rules for tags, entities and lengths.
"""

from __future__ import annotations

import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.render.formatting import (
    MAX_MESSAGE,
    answer_block,
    body_without_title,
    escape,
    fit,
    highlighted,
    pack,
    report_link,
    report_messages,
    split_text,
    utf16_len,
)
from retrieval import Quote, ReportAnswer, Span
from storage import Report
from tests.auxil.botapi_html import parse_html

# Report text as it arrives: any printable character of any script, with line breaks. (NUL and
# other C0 controls are left out: Telegram's parser stops at NUL.)
CHARS = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n ।.?!<>&;\"'")
TEXT = st.text(CHARS, max_size=300)
LONG_TEXT = st.text(CHARS, max_size=20_000)
TITLE = st.text(CHARS, min_size=1, max_size=300).filter(lambda t: t.strip())
SETTINGS = settings(max_examples=150, deadline=None)


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


def squeeze(text: str) -> str:
    """Text without whitespace: what must survive splitting and packing."""
    return "".join(text.split())


def assert_telegram_accepts(message: str) -> str:
    assert utf16_len(message) <= MAX_MESSAGE
    parsed = parse_html(message)  # raises on unbalanced tags or bad entities
    assert utf16_len(parsed.text) <= MAX_MESSAGE
    return parsed.text


@given(TEXT)
def test_escaped_text_unescapes_to_the_input(text: str) -> None:
    assert html.unescape(escape(text)) == text


@given(TEXT)
def test_escaped_text_parses_back_to_itself(text: str) -> None:
    assert parse_html(escape(text)).text == text


@pytest.mark.parametrize("text", ["<b>", "&", "<3", "&amp;", "a < b > c", "&lt;b&gt;"])
def test_special_characters_render_as_written(text: str) -> None:
    assert parse_html(escape(text)).text == text


@SETTINGS
@given(TITLE, LONG_TEXT)
def test_report_messages_fit_and_parse(title: str, body: str) -> None:
    messages = report_messages(make_report(title, body))
    seen = [assert_telegram_accepts(m) for m in messages]
    # A body opening with its own title does not repeat it under the heading.
    assert squeeze("".join(seen)) == squeeze(title + body_without_title(title, body))


@SETTINGS
@given(LONG_TEXT, st.integers(min_value=64, max_value=MAX_MESSAGE))
def test_split_text_never_loses_text_and_respects_the_limit(text: str, limit: int) -> None:
    pieces = split_text(text, limit=limit)
    assert all(utf16_len(escape(p)) <= limit for p in pieces)
    assert squeeze("".join(pieces)) == squeeze(text)


@SETTINGS
@given(st.lists(LONG_TEXT.map(escape), max_size=6))
def test_pack_never_loses_text(blocks: list[str]) -> None:
    messages = pack(blocks)
    seen = [assert_telegram_accepts(m) for m in messages if m.strip()]
    assert squeeze("".join(seen)) == squeeze("".join(html.unescape(b) for b in blocks))


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


def test_highlights_are_bold_and_escaped() -> None:
    assert highlighted("a <b> c", [Span(2, 5)]) == "a <b>&lt;b&gt;</b> c"


def test_overlapping_and_out_of_range_highlights_are_merged() -> None:
    assert highlighted("अखिलेश यादव", [Span(0, 3), Span(2, 6), Span(40, 50)]) == "<b>अखिलेश</b> यादव"


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
    from bot.render.formatting import report_messages, utf16_len

    body = "\n".join("राहत शिविरों की व्यवस्था पर <चर्चा> & बैठक हुई। " * 20 for _ in range(60))
    report = Report(1, "o", "लंबी रिपोर्ट", body, url, None, None, "h", "2024-01-01")
    messages = report_messages(report, max_messages=4, rest="बाकी स्रोत पर")
    assert len(messages) == 4
    assert all(utf16_len(m) <= 4096 for m in messages)
    assert "बाकी स्रोत पर" in messages[-1].rsplit("\n", 1)[-1]
    assert ("href" in messages[-1]) == (url == "https://example.com/a")
