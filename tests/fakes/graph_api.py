"""A fake WhatsApp Cloud (Graph) API on 127.0.0.1: records every send, answers scripted errors.

Started by the tests on a free port and reached over real HTTP by the channel (through pywa),
so the request shapes the channel produces are the ones Meta's API would receive.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import socket
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

# HTTP status Meta answers with for each error code we script.
_STATUS = {190: 401, 130429: 429, 131056: 429}
_MESSAGES = {
    190: "Error validating access token: Session has expired.",
    130429: "Rate limit hit",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    131047: "Re-engagement message",
    131026: "Message Undeliverable.",
}


@dataclass
class Sent:
    """One recorded call: the path, the Authorization header and the JSON (or form) body."""

    path: str
    authorization: str
    body: dict[str, Any]

    @property
    def to(self) -> str | None:
        return self.body.get("to")

    @property
    def type(self) -> str | None:
        return self.body.get("type")


@dataclass
class _Failure:
    code: int
    times: int
    to: str | None
    kind: str | None


@dataclass
class FakeGraphAPI:
    """The fake server. `sent` holds message sends in order; `uploads` holds media uploads."""

    sent: list[Sent] = field(default_factory=list)
    uploads: list[Sent] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # id -> (data, mime)
    downloads: list[str] = field(default_factory=list)
    _failures: list[_Failure] = field(default_factory=list)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None
    url: str = ""

    def fail(self, code: int, *, times: int = 1, to: str | None = None,
             kind: str | None = None) -> None:
        """Answer the next `times` matching message sends with Graph error `code`.

        `to` limits it to one recipient, `kind` to one message type ("template",
        "interactive", "text"...).
        """
        self._failures.append(_Failure(code, times, to, kind))

    def add_media(self, data: bytes, mime: str) -> str:
        """A person's upload: its media id, for a webhook's document or image."""
        media_id = f"in{len(self.media) + 1}"
        self.media[media_id] = (data, mime)
        return media_id

    async def _media_url(self, request: Request) -> JSONResponse:
        media_id = request.path_params["media_id"]
        if media_id not in self.media:
            return JSONResponse({"error": {"message": "Unsupported get request", "code": 100,
                                           "type": "GraphMethodException"}}, status_code=400)
        data, mime = self.media[media_id]
        return JSONResponse({"messaging_product": "whatsapp", "id": media_id, "mime_type": mime,
                             "sha256": hashlib.sha256(data).hexdigest(),
                             "file_size": len(data), "url": f"{self.url}/download/{media_id}"})

    async def _download(self, request: Request) -> Response:
        media_id = request.path_params["media_id"]
        if not request.headers.get("authorization", "").startswith("Bearer "):
            return Response(status_code=401)
        self.downloads.append(media_id)
        if media_id not in self.media:
            return Response(status_code=404)
        data, mime = self.media[media_id]
        return Response(data, media_type=mime)

    def messages_to(self, to: str) -> list[Sent]:
        return [s for s in self.sent if s.to == to]

    async def start(self) -> str:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        app = Starlette(routes=[
            Route("/{version}/{phone_id}/messages", self._messages, methods=["POST"]),
            Route("/{version}/{phone_id}/media", self._media, methods=["POST"]),
            Route("/download/{media_id}", self._download, methods=["GET"]),
            Route("/{version}/{media_id}", self._media_url, methods=["GET"]),
        ])
        config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve(sockets=[sock]))
        while not self._server.started:
            if self._task.done():
                await self._task
            await asyncio.sleep(0.005)
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task

    def _failure_for(self, body: dict[str, Any]) -> int | None:
        for failure in self._failures:
            if failure.times <= 0:
                continue
            if failure.to is not None and body.get("to") != failure.to:
                continue
            if failure.kind is not None and body.get("type") != failure.kind:
                continue
            failure.times -= 1
            return failure.code
        return None

    async def _messages(self, request: Request) -> JSONResponse:
        body = json.loads(await request.body())
        record = Sent(request.url.path, request.headers.get("authorization", ""), body)
        code = self._failure_for(body)
        if code is not None:
            record.body = {**body, "_failed_with": code}
            self.sent.append(record)
            return JSONResponse(
                {"error": {"message": _MESSAGES.get(code, "Error"), "type": "OAuthException",
                           "code": code,
                           "error_data": {"messaging_product": "whatsapp",
                                          "details": _MESSAGES.get(code, "Error")},
                           "fbtrace_id": "AbCdEf"}},
                status_code=_STATUS.get(code, 400),
            )
        self.sent.append(record)
        to = body.get("to")
        return JSONResponse({
            "messaging_product": "whatsapp",
            "contacts": [{"input": to, "wa_id": to}],
            "messages": [{"id": f"wamid.OUT{next(self._ids)}"}],
        })

    async def _media(self, request: Request) -> JSONResponse:
        raw = await request.body()
        header = f"Content-Type: {request.headers.get('content-type', '')}\r\n\r\n"
        parsed = BytesParser(policy=policy.default).parsebytes(header.encode() + raw)
        body: dict[str, Any] = {}
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            data = part.get_payload(decode=True) or b""
            if part.get_filename():
                body[str(name)] = {"filename": part.get_filename(), "size": len(data),
                                   "content_type": part.get_content_type()}
            else:
                body[str(name)] = data.decode()
        self.uploads.append(Sent(request.url.path, request.headers.get("authorization", ""),
                                 body))
        return JSONResponse({"id": f"media{len(self.uploads)}"})

    @property
    def successful(self) -> list[Sent]:
        """Sends the server accepted."""
        return [s for s in self.sent if "_failed_with" not in s.body]
