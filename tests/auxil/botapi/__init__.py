"""A local Telegram Bot API emulator for end-to-end tests, served over HTTP on 127.0.0.1.

The real ``telegram.Bot``/``Application`` talks to it through ``base_url``, so the fake sits at
the network edge only. It serves ``getUpdates`` from a queue the test fills (``send_text``,
``press_button``, …), answers the sending methods the way Telegram does (same JSON, same
status codes and descriptions, same validation of HTML, lengths and keyboards; see
``tests.auxil.botapi_html``), and records every call for the test to assert on.

Run it in the test's event loop::

    async with BotApiEmulator() as api:
        app = ApplicationBuilder().token(api.token).base_url(api.base_url).build()
        ...
        api.send_text(user_id=42, text="नमस्ते")
        [reply] = await api.wait_for_replies(42)

or as its own process (``python -m tests.auxil.botapi --port 0 --token T`` prints the port),
driven through ``/_control/...`` by ``BotApiClient``/``AsyncBotApiClient``; ``BotApiProcess``
starts and stops one.

Errors the Bot API would give surface in PTB as usual: 400 → ``BadRequest``, 403 →
``Forbidden``, 401/404 → ``InvalidToken``, 409 → ``Conflict``, 429 with
``parameters.retry_after`` → ``RetryAfter``.

Modules: ``emulator`` (the server and routing), ``state`` (its memory), ``chats`` (chats and
messages), ``updates`` (the update queue), ``users`` (what users do), ``faults`` (injected
failures), ``inspection`` (what tests read back), ``methods``, ``messages`` and ``members``
(the Bot API methods; ``members`` also sets who administers a group and forges button presses),
``rules`` and ``tests.auxil.botapi_html`` (what Telegram rejects), ``params`` (reading a call),
``records`` (``Call``, ``ApiError``), ``client`` and ``process`` (the emulator in another process).
"""

from tests.auxil.botapi.client import AsyncBotApiClient, BotApiClient
from tests.auxil.botapi.emulator import BotApiEmulator
from tests.auxil.botapi.process import BotApiProcess
from tests.auxil.botapi.records import (
    DEFAULT_FIRST_NAME,
    DEFAULT_USERNAME,
    TEST_TOKEN,
    ApiError,
    Call,
    ChatId,
    JSONDict,
)

__all__ = [
    "DEFAULT_FIRST_NAME",
    "DEFAULT_USERNAME",
    "TEST_TOKEN",
    "ApiError",
    "AsyncBotApiClient",
    "BotApiClient",
    "BotApiEmulator",
    "BotApiProcess",
    "Call",
    "ChatId",
    "JSONDict",
]
