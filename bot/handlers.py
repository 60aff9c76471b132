"""Thin Telegram handlers: read the update, ask the archive, render with ``formatting``, reply.

``register(application)`` adds them all. Buttons carry short versioned callback data (Telegram allows
64 bytes): ``q:<question id>``, ``m:<question id>:<page>``, ``r:<report id>``, ``l:<offset>`` and
``lang:<code>``; questions live in the store, so buttons keep working after a restart. Anything else
is a button from an older version of the bot and gets a short note.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Message,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    InlineQueryHandler,
    MessageHandler,
    filters,
)

from bot.context import CustomContext, KhabriApplication
from bot.formatting import (
    answer_block,
    answer_messages,
    escape,
    fit,
    meetings_messages,
    pack,
    report_messages,
    summary_line,
)
from bot.present import format_date
from bot.subscription_handlers import COMMAND_HANDLERS
from bot.subscription_handlers import register as register_subscriptions
from bot.texts import COMMANDS, MAX_QUESTION_CHARS, command_description, text
from storage import NotFoundError

PAGE = 3
LATEST_PAGE = 5
INLINE_RESULTS = 10
# /meetings lists at most this many, newest first.
MAX_MEETINGS_SHOWN = 15
# "More results" pages a button may ask for: each page is a bigger search, so a forged button is capped.
MAX_PAGE = 9
_WORD = re.compile(r"[^\W_]")
_REPORT_ID = re.compile(r"#?(\d{1,9})")
_CALLBACK = re.compile(
    r"(?:(q):(\d{1,12})|(m):(\d{1,12}):(\d{1,3})|(r):(\d{1,12})|(l):(\d{1,9})|(lang):(hi|en))"
)


def _user_id(update: Update) -> int | None:
    return update.effective_user.id if update.effective_user else None


def _lang(update: Update, context: CustomContext, written: str = "") -> str:
    user = update.effective_user
    return context.language(user.id if user else None, written, user.language_code if user else None)


def _question_after_command(message: Message) -> str:
    parts = (message.text or "").split(maxsplit=1)
    return parts[1].strip() if len(parts) > 1 else ""


async def _send(
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


async def _answer(
    context: CustomContext,
    chat_id: int,
    question: str,
    lang: str,
    *,
    page: int = 0,
    reply_to: Message | None = None,
) -> None:
    """Search and send one page of the answer, with "full report" and "more results" buttons."""
    await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
    shown = (page + 1) * PAGE
    asked = await context.archive.ask(question, k=shown + 1)
    parts = asked.answer.reports[page * PAGE : shown]
    meetings: list[str] = []
    if page == 0 and asked.meetings:
        # Who met whom comes first: it answers the question directly, with its evidence.
        meetings = meetings_messages(
            asked.meetings,
            asked.reports,
            heading=text("meetings_heading", lang),
            bot_username=context.bot.username,
            source_label=text("source", lang),
        )
    if not asked.answer.answered or not parts:
        key = "nothing_found" if page == 0 else "no_more"
        await _send(context, chat_id, meetings or [text(key, lang)], reply_to=reply_to)
        return
    messages = pack(
        meetings
        + answer_messages(
            parts,
            asked.reports,
            bot_username=context.bot.username,
            source_label=text("source", lang),
            first_number=page * PAGE + 1,
        )
    )
    full = text("full_report", lang)
    buttons = [
        InlineKeyboardButton(f"{full} {n}" if len(parts) > 1 else full, callback_data=f"r:{part.report_id}")
        for n, part in enumerate(parts, start=page * PAGE + 1)
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    async with context.archive.store.transaction():
        question_id = await context.archive.store.questions.remember(question)
    last = [InlineKeyboardButton(text("sub_button", lang), callback_data=f"s:{question_id}")]
    if len(asked.answer.reports) > shown:
        last.append(InlineKeyboardButton(text("more", lang), callback_data=f"m:{question_id}:{page + 1}"))
    rows.append(last)
    await _send(context, chat_id, messages, InlineKeyboardMarkup(rows), reply_to)


def _problem(question: str) -> str | None:
    """The text key for a question that cannot be searched, or ``None`` when it can."""
    if not question.strip():
        return "ask_usage"
    if len(question) > MAX_QUESTION_CHARS:
        return "too_long"
    if not _WORD.search(question):
        return "no_words"
    return None


async def _question(update: Update, context: CustomContext, question: str) -> None:
    """Check a question, count it against the user's limit, and answer it."""
    message = update.effective_message
    user_id = _user_id(update)
    if message is None or user_id is None:
        return
    lang = _lang(update, context, question)
    problem = _problem(question)
    if problem is not None:
        values = {"length": len(question), "limit": MAX_QUESTION_CHARS}
        await message.reply_text(text(problem, lang, **values))
        return
    if not context.allow_question(user_id):
        if context.should_warn(user_id):
            await message.reply_text(text("slow_down", lang, rate=context.bot_data.questions_per_minute))
        return
    await _answer(context, message.chat_id, question.strip(), lang, reply_to=message)


async def start(update: Update, context: CustomContext) -> None:
    """Greets in Hindi and English, says how many reports there are, and offers three example questions."""
    message = update.effective_message
    if message is None:
        return
    payload = context.args[0] if context.args else ""
    lang = _lang(update, context)
    if (match := re.fullmatch(r"r_(\d{1,9})", payload)) is not None:
        await _report(context, message.chat_id, int(match.group(1)), lang)
        return
    reports = context.archive.store.reports
    newest = await reports.newest_date()
    when = text("newest", lang, date=escape(format_date(newest, "hi") or newest)) if newest else ""
    welcome = text("welcome", lang, count=await reports.count(), newest=when)
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(question, callback_data=f"q:{qid}")]
            for qid, question in context.bot_data.examples
        ]
    )
    await message.reply_text(welcome, reply_markup=keyboard if context.bot_data.examples else None)


def help_text(lang: str, bot_username: str, rate: int) -> str:
    """The /help message: how to ask, then every command with examples in both scripts."""
    lines = [text("help_intro", lang, bot=escape(bot_username))]
    for command in COMMANDS:
        lines.append(f"/{command.name} — {escape(command_description(command, lang))}")
        lines.extend(f"    {escape(example)}" for example in command.examples)
    lines.append("")
    lines.append(text("help_limits", lang, limit=MAX_QUESTION_CHARS, rate=rate))
    return "\n".join(lines)


async def help_command(update: Update, context: CustomContext) -> None:
    """Lists every command with examples in Devanagari and Latin letters."""
    if update.effective_message is None:
        return
    lang = _lang(update, context)
    body = help_text(lang, context.bot.username, context.bot_data.questions_per_minute)
    await update.effective_message.reply_text(body)


async def meetings(update: Update, context: CustomContext) -> None:
    """Lists who met whom, newest first: everyone a named person met, or the latest meetings."""
    message = update.effective_message
    if message is None:
        return
    name = " ".join(context.args or []).strip()[:MAX_QUESTION_CHARS]
    lang = _lang(update, context, name)
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
    await _send(context, message.chat_id, messages)


async def ask(update: Update, context: CustomContext) -> None:
    """Answers the question after /ask, or shows an example when there is none."""
    if update.effective_message is not None:
        await _question(update, context, _question_after_command(update.effective_message))


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


async def _report(context: CustomContext, chat_id: int, report_id: int, lang: str) -> None:
    try:
        report = await context.archive.store.reports.get(report_id)
    except NotFoundError:
        await context.bot.send_message(chat_id, text("report_missing", lang, id=report_id))
        return
    await _send(context, chat_id, report_messages(report))


async def report(update: Update, context: CustomContext) -> None:
    """Sends a whole report, split at sentence ends, or says how to name one."""
    message = update.effective_message
    if message is None:
        return
    argument = _question_after_command(message)
    lang = _lang(update, context)
    match = _REPORT_ID.fullmatch(argument)
    if match is None:
        await message.reply_text(text("report_usage", lang))
        return
    await _report(context, message.chat_id, int(match.group(1)), lang)


async def _latest_page(
    context: CustomContext, offset: int, lang: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    rows = await context.archive.store.reports.summaries(limit=LATEST_PAGE + 1, offset=offset)
    if not rows:
        return text("latest_empty" if offset == 0 else "latest_end", lang), None
    shown = rows[:LATEST_PAGE]
    lines = [text("latest_title", lang)]
    lines += [summary_line(row, n) for n, row in enumerate(shown, start=offset + 1)]
    buttons = [
        InlineKeyboardButton(f"📄 {n}", callback_data=f"r:{row.id}")
        for n, row in enumerate(shown, start=offset + 1)
    ]
    nav = []
    if offset > 0:
        nav.append(
            InlineKeyboardButton(text("previous", lang), callback_data=f"l:{max(0, offset - LATEST_PAGE)}")
        )
    if len(rows) > LATEST_PAGE:
        nav.append(InlineKeyboardButton(text("next", lang), callback_data=f"l:{offset + LATEST_PAGE}"))
    return fit("\n".join(lines)), InlineKeyboardMarkup([buttons, nav] if nav else [buttons])


async def latest(update: Update, context: CustomContext) -> None:
    """Lists the newest reports with a button for each and buttons to page through older ones."""
    if update.effective_message is None:
        return
    body, keyboard = await _latest_page(context, 0, _lang(update, context))
    await update.effective_message.reply_text(body, reply_markup=keyboard)


async def lang(update: Update, context: CustomContext) -> None:
    """Switches the interface to Hindi or English, or offers the two as buttons."""
    message, user_id = update.effective_message, _user_id(update)
    if message is None or user_id is None:
        return
    choice = _language_named(_question_after_command(message))
    if choice is None:
        keyboard = InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton("हिंदी", callback_data="lang:hi"),
                    InlineKeyboardButton("English", callback_data="lang:en"),
                ]
            ]
        )
        await message.reply_text(text("lang_prompt", _lang(update, context)), reply_markup=keyboard)
        return
    context.bot_data.chosen[user_id] = choice
    await message.reply_text(text("lang_set", choice))


def _language_named(argument: str) -> str | None:
    word = argument.strip().lower()
    if word in ("hi", "hindi", "हिंदी", "हिन्दी"):
        return "hi"
    if word in ("en", "english", "अंग्रेज़ी", "अंग्रेजी", "इंग्लिश"):
        return "en"
    return None


async def about(update: Update, context: CustomContext) -> None:
    """Tells how many reports and passages the bot knows, the newest date, and the sources."""
    if update.effective_message is None:
        return
    lang = _lang(update, context)
    reports = context.archive.store.reports
    newest = await reports.newest_date()
    recent = await reports.summaries(limit=500)
    sources = sorted({row.source for row in recent if row.source})
    body = text(
        "about",
        lang,
        count=await reports.count(),
        passages=len(context.archive.index),
        newest=escape(format_date(newest, "hi") or newest) if newest else text("unknown", lang),
        sources=escape(", ".join(sources)) if sources else text("unknown", lang),
    )
    await update.effective_message.reply_text(fit(body))


async def button(update: Update, context: CustomContext) -> None:
    """Acts on a pressed button: answer, next page, full report, report list or language; else a note."""
    query = update.callback_query
    if query is None:
        return
    lang = _lang(update, context)
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
        user_id = _user_id(update)
        if page > MAX_PAGE:
            await context.bot.send_message(chat_id, text("no_more", lang))
            return
        if user_id is not None and not context.allow_question(user_id):
            if context.should_warn(user_id):
                rate = context.bot_data.questions_per_minute
                await context.bot.send_message(chat_id, text("slow_down", lang, rate=rate))
            return
        await _answer(context, chat_id, question, context.language(user_id, question), page=page)
    elif kind == "r":
        await query.answer()
        await _report(context, chat_id, int(groups[1]), lang)
    elif kind == "l":
        await query.answer()
        body, keyboard = await _latest_page(context, int(groups[1]), lang)
        if query.message is not None and isinstance(query.message, Message):
            await query.message.edit_text(body, reply_markup=keyboard)
        else:
            await context.bot.send_message(chat_id, body, reply_markup=keyboard)
    else:
        user_id = _user_id(update)
        if user_id is not None:
            context.bot_data.chosen[user_id] = groups[1]
        await query.answer()
        await context.bot.send_message(chat_id, text("lang_set", groups[1]))


async def inline(update: Update, context: CustomContext) -> None:
    """Shows up to ten reports answering ``@bot question``, or a "nothing found" card."""
    query = update.inline_query
    if query is None:
        return
    question = query.query.strip()
    lang = _lang(update, context, question)
    if _problem(question) is not None:
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
            part, found, bot_username=context.bot.username, source_label=text("source", lang)
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


async def unknown_command(update: Update, context: CustomContext) -> None:
    """Says the command is unknown and points to /help."""
    if update.effective_message is not None:
        await update.effective_message.reply_text(text("unknown_command", _lang(update, context)))


def register(application: KhabriApplication) -> None:
    """Add every handler; a group message that does not address the bot reaches none of them."""
    commands = {
        "start": start,
        "help": help_command,
        "ask": ask,
        "latest": latest,
        "report": report,
        "lang": lang,
        "about": about,
        "meetings": meetings,
        **COMMAND_HANDLERS,
    }
    missing = {c.name for c in COMMANDS} ^ set(commands)
    if missing:
        raise ValueError(f"texts.COMMANDS and the handlers disagree on {sorted(missing)}")
    # First, so that its buttons come before the catch-all button handler below.
    register_subscriptions(application)
    for name, callback in commands.items():
        application.add_handler(CommandHandler(name, callback))
    plain = filters.TEXT & ~filters.COMMAND
    application.add_handler(MessageHandler(plain & filters.ChatType.PRIVATE, private_text))
    application.add_handler(MessageHandler(plain & filters.ChatType.GROUPS, group_text))
    application.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE, unknown_command))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(InlineQueryHandler(inline))
