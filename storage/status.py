"""The user-status lifecycle: the statuses a user can have, and the one table of allowed changes.

Every status change goes through `may_become`: the dialogue's own changes (pause, resume,
onboarding, reset) through the `User.status` validator in `storage/models.py`, and the
changes from outside the conversation (a channel finding the person blocked or unreachable,
the scheduler ending coaching on the trek's eve) through `Tx.set_status`, which leaves users
alone whose current status may not become the new one. So a paused or stopped user whose
send fails stays paused or stopped, and writing again does not make them active.

Deleting is not a status: `Tx.delete_user` erases the row, from any status.
"""

from __future__ import annotations

from enum import StrEnum


class UserStatus(StrEnum):
    """Whether the scheduler may prompt a user (only `ACTIVE` users are prompted)."""

    ONBOARDING = "onboarding"
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"  # reset or deleted plan, or trek over
    BLOCKED = "blocked"  # the user blocked the bot
    UNREACHABLE = "unreachable"


S = UserStatus
_CHOSEN = frozenset({S.ONBOARDING, S.ACTIVE, S.PAUSED, S.STOPPED})  # what a person can ask for

# From each status, the statuses it may become (staying put is always allowed).
TRANSITIONS: dict[UserStatus, frozenset[UserStatus]] = {
    # Onboarding and active users can be found blocked or unreachable by any channel or the
    # scheduler; they pause, resume, reset or finish onboarding by talking to the coach.
    S.ONBOARDING: _CHOSEN | {S.BLOCKED, S.UNREACHABLE},
    S.ACTIVE: _CHOSEN | {S.BLOCKED, S.UNREACHABLE},
    # Paused and stopped users are not prompted: a failed reply leaves them as they chose.
    S.PAUSED: _CHOSEN,
    S.STOPPED: _CHOSEN,
    # Writing again proves they can be reached: back to active (or onboarding, unfinished).
    S.BLOCKED: frozenset({S.BLOCKED, S.ACTIVE, S.ONBOARDING}),
    S.UNREACHABLE: frozenset({S.UNREACHABLE, S.ACTIVE, S.ONBOARDING}),
}

# Statuses that end prompting until the person acts (resumes, writes again, re-onboards).
UNSCHEDULED = frozenset({S.STOPPED, S.BLOCKED, S.UNREACHABLE})


def may_become(current: str | None, new: str) -> bool:
    """Whether a user in `current` may change to `new` (None: a new user, anything goes)."""
    if current is None:
        return True
    return UserStatus(new) in TRANSITIONS[UserStatus(current)]


def sources(new: str) -> list[UserStatus]:
    """The statuses that may become `new`, for a bulk update's WHERE clause."""
    return [status for status, allowed in TRANSITIONS.items() if UserStatus(new) in allowed]
