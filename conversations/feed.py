"""The calendar feed: a per-user secret URL path and the .ics it serves.

`feed_path` makes the secret on first use (stored with the caller's transaction);
`feed_calendar` checks a presented secret in constant time and builds the calendar as of
the user's local today. The web route lives in bot/feed.py.
"""

from __future__ import annotations

import hmac
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

from conversations.export import CalendarOwner, calendar_ics
from conversations.history import load
from planner import build_plan
from storage import Tx, User

SECRET_BYTES = 24


def feed_path(tx: Tx, user: User) -> str:
    """'/calendar/ID/SECRET.ics' for a user, making the secret when there is none."""
    if not user.feed_secret:
        tx.update_user(user, feed_secret=secrets.token_urlsafe(SECRET_BYTES))
    return f"/calendar/{user.id}/{user.feed_secret}.ics"


def owner_of(user: User) -> CalendarOwner:
    """The calendar's UID seed, trek date and alarm time for a user."""
    trek = (user.profile or {}).get("trek_date")
    return CalendarOwner(f"{user.channel}-{user.id}", date.fromisoformat(str(trek)),
                         user.reminder_minutes)


def secret_ok(user: User | None, presented: str) -> bool:
    """Whether `presented` is the user's feed secret (compared in constant time)."""
    real = (user.feed_secret or "") if user is not None else ""
    return bool(real) and hmac.compare_digest(real.encode(), presented.encode())


async def feed_calendar(tx: Tx, user_id: int, presented: str, now: datetime) -> bytes | None:
    """The user's calendar, or None when the user or the secret does not match."""
    user = await tx.user_by_id(user_id)
    if user is None or not secret_ok(user, presented):
        return None
    profile = user.profile or {}
    if not (profile.get("trek_date") and profile.get("start_date")):
        return None
    try:
        zone = ZoneInfo(user.timezone or "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    today = now.astimezone(zone).date()
    planner_profile, history, _ = await load(tx, user)
    plan = build_plan(planner_profile, history, today)
    return calendar_ics(plan, today, owner_of(user), now)
