"""Fetching from the open web without reaching inside: the guard on every feed and article request.

A feed is a url anyone who runs ``khabri feeds add`` chooses, and an entry's link is a url its
publisher chooses; what they return becomes a report that any user can read. So a fetch must never
reach the machine itself or its network (``127.0.0.1``, ``10.x``, the cloud metadata service at
``169.254.169.254`` ...). The guard has three parts:

- :func:`check_url` (at ``feeds add``, and on every request, redirects included, through an httpx
  request hook): only ``http``/``https``, a well-formed host, no ``user:password@``;
- :class:`GuardedBackend` (at connect time): the host is resolved here and the connection goes to
  an address that was checked, so a name that resolves (or re-resolves, "DNS rebinding") to an
  internal address is refused however it is spelt (``0x7f000001``, ``2130706433``, ``[::ffff:127.0.0.1]``);
- :func:`read_capped` : a body is read while streaming and abandoned past its cap.

:class:`FetchPolicy` carries the one exception tests need: ``allow_loopback`` lets ``127.0.0.1``
(and that address only) through, for a local test server. It comes from ``Settings``, which no
environment variable can set.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

import httpcore
import httpx

__all__ = [
    "FetchPolicy",
    "GuardedBackend",
    "TooLarge",
    "UnsafeURL",
    "check_address",
    "check_url",
    "guarded_client",
    "read_capped",
    "redact_url",
]

_HOST_NAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$"
)
_LOOPBACK_V4 = ipaddress.IPv4Address("127.0.0.1")
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")


class UnsafeURL(ValueError):
    """A url Khabri will not fetch; the message says why."""


class TooLarge(ValueError):
    """A response body went past its cap while it was read."""


class BlockedAddress(httpcore.ConnectError):
    """A connection refused by the guard: the host is, or resolves to, an internal address."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What the guard lets through; by default only public addresses."""

    allow_loopback: bool = False
    """Tests only: also allow ``127.0.0.1`` (no other loopback or private address)."""


def redact_url(url: str) -> str:
    """The url with any ``user:password@`` replaced by ``***@``, for lists and logs."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable url>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))


def _numeric_host(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The address a host names literally, in any spelling the resolver takes (``0x7f.1``, ``2130706433``)."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:
        # inet_aton takes the old BSD forms: hex, octal, and fewer than four parts.
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def check_address(address: ipaddress.IPv4Address | ipaddress.IPv6Address, policy: FetchPolicy) -> None:
    """Refuse an address that is not on the public internet.

    Raises:
        UnsafeURL: it is loopback, private, link-local, multicast, reserved or otherwise not global.
    """
    if isinstance(address, ipaddress.IPv6Address):
        # ::ffff:a.b.c.d and 64:ff9b::a.b.c.d reach the IPv4 address inside them.
        inner = address.ipv4_mapped or address.sixtofour
        if inner is None and address in ipaddress.IPv6Network("64:ff9b::/96"):
            inner = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if inner is not None:
            check_address(inner, policy)
    if policy.allow_loopback and address == _LOOPBACK_V4:
        return
    kinds = (
        ("a loopback address", address.is_loopback),
        ("a link-local address", address.is_link_local),
        ("a multicast address", address.is_multicast),
        ("the unspecified address", address.is_unspecified),
        ("a reserved address", address.is_reserved),
        ("a private address", address.is_private),
        ("not a public address", not address.is_global),
    )
    for kind, found in kinds:
        if found:
            raise UnsafeURL(f"{address} is {kind}")


def check_url(url: str, policy: FetchPolicy | None = None) -> SplitResult:
    """Check a url before fetching it: http(s), a well-formed host, no credentials, no internal literal.

    A host name is not resolved here (:class:`GuardedBackend` does that when it connects).

    Raises:
        UnsafeURL: the url may not be fetched; the message says why.
    """
    policy = policy or FetchPolicy()
    if any(c.isspace() or ord(c) < 0x20 for c in url):
        raise UnsafeURL("a url cannot contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise UnsafeURL(f"not a url: {error}") from None
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL(f"only http:// and https:// urls are fetched, not {parts.scheme or 'no'} scheme")
    if "@" in parts.netloc:
        raise UnsafeURL("a url may not carry a user name or password (user:pass@host)")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURL("the url has no host")
    if port == 0:
        raise UnsafeURL("port 0 is not a port")
    literal = _numeric_host(host)
    if literal is not None:
        check_address(literal, policy)
        return parts
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise UnsafeURL(f"{host!r} is not a valid host name") from None
    if not _HOST_NAME.match(ascii_host) or ascii_host.replace(".", "").isdigit():
        raise UnsafeURL(f"{host!r} is not a valid host name")
    if ascii_host in _LOCAL_NAMES or ascii_host.endswith((".localhost", ".local", ".internal")):
        raise UnsafeURL(f"{host} names this machine or its local network")
    return parts


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, connecting only to checked addresses that the host resolved to."""

    def __init__(self, policy: FetchPolicy) -> None:
        self._policy = policy
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve ``host``, refuse it unless every address is public, and connect to the first."""
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, TimeoutError) as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error or 'timed out'}") from error
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
        try:
            # Every address, not just the one used: a name with one internal address is refused whole.
            for address in addresses:
                check_address(address, self._policy)
        except UnsafeURL as error:
            raise BlockedAddress(f"refused to connect to {host}: {error}") from None
        return await self._backend.connect_tcp(
            str(addresses[0]),
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Any = None,
    ) -> httpcore.AsyncNetworkStream:
        """Never: a fetch goes to the network."""
        raise BlockedAddress("unix sockets are not fetched")

    async def sleep(self, seconds: float) -> None:
        """Sleep, as httpcore's backends do."""
        await asyncio.sleep(seconds)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, policy: FetchPolicy) -> None:
        # trust_env=False: a proxy from the environment would connect for us, past the guard.
        super().__init__(trust_env=False)
        # httpx has no public knob for httpcore's network backend, so its pool is rebuilt with ours.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=5.0,
            network_backend=GuardedBackend(policy),
        )


def guarded_client(policy: FetchPolicy, *, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    """An httpx client that fetches only what the guard allows, redirects included.

    Every request (each redirect is one) has its url checked by :func:`check_url`; every connection
    goes through :class:`GuardedBackend`. A refused url raises :class:`UnsafeURL`; a refused address
    raises ``httpx.ConnectError`` naming the address.
    """

    async def check(request: httpx.Request) -> None:
        check_url(str(request.url), policy)

    return httpx.AsyncClient(
        transport=_GuardedTransport(policy),
        headers=headers,
        # Per phase; callers bound a whole fetch with asyncio.timeout.
        timeout=httpx.Timeout(30.0),
        trust_env=False,
        max_redirects=5,
        event_hooks={"request": [check]},
    )


async def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed response, decoded (gzip and all), refusing it past ``limit`` bytes.

    Raises:
        TooLarge: the declared length or the bytes read went past ``limit``.
    """
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"the response is {int(declared):,} bytes, over the {limit:,}-byte cap")
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the response went past the {limit:,}-byte cap")
        chunks.append(chunk)
    return b"".join(chunks)
