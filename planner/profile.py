"""The trekker's profile as asked in onboarding, and small questions about it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Running(StrEnum):
    """Does the person already run."""

    REGULAR = "regular"
    SOMETIMES = "sometimes"
    NO = "no"


class Joint(StrEnum):
    """Joint issue named in onboarding."""

    NONE = "none"
    KNEE = "knee"
    ANKLE = "ankle"
    HIP = "hip"
    BACK = "back"
    OTHER = "other"


class Grade(StrEnum):
    """Trek grade."""

    EASY = "easy"
    MODERATE = "moderate"
    DIFFICULT = "difficult"


# Default spread of training weekdays (0=Mon) for each number of days a week.
DEFAULT_WEEKDAYS: dict[int, tuple[int, ...]] = {
    3: (1, 3, 5),
    4: (0, 2, 4, 5),
    5: (0, 1, 3, 4, 5),
    6: (0, 1, 2, 3, 4, 5),
}


@dataclass(frozen=True)
class Profile:
    """What the planner knows about a person."""

    running: Running
    easy_run_minutes: int | None
    joints: frozenset[Joint]
    trek_date: date
    grade: Grade
    days_per_week: int
    start_date: date
    body_weight_kg: float | None = None
    training_weekdays: tuple[int, ...] | None = None
    joint_words: str = ""
    stairs: bool | None = None  # stairs or a hill nearby (None: not asked, assume yes)
    bike: bool | None = None  # a bike or a gym (None: not asked, assume yes)
    # one-off swaps, in the order asked: the sessions of the two days trade places
    swaps: tuple[tuple[date, date], ...] = ()

    def __post_init__(self) -> None:
        if not 3 <= self.days_per_week <= 6:
            raise ValueError("days_per_week must be 3..6")
        if self.training_weekdays is not None:
            days = self.training_weekdays
            if len(set(days)) != len(days) or not 3 <= len(days) <= 6:
                raise ValueError("training_weekdays must be 3..6 distinct weekdays")
            if any(not 0 <= d <= 6 for d in days):
                raise ValueError("training_weekdays must be 0..6")

    @property
    def runner(self) -> bool:
        """Runs regularly or sometimes (sometimes: cautious start)."""
        return self.running is not Running.NO

    @property
    def joint_issue(self) -> bool:
        """Any joint issue other than none."""
        return bool(self.joints - {Joint.NONE})

    @property
    def knee(self) -> bool:
        """A knee issue."""
        return Joint.KNEE in self.joints

    @property
    def weekdays(self) -> tuple[int, ...]:
        """Training weekdays, sorted."""
        if self.training_weekdays is not None:
            return tuple(sorted(self.training_weekdays))
        return DEFAULT_WEEKDAYS[self.days_per_week]
