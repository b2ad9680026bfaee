"""What a message means: an `Intent` and the details (slots) read from it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Intent(StrEnum):
    DONE = "done"
    SKIP = "skip"
    SHOULD_RUN = "should_run"
    TODAY = "today"
    PLAN = "plan"
    PLAN_ALL = "plan_all"  # every week to the trek, one line each
    NEXT_WEEK = "next_week"
    PROGRESS = "progress"
    TARGETS = "targets"  # the grade's trek-ready targets and the best test results
    PAIN = "pain"
    SICK = "sick"
    HELP = "help"
    SET_REMINDER = "set_reminder"
    SET_TIMEZONE = "set_timezone"
    SET_DAYS = "set_days"
    SET_TREK_DATE = "set_trek_date"
    SET_NUDGE = "set_nudge"
    PAUSE = "pause"
    RESUME = "resume"
    RESET = "reset"
    DELETE = "delete"
    EXPORT = "export"
    SET_PROFILE = "set_profile"  # body weight, stairs nearby, a bike or gym
    SET_GRADE = "set_grade"  # "my trek is actually difficult"
    SWAP_DAY = "swap_day"  # a one-off swap: "move today to tomorrow"
    COACH_NOTE = "coach_note"  # a free question with a known answer, or an honest "can't"
    BATCH = "batch"  # join or leave a trek batch, link a leader's chat (conversations/batch.py)
    GREETING = "greeting"
    THANKS = "thanks"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Parsed:
    """An intent and its slots; slots not mentioned stay None."""

    intent: Intent
    minutes: int | None = None
    effort: int | None = None
    feeling: str | None = None  # "easy" | "ok" | "hard"
    pain: int | None = None
    pain_area: str | None = None
    # "above_neck" (a head cold) | "unwell" (unspecified) | "fever" | "chest" | "stomach"
    sickness: str | None = None
    day: str = "today"  # "today" | "yesterday"
    weekdays: tuple[int, ...] | None = None
    mentions_pain: bool = False  # a "done" that also reports pain
    effort_only: bool = False  # "that was really hard": how a logged session felt
    # pain warning signs (each means: see a physiotherapist or doctor)
    swelling: bool = False
    worse_during: bool = False  # worse while moving
    lasting: bool = False  # still there the next day or longer
    switch: bool | None = None  # a setting turned on (True) or off (False)
    text: str = ""  # the normalised text, for the settings parsers
    weight_kg: float | None = None  # body weight said ("I weigh 70 kg")
    stairs: bool | None = None  # stairs or a hill nearby, said yes or no
    bike: bool | None = None  # a bike, said yes or no
    gym: bool | None = None  # a gym, said yes or no
    grade: str | None = None  # a trek grade said ("easy" | "moderate" | "difficult")
    swap: tuple[str, str] | None = None  # (from, to) day words: "saturday", "today" ...
    # "I walked on Sunday instead of Saturday": the swap already happened, the session done
    swap_done: bool = False
    on_day: str | None = None  # a weekday named for a skip ("skip saturday"): "sat"
    topic: str | None = None  # the coach note asked for; None: a question with no note
