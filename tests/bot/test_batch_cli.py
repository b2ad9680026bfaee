"""`trekbot batch create|list` and `trekbot leader invite` as a company types them."""

from __future__ import annotations

import asyncio
import os
import re
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.fakes.telegram_api import FakeBotApi

TREKBOT = Path(sys.executable).parent / "trekbot"
WHATSAPP = {"WHATSAPP_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "100",
            "WHATSAPP_APP_SECRET": "s", "WHATSAPP_VERIFY_TOKEN": "v"}


def env_for(db: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WHATSAPP_", "TREKBOT_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{db}"
    env.update(extra or {})
    return env


def trekbot(args: list[str], db: Path, extra: dict[str, str] | None = None
            ) -> subprocess.CompletedProcess:
    return subprocess.run([str(TREKBOT), *args], cwd=db.parent, env=env_for(db, extra),
                          capture_output=True, text=True, timeout=60)


def ahead(days: int) -> str:
    """A date `days` from now (the CLI runs on the real clock)."""
    return (date.today() + timedelta(days=days)).isoformat()


def code_of(out: str) -> str:
    found = re.search(r"^code: ([A-Z0-9-]+)$", out, re.MULTILINE)
    assert found, out
    return found.group(1)


def test_create_prints_the_code_and_a_join_link_per_messenger(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    out = trekbot(["batch", "create", "--name", "Everest Base Camp", "--date", ahead(90),
                   "--grade", "difficult"], db,
                  {"TELEGRAM_BOT_TOKEN": "123:abc", "TELEGRAM_BOT_USERNAME": "@TrekCoachBot",
                   **WHATSAPP, "WHATSAPP_NUMBER": "+91 98765 43210"})
    assert out.returncode == 0, out.stderr
    code = code_of(out.stdout)
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", code)  # a valid Telegram deep-link payload
    assert f"Telegram: https://t.me/TrekCoachBot?start={code}" in out.stdout
    assert f"WhatsApp: https://wa.me/919876543210?text=join%20{code}" in out.stdout
    assert f"Terminal: /start {code}" in out.stdout


def test_list_shows_batches_with_head_counts(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    assert "No batches yet" in trekbot(["batch", "list"], db).stdout
    code = code_of(trekbot(["batch", "create", "--name", "Kedarkantha", "--date", ahead(50),
                            "--grade", "easy"], db).stdout)
    for who in ("ana", "bo"):
        chat = subprocess.run([str(TREKBOT), "chat", "--user", who], input=f"/start {code}\n",
                              cwd=tmp_path, env=env_for(db), capture_output=True, text=True,
                              timeout=60)
        assert "You've joined Kedarkantha" in chat.stdout, chat.stderr
    listing = trekbot(["batch", "list"], db).stdout
    assert re.search(rf"^{code}\s+{ahead(50)}\s+easy\s+2 trekkers\s+Kedarkantha$", listing,
                     re.MULTILINE), listing


@pytest.mark.parametrize(("args", "says"), [
    (["--date", "20/03/2027", "--grade", "easy"], "--date must be YYYY-MM-DD"),
    (["--date", "2020-03-20", "--grade", "easy"], "is not in the future"),
    (["--date", ahead(30), "--grade", "brutal"], "invalid choice"),
])
def test_bad_input_gets_one_clear_line(tmp_path: Path, args: list[str], says: str) -> None:
    out = trekbot(["batch", "create", "--name", "X", *args], tmp_path / "bot.db")
    assert out.returncode == 2 and says in out.stderr and "Traceback" not in out.stderr


def test_leader_invite_prints_a_one_time_link_from_the_public_url(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    code = code_of(trekbot(["batch", "create", "--name", "Everest", "--date", ahead(80),
                            "--grade", "moderate"], db).stdout)
    out = trekbot(["leader", "invite", "--batch", code.lower()], db,
                  {"TREKBOT_PUBLIC_URL": "https://coach.example.org/"})
    assert out.returncode == 0, out.stderr
    link = re.search(r"^https://coach\.example\.org/leader/signin/([\w-]{40,})$", out.stdout,
                     re.MULTILINE)
    assert link, out.stdout
    assert re.search(r"send /leader L-[A-Z0-9]{8}$", out.stdout, re.MULTILINE)
    with sqlite3.connect(db) as conn:
        [(stored,)] = conn.execute("SELECT token_hash FROM leader_invites").fetchall()
    assert link.group(1) not in stored  # only the hash is kept
    default = trekbot(["leader", "invite", "--batch", code], db, {"TREKBOT_PORT": "9090"})
    assert "http://localhost:9090/leader/signin/" in default.stdout
    unknown = trekbot(["leader", "invite", "--batch", "NOPE-0000"], db)
    assert unknown.returncode == 2 and "no batch has the code" in unknown.stderr


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


async def test_the_telegram_link_asks_the_bot_api_for_the_user_name(api: FakeBotApi,
                                                                    tmp_path: Path) -> None:
    proc = await asyncio.create_subprocess_exec(
        str(TREKBOT), "batch", "create", "--name", "Annapurna", "--date", ahead(100),
        "--grade", "moderate", cwd=tmp_path, stdout=asyncio.subprocess.PIPE,
        env=env_for(tmp_path / "bot.db", {"TELEGRAM_BOT_TOKEN": api.token,
                                         "TELEGRAM_BASE_URL": api.base_url}))
    stdout, _ = await asyncio.wait_for(proc.communicate(), 60)
    out = stdout.decode()
    assert f"Telegram: https://t.me/trek_test_bot?start={code_of(out)}" in out


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_dashboard_serves_the_leader_page_alone_until_sigterm(tmp_path: Path) -> None:
    import httpx

    db = tmp_path / "bot.db"
    code = code_of(trekbot(["batch", "create", "--name", "Everest", "--date", ahead(60),
                            "--grade", "easy"], db).stdout)
    port = free_port()
    extra = {"TREKBOT_HOST": "127.0.0.1", "TREKBOT_PORT": str(port)}
    link = trekbot(["leader", "invite", "--batch", code], db, extra).stdout.splitlines()[1]
    proc = await asyncio.create_subprocess_exec(
        str(TREKBOT), "dashboard", cwd=tmp_path, env=env_for(db, extra),
        stderr=asyncio.subprocess.PIPE)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            for _ in range(200):
                try:
                    if (await client.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.05)
            assert (await client.get("/leader")).status_code == 401
            assert (await client.post(link.replace(f"http://127.0.0.1:{port}", ""))
                    ).status_code == 303
            page = await client.get("/leader")
            assert page.status_code == 200 and "Everest" in page.text
    finally:
        proc.terminate()
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0 and b"Traceback" not in err


@pytest.mark.parametrize(("env", "says"), [
    ({"TREKBOT_PUBLIC_URL": "coach.example.org"}, "TREKBOT_PUBLIC_URL must be an http(s) URL"),
    ({"TELEGRAM_BOT_USERNAME": "not a name!"}, "TELEGRAM_BOT_USERNAME must be"),
    ({"WHATSAPP_NUMBER": "call me"}, "WHATSAPP_NUMBER must be"),
])
def test_malformed_batch_settings_stop_with_one_line(tmp_path: Path, env: dict[str, str],
                                                     says: str) -> None:
    out = trekbot(["batch", "list"], tmp_path / "bot.db", env)
    assert out.returncode == 2 and out.stderr.startswith("trekbot: ") and says in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
