"""The log filter and formats: secrets, numbers and library bodies never reach a log line."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot import logsetup

TOKEN = "123456:AAH-secret_token"


@pytest.fixture
def logs():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    yield lambda fmt="text", bodies=False: (
        logsetup.configure("DEBUG", fmt, [TOKEN, "hook-secret", None], bodies=bodies,
                           stream=stream), stream)[1]
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


def test_secrets_numbers_and_library_bodies_are_redacted_at_debug(logs) -> None:
    stream = logs()
    logging.getLogger("telegram.Bot").debug("Set Bot API URL: %s", f"http://x/bot{TOKEN}")
    logging.getLogger("telegram.Bot").debug("Calling `%s` with parameters `%s`", "sendMessage",
                                            {"chat_id": 512345678, "text": "my knee hurts"})
    logging.getLogger("bot.x").info("setWebhook with hook-secret for +44 7700 900123 at 09:30")
    out = stream.getvalue()
    assert TOKEN not in out and "AAH-secret" not in out and "hook-secret" not in out
    assert "knee" not in out and "512345678" not in out and "7700" not in out
    assert "sendMessage" in out and "09:30" in out and "<secret>" in out


def test_bodies_setting_keeps_bodies_but_never_the_token(logs) -> None:
    stream = logs(bodies=True)
    logging.getLogger("telegram.Bot").debug("params %s", {"text": "my knee hurts",
                                                          "url": f"/bot{TOKEN}/x"})
    out = stream.getvalue()
    assert "my knee hurts" in out and TOKEN not in out


def test_a_traceback_is_scrubbed_too(logs) -> None:
    stream = logs()
    try:
        raise RuntimeError(f"failed calling /bot{TOKEN}/getMe")
    except RuntimeError:
        logging.getLogger("bot.x").exception("start-up failed")
    out = stream.getvalue()
    assert "RuntimeError" in out and TOKEN not in out


def test_json_format_is_one_object_per_line(logs) -> None:
    stream = logs("json")
    logging.getLogger("bot.x").warning("two\nlines")
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("bot.x").exception("failed")
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert [e["level"] for e in entries] == ["WARNING", "ERROR"]
    assert entries[0]["message"] == "two\nlines" and "ValueError" in entries[1]["exception"]


def test_the_rate_limiters_error_traceback_is_dropped(logs) -> None:
    stream = logs()
    logging.getLogger("telegram.ext.AIORateLimiter").error(
        "Rate limit hit after maximum of %d retries", 0)
    logging.getLogger("telegram.ext.AIORateLimiter").info("Rate limit hit. Retrying")
    assert "maximum" not in stream.getvalue() and "Retrying" in stream.getvalue()
