"""SQLite transactions start with BEGIN IMMEDIATE and stay whole: a savepoint released
inside one is not committed on its own (issue 18)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage import Store


class Boom(Exception):
    pass


async def test_a_failed_step_keeps_nothing_of_a_released_savepoint(store: Store) -> None:
    with pytest.raises(Boom):
        async with store.transaction() as tx:
            assert await tx.user("telegram", "1") is None  # a read first, as a step does
            await tx.get_or_create_user("telegram", "1", "Ana")  # a savepoint, released
            raise Boom  # the process dies here, or the step fails
    async with store.transaction() as tx:
        assert await tx.user("telegram", "1") is None


async def test_a_transaction_holds_the_write_lock_from_its_start(tmp_path: Path) -> None:
    path = tmp_path / "lock.db"
    store = Store(f"sqlite+aiosqlite:///{path}")
    await store.start()
    try:
        async with store.transaction() as tx:
            await tx.user("telegram", "1")  # only a read so far
            other = sqlite3.connect(path, timeout=0)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
    finally:
        await store.close()
