"""Shared fixtures: a fake clock, a store on a fresh SQLite file or PostgreSQL database, an engine.

PostgreSQL tests run against TREKBOT_TEST_POSTGRES_URL (default: the local server's `test`
database). In CI (CI=true) an unreachable server fails the run instead of skipping.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from hypothesis import settings as hypothesis_settings

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import Store

# In CI, property tests draw the same examples every run, so a red run can be reproduced and
# a green one is not luck; locally they explore new examples each time.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

PG_URL = os.environ.get(
    "TREKBOT_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))


async def _pg_database() -> str:
    """Create a throw-away database on the PostgreSQL server; returns its URL."""
    import asyncpg

    base = PG_URL.replace("postgresql+asyncpg://", "postgresql://")
    name = f"trekbot_t_{uuid.uuid4().hex[:12]}"
    try:
        conn = await asyncio.wait_for(asyncpg.connect(base), timeout=5)
    except Exception as err:  # noqa: BLE001 - any failure to reach the server
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and not reachable at {base}: {err}")
        pytest.skip(f"PostgreSQL not reachable at {base} (runs in CI)")
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return PG_URL.rsplit("/", 1)[0] + "/" + name


async def _drop_pg_database(url: str) -> None:
    import asyncpg

    base = PG_URL.replace("postgresql+asyncpg://", "postgresql://")
    name = url.rsplit("/", 1)[1]
    conn = await asyncpg.connect(base)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgres"])
async def any_store(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[Store]:
    """A migrated store, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        store = Store(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
        await store.start()
        yield store
        await store.close()
        return
    url = await _pg_database()
    store = Store(url)
    await store.start()
    yield store
    await store.close()
    await _drop_pg_database(url)


@pytest.fixture
async def store(tmp_path) -> AsyncIterator[Store]:
    """A migrated store on a fresh SQLite file."""
    s = Store(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    await s.start()
    yield s
    await s.close()


@pytest.fixture
def engine(store: Store, clock: FakeClock) -> Engine:
    return Engine(store, clock)


@pytest.fixture
async def pg_url() -> AsyncIterator[str]:
    """The URL of a fresh, empty PostgreSQL database (no migrations applied)."""
    url = await _pg_database()
    yield url
    await _drop_pg_database(url)


@pytest.fixture(params=["sqlite", "postgres"])
async def any_url(request: pytest.FixtureRequest, tmp_path) -> AsyncIterator[str]:
    """The URL of a fresh, empty database, once SQLite and once PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        return
    url = await _pg_database()
    yield url
    await _drop_pg_database(url)
