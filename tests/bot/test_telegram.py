"""The Telegram channel over real HTTP: PTB's Application against a local fake Bot API."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from telegram.error import NetworkError

from bot.channels import UserBlocked
from bot.clock import FakeClock
from bot.telegram import TelegramChannel
from bot.telegram_send import Limits, split_text
from bot.web import WebServer, build_app
from conversations import channel_texts, texts
from conversations.engine import Engine
from conversations.messages import Attachment, Choice, Incoming, Kind, Outgoing
from storage import Store, UserStatus
from tests.bot.queueing import queueing
from tests.fakes.telegram_api import FakeBotApi

# PTB 22 itself warns inside RetryAfter() that retry_after will become a timedelta.
pytestmark = pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")

ANA, BEN = 1001, 1002
SECRET = "s3cret-Token_1"


class Sleeps:
    """Records the waits the channel asks for, without waiting."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@asynccontextmanager
async def running(api: FakeBotApi, store: Store, clock: FakeClock, sleeps: Sleeps,
                  handle: Any = None, webhook: bool = False) -> AsyncIterator[TelegramChannel]:
    channel = TelegramChannel(
        api.token, queueing(store, clock, handle) if handle else Engine(store, clock).handle,
        store, clock,
        base_url=api.base_url,
        webhook_url="https://coach.example/" if webhook else None,
        webhook_secret=SECRET if webhook else None,
        limits=Limits(overall_per_second=0, chat_per_second=0, sleep=sleeps),
        poll_timeout=5)
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop()


def keyboard(call: Any) -> list[list[dict[str, str]]]:
    return call.params["reply_markup"]["inline_keyboard"]


async def test_polling_start_sets_menu_and_answers_help(api, store, clock, sleeps) -> None:
    async with running(api, store, clock, sleeps):
        assert api.called("getMe")
        assert api.called("deleteWebhook")
        [menu] = api.called("setMyCommands")
        assert {c["command"] for c in menu.params["commands"]} >= {
            "start", "today", "plan", "progress", "help"}
        await api.say(ANA, "/help")
        [reply] = await api.wait_sent(1)
    assert int(reply.params["chat_id"]) == ANA
    assert reply.params["parse_mode"] == "HTML"
    assert "<b>today</b>" in reply.params["text"]
    assert not api.called("setWebhook")


async def test_failing_command_menu_is_only_a_warning(api, store, clock, sleeps, caplog
                                                      ) -> None:
    api.fail("setMyCommands", 500, times=5)
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        async with running(api, store, clock, sleeps):
            await api.say(ANA, "/help")
            await api.wait_sent(1)
    assert "command menu" in caplog.text


async def test_stickers_photos_and_voice_get_a_reply(api, store, clock, sleeps) -> None:
    seen: list[Incoming] = []
    engine = Engine(store, clock)

    async def handle(incoming: Incoming) -> list[Outgoing]:
        seen.append(incoming)
        return await engine.handle(incoming)

    async with running(api, store, clock, sleeps, handle):
        await api.push({"message": api.message(ANA, sticker={
            "file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1,
            "height": 1, "is_animated": False, "is_video": False, "emoji": "👍"})})
        await api.push({"message": api.message(ANA, photo=[{
            "file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}], caption="me")})
        await api.push({"message": api.message(ANA, voice={
            "file_id": "v", "file_unique_id": "v", "duration": 2})})
        replies = await api.wait_sent(3)
    assert [i.kind for i in seen] == [Kind.STICKER, Kind.PHOTO, Kind.VOICE]
    assert [r.params["text"] for r in replies] == [texts.NOT_TEXT] * 3


async def test_edits_and_group_chatter_are_ignored_group_commands_redirected(
        api, store, clock, sleeps) -> None:
    seen: list[Incoming] = []

    async def handle(incoming: Incoming) -> list[Outgoing]:
        seen.append(incoming)
        return [Outgoing("ok")]

    group = {"id": -500, "type": "group", "title": "Hikers"}
    async with running(api, store, clock, sleeps, handle):
        await api.push({"edited_message": {**api.message(ANA, text="edited"),
                                           "edit_date": 1764579700}})
        await api.push({"message": api.message(BEN, chat=group, text="hello all")})
        await api.push({"message": api.message(BEN, chat=group, text="/start")})
        await api.say(ANA, "hi")
        sent = await api.wait_sent(2)
        await api.say(ANA, "again")  # a later update: earlier ones are all done by now
        await api.wait_sent(3)
    assert [i.text for i in seen] == ["hi", "again"]
    group_replies = api.sent(-500)
    assert [r.params["text"] for r in group_replies] == [channel_texts.PRIVATE_ONLY]
    assert len(sent) == 2


async def test_choices_are_inline_buttons_and_a_press_is_a_choice(api, store, clock, sleeps
                                                                  ) -> None:
    long_id = "x" * 100
    seen: list[Incoming] = []

    async def handle(incoming: Incoming) -> list[Outgoing]:
        seen.append(incoming)
        if incoming.text == "/ask":
            return [Outgoing("Do you run?", choices=(Choice("run:yes", "Yes, regularly"),
                                                     Choice(long_id, "Something else")))]
        return [Outgoing(f"got {incoming.choice_id}")]

    async with running(api, store, clock, sleeps, handle):
        await api.say(ANA, "/ask")
        [question] = await api.wait_sent(1)
        rows = keyboard(question)
        assert [row[0]["text"] for row in rows] == ["Yes, regularly", "Something else"]
        assert rows[0][0]["callback_data"] == "run:yes"
        assert len(rows[1][0]["callback_data"].encode()) <= 64
        await api.press(ANA, "run:yes", question)
        await api.wait_sent(2)
        await api.press(ANA, rows[1][0]["callback_data"], question)
        await api.wait_sent(3)
        await api.wait_called("answerCallbackQuery", 2)
    assert (seen[1].kind, seen[1].choice_id, seen[1].text) == (
        Kind.CHOICE, "run:yes", "Yes, regularly")
    assert (seen[2].choice_id, seen[2].text) == (long_id, "Something else")


async def test_long_text_is_split_with_buttons_on_the_last_part(api, store, clock, sleeps
                                                               ) -> None:
    text = "\n\n".join(f"*Week {n}*: " + "easy walking & stairs " * 60 for n in range(1, 9))

    async def handle(incoming: Incoming) -> list[Outgoing]:
        return [Outgoing(text, choices=(Choice("ok", "OK"),))]

    async with running(api, store, clock, sleeps, handle):
        await api.say(ANA, "/plan")
        first = await api.wait_sent(len(split_text(text)))
    assert len(first) > 1
    assert all(len(m.params["text"]) <= 4096 for m in first)
    assert [bool(m.params.get("reply_markup")) for m in first] == [False] * (len(first) - 1) + [
        True]
    assert "<b>Week 1</b>" in first[0].params["text"]
    assert "&amp;" in first[0].params["text"]


async def test_images_go_as_photos_and_files_as_documents(api, store, clock, sleeps) -> None:
    async def handle(incoming: Incoming) -> list[Outgoing]:
        return [Outgoing("Your *progress*", attachment=Attachment(
                    "progress.png", b"\x89PNG-data", "image/png", is_image=True)),
                Outgoing("Your plan", attachment=Attachment("plan.ics", b"BEGIN:VCALENDAR",
                                                            "text/calendar"))]

    async with running(api, store, clock, sleeps, handle):
        await api.say(ANA, "/progress")
        photo, document = await api.wait_sent(2)
    assert photo.method == "sendPhoto"
    assert photo.files["photo"] == ("progress.png", b"\x89PNG-data")
    assert photo.params["caption"] == "Your <b>progress</b>"
    assert document.method == "sendDocument"
    assert document.files["document"] == ("plan.ics", b"BEGIN:VCALENDAR")


async def _status_becomes(store: Store, status: UserStatus) -> bool:
    """Wait (bounded) for the channel's background handling to store a user status."""
    for _ in range(500):
        async with store.transaction() as tx:
            user = await tx.user("telegram", str(ANA))
        if user is not None and user.status == status:
            return True
        await asyncio.sleep(0.01)
    return False


async def test_blocked_user_is_marked_blocked_and_send_raises(api, store, clock, sleeps
                                                              ) -> None:
    async with running(api, store, clock, sleeps) as channel:
        api.fail("sendMessage", 403)
        await api.say(ANA, "/help")
        await api.wait_called("sendMessage")
        assert await _status_becomes(store, UserStatus.BLOCKED)
        await api.say(ANA, "/help")  # writing again shows they unblocked the bot
        await api.wait_sent(1)
        async with store.transaction() as tx:
            user = await tx.user("telegram", str(ANA))
            assert user is not None and user.status == UserStatus.ONBOARDING
        api.fail("sendMessage", 403)
        with pytest.raises(UserBlocked):
            await channel.send(str(ANA), [Outgoing("Morning!")], scheduled=True)


async def _paused_user(store: Store, key: str, channel: str = "telegram") -> None:
    """A coached user who paused their reminders (onboarding done, reminder set)."""
    async with store.transaction() as tx:
        user = await tx.get_or_create_user(channel, key, "Ana")
        user.profile = {"trek_date": "2027-03-01", "start_date": "2026-12-01"}
        user.timezone, user.reminder_minutes = "UTC", 7 * 60
        user.state = "active"
        user.status = UserStatus.ACTIVE
    async with store.transaction() as tx:
        user = await tx.user(channel, key)
        assert user is not None
        user.status = UserStatus.PAUSED


async def test_a_paused_user_stays_paused_after_a_blocked_reply(api, store, clock, sleeps
                                                                ) -> None:
    """A failed reply must not turn a pause into blocked, and writing again into active."""
    await _paused_user(store, str(ANA))
    async with running(api, store, clock, sleeps):
        api.fail("sendMessage", 403)
        await api.say(ANA, "/help")
        await api.wait_called("sendMessage")
        await api.say(ANA, "/help")  # handled after the failed reply and its mark, in order
        await api.wait_sent(1)
    async with store.transaction() as tx:
        user = await tx.user("telegram", str(ANA))
    assert user is not None and user.status == UserStatus.PAUSED


async def test_retry_after_waits_and_network_errors_back_off(api, store, clock, sleeps
                                                             ) -> None:
    async with running(api, store, clock, sleeps) as channel:
        api.fail("sendMessage", 429, retry_after=7)
        await channel.send(str(ANA), [Outgoing("one")])
        assert sleeps.seconds == [7.0]
        api.fail("sendMessage", 500, times=2)
        await channel.send(str(ANA), [Outgoing("two")])
        assert sleeps.seconds == [7.0, 1.0, 2.0]
        api.fail("sendMessage", 500, times=5)
        with pytest.raises(NetworkError):
            await channel.send(str(ANA), [Outgoing("three")])
        assert len(sleeps.seconds) == 3 + 4  # bounded: five attempts, four waits
    assert [m.params["text"] for m in api.sent()] == ["one", "two"]


async def test_a_failing_handler_gets_an_apology_and_the_bot_carries_on(api, store, clock,
                                                                       sleeps) -> None:
    async def handle(incoming: Incoming) -> list[Outgoing]:
        if incoming.text == "boom":
            raise RuntimeError("handler bug")
        return [Outgoing("fine")]

    async with running(api, store, clock, sleeps, handle):
        await api.say(ANA, "boom")
        await api.say(ANA, "next")
        sent = await api.wait_sent(2)
    assert [m.params["text"] for m in sent] == [texts.SORRY, "fine"]


async def test_a_redelivered_update_is_answered_once(api, store, clock, sleeps) -> None:
    async with running(api, store, clock, sleeps):
        update = await api.say(ANA, "/help")
        await api.wait_sent(1)
        await api.push(json.loads(json.dumps(update)))  # same update_id again
        await api.say(ANA, "/help")
        await api.wait_sent(2)
        await asyncio.sleep(0)
    assert len(api.sent()) == 2


async def test_one_users_messages_in_order_different_users_concurrently(api, store, clock,
                                                                        sleeps) -> None:
    ben_done = asyncio.Event()
    handled: list[str] = []

    async def handle(incoming: Incoming) -> list[Outgoing]:
        if incoming.text == "ana 1":
            # Ana's first message waits for Ben's: if users were served one at a time,
            # this would never finish.
            await asyncio.wait_for(ben_done.wait(), 5)
        for _ in range(3):
            await asyncio.sleep(0)
        handled.append(incoming.text)
        if incoming.user_key == str(BEN):
            ben_done.set()
        return [Outgoing(f"re {incoming.text}"), Outgoing(f"re2 {incoming.text}")]

    async with running(api, store, clock, sleeps, handle):
        for n in range(1, 6):
            await api.say(ANA, f"ana {n}")
        await api.say(BEN, "ben 1")
        await api.wait_sent(12)
    assert [t for t in handled if t.startswith("ana")] == [f"ana {n}" for n in range(1, 6)]
    assert handled.index("ben 1") < handled.index("ana 1")
    assert [m.params["text"] for m in api.sent(ANA)] == [
        f"{p} ana {n}" for n in range(1, 6) for p in ("re", "re2")]


async def test_the_token_never_reaches_the_logs(api, store, clock, sleeps, caplog) -> None:
    with caplog.at_level(logging.DEBUG):
        async with running(api, store, clock, sleeps):
            await api.say(ANA, "/help")
            await api.wait_sent(1)
    assert caplog.records
    assert not [r for r in caplog.records
                if r.levelno >= logging.INFO and api.token in r.getMessage()]


@asynccontextmanager
async def webhook_server(api, store, clock, sleeps) -> AsyncIterator[tuple[TelegramChannel, str]]:
    async with running(api, store, clock, sleeps, webhook=True) as channel:
        web = WebServer(build_app(channel.routes()), "127.0.0.1", 0)
        await web.start()
        port = web.server.servers[0].sockets[0].getsockname()[1]
        try:
            yield channel, f"http://127.0.0.1:{port}"
        finally:
            await web.stop()


async def test_webhook_mode_checks_the_secret(api, store, clock, sleeps) -> None:
    async with webhook_server(api, store, clock, sleeps) as (_channel, base):
        [hook] = api.called("setWebhook")
        assert hook.params["url"] == "https://coach.example/webhooks/telegram"
        assert hook.params["secret_token"] == SECRET
        update = {"update_id": 5, "message": api.message(ANA, text="/help")}
        url = f"{base}/webhooks/telegram"
        async with httpx.AsyncClient() as client:
            wrong = await client.post(url, json=update,
                                      headers={"X-Telegram-Bot-Api-Secret-Token": "nope"})
            missing = await client.post(url, json=update)
            assert (wrong.status_code, missing.status_code) == (403, 403)
            ok = await client.post(url, json=update,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert ok.status_code == 200
            await api.wait_sent(1)
            again = await client.post(url, json=update,  # a redelivery
                                      headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert again.status_code == 200
            bad = await client.post(url, content=b"{not json",
                                    headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            assert bad.status_code == 400
            later = {"update_id": 6, "message": api.message(ANA, text="/help")}
            await client.post(url, json=later,
                              headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
            await api.wait_sent(2)
    assert len(api.sent()) == 2
    assert not api.called("getUpdates")


async def test_webhook_refuses_before_reading_the_body(api, store, clock, sleeps) -> None:
    async with webhook_server(api, store, clock, sleeps) as (_channel, base):
        host, port = base.removeprefix("http://").split(":")
        for secret in ("wrong", None):
            reader, writer = await asyncio.open_connection(host, int(port))
            head = (f"POST /webhooks/telegram HTTP/1.1\r\nHost: {host}\r\n"
                    "Content-Type: application/json\r\nContent-Length: 100000\r\n")
            if secret:
                head += f"X-Telegram-Bot-Api-Secret-Token: {secret}\r\n"
            try:
                writer.write((head + "\r\n").encode())  # headers only: the body never comes
                await writer.drain()
                status = await asyncio.wait_for(reader.readline(), 5)
            finally:
                writer.close()
            assert status.startswith(b"HTTP/1.1 403")


async def test_webhook_refuses_a_chunked_body_over_the_limit(api, store, clock, sleeps) -> None:
    from bot.telegram import MAX_WEBHOOK_BODY

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"update_id": 9, "pad": "'
        for _ in range(MAX_WEBHOOK_BODY // 50_000 + 1):
            yield b"x" * 50_000
        yield b'"}'

    async with webhook_server(api, store, clock, sleeps) as (_channel, base):
        async with httpx.AsyncClient() as client:
            r = await client.post(f"{base}/webhooks/telegram", content=chunks(),
                                  headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
    assert r.status_code == 413
