"""A fake Telegram Bot API server on 127.0.0.1 for channel tests (Starlette + uvicorn).

It speaks the parts of the API the channel uses, records every call, queues updates for
getUpdates (long polling returns as soon as one arrives), and can be told to fail a method
with 403, 429 (retry_after) or 500, to be down (every call of a method fails until it is
up again), or to answer late (the message is delivered, the answer comes after a delay).
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import itertools
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.web import WebServer

BOT_ID = 777000111
WAIT_LIMIT = 60.0  # seconds: a safety net for waits that should end at once
_JSON_FIELDS = {"reply_markup", "commands", "allowed_updates", "scope", "link_preview_options"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)


@dataclass
class Failure:
    status: int
    retry_after: int | None = None


def _decode(params: dict[str, Any]) -> dict[str, Any]:
    for key in _JSON_FIELDS & params.keys():
        if isinstance(params[key], str):
            params[key] = json.loads(params[key])
    return params


class FakeBotApi:
    """Start with `await api.start()`; point PTB at `api.base_url` with `api.token`."""

    def __init__(self, token: str = "123456:TEST-token-not-real") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self.down: dict[str, int] = {}  # method -> the status every call answers meanwhile
        self.late: dict[str, list[float]] = {}  # method -> delays of its next answers
        self._pending: list[list[Any]] = []  # [update dict, returned yet?]
        self._update_ids = itertools.count(1000)
        self._message_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, bytes)
        self.downloads: list[str] = []
        app = Starlette(routes=[Route("/bot{token}/{method}", self._endpoint,
                                      methods=["GET", "POST"]),
                                Route("/file/bot{token}/{path:path}", self._download)])
        self._web = WebServer(app, "127.0.0.1", 0)
        self.base_url = ""
        self._closing = False

    async def start(self) -> None:
        await self._web.start()
        port = self._web.server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        async with self._changed:
            self._closing = True  # long polls still open return at once
            self._changed.notify_all()
        await self._web.stop()

    # switches -----------------------------------------------------------------
    def fail(self, method: str, status: int, times: int = 1, retry_after: int | None = None
             ) -> None:
        """The next `times` calls of `method` answer `status` (429 carries retry_after)."""
        self.failures.setdefault(method, []).extend(
            Failure(status, retry_after) for _ in range(times))

    def answer_late(self, method: str, seconds: float, times: int = 1) -> None:
        """The next `times` calls of `method` succeed, but answer only after `seconds`."""
        self.late.setdefault(method, []).extend([seconds] * times)

    # users --------------------------------------------------------------------
    def user(self, user_id: int, name: str = "Ana") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name}

    def message(self, user_id: int, chat: dict[str, Any] | None = None,
                **content: Any) -> dict[str, Any]:
        return {"message_id": next(self._message_ids), "date": 1764579600,
                "chat": chat or {"id": user_id, "type": "private", "first_name": "Ana"},
                "from": self.user(user_id), **content}

    async def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update (an update_id is added unless given); returns it."""
        update.setdefault("update_id", next(self._update_ids))
        async with self._changed:
            self._pending.append([update, False])
            self._changed.notify_all()
        return update

    def add_file(self, data: bytes, name: str) -> str:
        """Store a file as a person's upload; returns its file_id."""
        file_id = f"file{len(self.files) + 1}"
        self.files[file_id] = (f"documents/{file_id}_{name}", data)
        return file_id

    async def send_document(self, user_id: int, data: bytes, name: str, mime: str,
                            caption: str | None = None, size: int | None = None
                            ) -> dict[str, Any]:
        """A person sends a document (stored here for getFile and the download)."""
        file_id = self.add_file(data, name)
        document = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": name,
                    "mime_type": mime, "file_size": len(data) if size is None else size}
        content: dict[str, Any] = {"document": document}
        if caption:
            content["caption"] = caption
        return await self.push({"message": self.message(user_id, **content)})

    async def send_photo(self, user_id: int, caption: str | None = None) -> dict[str, Any]:
        file_id = self.add_file(b"\xff\xd8jpeg", "photo.jpg")
        content: dict[str, Any] = {"photo": [{"file_id": file_id, "file_unique_id": "p",
                                              "width": 90, "height": 90, "file_size": 6}]}
        if caption:
            content["caption"] = caption
        return await self.push({"message": self.message(user_id, **content)})

    async def _download(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        path = request.path_params["path"]
        self.downloads.append(path)
        for file_path, data in self.files.values():
            if file_path == path:
                return Response(data, media_type="application/octet-stream")
        return Response(status_code=404)

    async def say(self, user_id: int, text: str) -> dict[str, Any]:
        return await self.push({"message": self.message(user_id, text=text)})

    async def press(self, user_id: int, data: str, keyboard_message: Call | None = None
                    ) -> dict[str, Any]:
        """Press a button with `data` under a message the bot sent (its keyboard included)."""
        message = self.message(user_id, text="(keyboard)")
        message["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "Trek"}
        if keyboard_message is not None:
            message["reply_markup"] = keyboard_message.params.get("reply_markup")
        return await self.push({"callback_query": {
            "id": f"cq{next(self._update_ids)}", "from": self.user(user_id),
            "chat_instance": "ci", "data": data, "message": message}})

    # what the bot did ---------------------------------------------------------
    def sent(self, chat_id: int | None = None) -> list[Call]:
        """sendMessage / sendPhoto / sendDocument calls that succeeded, in order."""
        return [c for c in self.calls if c.method in ("sendMessage", "sendPhoto", "sendDocument")
                and c.params.get("_ok") and (chat_id is None
                                            or int(c.params["chat_id"]) == chat_id)]

    def called(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_sent(self, count: int, chat_id: int | None = None) -> list[Call]:
        """Wait until at least `count` messages went out (a safety timeout, not a delay)."""
        async def until() -> list[Call]:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.sent(chat_id)) >= count)
            return self.sent(chat_id)
        return await asyncio.wait_for(until(), WAIT_LIMIT)

    async def wait_called(self, method: str, count: int = 1) -> None:
        async def until() -> None:
            async with self._changed:
                await self._changed.wait_for(lambda: len(self.called(method)) >= count)
        await asyncio.wait_for(until(), WAIT_LIMIT)

    # the HTTP side --------------------------------------------------------------
    async def _params(self, request: Request) -> tuple[dict[str, Any], dict[str, Any]]:
        body = await request.body()
        ctype = request.headers.get("content-type", "")
        files: dict[str, tuple[str, bytes]] = {}
        if not body:
            params: dict[str, Any] = dict(request.query_params)
        elif ctype.startswith("application/json"):
            params = json.loads(body)
        elif ctype.startswith("multipart/form-data"):
            params = {}
            parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + body)
            for part in parsed.iter_parts():
                name = part.get_param("name", header="content-disposition")
                payload = part.get_payload(decode=True) or b""
                if part.get_filename():
                    files[name] = (part.get_filename(), payload)
                else:
                    params[name] = payload.decode()
        else:
            params = dict(parse_qsl(body.decode(), keep_blank_values=True))
        return _decode(params), files

    async def _endpoint(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        if request.path_params["token"] != self.token:
            return JSONResponse({"ok": False, "error_code": 401,
                                 "description": "Unauthorized"}, 401)
        params, files = await self._params(request)
        call = Call(method, params, files)
        async with self._changed:
            self.calls.append(call)
            failure = self.failures.get(method, []) and self.failures[method].pop(0)
            if not failure and method in self.down:
                failure = Failure(self.down[method])
            if not failure:
                params["_ok"] = True
            delay = self.late[method].pop(0) if self.late.get(method) and not failure else 0
            self._changed.notify_all()
        if failure:
            return self._failure(failure)
        if delay:
            await asyncio.sleep(delay)  # delivered already; the answer is what is late
        if method == "getUpdates":
            return JSONResponse({"ok": True, "result": await self._updates(params)})
        return JSONResponse({"ok": True, "result": self._result(method, params)})

    @staticmethod
    def _failure(failure: Failure) -> JSONResponse:
        if failure.status == 429:
            wait = failure.retry_after or 0
            return JSONResponse({"ok": False, "error_code": 429,
                                 "description": f"Too Many Requests: retry after {wait}",
                                 "parameters": {"retry_after": wait}}, 429)
        description = {403: "Forbidden: bot was blocked by the user",
                       400: "Bad Request: chat not found", 502: "Bad Gateway"}.get(
            failure.status, "Internal Server Error")
        return JSONResponse({"ok": False, "error_code": failure.status,
                             "description": description}, failure.status)

    async def _updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)

        def ready() -> list[dict[str, Any]]:
            # Confirmed updates (returned before and below the offset) are dropped.
            self._pending = [p for p in self._pending
                             if not (p[1] and p[0]["update_id"] < offset)]
            return [p[0] for p in self._pending if not p[1] or p[0]["update_id"] >= offset]

        async with self._changed:
            try:
                await asyncio.wait_for(
                    self._changed.wait_for(lambda: self._closing or ready()), timeout)
            except TimeoutError:
                pass
            result = ready()
            for p in self._pending:
                if p[0] in result:
                    p[1] = True
        return result

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return {"id": BOT_ID, "is_bot": True, "first_name": "Trek",
                    "username": "trek_test_bot", "can_join_groups": False,
                    "can_read_all_group_messages": False, "supports_inline_queries": False}
        if method == "getFile":
            file_id = str(params.get("file_id"))
            if file_id not in self.files:
                return None
            path, data = self.files[file_id]
            return {"file_id": file_id, "file_unique_id": f"u{file_id}",
                    "file_size": len(data), "file_path": path}
        if method in ("sendMessage", "sendPhoto", "sendDocument"):
            chat_id = int(params["chat_id"])
            message: dict[str, Any] = {
                "message_id": next(self._message_ids), "date": 1764579600,
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Trek"}}
            if method == "sendMessage":
                message["text"] = params.get("text", "")
            elif method == "sendPhoto":
                message["photo"] = [{"file_id": "p1", "file_unique_id": "u1",
                                     "width": 10, "height": 10}]
            else:
                message["document"] = {"file_id": "d1", "file_unique_id": "u2"}
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        return True  # answerCallbackQuery, setMyCommands, setWebhook, deleteWebhook, ...
