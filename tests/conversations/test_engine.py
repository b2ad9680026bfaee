"""The engine: dedup of redeliveries, one reply at least, and users who come back."""

from __future__ import annotations

from datetime import timedelta

from bot.clock import FakeClock
from conversations.engine import Engine
from conversations.messages import Incoming, Kind
from storage import Store, UserStatus

ANSWERS = ["/start", "yes", "30", "none", "12 weeks", "moderate", "4", "7:00", "Berlin"]


def msg(clock: FakeClock, text: str, message_id: str | None = None,
        kind: Kind = Kind.TEXT) -> Incoming:
    return Incoming(channel="telegram", user_key="42", at=clock(), text=text,
                    message_id=message_id, kind=kind)


async def onboard(engine: Engine, clock: FakeClock) -> None:
    for n, text in enumerate(ANSWERS):
        assert await engine.handle(msg(clock, text, f"m{n}"))


async def test_a_redelivered_message_gets_no_second_reply(engine: Engine, clock: FakeClock
                                                           ) -> None:
    first = await engine.handle(msg(clock, "/start", "u1"))
    again = await engine.handle(msg(clock, "/start", "u1"))
    assert first and again == []


async def test_a_blocked_user_who_writes_again_is_prompted_again(
    engine: Engine, store: Store, clock: FakeClock
) -> None:
    await onboard(engine, clock)
    async with store.transaction() as tx:
        user = await tx.user("telegram", "42")
        assert user is not None
        user.status = UserStatus.BLOCKED.value
        user.next_prompt_at = None
    clock.advance(timedelta(days=3))
    replies = await engine.handle(msg(clock, "today", "m-back"))
    assert replies
    async with store.transaction() as tx:
        user = await tx.user("telegram", "42")
        assert user is not None
        assert user.status == UserStatus.ACTIVE
        assert user.next_prompt_at is not None and user.next_prompt_at > clock()


async def test_an_unreachable_user_mid_onboarding_goes_back_to_onboarding(
    engine: Engine, store: Store, clock: FakeClock
) -> None:
    await engine.handle(msg(clock, "/start", "a"))
    async with store.transaction() as tx:
        user = await tx.user("telegram", "42")
        assert user is not None
        user.status = UserStatus.UNREACHABLE.value
    await engine.handle(msg(clock, "yes", "b"))
    async with store.transaction() as tx:
        user = await tx.user("telegram", "42")
        assert user is not None and user.status == UserStatus.ONBOARDING
        assert user.state == "ask_run_minutes"
