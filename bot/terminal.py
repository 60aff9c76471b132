"""Plain-text rendering of answers for the terminal (``khabri ask`` and ``khabri chat``)."""

from __future__ import annotations

from bot.archive import Asked
from bot.present import format_date, mark_spans

BOLD, RESET = "\033[1m", "\033[0m"
NOTHING_FOUND = (
    "कुछ नहीं मिला — इस सवाल का जवाब रिपोर्टों में नहीं है।\n"
    "Nothing found. Try another spelling, fewer words, or `khabri reports` for what is here."
)


def render_answer(asked: Asked, *, color: bool = False) -> str:
    """The answer as a person reads it: per report its title, date and source, then the quotes."""
    if not asked.answer.answered:
        return NOTHING_FOUND
    blocks = []
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
