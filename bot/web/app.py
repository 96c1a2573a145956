"""Routes of the web calendar. Every page is a GET; nothing here writes to the database."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiohttp import web
from jinja2 import Environment, FileSystemLoader

from bot.calendar_export import build_calendar, google_link, outlook_link
from bot.calendar_query import (BadFilter, CalendarQuery, Filters, load_places, parse_day, parse_filters,
                                 parse_month, parse_page)
from bot.clock import Clock, FixedClock, SystemClock
from bot.config import Settings
from bot.format import format_when, kind_label
from bot.health import HEALTH_PATH, Health, health_handler
from bot.models import CERTAINTIES, KINDS, MeetingRecord
from bot.store import NotFound, Store, open_reader
from bot.web import channel
from bot.web.common import (CALENDAR_EVENTS, CLOCK, FEED_LIMIT, JINJA, SETTINGS, STORE, atom_response, html,
                            ics_response, summit_url, today)
from bot.web.layout import fill, month_bounds, month_weeks, undated_in_month

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
PAGE_SIZE = 50
MONTH_SPANS = 20_000  # meetings a month view lays out (dates only); those drawn are read in full
VAGUE_LISTED = 50  # meetings without exact dates listed under a month
LEADERS_LISTED = 300
SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    env.globals.update(kind_label=kind_label, format_when=format_when, KINDS=KINDS, CERTAINTIES=CERTAINTIES,
                       safe_url=safe_url, instant=instant_iso)
    return env


def safe_url(url: str | None) -> str | None:
    """An article's address when it is http(s); anything else (javascript:, data:) is not linked."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return url
    return None


def instant_iso(rec: MeetingRecord, zone_name: str) -> str | None:
    """The ISO instant of a timed, single-day meeting (venue zone), for the browser to show in its own zone."""
    if rec.is_span():
        return None
    at = rec.start_instant(ZoneInfo(zone_name))
    return at.isoformat() if at else None


def make_app(db_path: str | None, settings: Settings, *, clock: Clock | None = None,
             store: Store | None = None, health: Health | None = None) -> web.Application:
    """The web app over the database at ``db_path`` (read-only connection), or over ``store``; inside
    `summitbot run`, /healthz answers the bot's ``health`` (database, scheduler, platforms)."""
    app = web.Application(middlewares=[_guard], client_max_size=1024)
    app[SETTINGS] = settings
    app[CLOCK] = clock or (FixedClock(settings.now) if settings.now else SystemClock())
    app[JINJA] = _environment()

    async def open_store(app: web.Application) -> None:
        # Opened in the loop's thread, which is the only one that uses it.
        app[STORE] = store or Store(open_reader(str(db_path)))
        await asyncio.get_running_loop().run_in_executor(None, load_places)

    app.on_startup.append(open_store)
    app.router.add_get("/", month_page)
    app.router.add_get("/list", list_page)
    app.router.add_get(r"/summit/{id:\d{1,12}}", summit_page)
    app.router.add_get(r"/summit/{id:\d{1,12}}.ics", summit_ics)
    app.router.add_get("/calendar.ics", calendar_ics)
    app.router.add_get("/changes.atom", changes_atom)
    app.router.add_get(HEALTH_PATH, health_handler(health) if health is not None else healthz)
    channel.add_routes(app)
    app.router.add_static("/static/", HERE / "static", show_index=False)
    return app


@web.middleware
async def _guard(request: web.Request, handler):
    """Security headers on every answer; a bad parameter is a 400 page and a failure a 500 page, never a traceback."""
    try:
        response = await handler(request)
    except BadFilter as exc:
        response = html(request, "error.html", status=400, title="Bad request", message=str(exc))
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = html(request, "error.html", status=exc.status, title=exc.reason,
                         message="There is no such page." if exc.status == 404 else exc.reason)
        if exc.status == 405:
            response.headers["Allow"] = "GET, HEAD"
    except Exception:
        log.exception("web: %s %s failed", request.method, _redacted(request.path_qs))
        response = html(request, "error.html", status=500, title="Something went wrong",
                         message="The page could not be built. The error was logged.")
    response.headers.update(SECURITY_HEADERS)
    return response


def _redacted(path: str) -> str:
    """The path as logged: a channel feed's token is a secret."""
    return re.sub(r"^/channel/[^/.?]+", "/channel/…", path)


def _common(request: web.Request, filters: Filters, **extra) -> dict:
    return {"filters": filters, "leaders": CalendarQuery(request.app[STORE]).leaders(LEADERS_LISTED),
            "ics_query": filters.query(), "zone": request.app[SETTINGS].timezone, **extra}


async def month_page(request: web.Request) -> web.Response:
    filters = parse_filters(request.query)
    first = parse_month(request.query.get("month"), today(request))
    begin, end = month_bounds(first)
    query = CalendarQuery(request.app[STORE])
    spans = query.spans(filters, start=begin, end=end, limit=MONTH_SPANS)
    weeks = month_weeks(first, spans)
    vague = undated_in_month(first, spans)
    shown = [bar.rec.id for week in weeks for bar in week.bars()] + [s.id for s in vague[:VAGUE_LISTED]]
    records = {rec.id: rec for rec in request.app[STORE].meetings_by_id(shown)}
    fill(weeks, records)
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return html(request, "month.html", **_common(
        request, filters, first=first, weeks=weeks, today=today(request),
        vague=[records[s.id] for s in vague[:VAGUE_LISTED] if s.id in records], vague_more=len(vague) - VAGUE_LISTED,
        prev_query=filters.query(month=f"{prev_month:%Y-%m}"), next_query=filters.query(month=f"{next_month:%Y-%m}"),
        month_value=f"{first:%Y-%m}", truncated=len(spans) >= MONTH_SPANS))


async def list_page(request: web.Request) -> web.Response:
    filters = parse_filters(request.query)
    page = parse_page(request.query.get("page"))
    day = today(request)
    since = parse_day(request.query.get("from"), day)
    records = CalendarQuery(request.app[STORE]).meetings(
        filters, start=since, limit=PAGE_SIZE + 1, offset=(page - 1) * PAGE_SIZE)
    keep = {"from": since.isoformat()} if since != day else {}
    more = len(records) > PAGE_SIZE
    records = records[:PAGE_SIZE]
    groups: list[tuple[str, list[MeetingRecord]]] = []
    for rec in records:
        label = f"{rec.start:%B %Y}"
        if not groups or groups[-1][0] != label:
            groups.append((label, []))
        groups[-1][1].append(rec)
    return html(request, "list.html", **_common(
        request, filters, groups=groups, page=page, count=len(records), since=since if keep else None,
        prev_query=filters.query(**keep, page=page - 1) if page > 1 else None,
        next_query=filters.query(**keep, page=page + 1) if more else None))


def _meeting(request: web.Request) -> MeetingRecord:
    try:
        return request.app[STORE].meeting(int(request.match_info["id"]))
    except NotFound:
        raise web.HTTPNotFound() from None


async def summit_page(request: web.Request) -> web.Response:
    rec = _meeting(request)
    zone = ZoneInfo(request.app[SETTINGS].timezone)
    page_url = str(request.url.with_query(None))
    return html(request, "summit.html", rec=rec, zone=request.app[SETTINGS].timezone,
                 google=google_link(rec, zone, page_url), outlook=outlook_link(rec, zone, page_url),
                 sequence=sum(1 for c in rec.changes if c.field != "created"))


async def calendar_ics(request: web.Request) -> web.Response:
    filters = parse_filters(request.query)
    query = CalendarQuery(request.app[STORE])
    records = query.meetings(filters, start=today(request) - timedelta(days=90), limit=CALENDAR_EVENTS)
    data = build_calendar(records, query.sequences([r.id for r in records]),
                          fallback_zone=ZoneInfo(request.app[SETTINGS].timezone),
                          name="Summits" + (f" ({filters.query()})" if filters.active() else ""),
                          page_url=summit_url(request))
    return ics_response(data, "summits.ics")


async def summit_ics(request: web.Request) -> web.Response:
    rec = _meeting(request)
    data = build_calendar([rec], {rec.id: sum(1 for c in rec.changes if c.field != "created")},
                          fallback_zone=ZoneInfo(request.app[SETTINGS].timezone), name=rec.title,
                          page_url=lambda r: str(request.url.with_path(f"/summit/{r.id}").with_query(None)))
    return ics_response(data, f"summit-{rec.id}.ics")


async def changes_atom(request: web.Request) -> web.Response:
    filters = parse_filters(request.query)
    entries = CalendarQuery(request.app[STORE]).recent_changes(filters, limit=FEED_LIMIT)
    return atom_response(request, entries, filters=filters)


async def healthz(request: web.Request) -> web.Response:
    try:
        count = request.app[STORE].db.execute("SELECT COUNT(*) FROM meetings").fetchone()[0]
    except sqlite3.Error as exc:
        return web.json_response({"status": "error", "database": str(exc)}, status=503)
    return web.json_response({"status": "ok", "database": "ok", "meetings": count,
                              "time": datetime.now(timezone.utc).isoformat(timespec="seconds")})


async def start_site(app: web.Application, host: str, port: int) -> web.AppRunner:
    """Start serving ``app`` on host:port inside the running loop; the caller cleans the runner up."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner


def serve(db_path: str, settings: Settings, *, host: str = "127.0.0.1", port: int = 8080) -> None:
    """Serve the web calendar until interrupted (`summitbot web`)."""
    web.run_app(make_app(db_path, settings), host=host, port=port, print=None, access_log=None)
