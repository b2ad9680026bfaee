"""The new phrasings of issue 12 (profile facts, swaps, dropped days, grade, coach notes)
in the intent table, and near-misses that must keep their old meaning."""

from __future__ import annotations

import pytest

from conversations.intents import Intent, classify

TABLE: dict[Intent, list[str]] = {
    Intent.SET_PROFILE: [
        "I weigh 70 kg", "i weigh 70kg", "my weight is 82 kg", "I'm 65 kg", "weight 90 kilos",
        "I weigh 154 lbs", "there are no stairs near me", "no stairs nearby", "no hills here",
        "I don't have any stairs", "there are stairs near me", "I have a hill nearby",
        "I don't have a bike", "no bike", "I sold my bike", "I have a bike", "I have a gym",
        "I joined a gym", "I don't have a gym", "i go to the gym",
    ],
    Intent.SWAP_DAY: [
        "can I swap Saturday's walk to Sunday?", "move today to tomorrow",
        "can I move it to tomorrow?", "move saturday to friday", "swap sat and sun",
        "can I do Sunday instead of Saturday?", "push today's session to tomorrow",
        "switch thursday with friday", "reschedule wednesday to thursday",
        "move my long walk to Sunday", "can I train on Sunday instead of Saturday?",
        "swap strength to friday", "move my run to tomorrow",
    ],
    Intent.SET_GRADE: [
        "my trek is actually difficult", "the trek is easy after all", "change grade to easy",
        "turns out the trek is moderate", "my hike is more like difficult",
    ],
    Intent.COACH_NOTE: [
        "what should I eat before a long hike?", "how much water should I carry?",
        "what should I pack?", "how do I break in my boots?", "I'm feeling tired today",
        "I have a blister", "any tips for blisters?", "how do I deal with altitude?",
        "what about altitude sickness?", "breakfast before the hike?", "feeling exhausted",
        "how much should I drink on the trail?", "what is the meaning of life?",
        "can I drink beer?", "who will win the world cup?",
    ],
}


@pytest.mark.parametrize(("intent", "text"),
                         [(i, t) for i, texts in TABLE.items() for t in texts])
def test_new_phrasings(intent: Intent, text: str) -> None:
    assert classify(text).intent is intent, text


@pytest.mark.parametrize(("text", "slots"), [
    ("I weigh 70 kg", {"weight_kg": 70.0}),
    ("I weigh 154 lbs", {"weight_kg": 69.9}),
    ("there are no stairs near me", {"stairs": False}),
    ("there are stairs near me", {"stairs": True}),
    ("I don't have a bike", {"bike": False, "gym": None}),
    ("I have a gym", {"gym": True, "bike": None}),
    ("can I swap Saturday's walk to Sunday?", {"swap": ("sat", "sun")}),
    ("move today to tomorrow", {"swap": ("today", "tomorrow")}),
    ("can I do Sunday instead of Saturday?", {"swap": ("sat", "sun")}),
    ("move my long walk to Sunday", {"swap": ("kind:walk", "sun")}),
    ("move my run to tomorrow", {"swap": ("kind:run", "tomorrow")}),
    ("my trek is actually difficult", {"grade": "difficult"}),
    ("I can't train on Wednesdays anymore", {"weekdays": (2,), "switch": False}),
    ("I can no longer do mondays or fridays", {"weekdays": (0, 4), "switch": False}),
    ("what should I eat before a long hike?", {"topic": "food"}),
    ("how much water should I carry?", {"topic": "water"}),
    ("any tips for blistrs?", {"topic": "blisters"}),
    ("what is the meaning of life?", {"topic": None}),
])
def test_slots(text: str, slots: dict[str, object]) -> None:
    parsed = classify(text)
    assert {k: getattr(parsed, k) for k in slots} == slots, text


# Near-misses: they share words with the new rules and must keep their meaning.
NEAR_MISSES: list[tuple[str, Intent]] = [
    ("done 60 min with 8 kg pack", Intent.DONE),
    ("24 floors with 8 kg", Intent.DONE),
    ("I did 20 floors of stairs", Intent.DONE),
    ("i cycled 30 min on the bike", Intent.DONE),
    ("walked 2 h with water and snacks", Intent.DONE),
    ("stairs hurt my knee", Intent.PAIN),
    ("my boots gave me a blister, pain 5/10", Intent.PAIN),
    ("too tired today", Intent.SKIP),
    ("I am tired, skipping today", Intent.SKIP),
    ("can't today", Intent.SKIP),
    ("can I run when I'm tired?", Intent.SHOULD_RUN),
    ("what should I do today?", Intent.TODAY),
    ("what's coming up next week", Intent.PLAN),
    ("tomorrow?", Intent.PLAN),
    ("how am I doing?", Intent.PROGRESS),
    ("train on mon wed fri sat", Intent.SET_DAYS),
    ("I can only train on tue thu sat", Intent.SET_DAYS),
    ("my trek moved to 20 March", Intent.SET_TREK_DATE),
    ("remind me at 7:00", Intent.SET_REMINDER),
    ("did the walk, felt hard", Intent.DONE),
    ("I have a cold", Intent.SICK),
    ("my knee hurts, can I move today to tomorrow?", Intent.PAIN),
    ("I have a fever, move today to tomorrow", Intent.SICK),
    ("help", Intent.HELP),
    ("thanks", Intent.THANKS),
]


@pytest.mark.parametrize(("text", "intent"), NEAR_MISSES)
def test_near_misses_keep_their_meaning(text: str, intent: Intent) -> None:
    assert classify(text).intent is intent, text
