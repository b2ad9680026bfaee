"""The one web app for webhooks (Starlette), served by uvicorn in the bot's own event loop."""

from __future__ import annotations

import asyncio
import contextlib

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import BaseRoute, Route


async def health(_request: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")


def build_app(routes: list[BaseRoute]) -> Starlette:
    """The Starlette app with every channel's webhook routes and /healthz."""
    return Starlette(routes=[Route("/healthz", health), *routes])


class WebServer:
    """uvicorn serving an app inside the running loop; started and stopped with the bot."""

    def __init__(self, app: Starlette, host: str, port: int) -> None:
        config = uvicorn.Config(app, host=host, port=port, log_level="warning",
                                lifespan="off", access_log=False)
        self.server = uvicorn.Server(config)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self.server.serve())
        while not self.server.started:
            if self._task.done():
                await self._task  # surfaces the start-up error
                raise RuntimeError("web server stopped during start-up")
            await asyncio.sleep(0.01)

    async def stop(self) -> None:
        self.server.should_exit = True
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
