"""How long a big report holds up the event loop while it is ingested: on the loop, and off it.

Run with ``pytest -m bench tests/bench/test_ingest_stall_bench.py -s``; the figures are printed. A
feed entry is ingested with ``off_loop=True`` (the worker processes), so questions asked meanwhile
wait for storing and indexing only, not for analysis.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from bot.archive.core import Archive
from bot.archive.report_files import ReportRecord

pytestmark = pytest.mark.bench

BODY = "\n".join(
    f"अनुच्छेद {n}: राज्य सरकार ने बाढ़ राहत के लिए नई योजना {n} की घोषणा की और जिलों को धन भेजा। " * 3
    for n in range(7000)
)  # about 4.5 MB, under the 5 MB a report may have


async def longest_stall(work: asyncio.Future[object]) -> float:
    """The longest the event loop went without running a 10 ms ticker while ``work`` ran, in seconds."""
    worst, last = 0.0, time.perf_counter()
    while not work.done():
        await asyncio.sleep(0.01)
        now = time.perf_counter()
        worst, last = max(worst, now - last - 0.01), now
    await work
    return worst


@pytest.mark.parametrize("off_loop", [False, True], ids=["on-the-loop", "off-the-loop"])
async def test_event_loop_stall_while_a_big_report_is_ingested(tmp_path: Path, off_loop: bool) -> None:
    archive = await Archive.open(tmp_path / "khabri.db")
    try:
        # Start the worker processes first: their start-up is paid once per bot, not per report.
        await archive.ingest_records(
            [ReportRecord("warm", "गर्म", "गर्म शुरुआत।", where="warm")], off_loop=off_loop
        )
        big = ReportRecord("big", "बड़ी खबर", BODY, where="big")
        started = time.perf_counter()
        work = asyncio.ensure_future(archive.ingest_records([big], off_loop=off_loop))
        stall = await longest_stall(work)
        took = time.perf_counter() - started
        [outcome] = work.result()
        size = len(BODY.encode()) / 2**20
        print(f"\n{size:.1f} MB, off_loop={off_loop}: {took:.2f} s, longest stall {stall * 1000:.0f} ms")
        assert outcome.status == "added"
    finally:
        await archive.close()
