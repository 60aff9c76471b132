"""``KHABRI_SEARCH``: which OpenSearch nodes and index the archive searches (standard library only).

Read by :mod:`bot.settings` at start, so a malformed URL is reported with the other settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

SCHEME = "opensearch+http"
DEFAULT_INDEX = "khabri-passages"


class SearchError(RuntimeError):
    """The OpenSearch cluster refused a request or could not be reached on any of its nodes."""


class SearchConfigError(ValueError):
    """``KHABRI_SEARCH`` or ``--search`` is not ``opensearch+http://host:port[,host:port][/index]``."""


@dataclass(frozen=True, slots=True)
class SearchTarget:
    """Where the index lives: the nodes' base URLs and the index's name."""

    hosts: tuple[str, ...]
    index: str


def parse_search_url(url: str) -> SearchTarget:
    """Read ``opensearch+http://host:9200[,host2:9200][/index]``.

    Raises:
        SearchConfigError: another scheme, no host, a host without a port, or a bad index name.
    """
    if not url.startswith(SCHEME + "://"):
        raise SearchConfigError(f"KHABRI_SEARCH must start with {SCHEME}://, not {url[:40]!r}")
    rest = url[len(SCHEME) + 3 :]
    netloc, _, path = rest.partition("/")
    hosts = []
    for part in netloc.split(","):
        part = part.strip()
        parsed = urlsplit("http://" + part)
        try:
            port = parsed.port
        except ValueError:
            port = None
        if not parsed.hostname or port is None or parsed.path or parsed.username:
            raise SearchConfigError(f"KHABRI_SEARCH: each node is host:port, not {part!r}")
        hosts.append(f"http://{parsed.hostname}:{port}")
    index = path.strip("/") or DEFAULT_INDEX
    if not all(c.islower() or c.isdigit() or c in "-_" for c in index) or index[0] in "-_":
        raise SearchConfigError(
            f"KHABRI_SEARCH: the index name must be lowercase letters, digits, - or _: {index!r}"
        )
    return SearchTarget(tuple(hosts), index)
