"""What every handler needs: who asked, in which language, the argument, the button, and sending a reply.

A long reply is several messages; ``send_messages`` sends them in order, with the keyboard under the
last and, in a group, the first quoting the question it answers. ``pressed`` reads what a button
asks for (`bot.callbacks`), ``stored_question`` the question it names.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from telegram import CallbackQuery, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType

from bot.callbacks import Callback, parse
from bot.render.texts import text
from bot.tg.context import CustomContext
from storage import NotFoundError

_Kind = TypeVar("_Kind", bound=Callback)


def user_id_of(update: Update) -> int | None:
    """The id of the user the update comes from, if any."""
    return update.effective_user.id if update.effective_user else None


def language_of(update: Update, context: CustomContext, written: str = "") -> str:
    """The language to answer in: the user's /lang choice, else that of ``written``, else Hindi."""
    user = update.effective_user
    return context.language(user.id if user else None, written)


def argument_of(message: Message) -> str:
    """The text after the command (``/ask कौन मिला`` → ``कौन मिला``)."""
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def send_messages(
    context: CustomContext,
    chat_id: int,
    messages: Sequence[str],
    keyboard: InlineKeyboardMarkup | None = None,
    reply_to: Message | None = None,
) -> None:
    """Send the messages in order; the keyboard goes under the last, a group reply quotes the first."""
    for position, html in enumerate(messages):
        quote = None
        if position == 0 and reply_to is not None and reply_to.chat.type != ChatType.PRIVATE:
            quote = ReplyParameters(reply_to.message_id, allow_sending_without_reply=True)
        last = position == len(messages) - 1
        await context.bot.send_message(
            chat_id, html, reply_markup=keyboard if last else None, reply_parameters=quote
        )


async def pressed(
    update: Update, context: CustomContext, kind: type[_Kind], *, quiet_without_message: bool = False
) -> tuple[CallbackQuery, int, _Kind] | None:
    """The query, its chat and what the button asks for; ``None`` when there is nothing to act on.

    A button of another kind, or one whose message is gone, gets the "old button" note; with
    ``quiet_without_message`` a button whose message is gone gets no answer at all (as the
    subscription buttons always did).
    """
    query = update.callback_query
    if query is None or (quiet_without_message and query.message is None):
        return None
    button = parse(query.data)
    chat_id = query.message.chat.id if query.message is not None else None
    if not isinstance(button, kind) or chat_id is None:
        await query.answer(text("stale_button", language_of(update, context)))
        return None
    return query, chat_id, button


async def stored_question(
    context: CustomContext, query: CallbackQuery, question_id: int, lang: str
) -> str | None:
    """The question a button names, or ``None`` after the "old button" note when the store has none."""
    try:
        return await context.archive.store.questions.get(question_id)
    except NotFoundError:
        await query.answer(text("stale_button", lang))
        return None
