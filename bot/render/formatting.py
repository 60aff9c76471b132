"""Pure rendering for Telegram: answers, reports and meetings as HTML messages of at most 4096 characters.

What a reply says and in which order: headings, quotes with the matched words in bold, sources,
meeting lists, a whole report in parts. The HTML itself (escaping, links, fitting blocks into
messages) is `bot.render.markup`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot.render.markup import (
    MAX_MESSAGE,
    escape,
    highlighted,
    link,
    pack,
    split_text,
    utf16_len,
    web_url,
)
from bot.render.present import MeetingLine, cut, format_date, merge_meetings, plan_quotes, said_in
from retrieval import Quote, ReportAnswer
from storage import MeetingRow, NewMeeting, Report, ReportSummary

# Characters of a report title in an answer's heading, and of a source label beside a meeting.
TITLE_CHARS = 100
SOURCE_CHARS = 40
# What a report without a published date shows where the date would be: never its arrival time.
NO_DATE = {"hi": "तारीख़ नहीं", "en": "no date"}


def report_link(report: Report, bot_username: str | None) -> str:
    """The report's own url when it is a web link, or a deep link that opens it in the bot."""
    if url := web_url(report.url):
        return url
    if bot_username:
        return f"https://t.me/{bot_username}?start=r_{report.id}"
    return ""


def report_heading(
    report: Report, *, number: int | None = None, title_limit: int | None = None, lang: str = "hi"
) -> str:
    """Bold title (numbered when ``number`` is given, cut to ``title_limit``), then date and source.

    The date is the report's published date; a report without one shows none (never its arrival).
    """
    extra = " · ".join(x for x in (format_date(report.published, lang), report.source or "") if x)
    prefix = f"{number}. " if number is not None else ""
    title = cut(report.title, title_limit) if title_limit else report.title
    return f"<b>{prefix}{escape(title)}</b>" + (f"\n{escape(extra)}" if extra else "")


def answer_block(
    part: ReportAnswer,
    report: Report,
    *,
    bot_username: str | None,
    source_label: str = "स्रोत",
    number: int | None = None,
    quotes: Sequence[Quote] | None = None,
    lang: str = "hi",
) -> str:
    """One report's part of an answer: heading, quotes in a blockquote, source link.

    ``quotes`` are the ones to show (by default the part's own).
    """
    shown = part.quotes if quotes is None else quotes
    body = "\n".join(highlighted(q.text, q.highlights) for q in shown)
    url = report_link(report, bot_username)
    lines = [report_heading(report, number=number, title_limit=TITLE_CHARS, lang=lang)]
    if body:
        lines.append(f"<blockquote>{body}</blockquote>")
    if url:
        lines.append(link(url, source_label))
    return "\n".join(lines)


def answer_messages(
    parts: Sequence[ReportAnswer],
    reports: Mapping[int, Report],
    *,
    bot_username: str | None,
    source_label: str = "स्रोत",
    first_number: int = 1,
    lang: str = "hi",
) -> list[str]:
    """An answer's reports, numbered from ``first_number``, packed into as few messages as fit."""
    return answer_reply(
        parts,
        reports,
        (),
        heading="",
        bot_username=bot_username,
        source_label=source_label,
        first_number=first_number,
        lang=lang,
    )


def answer_reply(
    parts: Sequence[ReportAnswer],
    reports: Mapping[int, Report],
    meetings: Sequence[MeetingRow],
    *,
    heading: str,
    bot_username: str | None,
    source_label: str = "स्रोत",
    first_number: int = 1,
    lang: str = "hi",
) -> list[str]:
    """A whole answer: who met whom (one line a meeting), then the numbered reports with their quotes.

    Each sentence appears once: quotes repeating a title or another quote are left out, and a
    meeting's sentence is quoted under it only when no report below quotes it.
    """
    shown = [part for part in parts if part.report_id in reports]
    planned = plan_quotes(shown, {rid: r.title for rid, r in reports.items()})
    quoted = [q.text for p in planned for q in p.quotes]
    numbers = {p.part.report_id: n for n, p in enumerate(planned, start=first_number)}
    blocks = []
    if meetings:
        lines = merge_meetings(meetings)
        blocks.append(
            meeting_list(
                lines,
                reports,
                heading=heading,
                bot_username=bot_username,
                source_label=source_label,
                numbers=numbers,
                quoted=quoted,
            )
        )
    blocks += [
        answer_block(
            p.part,
            reports[p.part.report_id],
            bot_username=bot_username,
            source_label=source_label,
            number=n,
            quotes=p.quotes,
            lang=lang,
        )
        for n, p in enumerate(planned, start=first_number)
    ]
    return pack(blocks)


def meeting_title(meeting: NewMeeting) -> str:
    """The meeting's headline as plain text: "A ↔ B — place, day"."""
    where = ", ".join(x for x in (meeting.place, meeting.when) if x)
    pair = f"{meeting.a.name} ↔ {meeting.b.name}"
    return f"{pair} — {where}" if where else pair


def meeting_line(
    line: MeetingLine,
    reports: Mapping[int, Report],
    *,
    bot_username: str | None,
    source_label: str,
    numbers: Mapping[int, int] | None = None,
    quoted: Sequence[str] = (),
) -> str:
    """One meeting: the pair in bold, place and day, every source on the same line, then its sentence.

    A source that is a numbered report of the same reply is named by its number; any other by its
    title, cut at a word boundary. The sentence is left out when ``quoted`` already holds it.
    """
    numbers = numbers or {}
    where = ", ".join(x for x in (line.place, line.when) if x)
    head = f"• <b>{escape(line.a)} ↔ {escape(line.b)}</b>" + (f" — {escape(where)}" if where else "")
    sources = []
    for report_id in line.sources(numbers):
        report = reports.get(report_id)
        if report is None:
            continue
        label = str(numbers[report_id]) if report_id in numbers else cut(report.title, SOURCE_CHARS)
        url = report_link(report, bot_username)
        sources.append(link(url, label) if url else escape(label))
    if sources:
        head += f" · {escape(source_label)}: " + ", ".join(sources)
    if any(said_in(line.sentence, q) for q in quoted):
        return head
    return f"{head}\n<blockquote>{escape(line.sentence)}</blockquote>"


def meeting_list(
    lines: Sequence[MeetingLine],
    reports: Mapping[int, Report],
    *,
    heading: str,
    bot_username: str | None,
    source_label: str,
    numbers: Mapping[int, int] | None = None,
    quoted: Sequence[str] = (),
) -> str:
    """The heading and one entry per meeting."""
    entries = [
        meeting_line(
            line,
            reports,
            bot_username=bot_username,
            source_label=source_label,
            numbers=numbers,
            quoted=quoted,
        )
        for line in lines
        if any(r in reports for r in line.report_ids)
    ]
    return "\n".join([heading, *entries]) if heading else "\n".join(entries)


def meetings_messages(
    rows: Sequence[MeetingRow],
    reports: Mapping[int, Report],
    *,
    heading: str,
    bot_username: str | None,
    source_label: str = "स्रोत",
) -> list[str]:
    """Meetings, newest first, one entry each with all its sources, packed into as few messages as fit."""
    lines = [line for line in merge_meetings(rows) if any(r in reports for r in line.report_ids)]
    if not lines:
        return []
    entries = [
        meeting_line(line, reports, bot_username=bot_username, source_label=source_label) for line in lines
    ]
    return pack([heading, *entries], separator="\n")


def summary_line(summary: ReportSummary, number: int, lang: str = "hi") -> str:
    """One line of the report list: number, title (cut), published date or "no date"."""
    when = format_date(summary.published, lang) or NO_DATE[lang if lang in NO_DATE else "hi"]
    return f"{number}. <b>{escape(cut(summary.title, TITLE_CHARS))}</b> — {escape(when)}"


def report_messages(
    report: Report, lang: str = "hi", *, max_messages: int | None = None, rest: str = ""
) -> list[str]:
    """A whole report as messages: heading first, the body split at sentence boundaries.

    A body that opens with its own title (a plain-text report whose headline is its first sentence)
    does not repeat it under the heading.

    Args:
        report: the report.
        lang: the interface language of the heading.
        max_messages: send at most this many; the last then ends with ``rest`` (and the report's
            link, when it has a web url) instead of the remainder.
        rest: the line that says the report goes on, e.g. "the rest is at the source".
    """
    heading = report_heading(report, lang=lang)
    url = web_url(report.url)
    if url:
        heading += "\n" + link(url, url)
    body = body_without_title(report.title, report.body)
    paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
    pieces = [escape(piece) for p in paragraphs for piece in split_text(p, limit=MAX_MESSAGE - 64)]
    blocks = [heading, *pieces]
    messages = pack(blocks)
    if max_messages is None or len(messages) <= max_messages:
        return messages
    if max_messages < 2:
        raise ValueError("max_messages must be at least 2: the heading, then the text and its tail")
    tail = f"… {link(url, rest)}" if url and utf16_len(url) < 1000 else f"… {escape(rest)}"
    # The most blocks that fill max_messages - 1 messages (the count only grows with the blocks).
    lo, hi = 1, len(blocks)
    while lo < hi:
        middle = (lo + hi + 1) // 2
        if len(pack(blocks[:middle])) <= max_messages - 1:
            lo = middle
        else:
            hi = middle - 1
    last = pack(blocks[lo:], limit=MAX_MESSAGE - utf16_len(tail) - 2)[0]
    return [*pack(blocks[:lo]), f"{last}\n\n{tail}"]


def body_without_title(title: str, body: str) -> str:
    """``body`` without a leading copy of ``title``."""
    stripped = body.lstrip()
    if title and stripped.startswith(title.strip()):
        return stripped[len(title.strip()) :].lstrip()
    return body
