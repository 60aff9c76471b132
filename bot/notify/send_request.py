"""A Bot API transport for the sender that commits a delivery's claim at the last possible moment.

Telegram's ``sendMessage`` has no idempotency key, so the only way to promise "never twice" through a
crash is to record ``sending`` before the request leaves and never resend such a row. What can still
go wrong is the process dying *between* that record and the request leaving: the row is then
``unknown`` and its message is lost. With httpx that gap is its whole async stack (about 1.5 ms a
request, measured); here the HTTP/1.1 request is built and the connection opened first, the claim
is committed, and the bytes are handed to the socket right after, with no other await in between,
so the gap is one hop back from the database thread (about 0.1 ms).

The sender sets :data:`CLAIM` to a coroutine function committing the claim; a request made without it
(``getMe``) is sent plainly. PTB turns a status and body into its usual exceptions (``RetryAfter``,
``Forbidden``, ...); failures of the transport itself reach the caller as PTB's ``NetworkError`` with
one of these causes:

    NotSent          the request certainly did not leave (no connection; claim refused)
    AnswerLost       it left, but no complete answer came back: it may or may not have arrived
"""

from __future__ import annotations

import asyncio
import contextvars
import ssl
import time
from collections.abc import Awaitable, Callable
from urllib.parse import urlencode, urlsplit

from telegram.request import BaseRequest, RequestData

# Set by the sender around one send: commits the row's claim; False when the row is no longer pending.
CLAIM: contextvars.ContextVar[Callable[[], Awaitable[bool]] | None] = contextvars.ContextVar(
    "khabri_claim", default=None
)
# A kept-alive connection idle longer than this may have been closed by the server: open a new one.
_IDLE = 4.0


class NotSent(Exception):
    """The request did not leave: nothing can have arrived."""


class AnswerLost(Exception):
    """The request left but its answer did not come back complete: it may or may not have arrived."""


Connection = tuple[asyncio.StreamReader, asyncio.StreamWriter, float]
# A timeout PTB passes: seconds, None, or ``BaseRequest.DEFAULT_NONE`` ("not set"). PTB spells the
# type ``ODVInput[float]`` in a private module, so the annotation here is the widest one that
# accepts it (``object``); :func:`_seconds` narrows it.
Timeout = object


def _seconds(value: Timeout, default: float) -> float:
    """The seconds asked for, or ``default`` when PTB left the timeout unset (None or DEFAULT_NONE)."""
    if isinstance(value, int | float):
        return float(value)
    return default


class ClaimingRequest(BaseRequest):
    """HTTP/1.1 over asyncio streams, keep-alive, form-encoded bodies; see the module docstring."""

    def __init__(self, *, connect_timeout: float = 10.0, read_timeout: float = 30.0) -> None:
        self._connect_timeout = connect_timeout
        self._read_timeout = read_timeout
        self._idle: list[Connection] = []
        self._ssl: ssl.SSLContext | None = None

    @property
    def read_timeout(self) -> float:
        """Seconds to wait for an answer."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Nothing to prepare: connections open on first use."""

    async def shutdown(self) -> None:
        """Close the idle connections."""
        idle, self._idle = self._idle, []
        for _, writer, _ in idle:
            writer.close()

    async def _connect(self, host: str, port: int, secure: bool, seconds: float) -> Connection:
        while self._idle:
            reader, writer, used = self._idle.pop()
            if time.monotonic() - used < _IDLE and not reader.at_eof() and not writer.is_closing():
                return reader, writer, used
            writer.close()
        if secure and self._ssl is None:
            self._ssl = ssl.create_default_context()
        try:
            async with asyncio.timeout(seconds):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=self._ssl if secure else None, server_hostname=host if secure else None
                )
        except (OSError, TimeoutError) as error:
            raise NotSent(f"cannot connect to {host}:{port}: {error!r}") from error
        return reader, writer, time.monotonic()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Send one request; commit the claim (if any) just before the bytes leave."""
        parts = urlsplit(url)
        secure = parts.scheme == "https"
        host = parts.hostname or ""
        port = parts.port or (443 if secure else 80)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        # Form-encoded, as PTB's own HTTPXRequest sends it (nested objects as JSON strings).
        if request_data is not None and request_data.contains_files:
            # Nothing of Khabri uploads files; this transport sends forms, not multipart bodies.
            raise NotSent(f"{method} with files is not supported by this transport")
        body = urlencode(request_data.json_parameters if request_data is not None else {}).encode()
        head = (
            f"{method} {target} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: khabri\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            "Connection: keep-alive\r\n\r\n"
        )
        payload = head.encode("ascii") + body
        reader, writer, _ = await self._connect(
            host, port, secure, _seconds(connect_timeout, self._connect_timeout)
        )
        claim = CLAIM.get()
        if claim is not None and not await claim():
            self._idle.append((reader, writer, time.monotonic()))
            raise NotSent("the delivery is no longer pending")
        # No await between the committed claim and this write: the request is in the kernel now.
        writer.write(payload)
        try:
            async with asyncio.timeout(_seconds(read_timeout, self._read_timeout)):
                await writer.drain()
                status, reusable, answer = await _read_response(reader)
        except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
            writer.close()
            raise AnswerLost(f"{method} {parts.path.rsplit('/', 1)[-1]}: {error!r}") from error
        if reusable:
            self._idle.append((reader, writer, time.monotonic()))
        else:
            writer.close()
        return status, answer


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool, bytes]:
    """Status, whether the connection may be reused, and the body of one HTTP/1.1 response."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    if not version.startswith("HTTP/1."):
        raise ValueError(f"not an HTTP/1.x response: {lines[0]!r}")
    status = int(rest.split(" ", 1)[0])
    headers = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    reusable = headers.get("connection", "").lower() != "close"
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";", 1)[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")
                break
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)
        return status, reusable, b"".join(chunks)
    if "content-length" in headers:
        return status, reusable, await reader.readexactly(int(headers["content-length"]))
    return status, False, await reader.read()
