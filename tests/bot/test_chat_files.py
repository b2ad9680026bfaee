"""`/file PATH` in the terminal chat: an activity file logged once, bad paths and files."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.activity_samples import gpx_track
from tests.bot.test_chat_daily import ONBOARDING


def test_files_in_the_terminal(tmp_path: Path) -> None:
    walk = tmp_path / "morning walk.gpx"
    walk.write_bytes(gpx_track(1201, start=datetime.now(UTC) - timedelta(minutes=110),
                               step_s=5, climb_per_point=0.35, metres_per_point=6200 / 1200))
    (tmp_path / "broken.fit").write_bytes(b"\x0e\x10" + b"\x00" * 6 + b".FIT" + b"\x00" * 3)
    lines = ONBOARDING + [f'/file "{walk}"', f"/file '{walk}'", "/file broken.fit",
                          "/file nowhere.gpx", "/file", "/progress"]
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'chat.db'}"}
    for key in ("TELEGRAM_BOT_TOKEN", "WHATSAPP_TOKEN"):
        env.pop(key, None)
    proc = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--user", "ann"], cwd=tmp_path, env=env,
        input="\n".join(lines) + "\n", capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Traceback" not in out + proc.stderr
    pos = out.index("Logged for ")
    assert out[pos:].startswith("Logged for ") and ": hike, 6.2 km, +420 m, 1 h 40" in out
    rest = out[pos:]
    for word in ("already have that file", "damaged or cut short",
                 "no readable file at nowhere.gpx", "type /file and its path",
                 "Weekly climb: ", "ann-progress.png"):
        found = rest.find(word)
        assert found >= 0, f"{word!r} missing in\n{rest}"
        rest = rest[found:]
    assert (tmp_path / "trekbot-out" / "ann-progress.png").read_bytes()[:4] == b"\x89PNG"
