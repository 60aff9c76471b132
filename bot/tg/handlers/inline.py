"""Inline mode: ``@bot question`` in any chat offers the reports that answer it, as cards."""

from __future__ import annotations

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.constants import ParseMode

from bot.render.formatting import answer_block
from bot.render.markup import escape, fit
from bot.render.texts import text
from bot.tg.context import CustomContext
from bot.tg.handlers.questions import problem
from bot.tg.handlers.reply import language_of

INLINE_RESULTS = 10


async def inline(update: Update, context: CustomContext) -> None:
    """Shows up to ten reports answering ``@bot question``, or a "nothing found" card."""
    query = update.inline_query
    if query is None:
        return
    question = query.query.strip()
    lang = language_of(update, context, question)
    if problem(question) is not None:
        card = _card("hint", text("inline_hint_title", lang), text("inline_hint_description", lang))
        await query.answer([card], cache_time=30)
        return
    asked = await context.archive.ask(question, k=INLINE_RESULTS)
    results = []
    for part in asked.answer.reports[:INLINE_RESULTS]:
        found = asked.reports.get(part.report_id)
        if found is None:
            continue
        block = answer_block(
            part, found, bot_username=context.bot.username, source_label=text("source", lang), lang=lang
        )
        quoted = " ".join(q.text for q in part.quotes)
        results.append(_card(f"r{found.id}", found.title, quoted, block))
    if not results:
        title, hint = text("inline_nothing_title", lang), text("inline_nothing_description", lang)
        results = [_card("none", title, hint, text("nothing_found", lang))]
    await query.answer(results, cache_time=30)


def _card(card_id: str, title: str, description: str, message: str = "") -> InlineQueryResultArticle:
    """An inline result; choosing it sends ``message`` (HTML), or the title when there is none."""
    return InlineQueryResultArticle(
        id=card_id,
        title=title[:200],
        description=description[:200],
        input_message_content=InputTextMessageContent(
            fit(message or escape(title)), parse_mode=ParseMode.HTML
        ),
    )
