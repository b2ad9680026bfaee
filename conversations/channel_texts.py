"""Texts that belong to the messenger channels rather than to a conversation step."""

from __future__ import annotations

# Said in a group chat when someone sends the coach a command there.
PRIVATE_ONLY = (
    "I coach one person at a time, so I only work in a private chat. "
    "Open a chat with me and send /start."
)

# The command menu a messenger shows next to the text box: (command, short description).
COMMAND_MENU: tuple[tuple[str, str], ...] = (
    ("start", "Start, or pick up where we left off"),
    ("today", "Today's session"),
    ("plan", "The plan for the coming days"),
    ("progress", "How far along you are"),
    ("done", "Log today's session as done"),
    ("skip", "Skip today's session"),
    ("run", "Should I run today?"),
    ("help", "What I can do"),
    ("restart", "Answer the questions again"),
)

# The terminal's `/file PATH` line.
FILE_USAGE = "To send a file, type /file and its path, e.g. /file ~/Downloads/walk.gpx"


def no_such_file(path: str) -> str:
    return f"There is no readable file at {path}. Check the path and try again."
