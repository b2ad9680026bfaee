"""Each answer parser against a table of tricky inputs: typos, words, case, extra words."""

from __future__ import annotations

from datetime import date

import pytest

from conversations.parsing.days import parse_days
from conversations.parsing.grade import parse_grade
from conversations.parsing.joints import parse_joints
from conversations.parsing.numbers import parse_minutes
from conversations.parsing.remindertime import is_night, parse_snooze, parse_time
from conversations.parsing.timezone import parse_zone
from conversations.parsing.trekdate import parse_trek_date
from conversations.parsing.yesno import parse_running

TODAY = date(2026, 12, 1)


@pytest.mark.parametrize(("text", "expected"), [
    ("yes", "regular"), ("Yes, I run regularly", "regular"), ("YEAH!", "regular"),
    ("yse", "regular"), ("yep I love it", "regular"), ("sometimes", "sometimes"),
    ("Somtimes", "sometimes"), ("not regularly", "sometimes"), ("kinda", "sometimes"),
    ("now and then", "sometimes"), ("no", "no"), ("Nope", "no"),
    ("I hate running", "no"), ("never", "no"), ("not really", "no"),
    ("banana", None), ("", None), ("🏃", None),
])
def test_running(text: str, expected: str | None) -> None:
    assert parse_running(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("30", 30), ("thirty", 30), ("Thirtty", 30), ("twenty-five minutes", 25),
    ("45 min", 45), ("about 40 mins", 40), ("1h30", 90), ("an hour", 60),
    ("half an hour", 30), ("1.5 hours", 90), ("20-30 min", 20), ("fourty five", 45),
    ("two hours", 120), ("hour and a half", 90), ("none", None), ("fine", None),
    ("lots", None),
])
def test_minutes(text: str, expected: int | None) -> None:
    assert parse_minutes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("none", []), ("None", []), ("all good", []), ("nope", []),
    ("my left knee clicks on stairs", ["knee"]), ("Knees", ["knee"]),
    ("anckle", ["ankle"]), ("sprained ANKLE last year", ["ankle"]),
    ("lower back pain", ["back"]), ("Back / spine", ["back"]),
    ("bad hip and knee", ["knee", "hip"]), ("sore shoulder", ["other"]),
    ("old injury", ["other"]), ("I carry a pack", None), ("xyz", None), ("", None),
])
def test_joints(text: str, expected: list[str] | None) -> None:
    assert parse_joints(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("15 March", date(2027, 3, 15)), ("2027-03-15", date(2027, 3, 15)),
    ("March 15th", date(2027, 3, 15)), ("15th of march", date(2027, 3, 15)),
    ("Mrach 15", date(2027, 3, 15)), ("15 marhc 2027", date(2027, 3, 15)),
    ("15/03/2027", date(2027, 3, 15)), ("3/15/2027", date(2027, 3, 15)),
    ("10 weeks", date(2027, 2, 9)), ("ten weeks", date(2027, 2, 9)),
    ("in 3 months", date(2027, 3, 1)), ("in a couple of weeks", date(2026, 12, 15)),
    ("next friday", date(2026, 12, 4)), ("29 feb", date(2028, 2, 29)),
    ("in April", date(2027, 4, 1)), ("1 December 2025", date(2025, 12, 1)),
    ("in two and a half months", date(2027, 2, 16)), ("in 2.5 months", date(2027, 2, 16)),
    ("half a year", date(2027, 6, 1)), ("in six months", date(2027, 6, 1)),
    ("in a year and a half", date(2028, 6, 1)), ("1.5 months", date(2027, 1, 16)),
    ("in three and a half weeks", date(2026, 12, 25)),
    ("end of May", date(2027, 5, 31)), ("late april", date(2027, 4, 30)),
    ("mid March", date(2027, 3, 15)), ("mid-April", date(2027, 4, 15)),
    ("the middle of june", date(2027, 6, 15)), ("early June", date(2027, 6, 1)),
    ("beginning of march 2028", date(2028, 3, 1)), ("end of february 2028", date(2028, 2, 29)),
    ("end of november", date(2027, 11, 30)),
    ("hello", None), ("", None),
])
def test_trek_date(text: str, expected: date | None) -> None:
    assert parse_trek_date(text, TODAY) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Easy", ("easy", False)), ("moderat", ("moderate", False)),
    ("DIFICULT", ("difficult", False)), ("hard", ("difficult", False)),
    ("medium", ("moderate", False)), ("not sure", ("moderate", True)),
    ("Not sure", ("moderate", True)), ("idk", ("moderate", True)),
    ("?", ("moderate", True)), ("moderate to difficult", ("difficult", False)),
    ("not too hard", ("moderate", False)), ("banana", None), ("", None),
])
def test_grade(text: str, expected: tuple[str, bool] | None) -> None:
    assert parse_grade(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("4", 4), ("four", 4), ("Four days", 4), ("fiev", 5), ("3-4", 3), ("every day", 7),
    ("weekdays", 5), ("SIX", 6), ("2", 2), ("maybe 5 days a week", 5), ("none", None),
    ("lots", None),
])
def test_days(text: str, expected: int | None) -> None:
    assert parse_days(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("7", 420), ("7:30", 450), ("6:30 pm", 1110), ("18:30", 1110), ("7am", 420),
    ("seven", 420), ("Seven thirty", 450), ("half past six", 390),
    ("6 in the evening", 1080), ("0730", 450), ("noon", 720), ("12 am", 0),
    ("6:30 P.M.", 1110), ("quarter to seven", 405), ("7:30 in Mumbai", 450),
    ("+5:30", None), ("25:00", None), ("13pm", None), ("hello", None),
    ("half six", 390), ("half seven in the evening", 1170), ("after work, around 6", 1080),
    ("around 6 after work", 1080), ("after dinner, 8ish", 1200),
    ("remind me in 2 hours", None), ("snooze 1 hour", None), ("in half an hour", None),
])
def test_reminder_time(text: str, expected: int | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Mumbai", "Asia/Kolkata"), ("mumbay", "Asia/Kolkata"), ("Bombay", "Asia/Kolkata"),
    ("Denver", "America/Denver"), ("asia/kolkata", "Asia/Kolkata"),
    ("America/New York", "America/New_York"), ("+5:30", "Asia/Kolkata"),
    ("+5:45", "Asia/Kathmandu"), ("UTC-7", "Etc/GMT+7"), ("GMT+1", "Etc/GMT-1"),
    ("-3:30", "America/St_Johns"), ("+9:30", "Australia/Darwin"), ("utc", "UTC"),
    ("Paris", "Europe/Paris"), ("I live in Berlin", "Europe/Berlin"),
    ("India", "Asia/Kolkata"), ("san fransisco", "America/Los_Angeles"),
    ("+15", None), ("hello", None), ("the moon", None),
])
def test_timezone(text: str, expected: str | None) -> None:
    found = parse_zone(text)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("remind me in 2 hours", 120), ("snooze 1 hour", 60), ("snooze for an hour", 60),
    ("in half an hour", 30), ("snooze 20 min", 20), ("remind me again in 90 minutes", 90),
    ("remind me at 7", None), ("snooze", None), ("7:30", None),
])
def test_snooze_span(text: str, expected: int | None) -> None:
    assert parse_snooze(text) == expected


@pytest.mark.parametrize(("minutes", "night"), [(0, True), (60, True), (299, True),
                                                (300, False), (1110, False)])
def test_a_time_before_5_is_asked_back(minutes: int, night: bool) -> None:
    assert is_night(minutes) is night

