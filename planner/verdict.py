"""'Should I run today?': a verdict, its reason code, and what to do instead."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from planner.api import session_for, yesterday_hard
from planner.focus import dress
from planner.history import History, LogKind
from planner.profile import Profile
from planner.sessions import Session, SessionType, as_easy

PRE_TREK_DAYS = 2
EASY_RUN_MINUTES = 20
EASY_WALK_MINUTES = 20


class VerdictAnswer(StrEnum):
    """Yes / yes, easy / no."""

    YES = "yes"
    YES_EASY = "yes_easy"
    NO = "no"


@dataclass(frozen=True)
class Verdict:
    """The answer, a reason code (rendered in plan_texts), and sessions."""

    answer: VerdictAnswer
    reason: str
    instead: Session | None = None
    run: Session | None = None


def _easy(profile: Profile, today: date, like: Session, stype: SessionType,
          minutes: int) -> Session:
    return dress(profile, replace(as_easy(like, stype, minutes, "verdict"), day=today))


def _early(profile: Profile, history: History, today: date,
           today_s: Session | None) -> Verdict | None:
    """The trek is close, pain 4+ or sickness in the last 48 hours, or not a runner."""
    if (profile.trek_date - today).days <= PRE_TREK_DAYS:
        return Verdict(VerdictAnswer.NO, "trek_close", instead=today_s)
    recent = today - timedelta(days=1)
    for e in history:
        if recent <= e.day <= today:
            if e.pain is not None and e.pain >= 4:
                return Verdict(VerdictAnswer.NO, "pain", instead=today_s)
            if e.kind is LogKind.SICK:
                return Verdict(VerdictAnswer.NO, "sick", instead=today_s)
    # the plan's own safety days answer the same: no run on a low-impact or sick day
    if today_s is not None and today_s.note == "pain_low_impact":
        return Verdict(VerdictAnswer.NO, "pain", instead=today_s)
    if today_s is not None and today_s.note in ("sick_rest", "sick_easy", "sick_back"):
        return Verdict(VerdictAnswer.NO, "sick", instead=today_s)
    if not profile.runner:
        return Verdict(VerdictAnswer.NO, "not_runner", instead=today_s)
    return None


def _run_day(profile: Profile, today: date, today_s: Session, hard_y: bool) -> Verdict:
    """A run is planned today: run it, or easy after a hard day."""
    if hard_y and today_s.note == "after_hard":  # the plan already made it the easy version
        return Verdict(VerdictAnswer.YES_EASY, "hard_yesterday", run=today_s)
    if hard_y and today_s.hard:
        if profile.joint_issue:
            return Verdict(VerdictAnswer.NO, "hard_yesterday", instead=_easy(
                profile, today, today_s, SessionType.MOBILITY, 15))
        run = _easy(profile, today, today_s, SessionType.ZONE2_RUN, 30)
        return Verdict(VerdictAnswer.YES_EASY, "hard_yesterday", run=run)
    return Verdict(VerdictAnswer.YES, "run_planned", run=today_s)


def should_run(profile: Profile, history: History, today: date,
               trained_today: bool = False) -> Verdict:
    """Rules in PLANNER.md order, except that pain and sickness come before "not a runner"
    (safety is never buried under a general reason): trek close, pain/sickness, not a
    runner, already trained or rest day, hard yesterday, run planned, another session."""
    if today >= profile.trek_date:
        return Verdict(VerdictAnswer.NO, "trek_started")
    today_s = None if today < profile.start_date else session_for(profile, history, today,
                                                                  today)
    early = _early(profile, history, today, today_s)
    if early is not None:
        return early
    if today_s is None:
        return Verdict(VerdictAnswer.NO, "not_started")
    trained = trained_today or any(e.day == today and e.kind is LogKind.DONE for e in history)
    if trained or not today_s.training:
        return Verdict(VerdictAnswer.NO, "trained_today" if trained else "rest_day",
                       instead=_easy(profile, today, today_s, SessionType.EASY_WALK,
                                     EASY_WALK_MINUTES))
    hard_y = yesterday_hard(profile, history, today)
    if today_s.is_run:
        return _run_day(profile, today, today_s, hard_y)
    if not profile.joint_issue and not hard_y:
        run = _easy(profile, today, today_s, SessionType.ZONE2_RUN, EASY_RUN_MINUTES)
        return Verdict(VerdictAnswer.YES_EASY, "other_first", instead=today_s, run=run)
    return Verdict(VerdictAnswer.NO, "other_planned", instead=today_s)
