"""Changing the plan in a sentence: the optional profile (weight, stairs, bike or gym), the
trek's grade and training days dropped. Each change is stored on the profile JSON, the
plan is rebuilt, and the reply says what changed. One-off swaps: `day_swaps.py`."""

from __future__ import annotations

from typing import Any

from conversations import profile_texts as t
from conversations.formatting import duration
from conversations.intent import Parsed
from conversations.messages import Outgoing
from conversations.plans import rebuild_plan
from conversations.profile import to_planner
from conversations.turn import Turn
from planner import Grade, targets
from planner.doses import start_pack

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FULL_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _kg(x: float) -> str:
    return f"{x:g}"


def profile_lines(data: dict[str, Any], parsed: Parsed) -> tuple[dict[str, Any], list[str]]:
    """The profile changes a message asks for, and a line for each."""
    changes: dict[str, Any] = {}
    lines: list[str] = []
    if parsed.weight_kg is not None and data.get("body_weight_kg") != parsed.weight_kg:
        changes["body_weight_kg"] = parsed.weight_kg
        p = to_planner({**data, **changes})
        pack, top = start_pack(p), float(targets(p.grade).pack_kg[1])
        text = t.WEIGHT_SET if pack < top else t.WEIGHT_SET_TOP
        lines.append(text.format(kg=_kg(parsed.weight_kg), pack=_kg(pack), top=_kg(top)))
    if parsed.stairs is not None and data.get("stairs") is not parsed.stairs:
        changes["stairs"] = parsed.stairs
        lines.append(t.STAIRS_YES if parsed.stairs else t.STAIRS_NO)
    had = bool(data.get("bike") or data.get("gym")) if (
        data.get("bike") is not None or data.get("gym") is not None) else None
    for key in ("bike", "gym"):
        said = getattr(parsed, key)
        if said is not None and data.get(key) is not said:
            changes[key] = said
    if "bike" in changes or "gym" in changes:
        merged = {**data, **changes}
        now = bool(merged.get("bike") or merged.get("gym"))
        if now != had:
            lines.append(t.BIKE_YES if now else t.BIKE_NO)
        elif not now:
            lines.append(t.BIKE_NO)
        else:
            lines.append(t.GYM_NO_BIKE_YES if changes.get("gym") is False else t.BIKE_YES)
    return changes, lines


async def set_profile(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    """"I weigh 70 kg", "there are no stairs near me", "I don't have a bike", "I have a
    gym": stored on the profile, the plan rebuilt."""
    data = dict(turn.user.profile or {})
    changes, lines = profile_lines(data, parsed)
    if not changes:
        return [Outgoing(t.NOTHING_CHANGED)]
    turn.tx.update_profile(turn.user, **changes)
    await rebuild_plan(turn.tx, turn.user, turn.today)
    return [Outgoing("\n".join([*lines, t.REPLANNED]))]


async def set_grade(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    """"my trek is actually difficult": a new grade, the plan rebuilt (swaps dropped: the
    week is laid out again)."""
    grade = Grade(parsed.grade or "moderate")
    if (turn.user.profile or {}).get("grade") == grade.value:
        return [Outgoing(t.GRADE_SAME.format(grade=grade.value))]
    turn.tx.update_profile(turn.user, grade=grade.value, swaps=[])
    await rebuild_plan(turn.tx, turn.user, turn.today)
    tg = targets(grade)
    return [Outgoing(t.GRADE_SET.format(grade=grade.value, walk=duration(tg.long_walk_minutes),
                                        pack=tg.pack_kg[1]))]


def _day_list(days: list[int] | tuple[int, ...]) -> str:
    return ", ".join(DAY_NAMES[d] for d in sorted(days))


def _gap(a: int, b: int) -> int:
    return min((a - b) % 7, (b - a) % 7)


def _replacement(days: list[int], dropped: set[int]) -> int | None:
    """A free weekday instead of a dropped one: the farthest from the other training days
    (the earliest on a tie); None when every other day is taken."""
    free = [d for d in range(7) if d not in days and d not in dropped]
    if not free:
        return None
    return max(free, key=lambda d: (min((_gap(d, x) for x in days), default=7), -d))


async def drop_days(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    """"I can't train on Wednesdays anymore": those days leave the training week."""
    profile = turn.profile
    assert profile is not None
    gone = set(parsed.weekdays or ())
    current = list(profile.weekdays)
    named = ", ".join(FULL_NAMES[d] + "s" for d in sorted(gone))
    if not gone & set(current):
        return [Outgoing(t.DAYS_NOT_TRAINING.format(dropped=named, days=_day_list(current)))]
    days = [d for d in current if d not in gone]
    added: list[int] = []
    while len(days) < len(current):  # the same number of days a week, on other days
        extra = _replacement(days, gone)
        if extra is None:
            break
        days.append(extra)
        added.append(extra)
    if len(days) < 3:
        return [Outgoing(t.DAYS_TOO_FEW)]
    days.sort()
    turn.tx.update_profile(turn.user, training_weekdays=days, days_per_week=len(days), swaps=[])
    await rebuild_plan(turn.tx, turn.user, turn.today)
    if added:
        return [Outgoing(t.DAYS_DROPPED_REPLACED.format(
            dropped=named, added=", ".join(FULL_NAMES[d] for d in added), n=len(days),
            days=_day_list(days)))]
    return [Outgoing(t.DAYS_DROPPED.format(dropped=named, days=_day_list(days)))]
