"""``khabri reindex``: rebuild the OpenSearch index from the store, with a progress bar; resumable."""

from __future__ import annotations

import sys
from pathlib import Path

from bot.archive.search_url import SearchError
from storage import StoreError, open_store


async def reindex(db: Path | str, search: str | None) -> int:
    """Send every stored passage to the OpenSearch index anew; exit 1 when the cluster or store fails."""
    if not search:
        print(
            "khabri: reindex rebuilds an OpenSearch index: set KHABRI_SEARCH or pass "
            "--search opensearch+http://host:9200",
            file=sys.stderr,
        )
        return 2
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from bot.archive.opensearch import OpenSearchSearch
    from bot.archive.opensearch_reindex import reindex as reindex_store

    backend = OpenSearchSearch.from_url(search)
    try:
        store = await open_store(db)
    except StoreError as error:
        await backend.close()
        print(f"khabri: {error}", file=sys.stderr)
        return 1
    try:
        columns = ("{task.description}", BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, disable=not sys.stderr.isatty()) as progress:
            task = progress.add_task("reindexing", total=None)
            sent = await reindex_store(
                backend,
                store,
                on_progress=lambda done, total: progress.update(task, completed=done, total=total),
            )
        print(f"reindexed {sent} passages into {backend.target.index}; it holds {len(backend)}")
        return 0
    except (SearchError, StoreError) as error:
        print(f"khabri: {error}; run `khabri reindex` again to go on from where it stopped", file=sys.stderr)
        return 1
    finally:
        await backend.close()
        await store.close()
