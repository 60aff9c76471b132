"""Pure presentation helpers shared by the Telegram and terminal renderings: dates and highlights."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from retrieval import Span

HINDI_MONTHS = (
    "जनवरी",
    "फ़रवरी",
    "मार्च",
    "अप्रैल",
    "मई",
    "जून",
    "जुलाई",
    "अगस्त",
    "सितंबर",
    "अक्टूबर",
    "नवंबर",
    "दिसंबर",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(iso: str | None, lang: str = "hi") -> str:
    """``2023-03-17`` as "17 मार्च 2023" (or "17 March 2023"); empty when unknown or malformed."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso[:10])
    except ValueError:
        return ""
    months = HINDI_MONTHS if lang == "hi" else ENGLISH_MONTHS
    return f"{day.day} {months[day.month - 1]} {day.year}"


def mark_spans(
    text: str, spans: Sequence[Span], *, plain: Callable[[str], str], marked: Callable[[str], str]
) -> str:
    """Render ``text`` with ``marked`` applied to each span and ``plain`` to the rest.

    Overlapping or out-of-range spans are merged or clipped, so any spans are safe.
    """
    merged: list[list[int]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start, end = max(0, span.start), min(len(text), span.end)
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, position = [], 0
    for start, end in merged:
        out.append(plain(text[position:start]))
        out.append(marked(text[start:end]))
        position = end
    out.append(plain(text[position:]))
    return "".join(out)
