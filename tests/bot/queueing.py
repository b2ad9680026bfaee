"""A stand-in for the engine in channel tests: a plain handle whose replies are queued in the
outbox, as `Engine.handle` does with its step (the channel's dispatcher then sends them)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from bot.dispatch import queue_replies
from conversations.messages import Incoming, Outgoing
from storage import Store

Handle = Callable[[Incoming], Awaitable[list[Outgoing]]]


def queueing(store: Store, clock: Callable[[], datetime], handle: Handle) -> Handle:
    async def queued(incoming: Incoming) -> list[Outgoing]:
        replies = await handle(incoming)
        await queue_replies(store, clock(), incoming.channel, incoming.user_key, replies)
        return replies

    return queued
