"""The Slack HTTP mode's server additions: refusing malformed requests before Bolt (/healthz is bot.health's).

Bolt turns a non-numeric ``X-Slack-Request-Timestamp`` (``int()`` fails) or a body that is not
UTF-8 (decoding fails) into a 500. Both are the caller's fault: they get 401 and 400 here, and
Bolt only ever sees requests it can verify.
"""

from __future__ import annotations

import logging

from aiohttp import web

log = logging.getLogger(__name__)

MAX_TIMESTAMP_DIGITS = 12  # seconds since 1970 have 10 digits until the year 2286


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
