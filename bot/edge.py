"""What every channel does to untrusted platform text before it becomes an `Incoming`.

Text is made valid once, here: lone surrogates (which JSON can carry and no database
stores) become U+FFFD, line ends become "\\n", control and invisible formatting characters
(NUL, escapes, bidi overrides, zero-width spaces) are dropped, the result is NFC and cut to a
length. Emoji joiners, variation selectors and tag characters stay: emoji need them.
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

MAX_TEXT = 4096  # Telegram's own limit for a message; WhatsApp's is the same order
MAX_NAME = 128  # storage keeps this many characters of a display name

_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_ENDS = re.compile("\r\n?|[\u2028\u2029\u0085]")
_DROP = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x84\x86-\x9f\u200b\u200e\u200f"
                   "\u202a-\u202e\u2060\u2066-\u2069\ufeff\ufff9-\ufffb]")


def clean_text(value: Any, limit: int = MAX_TEXT) -> str | None:
    """Valid, printable text of at most `limit` characters; None when `value` is not a string."""
    if not isinstance(value, str):
        return None
    text = _SURROGATE.sub("\ufffd", value)
    text = _DROP.sub("", _LINE_ENDS.sub("\n", text))
    return unicodedata.normalize("NFC", text)[:limit]


def clean_name(value: Any) -> str | None:
    """A display name on one line, or None when there is none worth keeping."""
    text = clean_text(value, MAX_NAME * 2)
    if text is None:
        return None
    name = " ".join(text.split())[:MAX_NAME]
    return name or None


MAX_DEPTH = 32  # platform updates nest about 8 deep
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]")
_EMPTY_PAIR = re.compile(rb"\[\]|\{\}")


class BadJson(ValueError):
    """A webhook body that is not a JSON document we will parse (a 400)."""


def _constant(name: str) -> Any:
    raise BadJson(f"{name} is not JSON")


def nesting_ok(body: bytes, max_depth: int = MAX_DEPTH) -> bool:
    """Whether the JSON text nests at most `max_depth` deep, checked without parsing it:
    strings are dropped, and each pass removes the innermost bracket pairs."""
    brackets = _NOT_BRACKET.sub(b"", _STRING.sub(b"", body))
    for _ in range(max_depth):
        if not brackets:
            return True
        brackets, removed = _EMPTY_PAIR.subn(b"", brackets)
        if not removed:
            return False  # unbalanced: not JSON
    return not brackets


def decode_json(body: bytes, max_depth: int = MAX_DEPTH) -> Any:
    """The JSON document in `body` (UTF-8); BadJson for anything else, deeply nested included."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadJson("not UTF-8") from None
    if not nesting_ok(body, max_depth):
        raise BadJson("nested too deep")
    try:
        return json.loads(text, parse_constant=_constant)
    except (ValueError, RecursionError) as exc:
        raise BadJson(type(exc).__name__) from None
