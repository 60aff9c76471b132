"""Exactly once through kill -9: the bot process dies mid-broadcast, restarts, and every chat has one copy.

The emulator runs as its own process (it is the ground truth and survives); the bot is ``python -m bot
run`` against the same SQLite file, killed with SIGKILL at random moments while it sends.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from bot.archive.core import Archive
from tests.auxil.botapi import AsyncBotApiClient, BotApiProcess
from tests.e2e.subscription_fixtures import report, subscribe_many

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
CHATS = range(30_000, 30_200)
KILLS = 3


def start_bot(api: BotApiProcess, db: Path | str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": api.token,
        "TELEGRAM_API_BASE_URL": api.base_url,
        "KHABRI_DB": str(db),
        "PTB_TIMEDELTA": "true",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def copies(client: AsyncBotApiClient) -> Counter[int]:
    return Counter(int(c.chat_id) for c in await client.calls("sendMessage") if c.ok and c.chat_id in CHATS)


async def wait_for_sends(client: AsyncBotApiClient, more_than: int, seconds: float = 20.0) -> int:
    """Wait until more than ``more_than`` notifications were delivered; return how many."""
    deadline = time.monotonic() + seconds
    while (sent := sum((await copies(client)).values())) <= more_than:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no sends beyond {more_than} within {seconds} s")
        # Not faster: each look makes the emulator serialise every call it recorded.
        await asyncio.sleep(0.15)
    return sent


async def wait_for_all(client: AsyncBotApiClient, seconds: float) -> None:
    """Wait until every chat has a notification, or ``seconds`` pass (the assertions tell)."""
    with contextlib.suppress(TimeoutError):
        await wait_for_sends(client, len(CHATS) - 1, seconds)


async def test_kill_9_during_a_broadcast_to_200_chats_leaves_every_chat_exactly_one_copy(
    store_location: Path | str,
) -> None:
    db = store_location
    archive = await Archive.open(db)
    try:
        await subscribe_many(archive, CHATS)
        await archive.ingest_records([report("cricket")])
    finally:
        await archive.close()
    seed = time.time_ns()
    rng = random.Random(seed)
    async with BotApiProcess() as api:
        client = api.aclient
        for _ in range(KILLS):
            bot = start_bot(api, db)
            try:
                sent = await wait_for_sends(client, sum((await copies(client)).values()))
                if sent >= len(CHATS):
                    break
                # Die at a random moment while sending: anywhere in the next 1.5 s (up to ~40 sends).
                await asyncio.sleep(rng.uniform(0.0, 1.5))
            finally:
                bot.send_signal(signal.SIGKILL)
                bot.wait()
        bot = start_bot(api, db)
        try:
            await wait_for_all(client, 20)
            await asyncio.sleep(0.3)  # a duplicate, if any, would show up now
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=15)
        found = await copies(client)
    assert bot.returncode == 0
    twice = sorted(chat for chat, n in found.items() if n > 1)
    missing = sorted(set(CHATS) - set(found))
    assert not twice, f"duplicates (seed {seed}): {twice}"
    assert not missing, f"never delivered (seed {seed}): {missing}"
