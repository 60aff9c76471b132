"""The order of the reports that answer: more of the question first, then BM25, then corrections.

The two corrections are for the reader, who takes the first sentences of a reply as its answer.

Pure functions over `ReportAnswer`s, apart from the selection that makes them (`retrieval.select`),
so that the order can be read and tuned in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from retrieval.types import ReportAnswer

# Reports whose coverage agrees to this step are ordered by BM25. (An order by whether their lead holds
# the kind of answer asked for, at this step, was never in effect until session 4; put in effect it
# cost XQuAD-hi answer@1 0.660 -> 0.657 with no news dev row gained, so it is gone.)
COVERAGE_STEP = 0.01
# A report carrying this share of the first one's coverage leads when its best sentence is stronger.
# Measured: news dev hit@1 0.56 -> 0.58, XQuAD-hi answer@1 0.660 -> 0.667 (0.8 and 0.7 gave
# 0.665 / 0.667 on XQuAD but lost news rows at hit@3).
LEAD_COVERAGE_SHARE = 0.9


def stronger_lead_first(answers: list[ReportAnswer]) -> list[ReportAnswer]:
    """The reports, the second first when it is nearly as complete and its best sentence is stronger.

    Coverage counts up to three sentences; a reader takes the first as the answer, so between two
    reports that carry about as much of the question, the one with the single best sentence leads.
    """
    if len(answers) > 1:
        first, second = answers[0], answers[1]
        near = second.coverage >= first.coverage * LEAD_COVERAGE_SHARE
        kinded = second.holds_kind or not first.holds_kind
        if near and kinded and second.quotes[0].support > first.quotes[0].support:
            return [second, first, *answers[2:]]
    return answers


def yield_to_next(answers: Sequence[ReportAnswer]) -> list[ReportAnswer]:
    """Each report without the further quotes that answer less strongly than the next report's lead.

    A reader takes the first few sentences of a reply as its answer; a report's weaker sentences must
    not stand before another report's best one when that is stronger than this report's own best.
    Measured: news dev hit@3 0.78 -> 0.84, XQuAD-hi answer@3 0.832 -> 0.845 (bars at 0.6-0.8 or 1.2
    of this report's best gave less on both).
    """
    shown = []
    for i, answer in enumerate(answers):
        following = answers[i + 1].quotes[0].support if i + 1 < len(answers) else 0.0
        if len(answer.quotes) > 1 and following > answer.quotes[0].support:
            kept = (answer.quotes[0], *(q for q in answer.quotes[1:] if q.support >= following))
            answer = replace(answer, quotes=kept)
        shown.append(answer)
    return shown


def report_order(answer: ReportAnswer) -> tuple[float, float]:
    """The order of reports: more of the question first, then BM25."""
    return (-round(answer.coverage / COVERAGE_STEP) * COVERAGE_STEP, -answer.score)
