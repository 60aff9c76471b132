"""One node of the two SIGKILLed during a bulk ingest and during queries.

The index has 2 shards with 1 replica each, so either node holds a copy of every shard: searches keep
answering from the survivor, nothing the store recorded as acknowledged is lost, and the killed node
rejoins. With two cluster-manager-eligible nodes only one is in the voting configuration: while it
is down no manager can be elected, so writes wait for it (``docs/scale.md``: three such nodes in
production). Hence the ingest test first excludes the node it kills from the voting configuration,
and the query test kills the voter.
"""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from bot.archive.core import Archive
from bot.archive.opensearch import OpenSearchSearch
from bot.archive.search_url import parse_search_url
from storage import open_store
from tests.opensearch import corpus
from tools.search_cluster import Cluster


def voter(cluster: Cluster) -> str:
    """The node in the voting configuration (with two eligible nodes, only one is)."""
    live = next(node for node in cluster.nodes if node.process is not None and node.process.poll() is None)
    with urllib.request.urlopen(
        f"http://{live.address}/_cluster/state/metadata,nodes?filter_path=metadata.cluster_coordination,nodes",
        timeout=10,
    ) as reply:
        state = json.load(reply)
    [voting] = state["metadata"]["cluster_coordination"]["last_committed_config"]
    return str(state["nodes"][voting]["name"])


def _cluster_call(cluster: Cluster, method: str, path: str) -> None:
    live = next(node for node in cluster.nodes if node.process is not None and node.process.poll() is None)
    request = urllib.request.Request(f"http://{live.address}{path}", method=method)
    with urllib.request.urlopen(request, timeout=90) as reply:
        reply.read()


@pytest.fixture
def healed(cluster: Cluster) -> Iterator[Cluster]:
    """The cluster, brought back to every node and green after the test, whatever it killed."""
    yield cluster
    for node in cluster.nodes:
        if node.process is None or node.process.poll() is not None:
            cluster.start_node(node)
    cluster.wait_for_nodes(len(cluster.nodes), status="green", timeout=180)
    _cluster_call(cluster, "DELETE", "/_cluster/voting_config_exclusions?wait_for_removal=false")


@pytest.fixture
async def archive(store_path: Path, search_url: str) -> AsyncIterator[Archive]:
    opened = await Archive.open(store_path, search=search_url)
    yield opened
    await opened.close()


async def test_searches_keep_answering_while_the_cluster_manager_is_killed(
    healed: Cluster, archive: Archive
) -> None:
    await archive.ingest_records(corpus.reports())
    questions = [question for question, _ in corpus.questions()]
    expected = {q: (await archive.rank_reports(q, k=5))[0] for q in questions}
    victim = voter(healed)  # the harder case: with it gone no manager can be elected
    answered = 0
    for round_ in range(3):
        for i, question in enumerate(questions):
            if round_ == 0 and i == len(questions) // 3:
                healed.kill(victim)
            assert (await archive.rank_reports(question, k=5))[0] == expected[question], question
            answered += 1
    assert answered == 3 * len(questions)
    asked = await archive.ask(f"{corpus.CITIES[6]} में {corpus.GROUPS[1]} ने क्या मांग की")
    assert asked.answer.answered
    # The killed node rejoins the cluster with its data directory.
    healed.start_node(healed.node(victim))
    healed.wait_for_nodes(2, status="green", timeout=180)
    assert len(await archive.rank_reports(questions[0], k=5)) == 5


async def test_a_bulk_ingest_loses_nothing_when_a_node_is_killed_mid_way(
    healed: Cluster, store_path: Path, search_url: str
) -> None:
    # Two eligible nodes have one voter, and the voting configuration may move between them: the
    # victim is excluded from it first, so that the survivor keeps the quorum writes need (with
    # three cluster-manager-eligible nodes, as in production, any one may die).
    victim = next(node.name for node in healed.nodes if node.name != voter(healed))
    _cluster_call(healed, "POST", f"/_cluster/voting_config_exclusions?node_names={victim}&timeout=60s")
    assert voter(healed) != victim
    loop = asyncio.get_running_loop()
    bulks: list[str] = []

    async def kill_during_the_second_bulk(request: httpx.Request) -> None:
        if request.url.path.endswith("/_bulk"):
            bulks.append(str(request.url))
            if len(bulks) == 2:  # while this request is in flight
                loop.call_later(0.05, healed.kill, victim)

    client = httpx.AsyncClient(timeout=30, event_hooks={"request": [kill_during_the_second_bulk]})
    archive = Archive(
        await open_store(store_path), OpenSearchSearch(parse_search_url(search_url), client=client)
    )
    try:
        await archive.load()
        await _ingest_and_check(healed, archive, victim)
        assert len(bulks) > 2
    finally:
        await archive.close()


async def _ingest_and_check(healed: Cluster, archive: Archive, victim: str) -> None:
    batches = [
        [corpus.report(c, g, salt=s) for c in range(len(corpus.CITIES)) for g in range(len(corpus.GROUPS))]
        for s in range(1, 7)
    ]
    assert isinstance(archive.search, OpenSearchSearch)
    backend = archive.search
    first, *rest = batches
    assert {o.status for o in await archive.ingest_records(first)} == {"added"}
    # Meanwhile another client keeps asking about a report of the first batch.
    _, ranked = await archive.query_groups(f"{corpus.CITIES[2]} {corpus.GROUPS[2]} प्रदर्शन")
    report_id = await archive.store.reports.find_origin(corpus.report(2, 2, salt=1).origin)
    wanted = {p.id for p in await archive.store.reports.passages_of(report_id or 0)}
    reader = OpenSearchSearch(backend.target)
    answers: list[bool] = []
    done = asyncio.Event()

    async def keep_asking() -> None:
        while not done.is_set():
            answers.append(bool({h.doc_id for h in await reader.rank(ranked, 10)} & wanted))
            await asyncio.sleep(0.02)

    asking = asyncio.create_task(keep_asking())
    try:
        for batch in rest:
            outcomes = await archive.ingest_records(batch)
            assert {o.status for o in outcomes} == {"added"}
    finally:
        done.set()
        await asking
        await reader.close()
    assert len(answers) > 10
    assert all(answers)
    acknowledged = await archive.store.search_positions.get(backend.position_name)
    assert acknowledged == await archive.store.reports.last_change()
    stored = await archive.store.reports.passage_count()
    assert await backend.count() == stored
    killed = healed.node(victim).process
    assert killed is not None
    assert killed.returncode == -9  # SIGKILLed, as the hook asked
    # The node rejoins; once its copies have recovered, every passage is still there, on both nodes.
    healed.start_node(healed.node(victim))
    healed.wait_for_nodes(2, status="green", timeout=180)
    await backend.refresh()
    assert await backend.count() == stored
    for node in healed.nodes:
        counted = await backend.call(
            "GET", f"/{backend.target.index}/_count", params={"preference": f"_only_nodes:{node.name}"}
        )
        assert counted["count"] == stored, node.name
    last = batches[-1][-1]
    right = await archive.store.reports.find_origin(last.origin)
    ranked = await archive.rank_reports(f"{corpus.CITIES[-1]} {corpus.GROUPS[-1]} प्रदर्शन", k=10)
    assert right in ranked
