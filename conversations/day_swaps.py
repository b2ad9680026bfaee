"""One-off day swaps in a sentence: "move today to tomorrow", "swap Saturday's walk to
Sunday", "move my long walk to Sunday". The day words become dates, the planner says
whether the swap keeps the week rules (`planner.swap_check`); a kept swap is stored on
the profile (``swaps``) and the plan rebuilt, so `today`, /plan and the morning push
follow it; a refused one says why and offers the nearest day that works."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from conversations import plan_texts as pt
from conversations import profile_texts as t
from conversations.facts import Facts, facts, label
from conversations.formatting import short_date
from conversations.history import logged_on
from conversations.intent import Intent, Parsed
from conversations.messages import Outgoing
from conversations.plans import rebuild_plan
from conversations.profile_talk import FULL_NAMES
from conversations.turn import Turn
from planner import SessionType, swap_check
from planner.sessions import RUNNING_TYPES

WORD_DAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
MAX_SWAPS = 60  # swaps kept on the profile (older ones drop off)


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


def _done_days(word_a: str, word_b: str, today: date) -> tuple[date, date]:
    """"done on Sunday instead of Saturday": (the planned day, the day it was done). The
    day done is the latest on or before today; the planned day the one closest to it."""
    b = today if word_b == "today" else today - timedelta(
        days=(today.weekday() - WORD_DAYS[word_b]) % 7)
    if word_a == "today":
        return today, b
    ahead = b + timedelta(days=(WORD_DAYS[word_a] - b.weekday()) % 7)
    behind = ahead - timedelta(days=7)
    return (behind if b - behind <= ahead - b else ahead), b


async def done_on_another_day(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    """"I walked on Sunday instead of Saturday": the swap already happened. It is kept on
    the profile as it was done (no week-rule check: it is history) and the session is
    logged as done on the day it was done."""
    from conversations.logbook import log_done  # the done log and its reply

    f = await facts(turn)
    today = f.today
    a, b = _done_days(*(parsed.swap or ("today", "today")), today)
    if not (f.profile.start_date <= a < f.profile.trek_date
            and f.profile.start_date <= b < f.profile.trek_date):
        return [Outgoing(t.SWAP_NO_PLAN_DAY)]
    sa, sb = f.session_on(a), f.session_on(b)
    moved = sa is not None and sa.training and logged_on(f.rows, a, "done") is None \
        and logged_on(f.rows, b, "done") is None
    if moved and sa is not None:
        before = list((turn.user.profile or {}).get("swaps") or [])
        swaps = [*before, [a.isoformat(), b.isoformat()]]
        turn.tx.update_profile(turn.user, swaps=swaps[-MAX_SWAPS:])
        await rebuild_plan(turn.tx, turn.user, today, f.history, regive=(a, b))
        other = sb is not None and sb.training
        line = (t.DONE_MOVED_BOTH if other else t.DONE_MOVED).format(
            what=f"{FULL_NAMES[a.weekday()]}'s {pt.NAMES[sa.type].lower()}",
            b=_when(b, today), a=_when(a, today),
            other=pt.NAMES[sb.type].lower() if sb is not None else "")
        done = await log_done(turn, replace(parsed, intent=Intent.DONE), on=b)
        return [replace(done[0], text=f"{line}\n{done[0].text}"), *done[1:]]
    return await log_done(turn, replace(parsed, intent=Intent.DONE), on=b)


async def swap_day(turn: Turn, parsed: Parsed) -> list[Outgoing]:
    """"move today to tomorrow", "swap Saturday's walk to Sunday": a one-off swap, kept on
    the profile when it breaks no week rule; else why, and the nearest day that works."""
    if parsed.swap_done:
        return await done_on_another_day(turn, parsed)
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
    await rebuild_plan(turn.tx, turn.user, today, f.history, regive=(a, b))
    what, ad, bd = label(sa), _when(a, today), _when(b, today)
    if sb is not None and sb.training:
        return [Outgoing(t.SWAPPED_BOTH.format(what=what, a=ad, b=bd, other=label(sb)))]
    return [Outgoing(t.SWAPPED.format(what=what, a=ad, b=bd))]
