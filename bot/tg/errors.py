"""The one error handler of the application: log the failure with its ids, apologise briefly in Hindi.

Logs name the update, chat and user by id only, never the text a user wrote. A user who blocked the
bot gets no apology (it could not arrive); any failure of the apology itself is logged, not raised,
so one failed update never stops the bot.
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Forbidden, TelegramError

from bot.render.texts import ERROR
from bot.tg.budget import ReplyBudgetExceeded
from bot.tg.context import CustomContext
from bot.tg.once import AlreadyAnswered

logger = logging.getLogger(__name__)


def describe(update: object) -> str:
    """Ids that locate an update in the logs: update, chat and user; never message text."""
    if not isinstance(update, Update):
        return "no update"
    chat = update.effective_chat.id if update.effective_chat else None
    user = update.effective_user.id if update.effective_user else None
    return f"update={update.update_id} chat={chat} user={user}"


async def handle_error(update: object, context: CustomContext) -> None:
    """Tells the user, in one short Hindi line, that something went wrong; logs the details."""
    error = context.error
    where = describe(update)
    if isinstance(error, Forbidden):
        logger.warning("cannot write to the chat (%s): %s", where, error)
        return
    if isinstance(error, AlreadyAnswered):
        # Telegram delivered the update again and another worker had replied: nothing is missing.
        logger.info("not answering twice (%s)", where)
        return
    if isinstance(error, ReplyBudgetExceeded):
        # The chat was told to slow down (once a minute); an apology would be one more message.
        logger.info("reply dropped (%s): %s", where, error)
        return
    logger.error("handling failed (%s)", where, exc_info=error)
    if not isinstance(update, Update):
        return
    try:
        if update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, ERROR, parse_mode=None)
        elif update.callback_query is not None:
            await update.callback_query.answer(ERROR[:200])
    except TelegramError as failure:
        logger.warning("could not apologise (%s): %s", where, failure)
