"""Settings: defaults, the .env file, and one clear line for a bad value (through the CLI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load


def test_defaults_use_a_sqlite_file_in_the_working_directory(tmp_path: Path) -> None:
    settings = load({}, env_file=tmp_path / "missing.env")
    assert settings.database_url.startswith("sqlite+aiosqlite:///")
    assert settings.port == 8080
    assert not settings.telegram and not settings.whatsapp and not settings.webhooks


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("TREKBOT_PORT=9000\nTREKBOT_TICK_SECONDS=5\n")
    settings = load({"TREKBOT_PORT": "9100"}, env_file=env)
    assert settings.port == 9100
    assert settings.tick_seconds == 5.0
    assert (settings.retention_days, settings.send_read_timeout) == (7, 60.0)
    later = load({"TREKBOT_RETENTION_DAYS": "30", "TREKBOT_SEND_READ_TIMEOUT": "90"},
                 env_file=env)
    assert (later.retention_days, later.send_read_timeout) == (30, 90.0)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"TREKBOT_PORT": "eighty"}, "TREKBOT_PORT"),
        ({"TREKBOT_PORT": "70000"}, "TREKBOT_PORT"),
        ({"TREKBOT_TICK_SECONDS": "-1"}, "TREKBOT_TICK_SECONDS"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"TELEGRAM_BOT_TOKEN": "nocolon"}, "TELEGRAM_BOT_TOKEN"),
        ({"TELEGRAM_BOT_TOKEN": "1:a", "TELEGRAM_WEBHOOK_URL": "https://x.org/h"},
         "TELEGRAM_WEBHOOK_SECRET"),
        ({"TELEGRAM_WEBHOOK_URL": "http://x.org/h", "TELEGRAM_WEBHOOK_SECRET": "s"},
         "TELEGRAM_WEBHOOK_URL"),
        ({"WHATSAPP_TOKEN": "t"}, "WHATSAPP_PHONE_NUMBER_ID"),
        ({"TREKBOT_LOG_LEVEL": "loud"}, "TREKBOT_LOG_LEVEL"),
        ({"TREKBOT_RETENTION_DAYS": "0"}, "TREKBOT_RETENTION_DAYS"),
        ({"TREKBOT_RETENTION_DAYS": "a week"}, "TREKBOT_RETENTION_DAYS"),
        ({"TREKBOT_SEND_READ_TIMEOUT": "0.1"}, "TREKBOT_SEND_READ_TIMEOUT"),
    ],
)
def test_a_bad_setting_is_named(tmp_path: Path, env: dict[str, str], named: str) -> None:
    with pytest.raises(SettingsError, match=named):
        load(env, env_file=tmp_path / "missing.env")


def test_postgres_urls_get_the_async_driver(tmp_path: Path) -> None:
    settings = load({"DATABASE_URL": "postgresql://u@h/db"}, env_file=tmp_path / "x")
    assert settings.database_url == "postgresql+asyncpg://u@h/db"


def test_cli_stops_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TREKBOT_", "TELEGRAM_"))}
    env["TREKBOT_PORT"] = "not-a-port"
    done = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat"], cwd=tmp_path, env=env,
        input="", capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [
        "trekbot: TREKBOT_PORT must be a whole number, got 'not-a-port'"
    ]
    assert "Traceback" not in done.stderr
