"""Thin Telegram handlers: read the update, ask the archive, render with ``formatting``, reply.

``register(application)`` adds them all. Each module holds one kind, named after its commands:
``questions`` (/ask and plain questions), ``reports`` (/report, /latest, /meetings), ``info``
(/start, /help, /about, /lang, unknown commands), ``admin`` (/stats, /feeds, operators only),
``buttons`` (one handler a kind of button; the data they carry is built and read in
`bot.callbacks`), ``inline`` (``@bot question``),
``subscriptions`` (/subscribe, /unsubscribe, /subscriptions, their buttons and deep links, added by
its own ``register``); ``reply`` is what they share.
"""

from __future__ import annotations

from telegram.ext import (
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.render.texts import ADMIN_COMMANDS, COMMANDS
from bot.tg.context import KhabriApplication
from bot.tg.handlers.admin import feeds, stats
from bot.tg.handlers.buttons import register as register_buttons
from bot.tg.handlers.info import about, help_command, help_text, lang, start, unknown_command
from bot.tg.handlers.inline import inline
from bot.tg.handlers.questions import ask, group_text, private_text
from bot.tg.handlers.reports import latest, meetings, report
from bot.tg.handlers.subscriptions import COMMAND_HANDLERS
from bot.tg.handlers.subscriptions import register as register_subscriptions

__all__ = ["help_text", "register"]


def register(application: KhabriApplication) -> None:
    """Add every handler; a group message that does not address the bot reaches none of them."""
    commands = {
        "start": start,
        "help": help_command,
        "ask": ask,
        "latest": latest,
        "report": report,
        "lang": lang,
        "about": about,
        "meetings": meetings,
        **COMMAND_HANDLERS,
        "stats": stats,
        "feeds": feeds,
    }
    missing = {c.name for c in (*COMMANDS, *ADMIN_COMMANDS)} ^ set(commands)
    if missing:
        raise ValueError(f"texts.COMMANDS and the handlers disagree on {sorted(missing)}")
    # First, so that its buttons come before the catch-all button handler of ``buttons``.
    register_subscriptions(application)
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    plain = filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(plain & filters.ChatType.PRIVATE, private_text))
    application.add_handler(MessageHandler(plain & filters.ChatType.GROUPS, group_text))
    application.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command))
    register_buttons(application)
    application.add_handler(InlineQueryHandler(inline))
