"""The one web app for webhooks (Starlette), served by uvicorn in the bot's own event loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterator

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import BaseRoute

from bot import health
from bot.channels import StartupError
from bot.health import Readiness


async def read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is larger than `limit` bytes (declared or chunked):
    a webhook never buffers more than that."""
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > limit):
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def build_app(routes: list[BaseRoute], readiness: Readiness | None = None) -> Starlette:
    """The Starlette app with every channel's webhook routes, /healthz, /readyz and /metrics."""
    return Starlette(routes=[*health.routes(readiness), *routes])


class _Server(uvicorn.Server):
    """uvicorn without its own signal handlers: the bot owns SIGINT/SIGTERM and stops the
    server itself (uvicorn's would also re-raise each signal when it exits)."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class WebServer:
    """uvicorn serving an app inside the running loop; started and stopped with the bot."""

    def __init__(self, app: Starlette, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                                lifespan="off", access_log=False)
        self.server = _Server(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Bind the port, then serve. A port that cannot be bound stops start-up with one line
        (uvicorn itself would log and call sys.exit inside a task)."""
        config = self.server.config
        sock = _bind(config.host, config.port)
        self._task = asyncio.create_task(self._serve(sock))
        while not self.server.started:
            if self._task.done():
                await self._task  # surfaces the start-up error
                raise RuntimeError("web server stopped during start-up")
            await asyncio.sleep(0.01)

    async def _serve(self, sock: socket.socket) -> None:
        try:
            await self.server.serve(sockets=[sock])
        except SystemExit:  # never let uvicorn's sys.exit escape the event loop
            raise RuntimeError("the web server could not start") from None
        finally:
            sock.close()

    async def stop(self) -> None:
        self.server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, RuntimeError):
                await self._task


def _bind(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
        sock = socket.socket(family, kind, proto)
    except OSError as err:
        raise StartupError(f"cannot listen on {host}:{port} for webhooks "
                         f"(TREKBOT_HOST, TREKBOT_PORT): {err.strerror or err}") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as err:
        sock.close()
        raise StartupError(f"cannot listen on {host}:{port} for webhooks "
                         f"(TREKBOT_HOST, TREKBOT_PORT): {err.strerror or err}") from None
    return sock
