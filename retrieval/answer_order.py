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
# ...and a report whose best sentence is this much stronger leads from this share of it: a report
# whose coverage of 1.0 comes from three scattered sentences no longer stands before one whose single
# sentence answers, with the number asked for, at 0.77 of it. Measured: news dev hit@1 0.64 -> 0.68,
# XQuAD-hi answer@1 0.672 -> 0.675 (without distractors 0.686 -> 0.688, answer@3 0.845 -> 0.843, one
# question), seeds unchanged; 1.2-1.25 and 0.65-0.75 all gave the same, 1.3 lost a news row. As a
# product instead (coverage × lead ** 2) it gained as much on news but cost XQuAD-hi without
# distractors 0.005 at answer@1 and @3: two reports with leads within 15% are told by coverage.
MUCH_STRONGER_LEAD = 1.2
MUCH_STRONGER_COVERAGE_SHARE = 0.7


def stronger_lead_first(answers: list[ReportAnswer]) -> list[ReportAnswer]:
    """The reports, the second first when it is nearly as complete and its best sentence is stronger.

    Coverage counts up to three sentences; a reader takes the first as the answer, so between two
    reports that carry about as much of the question, the one with the single best sentence leads,
    and so does one whose best sentence is much stronger though it carries somewhat less.
    """
    if len(answers) > 1:
        first, second = answers[0], answers[1]
        kinded = second.holds_kind or not first.holds_kind
        lead, other = second.quotes[0].support, first.quotes[0].support
        near = second.coverage >= first.coverage * LEAD_COVERAGE_SHARE and lead > other
        fair = second.coverage >= first.coverage * MUCH_STRONGER_COVERAGE_SHARE
        if kinded and (near or (fair and lead >= MUCH_STRONGER_LEAD * other)):
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
