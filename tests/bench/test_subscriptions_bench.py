"""Subscription benchmarks: one new report against 10,000 topic subscriptions, and the sending rate.

Run with ``pytest -m bench tests/bench/test_subscriptions_bench.py -s``; the figures are printed.
"""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path

import pytest

from bot.archive.core import Archive, seeds_dir
from bot.archive.report_files import ReportRecord
from bot.notify.delivery import Notifier
from bot.notify.matcher import Matcher
from tests.auxil.botapi import BotApiEmulator
from tests.e2e.subscription_fixtures import REPORTS, report, subscribe_many

pytestmark = pytest.mark.bench

SUBSCRIPTIONS = 10_000
ROMAN = [
    "akhilesh",
    "mamta",
    "banerjee",
    "nitish",
    "kumar",
    "modi",
    "rahul",
    "gandhi",
    "chunav",
    "cricket",
    "kolkata",
    "patna",
    "lucknow",
    "bjp",
    "sapa",
    "yogi",
    "mayawati",
    "shivpal",
    "yadav",
    "sahkarita",
]


def vocabulary() -> list[str]:
    words = {w.strip("।,.?!()\"'") for t, b in REPORTS.values() for w in f"{t} {b}".split()}
    for path in sorted(seeds_dir().glob("*.txt")):
        words |= {w.strip("।,.?!()\"'") for w in path.read_text(encoding="utf-8").split()}
    return sorted(w for w in words if len(w) > 2) + ROMAN


async def subscribe_topics(archive: Archive, n: int, rng: random.Random) -> int:
    words = vocabulary()
    store = archive.store
    async with store.transaction():
        since = await store.reports.last_change()
        topics = set()
        for chat in range(n):
            topic = " ".join(rng.sample(words, rng.choice((1, 2, 2, 3))))
            if rng.random() < 0.1:
                topic += " -" + rng.choice(words)
            topics.add(topic)
            await store.subscriptions.add(1_000_000 + chat, topic, "hi", since)
    return len(topics)


async def test_outbox_for_one_report_against_10000_topics(tmp_path: Path) -> None:
    rng = random.Random(7)
    archive = await Archive.open(tmp_path / "k.db")
    try:
        distinct = await subscribe_topics(archive, SUBSCRIPTIONS, rng)
        matcher = Matcher(archive, bot_username="khabri_bot")
        await matcher.run()  # nothing new yet: the cursor moves past the seeds
        timings = []
        owed = []
        for n, key in enumerate(["mamata", "nitish", "election", "cricket", "cricket_election"] * 2):
            title, body = REPORTS[key]
            await archive.ingest_records([ReportRecord(f"bench:{n}", f"{title} ({n})", f"{body} ({n})")])
            started = time.perf_counter()
            run = await matcher.run()
            timings.append(time.perf_counter() - started)
            owed.append(run.deliveries)
        # Exactly once: the outbox holds one row per delivery counted, and nothing is owed again.
        assert sum((await archive.store.outbox.counts()).values()) == sum(owed)
        assert (await matcher.run()).deliveries == 0
        warm = timings[1:]
        print(
            f"\none report vs {SUBSCRIPTIONS} subscriptions ({distinct} distinct topics),"
            f" cpus={os.cpu_count()}:"
            f"\n  first run (topic analysis cache cold): {timings[0] * 1000:.0f} ms, {owed[0]} deliveries"
            f"\n  warm: p50 {statistics.median(warm) * 1000:.1f} ms, max {max(warm) * 1000:.1f} ms;"
            f" deliveries per report {min(owed[1:])}-{max(owed[1:])}"
        )
    finally:
        await archive.close()


async def test_sending_rate_against_the_emulator(tmp_path: Path) -> None:
    archive = await Archive.open(tmp_path / "k.db")
    chats = range(50_000, 50_500)
    try:
        await subscribe_many(archive, chats)
        await archive.ingest_records([report("cricket")])
        async with BotApiEmulator() as api:
            notifier = Notifier(api.token, base_url=api.base_url)
            started = time.perf_counter()
            await notifier.start(archive, "khabri_test_bot")
            await api.wait_for_calls("sendMessage", len(chats), ok=True, timeout=60)
            elapsed = time.perf_counter() - started
            await notifier.stop()
            times = api.send_times()
            print(
                f"\nsent {len(chats)} notifications in {elapsed:.1f} s"
                f" ({(len(times) - 1) / (times[-1] - times[0]):.1f}/s steady);"
                f" busiest second {api.max_rate(1.0):.0f}/s;"
                f" busiest chat {max(api.max_rate(1.0, c) for c in chats):.0f}/s"
            )
            assert api.max_rate(1.0) <= 30
    finally:
        await archive.close()
