"""About the bot itself: /start, /help, /about, /lang, and the answer to an unknown command."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import AnswerPage, ChooseLanguage, encode
from bot.render.markup import escape, fit
from bot.render.present import format_date
from bot.render.texts import ADMIN_COMMANDS, COMMANDS, MAX_QUESTION_CHARS, command_description, text
from bot.tg.context import CustomContext
from bot.tg.handlers.reply import argument_of, language_of, user_id_of
from bot.tg.handlers.reports import send_report


async def start(update: Update, context: CustomContext) -> None:
    """Greets in Hindi and English, says how many reports there are, and offers three example questions."""
    message = update.effective_message
    if message is None:
        return
    payload = context.args[0] if context.args else ""
    lang = language_of(update, context)
    if (match := re.fullmatch(r"r_(\d{1,9})", payload)) is not None:
        await send_report(context, message.chat_id, int(match.group(1)), lang)
        return
    reports = context.archive.store.reports
    newest = await reports.newest_date()
    when = text("newest", lang, date=escape(format_date(newest, lang) or newest)) if newest else ""
    welcome = text("welcome", lang, count=await reports.count(), newest=when)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(question, callback_data=encode(AnswerPage(qid)))]
            for qid, question in context.bot_data.examples
        ]
    )
    await message.reply_text(welcome, reply_markup=keyboard if context.bot_data.examples else None)


def help_text(lang: str, bot_username: str, rate: int, *, admin: bool = False) -> str:
    """The /help message: how to ask, then every command with examples in both scripts.

    An operator (``admin``) also sees the operator commands.
    """
    lines = [text("help_intro", lang, bot=escape(bot_username))]
    for command in COMMANDS:
        lines.append(f"/{command.name} — {escape(command_description(command, lang))}")
        lines.extend(f"    {escape(example)}" for example in command.examples)
    if admin:
        lines += ["", text("admin_help", lang)]
        for command in ADMIN_COMMANDS:
            lines.append(f"/{command.name} — {escape(command_description(command, lang))}")
            lines.extend(f"    {escape(example)}" for example in command.examples)
    lines.append("")
    lines.append(text("help_limits", lang, limit=MAX_QUESTION_CHARS, rate=rate))
    return "\n".join(lines)


async def help_command(update: Update, context: CustomContext) -> None:
    """Lists every command with examples in Devanagari and Latin letters."""
    if update.effective_message is None:
        return
    lang = language_of(update, context)
    admin = context.settings.is_admin(user_id_of(update))
    body = help_text(lang, context.bot.username, context.bot_data.questions_per_minute, admin=admin)
    await update.effective_message.reply_text(body)


async def about(update: Update, context: CustomContext) -> None:
    """Tells how many reports and passages the bot knows, the newest date, and the sources."""
    if update.effective_message is None:
        return
    lang = language_of(update, context)
    reports = context.archive.store.reports
    newest = await reports.newest_date()
    recent = await reports.summaries(limit=500)
    sources = sorted({row.source for row in recent if row.source})
    body = text(
        "about",
        lang,
        count=await reports.count(),
        passages=len(context.archive.search),
        newest=escape(format_date(newest, lang) or newest) if newest else text("unknown", lang),
        sources=escape(", ".join(sources)) if sources else text("unknown", lang),
    )
    await update.effective_message.reply_text(fit(body))


async def lang(update: Update, context: CustomContext) -> None:
    """Switches the interface to Hindi or English, or offers the two as buttons."""
    message, user_id = update.effective_message, user_id_of(update)
    if message is None or user_id is None:
        return
    choice = _language_named(argument_of(message))
    if choice is None:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("हिंदी", callback_data=encode(ChooseLanguage("hi"))),
                    InlineKeyboardButton("English", callback_data=encode(ChooseLanguage("en"))),
                ]
            ]
        )
        await message.reply_text(text("lang_prompt", language_of(update, context)), reply_markup=keyboard)
        return
    await context.choose_language(user_id, choice)
    await message.reply_text(text("lang_set", choice))


def _language_named(argument: str) -> str | None:
    word = argument.strip().lower()
    if word in ("hi", "hindi", "हिंदी", "हिन्दी"):
        return "hi"
    if word in ("en", "english", "अंग्रेज़ी", "अंग्रेजी", "इंग्लिश"):
        return "en"
    return None


async def unknown_command(update: Update, context: CustomContext) -> None:
    """Says the command is unknown and points to /help."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(text("unknown_command", language_of(update, context)))
