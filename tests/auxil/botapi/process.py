"""``BotApiProcess``: the emulator as a child process, for tests that kill the bot or run it apart."""

from __future__ import annotations

import asyncio
import selectors
import subprocess
import sys
from pathlib import Path
from types import TracebackType
from typing import Self

from tests.auxil.botapi.client import AsyncBotApiClient, BotApiClient
from tests.auxil.botapi.records import DEFAULT_USERNAME, TEST_TOKEN

_REPO_ROOT = Path(__file__).resolve().parents[3]


class BotApiProcess:
    """Runs ``python -m tests.auxil.botapi`` as a child process, for tests that kill the bot.

    Use as ``with BotApiProcess() as api:`` (or ``async with``); ``api.client`` and
    ``api.aclient`` drive it, ``api.base_url`` is for the bot.
    """

    def __init__(
        self,
        token: str = TEST_TOKEN,
        *,
        username: str = DEFAULT_USERNAME,
        python: str = sys.executable,
        startup_timeout: float = 15.0,
    ) -> None:
        self.token = token
        self.username = username
        self.python = python
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen[str] | None = None
        self._url: str | None = None

    def start(self) -> BotApiClient:
        """Start the emulator process and wait until it listens."""
        command = [self.python, "-m", "tests.auxil.botapi", "--port", "0", "--token", self.token]
        command += ["--username", self.username]
        self._process = subprocess.Popen(
            command, cwd=_REPO_ROOT, stdout=subprocess.PIPE, text=True, encoding="utf-8"
        )
        assert self._process.stdout is not None  # for mypy: stdout=PIPE above
        with selectors.DefaultSelector() as selector:
            selector.register(self._process.stdout, selectors.EVENT_READ)
            ready = selector.select(self.startup_timeout)
        line = self._process.stdout.readline().strip() if ready else ""
        if not line.isdigit():
            self.stop()
            raise RuntimeError(f"the emulator process did not start (it printed {line!r})")
        self._url = f"http://127.0.0.1:{int(line)}"
        return self.client

    def stop(self) -> None:
        """Terminate the process (SIGTERM, then SIGKILL after 5 s) and reap it."""
        process, self._process = self._process, None
        if process is None:
            return
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()

    @property
    def pid(self) -> int:
        """The emulator's process id."""
        if self._process is None:
            raise RuntimeError("the emulator process is not running")
        return self._process.pid

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``."""
        if self._url is None:
            raise RuntimeError("the emulator process is not started")
        return self._url

    @property
    def base_url(self) -> str:
        """What the bot's ``base_url`` should be (PTB appends the token)."""
        return f"{self.url}/bot"

    @property
    def client(self) -> BotApiClient:
        """A blocking control client."""
        return BotApiClient(self.url)

    @property
    def aclient(self) -> AsyncBotApiClient:
        """An async control client."""
        return AsyncBotApiClient(self.url)

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> Self:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await asyncio.to_thread(self.stop)
