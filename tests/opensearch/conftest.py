"""A real two-node OpenSearch cluster, started once per session (tools/search_cluster.py).

Skipped with the reason when Java or Maven is missing or the node cannot be built here; under CI
(``CI=true``) that is a failure instead, so a CI run never passes without the cluster tests.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tools.search_cluster import Cluster, ClusterError, build, toolchain_missing


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"the OpenSearch cluster is required in CI: {reason}")
    pytest.skip(f"no OpenSearch cluster here: {reason}")


@pytest.fixture(scope="session")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    missing = toolchain_missing()
    if missing:
        _unavailable(missing)
    try:
        build()
    except ClusterError as error:
        _unavailable(str(error))
    started = Cluster.create(tmp_path_factory.mktemp("opensearch"))
    try:
        started.start()
        yield started
    finally:
        started.stop()


@pytest.fixture
def cluster_url(cluster: Cluster) -> str:
    """The session cluster's URL, without an index name (the default index, or the caller's)."""
    return cluster.url


@pytest.fixture
async def search_url(cluster: Cluster) -> AsyncIterator[str]:
    """A fresh index name on the session's cluster; deleted after the test."""
    index = f"t-{uuid.uuid4().hex[:12]}"
    yield f"{cluster.url}/{index}"
    async with httpx.AsyncClient(timeout=30) as client:
        for node in cluster.nodes:
            try:
                await client.delete(f"http://{node.address}/{index}")
                break
            except httpx.TransportError:
                continue


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "khabri.db"
