"""The deployment files, checked against the app they deploy (no Docker engine here, so the
image is not built: compose.yaml, deploy/Caddyfile, the Dockerfile and requirements.lock are
read and held against the settings loader, the routes the app serves, the CLI and
pyproject.toml)."""

from __future__ import annotations

import json
import re
import shlex
import tomllib
from datetime import UTC, datetime
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from bot import cli
from bot.clock import FakeClock
from bot.feed import feed_routes
from bot.health import Readiness
from bot.health import routes as health_routes
from bot.leader_web import LeaderSite
from bot.settings import load
from bot.telegram import WEBHOOK_PATH, TelegramChannel
from bot.whatsapp import PATH as WHATSAPP_PATH
from storage import Store

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = {"TREKBOT_DOMAIN": "coach.example.org", "POSTGRES_PASSWORD": "pw",
          "TELEGRAM_BOT_TOKEN": "123456:ABC-sample", "TELEGRAM_WEBHOOK_SECRET": "s3cret_1"}
BOTS = ("bot-1", "bot-2")


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def interpolate(value: str, env: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:?message} and ${VAR:-default} with `env`."""
    def one(found: re.Match[str]) -> str:
        name, op, rest = found.group(1), found.group(2), found.group(3)
        if name in env and env[name] != "":
            return env[name]
        if op == ":?":
            raise KeyError(f"{name} is required: {rest}")
        return rest if op == ":-" else ""
    return re.sub(r"\$\{(\w+)(?:(:\?|:-)([^}]*))?\}", one, value)


def bot_env(service: str, env: dict[str, str] = SAMPLE) -> dict[str, str]:
    raw = compose()["services"][service]["environment"]
    return {k: interpolate(str(v), env) for k, v in raw.items()}


# compose.yaml -----------------------------------------------------------------------------
def test_compose_runs_postgres_a_migration_two_instances_and_the_proxy() -> None:
    services = compose()["services"]
    assert set(services) == {"postgres", "migrate", *BOTS, "caddy"}
    assert services["postgres"]["image"].startswith("postgres:")
    assert "pg_isready" in services["postgres"]["healthcheck"]["test"]
    assert services["migrate"]["command"] == ["migrate"]
    assert services["migrate"]["restart"] == "no"
    for name in BOTS:
        bot = services[name]
        assert bot["build"] == "." and bot["image"] == services["migrate"]["image"]
        assert "command" not in bot  # the image's `trekbot run`
        assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert bot["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert set(services["caddy"]["depends_on"]) == set(BOTS)
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services["caddy"]["volumes"]
    assert {"80:80", "443:443"} <= set(services["caddy"]["ports"])


@pytest.mark.parametrize("service", [*BOTS, "migrate"])
def test_each_instance_gets_settings_for_webhook_mode_on_the_compose_postgres(
        service: str, tmp_path: Path) -> None:
    settings = load(bot_env(service), env_file=tmp_path / "none.env")
    assert settings.database_url == "postgresql+asyncpg://trekbot:pw@postgres:5432/trekbot"
    assert settings.telegram and settings.telegram_webhook_secret == "s3cret_1"
    assert settings.telegram_webhook_url == "https://coach.example.org" + WEBHOOK_PATH
    assert settings.public_url == "https://coach.example.org"
    assert settings.webhooks and (settings.host, settings.port) == ("0.0.0.0", 8080)
    assert settings.redis_url is None  # pacing shared through PostgreSQL


@pytest.mark.parametrize("missing", sorted(SAMPLE))
def test_compose_refuses_to_start_without_a_required_setting(missing: str) -> None:
    env = {k: v for k, v in SAMPLE.items() if k != missing}
    with pytest.raises(KeyError, match=missing):
        for service in (*BOTS, "postgres", "caddy"):
            raw = compose()["services"][service].get("environment", {})
            [interpolate(str(v), env) for v in raw.values()]


def _probe(test: list[str]) -> tuple[str, int]:
    """(path, port) that a `python -c` healthcheck of ours fetches."""
    assert test[:3] == ["CMD", "python", "-c"], test
    found = re.search(r"http://127\.0\.0\.1:(\d+)(/\w+)", test[3])
    assert found, test
    return found.group(2), int(found.group(1))


def test_instances_are_checked_on_readyz_at_the_port_they_listen_on() -> None:
    services = compose()["services"]
    for name in BOTS:
        health = services[name]["healthcheck"]
        path, port = _probe(health["test"])
        assert (path, port) == ("/readyz", int(bot_env(name)["TREKBOT_PORT"]))
        assert path in _paths(health_routes(Readiness(store=None)))  # type: ignore[arg-type]
        assert health["start_period"] and health["retries"] >= 1


# deploy/Caddyfile -------------------------------------------------------------------------
def caddy_matcher() -> list[str]:
    text = (ROOT / "deploy" / "Caddyfile").read_text()
    found = re.search(r"^\s*@public\s+path\s+(.+)$", text, re.MULTILINE)
    assert found, "the Caddyfile names its public paths in @public"
    return found.group(1).split()


def caddy_upstreams() -> set[str]:
    text = (ROOT / "deploy" / "Caddyfile").read_text()
    found = re.search(r"reverse_proxy\s+([^{\n]+)\{", text)
    assert found
    return set(found.group(1).split())


def proxied(path: str, patterns: list[str]) -> bool:
    """Caddy's path matcher: exact, or a prefix when the pattern ends in *."""
    return any(path.startswith(p[:-1]) if p.endswith("*") else path == p for p in patterns)


def _paths(routes: list[Any]) -> set[str]:
    """Sample request paths for the routes ({param} and {param:int} filled in)."""
    return {re.sub(r"\{[^}]+\}", "1", r.path) for r in routes}


async def test_the_proxy_routes_every_public_path_the_app_serves_and_hides_metrics(
        tmp_path: Path) -> None:
    clock = FakeClock(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")  # never opened: routes only
    telegram = TelegramChannel("1:a", _no_handle, store, clock, webhook_url="https://x.org",
                               webhook_secret="s")
    public = (_paths(telegram.routes()) | {WHATSAPP_PATH} | _paths(LeaderSite(
        store, clock).routes()) | _paths(feed_routes(store, clock)) | {"/healthz"})
    assert WEBHOOK_PATH in public and "/leader/batches/1/broadcast" in public
    patterns = caddy_matcher()
    assert [p for p in sorted(public) if not proxied(p, patterns)] == []
    assert not proxied("/metrics", patterns) and not proxied("/readyz", patterns)
    port = int(bot_env("bot-1")["TREKBOT_PORT"])
    assert caddy_upstreams() == {f"{name}:{port}" for name in BOTS}
    text = (ROOT / "deploy" / "Caddyfile").read_text()
    assert "health_uri /readyz" in text
    assert "{$TREKBOT_DOMAIN}" in text and "TREKBOT_DOMAIN" in compose()["services"][
        "caddy"]["environment"]


async def _no_handle(_incoming: Any) -> list[Any]:
    return []


# Dockerfile -------------------------------------------------------------------------------
def dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = (ROOT / "Dockerfile").read_text()
    text = re.sub(r"\\\n", " ", "\n".join(line for line in text.splitlines()
                                           if not line.lstrip().startswith("#")))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1].strip())
            for line in text.splitlines() if line.strip()]


def pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_the_image_runs_trekbot_run_as_an_unprivileged_user() -> None:
    steps = dockerfile()
    kinds = [k for k, _ in steps]
    base = dict(steps)["FROM"]
    assert re.fullmatch(r"python:3\.\d+-slim", base)
    requires = pyproject()["project"]["requires-python"]
    assert Version(base.split(":")[1].split("-")[0]) >= Version(requires.lstrip(">="))
    user = dict(steps)["USER"]
    assert user not in ("root", "0") and kinds.index("USER") > max(
        i for i, k in enumerate(kinds) if k == "RUN")  # nothing runs as root after it
    assert re.search(rf"useradd\b.*\b{user}$", [a for k, a in steps if k == "RUN"][-1])
    entry, command = json.loads(dict(steps)["ENTRYPOINT"]), json.loads(dict(steps)["CMD"])
    assert entry == ["trekbot"] and command == ["run"]
    assert pyproject()["project"]["scripts"]["trekbot"] == "bot.cli:main"
    assert cli.parser().parse_args(command).command == "run"


def test_the_image_installs_the_lock_with_hashes_then_the_app_without_dependencies() -> None:
    runs = [a for k, a in dockerfile() if k == "RUN"]
    assert "pip install --require-hashes -r requirements.lock" in runs[0]
    assert "pip install --no-deps ." in runs[1]
    copied = {shlex.split(a)[0] for k, a in dockerfile() if k == "COPY"}
    packages = pyproject()["tool"]["setuptools"]["packages"]["find"]["include"]
    assert {p.rstrip("*") for p in packages} <= copied
    assert "requirements.lock" in copied


def test_the_image_health_check_fetches_healthz_on_the_port_the_app_listens_on() -> None:
    steps = dockerfile()
    check = dict(steps)["HEALTHCHECK"]
    test = json.loads(check[check.index("CMD") + 3:].strip())
    assert test[:2] == ["python", "-c"] and "/healthz" in test[2]
    assert "TREKBOT_PORT" in test[2]
    assert "TREKBOT_PORT=8080" in " ".join(a for k, a in steps if k == "ENV").split()
    assert dict(steps)["EXPOSE"] == "8080"


# requirements.lock ------------------------------------------------------------------------
def lock() -> dict[str, tuple[Version, int]]:
    """name -> (pinned version, how many hashes)."""
    pins: dict[str, tuple[Version, int]] = {}
    text = (ROOT / "requirements.lock").read_text()
    for block in re.split(r"\n(?=[A-Za-z0-9])", text):
        found = re.match(r"([A-Za-z0-9_.\-]+)==([^\s\\;]+)", block)
        if found:
            pins[canonicalize_name(found.group(1))] = (Version(found.group(2)),
                                                      block.count("--hash=sha256:"))
    return pins


def test_the_lock_pins_every_dependency_and_extra_in_range_with_hashes() -> None:
    pins = lock()
    for raw in pyproject()["project"]["dependencies"]:
        req = Requirement(raw)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is not in requirements.lock"
        assert req.specifier.contains(pins[name][0]), f"{raw}: locked {pins[name][0]}"
        for extra in req.extras:  # e.g. python-telegram-bot[rate-limiter] -> aiolimiter
            for need in distribution(req.name).requires or []:
                wanted = Requirement(need)
                marker = wanted.marker
                if marker and "extra" in str(marker) and marker.evaluate({"extra": extra}):
                    assert canonicalize_name(wanted.name) in pins, f"{raw} needs {need}"
    assert all(hashes >= 1 for _version, hashes in pins.values())
    assert "pytest" not in pins and "pyyaml" not in pins  # the image holds no dev tools
