"""The inline buttons under the bot's messages (all but the subscription ones).

Buttons carry short versioned callback data (Telegram allows 64 bytes): ``q:<question id>``,
``m:<question id>:<page>``, ``r:<report id>``, ``l:<offset>`` and ``lang:<code>``; questions live in
the store, so buttons keep working after a restart. Anything else is a button from an older version
of the bot and gets a short note.
"""

from __future__ import annotations

import re

from telegram import Message, Update

from bot.render.texts import text
from bot.tg.context import CustomContext
from bot.tg.handlers.questions import MAX_PAGE, send_answer
from bot.tg.handlers.reply import language_of, user_id_of
from bot.tg.handlers.reports import latest_page, send_report
from storage import NotFoundError

_CALLBACK = re.compile(
    r"(?:(q):(\d{1,12})|(m):(\d{1,12}):(\d{1,3})|(r):(\d{1,12})|(l):(\d{1,9})|(lang):(hi|en))"
)


async def button(update: Update, context: CustomContext) -> None:
    """Acts on a pressed button: answer, next page, full report, report list or language; else a note."""
    query = update.callback_query
    if query is None:
        return
    lang = language_of(update, context)
    match = _CALLBACK.fullmatch(query.data or "")
    chat_id = query.message.chat.id if query.message is not None else None
    if match is None or chat_id is None:
        await query.answer(text("stale_button", lang))
        return
    groups = [g for g in match.groups() if g is not None]
    kind = groups[0]
    if kind in ("q", "m"):
        try:
            question = await context.archive.store.questions.get(int(groups[1]))
        except NotFoundError:
            await query.answer(text("stale_button", lang))
            return
        await query.answer()
        page = int(groups[2]) if kind == "m" else 0
        user_id = user_id_of(update)
        if page > MAX_PAGE:
            await context.bot.send_message(chat_id, text("no_more", lang))
            return
        if user_id is not None and not context.allow_question(user_id):
            if context.should_warn(user_id):
                rate = context.bot_data.questions_per_minute
                await context.bot.send_message(chat_id, text("slow_down", lang, rate=rate))
            return
        await send_answer(context, chat_id, question, context.language(user_id, question), page=page)
    elif kind == "r":
        await query.answer()
        await send_report(context, chat_id, int(groups[1]), lang)
    elif kind == "l":
        await query.answer()
        body, keyboard = await latest_page(context, int(groups[1]), lang)
        if query.message is not None and isinstance(query.message, Message):
            await query.message.edit_text(body, reply_markup=keyboard)
        else:
            await context.bot.send_message(chat_id, body, reply_markup=keyboard)
    else:
        user_id = user_id_of(update)
        if user_id is not None:
            await context.choose_language(user_id, groups[1])
        await query.answer()
        await context.bot.send_message(chat_id, text("lang_set", groups[1]))
