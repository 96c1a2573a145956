"""What the web calendar's route modules share: the app's keys, page and feed responses, today's date."""

from __future__ import annotations

from datetime import date, timezone

from aiohttp import web
from jinja2 import Environment

from bot.calendar_query import Filters
from bot.clock import Clock
from bot.config import Settings
from bot.store import Store

FEED_LIMIT = 50  # entries in an Atom feed of changes
CALENDAR_EVENTS = 500  # summits in a .ics feed, from 90 days ago on (filters narrow it to what matters)
STORE = web.AppKey("store", Store)
SETTINGS = web.AppKey("settings", Settings)
CLOCK = web.AppKey("clock", Clock)
JINJA = web.AppKey("jinja", Environment)


def html(request: web.Request, template: str, status: int = 200, **context) -> web.Response:
    env = request.app[JINJA]
    body = env.get_template(template).render(request_path=request.path, **context)
    return web.Response(text=body, status=status, content_type="text/html", charset="utf-8")


def today(request: web.Request) -> date:
    return request.app[CLOCK].now().astimezone(timezone.utc).date()


def ics_response(data: bytes, filename: str) -> web.Response:
    return web.Response(body=data, content_type="text/calendar", charset="utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def summit_url(request: web.Request):
    """A function giving a summit's page address on this site (one string format per event of a feed)."""
    base = str(request.url.with_path("/").with_query(None)).rstrip("/")
    return lambda rec: f"{base}/summit/{rec.id}"


def atom_response(request: web.Request, entries: list, *, filters: Filters | None = None,
                  title: str | None = None) -> web.Response:
    """The Atom feed of these changes, newest first: a filtered view's (``filters``) or one named ``title``."""
    base = str(request.url.with_path("/").with_query(None)).rstrip("/")
    updated = max((c.at for _, _, c in entries), default="1970-01-01T00:00:00+00:00")
    body = request.app[JINJA].get_template("changes.atom").render(
        entries=entries, base=base, updated=updated, self_url=str(request.url), filters=filters or Filters(),
        feed_title=title)
    return web.Response(text=body, content_type="application/atom+xml", charset="utf-8")
