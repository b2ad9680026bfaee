"""The intent classifier: a table of phrasings per intent (typos, word order, emoji) and slots."""

from __future__ import annotations

import pytest

from conversations.intents import Intent, classify, confirmation

TABLE: dict[Intent, list[str]] = {
    Intent.DONE: [
        "done", "Done 35 min", "did it, felt hard", "finished the stairs 7/10", "✅",
        "DNOE", "finsihed", "all done!", "completed today's session", "did my walk 50 mins",
        "35 min done", "done, easy", "compelted it", "👍 done 1h", "walked 45 minutes",
        "5 km in 41 min", "22 floors with 8 kg", "30 squats", "done, 30 squats",
        "done 2 h, 9 km with 6 kg",
    ],
    Intent.SKIP: [
        "skip", "can't today", "missed yesterday", "skipped", "no time today", "not today",
        "I cant make it", "sikp", "Missed it, sorry", "too tired today", "didn't do it",
        "can not train today", "won't manage today",
    ],
    Intent.SHOULD_RUN: [
        "should I run today?", "can I go for a run", "run today?", "is it ok to jog",
        "shuold i run", "Am I allowed to go running?", "ok to run?", "jog today?",
        "can i run tonight", "is running a good idea today",
    ],
    Intent.PLAN_ALL: [
        "plan all", "full plan", "/all", "/fullplan", "show me the whole plan", "PLAN ALL",
        "plna all", "the whole plna", "the entire plan please", "all weeks until the trek",
        "what does the plan look like to the trek?", "week by week please", "overview",
    ],
    Intent.NEXT_WEEK: [
        "next week", "/next", "/nextweek", "what's coming up next week", "nxet week",
        "next weeek?", "NEXT WEEK", "show me the following week", "the coming week",
        "plan for next week",
    ],
    Intent.TODAY: [
        "today", "what's today", "/today", "whats on today", "TODAY?", "todya",
        "what should I do today", "today's session", "what do i do now", "tday's workout",
    ],
    Intent.PLAN: [
        "plan", "this week", "/plan", "show me the plan", "PLNA", "what's the schedule",
        "week", "my weekly plan", "tomorrow?",
    ],
    Intent.TARGETS: [
        "targets", "/targets", "what are my targets?", "trek-ready targets", "test days",
        "my test results", "what should I aim for", "whats my target for the trek",
    ],
    Intent.PROGRESS: [
        "progress", "how am I doing", "/progress", "how am i doing?", "progres",
        "show my streak", "stats", "am I ready for the trek?", "progress chart please",
        "how far along am I",
    ],
    Intent.PAIN: [
        "my knee hurts", "pain 6/10", "sore ankle", "My back aches", "knee pain",
        "I twisted my ankle", "hip is hurting 4/10", "ankle hurst", "kne pain 7 out of 10",
        "ouch my shin",
    ],
    Intent.SICK: [
        "I have a cold", "fever", "I'm sick", "got the flu", "sore throat today",
        "feeling ill", "stomach bug", "i have a fevr", "coughing a lot", "🤒",
    ],
    Intent.HELP: [
        "help", "menu", "/help", "HELP!", "what can you do", "commands", "hlep", "options?",
        "?", "Menu please",
    ],
    Intent.PAUSE: [
        "pause", "/pause", "pause reminders", "stop reminders", "mute", "snooze for a week",
        "Paus", "please stop", "reminders off", "stop the reminders please",
    ],
    Intent.RESUME: [
        "resume", "/resume", "unpause", "turn reminders back on", "reminders on",
        "resmue", "start reminders again", "I'm back", "resume reminders please",
    ],
    Intent.RESET: [
        "/reset", "reset", "start over", "restart", "I want to start again", "rest my plan "
        "from scratch", "reest", "begin again", "start over please",
    ],
    Intent.DELETE: [
        "/delete", "delete", "delete my data", "erase everything", "forget me",
        "remove my data", "Delete my account", "deleet my data", "wipe my data",
    ],
    Intent.EXPORT: [
        "/export", "export", "download my plan", "calendar file", "can I get a csv",
        "export my log", "exprot", "ics please",
    ],
    Intent.SET_REMINDER: [
        "remind me at 7am", "change reminder to 18:30", "reminder time 6:45",
        "Remind me at 6 pm instead", "remindr at 8", "please message me at 7:30",
        "move my reminders to 9am", "reminders at 20:00",
    ],
    Intent.SET_TIMEZONE: [
        "timezone Europe/Paris", "time zone is Berlin", "I moved to London",
        "change my timezone to New York", "I'm in Tokyo now", "timezon Asia/Kolkata",
        "i live in Sydney now", "my time zone is UTC",
    ],
    Intent.SET_DAYS: [
        "train on mon wed fri", "training days Monday, Wednesday, Friday, Saturday",
        "change my days to tue thu sat", "monday wednesday friday", "I can train on tuesday,"
        " thursday and sunday", "days: mon tue thu sat", "tarining days mon wed fri sun",
        "switch to Mon, Wed, Fri",
    ],
    Intent.SET_TREK_DATE: [
        "my trek moved to 20 April", "trek date 2027-03-14", "the trek is on 5 May",
        "Trek postponed to 1 June", "new trek date: 12/05/2027", "trek moved to next month",
        "TREK CHANGED TO 3 MARCH", "treck moved to 20 april",
    ],
    Intent.SET_NUDGE: [
        "evening reminder on", "nudge me in the evening", "no evening reminders",
        "stop evening nudges", "turn on the evening check-in", "evening nudges off please",
        "remind me in the evening", "I don't want the evening nudge", "Evening reminders: yes",
        "disable evening messages", "ping me every evening", "nudges on",
    ],
}


@pytest.mark.parametrize(
    ("intent", "text"), [(i, t) for i, texts in TABLE.items() for t in texts]
)
def test_phrasings(intent: Intent, text: str) -> None:
    assert classify(text).intent is intent, text


def test_every_intent_has_at_least_eight_phrasings() -> None:
    assert all(len(v) >= 8 for v in TABLE.values())


@pytest.mark.parametrize(
    ("text", "minutes", "effort", "feeling", "day"),
    [
        ("done 35 min", 35, None, None, "today"),
        ("did it, felt hard", None, None, "hard", "today"),
        ("finished the stairs 7/10", None, 7, None, "today"),
        ("done 1h 15, felt easy", 75, None, "easy", "today"),
        ("did it yesterday, 40 minutes, effort 8", 40, 8, None, "yesterday"),
        ("done, 6 out of 10, ok", None, 6, "ok", "today"),
        ("walked for an hour, not easy", 60, None, "hard", "today"),
        ("✅ 30min tough", 30, None, "hard", "today"),
    ],
)
def test_done_slots(text: str, minutes: int | None, effort: int | None,
                    feeling: str | None, day: str) -> None:
    p = classify(text)
    assert p.intent is Intent.DONE
    assert (p.minutes, p.effort, p.feeling, p.day) == (minutes, effort, feeling, day)


@pytest.mark.parametrize(
    ("text", "score", "area"),
    [
        ("my knee hurts", None, "knee"),
        ("pain 6/10", 6, None),
        ("ankle pain 3 out of 10", 3, "ankle"),
        ("back is sore, pain level 5", 5, "back"),
        ("my left SHIN aches 8/10", 8, "shin"),
    ],
)
def test_pain_slots(text: str, score: int | None, area: str | None) -> None:
    p = classify(text)
    assert p.intent is Intent.PAIN
    assert (p.pain, p.pain_area) == (score, area)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I have a cold", "above_neck"), ("sore throat", "above_neck"), ("fever", "fever"),
        ("flu", "fever"), ("chesty cough", "chest"), ("stomach bug", "stomach"),
        ("I'm sick", "unwell"), ("cold and fever", "fever"),
    ],
)
def test_sickness_kind(text: str, kind: str) -> None:
    p = classify(text)
    assert p.intent is Intent.SICK and p.sickness == kind


def test_missed_yesterday_is_a_skip_for_yesterday() -> None:
    p = classify("missed yesterday")
    assert p.intent is Intent.SKIP and p.day == "yesterday"


def test_training_days_slot() -> None:
    assert classify("train on mon wed fri").weekdays == (0, 2, 4)
    assert classify("Saturday, Tuesday and Thursday").weekdays == (1, 3, 5)


@pytest.mark.parametrize(
    "text",
    ["banana", "asdf qwer", "the weather was cold outside", "I don't know", "gone fishing",
     "rain again", "42"],
)
def test_nonsense_is_unknown(text: str) -> None:
    assert classify(text).intent is Intent.UNKNOWN, text


@pytest.mark.parametrize(
    ("text", "answer"),
    [("yes", True), ("Yes, delete", True), ("yep", True), ("y", True), ("no", False),
     ("cancel", False), ("No, keep it", False), ("nope", False), ("maybe", None), ("", None)],
)
def test_confirmation(text: str, answer: bool | None) -> None:
    assert confirmation(text) is answer


@pytest.mark.parametrize(
    ("text", "on"),
    [
        ("evening reminder on", True), ("nudge me in the evening", True),
        ("turn on the evening check-in", True), ("remind me in the evening", True),
        ("Evening reminders: yes", True), ("ping me every evening", True),
        ("I'd like evening nudges", True), ("nudges on", True),
        ("no evening reminders", False), ("stop evening nudges", False),
        ("evening nudges off please", False), ("I don't want the evening nudge", False),
        ("disable evening messages", False), ("no more nudges", False),
        ("turn off the evening reminder", False), ("cancel evening check-ins", False),
    ],
)
def test_evening_nudge_switch(text: str, on: bool) -> None:
    p = classify(text)
    assert p.intent is Intent.SET_NUDGE and p.switch is on, text


@pytest.mark.parametrize(
    "text", ["remind me at 7:00", "reminders on", "stop reminders", "good evening",
             "remind me at 8 in the evening"],
)
def test_morning_reminder_phrases_are_not_the_nudge(text: str) -> None:
    assert classify(text).intent is not Intent.SET_NUDGE, text


SIGNS = ("swelling", "worse_during", "lasting")


@pytest.mark.parametrize(
    ("text", "intent", "area", "score", "signs"),
    [
        ("my knee hurts and it's swollen", Intent.PAIN, "knee", None, {"swelling"}),
        ("pain 5/10, worse when I walk", Intent.PAIN, None, 5, {"worse_during"}),
        ("still hurts from yesterday", Intent.PAIN, None, None, {"lasting"}),
        ("ankle is swollen and sore 4/10", Intent.PAIN, "ankle", 4, {"swelling"}),
        ("knee pain, getting worse", Intent.PAIN, "knee", None, {"worse_during"}),
        ("my shin has hurt for 3 days", Intent.PAIN, "shin", None, {"lasting"}),
        ("hip hurts more when I climb stairs, since Monday", Intent.PAIN, "hip", None,
         {"worse_during", "lasting"}),
        ("back pain that won't go away", Intent.PAIN, "back", None, {"lasting"}),
        ("done 30 min, knee sore and puffy", Intent.DONE, "knee", None, {"swelling"}),
        ("my knee hurts 3/10", Intent.PAIN, "knee", 3, set()),
        ("sore calves after the stairs", Intent.PAIN, "calf", None, set()),
        ("did it, ankle pain 2/10", Intent.DONE, "ankle", 2, set()),
    ],
)
def test_pain_warning_signs(text: str, intent: Intent, area: str | None, score: int | None,
                            signs: set[str]) -> None:
    p = classify(text)
    assert (p.intent, p.pain_area, p.pain) == (intent, area, score)
    assert {name for name in SIGNS if getattr(p, name)} == signs
