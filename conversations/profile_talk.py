"""Changing the plan in a sentence: the optional profile (weight, stairs, bike or gym), the
trek's grade, training days dropped, and one-off day swaps. Each change is stored on the
profile JSON, the plan is rebuilt, and the reply says what changed."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from conversations import profile_texts as t
from conversations.facts import Facts, facts, label
from conversations.formatting import duration, short_date
from conversations.history import logged_on
from conversations.intent import Parsed
from conversations.messages import Outgoing
from conversations.plans import rebuild_plan
from conversations.profile import to_planner
from conversations.turn import Turn
from planner import Grade, SessionType, swap_check, targets
from planner.doses import start_pack
from planner.sessions import RUNNING_TYPES

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FULL_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WORD_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
MAX_SWAPS = 60  # swaps kept on the profile (older ones drop off)


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


# -- one-off swaps ----------------------------------------------------------------------
def resolve(word: str, today: date, near: date | None = None) -> date:
    """A day word as a date: "today", "tomorrow", or a weekday - the next one from today,
    or (``near`` given) the one closest to ``near`` that is not before today."""
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    wd = WORD_DAYS[word]
    if near is None:
        return today + timedelta(days=(wd - today.weekday()) % 7)
    ahead = near + timedelta(days=(wd - near.weekday()) % 7)
    behind = ahead - timedelta(days=7)
    if behind >= today and (near - behind) < (ahead - near):
        return behind
    return ahead


def _word(day: date, today: date) -> str:
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    return FULL_NAMES[day.weekday()].lower()


def _when(day: date, today: date) -> str:
    w = _word(day, today)
    return f"{w} ({short_date(day)})" if w in ("today", "tomorrow") else short_date(day)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


KINDS: dict[str, frozenset[SessionType]] = {
    "walk": frozenset({SessionType.BACKPACK_WALK, SessionType.SECOND_WALK}),
    "run": RUNNING_TYPES,
    "strength": frozenset({SessionType.STRENGTH}),
    "stairs": frozenset({SessionType.STAIRS, SessionType.STEP_UPS}),
    "ride": frozenset({SessionType.CYCLING, SessionType.BRISK_WALK}),
}
KIND_NAMES = {"walk": "walk", "run": "run", "strength": "strength", "stairs": "stairs",
              "ride": "ride"}


def _session_of_kind(f: Facts, kind: str, near: date) -> date | None:
    """The day of the session of ``kind`` closest to ``near`` (the long walk before the
    second walk on a tie), from today and up to a week away; None when there is none."""
    found = []
    for k in range(-7, 8):
        day = near + timedelta(days=k)
        if day < f.today or day == near or not f.profile.start_date <= day < f.profile.trek_date:
            continue
        s = f.session_on(day)
        if s is not None and s.type in KINDS[kind]:
            found.append((abs(k), s.type is not SessionType.BACKPACK_WALK, k < 0, day))
    return min(found)[3] if found else None


async def swap_day(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    """"move today to tomorrow", "swap Saturday's walk to Sunday": a one-off swap, kept on
    the profile when it breaks no week rule; else why, and the nearest day that works."""
    f = await facts(turn)
    today = f.today
    word_a, word_b = parsed.swap or ("today", "tomorrow")
    if word_a.startswith("kind:"):  # "move my long walk to Sunday"
        b = resolve(word_b, today)
        found = _session_of_kind(f, word_a[5:], b)
        if found is None:
            return [Outgoing(t.SWAP_NO_KIND.format(kind=KIND_NAMES[word_a[5:]]))]
        a = found
    else:
        a = resolve(word_a, today)
        b = resolve(word_b, today, near=a)
    if not f.profile.start_date <= a < f.profile.trek_date:
        return [Outgoing(t.SWAP_NO_PLAN_DAY)]
    done = next((d for d in (a, b) if logged_on(f.rows, d, "done") is not None), None)
    if done is not None:
        return [Outgoing(t.SWAP_DONE.format(day=_when(done, today)))]
    check = swap_check(f.profile, f.history, today, a, b)
    sa, sb = f.session_on(a), f.session_on(b)
    if check.problem == "same_day":
        return [Outgoing(t.SWAP_SAME)]
    if check.problem == "nothing_to_move" or sa is None:
        return [Outgoing(t.SWAP_NOTHING.format(a=_cap(_when(a, today))))]
    if check.problem is not None:
        why = t.SWAP_PROBLEM[check.problem].format(
            b=_cap(_when(b, today)),
            clash=_when(check.clash, today) if check.clash else "")
        if check.nearest is None:
            return [Outgoing(f"{why} {t.SWAP_NO_NEAREST}")]
        offer = t.SWAP_NEAREST.format(day=_cap(_when(check.nearest, today)),
                                      a_word=_word(a, today),
                                      day_word=_word(check.nearest, today))
        return [Outgoing(f"{why} {offer}")]
    before = list((turn.user.profile or {}).get("swaps") or [])
    swaps = [*before, [a.isoformat(), b.isoformat()]]
    turn.tx.update_profile(turn.user, swaps=swaps[-MAX_SWAPS:])
    await rebuild_plan(turn.tx, turn.user, today, f.history)
    what, ad, bd = label(sa), _when(a, today), _when(b, today)
    if sb is not None and sb.training:
        return [Outgoing(t.SWAPPED_BOTH.format(what=what, a=ad, b=bd, other=label(sb)))]
    return [Outgoing(t.SWAPPED.format(what=what, a=ad, b=bd))]
