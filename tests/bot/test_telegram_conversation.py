"""A whole conversation on Telegram: onboarding by buttons and typing, "done", "should I run
today?", a chart as a photo, over real HTTP against the fake Bot API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.clock import FakeClock
from bot.render import telegram_html
from bot.telegram import TelegramChannel
from bot.telegram_send import Limits, split_text
from conversations.engine import Engine
from conversations.messages import Incoming, Outgoing
from storage import Store
from tests.fakes.telegram_api import WAIT_LIMIT, Call, FakeBotApi

pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

ANA = 3003


@dataclass
class Chat:
    """Ana's side: says things or presses buttons, and reads what the bot sent back."""

    api: FakeBotApi
    clock: FakeClock
    replies: asyncio.Queue[list[Outgoing]]

    async def say(self, text: str) -> list[Call]:
        self.clock.advance(timedelta(seconds=20))
        before = len(self.api.sent(ANA))
        await self.api.say(ANA, text)
        return await self._answered(before)

    async def press(self, label_start: str) -> list[Call]:
        """Press the button whose label starts with `label_start` on the last keyboard."""
        last = next(c for c in reversed(self.api.sent(ANA)) if c.params.get("reply_markup"))
        rows = last.params["reply_markup"]["inline_keyboard"]
        button = next(b for row in rows for b in row if b["text"].startswith(label_start))
        self.clock.advance(timedelta(seconds=20))
        before = len(self.api.sent(ANA))
        await self.api.press(ANA, button["callback_data"], last)
        return await self._answered(before)

    async def _answered(self, before: int) -> list[Call]:
        replies = await asyncio.wait_for(self.replies.get(), WAIT_LIMIT)
        await self.api.wait_sent(before + sum(api_calls(r) for r in replies), ANA)
        new = self.api.sent(ANA)[before:]
        assert new, "no reply"
        return new


def api_calls(message: Outgoing) -> int:
    """How many Bot API sends one reply takes (split text, attachment with or after it)."""
    if message.attachment is not None and len(telegram_html(message.text)) <= 1024:
        return 1
    return len(split_text(message.text)) + (message.attachment is not None)


def text_of(calls: list[Call]) -> str:
    return "\n".join(c.params.get("text") or c.params.get("caption") or "" for c in calls)


@pytest.fixture
async def chat(store: Store, clock: FakeClock) -> AsyncIterator[Chat]:
    api = FakeBotApi()
    await api.start()
    engine = Engine(store, clock)
    replies: asyncio.Queue[list[Outgoing]] = asyncio.Queue()

    async def handle(incoming: Incoming) -> list[Outgoing]:
        out = await engine.handle(incoming)
        await replies.put(out)
        return out

    channel = TelegramChannel(api.token, handle, store, clock, base_url=api.base_url,
                              limits=Limits(overall_per_second=0, chat_per_second=0),
                              poll_timeout=5)
    await channel.start()
    try:
        yield Chat(api, clock, replies)
    finally:
        await channel.stop()
        await api.stop()


async def test_onboarding_done_and_should_i_run_on_telegram(chat: Chat, store: Store) -> None:
    first = await chat.say("/start")
    assert first[-1].params.get("reply_markup"), "the first question comes with buttons"
    await chat.press("Yes")
    await chat.press("30")
    await chat.say("my left knee clicks on stairs")  # typed, not pressed
    await chat.say("15 March")
    await chat.press("Moderate")
    await chat.press("4")
    await chat.press("7:00")
    summary = await chat.say("Berlin")
    assert "Europe/Berlin" in text_of(summary)
    for call in chat.api.sent(ANA):
        assert call.params.get("parse_mode") == "HTML"
        assert len(call.params.get("text", "")) <= 4096

    async with store.transaction() as tx:
        user = await tx.user("telegram", str(ANA))
    assert user is not None and (user.state, user.status) == ("active", "active")
    assert user.profile is not None
    assert (user.profile["running"], user.profile["joints"], user.profile["grade"],
            user.profile["days_per_week"]) == ("regular", ["knee"], "moderate", 4)
    assert user.display_name == "Ana"

    done = text_of(await chat.say("done 35 min, felt good"))
    assert "Logged" in done and "35 min" in done
    verdict = text_of(await chat.say("should I run today?"))
    assert "already trained today" in verdict

    progress = await chat.say("/progress")
    assert any(c.method == "sendPhoto" and c.files["photo"][1].startswith(b"\x89PNG")
               for c in progress)
    async with store.transaction() as tx:
        user = await tx.user("telegram", str(ANA))
        assert user is not None
        logs = await tx.logs(user.id)
    assert [(entry.kind, entry.minutes) for entry in logs] == [("done", 35)]
