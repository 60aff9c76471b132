"""SIGTERM under load: ``khabri run`` with hundreds of updates waiting and answers in flight stops in
seconds, exit status 0. The bot runs as its own process against the emulator in another."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bot.archive.core import Archive
from tests.auxil.botapi import BotApiProcess
from tests.e2e.test_bot_abuse import LONG_BODY

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
# Not a timing claim: the bot is expected to stop in a few seconds (docs/reliability.md has the
# measured figure); this bound only turns "never stops" into a failure instead of a hung test.
MUST_STOP_WITHIN = 10.0


def start_bot(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


async def test_sigterm_under_load_stops_the_bot_within_seconds(store_location: Path | str) -> None:
    db = store_location
    archive = await Archive.open(db)
    try:
        from tests.e2e.bot_fixtures import record

        [outcome] = await archive.ingest_records(
            [record("बाढ़ राहत योजना", LONG_BODY, url="https://example.com/b")]
        )
    finally:
        await archive.close()
    async with BotApiProcess() as api:
        client = api.aclient
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": api.token,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "KHABRI_DB": str(db),
            "PTB_TIMEDELTA": "true",
            "LOG_LEVEL": "WARNING",
        }
        bot = start_bot(env)
        try:
            for chat in range(20):
                for _ in range(15):
                    await client.send_text(user_id=6000 + chat, text="अखिलेश यादव ममता बनर्जी मुलाकात")
                await client.send_command(
                    user_id=6100 + chat,
                    command="report",
                    args=str(outcome.report_id),
                    chat_id=-6100 - chat,
                    chat_type="group",
                )
            await client.wait_for_calls("sendMessage", 40, timeout=60)
            started = time.monotonic()
            bot.send_signal(signal.SIGTERM)
            returncode = await asyncio.to_thread(bot.wait, MUST_STOP_WITHIN)
            took = time.monotonic() - started
        finally:
            if bot.poll() is None:
                bot.kill()
                bot.wait()
        stderr = ""
        if bot.stderr is not None:
            stderr = bot.stderr.read().decode()
            bot.stderr.close()
    print(f"stopped {took:.2f} s after SIGTERM")
    assert returncode == 0, stderr
    assert "Traceback" not in stderr
