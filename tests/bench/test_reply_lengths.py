"""How long the bot's answers are, as a user reads them, over the development questions.

Run with ``pytest -m bench tests/bench/test_reply_lengths.py -s``: the real application answers
every question of ``seed_questions.jsonl`` (over the seeds) and of ``news_questions_dev.jsonl`` (over
the seeds and the 345 news articles) through the emulator; it prints the characters Telegram shows
(median, 90th percentile, longest) and checks that no answer quotes a sentence twice.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from bot.archive.core import Archive
from bot.tg.app import build_application, running
from tests.auxil.botapi import TEST_TOKEN, BotApiEmulator
from tests.e2e.bot_fixtures import bot_settings, entity_texts, plain_http

SHARED = Path(__file__).resolve().parents[3] / "shared"
NEWS = SHARED / "data" / "news" / "bbc_hindi_articles.jsonl"
USUAL_ANSWER_LIMIT = 1500

pytestmark = [pytest.mark.bench, pytest.mark.skipif(not NEWS.exists(), reason="no shared data")]


@pytest.mark.parametrize(
    ("questions", "news"), [("seed_questions.jsonl", False), ("news_questions_dev.jsonl", True)]
)
async def test_answers_are_short_and_say_each_sentence_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, questions: str, news: bool
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")
    db = tmp_path / "k.db"
    if news:
        archive = await Archive.open(db)
        await archive.ingest_paths([NEWS])
        await archive.close()
    asked = [
        json.loads(line)["query"] for line in (SHARED / "eval" / questions).read_text("utf-8").splitlines()
    ]
    lengths = []
    async with BotApiEmulator(TEST_TOKEN) as api:
        application = build_application(
            bot_settings(api, TEST_TOKEN, db),
            request=plain_http(),
            get_updates_request=plain_http(),
            questions_per_minute=10_000,
        )
        async with running(application, poll_timeout=1.0):
            for n, question in enumerate(asked):
                user = 10_000 + n
                api.send_text(user, question)
                replies = await api.wait_for_replies(user, timeout=60)
                lengths.append(sum(len(r["text"]) for r in replies))
                lines = [
                    line.strip()
                    for r in replies
                    for q in entity_texts(r, "blockquote")
                    for line in q.split("\n")
                ]
                lines = [line for line in lines if line]
                assert len(lines) == len(set(lines)), question
    lengths.sort()
    print(
        f"\n{questions}: {len(lengths)} answers, characters shown p50 {statistics.median(lengths):.0f},"
        f" p90 {lengths[int(len(lengths) * 0.9)]}, longest {lengths[-1]}"
    )
    assert lengths[-1] < USUAL_ANSWER_LIMIT
