"""The store on SQLite and PostgreSQL: migrations, users, dedup of messages and prompts."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

from storage import LoggedSession, Store, Tx, UserStatus
from storage.schedule_rows import Claim, claim_prompts

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


async def claim_daily(tx: Tx, user_id: int) -> bool:
    """The scheduler's claim of one daily prompt; True when this call inserted it."""
    claim = Claim(user_id, date(2026, 12, 1), "daily", claimed_at=NOW, due_at=NOW)
    return bool(await claim_prompts(tx, [claim]))


async def test_user_is_created_once_and_keeps_fields(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        user = await tx.get_or_create_user("terminal", "ana")
        user.context["answer"] = "yes"
        user.next_prompt_at = NOW
    async with any_store.transaction() as tx:
        again = await tx.get_or_create_user("terminal", "ana")
        assert again.id == user.id
        assert again.context == {"answer": "yes"}
        assert again.next_prompt_at == NOW
        assert again.status == UserStatus.ONBOARDING


async def test_a_platform_message_id_is_processed_once(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        assert await tx.mark_processed("telegram", "42", NOW)
        assert not await tx.mark_processed("telegram", "42", NOW)
        assert await tx.mark_processed("whatsapp", "42", NOW)


async def test_a_prompt_is_claimed_once_even_concurrently(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        user = await tx.get_or_create_user("terminal", "bo")

    async def claim() -> bool:
        async with any_store.transaction() as tx:
            return await claim_daily(tx, user.id)

    results = await asyncio.gather(*(claim() for _ in range(5)), return_exceptions=True)
    assert sum(r is True for r in results) == 1


async def test_delete_user_erases_every_row(any_store: Store) -> None:
    async with any_store.transaction() as tx:
        user = await tx.get_or_create_user("terminal", "cy")
        await tx.add_log(LoggedSession(user_id=user.id, day=date(2026, 12, 1), kind="done"))
        assert await claim_daily(tx, user.id)
    async with any_store.transaction() as tx:
        await tx.delete_user(user.id)
    async with any_store.transaction() as tx:
        assert await tx.user("terminal", "cy") is None
        assert list(await tx.logs(user.id)) == []
