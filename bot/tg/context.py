"""The typed context every handler receives: the archive and per-user state, read from ``bot_data``.

Following PTB's ``examples/contexttypesbot.py``: ``BotData`` is created empty by the application,
filled in ``post_init``, and reached through properties of :class:`CustomContext`, never globals.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from telegram.ext import Application, CallbackContext, ExtBot, JobQueue

from bot.archive.core import Archive
from bot.notify.delivery import Notifier
from bot.notify.lease import Lease
from bot.render.language import DEFAULT_LANGUAGE, detect_language
from bot.settings import Settings
from bot.tg.group_admins import AdminCache


@dataclass
class BotData:
    """What the handlers share: the archive, the limits, and what each user chose or wrote in."""

    archive: Archive | None = None
    settings: Settings | None = None
    owns_archive: bool = True
    questions_per_minute: int = 10
    examples: tuple[tuple[int, str], ...] = ()
    # Subscriptions at run time: matcher, sender, feed poller (None until build_application sets it).
    notifier: Notifier | None = None
    # Interface language chosen with /lang, by user id: read from the store in post_init, kept there.
    chosen: dict[int, str] = field(default_factory=dict)
    # The language of the script each user last wrote a question in, by user id.
    written: dict[int, str] = field(default_factory=dict)
    asked_at: dict[int, deque[float]] = field(default_factory=dict)
    warned_at: dict[int, float] = field(default_factory=dict)
    # Who administers which group, as Telegram said lately (bot.tg.group_admins).
    admin_cache: AdminCache = field(default_factory=AdminCache)
    # Polling (not a webhook): this worker must hold the getUpdates lease (bot.tg.app, running()).
    polling: bool = False
    poll_lease: Lease | None = None


class CustomContext(CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]):
    """``CallbackContext`` with typed access to the archive and to the user's language."""

    @property
    def archive(self) -> Archive:
        """The open archive.

        Raises:
            RuntimeError: the application has not run ``post_init`` yet.
        """
        archive = self.bot_data.archive
        if archive is None:
            raise RuntimeError("the archive is opened in post_init; the application is not running")
        return archive

    @property
    def settings(self) -> Settings:
        """The settings the application was built with.

        Raises:
            RuntimeError: the application was not built by ``build_application``.
        """
        if self.bot_data.settings is None:
            raise RuntimeError("build_application puts the settings into bot_data")
        return self.bot_data.settings

    def language(self, user_id: int | None, text: str = "") -> str:
        """The interface language for this user: chosen with /lang, else that of ``text``, else remembered.

        Writing a question also remembers its language for the next command without text (``/help``).
        With nothing to go by, Hindi: the Telegram client's language says nothing of the reader's.
        """
        if user_id is not None and user_id in self.bot_data.chosen:
            return self.bot_data.chosen[user_id]
        detected = detect_language(text)
        if detected is not None:
            if user_id is not None:
                self.bot_data.written[user_id] = detected
            return detected
        if user_id is not None and user_id in self.bot_data.written:
            return self.bot_data.written[user_id]
        return DEFAULT_LANGUAGE

    async def choose_language(self, user_id: int, lang: str) -> None:
        """Remember the user's /lang choice, in the store too, so that a restart keeps it."""
        async with self.archive.store.transaction():
            await self.archive.store.chats.set_language(user_id, lang)
        self.bot_data.chosen[user_id] = lang

    def allow_question(self, user_id: int) -> bool:
        """Count one question for this user; False when they asked too many in the last minute."""
        now = time.monotonic()
        recent = self.bot_data.asked_at.setdefault(user_id, deque())
        while recent and now - recent[0] >= 60.0:
            recent.popleft()
        if len(recent) >= self.bot_data.questions_per_minute:
            return False
        recent.append(now)
        return True

    def should_warn(self, user_id: int) -> bool:
        """Whether to say "slow down" now: once a minute at most, so the warning is no flood itself."""
        now = time.monotonic()
        last = self.bot_data.warned_at.get(user_id)
        if last is not None and now - last < 60.0:
            return False
        self.bot_data.warned_at[user_id] = now
        return True


KhabriApplication = Application[
    ExtBot[None], CustomContext, dict[Any, Any], dict[Any, Any], BotData, JobQueue[CustomContext]
]
