"""Plain-text rendering of answers for the terminal (``khabri ask`` and ``khabri chat``)."""

from __future__ import annotations

from bot.archive import Asked
from bot.formatting import meeting_title
from bot.present import format_date, mark_spans

BOLD, RESET = "\033[1m", "\033[0m"
NOTHING_FOUND = (
    "कुछ नहीं मिला — इस सवाल का जवाब रिपोर्टों में नहीं है।\n"
    "Nothing found. Try another spelling, fewer words, or `khabri reports` for what is here."
)


def render_meetings(asked: Asked, *, color: bool = False) -> str:
    """Who met whom, one meeting a block: the pair with place and day, the sentence, the source."""
    blocks = []
    for row in asked.meetings:
        report = asked.reports.get(row.report_id)
        title = meeting_title(row.meeting)
        lines = [f"{BOLD}{title}{RESET}" if color else title, f"   “{row.meeting.sentence}”"]
        if report is not None:
            lines.append(f"   {report.url or f'khabri show {report.id}'}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def render_partial(asked: Asked) -> str:
    """What was not found, and the near reports offered as related (not as the answer); "" if none."""
    titles = [asked.reports[p.report_id] for p in asked.answer.related if p.report_id in asked.reports]
    if not asked.missing:
        return ""
    missing = ", ".join(f"“{word}”" for word in asked.missing)
    if not titles:
        return f"{missing} के बारे में रिपोर्टों में कुछ नहीं मिला।"
    lines = [f"{missing} के बारे में कुछ नहीं मिला — पास की ये रिपोर्टें हैं:"]
    lines += [f"   • {r.title} ({r.url or f'khabri show {r.id}'})" for r in titles]
    return "\n".join(lines)


def render_answer(asked: Asked, *, color: bool = False) -> str:
    """The answer as a person reads it.

    Who met whom comes first when the question asks it; then, per report, its title, date and
    source, and the quotes.
    """
    meetings = render_meetings(asked, color=color) if asked.meetings else ""
    if not asked.answer.answered:
        return meetings or render_partial(asked) or NOTHING_FOUND
    blocks = [f"कौन किससे मिला (who met whom):\n\n{meetings}"] if meetings else []
    for number, part in enumerate(asked.answer.reports, start=1):
        report = asked.reports.get(part.report_id)
        if report is None:
            continue
        head = " — ".join(x for x in (report.title, format_date(report.published), report.source) if x)
        title = f"{BOLD}{head}{RESET}" if color else head
        lines = [f"{number}. {title}"]
        for quote in part.quotes:
            text = mark_spans(
                quote.text,
                quote.highlights,
                plain=lambda s: s,
                marked=(lambda s: f"{BOLD}{s}{RESET}") if color else (lambda s: s),
            )
            lines.append(f"   “{text}”")
        lines.append(f"   {report.url or f'khabri show {report.id}'}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
