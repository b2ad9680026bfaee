"""Settings from the environment and a `.env` file, checked once at start-up."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlparse

from dotenv import dotenv_values

from bot.dispatch import Options
from storage.db import database_url

N = TypeVar("N", int, float)


class SettingsError(Exception):
    """A missing or malformed setting; the message names it in one line."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    host: str = "0.0.0.0"
    port: int = 8080
    tick_seconds: float = 30.0
    db_pool_size: int = 10
    log_level: str = "INFO"
    log_format: str = "text"
    log_bodies: bool = False
    telegram_token: str | None = None
    telegram_base_url: str | None = None
    telegram_webhook_url: str | None = None
    telegram_webhook_secret: str | None = None
    whatsapp_token: str | None = None
    whatsapp_phone_number_id: str | None = None
    whatsapp_app_secret: str | None = None
    whatsapp_verify_token: str | None = None
    whatsapp_api_url: str | None = None
    whatsapp_template_name: str = "daily_session"
    whatsapp_template_language: str = "en"
    public_url: str | None = None  # TREKBOT_PUBLIC_URL: leaders' sign-in links, calendar feeds
    telegram_bot_username: str | None = None  # for batch deep links t.me/<name>?start=CODE
    whatsapp_number: str | None = None  # the business number, digits, for wa.me links
    send_read_timeout: float = 60.0  # TREKBOT_SEND_READ_TIMEOUT, seconds
    retention_days: int = 7  # TREKBOT_RETENTION_DAYS: sent outbox rows, handled message ids
    telegram_max_per_second: float = 30.0  # overall, across instances; 0 switches it off
    whatsapp_max_per_second: float = 20.0  # overall, across instances; 0 switches it off
    whatsapp_seconds_per_user: float = 6.0  # one message per person per this many seconds
    redis_url: str | None = None  # TREKBOT_REDIS_URL: shared pacing in Redis
    id_key: str | None = None  # TREKBOT_ID_KEY: hashes message ids; else a per-database secret
    inbox_lease_seconds: float = 60.0  # TREKBOT_INBOX_LEASE_SECONDS: a claim of a dead instance
    outbox_lease_seconds: float = 300.0  # TREKBOT_OUTBOX_LEASE_SECONDS: a send of a dead one

    def dispatch(self) -> Options:
        """The dispatchers' options these settings choose (the outbox lease)."""
        return Options(lease=timedelta(seconds=self.outbox_lease_seconds))

    @property
    def base_url(self) -> str:
        """The public address of the web server: TREKBOT_PUBLIC_URL, else host and port."""
        if self.public_url:
            return self.public_url
        host = "localhost" if self.host in ("0.0.0.0", "::", "") else self.host
        return f"http://{host}:{self.port}"

    @property
    def telegram(self) -> bool:
        return bool(self.telegram_token)

    @property
    def whatsapp(self) -> bool:
        return bool(self.whatsapp_token)

    @property
    def secrets(self) -> tuple[str | None, ...]:
        """Every value that must never appear in a log line."""
        return (self.telegram_token, self.telegram_webhook_secret, self.whatsapp_token,
                self.whatsapp_app_secret, self.whatsapp_verify_token, self.redis_url,
                self.id_key)

    @property
    def webhooks(self) -> bool:
        """Whether a web server is needed (webhooks, or the calendar feed at a public URL)."""
        return (self.whatsapp or bool(self.telegram and self.telegram_webhook_url)
                or bool(self.public_url))


WHATSAPP_REQUIRED = (
    "WHATSAPP_TOKEN",
    "WHATSAPP_PHONE_NUMBER_ID",
    "WHATSAPP_APP_SECRET",
    "WHATSAPP_VERIFY_TOKEN",
)


def _number(
    env: Mapping[str, str], name: str, default: N, lo: N, hi: N, kind: type[N]
) -> N:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = kind(raw)
    except ValueError:
        what = "a whole number" if kind is int else "a number"
        raise SettingsError(f"{name} must be {what}, got {raw!r}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"{name} must be between {lo} and {hi}, got {value}")
    return value


def _url(env: Mapping[str, str], name: str, *, https: bool = False) -> str | None:
    raw = (env.get(name) or "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    schemes = ("https",) if https else ("http", "https")
    if parsed.scheme not in schemes or not parsed.netloc:
        kind = "an https URL" if https else "an http(s) URL"
        raise SettingsError(f"{name} must be {kind}, got {raw!r}")
    return raw.rstrip("/")


def _redis_url(env: Mapping[str, str]) -> str | None:
    raw = (env.get("TREKBOT_REDIS_URL") or "").strip()
    if not raw:
        return None
    parsed = urlparse(raw)
    if parsed.scheme not in ("redis", "rediss", "unix") or not (parsed.netloc or parsed.path):
        raise SettingsError("TREKBOT_REDIS_URL must be a redis://, rediss:// or unix:// URL, "
                            "like redis://127.0.0.1:6379/0")
    return raw


def _database_url(env: Mapping[str, str]) -> str:
    try:
        return database_url(env.get("DATABASE_URL"))
    except ValueError as err:
        raise SettingsError(str(err)) from None


def load(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> Settings:
    """Read settings: the process environment wins over the `.env` file."""
    file = env_file if env_file is not None else Path.cwd() / ".env"
    values: dict[str, str] = {}
    if file.is_file():
        values.update({k: v for k, v in dotenv_values(file).items() if v is not None})
    values.update(os.environ if environ is None else environ)

    def opt(name: str) -> str | None:
        return (values.get(name) or "").strip() or None

    whatsapp_given = [n for n in WHATSAPP_REQUIRED if opt(n)]
    if whatsapp_given and len(whatsapp_given) < len(WHATSAPP_REQUIRED):
        missing = next(n for n in WHATSAPP_REQUIRED if not opt(n))
        raise SettingsError(f"{missing} is missing: WhatsApp needs all of "
                            + ", ".join(WHATSAPP_REQUIRED))
    webhook = _url(values, "TELEGRAM_WEBHOOK_URL", https=True)
    secret = opt("TELEGRAM_WEBHOOK_SECRET")
    if webhook and not secret:
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET is missing: it is required with "
                            "TELEGRAM_WEBHOOK_URL")
    if secret is not None and not all(c.isalnum() or c in "_-" for c in secret):
        raise SettingsError("TELEGRAM_WEBHOOK_SECRET may only hold A-Z, a-z, 0-9, _ and -")
    token = opt("TELEGRAM_BOT_TOKEN")
    if token is not None and ":" not in token:
        raise SettingsError("TELEGRAM_BOT_TOKEN looks malformed (expected 123456:ABC...)")
    level = (opt("TREKBOT_LOG_LEVEL") or "INFO").upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR"):
        raise SettingsError(f"TREKBOT_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, "
                            f"got {level!r}")
    log_format = (opt("TREKBOT_LOG_FORMAT") or "text").lower()
    if log_format not in ("text", "json"):
        raise SettingsError(f"TREKBOT_LOG_FORMAT must be text or json, got {log_format!r}")
    bodies = (opt("TREKBOT_LOG_BODIES") or "0").lower()
    if bodies not in ("0", "1", "false", "true", "no", "yes"):
        raise SettingsError(f"TREKBOT_LOG_BODIES must be 0 or 1, got {bodies!r}")
    return Settings(
        database_url=_database_url(values),
        host=opt("TREKBOT_HOST") or "0.0.0.0",
        port=_number(values, "TREKBOT_PORT", 8080, 1, 65535, int),
        tick_seconds=_number(values, "TREKBOT_TICK_SECONDS", 30.0, 0.05, 3600.0, float),
        db_pool_size=_number(values, "TREKBOT_DB_POOL_SIZE", 10, 1, 1000, int),
        log_level=level,
        log_format=log_format,
        log_bodies=bodies in ("1", "true", "yes"),
        telegram_token=token,
        telegram_base_url=_url(values, "TELEGRAM_BASE_URL"),
        telegram_webhook_url=webhook,
        telegram_webhook_secret=secret,
        whatsapp_token=opt("WHATSAPP_TOKEN"),
        whatsapp_phone_number_id=opt("WHATSAPP_PHONE_NUMBER_ID"),
        whatsapp_app_secret=opt("WHATSAPP_APP_SECRET"),
        whatsapp_verify_token=opt("WHATSAPP_VERIFY_TOKEN"),
        whatsapp_api_url=_url(values, "WHATSAPP_API_URL"),
        whatsapp_template_name=opt("WHATSAPP_TEMPLATE_NAME") or "daily_session",
        whatsapp_template_language=opt("WHATSAPP_TEMPLATE_LANGUAGE") or "en",
        public_url=_url(values, "TREKBOT_PUBLIC_URL"),
        telegram_bot_username=_bot_username(opt("TELEGRAM_BOT_USERNAME")),
        whatsapp_number=_phone(opt("WHATSAPP_NUMBER")),
        send_read_timeout=_number(values, "TREKBOT_SEND_READ_TIMEOUT", 60.0, 1.0, 600.0, float),
        retention_days=_number(values, "TREKBOT_RETENTION_DAYS", 7, 1, 3650, int),
        telegram_max_per_second=_number(values, "TELEGRAM_MAX_PER_SECOND", 30.0, 0.0, 1000.0,
                                        float),
        whatsapp_max_per_second=_number(values, "WHATSAPP_MAX_PER_SECOND", 20.0, 0.0, 1000.0,
                                        float),
        whatsapp_seconds_per_user=_number(values, "WHATSAPP_SECONDS_PER_USER", 6.0, 0.0,
                                          3600.0, float),
        redis_url=_redis_url(values),
        id_key=opt("TREKBOT_ID_KEY"),
        inbox_lease_seconds=_number(values, "TREKBOT_INBOX_LEASE_SECONDS", 60.0, 1.0, 3600.0,
                                    float),
        outbox_lease_seconds=_number(values, "TREKBOT_OUTBOX_LEASE_SECONDS", 300.0, 5.0,
                                     3600.0, float),
    )


def _bot_username(raw: str | None) -> str | None:
    if raw is None:
        return None
    name = raw.removeprefix("@")
    if not (5 <= len(name) <= 32 and all(c.isalnum() or c == "_" for c in name)):
        raise SettingsError(f"TELEGRAM_BOT_USERNAME must be the bot's user name, like "
                            f"TrekCoachBot, got {raw!r}")
    return name


def _phone(raw: str | None) -> str | None:
    if raw is None:
        return None
    digits = "".join(c for c in raw if c.isdigit())
    if not 8 <= len(digits) <= 15 or any(c not in "+0123456789 -()" for c in raw):
        raise SettingsError(f"WHATSAPP_NUMBER must be the business phone number in "
                            f"international form, like +91 98765 43210, got {raw!r}")
    return digits
