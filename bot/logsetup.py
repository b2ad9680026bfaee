"""Logging set-up: plain or JSON lines, and a filter that keeps secrets and bodies out of logs.

The filter sits on the handler, so it sees every record at every level, ours and the
libraries': it replaces the bot token, webhook secrets and API tokens with `<secret>`,
phone numbers, long ids and WhatsApp message ids with `<number>` / `<wamid>`, and the
structured arguments libraries log at DEBUG (request parameters, API answers, whole updates,
which carry message bodies) with `<body>`. `TREKBOT_LOG_BODIES=1` keeps the bodies (never
the secrets) for a debugging session on a machine of your own.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

SECRET = "<secret>"
# Phone numbers, Telegram chat ids and WhatsApp ids: 7 or more digits in a row, or a + and
# digits with single spaces or dashes between groups. Counts, years and dates stay readable.
_NUMBER = re.compile(r"(?<![\w.+])(?:\+\d(?:[ -]?\d){6,}|\d{7,})(?![\w.])")
_WAMID = re.compile(r"wamid\.[A-Za-z0-9+/=_-]+")
_BOT_PATH = re.compile(r"/bot\d+:[A-Za-z0-9_-]+")  # any Bot API token in a URL path
# Loggers that echo whole request URLs at INFO or below; kept at WARNING.
NOISY = ("httpx", "httpcore", "apscheduler", "hpack", "aiosqlite")
LIBRARIES = ("telegram", "httpx", "httpcore", "pywa", "pywa_async", "uvicorn", "hpack",
             "aiosqlite", "asyncpg", "sqlalchemy", "alembic")


class Redact(logging.Filter):
    """Rewrites each record's message without secrets, numbers and (unless asked) bodies."""

    def __init__(self, secrets: Iterable[str | None] = (), *, bodies: bool = False) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True)
        self.bodies = bodies

    def scrub(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, SECRET)
        text = _BOT_PATH.sub("/bot" + SECRET, text)
        text = _WAMID.sub("<wamid>", text)
        return _NUMBER.sub("<number>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, dict):
            record.args = (record.args,)
        if record.args and not self.bodies and record.name.startswith(LIBRARIES):
            record.args = tuple(a if isinstance(a, str | int | float | bool) or a is None
                                else "<body>" for a in record.args)
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a library's own formatting bug: keep the template
            message = str(record.msg)
        record.msg, record.args = self.scrub(message), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class RateLimitNotice(logging.Filter):
    """PTB's AIORateLimiter logs a 429 it does not retry itself as an ERROR with a traceback;
    our sender retries it and logs one warning with the wait, so that record is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Rate limit hit after maximum")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the exception, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_text:
            entry["exception"] = record.exc_text
        elif record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, fmt: str = "text", secrets: Iterable[str | None] = (), *,
              bodies: bool = False, stream: TextIO | None = None) -> logging.Handler:
    """Set up the root logger once for the process; returns its handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(Redact(secrets, bodies=bodies))
    if fmt == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in NOISY:
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
    logging.getLogger("telegram.ext.AIORateLimiter").addFilter(RateLimitNotice())
    return handler
