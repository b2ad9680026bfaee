"""`trekbot run` that cannot start: one clear line on stderr and a non-zero exit, no traceback."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

TREKBOT = Path(sys.executable).parent / "trekbot"


def run(env_extra: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WHATSAPP_", "TREKBOT_", "DATABASE_URL"))}
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{cwd / 'bot.db'}"
    env.update(env_extra)
    return subprocess.run([str(TREKBOT), "run"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=60)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def last_line(err: str) -> str:
    return err.strip().splitlines()[-1]


def test_an_unreachable_bot_api_stops_with_one_line(tmp_path: Path) -> None:
    out = run({"TELEGRAM_BOT_TOKEN": "1:secret-x",
               "TELEGRAM_BASE_URL": f"http://127.0.0.1:{closed_port()}"}, tmp_path)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    line = last_line(out.stderr)
    assert line.startswith("trekbot: ") and "Telegram" in line and "TELEGRAM_BASE_URL" in line
    assert "secret-x" not in out.stderr


def test_a_webhook_port_in_use_stops_with_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = run({"WHATSAPP_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "1",
                   "WHATSAPP_APP_SECRET": "s", "WHATSAPP_VERIFY_TOKEN": "v",
                   "TREKBOT_HOST": "127.0.0.1", "TREKBOT_PORT": str(port)}, tmp_path)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and "Task exception" not in out.stderr
    line = last_line(out.stderr)
    assert line.startswith("trekbot: ") and "TREKBOT_PORT" in line and str(port) in line


def test_an_unknown_template_language_stops_with_one_line(tmp_path: Path) -> None:
    out = run({"WHATSAPP_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "1",
               "WHATSAPP_APP_SECRET": "s", "WHATSAPP_VERIFY_TOKEN": "v",
               "WHATSAPP_TEMPLATE_LANGUAGE": "zz", "TREKBOT_PORT": str(closed_port())},
              tmp_path)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    line = last_line(out.stderr)
    assert line.startswith("trekbot: ") and "WHATSAPP_TEMPLATE_LANGUAGE" in line


def test_a_database_that_cannot_be_opened_stops_with_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir" / "bot.db"
    out = run({"TELEGRAM_BOT_TOKEN": "1:x", "DATABASE_URL": f"sqlite+aiosqlite:///{missing}"},
              tmp_path)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert "DATABASE_URL" in last_line(out.stderr)


def test_an_unreachable_postgresql_stops_with_one_line_without_the_password(
    tmp_path: Path
) -> None:
    url = f"postgresql://coach:pw-s3cret@127.0.0.1:{closed_port()}/trekbot"
    out = run({"TELEGRAM_BOT_TOKEN": "1:x", "DATABASE_URL": url}, tmp_path)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and "pw-s3cret" not in out.stderr
    assert "DATABASE_URL" in last_line(out.stderr)


def test_a_second_interrupt_stops_a_shutdown_stuck_on_work_in_progress(tmp_path: Path) -> None:
    import json
    import signal
    import time

    import httpx

    from bot.whatsapp_webhook import sign
    from tests.bot.whatsapp_harness import payload

    port = closed_port()
    with socket.socket() as graph:  # a Graph API that takes requests and never answers
        graph.bind(("127.0.0.1", 0))
        graph.listen(16)
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TELEGRAM_", "WHATSAPP_", "TREKBOT_", "DATABASE_URL"))}
        env.update({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
                    "WHATSAPP_TOKEN": "t", "WHATSAPP_PHONE_NUMBER_ID": "1",
                    "WHATSAPP_APP_SECRET": "s", "WHATSAPP_VERIFY_TOKEN": "v",
                    "WHATSAPP_API_URL": f"http://127.0.0.1:{graph.getsockname()[1]}",
                    "TREKBOT_HOST": "127.0.0.1", "TREKBOT_PORT": str(port)})
        proc = subprocess.Popen([str(TREKBOT), "run"], cwd=tmp_path, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            for _ in range(300):
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                        break
                except httpx.ConnectError:
                    time.sleep(0.05)
            body = json.dumps(payload("text")).encode()
            answer = httpx.post(f"http://127.0.0.1:{port}/webhooks/whatsapp", content=body,
                                headers={"x-hub-signature-256": sign("s", body)})
            assert answer.status_code == 200  # the reply is now stuck on the silent Graph API
            time.sleep(0.3)
            proc.send_signal(signal.SIGINT)
            time.sleep(0.5)
            assert proc.poll() is None, proc.stderr.read()  # waiting for the reply in progress
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=5) != 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
            err = proc.stderr.read() if proc.stderr else ""
    assert "Traceback" not in err
