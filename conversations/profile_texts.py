"""Replies for the optional profile (weight, stairs, bike or gym), grade changes and
one-off day swaps."""

from __future__ import annotations

# -- optional questions after onboarding (conversations/onboarding_extras.py) --------------
ASK_WEIGHT = (
    "Three optional questions to fit the plan better (say *skip* to any).\n"
    "1/3: What's your body weight, roughly? (e.g. \"70 kg\"). I use it to pick a "
    "starting pack weight."
)
ASK_STAIRS = "2/3: Are there stairs or a hill near you that you can train on?"
ASK_BIKE = "3/3: Do you have a bike or a gym you can use?"
YES_LABEL, NO_LABEL, SKIP_LABEL = "Yes", "No", "Skip"
EXTRAS_DONE = "Thanks, that's all. Say *plan* to see the week, or *today* for today."
EXTRAS_SKIPPED = "No problem. You can tell me any time, e.g. \"I weigh 70 kg\". " \
                 "Say *plan* to see the week."
EXTRAS_AGAIN = {
    "weight": "I need a weight like \"70 kg\" or \"154 lb\", or *skip*.",
    "stairs": "Just *yes* or *no* (stairs or a hill nearby), or *skip*.",
    "bike": "Just *yes* or *no* (a bike or a gym), or *skip*.",
}

# -- what changed ---------------------------------------------------------------------
WEIGHT_SET = "Noted: {kg} kg. Your walks start with about {pack} kg in the pack and build " \
             "up to the trek's {top} kg."
WEIGHT_SET_TOP = "Noted: {kg} kg. Your walks carry the trek's {top} kg from the start, for " \
                 "a shorter time at first."
STAIRS_NO = "Got it, no stairs or hill nearby: stairs days are now step-ups on a sturdy " \
            "step (same effort, about 16 steps a floor)."
STAIRS_YES = "Great, stairs or a hill nearby: the stairs days stay as stairs."
BIKE_NO = "Okay, no bike or gym: cycling days are now a brisk walk or a swim, same minutes."
BIKE_YES = "Good: cycling days stay as rides (a bike or a gym's exercise bike both work)."
GYM_NO_BIKE_YES = "Noted, no gym. You still have the bike, so the rides stay."
NOTHING_CHANGED = "That was already in your profile, so the plan stays as it is."
REPLANNED = "I've updated your plan. Say *plan* to see the week."

GRADE_SET = "Done: your trek is now *{grade}*. I've re-planned: the walks build up to " \
            "{walk} with {pack} kg. Say *plan* to see the week."
GRADE_SAME = "Your trek is already set as *{grade}*, so nothing changes."

DAYS_DROPPED = "Done, no more training on {dropped}. Your days are now {days}."
DAYS_DROPPED_REPLACED = "Done, no more training on {dropped}. To keep your {n} days a " \
                        "week I've moved that training to {added}: your days are now " \
                        "{days}. Tell me if other days suit you better (\"train on mon " \
                        "wed sat\")."
DAYS_TOO_FEW = "The plan needs at least 3 training days a week. Which days can you " \
               "train? (e.g. \"train on tue thu sat\")"
DAYS_NOT_TRAINING = "You don't train on {dropped} anyway, so nothing changes. Your days " \
                    "are {days}."

# -- one-off swaps ----------------------------------------------------------------------
SWAPPED = "Done: {what} moves from {a} to {b}."
SWAPPED_BOTH = "Done: {what} moves from {a} to {b}, and {other} goes to {a}."
SWAP_PROBLEM = {
    "hard_in_a_row": "{b} would put two hard days in a row ({clash} is hard too).",
    "strength_adjacent": "{b} would put strength on two days in a row (with {clash}); "
                         "muscles need about 48 hours between them.",
    "long_walks_close": "{b} would bring two long walks too close together (the other "
                        "is on {clash}); one a week is the rule.",
    "past": "That day has already gone; I can only move sessions from today on.",
    "too_far": "I can move a session by up to a week; for bigger changes, tell me your "
               "training days (\"train on tue thu sat\").",
    "trek_close": "The last two days before the trek stay easy, so I'd rather not move "
                  "sessions onto them.",
}
SWAP_NEAREST = "{day} works instead: say \"move {a_word} to {day_word}\"."
SWAP_NO_NEAREST = "No day close by keeps the week safe, so I've left it as it is."
SWAP_NOTHING = "{a} is already a rest day, so there's nothing to move."
SWAP_SAME = "That's the same day, so nothing to move."
SWAP_NO_PLAN_DAY = "That day is outside your plan (it runs until the day before the trek)."
SWAP_DONE = "You've already logged a session {day}, so I'll leave that day as it is."
DONE_MOVED = "Got it: {what}, done {b} instead. I've moved it there in your plan."
DONE_MOVED_BOTH = ("Got it: {what}, done {b} instead. I've moved it there in your plan, "
                   "and the {other} goes to {a}.")
SWAP_NO_KIND = "I can't find a {kind} session in the coming week to move."
