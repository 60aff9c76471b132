"""The terminal chat (``khabri chat``): questions and the bot's commands, with line editing and history.

Lines are read with the standard ``readline`` (arrow keys, Ctrl-R, history kept beside the store) in
the main thread, so Ctrl-C and Ctrl-D leave at once; each answer runs on an ``asyncio.Runner`` that
owns the open archive. The commands are the bot's (/help, /latest, /report N, /meetings, /about),
with its limits; subscriptions need Telegram, and the chat says so.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from bot.archive.core import Archive
from bot.archive.dictionary import SYSTEM_DICTIONARY
from bot.render.formatting import NO_DATE, body_without_title
from bot.render.language import detect_language
from bot.render.present import cut, format_date, merge_meetings
from bot.render.terminal import BOLD, RESET, render_answer
from bot.render.texts import MAX_QUESTION_CHARS, text
from bot.settings import data_dir
from bot.tg.handlers.questions import problem
from retrieval import clean_text
from storage import NotFoundError

PROMPT = "? "
HISTORY_FILE = "chat_history"
HISTORY_LINES = 1000
LATEST = 10
NOTHING_FOUND = (
    "कुछ नहीं मिला — इस सवाल का जवाब रिपोर्टों में नहीं है। नाम दूसरी वर्तनी में लिखिए, या /latest देखिए।\n"
    "Nothing found. Try another spelling of the names, or /latest for the newest reports."
)
HELP = f"""खबरी से सवाल पूछिए — देवनागरी या रोमन में (ask in Devanagari or Latin letters):
  अखिलेश यादव ने कोलकाता में किससे मुलाकात की?
  akhilesh yadav ne kolkata me kisse mulakat ki

/latest          नई रिपोर्टें (the newest reports, with their numbers)
/report N        पूरी रिपोर्ट N (read report N)
/meetings [नाम]  कौन किससे मिला (who met whom)
/about           गिनती (counts)
/help            यह संदेश (this help)
/quit            बाहर (leave; Ctrl-D or Ctrl-C too)

सवाल {MAX_QUESTION_CHARS} अक्षरों तक (questions up to {MAX_QUESTION_CHARS} characters).
↑/↓ पिछले सवाल (history), Tab कमांड पूरा करता है (completes a command)."""
NEEDS_TELEGRAM = (
    "सदस्यता Telegram में ही चलती है: `khabri try` से आज़माइए।\n"
    "Subscriptions need Telegram: try them with `khabri try`."
)
BILINGUAL = "टर्मिनल में जवाब हिंदी में ही आते हैं (the terminal chat answers in Hindi)."
QUIT = ("/quit", "/exit", "quit", "exit")
COMMANDS = ("/help", "/start", "/latest", "/report", "/meetings", "/about", "/ask", "/quit")


class TerminalChat:
    """Answers one line at a time: a question, or one of the bot's commands."""

    def __init__(self, archive: Archive, *, color: bool = False) -> None:
        self.archive = archive
        self.color = color

    def _bold(self, value: str) -> str:
        return f"{BOLD}{value}{RESET}" if self.color else value

    async def reply(self, line: str) -> str | None:
        """What the chat prints for ``line``; ``None`` means leave."""
        line = line.strip()
        if line.lower() in QUIT:
            return None
        if not line:
            return ""
        if not line.startswith("/"):
            return await self.answer(line)
        command, _, argument = line.partition(" ")
        name = command[1:].split("@", 1)[0].lower()
        argument = argument.strip()
        handlers: dict[str, Callable[[str], object]] = {
            "help": lambda _: HELP,
            "start": lambda _: self.welcome(),
            "ask": self.answer,
            "latest": lambda _: self.latest(),
            "report": self.report,
            "meetings": self.meetings,
            "about": lambda _: self.about(),
            "subscribe": lambda _: NEEDS_TELEGRAM,
            "unsubscribe": lambda _: NEEDS_TELEGRAM,
            "subscriptions": lambda _: NEEDS_TELEGRAM,
            "lang": lambda _: BILINGUAL,
        }
        handler = handlers.get(name)
        if handler is None:
            return "यह कमांड मैं नहीं जानता; /help देखिए (unknown command: see /help)."
        result = handler(argument)
        if asyncio.iscoroutine(result):
            result = await result
        return str(result)

    async def answer(self, question: str) -> str:
        """The answer to a question, or why it cannot be searched."""
        sent = question
        if len(question) <= MAX_QUESTION_CHARS:
            question = clean_text(question)
        lang = detect_language(question) or "hi"
        found = "no_words" if sent.strip() and not question else problem(question)
        if found == "ask_usage":
            return "/ask के बाद सवाल लिखिए (write the question after /ask)."
        if found is not None:
            return text(found, lang, length=len(sent), limit=MAX_QUESTION_CHARS)
        asked = await self.archive.ask(question)
        return render_answer(asked, color=self.color, show="/report {id}", nothing=NOTHING_FOUND)

    async def welcome(self) -> str:
        """Greeting and counts."""
        count = await self.archive.store.reports.count()
        newest = format_date(await self.archive.store.reports.newest_date())
        when = f", सबसे नई {newest} की" if newest else ""
        return f"नमस्ते! मेरे पास {count} रिपोर्टें हैं{when}। /help देखिए।"

    async def latest(self) -> str:
        """The newest reports with the number /report takes."""
        rows = await self.archive.store.reports.summaries(limit=LATEST)
        if not rows:
            return "अभी कोई रिपोर्ट नहीं है: `khabri ingest PATH` से जोड़िए (no reports yet)."
        lines = [self._bold("नई रिपोर्टें (newest reports):")]
        for row in rows:
            when = format_date(row.published) or NO_DATE["hi"]
            lines.append(f"/report {row.id:<4} {cut(row.title, 80)} — {when}")
        return "\n".join(lines)

    async def report(self, argument: str) -> str:
        """One whole report."""
        number = argument.lstrip("#")
        if not number.isdigit():
            return "रिपोर्ट का नंबर लिखिए, जैसे /report 2 — नंबर /latest में हैं (give a number, e.g. /report 2)."
        try:
            found = await self.archive.store.reports.get(int(number))
        except NotFoundError:
            return f"रिपोर्ट {number} नहीं मिली; /latest देखिए (no report {number})."
        meta = " · ".join(x for x in (format_date(found.published), found.source, found.url) if x)
        head = self._bold(found.title) + (f"\n{meta}" if meta else "")
        return f"{head}\n\n{body_without_title(found.title, found.body)}"

    async def meetings(self, name: str) -> str:
        """Who met whom: everyone a person met, or the latest meetings."""
        name = name[:MAX_QUESTION_CHARS]
        rows = self.archive.meetings_for(name, require_meeting_word=False) if name else None
        if rows is None:
            rows = self.archive.latest_meetings()
        if not rows:
            if name:
                return "इस नाम की कोई मुलाकात नहीं मिली (no meeting with that name)."
            return "कोई मुलाकात दर्ज नहीं (no meetings yet)."
        lines = [self._bold("कौन किससे मिला (who met whom):")]
        for line in merge_meetings(rows[:15]):
            sources = ", ".join(f"/report {r}" for r in line.report_ids)
            lines.append(f"• {self._bold(line.title)} · {sources}\n   “{line.sentence}”")
        return "\n".join(lines)

    async def about(self) -> str:
        """Counts."""
        store = self.archive.store.reports
        newest = format_date(await store.newest_date()) or "अज्ञात"
        return f"रिपोर्टें: {await store.count()} · अंश: {len(self.archive.search)} · सबसे नई: {newest}"


def _history(db: Path | str) -> Callable[[], None]:
    """Turn on line editing and load the history kept beside the store; return what saves it."""
    try:
        import readline
    except ImportError:  # no readline on this platform: plain input() still works
        return lambda: None
    # Beside a SQLite store; a PostgreSQL store has no directory, so Khabri's own data directory.
    path = (db.parent if isinstance(db, Path) else data_dir()) / HISTORY_FILE
    with contextlib.suppress(OSError):
        readline.read_history_file(path)
    readline.set_history_length(HISTORY_LINES)

    def complete(prefix: str, state: int) -> str | None:
        matches = [c for c in COMMANDS if c.startswith(prefix)]
        return matches[state] if state < len(matches) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" ")
    readline.parse_and_bind("tab: complete")

    def save() -> None:
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(path)

    return save


def run_chat(
    db: Path | str,
    *,
    intro: str = "",
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    search: str | None = None,
    dictionary: Path | None = SYSTEM_DICTIONARY,
) -> int:
    """Open the archive and chat until /quit, Ctrl-D or Ctrl-C.

    ``search`` is KHABRI_SEARCH, ``dictionary`` KHABRI_DICTIONARY (see `Archive.open`).
    """
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    interactive = stdin.isatty()
    with asyncio.Runner() as runner:
        from bot.archive.search_url import SearchError
        from storage import StoreError

        try:
            archive = runner.run(Archive.open(db, search=search, dictionary=dictionary))
        except (StoreError, SearchError) as error:
            print(f"khabri: {error}", file=sys.stderr)
            return 1
        save = _history(db) if interactive else (lambda: None)
        chat = TerminalChat(archive, color=stdout.isatty())
        try:
            if intro:
                print(intro, file=stdout)
            print("खबरी — हिंदी खबरों से सवाल पूछिए (ask about Hindi news). /help, /quit.", file=stdout)
            while True:
                try:
                    line = input(PROMPT) if interactive and stdin is sys.stdin else _read(stdin, stdout)
                except EOFError:
                    print(file=stdout)
                    return 0
                reply = runner.run(chat.reply(line))
                if reply is None:
                    return 0
                if reply:
                    print(reply, file=stdout)
                    print(file=stdout)
        except KeyboardInterrupt:
            # Ctrl-C leaves at once, whether at the prompt or during an answer.
            print(file=stdout)
            return 130
        finally:
            save()
            runner.run(archive.close())


def _read(stdin: TextIO, stdout: TextIO) -> str:
    """A line from a stream that is not a terminal (a pipe, a file): no prompt echo needed."""
    line = stdin.readline()
    if not line:
        raise EOFError
    return line.rstrip("\n")
