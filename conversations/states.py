"""Every conversation state, declared in one place and stored by its string value.

The diagram of how they connect is in `conversations/states.md`.
"""

from enum import StrEnum


class State(StrEnum):
    NEW = "new"
    # onboarding, one question each
    ASK_RUNNING = "ask_running"
    ASK_RUN_MINUTES = "ask_run_minutes"
    ASK_JOINTS = "ask_joints"
    ASK_TREK_DATE = "ask_trek_date"
    ASK_GRADE = "ask_grade"
    ASK_DAYS = "ask_days"
    ASK_REMINDER = "ask_reminder"
    ASK_TIMEZONE = "ask_timezone"
    # after onboarding
    ACTIVE = "active"
    CONFIRM_DELETE = "confirm_delete"
    CONFIRM_RESET = "confirm_reset"


def parse_state(value: str | None) -> State:
    """A stored state string back to a State; unknown or missing values start over."""
    try:
        return State(value or State.NEW)
    except ValueError:
        return State.NEW
