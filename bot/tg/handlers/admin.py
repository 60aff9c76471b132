"""Operator commands, for the user ids in ``KHABRI_ADMINS`` only: /stats and /feeds (list, add, remove).

Anyone else gets a short refusal that changes nothing. Counts come from the store: no message text
is kept for them (see ``storage.chats``).
"""

from __future__ import annotations

from telegram import Update

from bot.notify.feeds import add_feed, check_feed_url, remove_feed
from bot.notify.netguard import FetchPolicy
from bot.render.markup import escape, fit
from bot.render.present import cut, format_date
from bot.render.texts import text
from bot.tg.context import CustomContext
from bot.tg.handlers.reply import argument_of, language_of, user_id_of

# Outbox states in the order a delivery goes through them.
OUTBOX_STATES = ("pending", "sending", "sent", "unknown", "failed", "dropped")


async def _allowed(update: Update, context: CustomContext) -> bool:
    """Whether the sender is an operator; a stranger is told so."""
    if context.settings.is_admin(user_id_of(update)):
        return True
    if update.effective_message is not None:
        await update.effective_message.reply_text(text("admin_only", language_of(update, context)))
    return False


async def stats(update: Update, context: CustomContext) -> None:
    """Shows an operator the counts: reports, passages, chats, subscriptions, questions, outbox, feeds."""
    message = update.effective_message
    if message is None or not await _allowed(update, context):
        return
    lang = language_of(update, context)
    store = context.archive.store
    newest = await store.reports.newest_date()
    outbox = await store.outbox.counts()
    feeds = await store.feeds.all()
    failing = sum(1 for f in feeds if f.failures)
    body = text(
        "stats",
        lang,
        reports=await store.reports.count(),
        passages=len(context.archive.search),
        newest=escape(format_date(newest, lang)) if newest else text("unknown", lang),
        chats=await store.chats.count(),
        subscriptions=await store.subscriptions.count_active(),
        questions=await store.chats.questions_since(24),
        outbox=", ".join(f"{state} {outbox.get(state, 0)}" for state in OUTBOX_STATES),
        feeds_ok=len(feeds) - failing,
        feeds_failing=failing,
    )
    await message.reply_text(fit(body))


async def feeds(update: Update, context: CustomContext) -> None:
    """Lets an operator list the feeds, add one by URL, or remove one by id or URL."""
    message = update.effective_message
    if message is None or not await _allowed(update, context):
        return
    lang = language_of(update, context)
    action, _, rest = argument_of(message).partition(" ")
    action, rest = action.lower(), rest.strip()
    store = context.archive.store
    if action in ("", "list"):
        rows = await store.feeds.all()
        if not rows:
            await message.reply_text(text("feeds_none", lang))
            return
        lines = [text("feeds_title", lang)]
        for feed in rows:
            state = (
                text(
                    "feed_failing", lang, failures=feed.failures, error=escape(cut(feed.last_error or "", 80))
                )
                if feed.failures
                else text("feed_ok", lang)
            )
            polled = escape(feed.last_polled_at or text("never", lang))
            lines.append(f"{feed.id}. {escape(feed.url)} — {state} · {polled}")
        await message.reply_text(fit("\n".join(lines)))
        return
    if action == "add" and rest:
        try:
            url = check_feed_url(rest, FetchPolicy(allow_loopback=context.settings.fetch_loopback))
        except ValueError:
            await message.reply_text(text("feeds_usage", lang))
            return
        feed, created = await add_feed(store, url)
        key = "feed_added" if created else "feed_exists"
        await message.reply_text(text(key, lang, id=feed.id, url=escape(feed.url)))
        return
    if action == "remove" and rest:
        key = "feed_removed" if await remove_feed(store, rest) else "feed_missing"
        await message.reply_text(text(key, lang, feed=escape(rest)))
        return
    await message.reply_text(text("feeds_usage", lang))
