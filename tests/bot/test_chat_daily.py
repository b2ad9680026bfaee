"""A scripted terminal conversation through the CLI: onboarding, then the daily messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ONBOARDING = ["/start", "yes", "30", "none", "in 12 weeks", "moderate", "4", "7:30", "Berlin"]

# (message, words the reply must contain)
DAILY: list[tuple[str, list[str]]] = [
    ("what's today", ["Today,"]),
    ("can't today", ["Noted"]),  # a miss or, on a rest day, nothing to skip
    ("done 35 min, felt hard", ["Logged", "35 min", "felt hard", "Next:"]),
    ("✅", ["already logged"]),
    ("should I run today?", ["already trained today"]),
    ("plan", ["Week 1", "<- today"]),
    ("/progress", ["This week:", "Readiness", "progress.png"]),  # no streak line at 0
    ("missed yesterday", ["nothing to miss"]),  # onboarding started the plan today
    ("my knee hurts", ["0 to 10"]),
    ("6", ["Pain 6/10 in your knee", "low impact", "physiotherapist"]),
    ("pain 5/10, worse when I walk", ["ease off", "gets worse as you move", "physiotherapist"]),
    ("I have a cold", ["Head cold", "easy"]),
    ("remind me at 6:45", ["6:45", "Europe/Berlin"]),
    ("timezone Europe/Paris", ["Europe/Paris"]),
    ("train on mon wed fri sat", ["Mon, Wed, Fri, Sat"]),
    ("my trek moved to 20 weeks from now", ["Got it: trek on"]),
    ("evening reminder on", ["Evening check-in on", "20:00"]),
    ("stop evening nudges", ["Evening check-in off"]),
    ("pause reminders", ["paused"]),
    ("resume", ["back on"]),
    ("/export", ["trek-plan.ics", "trek-log.csv"]),
    ("menu", ["What you can tell me"]),
    ("purple elephants", ["didn't catch", "done", "today"]),
    ("/reset", ["Start over?"]),
    ("no", ["nothing changed"]),
    ("/delete", ["Delete everything?"]),
    ("yes", ["erased"]),
]


def test_scripted_terminal_conversation(tmp_path: Path) -> None:
    lines = ONBOARDING + [m for m, _ in DAILY]
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"}
    for key in ("TELEGRAM_BOT_TOKEN", "WHATSAPP_TOKEN"):
        env.pop(key, None)
    # one message at a time: each line is written after the previous reply is read
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--user", "tester"], cwd=tmp_path, env=env,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    out, err = proc.communicate("\n".join(lines) + "\n", timeout=120)
    assert proc.returncode == 0, err
    assert "Traceback" not in out + err
    assert "went wrong" not in out

    # the replies' expected words appear in the transcript in the order they were asked for
    pos = out.find("Today,")
    assert pos >= 0, out
    for message, words in DAILY:
        for word in words:
            found = out.find(word, pos)
            assert found >= 0, f"after {message!r}: {word!r} missing\n{out[pos:pos + 800]}"
            pos = found + len(word)

    saved = sorted(p.name for p in (tmp_path / "trekbot-out").iterdir())
    assert saved == ["tester-progress.png", "tester-trek-log.csv", "tester-trek-plan.ics"]
    assert (tmp_path / "trekbot-out" / "tester-progress.png").read_bytes().startswith(b"\x89PNG")
    assert b"BEGIN:VEVENT" in (tmp_path / "trekbot-out" / "tester-trek-plan.ics").read_bytes()
    assert "35" in (tmp_path / "trekbot-out" / "tester-trek-log.csv").read_text()
