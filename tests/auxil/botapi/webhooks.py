"""Webhook delivery as Telegram does it: each update POSTed until the bot answers 2xx, then forgotten.

Telegram posts every update to the webhook URL (with ``X-Telegram-Bot-Api-Secret-Token`` when
``setWebhook`` gave a ``secret_token``), up to ``max_connections`` at once (default 40). An update
whose request fails — no connection, a timeout, or any status but 2xx — stays pending and is posted
again later; ``getWebhookInfo`` shows ``pending_update_count`` and the last error. So a worker that
dies with an update in hand does not lose it: it goes out again, to whoever answers at that URL.

The URL Telegram would reach over HTTPS is, here, reached through ``route_webhook(origin)``: a plain
``http://127.0.0.1:PORT`` standing in for the TLS terminator (nginx in front of the workers), the
URL's path kept. Without a route the emulator delivers nothing, as before (updates just wait).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from tests.auxil.botapi.params import dumps
from tests.auxil.botapi.records import JSONDict
from tests.auxil.botapi.updates import UpdateQueue

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass(frozen=True)
class Delivery:
    """One POST of an update to the webhook: when it started, how long it took, what came back."""

    update_id: int
    started: float
    seconds: float
    status: int | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the bot took the update (2xx)."""
        return self.status is not None and 200 <= self.status < 300


class WebhookDelivery(UpdateQueue):
    """Posts queued updates to the routed webhook; see the module docstring."""

    webhook_retry: float = 1.0
    """Seconds before a failed update is posted again (Telegram waits longer, and longer each time)."""
    webhook_timeout: float = 60.0
    """Seconds to wait for the webhook's answer before counting the attempt failed."""

    def route_webhook(self, origin: str | None) -> None:
        """Deliver webhook updates to ``origin`` (``http://127.0.0.1:PORT``) instead of the URL's host."""
        self._webhook_origin = origin.rstrip("/") if origin else None
        self._webhook_changed()

    @property
    def deliveries(self) -> list[Delivery]:
        """Every POST of an update so far, in the order they finished."""
        return list(self._deliveries)

    async def wait_for_deliveries(self, count: int, timeout: float = 10.0) -> list[Delivery]:  # noqa: ASYNC109
        """Wait until ``count`` updates have been taken (answered 2xx); return every delivery.

        Raises:
            TimeoutError: if ``timeout`` passes first.
        """
        if await self._wait_until(lambda: sum(d.ok for d in self._deliveries) >= count, timeout):
            return self.deliveries
        raise TimeoutError(f"{sum(d.ok for d in self._deliveries)} of {count} updates taken in {timeout} s")

    def taken(self, update_id: int) -> bool:
        """Whether the webhook has answered 2xx to this update."""
        return update_id in self._taken

    async def wait_taken(self, update_id: int, timeout: float = 10.0) -> bool:  # noqa: ASYNC109
        """Wait until the webhook has taken ``update_id``; False if ``timeout`` passed first."""
        return await self._wait_until(lambda: update_id in self._taken, timeout)

    def _webhook_changed(self) -> None:
        """Start delivering after setWebhook or route_webhook (the loop ends by itself when unset)."""
        wanted = bool(self._state.webhook.get("url")) and self._webhook_origin is not None
        if wanted and (self._deliverer is None or self._deliverer.done()):
            self._deliverer = asyncio.get_running_loop().create_task(self._deliver_all())
        self._notify()

    async def _stop_delivering(self) -> None:
        if self._deliverer is not None:
            self._deliverer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._deliverer
            self._deliverer = None
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _deliver_all(self) -> None:
        in_flight: dict[int, asyncio.Task[None]] = {}
        try:
            while self._state.webhook.get("url") and self._webhook_origin and not self._closing.is_set():
                limit = int(self._state.webhook.get("max_connections") or 40)
                now = time.monotonic()
                for update in self._deliverable(100):
                    uid = int(update["update_id"])
                    if len(in_flight) >= limit:
                        break
                    if uid in in_flight or self._retry_at.get(uid, 0.0) > now:
                        continue
                    task = asyncio.create_task(self._post(update))
                    in_flight[uid] = task
                    task.add_done_callback(lambda _, uid=uid: in_flight.pop(uid, None))
                retries = [at for uid, at in self._retry_at.items() if uid not in in_flight and at > now]
                pause = max(0.01, min(retries) - now) if retries else 1.0
                change = self._change  # any call, update or answer wakes the loop
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(change.wait(), pause)
        finally:
            for task in in_flight.values():
                task.cancel()

    async def _post(self, update: JSONDict) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession()
        hook = self._state.webhook
        path = urlsplit(str(hook["url"])).path or "/"
        headers = {"Content-Type": "application/json"}
        if hook.get("secret_token"):
            headers[SECRET_HEADER] = str(hook["secret_token"])
        uid = int(update["update_id"])
        started = time.time()
        status: int | None = None
        error: str | None = None
        try:
            async with self._session.post(
                f"{self._webhook_origin}{path}",
                data=dumps(update),
                headers=headers,
                timeout=aiohttp.ClientTimeout(total=self.webhook_timeout),
            ) as response:
                status = response.status
                await response.read()
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            error = f"Connection failed: {type(exc).__name__}"
        self._deliveries.append(Delivery(uid, started, time.time() - started, status, error))
        if status is not None and 200 <= status < 300:
            self._taken.add(uid)
            self._state.updates[:] = [u for u in self._state.updates if u["update_id"] != uid]
            self._retry_at.pop(uid, None)
        else:
            self._retry_at[uid] = time.monotonic() + self.webhook_retry
            self._state.webhook["last_error_date"] = int(time.time())
            self._state.webhook["last_error_message"] = error or f"Wrong response from the webhook: {status}"
        self._notify()
