"""Onboarding: six questions, one state each (two for the last), answers kept in context.

Each answer is parsed (`conversations/parsing/`), acknowledged, and stored in
the context's `answers` in the same transaction, so a restart resumes at the same
question. An answer that is not understood gets a short re-ask and the state stays.
`back` returns to the previous question, `/restart` starts over, `/help` explains.
At the end the profile, reminder time and timezone are saved, the plan is built and a
summary with the first week is shown. The state diagram is in `conversations/states.md`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from conversations import onboarding_extras
from conversations import onboarding_texts as T
from conversations.formatting import clock_time, long_date, short_date, span
from conversations.messages import Choice, Outgoing
from conversations.parsing.days import parse_days
from conversations.parsing.grade import parse_grade
from conversations.parsing.joints import parse_joints
from conversations.parsing.numbers import parse_minutes
from conversations.parsing.remindertime import parse_time
from conversations.parsing.timezone import parse_zone
from conversations.parsing.trekdate import parse_trek_date
from conversations.parsing.words import clean
from conversations.plan_texts import lead_time_text, week_text
from conversations.plans import rebuild_plan
from conversations.profile import from_answers
from conversations.schedule import next_prompt_at
from conversations.states import State
from conversations.turn import Turn
from planner import Plan
from storage import UserStatus

S = State
QUESTIONS: dict[State, tuple[str, str, int]] = {  # state -> (answer field, question, number)
    S.ASK_RUNNING: ("running", T.ASK_RUNNING, 1),
    S.ASK_RUN_MINUTES: ("run_minutes", T.ASK_RUN_MINUTES, 1),
    S.ASK_JOINTS: ("joints", T.ASK_JOINTS, 2),
    S.ASK_TREK_DATE: ("trek_date", T.ASK_TREK_DATE, 3),
    S.ASK_GRADE: ("grade", T.ASK_GRADE, 4),
    S.ASK_DAYS: ("days", T.ASK_DAYS, 5),
    S.ASK_REMINDER: ("reminder", T.ASK_REMINDER, 6),
    S.ASK_TIMEZONE: ("timezone", T.ASK_TIMEZONE, 6),
}
ONBOARDING_STATES = frozenset(QUESTIONS)
_BACK = {"back", "go back", "previous", "undo", "/back", "oops", "wait go back"}
_RESTART = {"restart", "start over", "start again", "/restart", "reset"}
_HELP = {"help", "/help", "menu", "help me", "what"}
MAX_JOINT_WORDS = 200


@dataclass
class Understood:
    """A parsed answer: what to store and what to say back."""

    updates: dict[str, Any]
    ack: list[str] = field(default_factory=list)


def is_onboarding(state: State) -> bool:
    return state in ONBOARDING_STATES


# --- questions ---------------------------------------------------------------------------
def question(state: State, prefix: str = "", answers: dict[str, Any] | None = None
             ) -> Outgoing:
    """A question with its progress ("2 of 6"; fewer when a batch preset some) and choices."""
    name, text, number = QUESTIONS[state]
    preset = {QUESTIONS[s][2] for s in QUESTIONS
              if QUESTIONS[s][0] in (answers or {}).get("preset", ())}
    progress = T.PROGRESS.format(n=number - sum(1 for p in preset if p < number),
                                 total=T.TOTAL - len(preset))
    body = f"{prefix}\n\n{progress}{text}" if prefix else f"{progress}{text}"
    return Outgoing(body, choices=choices(name))


def choices(name: str) -> tuple[Choice, ...]:
    return tuple(Choice(f"{name}:{value}", label) for value, label in T.CHOICES[name])


def _answers(turn: Turn) -> dict[str, Any]:
    return dict(turn.context.answers)


def _save(turn: Turn, answers: dict[str, Any]) -> None:
    turn.update_context(answers=answers)


def _answer_text(turn: Turn, name: str) -> tuple[str, bool]:
    """The text to parse, and whether it came from a choice (a choice's label is parsed)."""
    cid = turn.incoming.choice_id or ""
    if cid.startswith(f"{name}:"):
        value = cid.split(":", 1)[1]
        for v, label in T.CHOICES[name]:
            if v == value:
                return label, True
    return turn.text, False


# --- one parser per question: an Understood, or the re-ask text --------------------------
def take_running(turn: Turn, text: str, answers: dict[str, Any]) -> Understood | str:
    from conversations.parsing.yesno import parse_running

    value = parse_running(text)
    if value is None:
        return T.REASK["running"]
    return Understood({"running": value}, [T.GOT_RUNNING[value]])


def take_run_minutes(turn: Turn, text: str, answers: dict[str, Any]) -> Understood | str:
    minutes = parse_minutes(text)
    if minutes is None:
        return T.REASK["run_minutes"]
    if not 1 <= minutes <= 300:
        return T.REASK["run_minutes_range"]
    return Understood({"run_minutes": minutes}, [T.GOT_RUN_MINUTES.format(minutes=minutes)])


def take_joints(turn: Turn, text: str, answers: dict[str, Any]) -> Understood | str:
    joints = parse_joints(text)
    if joints is None:
        return T.REASK["joints"]
    words = "" if turn.incoming.choice_id or not joints else text[:MAX_JOINT_WORDS]
    if not joints:
        return Understood({"joints": [], "joint_words": ""}, [T.GOT_JOINTS_NONE])
    named = ", ".join(T.JOINT_NAMES[j] for j in joints)
    return Understood({"joints": joints, "joint_words": words},
                      [T.GOT_JOINTS.format(joints=named)])


def take_trek_date(turn: Turn, text: str, answers: dict[str, Any]) -> Understood | str:
    today = turn.today
    day = parse_trek_date(text, today)
    if day is None:
        return T.REASK["trek_date"]
    if day < today:
        return T.REASK["trek_past"].format(date=long_date(day))
    if day == today:
        return T.REASK["trek_today"]
    if day > today + timedelta(days=366):
        return T.REASK["trek_far"].format(date=long_date(day))
    days = (day - today).days
    ack = T.GOT_TREK.format(date=long_date(day), span=span(days))
    if days < 21:
        ack += T.GOT_TREK_SHORT
    return Understood({"trek_date": day.isoformat()}, [ack])


def take_grade(turn: Turn, text: str, answers: dict[str, Any]) -> Understood | str:
    found = parse_grade(text)
    if found is None:
        return T.REASK["grade"]
    grade, unsure = found
    ack = T.GOT_GRADE_UNSURE if unsure else T.GOT_GRADE.format(
        article="an" if grade[0] in "aeiou" else "a", grade=grade)
    return Understood({"grade": grade}, [ack])


def take_days(turn: Turn, text: str, answers: dict[str, Any]) -> Understood | str:
    days = parse_days(text)
    if days is None or not 1 <= days <= 7:
        return T.REASK["days"]
    note = []
    if days == 7:
        days, note = 6, [T.GOT_DAYS_MAX]
    elif days < 3:
        days, note = 3, [T.GOT_DAYS_MIN]
    return Understood({"days": days}, [T.GOT_DAYS.format(days=days), *note])


def _zone_ack(turn: Turn, zone: str, place: str) -> str:
    from zoneinfo import ZoneInfo

    now = turn.now.astimezone(ZoneInfo(zone))
    return T.GOT_ZONE.format(place=place, zone=zone, now=clock_time(now.hour * 60 + now.minute))


def take_reminder(turn: Turn, text: str, answers: dict[str, Any]) -> Understood | str:
    minutes = parse_time(text)
    found = None if turn.incoming.choice_id else parse_zone(_without_time(text))
    if minutes is None:
        if found is None:
            return T.REASK["reminder"]
        # Only a place: keep it and ask the time again (the state stays).
        answers["timezone"] = found[0]
        _save(turn, answers)
        return _zone_ack(turn, *found) + "\n" + T.REASK["reminder"]
    updates: dict[str, Any] = {"reminder": minutes}
    ack = [T.GOT_REMINDER.format(time=clock_time(minutes))]
    if found is not None:
        updates["timezone"] = found[0]
        ack.append(_zone_ack(turn, *found))
    return Understood(updates, ack)


def take_timezone(turn: Turn, text: str, answers: dict[str, Any]) -> Understood | str:
    found = parse_zone(text)
    if found is None and not turn.incoming.choice_id:
        found = parse_zone(_without_time(text))
    if found is None:
        return T.REASK["timezone"]
    updates: dict[str, Any] = {"timezone": found[0]}
    ack = []
    minutes = None if turn.incoming.choice_id else parse_time(text)
    if minutes is not None and minutes != answers.get("reminder"):
        updates["reminder"] = minutes
        ack.append(T.GOT_REMINDER.format(time=clock_time(minutes)))
    ack.append(_zone_ack(turn, *found))
    return Understood(updates, ack)


def _without_time(text: str) -> str:
    """The text with its time of day removed, so "7:30 in Mumbai" leaves "in Mumbai"."""
    from conversations.parsing.numbers import words_to_numbers
    from conversations.parsing.remindertime import time_spans

    t = words_to_numbers(clean(text))  # the same positions as time_spans (offsets kept)
    for start, end in reversed(time_spans(text)):
        t = t[:start] + " " + t[end:]
    t = clean(t)
    for word in ("in the morning", "in the evening", "at night", "morning", "evening", "am",
                 "pm", "o'clock", "oclock"):
        t = f" {t} ".replace(f" {word} ", " ").strip()
    return t


TAKE = {
    S.ASK_RUNNING: take_running,
    S.ASK_RUN_MINUTES: take_run_minutes,
    S.ASK_JOINTS: take_joints,
    S.ASK_TREK_DATE: take_trek_date,
    S.ASK_GRADE: take_grade,
    S.ASK_DAYS: take_days,
    S.ASK_REMINDER: take_reminder,
    S.ASK_TIMEZONE: take_timezone,
}


def next_state(state: State, answers: dict[str, Any]) -> State | None:
    """The question after `state`, or None when onboarding is complete; questions whose
    answer was preset (by a trek batch: `answers["preset"]`) are passed over."""
    following = _after(state, answers)
    while following is not None and QUESTIONS[following][0] in answers.get("preset", ()):
        following = _after(following, answers)
    return following


def _after(state: State, answers: dict[str, Any]) -> State | None:
    if state is S.ASK_RUNNING:
        return S.ASK_JOINTS if answers.get("running") == "no" else S.ASK_RUN_MINUTES
    if state is S.ASK_REMINDER:
        return None if answers.get("timezone") else S.ASK_TIMEZONE
    if state is S.ASK_TIMEZONE:
        return None
    order = list(QUESTIONS)
    return order[order.index(state) + 1]


def previous_state(state: State, answers: dict[str, Any]) -> State | None:
    """The question before `state` (None for the first), passing over preset answers."""
    before = _before(state, answers)
    while before is not None and QUESTIONS[before][0] in answers.get("preset", ()):
        before = _before(before, answers)
    return before


def _before(state: State, answers: dict[str, Any]) -> State | None:
    if state is S.ASK_RUNNING:
        return None
    if state is S.ASK_JOINTS:
        return S.ASK_RUNNING if answers.get("running") == "no" else S.ASK_RUN_MINUTES
    order = list(QUESTIONS)
    return order[order.index(state) - 1]


# --- handlers ------------------------------------------------------------------------------
def begin(turn: Turn) -> None:
    """Onboarding from its first question; only answers a trek batch preset are kept."""
    old = _answers(turn)
    preset = list(old.get("preset") or ())
    kept = {k: old[k] for k in preset if k in old}
    turn.update_context(answers={**kept, "preset": preset} if kept else {})
    turn.tx.set_user_status(turn.user, UserStatus.ONBOARDING)
    turn.tx.update_user(turn.user, next_prompt_at=None)
    turn.go(S.ASK_RUNNING)


def _begin(turn: Turn, intro: str) -> list[Outgoing]:
    begin(turn)
    return [question(S.ASK_RUNNING, intro, _answers(turn))]


async def on_new(turn: Turn) -> list[Outgoing]:
    """Any first message starts onboarding."""
    return _begin(turn, T.WELCOME)


async def on_start(turn: Turn) -> list[Outgoing]:
    """/start: begin, resume the current question, or say it's done already."""
    if turn.state is S.NEW:
        return _begin(turn, T.WELCOME)
    if is_onboarding(turn.state):
        return [question(turn.state, T.RESUME, _answers(turn))]
    return [Outgoing(T.ALREADY_SET_UP)]


async def on_restart(turn: Turn) -> list[Outgoing]:
    """/restart: the questions from the first one; the old profile stays until the end."""
    return _begin(turn, T.WELCOME)


async def on_help(turn: Turn) -> list[Outgoing]:
    """/help during onboarding: what's going on, then the current question again."""
    return [question(turn.state, T.HELP, _answers(turn))]


async def on_answer(turn: Turn) -> list[Outgoing]:
    """An answer to the current question (or back / restart / help in plain words)."""
    state = turn.state
    word = clean(turn.text) if not turn.incoming.choice_id else ""
    if word in _BACK or turn.text.strip().lower() == "/back":
        return _back(turn)
    if word in _RESTART:
        return await on_restart(turn)
    if word in _HELP:
        return await on_help(turn)
    answers = _answers(turn)
    name = QUESTIONS[state][0]
    text, _ = _answer_text(turn, name)
    result = TAKE[state](turn, text, answers)
    if isinstance(result, str):
        return [Outgoing(result, choices=choices(name))]
    answers.update(result.updates)
    _save(turn, answers)
    following = next_state(state, answers)
    ack = "\n".join(result.ack)
    if following is None:
        return await _finish(turn, answers, ack)
    turn.go(following)
    return [question(following, ack, answers)]


def _back(turn: Turn) -> list[Outgoing]:
    answers = _answers(turn)
    previous = previous_state(turn.state, answers)
    if previous is None:
        return [question(turn.state, T.FIRST_QUESTION, answers)]
    if previous is S.ASK_REMINDER:
        answers.pop("timezone", None)
        _save(turn, answers)
    turn.go(previous)
    return [question(previous, "Okay, let's redo this one.", answers)]


LATE_START_MINUTES = 21 * 60  # from 21:00 local the first session is tomorrow at the earliest


async def _finish(turn: Turn, answers: dict[str, Any], ack: str) -> list[Outgoing]:
    """Save everything, build the plan, and show what was understood and the first week."""
    user = turn.user
    zone, minutes = answers["timezone"], int(answers["reminder"])
    turn.tx.update_user(user, timezone=zone, reminder_minutes=minutes)
    today = turn.today  # now in the user's own zone
    # Finishing late in the evening: the plan starts tomorrow (no session offered tonight).
    late = turn.local_now.hour * 60 + turn.local_now.minute >= LATE_START_MINUTES
    profile = from_answers(answers, today + timedelta(days=1) if late else today)
    turn.tx.update_user(user, profile=profile,
                        next_prompt_at=next_prompt_at(minutes, zone, turn.now))
    turn.tx.set_user_status(user, UserStatus.ACTIVE)
    turn.forget_context("answers")
    turn.go(S.ACTIVE)
    plan = await rebuild_plan(turn.tx, user, today)
    assert plan is not None
    return [Outgoing(ack), Outgoing(summary(profile, minutes, zone, today)),
            Outgoing(first_week(plan, today, minutes)), *onboarding_extras.begin(turn)]


def summary(profile: dict[str, Any], minutes: int, zone: str, today: date) -> str:
    trek = date.fromisoformat(profile["trek_date"])
    joints = profile["joints"]
    joint_text = ", ".join(T.JOINT_NAMES[j] for j in joints) if joints else "none"
    if profile["joint_words"]:
        joint_text += f" (\"{profile['joint_words']}\")"
    lines = [
        T.SUMMARY_TITLE,
        "- " + T.SUMMARY_RUNNING[profile["running"]].format(
            minutes=profile["easy_run_minutes"]),
        "- " + T.SUMMARY_JOINTS.format(joints=joint_text),
        "- " + T.SUMMARY_TREK.format(date=long_date(trek), grade=profile["grade"],
                                     span=span((trek - today).days)),
        "- " + T.SUMMARY_DAYS.format(days=profile["days_per_week"]),
        "- " + T.SUMMARY_REMINDER.format(time=clock_time(minutes), zone=zone),
    ]
    return "\n".join(lines)


def first_week(plan: Plan, today: date, minutes: int) -> str:
    """The first week of the real plan, the first session's day, and a lead-time warning."""
    lines = [T.FIRST_WEEK_TITLE]
    warning = lead_time_text(plan.lead)
    if warning:
        lines += [warning, ""]
    if plan.weeks:
        lines.append(week_text(plan.weeks[0], today))
    first = next((s for w in plan.weeks for s in w.sessions if s.training), None)
    if first is not None:
        when = ("today" if first.day == today
                else f"tomorrow, {short_date(first.day)}" if first.day == today + timedelta(days=1)
                else short_date(first.day))
        lines += ["", T.FIRST_SESSION.format(when=when, time=clock_time(minutes))]
    lines.append(T.CHANGE_HINT)
    return "\n".join(lines)
