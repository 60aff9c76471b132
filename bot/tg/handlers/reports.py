"""Browsing the archive: /report (one whole report), /latest (newest first, paged), /meetings."""

from __future__ import annotations

import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.callbacks import LatestPage, ShowReport, encode
from bot.render.formatting import meetings_messages, report_messages, summary_line
from bot.render.markup import fit, web_url
from bot.render.texts import MAX_QUESTION_CHARS, text
from bot.tg.context import CustomContext
from bot.tg.handlers.reply import argument_of, language_of, send_messages
from storage import NotFoundError

LATEST_PAGE = 5
# A full report is at most this many messages; the last says where the rest is.
MAX_REPORT_MESSAGES = 4
# /meetings lists at most this many, newest first.
MAX_MEETINGS_SHOWN = 15
_REPORT_ID = re.compile(r"#?(\d{1,9})")


async def send_report(context: CustomContext, chat_id: int, report_id: int, lang: str) -> None:
    """Send a report, split at sentence ends, in a few messages at most; or say there is none with that id."""
    try:
        found = await context.archive.store.reports.get(report_id)
    except NotFoundError:
        await context.bot.send_message(chat_id, text("report_missing", lang, id=report_id))
        return
    rest = text("report_rest" if web_url(found.url) else "report_cut", lang)
    await send_messages(
        context, chat_id, report_messages(found, lang, max_messages=MAX_REPORT_MESSAGES, rest=rest)
    )


async def report(update: Update, context: CustomContext) -> None:
    """Sends a whole report, split at sentence ends, or says how to name one."""
    message = update.effective_message
    if message is None:
        return
    argument = argument_of(message)
    lang = language_of(update, context)
    match = _REPORT_ID.fullmatch(argument)
    if match is None:
        await message.reply_text(text("report_usage", lang))
        return
    await send_report(context, message.chat_id, int(match.group(1)), lang)


async def latest_page(
    context: CustomContext, offset: int, lang: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The page of /latest starting at ``offset``: the list, and buttons for each report and the pages."""
    rows = await context.archive.store.reports.summaries(limit=LATEST_PAGE + 1, offset=offset)
    if not rows:
        return text("latest_empty" if offset == 0 else "latest_end", lang), None
    shown = rows[:LATEST_PAGE]
    lines = [text("latest_title", lang)]
    lines += [summary_line(row, n, lang) for n, row in enumerate(shown, start=offset + 1)]
    buttons = [
        InlineKeyboardButton(f"📄 {n}", callback_data=encode(ShowReport(row.id)))
        for n, row in enumerate(shown, start=offset + 1)
    ]
    nav = []
    if offset > 0:
        nav.append(
            InlineKeyboardButton(
                text("previous", lang), callback_data=encode(LatestPage(max(0, offset - LATEST_PAGE)))
            )
        )
    if len(rows) > LATEST_PAGE:
        nav.append(
            InlineKeyboardButton(text("next", lang), callback_data=encode(LatestPage(offset + LATEST_PAGE)))
        )
    return fit("\n".join(lines)), InlineKeyboardMarkup([buttons, nav] if nav else [buttons])


async def latest(update: Update, context: CustomContext) -> None:
    """Lists the newest reports with a button for each and buttons to page through older ones."""
    if update.effective_message is None:
        return
    body, keyboard = await latest_page(context, 0, language_of(update, context))
    await update.effective_message.reply_text(body, reply_markup=keyboard)


async def meetings(update: Update, context: CustomContext) -> None:
    """Lists who met whom, newest first: everyone a named person met, or the latest meetings."""
    message = update.effective_message
    if message is None:
        return
    name = " ".join(context.args or []).strip()[:MAX_QUESTION_CHARS]
    lang = language_of(update, context, name)
    archive = context.archive
    rows = archive.meetings_for(name, require_meeting_word=False) if name else archive.latest_meetings()
    if not rows:
        await message.reply_text(text("meetings_none" if name else "meetings_empty", lang))
        return
    rows = rows[:MAX_MEETINGS_SHOWN]
    reports = await archive.store.reports.get_many(row.report_id for row in rows)
    messages = meetings_messages(
        rows,
        reports,
        heading=text("meetings_heading", lang),
        bot_username=context.bot.username,
        source_label=text("source", lang),
    )
    await send_messages(context, message.chat_id, messages)
