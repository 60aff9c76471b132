r"""Cleaning of pasted text before analysis: markup, terminal escapes and control characters out.

People paste questions from web pages, chats and terminals: ``<b>ममता</b> <script>`` or
``shivpal\tyadav\x1b[31m kahan\x07 gaye``. Tags, HTML entities, ANSI escape sequences and control
characters are not words, and left in they glue to the words beside them ("yadav\x1b[31m") so that
nothing matches. :func:`clean_text` keeps the words and their order and drops the rest; ZWJ and ZWNJ,
which Devanagari spelling uses, stay for ``normalize`` to handle.
"""

from __future__ import annotations

import html
import re
import unicodedata

__all__ = ["clean_text"]

# Whole elements whose content is code, not text.
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
# A tag starts with a letter (or / or !) right after "<", so "<3" and "a < b" are left alone.
_TAG = re.compile(r"</?[A-Za-z][^<>]*>|<![A-Za-z][^<>]*>")
# ANSI escape sequences: CSI (ESC [ ... final byte), OSC (ESC ] ... BEL or ESC \), and two-byte ones.
_ANSI = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]"
)
# Markdown emphasis and code marks around words (**x**, __x__, `x`, ~~x~~).
_MARKDOWN = re.compile(r"(\*\*|__|~~|`+)")
# Invisible characters that only steer display: bidi controls, BOM, word joiner, soft hyphen.
_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x2060, 0xFEFF, *range(0x202A, 0x202F), *range(0x2066, 0x206A)], None
)


def clean_text(text: str) -> str:
    """``text`` without markup, escape sequences or control characters, its whitespace folded.

    Idempotent: cleaning clean text changes nothing.
    """
    # Entities first, until none is left ("&amp;lt;" is "<" pasted twice), with the invisible
    # characters that could hide a tag or an entity ("<\u200bb>").
    while (decoded := html.unescape(text).translate(_INVISIBLE)) != text:
        text = decoded
    # Each piece removed leaves a space, so that removing never joins two pieces into a new one.
    text = _ANSI.sub(" ", text)
    text = _CODE_ELEMENT.sub(" ", text)
    text = _COMMENT.sub(" ", text)
    text = _TAG.sub(" ", text)
    text = _MARKDOWN.sub(" ", text)
    # Control characters (tab, newline, bell ...) separate words or mean nothing: a space either way.
    text = "".join(" " if unicodedata.category(c) == "Cc" else c for c in text)
    return " ".join(text.split())
