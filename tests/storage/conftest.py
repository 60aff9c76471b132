"""The storage tests run on both backends: ``store`` here opens ``store_location``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import Store, open_store


@pytest.fixture
async def store(store_location: Path | str) -> AsyncIterator[Store]:
    opened = await open_store(store_location)
    try:
        yield opened
    finally:
        await opened.close()
