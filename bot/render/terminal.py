"""Plain-text rendering of answers for the terminal (``khabri ask`` and ``khabri chat``).

The shape is the Telegram reply's (``bot.render.present``): one line a meeting with all its sources, then
the numbered reports, each sentence once.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.archive.core import Asked
from bot.render.formatting import NO_DATE, SOURCE_CHARS, TITLE_CHARS
from bot.render.present import cut, format_date, mark_spans, merge_meetings, plan_quotes, said_in
from storage import Report

BOLD, RESET = "\033[1m", "\033[0m"
NOTHING_FOUND = (
    "कुछ नहीं मिला — इस सवाल का जवाब रिपोर्टों में नहीं है।\n"
    "Nothing found. Try another spelling, fewer words, or `khabri reports` for what is here."
)
SHOW_COMMAND = "khabri show {id}"


def _where(report: Report, show: str) -> str:
    return report.url or show.format(id=report.id)


def render_answer(
    asked: Asked, *, color: bool = False, show: str = SHOW_COMMAND, nothing: str = NOTHING_FOUND
) -> str:
    """The answer as a person reads it: who met whom first, then per report its heading and quotes.

    ``show`` is how the reader opens a report (``khabri show 2``; in the chat, ``/report 2``).
    """
    bold: Callable[[str], str] = (lambda s: f"{BOLD}{s}{RESET}") if color else (lambda s: s)
    parts = [p for p in asked.answer.reports if p.report_id in asked.reports] if asked.answer.answered else []
    planned = plan_quotes(parts, {rid: r.title for rid, r in asked.reports.items()})
    quoted = [q.text for p in planned for q in p.quotes]
    numbers = {p.part.report_id: n for n, p in enumerate(planned, start=1)}
    blocks = []
    if asked.meetings:
        lines = ["कौन किससे मिला (who met whom):"]
        for line in merge_meetings(asked.meetings):
            sources = [
                str(numbers[r]) if r in numbers else _where(asked.reports[r], show)
                for r in line.sources(numbers)
                if r in asked.reports
            ]
            entry = f"• {bold(line.title)}" + (f" · स्रोत: {', '.join(sources)}" if sources else "")
            if not any(said_in(line.sentence, q) for q in quoted):
                entry += f"\n   “{line.sentence}”"
            lines.append(entry)
        blocks.append("\n".join(lines))
    for number, plan in enumerate(planned, start=1):
        report = asked.reports[plan.part.report_id]
        when = format_date(report.published) or NO_DATE["hi"]
        head = " — ".join(x for x in (cut(report.title, TITLE_CHARS), when, report.source) if x)
        lines = [f"{number}. {bold(head)}"]
        for quote in plan.quotes:
            text = mark_spans(quote.text, quote.highlights, plain=lambda s: s, marked=bold)
            lines.append(f"   “{text}”")
        lines.append(f"   {_where(report, show)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) if blocks else (render_partial(asked, bold=bold, show=show) or nothing)


def render_partial(asked: Asked, *, bold: Callable[[str], str], show: str = SHOW_COMMAND) -> str:
    """What was not found, then the near reports offered as related (never as the answer); "" if none.

    "“टिकट” के बारे में कुछ नहीं मिला — पास की ये रिपोर्टें हैं:" (and the same in English, as the terminal
    says everything) and, per report, its title and its best quote.
    """
    if asked.answer.answered or not asked.missing:
        return ""
    missing = ", ".join(f"“{word}”" for word in asked.missing)
    related = [p for p in asked.answer.related if p.report_id in asked.reports]
    if not related:
        return (
            f"{missing} के बारे में रिपोर्टों में कुछ नहीं मिला।\n"
            f"Nothing about {missing}. Try another spelling, fewer words, or `khabri reports` for what is "
            "here."
        )
    lines = [
        f"{missing} के बारे में कुछ नहीं मिला — पास की ये रिपोर्टें हैं:\n"
        f"Nothing about {missing}; these reports are near, but do not answer it:"
    ]
    for part in related:
        report = asked.reports[part.report_id]
        lines.append(f"• {bold(cut(report.title, TITLE_CHARS))} ({_where(report, show)})")
        # The best quote that is not the title just shown (a report without a headline is named by
        # its first sentence, which may be its best quote too).
        quote = next((q for q in part.quotes if not said_in(q.text, report.title)), None)
        if quote is not None:
            lines.append(f"   “{mark_spans(quote.text, quote.highlights, plain=lambda s: s, marked=bold)}”")
    return "\n".join(lines)


__all__ = ["BOLD", "NOTHING_FOUND", "RESET", "SOURCE_CHARS", "render_answer", "render_partial"]
