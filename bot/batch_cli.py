"""`trekbot batch create|list` and `trekbot leader invite`: what a trekking company types."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, timedelta
from urllib.parse import quote

import httpx

from bot.app import bootstrap
from bot.leader_auth import invite
from bot.settings import Settings
from conversations.formatting import long_date
from storage import batches as q

GRADES = ("easy", "moderate", "difficult")
TELEGRAM_API = "https://api.telegram.org"


def add_commands(sub: argparse._SubParsersAction) -> None:
    """The `batch` and `leader` subcommands."""
    batch = sub.add_parser("batch", help="trek batches: create one, list them")
    verbs = batch.add_subparsers(dest="verb", required=True)
    create = verbs.add_parser("create", help="a new batch; prints its code and join links")
    create.add_argument("--name", required=True, help='e.g. "Everest Base Camp May"')
    create.add_argument("--date", required=True, help="trek date, YYYY-MM-DD")
    create.add_argument("--grade", required=True, choices=GRADES)
    verbs.add_parser("list", help="every batch with its head count")
    leader = sub.add_parser("leader", help="trek leaders: sign-in links to the leader's page")
    lverbs = leader.add_subparsers(dest="verb", required=True)
    inv = lverbs.add_parser("invite", help="a one-time sign-in link for a batch's leader")
    inv.add_argument("--batch", required=True, help="the batch code")
    inv.add_argument("--name", help="the leader (the same name adds batches to one leader; "
                                    "default: the leader of this batch)")
    inv.add_argument("--hours", type=float, default=24.0,
                     help="hours until the link expires (default 24)")


def run(settings: Settings, args: argparse.Namespace) -> int:
    """Run a `batch` or `leader` subcommand; returns the exit status."""
    if args.command == "batch" and args.verb == "create":
        return asyncio.run(_create(settings, args.name, args.date, args.grade))
    if args.command == "batch":
        return asyncio.run(_list(settings))
    return asyncio.run(_invite(settings, args.batch, args.name, args.hours))


def _fail(message: str) -> int:
    print(f"trekbot: {message}", file=sys.stderr)
    return 2


async def _create(settings: Settings, name: str, raw_date: str, grade: str) -> int:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 120:
        return _fail("--name must be 1 to 120 characters")
    try:
        trek = date.fromisoformat(raw_date)
    except ValueError:
        return _fail(f"--date must be YYYY-MM-DD, like 2027-05-01; got {raw_date!r}")
    bot = await bootstrap(settings)
    try:
        today = bot.clock().date()
        if trek <= today:
            return _fail(f"--date {trek.isoformat()} is not in the future")
        if trek > today + timedelta(days=366):
            return _fail("--date is more than a year away; the coach plans up to a year ahead")
        async with bot.store.transaction() as tx:
            batch = await q.create_batch(tx, name, trek, grade)
        print(f"Batch created: {batch.name}, trek on {long_date(trek)} ({grade})")
        print(f"code: {batch.code}")
        for line in await join_links(settings, batch.code):
            print(line)
    finally:
        await bot.store.close()
    return 0


async def join_links(settings: Settings, code: str) -> list[str]:
    """A join link per configured messenger, and the terminal's command."""
    lines = []
    if settings.telegram:
        username = settings.telegram_bot_username or await _bot_username(settings)
        if username:
            lines.append(f"Telegram: https://t.me/{username}?start={code}")
        else:
            lines.append(f"Telegram: set TELEGRAM_BOT_USERNAME for the link; meanwhile "
                         f"people can send /start {code} to the bot")
    if settings.whatsapp:
        if settings.whatsapp_number:
            lines.append(f"WhatsApp: https://wa.me/{settings.whatsapp_number}?text="
                         f"{quote('join ' + code)}")
        else:
            lines.append(f"WhatsApp: set WHATSAPP_NUMBER for the link; meanwhile people can "
                         f"send \"join {code}\" to the business number")
    lines.append(f"Terminal: /start {code}")
    return lines


async def _bot_username(settings: Settings) -> str | None:
    """The bot's user name from the Bot API (getMe); None when it cannot be asked."""
    base = settings.telegram_base_url or TELEGRAM_API
    try:
        async with httpx.AsyncClient(timeout=10) as client:
            reply = await client.get(f"{base}/bot{settings.telegram_token}/getMe")
        data = reply.json()
    except (httpx.HTTPError, ValueError):
        return None
    result = data.get("result") if isinstance(data, dict) else None
    name = result.get("username") if isinstance(result, dict) else None
    return name if isinstance(name, str) else None


async def _list(settings: Settings) -> int:
    bot = await bootstrap(settings)
    try:
        async with bot.store.transaction() as tx:
            rows = await q.batches_with_counts(tx)
    finally:
        await bot.store.close()
    if not rows:
        print("No batches yet. Create one: trekbot batch create --name NAME "
              "--date YYYY-MM-DD --grade moderate")
        return 0
    width = max(len(b.code) for b, _ in rows)
    for b, count in rows:
        people = f"{count} trekker{'' if count == 1 else 's'}"
        print(f"{b.code:<{width}}  {b.trek_date.isoformat()}  {b.grade:<9}  {people:<12}  "
              f"{b.name}")
    return 0


async def _invite(settings: Settings, code: str, name: str | None, hours: float) -> int:
    if not 0 < hours <= 24 * 14:
        return _fail("--hours must be more than 0 and at most 336 (14 days)")
    bot = await bootstrap(settings)
    try:
        async with bot.store.transaction() as tx:
            batch = await q.batch_by_code(tx, code)
        if batch is None:
            return _fail(f"no batch has the code {code!r} (trekbot batch list shows them)")
        leader_name = name or f"leader of {batch.code}"
        found = await invite(bot.store, leader_name, batch.code, bot.clock(),
                             timedelta(hours=hours))
        assert found is not None
        token, chat_code = found
    finally:
        await bot.store.close()
    print(f"Sign-in link for {leader_name} ({batch.name}); it works once and expires in "
          f"{hours:g} hours:")
    print(f"{settings.base_url}/leader/signin/{token}")
    print(f"Alerts in the leader's own chat with the bot: send /leader {chat_code}")
    return 0
