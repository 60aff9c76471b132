"""The archive's passages searched on an OpenSearch cluster (``KHABRI_SEARCH=opensearch+http://…``).

Analysis stays in ``retrieval``: each passage goes to OpenSearch as its analysed term ids, one token
per occurrence, in one ``whitespace``-analysed field with a BM25 similarity at the project's k1 and
b, so OpenSearch never re-analyses Hindi its own way and a passage's length is every term occurrence,
all of Khabri's fields (``w: s: k: @: f:``) together, as in the embedded index. A query word's
alternatives are one ``dis_max`` (the best alternative counts), the groups ``should`` clauses with
their weights as boosts, and the function words a ``rescore`` of the content words' front runners.

The store stays the one source of truth: passages go in keyed by passage id (so a replay is
harmless) from the passage log, in log order, deletions of a replaced report's old passages in the
same bulk request as its new ones, and the log position OpenSearch acknowledged is kept in the store
(``store.search_positions``); :meth:`OpenSearchSearch.load` replays the log from there.

The HTTP client is httpx, already a dependency through python-telegram-bot: async, typed, and the
few endpoints used here (``_bulk``, ``_search``, ``_msearch``, ``_count``) need nothing more.

Over 300 lines on purpose: this is the one class behind the ``SearchBackend`` seam for a cluster,
and its parts (failover between nodes, the index's life, following the log, bulk writes, ranking,
idf) share one client and one acknowledged log position; the query bodies are apart, in
``opensearch_query``.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

import httpx

from bot.archive.opensearch_query import (
    FIELD,
    REPLICAS,
    SHARDS,
    index_body,
    lucene_idf,
    passage_text,
    search_body,
)
from bot.archive.search_url import SearchError, SearchTarget, parse_search_url
from retrieval import Hit, RankedQuery, decode_batch, decode_joined
from storage import PassageChange, Store

log = logging.getLogger(__name__)

# Passages per bulk request: a few MB of NDJSON, well under OpenSearch's 100 MB http.max_content_length.
BULK_DOCS = 5_000
# How long one request may take, and how long a request keeps trying the other nodes when one is down.
REQUEST_TIMEOUT = 30.0
RETRY_FOR = 60.0


class OpenSearchSearch:
    """The search backend on an OpenSearch cluster; any node of ``hosts`` may answer."""

    def __init__(
        self,
        target: SearchTarget,
        *,
        client: httpx.AsyncClient | None = None,
        shards: int = SHARDS,
        replicas: int = REPLICAS,
        retry_for: float = RETRY_FOR,
    ) -> None:
        self.target = target
        self.shards, self.replicas = shards, replicas
        self.retry_for = retry_for
        self._client = client or httpx.AsyncClient(timeout=REQUEST_TIMEOUT)
        self._next_host = 0
        self._seq = 0
        self._count = 0
        self._ready = False
        # A bulk request returns once its passages are searchable (the next refresh, within 1 s), as
        # the embedded index's are on return; `khabri reindex` turns this off and refreshes once.
        self.wait_for_refresh = True

    @classmethod
    def from_url(cls, url: str) -> OpenSearchSearch:
        """The backend for a ``KHABRI_SEARCH`` URL (see :func:`parse_search_url`)."""
        return cls(parse_search_url(url))

    @property
    def position_name(self) -> str:
        """The name under which the store keeps this index's acknowledged log position."""
        return f"opensearch:{self.target.index}"

    def __len__(self) -> int:
        return self._count

    # ---------------------------------------------------------------- HTTP

    async def _request(
        self,
        method: str,
        path: str,
        *,
        body: object = None,
        ndjson: str | None = None,
        params: dict[str, str] | None = None,
        ok: Iterable[int] = (200, 201),
    ) -> httpx.Response:
        """Send one request to the first node that answers, trying the others while one is down.

        A node that refuses the connection, times out, or answers 429 (its queues are full), 502-504
        (no cluster manager yet, shards recovering) or an error saying another node just left
        (``node_lost``) is skipped for the next one; after a round of all
        nodes the request waits a little and tries again, for at most ``retry_for`` seconds.

        Raises:
            SearchError: every node failed for ``retry_for`` seconds, or a node answered an error.
        """
        hosts = self.target.hosts
        deadline = asyncio.get_running_loop().time() + self.retry_for
        content: bytes | None = None
        headers = {"Content-Type": "application/json"}
        if ndjson is not None:
            content, headers = ndjson.encode(), {"Content-Type": "application/x-ndjson"}
        elif body is not None:
            content = json.dumps(body).encode()
        wanted = set(ok)
        problem = ""
        attempt = 0
        while True:
            host = hosts[(self._next_host + attempt) % len(hosts)]
            try:
                reply = await self._client.request(
                    method, host + path, content=content, headers=headers, params=params
                )
            except httpx.TransportError as error:
                problem = f"{host}: {type(error).__name__}"
            else:
                if reply.status_code in wanted:
                    self._next_host = (self._next_host + attempt) % len(hosts)
                    return reply
                if reply.status_code not in (429, 502, 503, 504) and not node_lost(reply):
                    text = " ".join(reply.text[:500].split())  # one line, whatever the server sent
                    raise SearchError(f"{method} {path}: HTTP {reply.status_code}: {text}")
                problem = f"{host}: HTTP {reply.status_code}: {reply.text[:200]}"
            attempt += 1
            if attempt % len(hosts) == 0:
                if asyncio.get_running_loop().time() > deadline:
                    raise SearchError(f"no OpenSearch node answered {method} {path}: {problem}")
                await asyncio.sleep(0.25)

    async def call(
        self, method: str, path: str, *, body: object = None, params: dict[str, str] | None = None
    ) -> Any:
        """Any other OpenSearch API, for the benchmark and the tests: the reply's JSON.

        Raises:
            SearchError: as for every request (see :meth:`_request`).
        """
        return (await self._request(method, path, body=body, params=params)).json()

    async def ensure_index(self, store: Store) -> None:
        """Create the index with its mapping unless it exists, and check that it is this store's.

        An index follows one store. The store's mark (a random number kept beside the log position)
        is written into the index's ``_meta`` when the index is created; an index carrying another
        store's mark would mix two archives' passage ids, so it is refused.

        Raises:
            SearchError: the index was built from another store, or could not be created.
        """
        if self._ready:
            return
        mark_name = self.position_name + "@store"
        mark = await store.search_positions.get(mark_name)
        if not mark:
            mark = secrets.randbelow(2**62) + 1
            async with store.transaction():
                await store.search_positions.put(mark_name, mark)
        path = "/" + self.target.index
        reply = await self._request("HEAD", path, ok=(200, 404))
        if reply.status_code == 404:
            body = index_body(shards=self.shards, replicas=self.replicas)
            body["mappings"]["_meta"] = {"khabri_store": mark}
            created = await self._request("PUT", path, body=body, ok=(200, 400))
            if created.status_code == 400 and "resource_already_exists" not in created.text:
                raise SearchError(f"could not create the index {self.target.index}: {created.text[:500]}")
        mapping: dict[str, Any] = (await self._request("GET", path + "/_mapping")).json()
        meta = {}
        for found in mapping.values():  # one index, under its own name
            meta = found.get("mappings", {}).get("_meta", {})
        if meta.get("khabri_store") != mark:
            raise SearchError(
                f"the OpenSearch index {self.target.index} was built from another store: give this store "
                f"an index of its own (opensearch+http://…/NAME) or rebuild this one with `khabri reindex`"
            )
        self._ready = True

    async def drop_index(self) -> None:
        """Delete the index (``khabri reindex`` starts from nothing)."""
        await self._request("DELETE", "/" + self.target.index, ok=(200, 404))
        self._ready = False

    async def refresh(self) -> None:
        """Make everything indexed so far searchable now."""
        await self._request("POST", f"/{self.target.index}/_refresh")

    async def count(self) -> int:
        """How many passages the index holds (as of its last refresh)."""
        reply = await self._request("GET", f"/{self.target.index}/_count")
        self._count = int(reply.json()["count"])
        return self._count

    async def health(self) -> dict[str, object]:
        """The cluster's health, as ``GET /_cluster/health`` gives it."""
        return dict((await self._request("GET", "/_cluster/health")).json())

    # ---------------------------------------------------------------- following the store

    async def load(self, store: Store) -> None:
        """Create the index if needed and replay the passage log from the position it acknowledged."""
        await self.ensure_index(store)
        if await store.search_positions.get(self.position_name + "@reindex"):
            log.warning(
                "a `khabri reindex` of %s is unfinished: run it again to complete it", self.target.index
            )
        self._seq = await store.search_positions.get(self.position_name)
        await self.sync(store)
        await self.count()

    async def sync(self, store: Store) -> int:
        """Send the passage log written since the acknowledged position; record the new position.

        Each batch of log entries is one bulk request, in log order; only once OpenSearch has
        acknowledged every item is the position moved past it, so a crash in between replays it.
        """
        await self.ensure_index(store)
        applied = 0
        while changes := await store.reports.changes(after_seq=self._seq, limit=BULK_DOCS):
            await self.bulk(changes)
            async with store.transaction():
                await store.search_positions.put(self.position_name, changes[-1].seq)
            self._seq = changes[-1].seq
            applied += len(changes)
        if applied:
            await self.count()
        return applied

    async def follow_from(self, store: Store, seq: int) -> int:
        """Take ``seq`` as the acknowledged log position and apply the log after it (after a reindex)."""
        self._seq = seq
        return await self.sync(store)

    async def bulk(self, changes: Sequence[PassageChange]) -> None:
        """Index and delete passages as the log entries say, in one bulk request.

        Raises:
            SearchError: OpenSearch did not acknowledge every item (a deletion of a passage it never
                had counts as done).
        """
        adds = [c for c in changes if c.op != "del" and c.terms is not None]
        texts: dict[int, str] = {}
        if adds:
            ids, offsets, terms, tfs = decode_batch(
                [c.passage_id for c in adds], [c.terms or b"" for c in adds]
            )
            for i, passage_id in enumerate(ids.tolist()):
                lo, hi = int(offsets[i]), int(offsets[i + 1])
                texts[passage_id] = passage_text(terms[lo:hi], tfs[lo:hi])
        lines: list[str] = []
        for change in changes:
            if change.op == "del":
                lines.append(json.dumps({"delete": {"_id": str(change.passage_id)}}))
            elif change.passage_id in texts:
                lines.append(json.dumps({"index": {"_id": str(change.passage_id)}}))
                lines.append(json.dumps({FIELD: texts[change.passage_id]}))
        await self._send_bulk(lines)

    async def index_packed(self, ids: Sequence[int], sizes: Sequence[int], blob: bytes) -> None:
        """Index passages given as the store packs them (``passage_terms_packed``): for a reindex."""
        doc_ids, offsets, terms, tfs = decode_joined(ids, sizes, blob)
        lines: list[str] = []
        for i, passage_id in enumerate(doc_ids.tolist()):
            lo, hi = int(offsets[i]), int(offsets[i + 1])
            lines.append(json.dumps({"index": {"_id": str(passage_id)}}))
            lines.append(json.dumps({FIELD: passage_text(terms[lo:hi], tfs[lo:hi])}))
        await self._send_bulk(lines)

    async def _send_bulk(self, lines: list[str]) -> None:
        if not lines:
            return
        params = {"refresh": "wait_for"} if self.wait_for_refresh else None
        reply = await self._request(
            "POST", f"/{self.target.index}/_bulk", ndjson="\n".join(lines) + "\n", params=params
        )
        result = reply.json()
        if result.get("errors"):
            failed = [
                item
                for entry in result["items"]
                for op, item in entry.items()
                if not (
                    200 <= item.get("status", 500) < 300 or (op == "delete" and item.get("status") == 404)
                )
            ]
            if failed:
                raise SearchError(
                    f"OpenSearch refused {len(failed)} of {len(result['items'])} items: {failed[0]}"
                )

    # ---------------------------------------------------------------- searching

    async def rank(self, query: RankedQuery, k: int) -> list[Hit]:
        """The ``k`` best passages, scored by OpenSearch with global term statistics."""
        body = search_body(query, k)
        if body is None:
            return []
        # dfs_query_then_fetch: idf from every shard's statistics, as one index would have them,
        # rather than each shard's own (which differ on a small archive split in two).
        reply = await self._request(
            "POST",
            f"/{self.target.index}/_search",
            body=body,
            params={"search_type": "dfs_query_then_fetch"},
        )
        hits = reply.json()["hits"]["hits"]
        return [Hit(int(hit["_id"]), float(hit["_score"])) for hit in hits if hit["_score"] > 0]

    async def idf(self, term_ids: Iterable[int]) -> dict[int, float]:
        """Lucene's idf of each term, from its document frequency on the cluster."""
        wanted = sorted(set(term_ids))
        if not wanted:
            return {}
        lines: list[str] = []
        for term_id in wanted:
            lines.append("{}")
            lines.append(
                json.dumps({"size": 0, "track_total_hits": True, "query": {"term": {FIELD: str(term_id)}}})
            )
        reply = await self._request("POST", f"/{self.target.index}/_msearch", ndjson="\n".join(lines) + "\n")
        n = self._count
        found: dict[int, float] = {}
        for term_id, answer in zip(wanted, reply.json()["responses"], strict=True):
            if "error" in answer:
                raise SearchError(f"could not count term {term_id}: {answer['error']}")
            found[term_id] = lucene_idf(n, int(answer["hits"]["total"]["value"]))
        return found

    def unknown_idf(self) -> float:
        """Lucene's idf of a term in one passage of N + 1 (1.0 for an empty index)."""
        n = self._count
        return lucene_idf(n + 1, 1) if n else 1.0

    async def close(self) -> None:
        """Close the HTTP connections."""
        await self._client.aclose()


# The errors a node answers while the cluster has not yet noticed that another node is gone: a search
# whose shards sat on it fails in its fetch phase until the shards are reassigned.
NODE_LOST = (
    "node_not_connected_exception",
    "node_disconnected_exception",
    "no_shard_available_action_exception",
)


def node_lost(reply: httpx.Response) -> bool:
    """Whether an error reply says only that a node of the cluster was lost (worth trying again)."""
    return reply.status_code >= 500 and any(kind in reply.text for kind in NODE_LOST)
