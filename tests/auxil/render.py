"""Shared by the rendering tests: report text of any script, and whether Telegram accepts a message."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st

from bot.render.markup import MAX_MESSAGE, utf16_len
from tests.auxil.botapi_html import parse_html

# Report text as it arrives: any printable character of any script, with line breaks. (NUL and
# other C0 controls are left out: Telegram's parser stops at NUL.)
CHARS = st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n ।.?!<>&;\"'")
TEXT = st.text(CHARS, max_size=300)
LONG_TEXT = st.text(CHARS, max_size=20_000)
TITLE = st.text(CHARS, min_size=1, max_size=300).filter(lambda t: t.strip())
SETTINGS = settings(max_examples=150, deadline=None)


def squeeze(text: str) -> str:
    """Text without whitespace: what must survive splitting and packing."""
    return "".join(text.split())


def assert_telegram_accepts(message: str) -> str:
    """Check that a message fits and parses as Telegram HTML; return the text Telegram shows."""
    assert utf16_len(message) <= MAX_MESSAGE
    parsed = parse_html(message)  # raises on unbalanced tags or bad entities
    assert utf16_len(parsed.text) <= MAX_MESSAGE
    return parsed.text
