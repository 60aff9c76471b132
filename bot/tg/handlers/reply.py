"""What every handler needs: who asked, in which language, the argument, and sending a reply.

A long reply is several messages; ``send_messages`` sends them in order, with the keyboard under the
last and, in a group, the first quoting the question it answers.
"""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType

from bot.tg.context import CustomContext


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
