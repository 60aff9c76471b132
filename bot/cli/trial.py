"""``khabri try``: the real bot against a local Telegram Bot API emulator, chatted with in the terminal.

The emulator is the one the end-to-end tests use (``tests/auxil/botapi`` of a Khabri checkout); it is
not part of the installed package, so ``khabri try`` works from a checkout and says so elsewhere.
The bot is the real application, polling the emulator on 127.0.0.1 with a store of the seeds in a
temporary folder (or ``--db``). What the bot sends is shown as Telegram would render it: bold, quotes,
links with their address, and the buttons numbered, so that typing a number presses one.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import logging
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.settings import Settings

CHECKOUT = Path(__file__).resolve().parents[2]
EMULATOR = Path("tests") / "auxil" / "botapi"
USER_ID = 4242
PROMPT = "you> "
# How long the bot may stay silent after a message before the prompt comes back, and at most.
QUIET = 0.6
PATIENCE = 20.0
BOLD, DIM, RESET = "\033[1m", "\033[2m", "\033[0m"
MISSING = (
    "khabri try needs the local Bot API emulator, which lives in a checkout of Khabri "
    "({path}) and is not installed with the package.\n"
    "Clone the repository and run `make try` there (or `khabri try` inside it)."
)


def emulator_module(checkout: Path = CHECKOUT) -> Any:
    """The emulator package of a checkout, imported; ``None`` when the checkout has none.

    Raises:
        ImportError: it is there but cannot be imported (aiohttp, from the test extra, is missing).
    """
    if not (checkout / EMULATOR / "__init__.py").is_file():
        return None
    if str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    # Imported by name: the emulator is a development tool of the checkout, not a dependency of bot.
    return importlib.import_module(".".join(EMULATOR.parts))


def render_message(text: str, entities: Sequence[Mapping[str, Any]], *, color: bool) -> str:
    """A message as Telegram shows it, in plain text: bold, "│ " before quoted lines, link addresses."""
    # Entity offsets count UTF-16 code units; map them to positions in the str.
    position: dict[int, int] = {}
    units = 0
    for index, char in enumerate(text):
        position[units] = index
        units += 2 if ord(char) > 0xFFFF else 1
    position[units] = len(text)
    starts: dict[int, list[Mapping[str, Any]]] = {}
    ends: dict[int, list[Mapping[str, Any]]] = {}
    for entity in entities:
        start = position.get(int(entity["offset"]), 0)
        end = position.get(int(entity["offset"]) + int(entity["length"]), len(text))
        starts.setdefault(start, []).append(entity)
        ends.setdefault(end, []).append(entity)
    out: list[str] = []
    bold = quote = 0
    line_start = True
    for index in range(len(text) + 1):
        for entity in ends.get(index, []):
            kind = entity["type"]
            if kind == "bold":
                bold -= 1
                if bold == 0 and color:
                    out.append(RESET)
            elif kind == "blockquote":
                quote -= 1
            elif kind == "text_link" and not str(entity.get("url", "")).startswith("https://t.me/"):
                # A link into the bot itself (t.me/...?start=) opens a report here: its address is noise.
                address = f" ({entity.get('url', '')})"
                out.append(f"{DIM}{address}{RESET}" if color else address)
        if index == len(text):
            break
        for entity in starts.get(index, []):
            if entity["type"] == "bold":
                if bold == 0 and color:
                    out.append(BOLD)
                bold += 1
            elif entity["type"] == "blockquote":
                quote += 1
        if line_start and quote:
            out.append("│ ")
        char = text[index]
        out.append(char)
        line_start = char == "\n"
    return "".join(out)


class Trial:
    """A person's side of a private chat with the bot: send, wait for the bot, show what it sent."""

    def __init__(self, emulator: Any, *, out: TextIO, color: bool) -> None:
        self.emulator = emulator
        self.out = out
        self.color = color
        self.seen = 0
        self.buttons: list[tuple[Mapping[str, Any], str | None, str | None]] = []

    def send(self, line: str) -> None:
        """A typed line: a number presses that button, anything else is sent as a message."""
        line = line.strip()
        if line.isdigit() and self.buttons:
            number = int(line)
            if not 1 <= number <= len(self.buttons):
                print(f"(no button {number}: there are {len(self.buttons)})", file=self.out)
                return
            message, data, url = self.buttons[number - 1]
            if data is None:
                print(f"(that button opens {url})", file=self.out)
                return
            self.emulator.press_button(message, data, user_id=USER_ID)
            return
        if line:
            self.emulator.send_text(USER_ID, line)

    async def show_replies(self) -> int:
        """Wait until the bot has been quiet for a moment, then print what it sent; how many calls."""
        deadline = time.monotonic() + PATIENCE
        last_count, last_change = self.seen, time.monotonic()
        while time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            count = len(self.emulator.calls())
            if count != last_count:
                last_count, last_change = count, time.monotonic()
            elif count > self.seen and time.monotonic() - last_change >= QUIET:
                break
        calls = self.emulator.calls()[self.seen :]
        self.seen = len(self.emulator.calls())
        for call in calls:
            self._show(call)
        return len(calls)

    def _show(self, call: Any) -> None:
        if not call.ok:
            return
        if call.method == "answerCallbackQuery" and call.params.get("text"):
            print(f"({call.params['text']})", file=self.out)
        if call.method not in ("sendMessage", "editMessageText") or not isinstance(call.result, Mapping):
            return
        message = call.result
        edited = "(edited) " if call.method == "editMessageText" else ""
        body = render_message(str(message.get("text", "")), message.get("entities", []), color=self.color)
        print(f"bot> {edited}{body}", file=self.out)
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        if rows:
            self.buttons = []
            for row in rows:
                labels = []
                for button in row:
                    self.buttons.append((message, button.get("callback_data"), button.get("url")))
                    labels.append(f"[{len(self.buttons)}] {button['text']}")
                print("     " + "   ".join(labels), file=self.out)
        print(file=self.out)


async def _start(stack: contextlib.AsyncExitStack, emulator_package: Any, db: Path) -> Any:
    """Start the emulator and the real bot polling it; both stop when ``stack`` closes."""
    from telegram.request import HTTPXRequest

    from bot.tg.app import build_application, running

    emulator = await stack.enter_async_context(emulator_package.BotApiEmulator(emulator_package.TEST_TOKEN))
    settings = Settings(db_path=db, token=emulator_package.TEST_TOKEN, api_base_url=emulator.base_url)
    application = build_application(
        settings, request=HTTPXRequest(), get_updates_request=HTTPXRequest(read_timeout=5.0)
    )
    await stack.enter_async_context(running(application, poll_timeout=1.0))
    return emulator


def run_try(
    db: Path | None,
    *,
    checkout: Path = CHECKOUT,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """Run ``khabri try`` until Ctrl-D, Ctrl-C or /quit; return the exit status."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    try:
        package = emulator_module(checkout)
    except ImportError as error:
        print(
            f"khabri try: the emulator cannot start ({error}); run `make try`, which installs it.",
            file=sys.stderr,
        )
        return 2
    if package is None:
        print(MISSING.format(path=checkout / EMULATOR), file=sys.stderr)
        return 2
    interactive = stdin is sys.stdin and stdin.isatty()
    if interactive:
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401 -- line editing and history for input()
    # The event loop rests while the person types, so the bot's periodic jobs run late: not news.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="khabri-try-") as scratch, asyncio.Runner() as runner:
        stack = contextlib.AsyncExitStack()
        try:
            emulator = runner.run(_start(stack, package, db or Path(scratch) / "khabri.db"))
            print(
                f"khabri try: the real Khabri bot is running against a local Telegram emulator "
                f"({emulator.base_url.rsplit('/', 1)[0]}).\n"
                "Type a question or a command (/help, /latest, /meetings); a number presses that button; "
                "Ctrl-D leaves.\n",
                file=stdout,
            )
            trial = Trial(emulator, out=stdout, color=stdout.isatty())
            trial.send("/start")
            runner.run(trial.show_replies())
            while True:
                try:
                    line = input(PROMPT) if interactive else _read(stdin)
                except EOFError:
                    return 0
                if line.strip().lower() in ("/quit", "/exit"):
                    return 0
                if not line.strip():
                    continue
                trial.send(line)
                runner.run(trial.show_replies())
        except KeyboardInterrupt:
            print(file=stdout)
            return 130
        finally:
            runner.run(stack.aclose())


def _read(stdin: TextIO) -> str:
    line = stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")
