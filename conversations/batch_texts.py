"""What the coach says about trek batches: joining, leaving, leader links, alerts, broadcasts."""

from __future__ import annotations

from datetime import date

from conversations.formatting import long_date, short_date


def joined(name: str, trek: date, grade: str) -> str:
    return (
        f"You've joined *{name}*: trek on {long_date(trek)}, {grade} grade. I've set your "
        "trek date and grade from the batch, so I won't ask for them.\n"
        "Your trek leader will see how your training goes: sessions done, your readiness "
        "score, and pain or sickness you report. Never your notes or your phone number. "
        "Say *leave batch* any time to stop sharing."
    )


def moved_to_batch(name: str, trek: date, grade: str, weeks: int) -> str:
    return (
        joined(name, trek, grade)
        + f"\nYour plan now builds to that date, {weeks} weeks from now."
    )


def already_in(name: str) -> str:
    return f"You're already in *{name}*. Say *leave batch* to leave it."


def unknown_code(code: str) -> str:
    return (
        f"I don't know the batch code *{code}*. Check it with your trekking company; "
        "codes look like *EVEREST-7KQ2*. Meanwhile you can set up your own plan."
    )


def expired_code(name: str) -> str:
    return (
        f"The batch *{name}* has already set off, so it can't be joined any more. "
        "You can still set up your own plan."
    )


JOIN_HOW = "Send *join* and your batch code, like *join EVEREST-7KQ2*."


def left(name: str) -> str:
    return (
        f"You've left *{name}*. Your leader no longer sees your training. Your plan and "
        "trek date stay as they are."
    )


NOT_IN_BATCH = "You're not in a batch. To join one, send *join* and the code your leader gave you."

LEADER_HOW = (
    "Send */leader* and the leader code from your sign-in message, like */leader L-ABCD2345*."
)


def leader_linked(batches: list[str]) -> str:
    which = ", ".join(batches) if batches else "your batches"
    return (
        f"Done: I'll message you here when someone in {which} reports pain of 6 or more, "
        "or goes a week without training."
    )


def unknown_leader_code(code: str) -> str:
    return f"I don't know the leader code *{code}*. It's in the message with your sign-in link."


def pain_alert(name: str, batch: str, pain: int, area: str | None, day: date) -> str:
    where = f" ({area})" if area else ""
    return (
        f"*{batch}*: {name} reported pain {pain}/10{where} on {short_date(day)}. "
        "I've told them to rest it and to see a physio or doctor if it doesn't settle. "
        "You may want to check in with them."
    )


def inactive_alert(name: str, batch: str, days: int) -> str:
    return (
        f"*{batch}*: {name} hasn't logged any training for {days} days. "
        "A friendly word from you might help them back on track."
    )


def broadcast(batch: str, text: str) -> str:
    return f"*From your trek leader ({batch})*\n{text}"
