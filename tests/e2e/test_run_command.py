"""``khabri run`` as a process: it announces the bot only once the Bot API has answered."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.auxil.botapi import TEST_TOKEN, BotApiProcess

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]


def start(base_url: str, token: str, db: Path | str) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": token,
        "TELEGRAM_API_BASE_URL": base_url,
        "KHABRI_DB": str(db),
        "PTB_TIMEDELTA": "true",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=REPO,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def test_run_announces_after_reaching_the_bot_api_and_stops_on_sigterm(store_location: Path | str) -> None:
    with BotApiProcess() as api:
        bot = start(api.base_url, TEST_TOKEN, store_location)
        try:
            assert bot.stderr is not None
            first = bot.stderr.readline()
            second = bot.stderr.readline()
            assert first.startswith("khabri: connecting to the Bot API")
            assert second.startswith("khabri: @khabri_test_bot is running with long polling")
            # Running means answering: a question gets its reply.
            api.client.send_text(7, "ममता बनर्जी")
            deadline = time.monotonic() + 20
            while not api.client.sent_texts(7) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert api.client.sent_texts(7)
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.communicate(timeout=30)
    assert bot.returncode == 0


def test_run_with_a_rejected_token_never_says_running(store_location: Path | str) -> None:
    with BotApiProcess() as api:
        bot = start(api.base_url, "5000000002:AAFsomeoneElsesTokenThatTheApiRejects", store_location)
        _, err = bot.communicate(timeout=60)
    assert bot.returncode == 1
    assert "Telegram rejected TELEGRAM_BOT_TOKEN" in err
    assert "is running" not in err
