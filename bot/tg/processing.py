"""How updates are processed and how processing stops: chat order, and a prompt stop under load.

``ChatOrderedProcessor`` runs updates from different chats concurrently and those of one chat in
order, each under its :class:`bot.tg.once.ReplyClaim` once the store is open (so an update delivered
twice is answered once); :meth:`ChatOrderedProcessor.handle` is how the webhook server has an update
handled before it answers Telegram. ``stop_promptly`` stops the application in seconds however many
updates are waiting (``running()`` in ``bot.tg.app`` uses it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Coroutine
from typing import TYPE_CHECKING, Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

from bot.tg.once import REPLY_CLAIM, ReplyClaim

if TYPE_CHECKING:
    from bot.tg.context import KhabriApplication
    from storage import Store

logger = logging.getLogger(__name__)

# Seconds the handlers still running at shutdown get to finish before they are cancelled.
SHUTDOWN_GRACE = 3.0


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Updates from different chats run concurrently; updates from one chat run in arrival order.

    So one user's slow answer never holds up another user, and two quick messages from one user are
    answered in the order they were sent.

    At shutdown (:meth:`stop_taking`) updates not yet started are dropped, and :meth:`cancel_all`
    ends those still running, so a bot under load stops in seconds, not after its backlog.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._chats: dict[int, tuple[asyncio.Lock, int]] = {}
        self._running: set[asyncio.Task[Any]] = set()
        self._stopping = False
        self.dropped = 0
        # Set once the store is open (post_init): from then on every update's reply is claimed.
        self.store: Store | None = None
        # Updates handled through handle(), by id(): False once dropped.
        self._watched: dict[int, bool] = {}

    @property
    def stopping(self) -> bool:
        """Whether the bot is shutting down (updates are no longer taken)."""
        return self._stopping

    async def handle(self, update: Update, coroutine: Awaitable[Any]) -> bool:
        """Handle ``update`` now (within the concurrency limit and chat order); False when it was dropped.

        The webhook server awaits this before it answers Telegram, so that an update a dying or
        stopping worker did not handle is delivered again, to another worker.
        """
        self._watched[id(update)] = True
        try:
            await self.process_update(update, coroutine)
            return self._watched[id(update)]
        finally:
            del self._watched[id(update)]

    def stop_taking(self) -> None:
        """Drop every update that has not started yet (the bot is shutting down)."""
        self._stopping = True

    def cancel_all(self) -> int:
        """Cancel the updates still being handled; return how many."""
        for task in self._running:
            task.cancel()
        return len(self._running)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Await ``coroutine`` once the chat's earlier updates are done."""
        if self._stopping:
            self._drop(update, coroutine)
            return
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        claim = None
        if self.store is not None and isinstance(update, Update):
            claim = REPLY_CLAIM.set(ReplyClaim(self.store, update.update_id))
        try:
            await self._in_chat_order(update, coroutine)
        finally:
            if claim is not None:
                REPLY_CLAIM.reset(claim)
            if task is not None:
                self._running.discard(task)

    def _drop(self, update: object, coroutine: Awaitable[Any]) -> None:
        self.dropped += 1
        if id(update) in self._watched:
            self._watched[id(update)] = False
        if isinstance(coroutine, Coroutine):
            coroutine.close()  # never started: closing it keeps Python from warning

    async def _in_chat_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._chats.get(chat.id, (asyncio.Lock(), 0))
        self._chats[chat.id] = (lock, users + 1)
        try:
            async with lock:
                if self._stopping:
                    self._drop(update, coroutine)
                else:
                    await coroutine
        finally:
            lock, users = self._chats[chat.id]
            if users == 1:
                del self._chats[chat.id]
            else:
                self._chats[chat.id] = (lock, users - 1)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""


async def stop_promptly(application: KhabriApplication, grace: float = SHUTDOWN_GRACE) -> None:
    """``application.stop()`` within a few seconds, however many updates are waiting.

    PTB's stop handles every update already fetched and waits for every handler and job; under load
    that is minutes. Here the updates not started are dropped (Telegram has them as delivered: a
    restart does not see them again, which is the price of stopping now), a feed poll in progress is
    cancelled, and handlers still running after ``grace`` seconds are cancelled (their transactions
    roll back).
    """
    processor = application.update_processor
    if isinstance(processor, ChatOrderedProcessor):
        processor.stop_taking()
    queue = application.update_queue
    while not queue.empty():
        queue.get_nowait()
        queue.task_done()
        if isinstance(processor, ChatOrderedProcessor):
            processor.dropped += 1
    notifier = application.bot_data.notifier
    if notifier is not None:
        notifier.interrupt()
    stopping = asyncio.ensure_future(application.stop())
    done, _ = await asyncio.wait({stopping}, timeout=grace)
    if not done and isinstance(processor, ChatOrderedProcessor):
        cancelled = processor.cancel_all()
        logger.warning("shutting down: cancelled %d updates still being handled", cancelled)
    await stopping
    if isinstance(processor, ChatOrderedProcessor) and processor.dropped:
        logger.warning("shutting down: %d updates were not handled", processor.dropped)
