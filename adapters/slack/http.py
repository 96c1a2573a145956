"""The Slack HTTP mode's server additions: refusing malformed requests before Bolt, and /healthz.

Bolt turns a non-numeric ``X-Slack-Request-Timestamp`` (``int()`` fails) or a body that is not
UTF-8 (decoding fails) into a 500. Both are the caller's fault: they get 401 and 400 here, and
Bolt only ever sees requests it can verify.
"""

from __future__ import annotations

import json
import logging
from typing import Awaitable, Callable

from aiohttp import web

log = logging.getLogger(__name__)

HEALTH_PATH = "/healthz"
MAX_TIMESTAMP_DIGITS = 12  # seconds since 1970 have 10 digits until the year 2286

Health = Callable[[], Awaitable[tuple[bool, dict]]]  # () -> (healthy, details)


def plausible_timestamp(value: str | None) -> bool:
    """Seconds since 1970 as plain ASCII digits, as Slack sends them."""
    value = (value or "").strip()
    return value.isascii() and value.isdigit() and len(value) <= MAX_TIMESTAMP_DIGITS


def refuse_malformed(events_path: str):
    """An aiohttp middleware answering 401/400 to requests to ``events_path`` that Bolt would crash on."""

    @web.middleware
    async def middleware(request: web.Request, handler):
        if request.method == "POST" and request.path == events_path:
            if not plausible_timestamp(request.headers.get("X-Slack-Request-Timestamp")):
                log.info("refused a request to %s: no numeric X-Slack-Request-Timestamp", events_path)
                return web.Response(status=401, text="invalid or missing X-Slack-Request-Timestamp")
            body = await request.read()  # kept by aiohttp: Bolt reads the same bytes again
            try:
                body.decode("utf-8")
            except UnicodeDecodeError:
                log.info("refused a request to %s: the body is not UTF-8", events_path)
                return web.Response(status=400, text="the request body is not UTF-8")
        return await handler(request)

    return middleware


def health_handler(health: Health | None):
    """GET /healthz: 200 with the details when healthy, 503 when not (JSON either way)."""

    async def handle(request: web.Request) -> web.Response:
        if health is None:
            ok, details = True, {}
        else:
            try:
                ok, details = await health()
            except Exception as exc:  # a health check must answer, whatever broke
                log.exception("the health check failed")
                ok, details = False, {"error": f"{type(exc).__name__}: {exc}"}
        body = {"status": "ok" if ok else "failing", **details}
        return web.Response(status=200 if ok else 503, text=json.dumps(body), content_type="application/json")

    return handle
