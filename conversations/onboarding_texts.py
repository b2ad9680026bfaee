"""What the coach says during onboarding: questions, re-asks, acknowledgements, summary."""

TOTAL = 6

WELCOME = (
    "Hi! I'm your trek coach. Six quick questions and I'll build a plan that gets you "
    "trek-ready: aerobic base, strength, and time on your feet with a pack.\n"
    "Say *back* to change an answer, /restart to start over, /help for help."
)
RESUME = "Welcome back! We were in the middle of the questions; here is where we stopped."
ALREADY_SET_UP = (
    "You're all set up already. Say /restart if you want to answer the questions again."
)
FIRST_QUESTION = "This is the first question, there is nothing before it."

HELP = (
    "I'm asking a few questions to build your training plan. Answer in your own words or "
    "pick a choice. Say *back* to change the previous answer, /restart to start over."
)

PROGRESS = "({n} of {total}) "

ASK_RUNNING = "Do you already run regularly, and enjoy it?"
ASK_RUN_MINUTES = "How many minutes can you run right now at an easy, chatty pace?"
ASK_JOINTS = (
    "Any joint issues, old injuries or aches? Pick one or tell me in your own words "
    "(for example \"my left knee clicks on stairs\")."
)
ASK_TREK_DATE = "When is the trek? A date or how far away it is."
ASK_GRADE = "How hard is the trek?"
ASK_DAYS = "How many days a week can you train? (3 to 6)"
ASK_REMINDER = (
    "What time should your daily message come, and where are you? "
    "For example \"7:30 in Mumbai\" or just \"7:30\"."
)
ASK_TIMEZONE = (
    "Where are you? A city (\"Denver\"), a timezone (\"Europe/Berlin\") or a UTC offset "
    "(\"+5:30\")."
)

REASK = {
    "running": "Sorry, I didn't get that. Say *yes*, *sometimes* or *no*.",
    "run_minutes": "Sorry, I need a number of minutes, like *20* or *half an hour*.",
    "run_minutes_range": "That seems off. Give me a number between 1 and 300 minutes, like *25*.",
    "joints": (
        "Sorry, I didn't catch that. Say *none*, or name the joint, like *knee* or "
        "*my lower back aches*."
    ),
    "trek_date": (
        "I couldn't read a date there. Try *15 March*, *2027-03-15* or *in 10 weeks*."
    ),
    "trek_past": "{date} is already behind us. When is the trek? For example *in 10 weeks*.",
    "trek_today": "That's today! When is the trek? For example *15 March* or *in 8 weeks*.",
    "trek_far": (
        "{date} is more than a year away; I plan up to a year ahead. Come back nearer the "
        "time, or give a date within the next 12 months."
    ),
    "grade": "Sorry, I didn't get that. Say *easy*, *moderate*, *difficult* or *not sure*.",
    "days": "Sorry, I need a number of days a week from 3 to 6, like *4*.",
    "reminder": "I couldn't read a time. Try *7*, *7:30*, *6:30 pm* or *18:30*.",
    "timezone": (
        "I don't know that place. Try a bigger city nearby (*Mumbai*, *Denver*), a "
        "timezone like *Asia/Kolkata*, or an offset like *+5:30*."
    ),
}

GOT_RUNNING = {
    "regular": "Got it: you run regularly. Running will be part of your plan.",
    "sometimes": "Got it: you run now and then. We'll include easy runs and build up gently.",
    "no": (
        "Got it: not a runner. No problem: we'll build your fitness with walks, stairs and "
        "low-impact cardio instead, which is kinder to your joints when starting out."
    ),
}
GOT_RUN_MINUTES = "Got it: about {minutes} minutes of easy running."
GOT_JOINTS_NONE = "Got it: no joint issues."
GOT_JOINTS = "Got it: your {joints}. I'll go easy there and add mobility and strength work."
GOT_TREK = "Got it: trek on {date}, {span} from now."
GOT_TREK_SHORT = " That's not much time, so we'll focus on staying fresh and practising."
GOT_GRADE = "Got it: {article} {grade} trek."
GOT_GRADE_UNSURE = (
    "No problem: I'll plan for a moderate trek. You can change it later with /restart."
)
GOT_DAYS = "Got it: {days} days a week."
GOT_DAYS_MAX = (
    "I'll plan 6 days a week at most: at least one full recovery day is where you get "
    "stronger."
)
GOT_DAYS_MIN = (
    "I'll plan 3 days a week: fewer makes steady progress hard. Short sessions count, "
    "even 20 minutes."
)
GOT_REMINDER = "Got it: your daily message at {time}."
GOT_ZONE = "Got it: {place} time ({zone}); it's {now} there now."

SUMMARY_TITLE = "*Here's what I understood*"
SUMMARY_RUNNING = {
    "regular": "Running: regular runner, about {minutes} min at an easy pace",
    "sometimes": "Running: now and then, about {minutes} min at an easy pace",
    "no": "Running: not a runner (no running in the plan)",
}
SUMMARY_JOINTS = "Joints: {joints}"
SUMMARY_TREK = "Trek: {date} ({grade}), {span} away"
SUMMARY_DAYS = "Training: {days} days a week"
SUMMARY_REMINDER = "Daily message: {time} ({zone})"
FIRST_WEEK_TITLE = "*Your first week*"
FIRST_SESSION = "Your first session is {when}. I'll message you at {time} each day."
CHANGE_HINT = "Something wrong? Say /restart to answer the questions again."

JOINT_NAMES = {
    "knee": "knee", "ankle": "ankle", "hip": "hip", "back": "back", "other": "other aches",
}

CHOICES = {
    "running": (("regular", "Yes, I run regularly"), ("sometimes", "Sometimes"),
                ("no", "No")),
    "run_minutes": (("10", "10 min"), ("20", "20 min"), ("30", "30 min"), ("45", "45 min"),
                    ("60", "60 min or more")),
    "joints": (("none", "None"), ("knee", "Knee"), ("ankle", "Ankle"), ("hip", "Hip"),
               ("back", "Back / spine"), ("other", "Other")),
    "trek_date": (("w8", "In 8 weeks"), ("w12", "In 12 weeks"), ("w16", "In 16 weeks")),
    "grade": (("easy", "Easy"), ("moderate", "Moderate"), ("difficult", "Difficult"),
              ("unsure", "Not sure")),
    # The question says 3 to 6, so are the choices (the terminal numbers them by id, so
    # a typed "4" is 4 days); a typed 1, 2 or 7 is still understood (planned as 3 / 6).
    "days": (("3", "3 days"), ("4", "4 days"), ("5", "5 days"), ("6", "6 days")),
    "reminder": (("360", "6:00"), ("420", "7:00"), ("480", "8:00"), ("1080", "18:00")),
    "timezone": (("Asia/Kolkata", "India (Asia/Kolkata)"),
                 ("Europe/London", "UK (Europe/London)"),
                 ("America/New_York", "US East (America/New_York)"), ("UTC", "UTC")),
}

# An answer that belongs to another question (conversations/onboarding_guard.py).
WRONG_QUESTION = "That looks like {looks}, but this question is about {expected}"
EXPECTED = {
    "ask_run_minutes": "running: how many minutes can you run without stopping? "
                       "For example *20* or *half an hour*.",
    "ask_joints": "your joints: say *none*, or name the joint, like *knee* or *lower back*.",
    "ask_trek_date": "the trek date: when is it? For example *15 March* or *in 10 weeks*.",
    "ask_grade": "how hard the trek is: *easy*, *moderate*, *difficult* or *not sure*.",
    "ask_days": "training days: how many days a week can you train, from 3 to 6? "
                "For example *4*.",
    "ask_reminder": "your daily message: what time should I send it? For example *7:00* "
                    "or *18:30*.",
    "ask_timezone": "where you are: a city, or a timezone like *Europe/Berlin*.",
}
