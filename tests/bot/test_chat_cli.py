"""The `trekbot` command in a terminal: onboarding piped through stdin, resume, choices."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

TREKBOT = Path(sys.executable).parent / "trekbot"


def run(args: list[str], lines: list[str], cwd: Path, db: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WHATSAPP_", "TREKBOT_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{db}"
    return subprocess.run([str(TREKBOT), *args], input="\n".join(lines) + "\n", cwd=cwd,
                          env=env, capture_output=True, text=True, timeout=120)


def user(db: Path, name: str = "ana") -> dict:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM users WHERE external_id = ?", (name,)).fetchone()
        return dict(row)


def test_piped_onboarding_completes(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    # "1" picks the first numbered choice ("Yes, I run regularly"); "4" the fourth day count.
    out = run(["chat", "--user", "ana"],
              ["/start", "1", "thirty", "my left knee clicks on stairs", "in 10 weeks",
               "not sure", "4", "7:30 in Mumbai"], tmp_path, db)
    assert out.returncode == 0, out.stderr
    assert "(1 of 6)" in out.stdout and "  1. Yes, I run regularly" in out.stdout
    assert "Got it: you run regularly" in out.stdout
    assert "Got it: 4 days a week" in out.stdout
    assert "Here's what I understood" in out.stdout and "Your first week" in out.stdout
    assert "Traceback" not in out.stderr
    row = user(db)
    assert row["state"] == "active" and row["status"] == "active"
    assert row["timezone"] == "Asia/Kolkata" and row["reminder_minutes"] == 450
    assert row["next_prompt_at"] is not None
    profile = json.loads(row["profile"])
    days = (date.fromisoformat(profile["trek_date"])
            - date.fromisoformat(profile["start_date"])).days
    assert 68 <= days <= 70  # 10 weeks from the UTC date, the plan from the local date
    with sqlite3.connect(db) as conn:
        planned = conn.execute("SELECT COUNT(*) FROM planned_sessions").fetchone()[0]
    assert planned == days


def test_killed_halfway_resumes_at_the_same_question(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    first = run(["chat", "--user", "ana"], ["/start", "sometimes", "20", "ankle"], tmp_path, db)
    assert first.returncode == 0, first.stderr
    assert user(db)["state"] == "ask_trek_date"

    second = run(["chat", "--user", "ana"],
                 ["/start", "in 12 weeks", "easy", "3", "6:30 pm", "Denver"], tmp_path, db)
    assert second.returncode == 0, second.stderr
    assert "Welcome back" in second.stdout and "When is the trek" in second.stdout
    row = user(db)
    assert row["state"] == "active" and row["timezone"] == "America/Denver"
    assert '"easy_run_minutes": 20' in row["profile"] and '"ankle"' in row["profile"]


def test_trekbot_without_settings_opens_the_chat(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    out = run([], ["hello"], tmp_path, db)
    assert out.returncode == 0, out.stderr
    assert "(1 of 6) Do you already run regularly" in out.stdout
    assert user(db, "me")["state"] == "ask_running"


def test_chat_keeps_the_terminal_free_of_logs_when_a_messenger_is_configured(
    tmp_path: Path
) -> None:
    db = tmp_path / "bot.db"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WHATSAPP_", "TREKBOT_", "DATABASE_URL"))}
    env.update({"DATABASE_URL": f"sqlite+aiosqlite:///{db}", "TELEGRAM_BOT_TOKEN": "1:x"})
    out = subprocess.run([str(TREKBOT), "chat", "--user", "ana"], input="/help\n", cwd=tmp_path,
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
    assert out.stderr == ""
