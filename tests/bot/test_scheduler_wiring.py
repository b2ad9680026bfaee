"""The scheduler as wired in the program: `trekbot chat --demo` with /nextday, and the
APScheduler interval job of `run_service` sending through a channel by its name."""

from __future__ import annotations

import asyncio
import io
import signal
import socket
import sys
from datetime import timedelta
from pathlib import Path

from bot import app
from bot.clock import system_clock
from bot.dispatch import Dispatcher
from bot.settings import load
from conversations.messages import Outgoing
from conversations.schedule import PREVIEW_FROM, next_prompt_at
from storage import PlannedSession, Store, UserStatus


async def seed_user(url: str, channel: str, key: str, *, due_now: bool = False) -> None:
    """An onboarded user on UTC at 07:00, with a session planned for the next days."""
    store = Store(url)
    await store.start()
    now = system_clock()
    async with store.transaction() as tx:
        user = await tx.get_or_create_user(channel, key, "Ana")
        user.state = "active"
        user.status = UserStatus.ACTIVE
        user.timezone = "UTC"
        user.reminder_minutes = 7 * 60
        user.profile = {"trek_date": (now + timedelta(days=60)).date().isoformat()}
        user.next_prompt_at = (now - timedelta(minutes=1) if due_now
                               else next_prompt_at(7 * 60, "UTC", now))
        await tx.session.flush()
        today = now.date()
        await tx.replace_plan(user.id, [
            PlannedSession(day=today + timedelta(days=n), session_type="walk", minutes=40,
                           text=f"Walk {n} of the plan")
            for n in range(0, 6)
        ])
    await store.close()


async def test_demo_nextday_shows_one_morning_message_per_day(tmp_path: Path,
                                                             monkeypatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    await seed_user(url, "terminal", "ana")
    settings = load({"DATABASE_URL": url}, env_file=tmp_path / "none.env")
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO("/nextday\n/nextday\n/nextday\n"))
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.chdir(tmp_path)
    await app.run_chat(settings, "ana", demo=True)
    text = out.getvalue()
    assert text.count("[demo clock:") == 3
    walks = [line for line in text.splitlines() if line.startswith("Walk ")]
    first = int(walks[0].split()[1])
    assert walks == [f"Walk {n} of the plan" for n in range(first, first + 3)]
    assert text.count("1. Done") == 3 and text.count("3. Should I run today?") == 3


async def test_demo_nextday_before_onboarding_says_so(tmp_path: Path, monkeypatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}"
    settings = load({"DATABASE_URL": url}, env_file=tmp_path / "none.env")
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO("/nextday\n"))
    monkeypatch.setattr(sys, "stdout", out)
    await app.run_chat(settings, "bo", demo=True)
    assert "nothing is scheduled for you yet" in out.getvalue()


class FakeMessenger:
    """A messenger channel that records sends and asks the service to stop after one; like
    a real channel it runs a dispatcher for its outbox."""

    name = "fake"

    def __init__(self) -> None:
        self.sent: list[tuple[str, list[Outgoing], bool]] = []

    def bind(self, bot: app.Bot) -> FakeMessenger:
        self.dispatcher = Dispatcher(bot.store, bot.clock, self.name, self)
        return self

    async def start(self) -> None:
        await self.dispatcher.start()

    async def stop(self) -> None:
        await self.dispatcher.stop()

    def routes(self) -> list:
        return []

    async def send(self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
                   ) -> None:
        self.sent.append((user_key, messages, scheduled))
        signal.raise_signal(signal.SIGTERM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_run_service_ticks_and_sends_through_the_users_channel(tmp_path: Path,
                                                                    monkeypatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'svc.db'}"
    await seed_user(url, "fake", "42", due_now=True)
    settings = load({"DATABASE_URL": url, "TREKBOT_TICK_SECONDS": "0.05",
                     "TREKBOT_HOST": "127.0.0.1", "TREKBOT_PORT": str(free_port())},
                    env_file=tmp_path / "none.env")
    messenger = FakeMessenger()
    monkeypatch.setattr(app, "messenger_channels", lambda bot: [messenger.bind(bot)])
    await asyncio.wait_for(app.run_service(settings), timeout=20)
    assert len(messenger.sent) == 1
    key, messages, scheduled = messenger.sent[0]
    assert key == "42" and scheduled
    # The service runs on the real clock: a prompt due at 15:00 or later previews tomorrow.
    due = system_clock() - timedelta(minutes=1)
    day = 1 if due.hour * 60 + due.minute >= PREVIEW_FROM else 0
    assert f"Walk {day} of the plan" in messages[0].text

