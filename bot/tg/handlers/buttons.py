"""The inline buttons under the bot's messages (all but the subscription ones), one handler a kind.

What a button carries is built and read by `bot.callbacks` (``q:``, ``m:``, ``r:``, ``l:``,
``lang:``); `register` routes each kind to its handler with PTB's ``pattern``, and anything else,
a button from an older version of the bot, gets a short note. Questions live in the store, so
buttons keep working after a restart.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CallbackQueryHandler

from bot.callbacks import AnswerPage, ChooseLanguage, LatestPage, ShowReport, matches
from bot.render.texts import text
from bot.tg.context import CustomContext, KhabriApplication
from bot.tg.handlers.questions import MAX_PAGE, send_answer
from bot.tg.handlers.reply import language_of, pressed, stored_question, user_id_of
from bot.tg.handlers.reports import latest_page, send_report

__all__ = ["answer_button", "language_button", "latest_button", "register", "report_button", "stale_button"]


async def answer_button(update: Update, context: CustomContext) -> None:
    """Answers a suggested question (``q:``) or sends the next page of an answer (``m:``)."""
    found = await pressed(update, context, AnswerPage)
    if found is None:
        return
    query, chat_id, button = found
    lang = language_of(update, context)
    question = await stored_question(context, query, button.question_id, lang)
    if question is None:
        return
    await query.answer()
    user_id = user_id_of(update)
    if button.page > MAX_PAGE:
        await context.bot.send_message(chat_id, text("no_more", lang))
        return
    if user_id is not None and not context.allow_question(user_id):
        if context.should_warn(user_id):
            rate = context.bot_data.questions_per_minute
            await context.bot.send_message(chat_id, text("slow_down", lang, rate=rate))
        return
    await send_answer(context, chat_id, question, context.language(user_id, question), page=button.page)


async def report_button(update: Update, context: CustomContext) -> None:
    """Sends the full text of the report the button names (``r:``)."""
    found = await pressed(update, context, ShowReport)
    if found is None:
        return
    query, chat_id, button = found
    await query.answer()
    await send_report(context, chat_id, button.report_id, language_of(update, context))


async def latest_button(update: Update, context: CustomContext) -> None:
    """Turns the /latest list to the previous or next page (``l:``), in place when it can."""
    found = await pressed(update, context, LatestPage)
    if found is None:
        return
    query, chat_id, button = found
    await query.answer()
    body, keyboard = await latest_page(context, button.offset, language_of(update, context))
    if query.message is not None and isinstance(query.message, Message):
        await query.message.edit_text(body, reply_markup=keyboard)
    else:
        await context.bot.send_message(chat_id, body, reply_markup=keyboard)


async def language_button(update: Update, context: CustomContext) -> None:
    """Switches the interface language (``lang:``) and says so in the new language."""
    found = await pressed(update, context, ChooseLanguage)
    if found is None:
        return
    query, chat_id, button = found
    user_id = user_id_of(update)
    if user_id is not None:
        await context.choose_language(user_id, button.lang)
    await query.answer()
    await context.bot.send_message(chat_id, text("lang_set", button.lang))


async def stale_button(update: Update, context: CustomContext) -> None:
    """Says a button is out of date: its data is none of this version's (or its message is gone)."""
    query = update.callback_query
    if query is not None:
        await query.answer(text("stale_button", language_of(update, context)))


def register(application: KhabriApplication) -> None:
    """Add a handler for each kind of button, then the catch-all note for any other button.

    Call it after the subscription buttons are registered: the catch-all would take theirs.
    """
    application.add_handler(CallbackQueryHandler(answer_button, pattern=matches(AnswerPage)))
    application.add_handler(CallbackQueryHandler(report_button, pattern=matches(ShowReport)))
    application.add_handler(CallbackQueryHandler(latest_button, pattern=matches(LatestPage)))
    application.add_handler(CallbackQueryHandler(language_button, pattern=matches(ChooseLanguage)))
    application.add_handler(CallbackQueryHandler(stale_button))
