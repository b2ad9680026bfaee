"""Fixtures for channel tests: the fake Graph API server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakes.graph_api import FakeGraphAPI


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraphAPI]:
    """A fake Graph API on a free local port, recording every send."""
    fake = FakeGraphAPI()
    await fake.start()
    yield fake
    await fake.stop()
