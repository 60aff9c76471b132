"""The Bot API emulator, exercised through a real ``telegram.Bot`` and ``Application``."""

import asyncio
import datetime as dtm
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, EndPointNotFound, Forbidden, InvalidToken, RetryAfter
from telegram.ext import ApplicationBuilder, ContextTypes, MessageHandler, filters
from telegram.request import HTTPXRequest

from tests.auxil.botapi import BotApiEmulator, BotApiProcess

pytestmark = pytest.mark.e2e

USER = 4242
HINDI_LETTER = "क"  # one UTF-16 code unit, three UTF-8 bytes


def plain_http() -> HTTPXRequest:
    # The emulator speaks plain HTTP; skipping the TLS context saves ~50 ms per client.
    return HTTPXRequest(httpx_kwargs={"verify": False})


@pytest.fixture
async def bot(botapi: BotApiEmulator, bot_token: str) -> AsyncIterator[Bot]:
    async with Bot(
        bot_token,
        base_url=botapi.base_url,
        request=plain_http(),
        get_updates_request=plain_http(),
    ) as bot:
        yield bot


async def test_get_me_describes_the_bot(bot: Bot) -> None:
    me = await bot.get_me()
    assert (me.username, me.is_bot, me.supports_inline_queries) == ("khabri_test_bot", True, True)


async def test_send_message_is_recorded_and_returned(botapi: BotApiEmulator, bot: Bot) -> None:
    sent = await bot.send_message(USER, "नमस्ते")
    assert (sent.text, sent.chat.id, sent.from_user.id) == ("नमस्ते", USER, bot.id)
    assert botapi.sent_texts(USER) == ["नमस्ते"]


async def test_message_ids_increase_per_chat(bot: Bot) -> None:
    ids = [(await bot.send_message(chat, "x")).message_id for chat in (1, 1, 2, 1)]
    assert ids == [1, 2, 1, 3]


async def test_html_becomes_text_and_entities(bot: Bot) -> None:
    sent = await bot.send_message(USER, "<b>खबर <i>आज</i></b> &lt;3 &amp; &#x915;", parse_mode=ParseMode.HTML)
    assert sent.text == "खबर आज <3 & क"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 6),
        ("italic", 4, 2),
    ]


@pytest.mark.parametrize(
    "html",
    [
        '<a href="https://example.com/?a=1&amp;b=2">लिंक</a>',
        "<tg-spoiler>s</tg-spoiler> <span class='tg-spoiler'>s</span>",
        '<pre><code class="language-python">x = 1</code></pre>',
        "<blockquote expandable>उद्धरण</blockquote>",
        "<s>a</s><del>b</del><u>c</u><ins>d</ins><em>e</em><strong>f</strong><code>g</code>",
        "&quot;quoted&quot; &#2325;",
    ],
)
async def test_valid_html_is_accepted(bot: Bot, html: str) -> None:
    await bot.send_message(USER, html, parse_mode=ParseMode.HTML)


@pytest.mark.parametrize(
    ("html", "error"),
    [
        ("<b>x", 'find end tag corresponding to start tag "b"'),
        ("I <3 you", 'unsupported start tag "3"'),
        ("&foo; bar", 'unsupported html entity "&foo;"'),
        ("<script>alert(1)</script>", 'unsupported start tag "script"'),
        ("<b><i>x</b></i>", 'unmatched end tag at byte offset 7, expected "</i>"'),
        ("x</b>", "unexpected end tag"),
        ("<span>x</span>", 'tag "span" must have class "tg-spoiler"'),
    ],
)
async def test_malformed_html_is_rejected(bot: Bot, html: str, error: str) -> None:
    with pytest.raises(BadRequest, match="Can't parse entities") as caught:
        await bot.send_message(USER, html, parse_mode=ParseMode.HTML)
    assert error in caught.value.message.lower()


@pytest.mark.parametrize(
    ("text", "accepted"),
    [
        (HINDI_LETTER * 4096, True),
        (HINDI_LETTER * 4097, False),
        ("😀" * 2048, True),  # 4096 UTF-16 code units
        ("😀" * 2049, False),  # 2049 code points, but 4098 code units
        ("<b>" + HINDI_LETTER * 4000 + "</b>" + "<i>ख</i>" * 96, True),  # tags don't count
        ("&lt;" * 4096, True),  # nor do character references
    ],
)
async def test_length_limit_counts_utf16_after_parsing(bot: Bot, text: str, accepted: bool) -> None:
    if accepted:
        await bot.send_message(USER, text, parse_mode=ParseMode.HTML)
    else:
        with pytest.raises(BadRequest, match=r"(?i)message is too long"):
            await bot.send_message(USER, text, parse_mode=ParseMode.HTML)


@pytest.mark.parametrize("text", ["", "   ", "<b></b>"])
async def test_empty_text_is_rejected(bot: Bot, text: str) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(USER, text, parse_mode=ParseMode.HTML)


@pytest.mark.parametrize(("letters", "accepted"), [(21, True), (22, False)])
async def test_callback_data_is_limited_to_64_bytes(bot: Bot, letters: int, accepted: bool) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("हाँ", callback_data="क" * letters)]])
    if accepted:
        await bot.send_message(USER, "?", reply_markup=keyboard)
    else:
        with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
            await bot.send_message(USER, "?", reply_markup=keyboard)


async def test_button_url_must_be_reachable(bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("खोलें", url="http://localhost/x")]])
    with pytest.raises(BadRequest, match=r"(?i)wrong http url"):
        await bot.send_message(USER, "?", reply_markup=keyboard)


async def test_injected_429_raises_retry_after(botapi: BotApiEmulator, bot: Bot) -> None:
    botapi.fail_next("sendMessage", status=429, retry_after=3)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "पहला")
    assert caught.value.retry_after == dtm.timedelta(seconds=3)
    await bot.send_message(USER, "दूसरा")
    assert [call.status for call in botapi.calls("sendMessage")] == [429, 200]


async def test_blocked_chat_is_forbidden(botapi: BotApiEmulator, bot: Bot) -> None:
    botapi.block_chat(USER)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(USER, "नमस्ते")
    await bot.send_message(USER + 1, "नमस्ते")


async def test_user_blocking_the_bot_sends_my_chat_member(botapi: BotApiEmulator, bot: Bot) -> None:
    botapi.my_chat_member(USER, new_status="kicked")
    [update] = await bot.get_updates()
    assert update.my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(Forbidden):
        await bot.send_message(USER, "नमस्ते")


async def test_editing_to_the_same_text_is_not_modified(bot: Bot) -> None:
    sent = await bot.send_message(USER, "<b>एक</b>", parse_mode=ParseMode.HTML)
    edited = await bot.edit_message_text("दो", USER, sent.message_id)
    assert edited.text == "दो"
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("दो", USER, sent.message_id)


async def test_pressed_button_arrives_and_can_be_answered(botapi: BotApiEmulator, bot: Bot) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("और", callback_data="more:1")]])
    await bot.send_message(USER, "खबर", reply_markup=keyboard)
    [call] = await botapi.wait_for_calls("sendMessage")
    botapi.press_button(call, "more:1")
    [update] = await bot.get_updates()
    assert (update.callback_query.data, update.callback_query.message.text) == ("more:1", "खबर")
    assert await update.callback_query.answer("ठीक")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await update.callback_query.answer()


async def test_inline_answers_are_limited_to_50(botapi: BotApiEmulator, bot: Bot) -> None:
    botapi.inline_query(USER, "चुनाव")
    [update] = await bot.get_updates()
    results = [InlineQueryResultArticle(str(i), "शीर्षक", InputTextMessageContent("पाठ")) for i in range(51)]
    with pytest.raises(BadRequest, match=r"(?i)results_too_much"):
        await update.inline_query.answer(results)
    assert await update.inline_query.answer(results[:50])


async def test_inline_answer_text_is_validated(botapi: BotApiEmulator, bot: Bot) -> None:
    botapi.inline_query(USER, "चुनाव")
    [update] = await bot.get_updates()
    bad = InputTextMessageContent("<b>खुला", parse_mode=ParseMode.HTML)
    with pytest.raises(BadRequest, match="Can't parse entities"):
        await update.inline_query.answer([InlineQueryResultArticle("1", "t", bad)])


async def test_commands_are_kept_per_language(botapi: BotApiEmulator, bot: Bot) -> None:
    await bot.set_my_commands([("ask", "सवाल पूछें")], language_code="hi")
    assert [c.command for c in await bot.get_my_commands(language_code="hi")] == ["ask"]
    assert await bot.get_my_commands() == ()


async def test_unknown_method_is_not_found(bot: Bot) -> None:
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("frobnicate")


async def test_wrong_token_is_rejected(botapi: BotApiEmulator) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", base_url=botapi.base_url):
            pass


async def test_long_poll_returns_a_pushed_update(botapi: BotApiEmulator, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    assert not poll.done()
    update_id = botapi.send_text(USER, "क्या हुआ?")
    [update] = await asyncio.wait_for(poll, 2)
    assert (update.update_id, update.message.text) == (update_id, "क्या हुआ?")


async def test_long_poll_times_out_empty(bot: Bot) -> None:
    assert await bot.get_updates(timeout=dtm.timedelta(seconds=0.2)) == ()


async def test_get_updates_respects_offset(botapi: BotApiEmulator, bot: Bot) -> None:
    first = botapi.send_text(USER, "एक")
    second = botapi.send_text(USER, "दो")
    assert [u.update_id for u in await bot.get_updates()] == [first, second]
    assert [u.update_id for u in await bot.get_updates(offset=second)] == [second]
    assert await bot.get_updates(offset=second + 1) == ()
    assert botapi.pending_updates == []


async def test_commands_carry_a_bot_command_entity(botapi: BotApiEmulator, bot: Bot) -> None:
    botapi.send_command(USER, "ask", "आज क्या हुआ")
    [update] = await bot.get_updates()
    assert update.message.text == "/ask आज क्या हुआ"
    assert update.message.parse_entities(["bot_command"]).popitem()[1] == "/ask"


async def test_max_rate_reports_the_busiest_window(botapi: BotApiEmulator, bot: Bot) -> None:
    for chat in (1, 2, 1):
        await bot.send_message(chat, "x")
    assert botapi.max_rate(60.0, chat_id=1) == pytest.approx(2 / 60)
    assert botapi.max_rate(60.0) == pytest.approx(3 / 60)


async def test_application_answers_a_pushed_text(botapi: BotApiEmulator, bot_token: str) -> None:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(f"आपने कहा: {update.effective_message.text}")

    app = ApplicationBuilder().token(bot_token).base_url(botapi.base_url).build()
    app.add_handler(MessageHandler(filters.TEXT, echo))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=1))
        botapi.send_text(USER, "नमस्ते")
        await botapi.wait_for_replies(USER)
        await app.updater.stop()
        await app.stop()
    assert botapi.sent_texts(USER) == ["आपने कहा: नमस्ते"]
    assert botapi.pending_updates == []


async def test_separate_process_serves_the_bot(bot_token: str) -> None:
    async with BotApiProcess(bot_token) as process:
        client = process.aclient
        update_id = await client.send_text(USER, "नमस्ते")
        async with Bot(bot_token, base_url=process.base_url) as bot:
            [update] = await bot.get_updates(timeout=1)
            await bot.send_message(update.message.chat_id, "जवाब")
        assert update.update_id == update_id
        assert await client.sent_texts(USER) == ["जवाब"]


async def test_slow_method_delays_the_answer(botapi: BotApiEmulator, bot: Bot) -> None:
    botapi.slow("sendMessage", 0.3)
    started = asyncio.get_running_loop().time()
    await bot.send_message(USER, "धीरे")
    assert asyncio.get_running_loop().time() - started >= 0.3


async def test_fail_next_can_target_one_chat(botapi: BotApiEmulator, bot: Bot) -> None:
    botapi.fail_next("sendMessage", status=403, chat_id=2)
    await bot.send_message(1, "x")
    with pytest.raises(Forbidden):
        await bot.send_message(2, "x")
    await bot.send_message(2, "x")
