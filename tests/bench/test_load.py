"""The real bot under load: 50 users asking 20 questions each, concurrently, through the emulator.

Run with ``pytest -m bench tests/bench/test_load.py -s`` (``KHABRI_LOAD_PASSAGES`` sets the store
size, 100,000 by default; the store is built once under the system temp directory and reused, or
``KHABRI_LOAD_DB`` names an existing one, such as a store ``khabri bench --workdir`` left behind).
Latency is from the moment an update is queued in the emulator to the moment the reply reaches it.
The flood limiter's deliberate waits (30 messages a second overall) are switched off for the run,
so the figures are the bot's own; everything else is the application ``khabri run`` builds.
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
import time
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from bot.tg.app import build_application, running
from bot.tg.context import KhabriApplication
from khabri_tools import bench, bench_corpus
from tests.auxil.botapi import TEST_TOKEN, BotApiEmulator
from tests.e2e.bot_fixtures import bot_settings, plain_http

pytestmark = [
    pytest.mark.bench,
    pytest.mark.skipif(
        not (bench_corpus.DATA / "hindi_wiki_lines.jsonl").exists(), reason="no benchmark data"
    ),
]

USERS = 50
QUESTIONS = 20
PASSAGES = int(os.environ.get("KHABRI_LOAD_PASSAGES", "100000"))
STORE = Path(
    os.environ.get("KHABRI_LOAD_DB") or Path(tempfile.gettempdir()) / "khabri-load" / f"store-{PASSAGES}.db"
)
LONG = (
    "भारत की राजधानी दिल्ली में सरकार ने कहा कि देश के लोग और राज्य के नेता इस साल के चुनाव में"
    " पहले से अधिक संख्या में भाग लेंगे और शहर के विकास के लिए नई योजना बनाई गई है जो सभी के लिए है"
)


@pytest.fixture(scope="module")
def store() -> Path:
    if not STORE.exists():
        STORE.parent.mkdir(parents=True, exist_ok=True)
        partial = STORE.with_suffix(".partial")

        async def build() -> None:
            _, _, archive = await bench.build_store(
                partial, bench_corpus.read_lines(bench_corpus.DATA), PASSAGES, 0
            )
            await archive.close()

        asyncio.run(build())
        partial.rename(STORE)
    return STORE


@pytest.fixture
async def khabri(store: Path) -> AsyncIterator[tuple[BotApiEmulator, KhabriApplication]]:
    async with BotApiEmulator(token=TEST_TOKEN) as botapi:
        application = build_application(
            bot_settings(botapi, TEST_TOKEN, store),
            request=plain_http(),
            get_updates_request=plain_http(),
            questions_per_minute=10 * QUESTIONS,
        )
        # Exclude the flood limiter's deliberate waits; its retry logic stays in place.
        limiter = application.bot.rate_limiter
        assert limiter is not None
        limiter._base_limiter = None  # type: ignore[attr-defined]
        limiter._group_max_rate = 0  # type: ignore[attr-defined]
        async with running(application, poll_timeout=1.0):
            yield botapi, application


def questions() -> list[str]:
    deva, roman = bench_corpus.read_questions(bench_corpus.DATA, USERS * QUESTIONS // 2)
    return [q for pair in zip(deva, roman, strict=False) for q in pair]


async def ask(botapi: BotApiEmulator, user: int, question: str, seen: int) -> float:
    """Send one question and wait for its answer; return seconds from update to reply."""
    start = time.time()
    botapi.send_text(user, question)
    await botapi.wait_for_replies(user, seen + 1, timeout=120)
    return botapi.calls("sendMessage", user)[seen].timestamp - start


async def user_session(botapi: BotApiEmulator, user: int, asked: list[str]) -> list[float]:
    latencies = []
    for i, question in enumerate(asked):
        latencies.append(await ask(botapi, user, question, i))
    return latencies


async def test_fifty_users_twenty_questions_each(khabri: tuple[BotApiEmulator, KhabriApplication]) -> None:
    botapi, _ = khabri
    pool = questions()
    users = range(10_001, 10_001 + USERS)
    start = time.perf_counter()
    results = await asyncio.gather(
        *(
            user_session(botapi, user, [pool[(n * QUESTIONS + i) % len(pool)] for i in range(QUESTIONS)])
            for n, user in enumerate(users)
        )
    )
    wall = time.perf_counter() - start
    for user in users:
        assert len(botapi.replies_to(user)) == QUESTIONS, f"user {user} missed answers"
    ms = np.concatenate(results) * 1000
    figures = {
        "passages": PASSAGES,
        "users": USERS,
        "questions_each": QUESTIONS,
        "p50_ms": round(float(np.percentile(ms, 50)), 1),
        "p95_ms": round(float(np.percentile(ms, 95)), 1),
        "max_ms": round(float(ms.max()), 1),
        "answers_per_s": round(USERS * QUESTIONS / wall, 1),
        "all_answered": True,
    }
    print("\nload:", json.dumps(figures))


async def test_a_long_query_delays_a_short_one_by_at_most_its_own_cost(
    khabri: tuple[BotApiEmulator, KhabriApplication],
) -> None:
    botapi, _ = khabri
    short, slow, other = 20_001, 20_002, 20_003
    for i in range(3):  # warm up both paths
        await ask(botapi, short, "दिल्ली", 2 * i)
        await ask(botapi, slow, LONG, 2 * i)
        await ask(botapi, short, "अखिलेश", 2 * i + 1)
        await ask(botapi, slow, LONG, 2 * i + 1)
    alone_short = [await ask(botapi, short, "कोलकाता", 6 + i) for i in range(5)]
    alone_long = [await ask(botapi, slow, LONG, 6 + i) for i in range(5)]
    together = []
    for i in range(5):
        long_task = asyncio.create_task(ask(botapi, slow, LONG, 11 + i))
        await asyncio.sleep(0)  # the long query's update is queued first
        together.append(await ask(botapi, other, "कोलकाता", i))
        await long_task
    short_ms = float(np.median(alone_short)) * 1000
    long_ms = float(np.median(alone_long)) * 1000
    both_ms = float(np.median(together)) * 1000
    print(
        "\nstall:",
        json.dumps(
            {
                "short_alone_ms": round(short_ms, 1),
                "long_alone_ms": round(long_ms, 1),
                "short_behind_long_ms": round(both_ms, 1),
                "delay_ms": round(both_ms - short_ms, 1),
            }
        ),
    )
    assert both_ms - short_ms <= long_ms + 20  # 20 ms of scheduling slack
