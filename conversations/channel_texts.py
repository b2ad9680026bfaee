"""Texts that belong to the messenger channels rather than to a conversation step."""

from __future__ import annotations

# Said in a group chat when someone sends the coach a command there.
PRIVATE_ONLY = (
    "I coach one person at a time, so I only work in a private chat. "
    "Open a chat with me and send /start."
)

# The terminal's `/file PATH` line.
FILE_USAGE = "To send a file, type /file and its path, e.g. /file ~/Downloads/walk.gpx"


def no_such_file(path: str) -> str:
    return f"There is no readable file at {path}. Check the path and try again."
