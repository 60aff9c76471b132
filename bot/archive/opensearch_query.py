"""What OpenSearch is sent for Khabri: the index's mapping, a passage's text, a query's body (pure).

A passage is its analysed term ids, one token per occurrence; a query's groups become ``dis_max``
clauses of their weighted alternatives under a ``bool`` ``should``, and the function words a
``rescore`` of the content words' front runners (docs/scale.md, "Search on OpenSearch").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from retrieval import BM25_B, BM25_K1, RERANK, RankedQuery

FIELD = "t"
# Two shards and one replica: either node of a two-node cluster can die and every passage is still
# searchable; docs/scale.md gives the counts for larger archives.
SHARDS = 2
REPLICAS = 1
# A new report is searchable within this after its bulk request (the issue asks for 1 s; at "1s" the
# median measured 1.14 s from ingest to a hit, at "500ms" see docs/scale.md; `khabri bench --search`).
REFRESH_INTERVAL = "500ms"


def index_body(*, shards: int = SHARDS, replicas: int = REPLICAS) -> dict[str, Any]:
    """The index's settings and mapping."""
    return {
        "settings": {
            "index": {
                "number_of_shards": shards,
                "number_of_replicas": replicas,
                "refresh_interval": REFRESH_INTERVAL,
                "similarity": {"khabri": {"type": "BM25", "k1": BM25_K1, "b": BM25_B}},
            }
        },
        "mappings": {
            "dynamic": "strict",
            # The store has the passages; the index keeps only what ranking needs.
            "_source": {"enabled": False},
            "properties": {
                FIELD: {
                    "type": "text",
                    "analyzer": "whitespace",
                    "similarity": "khabri",
                    # Term frequencies and lengths, no positions: BM25 needs nothing else.
                    "index_options": "freqs",
                }
            },
        },
    }


def passage_text(term_ids: np.ndarray, tfs: np.ndarray) -> str:
    """A passage as OpenSearch indexes it: each term id once per occurrence, separated by spaces."""
    return " ".join(np.repeat(term_ids.astype(np.int64), tfs.astype(np.int64)).astype(str).tolist())


def _groups(groups: Sequence[Sequence[tuple[int, float]]]) -> list[dict[str, object]]:
    """Each group as a ``dis_max`` of its weighted alternatives: the best one counts."""
    clauses: list[dict[str, object]] = []
    for group in groups:
        alternatives = [
            {"term": {FIELD: {"value": str(term_id), "boost": float(weight)}}}
            for term_id, weight in group
            if weight > 0
        ]
        if alternatives:
            clauses.append({"dis_max": {"queries": alternatives, "tie_breaker": 0.0}})
    return clauses


def search_body(query: RankedQuery, k: int) -> dict[str, object] | None:
    """The ``_search`` body for a ranked query, or None when it has no term to look for."""
    content, function = _groups(query.content), _groups(query.function)
    body: dict[str, object] = {"size": k, "_source": False, "track_total_hits": False}
    if not content:
        if not function:
            return None
        body["query"] = {"bool": {"should": function}}
        return body
    body["query"] = {"bool": {"should": content}}
    if function:
        # As the embedded index does: the content words choose the front runners, the function words'
        # scores are added to theirs (score_mode total), and the sum orders them.
        body["rescore"] = {
            "window_size": max(k, RERANK),
            "query": {
                "rescore_query": {"bool": {"should": function}},
                "query_weight": 1.0,
                "rescore_query_weight": 1.0,
                "score_mode": "total",
            },
        }
    return body


def lucene_idf(n: int, df: int) -> float:
    """Lucene's BM25 idf, ``ln(1 + (N - df + 0.5) / (df + 0.5))``; 0.0 for a term in no passage."""
    return math.log(1 + (n - df + 0.5) / (df + 0.5)) if df and n else 0.0
