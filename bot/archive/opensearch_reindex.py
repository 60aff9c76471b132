"""``khabri reindex``'s work: rebuild an OpenSearch index from the store, resumably."""

from __future__ import annotations

from collections.abc import Callable

from bot.archive.opensearch import BULK_DOCS, OpenSearchSearch
from storage import Store


async def reindex(
    backend: OpenSearchSearch,
    store: Store,
    *,
    on_progress: Callable[[int, int], object] | None = None,
    batch_size: int = BULK_DOCS,
) -> int:
    """Rebuild the index from the store's passages; resumable. Return how many passages were sent.

    The log position at the start is kept in the store (``…@reindex``) with the last passage id
    sent (``…@reindex-id``): an interrupted reindex, run again, goes on from there. When every
    passage is in, the acknowledged position becomes the start's, and the log written meanwhile
    is replayed.
    """
    name = backend.position_name
    started = await store.search_positions.get(name + "@reindex")
    after_id = 0
    if started:
        after_id = await store.search_positions.get(name + "@reindex-id")
        await backend.ensure_index(store)
    else:
        # Stored as seq + 1, so that an empty store's reindex (seq 0) still reads as started.
        started = await store.reports.last_change() + 1
        await backend.drop_index()
        await backend.ensure_index(store)
        async with store.transaction():
            await store.search_positions.put(name + "@reindex", started)
            await store.search_positions.put(name + "@reindex-id", 0)
    total = await store.reports.passage_count()
    if after_id:
        await backend.refresh()
    # The passages a resumed reindex sent before it stopped are in the index already.
    done = await backend.count() if after_id else 0
    wait, backend.wait_for_refresh = backend.wait_for_refresh, False
    sent = 0
    try:
        while (batch := await store.reports.passage_terms_packed(after_id=after_id, limit=batch_size)).ids:
            await backend.index_packed(batch.ids, batch.sizes, batch.blob)
            after_id = max(batch.ids)
            async with store.transaction():
                await store.search_positions.put(name + "@reindex-id", after_id)
            sent += len(batch.ids)
            done += len(batch.ids)
            if on_progress is not None:
                on_progress(done, total)
    finally:
        backend.wait_for_refresh = wait
    await backend.refresh()
    async with store.transaction():
        await store.search_positions.put(name, started - 1)
        await store.search_positions.put(name + "@reindex", 0)
    await backend.follow_from(store, started - 1)
    await backend.count()
    return sent
