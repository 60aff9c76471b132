"""The evaluation suites: questions (on a store or on report files), XQuAD, romanized queries, meetings.

Each builds what it measures on (a fresh store, where it needs one) and returns its metrics as a
dict; `khabri_tools.evaluate.command` prints them.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path
from typing import Any

from bot.archive.core import Archive, Asked
from bot.archive.report_files import ReportRecord

_BATCH = 500


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """The JSON objects of a JSON Lines file, skipping blank lines."""
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def quoted_sentences(asked: Asked) -> list[str]:
    """Every quoted sentence, in the order a person reads the answer: meetings first.

    When nothing answers, the related reports the reply offers (after saying what was not found)
    are quoted too, and count as read; ``answered`` still tells an answer from an offer.
    """
    meetings = [row.meeting.sentence for row in asked.meetings]
    parts = (*asked.answer.reports, *asked.answer.related)
    return meetings + [q.text for part in parts for q in part.quotes]


def _contains_any(sentences: Sequence[str], answers: Sequence[str]) -> bool:
    return any(a in s for s in sentences for a in answers)


def _mean(values: Sequence[float]) -> float:
    return round(sum(values) / len(values), 4) if values else 0.0


async def eval_questions(archive: Archive, rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """hit@1, hit@3 over answerable rows, no_answer_accuracy over ``kind: none`` rows, and by script."""
    per_row = []
    for row in rows:
        asked = await archive.ask(row["query"])
        sentences = quoted_sentences(asked)
        per_row.append(
            {
                "id": row.get("id"),
                "script": row.get("script", "?"),
                "none": row.get("kind") == "none",
                "answered": asked.answer.answered,
                "hit1": _contains_any(sentences[:1], row.get("answer_any", [])),
                "hit3": _contains_any(sentences[:3], row.get("answer_any", [])),
            }
        )

    def metrics(items: Sequence[dict[str, Any]]) -> dict[str, float]:
        answerable = [i for i in items if not i["none"]]
        nones = [i for i in items if i["none"]]
        out = {
            "hit@1": _mean([float(i["hit1"]) for i in answerable]),
            "hit@3": _mean([float(i["hit3"]) for i in answerable]),
        }
        if nones:
            out["no_answer_accuracy"] = _mean([float(not i["answered"]) for i in nones])
        return out

    result: dict[str, Any] = metrics(per_row)
    scripts = sorted({i["script"] for i in per_row})
    result["by_script"] = {s: metrics([i for i in per_row if i["script"] == s]) for s in scripts}
    result["misses"] = [i["id"] for i in per_row if (i["answered"] if i["none"] else not i["hit3"])]
    return result


def _require_new(db: Path | None) -> None:
    if db is not None and db.exists():
        raise ValueError(f"{db} exists; the evaluation builds a fresh store, so give a new path")


@contextlib.asynccontextmanager
async def _fresh_archive(db: Path | None, search: str | None = None) -> AsyncIterator[Archive]:
    """An empty archive: in a temporary folder, or at ``db`` (kept afterwards, so it can be explored).

    Raises:
        ValueError: ``db`` already exists (an evaluation never writes into a store it did not build).
    """
    _require_new(db)
    with tempfile.TemporaryDirectory() as tmp:
        archive = await Archive.open(db or Path(tmp) / "eval.db", seed=False, search=search)
        try:
            yield archive
        finally:
            await archive.close()


async def eval_questions_on(
    reports: Sequence[Path], rows: Sequence[dict[str, Any]], search: str | None = None
) -> dict[str, Any]:
    """`eval_questions` over a fresh temporary store holding just ``reports``.

    Raises:
        ValueError: a report file could not be read, so the figures would not be the ones asked for.
    """
    async with _fresh_archive(None, search) as archive:
        outcomes = await archive.ingest_paths(reports)
        if not any(o.status in ("added", "replaced") for o in outcomes):
            raise ValueError("no report could be read from " + ", ".join(map(str, reports)))
        return await eval_questions(archive, rows)


async def _ingest_all(archive: Archive, records: Sequence[ReportRecord]) -> None:
    for i in range(0, len(records), _BATCH):
        await archive.ingest_records(records[i : i + _BATCH])


def _line_record(origin: str, text: str) -> ReportRecord:
    return ReportRecord(origin=origin, title=text, body=text, where=origin)


def _distractors(path: Path | None, skip: set[str]) -> list[ReportRecord]:
    if path is None:
        return []
    return [
        _line_record(f"distractor:{row.get('line', i)}", row["text"].strip())
        for i, row in enumerate(read_jsonl(path))
        if row.get("text", "").strip() and row["text"].strip() not in skip
    ]


async def eval_xquad(
    passages: Path,
    questions: Path,
    distractors: Path | None,
    db: Path | None = None,
    search: str | None = None,
) -> dict[str, Any]:
    """answer@1, answer@3, passage@1 and mrr over XQuAD questions in a fresh store."""
    rows = list(read_jsonl(passages))
    records = [
        ReportRecord(
            origin=f"xquad:{row['passage_id']}",
            title=row.get("title") or row["context"][:60],
            body=row["context"],
            where=str(row["passage_id"]),
        )
        for row in rows
    ]
    async with _fresh_archive(db, search) as archive:
        await _ingest_all(archive, records + _distractors(distractors, set()))
        gold_report = {}
        for record in records:
            found = await archive.store.reports.find_origin(record.origin)
            if found is not None:
                gold_report[record.origin] = found
        a1, a3, p1, rr = [], [], [], []
        for q in read_jsonl(questions):
            asked = await archive.ask(q["question"], k=10)
            sentences = quoted_sentences(asked)
            answers = [a["text"] for a in q.get("answers", [])]
            a1.append(float(_contains_any(sentences[:1], answers)))
            a3.append(float(_contains_any(sentences[:3], answers)))
            ranked = await archive.rank_reports(q["question"], k=10)
            gold = gold_report.get(f"xquad:{q['passage_id']}")
            rank = ranked.index(gold) + 1 if gold in ranked else 0
            p1.append(float(rank == 1))
            rr.append(1.0 / rank if rank else 0.0)
    return {"answer@1": _mean(a1), "answer@3": _mean(a3), "passage@1": _mean(p1), "mrr": _mean(rr)}


async def eval_roman(
    pairs: Path, distractors: Path | None, words: int, db: Path | None = None, search: str | None = None
) -> dict[str, Any]:
    """hit@1/hit@10 of romanized queries (and native ones, for reference) against their sentence."""
    rows = [r for r in read_jsonl(pairs) if r.get("native", "").strip() and r.get("roman", "").strip()]
    natives = {r["native"].strip() for r in rows}
    records = [_line_record(f"pair:{i}", r["native"].strip()) for i, r in enumerate(rows)]

    def first(text: str) -> str:
        split = text.split()
        return " ".join(split[:words] if words > 0 else split)

    async with _fresh_archive(db, search) as archive:
        await _ingest_all(archive, records + _distractors(distractors, natives))
        by_text: dict[str, int] = {}
        for record in records:
            found = await archive.store.reports.find_origin(record.origin)
            if found is not None:
                by_text[record.body] = found
        scores: dict[str, list[float]] = {k: [] for k in ("hit@1", "hit@10", "native_hit@1", "native_hit@10")}
        for row in rows:
            target = by_text.get(row["native"].strip())
            for prefix, query in (("", row["roman"]), ("native_", row["native"])):
                ranked = await archive.rank_reports(first(query), k=10)
                scores[f"{prefix}hit@1"].append(float(ranked[:1] == [target]))
                scores[f"{prefix}hit@10"].append(float(target in ranked))
    return {name: _mean(values) for name, values in scores.items()}


def eval_meetings(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """precision, recall and f1 of who-met-whom extraction, with the misses."""
    from retrieval import evaluate_meetings

    scores = evaluate_meetings(rows)
    return {
        "precision": round(scores.precision, 4),
        "recall": round(scores.recall, 4),
        "f1": round(scores.f1, 4),
        "misses": [str(m) for m in scores.misses],
    }
