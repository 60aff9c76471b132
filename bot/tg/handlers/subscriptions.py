"""Handlers for subscriptions: /subscribe, /unsubscribe, /subscriptions, their buttons and deep links.

Buttons (their data is built and read by `bot.callbacks`): ``s:`` (the "🔔 सदस्यता" button under an
answer subscribes to its question) and ``u:`` (remove one subscription). The deep link
``https://t.me/<bot>?start=s_<topic>`` subscribes too: a Latin topic is written with ``_`` for
spaces (``s_mamta_banerjee``); any other topic is base64url-encoded UTF-8 after a ``-``
(``s_-4KSu...``), since a start parameter allows only ``A-Z a-z 0-9 _ -``. ``/start`` (any) and a
``my_chat_member`` update making the bot a member again revive the chat's subscriptions after it
had blocked the bot; leaving or blocking pauses them.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatMemberStatus
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ChatMemberHandler,
    MessageHandler,
    filters,
)

from bot.callbacks import Subscribe, Unsubscribe, encode, matches
from bot.notify import subscribing
from bot.notify.subscribing import SubscribeOutcome
from bot.notify.topics import MAX_TOPIC_CHARS, analyze_topic, canonical_topic, has_content
from bot.render.markup import escape
from bot.render.texts import text
from bot.tg.context import CustomContext, KhabriApplication
from bot.tg.group_admins import may_change_subscriptions
from bot.tg.handlers.reply import language_of, pressed, stored_question

# A chat may follow this many topics: each one is matched against every new report.
MAX_SUBSCRIPTIONS = 20
_PAYLOAD_LATIN = re.compile(r"[a-z0-9_-]{1,62}")
_STOP_WORDS_ALL = frozenset({"all", "सब", "सभी", "sab"})

Callback = Callable[[Update, CustomContext], Coroutine[Any, Any, None]]
_Button = TypeVar("_Button", Subscribe, Unsubscribe)


def topic_payload(topic: str) -> str | None:
    """The ``start`` parameter (``s_...``) that subscribes to ``topic``; ``None`` when it cannot fit 64."""
    words = topic.split()
    latin = "_".join(words)
    if _PAYLOAD_LATIN.fullmatch(latin) and not latin.startswith("-"):
        return f"s_{latin}"
    encoded = base64.urlsafe_b64encode(topic.encode()).decode().rstrip("=")
    payload = f"s_-{encoded}"
    return payload if len(payload) <= 64 else None


def payload_topic(payload: str) -> str | None:
    """The topic a ``s_...`` start parameter names, or ``None`` when it is not one."""
    if not payload.startswith("s_") or len(payload) < 3:
        return None
    rest = payload[2:]
    if rest.startswith("-"):
        try:
            raw = base64.urlsafe_b64decode(rest[1:] + "=" * (-len(rest[1:]) % 4)).decode()
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        return canonical_topic(raw) or None
    return canonical_topic(rest.replace("_", " ")) or None


def _argument(update: Update) -> str:
    message = update.effective_message
    parts = ((message.text if message else "") or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


def _label(topic: str, lang: str) -> str:
    return topic or text("sub_everything", lang)


async def subscribe_chat(context: CustomContext, chat_id: int, raw: str, lang: str) -> str:
    """Subscribe the chat to ``raw`` ('' = every new report); return the reply saying what will come."""
    topic = canonical_topic(raw)
    if len(topic) > MAX_TOPIC_CHARS or (topic and not has_content(analyze_topic(topic))):
        return text("sub_usage", lang, limit=MAX_TOPIC_CHARS)
    done = await subscribing.subscribe(context.archive.store, chat_id, topic, lang, cap=MAX_SUBSCRIPTIONS)
    if done.outcome is SubscribeOutcome.CAPPED or done.subscription is None:
        return text("sub_cap", lang, cap=MAX_SUBSCRIPTIONS)
    if done.outcome is SubscribeOutcome.EXISTS:
        return text("sub_exists", lang, topic=escape(topic)) if topic else text("sub_exists_all", lang)
    subscription = done.subscription
    if not subscription.topic:
        return text("sub_added_all", lang)
    analysed = analyze_topic(subscription.topic)
    excluded = ", ".join(analysed.excluded_words)
    without = text("sub_without", lang, words=escape(excluded)) if excluded else ""
    wanted = " ".join(w for w in subscription.topic.split() if not w.startswith("-"))
    return text("sub_added", lang, topic=escape(wanted), without=without)


async def _refused(update: Update, context: CustomContext, lang: str) -> bool:
    """In a group, say that only its admins change its subscriptions, unless the sender is one."""
    if await may_change_subscriptions(update, context):
        return False
    if update.callback_query is not None:
        await update.callback_query.answer(text("sub_admins_only", lang), show_alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text("sub_admins_only", lang))
    return True


async def subscribe(update: Update, context: CustomContext) -> None:
    """Subscribes the chat to the topic after /subscribe (or to every new report); in groups, admins only."""
    message = update.effective_message
    if message is None:
        return
    raw = _argument(update)
    lang = language_of(update, context, raw)
    if await _refused(update, context, lang):
        return
    await message.reply_text(await subscribe_chat(context, message.chat_id, raw, lang))


def _list_keyboard(subscriptions: list[tuple[int, str]], lang: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(f"❌ {_label(topic, lang)}"[:60], callback_data=encode(Unsubscribe(sid)))]
            for sid, topic in subscriptions
        ]
    )


async def subscriptions(update: Update, context: CustomContext) -> None:
    """Lists the chat's subscriptions, each with a button that removes it."""
    message = update.effective_message
    if message is None:
        return
    lang = language_of(update, context)
    found = await context.archive.store.subscriptions.of_chat(message.chat_id)
    if not found:
        await message.reply_text(text("sub_none", lang))
        return
    lines = [text("sub_list", lang)]
    lines += [f"• {escape(_label(s.topic, lang))}" for s in found]
    keyboard = _list_keyboard([(s.id, s.topic) for s in found], lang)
    await message.reply_text("\n".join(lines), reply_markup=keyboard)


async def unsubscribe(update: Update, context: CustomContext) -> None:
    """Removes the named subscription, or all; without a name removes the only one or lists them.

    In a group only its admins may remove; others are told so.
    """
    message = update.effective_message
    if message is None:
        return
    raw = _argument(update)
    lang = language_of(update, context, raw)
    if await _refused(update, context, lang):
        return
    store = context.archive.store
    chat_id = message.chat_id
    if raw.lower() in _STOP_WORDS_ALL:
        count = await subscribing.unsubscribe_all(store, chat_id)
        await message.reply_text(text("sub_removed_all", lang, count=count))
        return
    current = await store.subscriptions.of_chat(chat_id)
    if not raw:
        if len(current) != 1:
            await subscriptions(update, context)
            return
        target = current[0]
    else:
        topic = canonical_topic(raw)
        matches = [s for s in current if s.topic == topic]
        if not matches:
            await message.reply_text(text("sub_not_found", lang, topic=escape(topic)))
            return
        target = matches[0]
    await subscribing.unsubscribe(store, chat_id, target.id)
    await message.reply_text(text("sub_removed", lang, topic=escape(_label(target.topic, lang))))


async def _permitted(
    update: Update, context: CustomContext, kind: type[_Button]
) -> tuple[CallbackQuery, int, _Button, str] | None:
    """A subscription button this chat may act on, with the language; ``None`` once told why not."""
    found = await pressed(update, context, kind, quiet_without_message=True)
    if found is None:
        return None
    query, chat_id, button = found
    lang = language_of(update, context)
    if await _refused(update, context, lang):
        return None
    return query, chat_id, button, lang


async def subscribe_button(update: Update, context: CustomContext) -> None:
    """Subscribes the chat to the answer's question (``s:`` button); in groups, admins only."""
    found = await _permitted(update, context, Subscribe)
    if found is None:
        return
    query, chat_id, button, lang = found
    question = await stored_question(context, query, button.question_id, lang)
    if question is None:
        return
    await query.answer()
    reply = await subscribe_chat(context, chat_id, question, context.language(None, question) or lang)
    await context.bot.send_message(chat_id, reply)


async def unsubscribe_button(update: Update, context: CustomContext) -> None:
    """Removes one subscription (``u:`` button, under /subscriptions or a notification) and says so."""
    found = await _permitted(update, context, Unsubscribe)
    if found is None:
        return
    query, chat_id, button, lang = found
    removed = await subscribing.unsubscribe(context.archive.store, chat_id, button.subscription_id)
    if removed is None:
        await query.answer(text("sub_gone", lang))
        return
    await query.answer()
    await context.bot.send_message(
        chat_id, text("sub_removed", lang, topic=escape(_label(removed.topic, lang)))
    )


async def revive_on_start(update: Update, context: CustomContext) -> None:
    """Runs before /start: a chat that had blocked the bot gets its subscriptions back; ``s_`` subscribes."""
    message = update.effective_message
    if message is None:
        return
    await subscribing.chat_returned(context.archive.store, message.chat_id)
    topic = payload_topic(_argument(update))
    if topic is None:
        return
    lang = language_of(update, context, topic)
    if not await _refused(update, context, lang):
        await message.reply_text(await subscribe_chat(context, message.chat_id, topic, lang))
    raise ApplicationHandlerStop


_GONE = {ChatMemberStatus.BANNED, ChatMemberStatus.LEFT}
_PRESENT = {ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR, ChatMemberStatus.OWNER}


async def membership(update: Update, context: CustomContext) -> None:
    """The bot was blocked, removed or added back: pause or revive the chat's subscriptions (no reply)."""
    change = update.my_chat_member
    if change is None:
        return
    status = change.new_chat_member.status
    if status in _GONE:
        await subscribing.chat_left(context.archive.store, change.chat.id, f"bot {status}")
    elif status in _PRESENT and change.old_chat_member.status in _GONE:
        await subscribing.chat_returned(context.archive.store, change.chat.id)


COMMAND_HANDLERS: dict[str, Callback] = {
    "subscribe": subscribe,
    "unsubscribe": unsubscribe,
    "subscriptions": subscriptions,
}


def register(application: KhabriApplication) -> None:
    """Add the buttons, the /start hook and the membership handler (the commands go with the others).

    Call it before the catch-all ``CallbackQueryHandler``, so the ``s:``/``u:`` buttons reach this module.
    """
    # A MessageHandler, not a second CommandHandler("start"): /start stays registered once.
    start = filters.COMMAND & filters.Regex(r"^/start(@\w+)?(\s|$)")
    application.add_handler(MessageHandler(start, revive_on_start), group=-1)
    application.add_handler(CallbackQueryHandler(subscribe_button, pattern=matches(Subscribe)))
    application.add_handler(CallbackQueryHandler(unsubscribe_button, pattern=matches(Unsubscribe)))
    application.add_handler(ChatMemberHandler(membership, ChatMemberHandler.MY_CHAT_MEMBER))
