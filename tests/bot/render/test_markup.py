"""``bot.render.markup``: escaped, balanced HTML in messages Telegram accepts, losing no text.

The oracle for "Telegram accepts it" is the emulator's HTML parser (``tests.auxil.botapi_html``),
which follows the Bot API's rules for tags, entities and lengths.
"""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.render.markup import MAX_MESSAGE, escape, highlighted, pack, split_text, utf16_len
from retrieval import Span
from tests.auxil.botapi_html import parse_html
from tests.auxil.render import LONG_TEXT, SETTINGS, TEXT, assert_telegram_accepts, squeeze


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


def test_highlights_are_bold_and_escaped() -> None:
    assert highlighted("a <b> c", [Span(2, 5)]) == "a <b>&lt;b&gt;</b> c"


def test_overlapping_and_out_of_range_highlights_are_merged() -> None:
    assert highlighted("अखिलेश यादव", [Span(0, 3), Span(2, 6), Span(40, 50)]) == "<b>अखिलेश</b> यादव"
