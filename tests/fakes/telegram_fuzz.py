"""Hostile and unlucky Telegram webhook updates, and a run that tallies what the bot did.

`case(row, n, rng)` builds one webhook body for a row of issue 17's table (each in its own
chat, so every reply can be traced to the update that caused it); `Run` drives the real
Telegram channel and engine in webhook mode over HTTP against the fake Bot API and counts, per
row: HTTP statuses, apologies, updates that should have been answered and were not, updates
that should have been ignored and got a reply, and errors logged. Used by
tests/bot/test_telegram_fuzz.py and bench/telegram_fuzz.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.burst import BurstOrder
from bot.clock import FakeClock
from bot.telegram import MAX_WEBHOOK_BODY, TelegramChannel
from bot.telegram_send import Limits
from bot.web import WebServer, build_app
from conversations import texts
from conversations.engine import Engine
from storage import Store
from tests.fakes.telegram_api import BOT_ID, FakeBotApi

SECRET = "fuzz-Secret_1"
FIRST_CHAT = 500_000_000

ANSWER, CALLBACK, IGNORE, REJECT = "answer", "callback", "ignore", "reject"


@dataclass
class Case:
    """One webhook body, the chat it comes from and what the bot should do with it."""

    row: str
    body: bytes
    chat_id: int
    expect: str  # ANSWER (a reply), CALLBACK (spinner answered + reply), IGNORE, REJECT (400)
    callback_id: str | None = None
    onboarded: bool = False  # the chat belongs to someone already coached (state active)


def _user(uid: int, name: Any = "Ana") -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": name}


def _message(chat_id: int, n: int, chat_type: str = "private", **content: Any) -> dict[str, Any]:
    return {"message_id": n + 1, "date": 1764579600,
            "chat": {"id": chat_id, "type": chat_type, "first_name": "Ana"},
            "from": _user(abs(chat_id)), **content}


def _body(update: Any) -> bytes:
    return json.dumps(update).encode()


_WORDS = ["done", "30", "min", "walk", "skip", "easy", "hard", "yes", "no", "help", "today",
          "/start", "/help", "/plan", "/today", "/progress", "knee", "hurts", "sick", "tomorrow",
          "7:30", "Europe/Berlin", "2027-03-01", "5", "ok"]
_EMOJI = ["😀", "👍🏽", "🏔️", "❤️", "🇳🇵", "🧗‍♀️", "🥾", "⛰", "🙂"]
_CONTROL = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x1b[31m", "\x7f", "\u0085", "\u200b",
            "\u202e", "\ufeff", "\r"]
_INJECTION = ["'; DROP TABLE users; --", "<b>bold</b><script>x</script>", "*bold* _it_ `c`",
              "%s%s%n", "{0}{{}}", "${jndi:ldap://x}", "../../etc/passwd", "\\u0000", "NULL",
              "<a href='tg://x'>x</a>", "&amp;&lt;"]
_LONE = ['\ud800', '\udfff', '\udc00x', '\ud83d']
_WHITESPACE = [" ", "\t", "\n", "   \n\t ", "\u00a0", "\u3000", "\u2028"]


def _text(rng: random.Random, row: str) -> str:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(1, 5))]
    if row == "emoji":
        return "".join(rng.choice(_EMOJI) for _ in range(rng.randint(1, 6)))
    if row == "control":
        return "".join(rng.choice(_CONTROL) + w for w in words)
    if row == "surrogate":
        lone = rng.choice(_LONE)
        return f"done {lone} {rng.randint(1, 90)} min"
    if row == "long":
        return rng.choice(["done ", "", "x"]) + "é" * rng.randint(4_097, 50_000)
    if row == "whitespace":
        return "".join(rng.choice(_WHITESPACE) for _ in range(rng.randint(1, 8)))
    if row == "injection":
        return rng.choice(_INJECTION)
    return " ".join(words)


def _media(rng: random.Random) -> dict[str, Any]:
    return rng.choice([
        {"sticker": {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1,
                     "height": 1, "is_animated": False, "is_video": False, "emoji": "👍"}},
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}],
         "caption": "me"},
        {"location": {"latitude": 27.98, "longitude": 86.92}},
        {"contact": {"phone_number": "+100", "first_name": "Bo"}},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 2}},
        {"document": {"file_id": "d", "file_unique_id": "d"}},
    ])


_SERVICE: list[dict[str, Any]] = [
            {"new_chat_members": [{"id": 5, "is_bot": False, "first_name": "B"}]},
            {"left_chat_member": {"id": 5, "is_bot": False, "first_name": "B"}},
            {"new_chat_title": "x"}, {"delete_chat_photo": True},
            {"pinned_message": {"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}},
            {"message_auto_delete_timer_changed": {"message_auto_delete_time": 60}},
            {"successful_payment": {"currency": "EUR", "total_amount": 1, "invoice_payload": "x",
                                    "telegram_payment_charge_id": "a",
                                    "provider_payment_charge_id": "b"}},
            {"write_access_allowed": {}}, {"migrate_to_chat_id": -100},
            {"group_chat_created": True}, {"chat_shared": {"request_id": 1, "chat_id": 2}},
            {"users_shared": {"request_id": 1, "users": []}},
            {"proximity_alert_triggered": {"traveler": {"id": 1, "is_bot": False,
                                                        "first_name": "a"},
                                           "watcher": {"id": 2, "is_bot": False,
                                                       "first_name": "b"}, "distance": 3}}]


def _deep(rng: random.Random) -> bytes:
    depth = rng.choice([5_000, 100_000, 400_000])
    open_, close = rng.choice([("[", "]"), ('{"a":', "}")])
    inner = (open_ * depth + "1" + close * depth).encode()
    return b'{"update_id": 1, "message": ' + inner + b"}"


_MALFORMED = [b"{not json", b"", b"null", b"[]", b"[1,2]", b'"text"', b"42", b"true",
              b'{"update_id": "x"}', b'{"update_id": -5}', b'{"message": {}}', b"{}",
              b'{"update_id": 1.5}', b'\xff\xfe{"update_id": 1}', b'{"update_id": 1, "message": 5}',
              b'{"update_id": 1, "message": {"chat": "x"}}', b'{"update_id": 1} trailing',
              b'{"update_id": NaN}', b'{"update_id": 1e400}']

def _typed_wrong(chat: int, n: int, rng: random.Random, uid: int) -> tuple[dict[str, Any], str]:
    """An update whose fields have types Telegram never sends (a forged or broken client)."""
    choice = rng.randrange(8)
    if choice == 0:
        text = rng.choice([5, 1.5, True, [], {"a": 1}])
        return {"update_id": uid, "message": _message(chat, n, text=text)}, IGNORE
    if choice == 1:
        m = _message(chat, n, text="hi")
        m["from"]["first_name"] = rng.choice([5, None, [], {"x": 1}])
        return {"update_id": uid, "message": m}, ANSWER
    if choice == 2:
        return {"update_id": uid, "message": _message(chat, n, caption=7, photo=[
            {"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}])}, ANSWER
    if choice == 3:
        m = _message(chat, n, text="hi")
        m["chat"]["id"] = str(chat)
        return {"update_id": uid, "message": m}, IGNORE
    if choice == 4:
        m = _message(chat, n, text="hi")
        m["chat"]["type"] = 3
        return {"update_id": uid, "message": m}, IGNORE
    if choice == 5:
        return {"update_id": uid, "message": _message(chat, n, text="hi", entities=5)}, ANSWER
    if choice == 6:
        m = _message(chat, n, text="hi")
        m["from"] = "Ana"
        return {"update_id": uid, "message": m}, IGNORE
    return {"update_id": str(uid), "message": _message(chat, n, text="hi")}, REJECT


def _callback(chat: int, uid: int, data: Any, message: dict[str, Any] | None) -> dict[str, Any]:
    query: dict[str, Any] = {"id": f"cq{uid}", "from": _user(chat), "chat_instance": "ci"}
    if data is not None:
        query["data"] = data
    if message is not None:
        query["message"] = message
    return {"update_id": uid, "callback_query": query}


def _keyboard_message(chat: int, n: int, data: str, label: str) -> dict[str, Any]:
    m = _message(chat, n, text="(keyboard)")
    m["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "Trek"}
    m["reply_markup"] = {"inline_keyboard": [[{"text": label, "callback_data": data}]]}
    return m


def _callback_case(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    if row == "callback":
        data, label = rng.choice([("g:walk", "Walking"), ("yes", "Yes"), ("done", "Done"),
                                  ("skip", "Skip"), ("tz:Europe/Berlin", "Berlin")])
        update = _callback(chat, uid, data, _keyboard_message(chat, n, data, label))
    elif row == "callback_odd":
        odd: Any = rng.choice(["", "x" * 64, "~unknown", "\x00", "😀", "null", "{}", "#" * 300,
                              "c:999999", None, 5])
        update = _callback(chat, uid, odd, _keyboard_message(chat, n, "other", "Other"))
    else:  # from a chat the bot never saw: no message, or one it can no longer access
        message = rng.choice([None, {"message_id": 1, "date": 0,
                                     "chat": {"id": chat, "type": "private"}}])
        update = _callback(chat, uid, rng.choice(["yes", "g:walk", "zzz"]), message)
    return Case(row, _body(update), chat, CALLBACK, callback_id=f"cq{uid}")


def _plain(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    update = {"update_id": uid, "message": _message(chat, n, text=_text(rng, row))}
    return Case(row, _body(update), chat, ANSWER)


def _long_fields(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    m = _message(chat, n, text=_text(rng, "text"))
    m["from"].update(first_name="N" * rng.randint(129, 5000), last_name="L" * 300,
                     username="u" * 300, language_code="x" * 200)
    m["chat"]["first_name"] = "C" * 300
    return Case(row, _body({"update_id": uid, "message": m}), chat, ANSWER)


def _wrong_types(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    update, expect = _typed_wrong(chat, n, rng, uid)
    return Case(row, _body(update), chat, expect)


def _media_case(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    return Case(row, _body({"update_id": uid, "message": _message(chat, n, **_media(rng))}),
                chat, ANSWER)


def _edited(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    m = _message(chat, n, text=_text(rng, "text"), edit_date=1764579700)
    key = rng.choice(["edited_message", "message"])  # a forged edit may come as a message
    return Case(row, _body({"update_id": uid, key: m}), chat, IGNORE)


def _channel_post(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    m = _message(-chat, n, chat_type="channel", text=rng.choice(["/start", "hello", "/help"]))
    m.pop("from")
    m["sender_chat"] = {"id": -chat, "type": "channel", "title": "T"}
    key = rng.choice(["channel_post", "edited_channel_post", "message"])
    return Case(row, _body({"update_id": uid, key: m}), -chat, IGNORE)


def _service(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    m = _message(chat, n, **rng.choice(_SERVICE))
    return Case(row, _body({"update_id": uid, "message": m}), chat, IGNORE)


def _group(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    m = _message(-chat, n, chat_type=rng.choice(["group", "supergroup"]),
                 text=rng.choice(["hello", "done 30 min", "😀"]))
    return Case(row, _body({"update_id": uid, "message": m}), -chat, IGNORE)


def _malformed(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    return Case(row, rng.choice(_MALFORMED), chat, REJECT)


def _deep_case(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    return Case(row, _deep(rng), chat, REJECT)


def _huge_ids(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    big = rng.choice([10**200, 2**64, -(2**70)])
    if rng.random() < 0.5:
        update = {"update_id": big, "message": _message(chat, n, text="hi")}
        return Case(row, _body(update), chat, REJECT)
    m = _message(chat, n, text="hi")
    m["chat"]["id"] = big
    return Case(row, _body({"update_id": uid, "message": m}), big, IGNORE)


def _callback_row(row: str, chat: int, n: int, uid: int, rng: random.Random) -> Case:
    return _callback_case(row, chat, n, uid, rng)


_BUILDERS: dict[str, Callable[[str, int, int, int, random.Random], Case]] = {
    **{r: _plain for r in ("text", "emoji", "control", "surrogate", "long", "whitespace",
                           "injection")},
    "long_fields": _long_fields, "wrong_types": _wrong_types, "media": _media_case,
    "edited": _edited, "channel_post": _channel_post, "service": _service, "group": _group,
    "callback": _callback_row, "callback_odd": _callback_row, "callback_unseen": _callback_row,
    "malformed": _malformed, "deep": _deep_case, "huge_ids": _huge_ids,
}
ROWS = list(_BUILDERS)


def case(row: str, n: int, rng: random.Random) -> Case:
    """Update number `n` of `row`, from its own chat."""
    return _BUILDERS[row](row, FIRST_CHAT + n, n, 10_000 + n, rng)


def mixed(count: int, seed: int = 17) -> list[Case]:
    """`count` updates drawn from every row, rows weighted as in the run the issue reports."""
    rng = random.Random(seed)
    weights = {r: 1 for r in ROWS}
    weights.update(text=14, emoji=4, control=4, surrogate=3, long=2, whitespace=3, injection=3,
                   media=5, callback=5, callback_odd=3, callback_unseen=2)
    rows = rng.choices(list(weights), weights=list(weights.values()), k=count)
    cases = [case(row, n, rng) for n, row in enumerate(rows)]
    for c in cases:  # half the people are past onboarding, so logging and commands run too
        c.onboarded = c.chat_id > 0 and rng.random() < 0.5
    return cases


_PROFILE = {"running": "regular", "easy_run_minutes": 30, "joints": [], "joint_words": "",
            "trek_date": "2027-03-14", "grade": "moderate", "days_per_week": 4,
            "start_date": "2026-11-30", "training_weekdays": None, "body_weight_kg": None}


async def _onboard(store: Store, cases: list[Case]) -> None:
    async with store.transaction() as tx:
        for c in cases:
            if c.onboarded and c.chat_id < 2**62:
                user = await tx.get_or_create_user("telegram", str(c.chat_id), "Ana")
                user.profile = dict(_PROFILE)
                user.state = "active"
                user.status = "active"
                user.timezone = "Europe/Berlin"
                user.reminder_minutes = 7 * 60


@dataclass
class Tally:
    """What happened to each row's updates."""

    posted: Counter[str] = field(default_factory=Counter)
    status: Counter[tuple[str, int]] = field(default_factory=Counter)
    apologies: Counter[str] = field(default_factory=Counter)
    unanswered: Counter[str] = field(default_factory=Counter)
    spinner_left: Counter[str] = field(default_factory=Counter)
    replied_to_ignored: Counter[str] = field(default_factory=Counter)
    errors_logged: Counter[str] = field(default_factory=Counter)

    def problems(self) -> dict[str, int]:
        """Every count that should be zero, by name; empty when the run was clean."""
        found: dict[str, int] = {}
        for (row, code), n in self.status.items():
            if code >= 500:
                found[f"{row}: HTTP {code}"] = n
        for name in ("apologies", "unanswered", "spinner_left", "replied_to_ignored",
                     "errors_logged"):
            for row, n in getattr(self, name).items():
                if n:
                    found[f"{row}: {name}"] = n
        return found

    def table(self) -> str:
        """One line per row: posted, HTTP statuses and the problem counts."""
        lines = [f"{'row':16} {'posted':>6}  {'http':18} {'sorry':>5} {'unans':>5} "
                 f"{'spin':>4} {'ign-rep':>7} {'errors':>6}"]
        for row in ROWS:
            if not self.posted[row]:
                continue
            codes = ",".join(f"{c}:{n}" for (r, c), n in sorted(self.status.items()) if r == row)
            lines.append(f"{row:16} {self.posted[row]:6}  {codes:18} {self.apologies[row]:5} "
                         f"{self.unanswered[row]:5} {self.spinner_left[row]:4} "
                         f"{self.replied_to_ignored[row]:7} {self.errors_logged[row]:6}")
        return "\n".join(lines)


class _Errors(logging.Handler):
    """Counts ERROR records (handler failures, tracebacks) while a case is in flight."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@asynccontextmanager
async def webhook(api: FakeBotApi, store: Store, clock: FakeClock
                  ) -> AsyncIterator[tuple[TelegramChannel, str]]:
    """The Telegram channel in webhook mode on a local web server; yields it and the URL."""
    engine = Engine(store, clock)
    channel = TelegramChannel(api.token, engine.handle, store, clock, base_url=api.base_url,
                              webhook_url="https://coach.example/", webhook_secret=SECRET,
                              limits=Limits(overall_per_second=0, chat_per_second=0,
                                            sleep=_no_wait), poll_timeout=5,
                              burst=BurstOrder(window=0))  # one update per chat: no bursts
    await channel.start()
    web = WebServer(build_app(channel.routes()), "127.0.0.1", 0)
    await web.start()
    port = web.server.servers[0].sockets[0].getsockname()[1]
    try:
        yield channel, f"http://127.0.0.1:{port}/webhooks/telegram"
    finally:
        await web.stop()
        await channel.stop()


async def _no_wait(_seconds: float) -> None:
    return None


class Poster:
    """Posts cases to a running webhook and tallies them; `run` wraps it for a whole list."""

    def __init__(self, api: FakeBotApi, store: Store, channel: TelegramChannel, url: str,
                 client: httpx.AsyncClient) -> None:
        self.api, self.store, self.channel, self.url, self.client = (
            api, store, channel, url, client)
        self.tally = Tally()
        self.errors = _Errors()
        self._seen = 0
        self._sent: dict[int, list[str]] = {}
        self._answered: set[str] = set()

    async def post(self, chunk: list[Case]) -> Tally:
        """Post `chunk` at once, wait for the bot, tally; returns this chunk's own tally."""
        await _onboard(self.store, chunk)
        self.errors.count = 0
        answers = await asyncio.gather(*(self.client.post(
            self.url, content=c.body, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET,
                                               "Content-Type": "application/json"})
            for c in chunk))
        await asyncio.wait_for(self.channel.drain(), 60)
        own = Tally()
        for c, answer in zip(chunk, answers, strict=True):
            for tally in (own, self.tally):
                tally.posted[c.row] += 1
                tally.status[(c.row, answer.status_code)] += 1
        if self.errors.count:
            _blame(chunk, self.errors.count, own)
            _blame(chunk, self.errors.count, self.tally)
        self._collect()
        _judge(chunk, self._sent, self._answered, own)
        _judge(chunk, self._sent, self._answered, self.tally)
        return own

    def _collect(self) -> None:
        """Read the Bot API calls made since the last chunk: replies by chat, callbacks."""
        calls, self._seen = self.api.calls[self._seen:], len(self.api.calls)
        for call in calls:
            if call.method == "answerCallbackQuery":
                self._answered.add(str(call.params.get("callback_query_id")))
            elif call.method in ("sendMessage", "sendPhoto", "sendDocument") and call.params.get(
                    "_ok"):
                self._sent.setdefault(int(call.params["chat_id"]), []).append(
                    str(call.params.get("text") or call.params.get("caption") or ""))


@asynccontextmanager
async def poster(store: Store, clock: FakeClock) -> AsyncIterator[Poster]:
    """A fake Bot API, the channel in webhook mode and an HTTP client, ready to post."""
    api = FakeBotApi()
    await api.start()
    root = logging.getLogger()
    level = root.level
    if root.getEffectiveLevel() > logging.ERROR:
        root.setLevel(logging.ERROR)
    try:
        async with webhook(api, store, clock) as (channel, url), httpx.AsyncClient(
                timeout=60) as client:
            p = Poster(api, store, channel, url, client)
            root.addHandler(p.errors)
            try:
                yield p
            finally:
                root.removeHandler(p.errors)
    finally:
        root.setLevel(level)
        await api.stop()


async def run(cases: list[Case], store: Store, clock: FakeClock, *, batch: int = 1,
              progress: Callable[[int], None] | None = None) -> Tally:
    """Post every case to the webhook (`batch` at a time), wait for the bot each time, tally."""
    async with poster(store, clock) as p:
        for start in range(0, len(cases), batch):
            await p.post(cases[start:start + batch])
            if progress:
                progress(min(start + batch, len(cases)))
        return p.tally


def _blame(chunk: list[Case], count: int, tally: Tally) -> None:
    """Errors are logged without the update, so a batch's errors go to the rows that did
    something visibly wrong in it (or to all its rows): exact with a batch of 1."""
    rows = Counter(c.row for c in chunk)
    for row in rows:
        tally.errors_logged[row] += count if len(rows) == 1 else 1


def _judge(cases: list[Case], sent: dict[int, list[str]], answered: set[str],
           tally: Tally) -> None:
    sorry_start = texts.SORRY.split()[0:3]
    for c in cases:
        replies = sent.get(c.chat_id, [])
        if any(r.split()[0:3] == sorry_start for r in replies):
            tally.apologies[c.row] += 1
        if c.expect in (ANSWER, CALLBACK) and not replies:
            tally.unanswered[c.row] += 1
        if c.expect == CALLBACK and c.callback_id not in answered:
            tally.spinner_left[c.row] += 1
        if c.expect in (IGNORE, REJECT) and replies:
            tally.replied_to_ignored[c.row] += 1


__all__ = ["MAX_WEBHOOK_BODY", "ROWS", "Case", "Poster", "Tally", "case", "mixed", "poster",
           "run", "webhook"]
