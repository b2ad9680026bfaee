"""The one table of commands: word, intent, menu text, plain-word twins.

The intent classifier (`intents.py`), the handler table (`handlers.py`) and the channels'
command menus all read `COMMANDS`. Adding a command is one line here (plus a handler in
`handlers.SPECIAL` only when it must not run its intent's daily handler).
"""

from __future__ import annotations

from dataclasses import dataclass

from conversations.intent import Intent


@dataclass(frozen=True)
class Command:
    """One command the user can type after "/"."""

    word: str
    intent: Intent
    menu: str | None = None  # the line in a messenger's command menu; None: not listed
    twins: tuple[str, ...] = ()  # whole plain messages that act as this command
    routed: bool = True  # handled in every state; False: only the classifier reads it
    details: bool = False  # the classifier reads "/word rest" as the sentence "word rest"


COMMANDS: tuple[Command, ...] = (
    # listed in the menu, in menu order
    Command("start", Intent.HELP, "Start, or pick up where we left off"),
    Command("today", Intent.TODAY, "Today's session"),
    Command("plan", Intent.PLAN, "The plan for the coming days"),
    Command("progress", Intent.PROGRESS, "How far along you are"),
    Command("targets", Intent.TARGETS, "Your trek-ready targets and test results"),
    Command("done", Intent.DONE, "Log today's session as done", details=True),
    Command("skip", Intent.SKIP, "Skip today's session", details=True),
    Command("run", Intent.SHOULD_RUN, "Should I run today?", details=True),
    Command("help", Intent.HELP, "What I can do", twins=("help",)),
    Command("restart", Intent.RESET, "Answer the questions again"),
    # not in the menu
    Command("menu", Intent.HELP, twins=("menu",)),
    Command("week", Intent.PLAN),
    Command("all", Intent.PLAN_ALL),
    Command("fullplan", Intent.PLAN_ALL),
    Command("planall", Intent.PLAN_ALL),
    Command("next", Intent.NEXT_WEEK),
    Command("nextweek", Intent.NEXT_WEEK),
    Command("pause", Intent.PAUSE),
    Command("resume", Intent.RESUME),
    Command("export", Intent.EXPORT),
    Command("reset", Intent.RESET),
    Command("delete", Intent.DELETE),
    # trek batches (conversations/batch.py): "/join CODE" as "/start CODE" does; the plain
    # words "join CODE" and "leave batch" are read by `batch.plain_handler`
    Command("join", Intent.BATCH),
    Command("leave", Intent.BATCH),
    Command("leader", Intent.BATCH),
    # read only by the classifier, in the ACTIVE state
    Command("stats", Intent.PROGRESS, routed=False),
    Command("reminder", Intent.SET_REMINDER, routed=False, details=True),
    Command("timezone", Intent.SET_TIMEZONE, routed=False, details=True),
    Command("days", Intent.SET_DAYS, routed=False, details=True),
    Command("trek", Intent.SET_TREK_DATE, routed=False, details=True),
)

BY_WORD: dict[str, Command] = {c.word: c for c in COMMANDS}
BY_TWIN: dict[str, Command] = {twin: c for c in COMMANDS for twin in c.twins}
# The menu a messenger shows next to the text box: (command, short description).
MENU: tuple[tuple[str, str], ...] = tuple((c.word, c.menu) for c in COMMANDS if c.menu)


def command_word(text: str) -> str | None:
    """'/Help@TrekBot extra' -> 'help'; plain text -> None."""
    if not text.startswith("/"):
        return None
    word = text[1:].split(maxsplit=1)[0] if len(text) > 1 else ""
    return word.split("@", 1)[0].lower() or None


def find(text: str) -> Command | None:
    """The command a whole message calls: '/word ...' or a plain-word twin like 'help!'."""
    word = command_word(text.strip())
    if word is not None:
        return BY_WORD.get(word)
    return BY_TWIN.get(text.lower().strip(" .!?"))
