"""Telegram HTML: escaped text, bold marks and links, fitted into messages of at most 4096 characters.

Every piece of report or user text goes through ``html.escape``; the only markup is ours. Length is
checked on the HTML itself, which is never shorter than the text Telegram counts after parsing it,
and in UTF-16 code units as Telegram counts them. A block too long for one message is rebuilt
from its plain text and cut at sentence ends, so no cut ever breaks a tag.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

from bot.render.present import mark_spans
from retrieval import Span, split_sentences

__all__ = [
    "MAX_MESSAGE",
    "escape",
    "fit",
    "highlighted",
    "link",
    "pack",
    "split_text",
    "utf16_len",
    "web_url",
]

MAX_MESSAGE = 4096


def utf16_len(text: str) -> int:
    """Length as Telegram counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def escape(text: str) -> str:
    """Text made safe to put between HTML tags."""
    return html.escape(text, quote=False)


def highlighted(text: str, spans: Sequence[Span]) -> str:
    """Escaped ``text`` with the given spans in bold."""
    return mark_spans(text, spans, plain=escape, marked=lambda s: f"<b>{escape(s)}</b>")


def link(url: str, label: str) -> str:
    """An HTML link; the url is escaped for an attribute, the label for text."""
    return f'<a href="{html.escape(url, quote=True)}">{escape(label)}</a>'


def web_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link to a host, else None (never ``javascript:``, ``data:``, ``tg:``)."""
    if not url or any(c.isspace() or ord(c) < 0x20 for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


def fit(markup: str, *, limit: int = MAX_MESSAGE) -> str:
    """``markup`` if it fits one message, else the first message of it, rebuilt safely."""
    return pack([markup], limit=limit)[0] if markup else markup


def pack(blocks: Iterable[str], *, limit: int = MAX_MESSAGE, separator: str = "\n\n") -> list[str]:
    """Join blocks into as few messages as fit under ``limit``; a block too long alone is cut safely."""
    messages: list[str] = []
    current = ""
    for block in blocks:
        for piece in _fit(block, limit):
            joined = f"{current}{separator}{piece}" if current else piece
            if utf16_len(joined) <= limit:
                current = joined
            else:
                messages.append(current)
                current = piece
    if current:
        messages.append(current)
    return messages


def _fit(block: str, limit: int) -> list[str]:
    """A block as it is when it fits; otherwise its lines, hard-cut only when a line alone is too long.

    Cutting an HTML block could break its tags, so an oversized block is rebuilt from plain text.
    """
    if utf16_len(block) <= limit:
        return [block]
    plain = html.unescape(_strip_tags(block))
    return [escape(chunk) for chunk in split_text(plain, limit=limit - 64)]


def _strip_tags(markup: str) -> str:
    out, inside = [], False
    for char in markup:
        if char == "<":
            inside = True
        elif char == ">" and inside:
            inside = False
        elif not inside:
            out.append(char)
    return "".join(out)


def split_text(text: str, *, limit: int) -> list[str]:
    """Split plain text into pieces of at most ``limit`` characters *after escaping*, at sentence ends.

    A sentence longer than the limit is cut at a space, or hard when it has none.
    """
    pieces: list[str] = []
    piece_start: int | None = None
    piece_end = 0
    for span in split_sentences(text):
        if piece_start is not None and utf16_len(escape(text[piece_start : span.end])) <= limit:
            piece_end = span.end
            continue
        if piece_start is not None:
            pieces.append(text[piece_start:piece_end])
        sentence = text[span.start : span.end]
        while utf16_len(escape(sentence)) > limit:
            cut = _cut_point(sentence, limit)
            pieces.append(sentence[:cut])
            sentence = sentence[cut:].lstrip()
        piece_start, piece_end = span.end - len(sentence), span.end
    if piece_start is not None:
        pieces.append(text[piece_start:piece_end])
    return [p.strip() for p in pieces if p.strip()]


def _cut_point(sentence: str, limit: int) -> int:
    end = len(sentence)
    while end > 1 and utf16_len(escape(sentence[:end])) > limit:
        end = max(1, end * 9 // 10)
    space = sentence.rfind(" ", 0, end)
    return space if space > end // 2 else end
