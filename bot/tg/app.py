"""The composition root: ``build_application(settings)`` wires the Telegram application together.

The archive opens in ``post_init`` (migrations, seeds, index) and closes in ``post_shutdown``; the
handlers reach it through the typed context. ``running()`` drives the application's lifecycle inside
an event loop that is already running (the ``khabri`` command's, or a test's), by polling or through
a webhook server; ``serve()`` adds the signal handling of ``khabri run``.

Over 300 lines on purpose: it is the composition root, where the handlers, the jobs, the lifecycle
and the transport are wired together so that the whole application reads in one place; what they
do lives in ``handlers/``, ``processing``, ``budget``, ``webhook_server`` and ``bot.notify``.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import hashlib
import hmac
import logging
import os
import signal
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlsplit

from telegram import BotCommand, BotCommandScopeChat, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest

from bot.archive.core import Archive
from bot.notify.delivery import DeliveryOptions, Notifier
from bot.notify.lease import Lease, describe
from bot.notify.netguard import FetchPolicy
from bot.notify.send_request import ClaimingRequest
from bot.render.texts import ADMIN_COMMANDS, COMMANDS, EXAMPLES, command_description
from bot.settings import Settings
from bot.tg.budget import ReplyBudget, RetryingRateLimiter
from bot.tg.context import BotData, CustomContext, KhabriApplication
from bot.tg.errors import handle_error
from bot.tg.handlers import register
from bot.tg.processing import ChatOrderedProcessor, stop_promptly
from bot.tg.webhook_server import WebhookServer
from storage import Store

logger = logging.getLogger(__name__)

SYNC_INTERVAL = 10.0
QUESTIONS_PER_MINUTE = 10
# Messages the bot may send one chat a minute (and at once): Telegram's own limit for groups.
REPLIES_PER_MINUTE = 20
CONCURRENT_UPDATES = 16
# How often delivered notifications older than KHABRI_OUTBOX_KEEP_DAYS lose their text.
PRUNE_INTERVAL = 6 * 3600.0
# Answered updates are remembered this long: Telegram stops delivering an update again after a day.
ANSWERED_KEEP = 2 * 86_400.0
POLL_LEASE = "getUpdates"


class AnotherPoller(RuntimeError):
    """Another worker polls Telegram for this bot's updates, with this store; Telegram allows one."""


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    archive: Archive | None = None,
    sync_interval: float = SYNC_INTERVAL,
    questions_per_minute: int = QUESTIONS_PER_MINUTE,
    replies_per_minute: int = REPLIES_PER_MINUTE,
    delivery: DeliveryOptions | None = None,
) -> KhabriApplication:
    """The bot's application, not yet started.

    Args:
        settings: the token, Bot API base url and store path.
        request: the HTTP client for Bot API calls (tests pass a plain-HTTP one).
        get_updates_request: the HTTP client for ``getUpdates``.
        archive: an archive already open, which the caller closes; by default ``post_init`` opens
            ``settings.db_path`` and ``post_shutdown`` closes it.
        sync_interval: seconds between looks for reports ingested by another process.
        questions_per_minute: how many questions one user may ask a minute.
        replies_per_minute: how many messages the bot may send one chat a minute (and in a burst).
        delivery: timings of subscription matching, sending and feed polling.

    Raises:
        ValueError: there is no token, or a limit is not positive.
    """
    if not settings.token:
        raise ValueError("TELEGRAM_BOT_TOKEN is required to run the Telegram bot")
    if sync_interval <= 0 or questions_per_minute < 1:
        raise ValueError("sync_interval and questions_per_minute must be positive")
    # PTB 22 warns on each read of an int-valued period (RetryAfter.retry_after) unless opted in to
    # timedelta; PTB reads this variable on every access, so setting it here is early enough.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    limiter = RetryingRateLimiter(
        budget=ReplyBudget(per_minute=replies_per_minute, capacity=replies_per_minute)
    )
    if request is None:
        # The bot's own transport: a reply's claim (bot.tg.once) is taken just before its bytes leave,
        # and it costs less than HTTPX a request. getUpdates (polling) keeps PTB's HTTPX client.
        request = ClaimingRequest()
    limiter.claims_in_transport = isinstance(request, ClaimingRequest)
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .context_types(ContextTypes(context=CustomContext, bot_data=BotData))
        .defaults(
            Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True))
        )
        .rate_limiter(limiter)
        .concurrent_updates(ChatOrderedProcessor(CONCURRENT_UPDATES))
        .post_init(_opener(settings))
        .post_shutdown(_close)
    )
    if settings.api_base_url:
        builder = builder.base_url(settings.api_base_url)
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    # The rate limiter makes the bot ExtBot[int]; handlers only use what ExtBot[None] has.
    application = cast("KhabriApplication", builder.build())
    application.bot_data.archive = archive
    application.bot_data.settings = settings
    application.bot_data.owns_archive = archive is None
    application.bot_data.questions_per_minute = questions_per_minute
    options = delivery or DeliveryOptions()
    application.bot_data.notifier = Notifier(
        settings.token,
        base_url=settings.api_base_url,
        options=options,
        policy=FetchPolicy(allow_loopback=settings.fetch_loopback),
    )
    register(application)
    application.add_error_handler(handle_error)
    if application.job_queue is not None:
        application.job_queue.run_repeating(
            sync_archive, interval=sync_interval, first=sync_interval, name="sync"
        )
        application.job_queue.run_repeating(
            poll_feeds, interval=options.feed_check, first=min(5.0, options.feed_check), name="feeds"
        )
        application.job_queue.run_repeating(
            prune_outbox, interval=PRUNE_INTERVAL, first=min(60.0, PRUNE_INTERVAL), name="prune"
        )
    return application


def _opener(settings: Settings) -> Callable[[KhabriApplication], Coroutine[Any, Any, None]]:
    async def post_init(application: KhabriApplication) -> None:
        data = application.bot_data
        if data.archive is None:
            data.archive = await Archive.open(
                settings.db_path, search=settings.search, dictionary=settings.dictionary
            )
        if data.polling:
            # Before anything else starts (the sender above all): a refused worker does nothing.
            data.poll_lease = await take_poll_lease(data.archive.store)
            if application.job_queue is not None:
                application.job_queue.run_repeating(
                    renew_poll_lease,
                    interval=data.poll_lease.renew_every,
                    first=data.poll_lease.renew_every,
                    name="poll-lease",
                )
        processor = application.update_processor
        if isinstance(processor, ChatOrderedProcessor):
            processor.store = data.archive.store
        data.chosen = await data.archive.store.chats.languages()
        async with data.archive.store.transaction():
            data.examples = tuple([(await data.archive.store.questions.remember(q), q) for q in EXAMPLES])
        await set_commands(application)
        if data.notifier is not None:
            await data.notifier.start(data.archive, application.bot.username)

    return post_init


async def _close(application: KhabriApplication) -> None:
    data = application.bot_data
    if data.notifier is not None:
        await data.notifier.stop()
    if data.poll_lease is not None:
        await data.poll_lease.release()
        data.poll_lease = None
    if data.archive is not None and data.owns_archive:
        await data.archive.close()
        data.archive = None


async def set_commands(application: KhabriApplication) -> None:
    """The command menu in Hindi (``language_code="hi"``) and in English (everyone else).

    Each operator's private chat also gets the operator commands.
    """
    settings = application.bot_data.settings
    admins = sorted(settings.admins) if settings is not None else []
    for lang, code in (("hi", "hi"), ("en", None)):
        menu = [BotCommand(c.name, command_description(c, lang)) for c in COMMANDS]
        operator = menu + [BotCommand(c.name, command_description(c, lang)) for c in ADMIN_COMMANDS]
        try:
            await application.bot.set_my_commands(menu, language_code=code)
            for admin in admins:
                await application.bot.set_my_commands(
                    operator, scope=BotCommandScopeChat(admin), language_code=code
                )
        except TelegramError as error:
            # A missing menu is cosmetic (an operator who never wrote to the bot has no chat yet).
            logger.warning("could not set the %s command menu: %s", lang, error)


async def take_poll_lease(store: Store) -> Lease:
    """The ``getUpdates`` lease for this worker.

    Raises:
        AnotherPoller: a live worker holds it; the message says which and what to do.
    """
    lease = Lease(store, POLL_LEASE)
    if not await lease.acquire():
        found = await lease.current()
        who = describe(found, time.time()) if found is not None else "another worker"
        raise AnotherPoller(
            f"another worker is already polling Telegram for updates with this store: {who}. "
            "Telegram allows one getUpdates consumer per bot: stop that worker, or run every worker "
            "with --webhook behind a load balancer (docs/scale.md)."
        )
    return lease


async def renew_poll_lease(context: CustomContext) -> None:
    """Keep the getUpdates lease while polling (a JobQueue job)."""
    lease = context.bot_data.poll_lease
    if lease is not None and not await lease.acquire():
        logger.error("another worker took the getUpdates lease; two pollers now conflict at Telegram")


async def prune_outbox(context: CustomContext) -> None:
    """Empty the text of notifications delivered long ago, forget old answered updates (a JobQueue job).

    See ``Outbox.prune`` and ``bot.tg.once``.
    """
    archive, settings = context.bot_data.archive, context.bot_data.settings
    if archive is None or settings is None:
        return
    async with archive.store.transaction():
        pruned = await archive.store.outbox.prune(older_than=settings.outbox_keep_days * 86_400)
        await archive.store.updates.prune(before=time.time() - ANSWERED_KEEP)
    if pruned:
        logger.info("pruned %d delivered notifications", pruned)


async def sync_archive(context: CustomContext) -> None:
    """Make reports ingested by another process searchable (a JobQueue job)."""
    archive = context.bot_data.archive
    if archive is not None:
        applied = await archive.sync()
        if applied:
            logger.info("synced %d passage changes", applied)
    if context.bot_data.notifier is not None:
        await context.bot_data.notifier.match()


async def poll_feeds(context: CustomContext) -> None:
    """Poll the news feeds whose time has come (a JobQueue job)."""
    if context.bot_data.notifier is not None:
        await context.bot_data.notifier.poll_feeds()


@dataclass(frozen=True, slots=True)
class Webhook:
    """Where Telegram posts updates (``url``) and where the local server listens for them."""

    url: str
    host: str
    port: int
    path: str
    secret_token: str

    @classmethod
    def parse(cls, url: str, listen: str, token: str) -> Webhook:
        """Check ``url`` and ``HOST:PORT``; the secret token is derived from the bot token.

        Raises:
            ValueError: the url is not https, or ``listen`` is not ``HOST:PORT``.
        """
        parts = urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            raise ValueError(f"the webhook URL must be https://HOST/PATH, not {url!r}")
        host, colon, port = listen.rpartition(":")
        if not colon or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"--listen must be HOST:PORT, e.g. 0.0.0.0:8443, not {listen!r}")
        return cls(
            url, host.strip("[]") or "0.0.0.0", int(port), parts.path.strip("/"), webhook_secret(token)
        )


def webhook_secret(token: str) -> str:
    """A secret for the webhook derived from the bot token: stable across restarts, never the token."""
    return hmac.new(token.encode(), b"khabri-webhook", hashlib.sha256).hexdigest()


@contextlib.asynccontextmanager
async def running(
    application: KhabriApplication,
    *,
    webhook: Webhook | None = None,
    poll_timeout: float = 10.0,
) -> AsyncIterator[KhabriApplication]:
    """Run the application (as ``run_polling``/``run_webhook`` do) until the block exits.

    Order, as in PTB: initialize, post_init, updater, start ... stop, shutdown, post_shutdown. A
    webhook is served by ``bot.tg.webhook_server`` (the secret checked before the body is read), not
    by PTB's updater.
    """
    updater = application.updater
    if updater is None:
        raise ValueError("the application has no updater")
    await application.initialize()
    server: WebhookServer | None = None
    application.bot_data.polling = webhook is None
    try:
        if application.post_init is not None:
            await application.post_init(application)
        if webhook is None:
            await updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=poll_timeout))
        else:
            server = WebhookServer(
                application.bot,
                _handler(application),
                path=webhook.path,
                secret=webhook.secret_token,
            )
            server.listen(webhook.host, webhook.port)
        await application.start()
        try:
            if webhook is not None:
                # Once the application runs: Telegram may post the first update at once.
                await application.bot.set_webhook(webhook.url, secret_token=webhook.secret_token)
            yield application
        finally:
            if updater.running:
                await updater.stop()
            if application.running:
                # Updates arriving from now on are refused (503) and so delivered again elsewhere.
                await stop_promptly(application)
            if server is not None:
                await server.stop()
    finally:
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)


def _handler(application: KhabriApplication) -> Callable[[Update], Coroutine[Any, Any, bool]]:
    """How the webhook server has one update handled, and learns whether it was."""
    processor = application.update_processor

    async def handle(update: Update) -> bool:
        if not application.running:
            return False
        if isinstance(processor, ChatOrderedProcessor):
            return await processor.handle(update, application.process_update(update))
        await application.update_queue.put(update)  # pragma: no cover - build_application sets ours
        return True

    return handle


async def serve(
    application: KhabriApplication,
    *,
    webhook: Webhook | None = None,
    on_ready: Callable[[], None] | None = None,
) -> None:
    """Run until SIGINT or SIGTERM; ``on_ready`` is called once the bot has reached the Bot API."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        async with running(application, webhook=webhook):
            if on_ready is not None:
                on_ready()
            await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
