"""The calendar feed route on the web server: GET /calendar/{user id}/{secret}.ics.

A wrong id or secret gets the same plain 404 as a path that does not exist, so the feed
gives nothing away; the secret is never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

from conversations.feed import feed_calendar
from storage import Store

FEED_PATH = "/calendar/{user_id:int}/{secret}.ics"


def feed_routes(store: Store, clock: Callable[[], datetime]) -> list[BaseRoute]:
    """The feed route, reading the store through one short transaction per request."""

    async def serve(request: Request) -> Response:
        user_id = int(request.path_params["user_id"])
        secret = str(request.path_params["secret"])
        async with store.transaction() as tx:
            data = await feed_calendar(tx, user_id, secret, clock())
        if data is None:
            return PlainTextResponse("Not Found", status_code=404)
        return Response(data, media_type="text/calendar; charset=utf-8",
                        headers={"Cache-Control": "private, max-age=900"})

    return [Route(FEED_PATH, serve, methods=["GET"])]
