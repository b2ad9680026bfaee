"""Texts of the check on a reminder time before 5:00 ("1:00 at night?"), in onboarding and later."""

from conversations.formatting import clock_time

DAY_LATER = 12 * 60  # "I meant 13:00": the same clock time in the afternoon


def question(minutes: int) -> str:
    return (f"Just checking: *{clock_time(minutes)} at night*? That's when most people are "
            f"asleep, so I'd rather ask than wake you.")


def yes_label(minutes: int) -> str:
    return f"Yes, {clock_time(minutes)} at night"


def later_label(minutes: int) -> str:
    return f"I meant {clock_time(minutes + DAY_LATER)}"
