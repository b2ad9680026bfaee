"""Test support: `trekbot run` as a subprocess, its log in a file, ready when /readyz is 200."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import httpx

TREKBOT = Path(sys.executable).parent / "trekbot"
START_LIMIT = 30.0  # seconds: a safety net for start-up, not a delay


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(extra: dict[str, str]) -> dict[str, str]:
    """The test process' environment without any bot setting, plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "WHATSAPP_", "TREKBOT_", "DATABASE_URL"))}
    env.update(extra)
    return env


class Service:
    """One `trekbot run` process on 127.0.0.1:`port`, logging to `log_path`."""

    def __init__(self, env: dict[str, str], cwd: Path, log_path: Path,
                 port: int | None = None) -> None:
        self.port = port or free_port()
        self.env = clean_env({"TREKBOT_HOST": "127.0.0.1", "TREKBOT_PORT": str(self.port),
                              **env})
        self.cwd = cwd
        self.log_path = log_path
        self.proc: asyncio.subprocess.Process | None = None
        self.url = f"http://127.0.0.1:{self.port}"

    async def start(self, *, wait_ready: bool = True) -> None:
        with self.log_path.open("ab") as log:
            self.proc = await asyncio.create_subprocess_exec(
                str(TREKBOT), "run", cwd=self.cwd, env=self.env, stdin=asyncio.subprocess.DEVNULL,
                stdout=log, stderr=log)
        if wait_ready:
            await self.wait_ready()

    async def wait_ready(self) -> None:
        async def until() -> None:
            async with httpx.AsyncClient() as client:
                while True:
                    assert self.proc is not None
                    if self.proc.returncode is not None:
                        raise AssertionError(f"trekbot run exited:\n{self.log()}")
                    try:
                        if (await client.get(f"{self.url}/readyz")).status_code == 200:
                            return
                    except httpx.TransportError:
                        pass
                    await asyncio.sleep(0.05)
        await asyncio.wait_for(until(), START_LIMIT)

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind."""
        if self.proc is not None and self.proc.returncode is None:
            self.proc.kill()
            await self.proc.wait()

    async def stop(self) -> int:
        """SIGTERM and wait for the clean stop; returns the exit code."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        assert self.proc.returncode is not None
        return self.proc.returncode

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
