"""Pain scores, recovery and "which day", said the way people say them (parsing/reports.py)."""

from __future__ import annotations

from datetime import date

import pytest

from conversations.parsing.reports import (
    body_area,
    logged_day,
    mentions_pain,
    pain_score,
    recovered,
    session_words,
)

FRIDAY = date(2026, 12, 4)


@pytest.mark.parametrize(("text", "score", "area"), [
    ("knee 7/10 after the stairs", 7, "knee"), ("knee 7/10", 7, "knee"), ("pain 7", 7, None),
    ("done 60 min but my knees are aching coming downhill, maybe a 4", 4, "knee"),
    ("my knee hurts, 6", 6, "knee"), ("7 out of 10 knee pain", 7, "knee"),
    ("did 45 min, pain 3 in my ankle", 3, "ankle"), ("my knee hurts", None, "knee"),
    ("7/10", None, None), ("walked 40 min, 8/10 effort", None, None),
    ("ran 30 min in about 5 km", None, None), ("sore calves, about a 5", 5, "calf"),
])
def test_pain_score_and_area(text: str, score: int | None, area: str | None) -> None:
    assert pain_score(text) == score
    assert body_area(text) == area
    assert mentions_pain(text) is (score is not None or "hurt" in text or "sore" in text)


@pytest.mark.parametrize(("text", "yes"), [
    ("fever is gone, feeling fine now", True), ("no more fever", True),
    ("knee is fine today", True), ("feeling better", True), ("all better", True),
    ("I have a fever", False), ("fever is still there", False), ("still not better", False),
    ("knee still hurts", False),
])
def test_recovered(text: str, yes: bool) -> None:
    assert recovered(text) is yes


@pytest.mark.parametrize(("text", "day", "kind"), [
    ("log thursday: strength 25 min", date(2026, 12, 3), "strength"),
    ("I also did friday's run, 40 min", FRIDAY, "zone2_run"),
    ("yesterday 30 min", date(2026, 12, 3), None),
    ("did monday's walk with my pack", date(2026, 11, 30), "backpack_walk"),
    ("did about 90 minutes with my daypack, calves are tight", None, "backpack_walk"),
    ("done 30", None, None),
])
def test_logged_day_and_session(text: str, day: date | None, kind: str | None) -> None:
    assert logged_day(text, FRIDAY) == day
    assert session_words(text) == kind
