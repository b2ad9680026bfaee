"""Reply texts for the daily conversation: logging, views, settings, account commands."""

from __future__ import annotations

from datetime import date

from conversations.formatting import clock_time, duration, short_date

HELP = (
    "*What you can tell me*\n"
    "- *done* (add minutes, effort like 7/10, or how it felt: \"done 35 min, felt hard\")\n"
    "- what you measured: \"done 5 km in 32 min\", \"24 floors with 8 kg\", "
    "\"walked 12 km, 700 m up, 9 kg pack\"\n"
    "- a GPX or FIT file from your watch or app: I log it for the day it started\n"
    "- *skip* or \"missed yesterday\": no catching up needed\n"
    "- *should I run today?*\n"
    "- *today*, *plan* (this week), *next week*, *plan all* (every week to the trek), "
    "*progress* (with a chart), *targets* (trek-ready targets and test days)\n"
    "- pain or sickness: \"my knee hurts 5/10\", \"I have a cold\", \"fever\"\n"
    "- settings: \"remind me at 7:00\", \"timezone Europe/Paris\", "
    "\"train on mon wed fri sat\", \"my trek moved to 20 April\"\n"
    "- one-off moves: \"move today to tomorrow\", \"swap Saturday's walk to Sunday\"; "
    "\"I can't train on Wednesdays anymore\", \"my trek is actually difficult\"\n"
    "- about you: \"I weigh 70 kg\", \"no stairs near me\", \"I don't have a bike\"\n"
    "- questions: food, water, packing, boots, blisters, altitude, tired days\n"
    "- \"evening reminder on\" / \"off\": a check-in at 20:00 if nothing is logged\n"
    "- *pause* / *resume* reminders, *export* (calendar + log), *reset*, *delete*"
)

UNKNOWN = (
    "I didn't catch that. You could say *done*, *today*, or *should I run today?* "
    "(*help* lists everything)."
)
GREETING = "Hi! Say *today* for today's session, or *done* when you've trained."
THANKS = "You're welcome. Keep it steady."

NOT_READY = (
    "We haven't finished setting up your plan yet. Answer the questions first, "
    "or send /start to begin."
)


def day_name(day: date, today: date) -> str:
    """'today', 'yesterday', or 'Tue 1 Dec'."""
    if day == today:
        return "today"
    if (today - day).days == 1:
        return "yesterday"
    return short_date(day)


def when(day: date, today: date) -> str:
    """'today (Tue 1 Dec)', 'yesterday (Mon 30 Nov)', or 'Sun 29 Nov'."""
    name = day_name(day, today)
    return name if name == short_date(day) else f"{name} ({short_date(day)})"


# -- logging ----------------------------------------------------------------------------


def measured(distance_km: float | None, climb_m: int | None, floors: int | None,
             pack_kg: float | None, squats: int | None = None) -> list[str]:
    """'12 km', '+700 m', '24 floors', '9 kg pack', '30 squats': what was measured."""
    parts = [f"{distance_km:g} km" if distance_km else "",
             f"+{climb_m} m" if climb_m else "", f"{floors} floors" if floors else "",
             f"{pack_kg:g} kg pack" if pack_kg else "", f"{squats} squats" if squats else ""]
    return [p for p in parts if p]


def walk_estimate(minutes: int) -> str:
    return (f"No time given, so I counted about {duration(minutes)} (5 km an hour plus 10 min "
            "per 100 m up). Add the time next time, e.g. \"in 3 h\".")


def logged(what: str, minutes: int | None, effort: int | None, feeling: str | None,
           day: date, today: date, amounts: list[str] | None = None) -> str:
    parts = [what, *(amounts or [])]
    if minutes:
        parts.append(f"{minutes} min")
    if effort is not None:
        parts.append(f"effort {effort}/10")
    if feeling:
        parts.append(f"felt {feeling}")
    on = short_date(day) if day == today else when(day, today)
    return f"*Logged for {on}:* " + ", ".join(parts) + "."


def already_done(day: date, today: date) -> str:
    return (f"That's already logged as done for {when(day, today)}, so I haven't "
            "counted it twice.")


def results_added(added: list[str], day: date, today: date) -> str:
    return (f"Added to your session {when(day, today)}: {', '.join(added)}. "
            "Your readiness uses it (say *targets* to see where you stand).")


def done_after_hard(feeling: str | None, effort: int | None,
                    rest_tomorrow: bool = False) -> str | None:
    """A word on how it felt; after a hard one, what tomorrow is (the planner keeps a
    session the day after easy, a rest day stays a rest day)."""
    if feeling == "hard" or (effort is not None and effort >= 8):
        return ("Tough one. Sleep and food are part of the training; "
                + ("tomorrow is a rest day." if rest_tomorrow else "the next day stays easy."))
    if feeling == "easy":
        return "Nice and easy is how the aerobic base grows."
    return None


EXTRA = "Extra session"

# A plain "done" on a rest day: the rest-day message's 15-20 min of mobility or easy walk.
RECOVERY_MINUTES = 20
RECOVERY_DONE = "Recovery (easy walk or mobility)"
REST_DAY_EASY = "Easy movement on a rest day helps your body absorb the training."


REST_DAY_DONE = ("A bonus session on a rest day: nice. Keep the next one easy so your body "
                 "can absorb the work.")


def week_count(done: int, planned: int, extra: int, streak: int) -> str:
    line = f"This week: {done} of {planned} planned sessions done"
    if extra:
        line += f", plus {extra} extra"
    line += "."
    if streak >= 2:
        line += f" That's {streak} planned sessions in a row."
    return line


def next_up(label: str, day: date, today: date) -> str:
    return f"Next: {when(day, today) if day == today else short_date(day)}, {label}."


NOTHING_NEXT = "That was the last session before the trek. Rest up and enjoy it!"


def skipped(day: date, today: date) -> str:
    return (f"Noted: no session {when(day, today)}. No need to make it up: "
            "I never pile missed work onto later days.")


def skip_ahead(day: date, today: date) -> str:
    return (f"Noted: {when(day, today)} is a day off. No need to make that session up: "
            "I never pile missed work onto other days.")


def skip_after_done(day: date, today: date) -> str:
    return (f"You already logged {when(day, today)} as done, so I've left it that way. "
            "Rest well.")


def already_skipped(day: date, today: date) -> str:
    return f"I already have {when(day, today)} down as a miss. Nothing else changes."


def skip_rest_day(day: date, today: date) -> str:
    name = when(day, today)
    verb = "was" if day < today else "is"
    return (f"Noted. {name[:1].upper()}{name[1:]} {verb} a rest day on the plan, so there's "
            "nothing to skip.")


def before_start(start: date) -> str:
    return f"Your plan starts on {short_date(start)}. Until then, move as you like."


def nothing_to_miss(day: date, start: date, today: date) -> str:
    started = f"today ({short_date(start)})" if start == today else f"on {short_date(start)}"
    return f"Your plan started {started}, so there was nothing to miss {when(day, today)}."


TREK_TIME = "Your trek is here. No more training: enjoy the mountains!"


# -- views ------------------------------------------------------------------------------

TODAY_DONE = "Already done today. Rest and refuel."


def today_head(day: date) -> str:
    return f"*Today, {short_date(day)}*"


def progress_lines(done: int, planned: int, extra: int, streak: int, minutes_done: int,
                   minutes_planned: int, weeks_left: int) -> str:
    sessions = (f"Planned sessions done: {done} of {planned} so far" if planned
                else "No planned sessions due yet")
    if extra:
        sessions += f" (plus {extra} extra)"
    lines = ["*Your progress*", sessions, f"This week: {minutes_done} of {minutes_planned} min"]
    if streak:  # a zero streak says nothing useful and reads like a telling-off
        lines.append(f"Streak: {streak} planned session{'s' if streak != 1 else ''} in a row "
                     "(rest days don't break it)")
    lines.append(f"Weeks to the trek: {weeks_left}")
    return "\n".join(lines)


CHART_CAPTION = ("Your weeks at a glance: minutes planned against done, and your longest "
                 "loaded walk and pack against a trek day.")

# -- pain and sickness --------------------------------------------------------------------


def ask_pain_score(area: str | None, why: str | None = None) -> str:
    where = f" in your {area}" if area else ""
    warning = ""
    if why:
        warning = (f" Because {why}, please get it checked by a physiotherapist or doctor "
                   "before training on it.")
    return (f"Sorry to hear about the pain{where}.{warning} How bad is it from 0 to 10? "
            "Reply with a number, e.g. *4*.")


SIGNS = {
    "swelling": "it's swollen",
    "worse_during": "it gets worse as you move",
    "lasting": "it has lasted past the next day",
}


def signs_text(names: list[str]) -> str | None:
    """'it's swollen and it gets worse as you move'; None without warning signs."""
    found = [SIGNS[n] for n in SIGNS if n in names]
    if not found:
        return None
    return ", ".join(found[:-1]) + " and " + found[-1] if len(found) > 1 else found[0]


def now_today(label: str) -> str:
    return f"Today now: {label}."


UNWELL_HINT = "If it's only a head cold (above the neck), say *just a cold*."

# -- settings -----------------------------------------------------------------------------


def nudge_on(first: str | None, paused: bool) -> str:
    line = "Evening check-in on: if nothing is logged by 20:00, I'll send a short reminder."
    if first:
        line += f" First one: {first}."
    if paused:
        line += " Reminders are paused right now; say *resume* to get them again."
    return line


def nudge_too_late(minutes: int) -> str:
    return (f"Evening check-in on, but your morning message comes at {clock_time(minutes)}, "
            "too close to 20:00 for a second message. It starts once the morning message is at "
            "17:00 or earlier (say *remind me at 7:00*).")


NUDGE_ALREADY_ON = "The evening check-in is already on (20:00, only if nothing is logged)."
NUDGE_OFF = "Evening check-in off. You'll only get the morning message."
NUDGE_ALREADY_OFF = "The evening check-in is already off. Say *evening reminder on* to get it."


def reminder_set(minutes: int, zone: str, next_at_local: str) -> str:
    return (f"Done: your morning message now comes at {clock_time(minutes)} ({zone}). "
            f"Next one: {next_at_local}.")


ASK_REMINDER = "What time should I send the day's session? For example *remind me at 7:00*."


def no_snooze(daily: str | None) -> str:
    """A one-off "remind me in 2 hours": not something the coach does (yet)."""
    keep = f" Your daily message stays at {daily}." if daily else ""
    return ("I can't send a one-off reminder later today; just tell me *done* when you've "
            f"trained.{keep} To move the daily time, say e.g. *remind me at 18:00*.")


def zone_set(zone: str, next_at_local: str | None) -> str:
    line = f"Got it: your timezone is now {zone}."
    if next_at_local:
        line += f" Next morning message: {next_at_local}."
    return line


ASK_ZONE = ("Which timezone or city are you in? For example *timezone Europe/Paris* or "
            "*I'm in London*.")


def trek_moved(day: date, weeks: int) -> str:
    return (f"Got it: trek on {short_date(day)} {day.year}, {weeks} weeks from now. "
            "I've rebuilt your plan to fit.")


SWAPS_UNDONE = ("The days you'd moved are back where they were: the weeks are laid out "
                "again for the new date. Tell me if you still need to move one.")
ASK_TREK_DATE = "When is the trek now? For example *my trek moved to 20 April*."
TREK_IN_PAST = "That date has already passed. When is the trek? For example *20 April*."


def days_set(names: str) -> str:
    return f"Your training days are now {names}. I've rebuilt the plan around them."


BAD_DAYS = "Pick 3 to 6 training days, for example *train on mon wed fri sat*."

PAUSED = ("Reminders paused. I'll stay quiet until you say *resume*; you can still talk to "
          "me any time.")
ALREADY_PAUSED = "Reminders are already paused. Say *resume* to turn them back on."


def resumed(next_at_local: str | None) -> str:
    line = "Reminders are back on."
    if next_at_local:
        line += f" Next one: {next_at_local}."
    return line


ALREADY_ACTIVE = "Reminders are already on."

CONFIRM_RESET = ("Start over? I'll ask the setup questions again and build a new plan. "
                 "Your log stays. Reply *yes* to start over or *no* to keep things as they are.")
CONFIRM_DELETE = ("Delete everything? Your profile, plan and log will be erased for good. "
                  "Reply *yes* to delete or *no* to keep it.")
RESET_CANCELLED = "Okay, nothing changed."
DELETE_CANCELLED = "Okay, nothing deleted."
DELETED = ("Everything about you is erased. If you ever want to train again, just send "
           "a message.")
CONFIRM_AGAIN = "Please reply *yes* or *no*."

EXPORT_INTRO = "Here's your plan as a calendar file and your log as a spreadsheet (CSV)."
EXPORT_ICS = "Plan: import it into your calendar app."
EXPORT_CSV = "Log: open it in any spreadsheet."

GLAD_FINE = "Good to hear you're feeling fine."

def export_feed(url: str) -> str:
    return ("Or subscribe to this link in your calendar app and it keeps itself up to date "
            f"as your plan changes:\n{url}\nKeep it to yourself: anyone with it sees your "
            "plan.")


# Logging on the right day (conversations/log_day.py).
LOG_FUTURE = ("I can only log what you've already done. Tell me on the day, once it's done, "
              "and I'll count it.")


def log_before_plan(day: date, start: date) -> str:
    return (f"{short_date(day)} is before your plan started ({short_date(start)}), so there's "
            "nothing to log it against. Anything since then I'm happy to log.")


def effort_noted(what: str, feeling: str | None, effort: int | None, day: date,
                 today: date) -> str:
    how = f"effort {effort}/10" if effort is not None else f"felt {feeling}"
    return f"*Noted:* {what} for {when(day, today)}, {how}."


def which_session(day: date, today: date, planned: str | None) -> str:
    that = f" Was it {planned}?" if planned else ""
    return (f"Nothing is logged as done for {when(day, today)} yet.{that} Say *done, hard* "
            "to log it with how it felt, or *yesterday was hard* for yesterday's.")


def sore_note(area: str) -> str:
    return (f"Noted the {area}: tight or tired muscles after a longer session are normal. "
            "Some gentle stretching helps; if it turns into pain, tell me with a score.")


def test_weeks_line(weeks: tuple[int, ...]) -> str:
    """'Test days: weeks 1, 6 and 10 of your plan. ...'"""
    if not weeks:
        return ""
    names = [str(w) for w in weeks]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    word = "week" if len(names) == 1 else "weeks"
    return (f"Test days: {word} {listed} of your plan. The session that day says what to "
            "measure.")
