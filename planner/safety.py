"""Pain and sickness rules as tables (traffic light; above/below the neck)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PainLevel(StrEnum):
    """Traffic-light level of a pain score."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


@dataclass(frozen=True)
class PainRule:
    """What a pain band means for training."""

    low: int
    high: int
    level: PainLevel
    carry_on: bool
    reduce_next: bool
    low_impact_days: int
    hold_next_week: bool = False  # no progression: the next plan week is held, and from
    # the day after the pain to the end of that week no session is longer or heavier than
    # its type's last planned dose before the pain


# 0-3 carry on; 4-5 carry on with caution, do less next time; 6+ stop, go low impact,
# and do not progress the week after (a careful coach's judgement).
PAIN_TABLE: tuple[PainRule, ...] = (
    PainRule(0, 3, PainLevel.GREEN, True, False, 0),
    PainRule(4, 5, PainLevel.AMBER, True, True, 1),
    PainRule(6, 10, PainLevel.RED, False, True, 3, hold_next_week=True),
)


@dataclass(frozen=True)
class PainAdvice:
    """Advice for a pain score."""

    pain: int
    area: str | None
    level: PainLevel
    carry_on: bool
    reduce_next: bool
    low_impact_days: int
    see_professional: bool


def pain_rule(pain: int) -> PainRule:
    """The band a pain score falls in."""
    p = max(0, min(10, pain))
    return next(r for r in PAIN_TABLE if r.low <= p <= r.high)


def pain_advice(pain: int, area: str | None = None, worse_during: bool = False,
                lasts_past_next_day: bool = False, swelling: bool = False) -> PainAdvice:
    """Traffic-light advice; red flags (worse during activity, lasting past the next
    day, swelling) mean seeing a physiotherapist or doctor."""
    r = pain_rule(pain)
    flags = worse_during or lasts_past_next_day or swelling
    return PainAdvice(pain=max(0, min(10, pain)), area=area, level=r.level,
                      carry_on=r.carry_on and not flags, reduce_next=r.reduce_next or flags,
                      low_impact_days=max(r.low_impact_days, 3 if flags else 0),
                      see_professional=flags)


@dataclass(frozen=True)
class SickAdvice:
    """Advice for a kind of sickness."""

    kind: str
    train: bool
    easy_only: bool
    max_minutes: int | None
    rest_days_after_clear: int
    see_doctor_if_lasting: bool


SICK_TABLE: dict[str, SickAdvice] = {
    "above_neck": SickAdvice("above_neck", True, True, 30, 0, False),
    "fever": SickAdvice("fever", False, False, None, 2, True),
    "chest": SickAdvice("chest", False, False, None, 2, True),
    "stomach": SickAdvice("stomach", False, False, None, 2, True),
    # "the fever is gone": logged on the day it cleared; rest 24 h more (PLANNER.md: until
    # 24-48 h after it clears, the 48 h counted from the last sick report), then easy
    "cleared": SickAdvice("cleared", False, False, None, 1, False),
}
# after fever, chest or stomach illness (or a reported clearing), the sessions in the days
# after the rest are short and easy (our judgement: the body is still recovering)
SICK_COMEBACK_EASY_DAYS = 4


def sickness_advice(kind: str) -> SickAdvice:
    """Advice for ``above_neck``, ``fever``, ``chest`` or ``stomach`` (unknown: as fever)."""
    return SICK_TABLE.get(kind, SICK_TABLE["fever"])
