"""The terminal channel: one message per input line, numbered choices, flushed replies.

It works typed or piped; images and files are written to a folder and their paths printed.
With a store, replies leave through the outbox like on any channel: the engine queues them,
and the outbox is drained right after each message, so a piped script still sees every
reply, in order, before its next line is read.
"""

from __future__ import annotations

import asyncio
import mimetypes
import re
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import TextIO

from starlette.routing import BaseRoute

from bot.dispatch import Dispatcher
from bot.render import plain
from conversations import channel_texts
from conversations.messages import (
    Choice,
    FileTooLarge,
    Incoming,
    IncomingFile,
    Kind,
    Outgoing,
)
from storage import Store

QUIT_WORDS = {"/quit", "/exit"}
FILE_COMMAND = "/file"
PHOTO_MIMES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"})
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")

# A hook for terminal-only commands (such as the demo clock's /nextday): it gets the
# command word and returns replies, or None when it does not know the command.
LocalCommand = Callable[[str], Awaitable[list[Outgoing] | None]]


def numbers(choices: tuple[Choice, ...]) -> list[int]:
    """The number typed for each choice: its id when every id is a distinct digit 1-9 (the
    days question: "4" is 4 days), else its place in the list."""
    ids = [c.id.rsplit(":", 1)[-1] for c in choices]  # "days:4" -> "4"
    if all(i.isdigit() and len(i) == 1 and i != "0" for i in ids) and len(set(ids)) == len(ids):
        return [int(i) for i in ids]
    return list(range(1, len(choices) + 1))


class TerminalChannel:
    """Reads stdin, hands each line to the engine, prints the replies."""

    name = "terminal"

    def __init__(
        self,
        handle: Callable[[Incoming], Awaitable[list[Outgoing]]],
        clock: Callable[[], datetime],
        user_key: str,
        stdin: TextIO,
        stdout: TextIO,
        out_dir: Path,
        local_command: LocalCommand | None = None,
        store: Store | None = None,
    ) -> None:
        self._handle = handle
        self._clock = clock
        self.user_key = user_key
        self._in = stdin
        self._out = stdout
        self._out_dir = out_dir
        self._local = local_command
        self._choices: tuple[Choice, ...] = ()
        self._interactive = stdin.isatty()
        self.dispatcher = (Dispatcher(store, clock, self.name, self, only=user_key)
                           if store is not None else None)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    def routes(self) -> list[BaseRoute]:
        return []

    async def send(
        self, user_key: str, messages: list[Outgoing], *, scheduled: bool = False
    ) -> None:
        self.show(messages, reset=scheduled)

    async def run(self) -> None:
        """Read lines until end of input or /quit."""
        if self._interactive:
            self._print("Trek coach in your terminal. Type /start to begin, /quit to leave.")
        while True:
            if self._interactive:
                self._out.write("> ")
                self._out.flush()
            line = await asyncio.to_thread(self._in.readline)
            if line == "":
                break
            text = line.rstrip("\r\n")
            if text.strip().lower() in QUIT_WORDS:
                break
            if self._local is not None and text.strip().startswith("/"):
                local = await self._local(text.strip().lower())
                if local is not None:
                    self.show(local)
                    continue
            if text.strip().split(maxsplit=1)[:1] == [FILE_COMMAND]:
                file_in = self.file_incoming(text.strip()[len(FILE_COMMAND):].strip())
                if isinstance(file_in, str):
                    self._print(file_in)
                    continue
                await self._answer(file_in)
                continue
            await self._answer(self.incoming(text))

    async def _answer(self, incoming: Incoming) -> None:
        """Handle one message and show its replies: from the outbox when there is one."""
        replies = await self._handle(incoming)
        if self.dispatcher is None:
            self.show(replies)
            return
        if replies:
            self._choices = ()  # numbers pick from these replies' choices only
        await self.dispatcher.drain()

    def file_incoming(self, raw: str) -> Incoming | str:
        """`/file PATH [caption]` as an `Incoming` with the file, or a line saying what is wrong.
        A path with spaces can be quoted."""
        if not raw:
            return channel_texts.FILE_USAGE
        quoted = raw[0] in "\"'" and raw.find(raw[0], 1) > 0
        end = raw.find(raw[0], 1) if quoted else (raw.find(" ") if " " in raw else len(raw))
        name = raw[1:end] if quoted else raw[:end]
        caption = raw[end + 1:].strip() if end < len(raw) else ""
        path = Path(name).expanduser()
        if not path.is_file():
            return channel_texts.no_such_file(name)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"

        async def fetch(limit: int) -> bytes:
            if path.stat().st_size > limit:
                raise FileTooLarge(path.name)
            return await asyncio.to_thread(path.read_bytes)

        file = IncomingFile(path.name, mime, path.stat().st_size, fetch)
        kind = Kind.PHOTO if mime in PHOTO_MIMES else Kind.DOCUMENT
        return Incoming(channel=self.name, user_key=self.user_key, at=self._clock(),
                        text=caption, kind=kind, file=file)

    def incoming(self, text: str) -> Incoming:
        """A typed line as an `Incoming`: a number or a label picks one of the last choices."""
        at = self._clock()
        picked = self._pick(text.strip())
        if picked is not None:
            return Incoming(channel=self.name, user_key=self.user_key, at=at,
                            text=picked.label, choice_id=picked.id, kind=Kind.CHOICE)
        return Incoming(channel=self.name, user_key=self.user_key, at=at,
                        text=text)

    def _pick(self, text: str) -> Choice | None:
        if not self._choices or not text:
            return None
        if text.isdigit():
            return dict(zip(numbers(self._choices), self._choices, strict=True)).get(int(text))
        for choice in self._choices:
            if choice.label.lower() == text.lower():
                return choice
        return None

    def show(self, messages: list[Outgoing], *, reset: bool = True) -> None:
        """Print replies, number their choices, save attachments. Numbers pick from the
        latest replies' choices only: a typed "3" after a reply without choices is text
        (`reset=False`: these messages continue replies already shown)."""
        if messages and reset:
            self._choices = ()
        for message in messages:
            self._print(plain(message.text))
            if message.choices:
                self._choices = message.choices
                for n, choice in zip(numbers(message.choices), message.choices, strict=True):
                    self._print(f"  {n}. {choice.label}")
            if message.attachment is not None:
                self._out_dir.mkdir(parents=True, exist_ok=True)
                # one file per user, so two people chatting from one folder keep their own
                name = _SAFE.sub("_", f"{self.user_key}-{message.attachment.filename}")
                path = self._out_dir / name
                path.write_bytes(message.attachment.data)
                self._print(f"[saved {path}]")

    def _print(self, text: str) -> None:
        self._out.write(text + "\n")
        self._out.flush()
