"""The `trekbot` command: `trekbot` (pick by settings), `trekbot run`, `trekbot chat`,
`trekbot dashboard`, `trekbot migrate`, `trekbot backup PATH`, `trekbot batch create|list`,
`trekbot leader invite`, `trekbot --version`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bot import app, batch_cli, logsetup
from bot.backup import BackupError, backup
from bot.channels import StartupError
from bot.settings import SettingsError, load


def _version() -> str:
    try:
        return version("trekbot")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="trekbot", description="Your trek training coach.")
    p.add_argument("--version", action="version", version=f"trekbot {_version()}")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="serve the configured messengers with the scheduler")
    chat = sub.add_parser("chat", help="chat with the coach in this terminal")
    chat.add_argument("--user", default="me", help="whose conversation (default: me)")
    chat.add_argument("--demo", action="store_true",
                      help="demo clock: /nextday jumps to the next morning's message")
    sub.add_parser("dashboard", help="the web server alone, for the leader's page")
    sub.add_parser("migrate", help="apply database migrations, then exit")
    copy = sub.add_parser("backup", help="copy the SQLite database to a new file (VACUUM INTO)")
    copy.add_argument("path", type=Path, help="the new file to write")
    batch_cli.add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        settings = load()
    except SettingsError as err:
        print(f"trekbot: {err}", file=sys.stderr)
        return 2
    command = args.command
    if command is None:
        command = "run" if (settings.telegram or settings.whatsapp) else "chat"
    logsetup.configure(  # the terminal chat keeps the screen for the conversation
        settings.log_level if command in ("run", "dashboard", "migrate") else "WARNING",
        settings.log_format, settings.secrets, bodies=settings.log_bodies, stream=sys.stderr)
    if command == "backup":
        return _backup(settings.database_url, args.path)
    try:
        if command in ("batch", "leader"):
            return batch_cli.run(settings, args)
        if command == "run":
            asyncio.run(app.run_service(settings))
        elif command == "dashboard":
            asyncio.run(app.run_dashboard(settings))
        elif command == "migrate":
            asyncio.run(app.migrate(settings))
        else:
            asyncio.run(app.run_chat(settings, getattr(args, "user", "me"),
                                     getattr(args, "demo", False)))
    except KeyboardInterrupt:
        return 130
    except StartupError as err:
        print(f"trekbot: {err}", file=sys.stderr)
        return 2
    return 0


def _backup(database_url: str, path: Path) -> int:
    try:
        users = backup(database_url, path)
    except BackupError as err:
        print(f"trekbot: {err}", file=sys.stderr)
        return 2
    print(f"backed up the database ({users} users) to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
