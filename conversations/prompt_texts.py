"""Texts of the messages the scheduler sends: the day's session, recovery day, trek eve, nudge."""

DONE_LABEL = "Done"
SKIP_LABEL = "Skip"
SHOULD_RUN_LABEL = "Should I run today?"

GREETING = {"morning": "Good morning", "afternoon": "Good afternoon", "evening": "Good evening"}

SESSION_ASK = "Tell me when it's done, or skip it if today doesn't work."
SESSION = (
    "{greeting}{name}! Here is your session for *{day}*:\n"
    "{session}\n" + SESSION_ASK
)

SESSION_DONE = (
    "{greeting}{name}! Your session for *{day}* is already logged as done:\n"
    "{session}\n"
    "Nice work. Nothing more to do today; rest and eat well."
)

RECOVERY = (
    "{greeting}{name}! *{day} is a recovery day.*\n"
    "No training today. If you feel like moving: 15-20 minutes of mobility (hips, ankles, "
    "calves, upper back) or an easy walk at a pace where you can chat the whole way.\n"
    "Why it matters: you get fitter while you rest, not while you work. A rest day lets "
    "muscles, tendons and joints absorb the training, so the next session counts and small "
    "niggles don't grow into injuries."
)

GENERIC = (
    "{greeting}{name}! I don't have a session on file for *{day}*, so here is a solid "
    "default: a 30-45 minute brisk walk, with hills or stairs if you have them, at a pace "
    "where you can still talk in full sentences.\n"
    "Say *plan* and I'll refresh your plan."
)

TREK_EVE = (
    "*Tomorrow is the trek. Good luck{name}!*\n"
    "Today: rest, or a short easy walk to loosen up. Pack tonight, lay out your boots and "
    "rain layer, drink water through the day and get to bed early.\n"
    "On the trail: start slower than feels necessary, eat and drink a little every hour, "
    "take short steps on the steep parts, and stop if something hurts sharply.\n"
    "You've done the training; enjoy the mountains. That's the last of my daily messages. "
    "Write to me any time if you'd like a plan for your next trek."
)

# An evening reminder (15:00 or later) looks ahead to tomorrow's session.
PREVIEW_ASK = ("Something to plan your day around. Tomorrow, say *today* to see it again, "
               "and tell me when it's done.")
PREVIEW_SESSION = (
    "{greeting}{name}! *Tomorrow, {day}:*\n"
    "{session}\n" + PREVIEW_ASK
)

PREVIEW_RECOVERY_ASK = "Resting is when the training sinks in."
PREVIEW_RECOVERY = (
    "{greeting}{name}! *Tomorrow, {day}, is a recovery day.*\n"
    "No training planned. If you feel like moving: some mobility or an easy walk at a "
    "chatting pace. " + PREVIEW_RECOVERY_ASK
)

PREVIEW_GENERIC_ASK = "Say *plan* and I'll refresh your plan."
PREVIEW_GENERIC = (
    "{greeting}{name}! I don't have a session on file for tomorrow, *{day}*, so here is a "
    "solid default: a 30-45 minute brisk walk, with hills or stairs if you have them.\n"
    + PREVIEW_GENERIC_ASK
)

NUDGE = (
    "Evening check-in: nothing logged for *{day}* yet. Did you get your session in? "
    "If not, no problem: tomorrow's plan stays as it is, nothing gets piled on."
)

# The demo clock (`trekbot chat --demo`).
DEMO_JUMP = "[demo clock: {when}]"
DEMO_NOTHING_SCHEDULED = (
    "[demo clock: nothing is scheduled for you yet. Finish the questions first (/start), "
    "or your plan is paused or over.]"
)
DEMO_NOTHING_SENT = "[demo clock: {when}, nothing to send.]"
