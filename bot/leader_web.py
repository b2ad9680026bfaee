"""The leader's page on the bot's web server (Starlette + Jinja2, no JavaScript needed).

- `GET /leader/signin/{token}` shows a sign-in button; `POST` spends the one-time token,
  sets the signed session cookie and redirects to `/leader`. (The GET spends nothing:
  messengers fetch links for their previews, which must not use up the link.)
- `GET /leader`: the leader's batches with days to departure and a row per trekker;
  `?sort=readiness&dir=desc` sorts. Without a session: 401 and how to get a link.
- `GET /leader/batches/{code}`, `.../trekkers.csv`: one batch, and its table as CSV;
  another leader's batch answers 403.
- `POST /leader/batches/{code}/broadcast`: queue a short message to the whole batch.
- `POST /leader/signout`.
"""

from __future__ import annotations

import csv
import io
import secrets
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.templating import Jinja2Templates

from bot.leader_auth import COOKIE, SESSION_MAX_AGE, Sessions, token_hash
from bot.web import read_body
from conversations.batch_report import SORT_KEYS, BatchReport, TrekkerRow, report
from storage import Store
from storage import batches as q
from storage.batch_models import Batch

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
MAX_BROADCAST = 500
FORM_LIMIT = 8192  # bytes: a 500-character message, url-encoded, and two tokens
COLUMNS = (("name", "Trekker"), ("readiness", "Readiness"), ("done", "Done / planned"),
           ("walk", "Longest loaded walk"), ("last", "Last activity"), ("flags", "Flags"))


class LeaderSite:
    """The leader routes over one store; `on_broadcast` is called after a broadcast is queued
    (the running bot sends it at once; `trekbot dashboard` leaves it to the bot)."""

    def __init__(self, store: Store, clock: Callable[[], datetime], *, secure: bool = False,
                 on_broadcast: Callable[[], None] | None = None) -> None:
        self.store = store
        self.clock = clock
        self.secure = secure
        self.on_broadcast = on_broadcast
        self._sessions: Sessions | None = None

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/leader", self.home, methods=["GET"]),
            Route("/leader/signin/{token}", self.signin_page, methods=["GET"]),
            Route("/leader/signin/{token}", self.signin, methods=["POST"]),
            Route("/leader/signout", self.signout, methods=["POST"]),
            Route("/leader/batches/{code}.csv", self.csv, methods=["GET"]),
            Route("/leader/batches/{code}/trekkers.csv", self.csv, methods=["GET"]),
            Route("/leader/batches/{code}", self.one_batch, methods=["GET"]),
            Route("/leader/batches/{code}/broadcast", self.broadcast, methods=["POST"]),
        ]

    async def sessions(self) -> Sessions:
        if self._sessions is None:
            self._sessions = await Sessions.load(self.store)
        return self._sessions

    async def _leader(self, request: Request) -> int | None:
        leader_id = (await self.sessions()).leader_of(request.cookies.get(COOKIE))
        if leader_id is None:
            return None
        async with self.store.transaction() as tx:
            return leader_id if await q.leader_by_id(tx, leader_id) is not None else None

    def _page(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        response = TEMPLATES.TemplateResponse(request, name, context, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        return response

    def _signed_out(self, request: Request) -> Response:
        return self._page(request, "leader/message.html", 401, title="Sign in",
                          message="This page is for trek leaders. Ask your trekking company "
                                  "for a sign-in link (trekbot leader invite).")

    def _forbidden(self, request: Request) -> Response:
        return self._page(request, "leader/message.html", 403, title="Not your batch",
                          message="You can only see your own batches.")

    # -- signing in -----------------------------------------------------------------------
    async def signin_page(self, request: Request) -> Response:
        token = request.path_params["token"]
        async with self.store.transaction() as tx:
            usable = await q.invite_usable(tx, token_hash(token), self.clock())
        if not usable:
            return self._link_spent(request)
        return self._page(request, "leader/signin.html", token=token)

    def _link_spent(self, request: Request) -> Response:
        return self._page(request, "leader/message.html", 403, title="Link not valid",
                          message="This sign-in link has been used already or has expired. "
                                  "Ask for a new one.")

    async def signin(self, request: Request) -> Response:
        token = request.path_params["token"]
        async with self.store.transaction() as tx:
            leader_id = await q.use_invite(tx, token_hash(token), self.clock())
        if leader_id is None:
            return self._link_spent(request)
        response = RedirectResponse("/leader", status_code=303)
        response.set_cookie(COOKIE, (await self.sessions()).cookie_for(leader_id),
                            max_age=int(SESSION_MAX_AGE.total_seconds()), path="/leader",
                            httponly=True, samesite="lax", secure=self.secure)
        return response

    async def signout(self, request: Request) -> Response:
        response = RedirectResponse("/leader", status_code=303)
        response.delete_cookie(COOKIE, path="/leader", httponly=True, samesite="lax",
                               secure=self.secure)
        return response

    # -- the page ---------------------------------------------------------------------------
    async def home(self, request: Request) -> Response:
        leader_id = await self._leader(request)
        if leader_id is None:
            return self._signed_out(request)
        async with self.store.transaction() as tx:
            batches = await q.leader_batches(tx, leader_id)
        return await self._render(request, batches)

    async def one_batch(self, request: Request) -> Response:
        batch, denied = await self._own_batch(request)
        if batch is None:
            return denied
        return await self._render(request, [batch], single=True)

    async def _own_batch(self, request: Request) -> tuple[Batch | None, Response]:
        """The batch in the path when it is the signed-in leader's; else the refusal."""
        leader_id = await self._leader(request)
        if leader_id is None:
            return None, self._signed_out(request)
        code = request.path_params["code"]
        async with self.store.transaction() as tx:
            mine = {b.code: b for b in await q.leader_batches(tx, leader_id)}
        batch = mine.get(q.normal_code(code))
        return batch, (self._forbidden(request) if batch is None else Response())

    async def _render(self, request: Request, batches: list[Batch],
                      single: bool = False) -> Response:
        sort = request.query_params.get("sort", "name")
        sort = sort if sort in SORT_KEYS else "name"
        descending = request.query_params.get("dir") == "desc"
        now = self.clock()
        reports: list[tuple[BatchReport, dict[str, int]]] = []
        async with self.store.transaction() as tx:
            for batch in batches:
                reports.append((await report(tx, batch, now, sort, descending),
                                await q.send_counts(tx, batch.id)))
        cookie = request.cookies.get(COOKIE, "")
        return self._page(
            request, "leader/page.html", reports=reports, columns=COLUMNS, sort=sort,
            descending=descending, form_token=(await self.sessions()).form_token(cookie),
            nonce=secrets.token_urlsafe(16), single=single,
            sent=request.query_params.get("sent"), error=request.query_params.get("error"))

    async def csv(self, request: Request) -> Response:
        batch, denied = await self._own_batch(request)
        if batch is None:
            return denied
        async with self.store.transaction() as tx:
            table = await report(tx, batch, self.clock())
        body = csv_of(table.trekkers)
        return Response(body, media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="{batch.code}-trekkers.csv"',
            "Cache-Control": "no-store"})

    async def broadcast(self, request: Request) -> Response:
        batch, denied = await self._own_batch(request)
        if batch is None:
            return denied
        form = await _form(request)
        if form is None:
            return RedirectResponse(f"/leader/batches/{batch.code}?error=length", status_code=303)
        token, nonce = str(form.get("token", "")), str(form.get("nonce", ""))[:64] or None
        if not (await self.sessions()).form_ok(request.cookies.get(COOKIE), token):
            return self._page(request, "leader/message.html", 403, title="Form expired",
                              message="This form is out of date. Reload the page and try again.")
        text = str(form.get("text", "")).replace("\r\n", "\n").strip()
        back = f"/leader/batches/{batch.code}"
        if not text or len(text) > MAX_BROADCAST:
            return RedirectResponse(f"{back}?error=length", status_code=303)
        leader_id = await self._leader(request)
        async with self.store.transaction() as tx:
            count = await q.create_broadcast(tx, batch.id, leader_id, text, self.clock(), nonce)
        if count is not None and self.on_broadcast is not None:
            self.on_broadcast()
        return RedirectResponse(f"{back}?sent={count if count is not None else 'again'}",
                                status_code=303)


async def _form(request: Request) -> dict[str, str] | None:
    """A small url-encoded form (the page's only kind); None when it is too large."""
    body = await read_body(request, FORM_LIMIT)
    if body is None:
        return None
    fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[0] for k, v in fields.items()}


def csv_of(rows: tuple[TrekkerRow, ...]) -> str:
    """The table as CSV; a cell that a spreadsheet would run as a formula is quoted off."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["trekker", "readiness", "sessions_done", "sessions_planned",
                     "longest_loaded_walk_min", "last_activity", "flags"])
    for t in rows:
        writer.writerow([_cell(t.name), "" if t.readiness is None else t.readiness, t.done,
                         t.planned, t.longest_walk,
                         t.last_active.isoformat() if t.last_active else "",
                         "; ".join(t.flags)])
    return out.getvalue()


def _cell(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
