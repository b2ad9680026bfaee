"""Replies found wrong while using the bot as a first user (review of the conversation)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.clock import FakeClock
from conversations.engine import Engine
from storage import Store
from tests.conversations.daily_support import Chat, logs, onboarded

WED = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)  # a training day in the default 4-day week


async def test_not_sure_is_not_read_as_pain(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    for text in ("not sure", "im not sure", "sure"):
        reply = await chat.say(text)
        assert "pain" not in reply.lower(), (text, reply)
        assert "0 to 10" not in reply
    assert await logs(store, uid) == []


async def test_everyday_words_are_not_corrected_into_reset_or_pain(
        store: Store, engine: Engine, clock: FakeClock) -> None:
    uid = await onboarded(store)
    clock.advance_to(WED)
    chat = Chat(engine, clock)
    for text in ("I need some rest", "is it ok to rest today?", "sure thing"):
        reply = await chat.say(text)
        assert "Start over?" not in reply, (text, reply)
        assert "0 to 10" not in reply, (text, reply)
    assert await logs(store, uid) == []
