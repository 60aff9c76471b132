"""Pure presentation shared by the Telegram and terminal replies: dates, highlights, and reply shape.

A reply says each sentence once: :func:`plan_quotes` drops quotes that repeat a title or an earlier
quote and keeps the quoted text within a budget, and :func:`merge_meetings` makes one line of each
meeting however many reports tell it. Labels are cut at a word boundary with "…" (:func:`cut`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from retrieval import Quote, ReportAnswer, Span, group_meetings, merge_spans
from storage import MeetingRow

_WHITESPACE = re.compile(r"\s+")

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

    Overlapping or out-of-range spans are merged or clipped, so any spans are safe. Runs of white
    space are shown as one space.
    """
    clipped = (Span(max(0, s.start), min(len(text), s.end)) for s in spans)
    merged = [(s.start, s.end) for s in merge_spans(c for c in clipped if c.start < c.end)]
    out, position = [], 0
    for start, end in merged:
        out.append(plain(_squeezed(text[position:start])))
        out.append(marked(_squeezed(text[start:end])))
        position = end
    out.append(plain(_squeezed(text[position:])))
    return "".join(out)


def _squeezed(text: str) -> str:
    """Runs of spaces, tabs and line breaks as one space: news copy has them, a reader needs none."""
    return _WHITESPACE.sub(" ", text)


def cut(text: str, limit: int) -> str:
    """``text`` if it has at most ``limit`` characters, else cut at a word boundary, ending in "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    head = text[: max(1, limit - 1)]
    space = head.rfind(" ")
    # A word longer than half the room is cut inside rather than leaving almost nothing.
    if space > limit // 2:
        head = head[:space]
    return head.rstrip(" ,;:—–-") + "…"


_EDGES = " .।|?!:;,'\"“”‘’…"


def _words(text: str) -> str:
    return " ".join(text.split()).strip(_EDGES).casefold()


def same_text(a: str, b: str) -> bool:
    """Whether two sentences say the same words (ignoring case, spacing and end punctuation)."""
    return _words(a) == _words(b)


def said_in(sentence: str, shown: str) -> bool:
    """Whether ``sentence`` adds nothing to ``shown``: the same words, or a part of them."""
    words = _words(sentence)
    return bool(words) and words in _words(shown)


@dataclass(frozen=True, slots=True)
class PlannedPart:
    """One report of an answer with the quotes the reply shows (each sentence once per reply)."""

    part: ReportAnswer
    quotes: tuple[Quote, ...]


def plan_quotes(
    parts: Sequence[ReportAnswer],
    titles: Mapping[int, str],
    *,
    budget: int = 650,
    longest: int = 260,
    already: Iterable[str] = (),
) -> list[PlannedPart]:
    """Choose which quotes a reply shows: no sentence twice, none a title says, within a budget.

    A quote is left out when its words are those of the report's title or of a quote already kept
    (or a part of them).
    The budget (characters of quoted text) is spent round by round, one quote per report a round, the
    quotes with the most matched words first; a report's first quote is always shown when it has one
    left. A quote longer than ``longest`` is cut at a word boundary. Quotes stay in reading order.
    """
    seen: list[str] = list(already)
    kept: list[list[tuple[int, Quote]]] = []
    for part in parts:
        title = titles.get(part.report_id, "")
        fresh: list[tuple[int, Quote]] = []
        for index, quote in enumerate(part.quotes):
            if said_in(quote.text, title) or any(said_in(quote.text, s) for s in seen):
                continue
            seen.append(quote.text)
            fresh.append((index, quote))
        # Best first: the most matched words, then reading order.
        fresh.sort(key=lambda item: (-len(item[1].highlights), item[0]))
        kept.append(fresh)
    chosen: list[list[tuple[int, Quote]]] = [[] for _ in parts]
    spent, round_ = 0, 0
    while any(round_ < len(k) for k in kept):
        for position, candidates in enumerate(kept):
            if round_ >= len(candidates):
                continue
            index, quote = candidates[round_]
            quote = _shortened(quote, longest)
            if round_ > 0 and spent + len(quote.text) > budget:
                continue
            chosen[position].append((index, quote))
            spent += len(quote.text)
        round_ += 1
    return [
        PlannedPart(part, tuple(q for _, q in sorted(picked, key=lambda item: item[0])))
        for part, picked in zip(parts, chosen, strict=True)
    ]


def _shortened(quote: Quote, longest: int) -> Quote:
    if len(quote.text) <= longest:
        return quote
    text = cut(quote.text, longest)
    return replace(quote, text=text, highlights=tuple(h for h in quote.highlights if h.end < len(text)))


@dataclass(frozen=True, slots=True)
class MeetingLine:
    """One meeting as a reply shows it: the pair, where and when, its sentence, and every source."""

    a: str
    b: str
    place: str | None
    when: str | None
    sentence: str
    report_ids: tuple[int, ...]

    def sources(self, numbers: Mapping[int, int]) -> list[int]:
        """Its reports in the order a reply names them.

        Those the reply numbers come first, in its order (1, 2); the others follow as the meeting
        lists them.
        """
        return sorted(self.report_ids, key=lambda r: numbers.get(r, len(numbers) + 1))

    @property
    def title(self) -> str:
        """The headline as plain text: "A ↔ B — place, day"."""
        where = ", ".join(x for x in (self.place, self.when) if x)
        pair = f"{self.a} ↔ {self.b}"
        return f"{pair} — {where}" if where else pair


def merge_meetings(rows: Sequence[MeetingRow]) -> list[MeetingLine]:
    """One line per meeting: rows naming the same two people (and no other place) are one meeting.

    Two reports of one meeting, or one report saying it twice, give one line with every source; the
    fullest day ("शुक्रवार (17 मार्च)" over "शुक्रवार") and the newest row's sentence are kept.
    """
    # The same two parties, in either order, however the reports spell them (retrieval decides).
    parties = [
        ((r.meeting.a.name, *r.meeting.a.aliases), (r.meeting.b.name, *r.meeting.b.aliases)) for r in rows
    ]
    pair_of = {i: n for n, group in enumerate(group_meetings(parties)) for i in group}
    lines: list[MeetingLine] = []
    pairs: list[int] = []
    for index, row in enumerate(rows):
        meeting = row.meeting
        for i, line in enumerate(lines):
            if pairs[i] == pair_of[index] and (
                not line.place or not meeting.place or line.place == meeting.place
            ):
                when = max((line.when or "", meeting.when or ""), key=len) or None
                ids = (
                    line.report_ids if row.report_id in line.report_ids else (*line.report_ids, row.report_id)
                )
                lines[i] = replace(line, place=line.place or meeting.place, when=when, report_ids=ids)
                break
        else:
            pairs.append(pair_of[index])
            lines.append(
                MeetingLine(
                    meeting.a.name,
                    meeting.b.name,
                    meeting.place,
                    meeting.when,
                    meeting.sentence,
                    (row.report_id,),
                )
            )
    return lines
