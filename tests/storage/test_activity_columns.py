"""Migration 0003: the richer log columns and the one-file-once rule, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from storage import LoggedSession, Store
from storage.models import Base


async def test_the_migrated_schema_matches_the_models(any_store: Store) -> None:
    def diff(sync_conn):  # type: ignore[no-untyped-def]
        return compare_metadata(MigrationContext.configure(sync_conn), Base.metadata)

    async with any_store.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == []


async def test_a_file_is_logged_once_per_user(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        ann = await tx.get_or_create_user("terminal", "ann", None)
        bob = await tx.get_or_create_user("terminal", "bob", None)
        for uid in (ann.id, bob.id):
            await tx.add_log(LoggedSession(user_id=uid, day=date(2026, 12, 5), kind="done",
                                           distance_km=6.2, climb_m=420, source="file",
                                           file_hash="ab" * 32))
        await tx.add_log(LoggedSession(user_id=ann.id, day=date(2026, 12, 5), kind="done",
                                       minutes=30))  # chat logs carry no hash
    with pytest.raises(IntegrityError):
        async with any_store.transaction() as tx:
            await tx.add_log(LoggedSession(user_id=ann.id, day=date(2026, 12, 6), kind="done",
                                           source="file", file_hash="ab" * 32))
    async with any_store.transaction() as tx:
        rows = await tx.logs(ann.id)
    assert sorted(r.source for r in rows) == ["chat", "file"]
    assert next(r for r in rows if r.source == "file").distance_km == 6.2
