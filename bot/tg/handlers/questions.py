"""Questions and their answers: /ask, plain text in a private chat, and mentions or replies in groups.

An answer comes a page at a time, with a "full report" button for each report quoted, a button to
subscribe to the question, and "more results" while there are more.
"""

from __future__ import annotations

import asyncio
import re

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction

from bot.archive.core import Asked
from bot.callbacks import AnswerPage, ShowReport, Subscribe, encode
from bot.render.formatting import answer_reply
from bot.render.markup import escape, pack
from bot.render.texts import MAX_QUESTION_CHARS, text
from bot.tg.context import CustomContext
from bot.tg.handlers.reply import argument_of, language_of, send_messages, user_id_of
from retrieval import clean_text

PAGE = 3
# "More results" pages a button may ask for: each page is a bigger search, so a forged button is capped.
MAX_PAGE = 9
_WORD = re.compile(r"[^\W_]")


async def send_answer(
    context: CustomContext,
    chat_id: int,
    question: str,
    lang: str,
    *,
    page: int = 0,
    reply_to: Message | None = None,
) -> None:
    """Search and send one page of the answer, with "full report" and "more results" buttons."""
    # "Typing" goes out while the archive searches: the user sees it as soon, the answer waits less.
    typing = asyncio.ensure_future(context.bot.send_chat_action(chat_id, ChatAction.TYPING))
    shown = (page + 1) * PAGE
    try:
        asked = await context.archive.ask(question, k=shown + 1)
    finally:
        await typing  # a chat that blocked the bot fails here (Forbidden), before any reply
    parts = asked.answer.reports[page * PAGE : shown]
    found_some = bool(asked.answer.answered and parts)
    question_id = await context.archive.note_question(
        chat_id, question, first_page=page == 0, keep=found_some
    )
    # Who met whom comes first (page one only): it answers the question directly.
    meetings = asked.meetings if page == 0 else ()
    if not found_some:
        key = "nothing_found" if page == 0 else "no_more"
        found = answer_reply(
            (),
            asked.reports,
            meetings,
            heading=text("meetings_heading", lang),
            bot_username=context.bot.username,
            source_label=text("source", lang),
        )
        if not found and page == 0 and asked.missing:
            found = _partial_reply(context, asked, lang)
        await send_messages(context, chat_id, found or [text(key, lang)], reply_to=reply_to)
        return
    messages = answer_reply(
        parts,
        asked.reports,
        meetings,
        heading=text("meetings_heading", lang),
        bot_username=context.bot.username,
        source_label=text("source", lang),
        first_number=page * PAGE + 1,
        lang=lang,
    )
    full = text("full_report", lang)
    buttons = [
        InlineKeyboardButton(
            f"{full} {n}" if len(parts) > 1 else full, callback_data=encode(ShowReport(part.report_id))
        )
        for n, part in enumerate(parts, start=page * PAGE + 1)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    last = [InlineKeyboardButton(text("sub_button", lang), callback_data=encode(Subscribe(question_id)))]
    if len(asked.answer.reports) > shown:
        last.append(
            InlineKeyboardButton(text("more", lang), callback_data=encode(AnswerPage(question_id, page + 1)))
        )
    rows.append(last)
    await send_messages(context, chat_id, messages, InlineKeyboardMarkup(rows), reply_to)


def _partial_reply(context: CustomContext, asked: Asked, lang: str) -> list[str]:
    """Say what was not found, then offer the near reports as related, never as the answer."""
    missing = ", ".join(f"“{escape(word)}”" for word in asked.missing)
    if not asked.answer.related:
        return [text("missing_only", lang, missing=missing)]
    related = answer_reply(
        asked.answer.related,
        asked.reports,
        (),
        heading=text("meetings_heading", lang),
        bot_username=context.bot.username,
        source_label=text("source", lang),
        lang=lang,
    )
    return pack([text("partial_answer", lang, missing=missing), *related])


def problem(question: str) -> str | None:
    """The text key for a question that cannot be searched, or ``None`` when it can."""
    if not question.strip():
        return "ask_usage"
    if len(question) > MAX_QUESTION_CHARS:
        return "too_long"
    if not _WORD.search(question):
        return "no_words"
    return None


async def _question(update: Update, context: CustomContext, question: str) -> None:
    """Clean a question, check it, count it against the user's limit, and answer it."""
    message = update.effective_message
    user_id = user_id_of(update)
    if message is None or user_id is None:
        return
    # Too long is judged on what was sent; the rest on what is left once markup is cleaned off.
    sent = question
    if len(question) <= MAX_QUESTION_CHARS:
        question = clean_text(question)
    lang = language_of(update, context, question)
    found = "no_words" if sent.strip() and not question else problem(question)
    if found is not None:
        values = {"length": len(question), "limit": MAX_QUESTION_CHARS}
        await message.reply_text(text(found, lang, **values))
        return
    if not context.allow_question(user_id):
        if context.should_warn(user_id):
            await message.reply_text(text("slow_down", lang, rate=context.bot_data.questions_per_minute))
        return
    await send_answer(context, message.chat_id, question.strip(), lang, reply_to=message)


async def ask(update: Update, context: CustomContext) -> None:
    """Answers the question after /ask, or shows an example when there is none."""
    if update.effective_message is not None:
        await _question(update, context, argument_of(update.effective_message))


async def private_text(update: Update, context: CustomContext) -> None:
    """Answers a question written as plain text in a private chat."""
    if update.effective_message is not None:
        await _question(update, context, update.effective_message.text or "")


async def group_text(update: Update, context: CustomContext) -> None:
    """Answers a group message only when it mentions the bot or replies to it; stays silent otherwise."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    mention = re.compile(rf"@{re.escape(context.bot.username)}(?![A-Za-z0-9_])", re.IGNORECASE)
    replied = message.reply_to_message
    to_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
    if not (to_bot or mention.search(message.text)):
        return
    question = mention.sub(" ", message.text).strip()
    await _question(update, context, question)
