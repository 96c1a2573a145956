"""A channel's own feeds (/channel/TOKEN.ics and .atom): the summits its subscriptions follow, behind the
channel's secret token (bot/channel_feeds.py). An unknown token is the ordinary 404 page."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.calendar_export import build_calendar
from bot.calendar_query import CalendarQuery
from bot.channel_feeds import TOKEN_PATTERN, Followed, channel_for_token
from bot.subscriptions import Channel
from bot.web.common import CALENDAR_EVENTS, FEED_LIMIT, STORE, atom_response, ics_response, summit_url, today

PRIVATE = {"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"}


def add_routes(app: web.Application) -> None:
    app.router.add_get(rf"/channel/{{token:{TOKEN_PATTERN}}}.ics", channel_ics)
    app.router.add_get(rf"/channel/{{token:{TOKEN_PATTERN}}}.atom", channel_atom)


def _channel(request: web.Request) -> Channel:
    channel = channel_for_token(request.app[STORE], request.match_info["token"])
    if channel is None:
        raise web.HTTPNotFound()
    return channel


def _title(channel: Channel) -> str:
    return f"Summits followed in {channel.platform} channel {channel.channel}"


async def channel_ics(request: web.Request) -> web.Response:
    channel = _channel(request)
    store = request.app[STORE]
    records = Followed.of_channel(store, channel).meetings(today(request) - timedelta(days=90), CALENDAR_EVENTS)
    data = build_calendar(records, CalendarQuery(store).sequences([r.id for r in records]),
                          fallback_zone=ZoneInfo(channel.tz), name=_title(channel),
                          page_url=summit_url(request))
    response = ics_response(data, "summits.ics")
    response.headers.update(PRIVATE)
    return response


async def channel_atom(request: web.Request) -> web.Response:
    channel = _channel(request)
    entries = Followed.of_channel(request.app[STORE], channel).changes(FEED_LIMIT)
    response = atom_response(request, entries, title=_title(channel))
    response.headers.update(PRIVATE)
    return response
