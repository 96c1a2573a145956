"""`summitbot export --ics` (the calendar as a file), `summitbot web` (the read-only web calendar) and
`summitbot channel-feed` (a channel's own feed addresses)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from bot.calendar_query import BadFilter, CalendarQuery, parse_filters


class NoDatabase(click.ClickException):
    """The database file is missing or is not one; exit status 2."""

    exit_code = 2


def open_existing(db_path: str):
    """A read-only Store on an existing database; NoDatabase when it is missing or not one (nothing is created)."""
    from bot.store import Store, open_reader

    path = Path(db_path)
    if not path.is_file():
        raise NoDatabase(f"no database at {db_path}: run `summitbot ingest` first")
    try:
        db = open_reader(str(path))
        db.execute("SELECT COUNT(*) FROM meetings").fetchone()
    except sqlite3.DatabaseError as exc:
        raise NoDatabase(f"{db_path} is not a summitbot database ({exc})") from None
    return Store(db)


@click.command("export")
@click.option("--ics", "as_ics", is_flag=True, required=True, help="Write an RFC 5545 iCalendar (the only format).")
@click.option("--who", metavar="NAME", help="Only meetings of this person.")
@click.option("--country", metavar="NAME", help="Only meetings held in, or with, this country.")
@click.option("--kind", metavar="KIND", help="Only this kind (bilateral, multilateral, visit, talks, phone_call).")
@click.option("--certainty", metavar="LEVEL", help="Only this certainty (possible, planned, confirmed).")
@click.option("--out", "out", metavar="FILE", type=click.Path(dir_okay=False, writable=True),
              help="Write to FILE instead of standard output.")
@click.pass_obj
def export_command(state, as_ics: bool, who, country, kind, certainty, out) -> None:
    """Export summits known to the day as an iCalendar file (read-only: never creates the database)."""
    from zoneinfo import ZoneInfo

    from bot.calendar_export import build_calendar
    from bot.calendar_query import MAX_ROWS

    try:
        filters = parse_filters({"who": who, "country": country, "kind": kind, "certainty": certainty})
    except BadFilter as exc:
        raise click.UsageError(str(exc)) from None  # exit status 2
    store = open_existing(state.db_path)
    query = CalendarQuery(store)
    records = query.meetings(filters, limit=MAX_ROWS)
    data = build_calendar(records, query.sequences([r.id for r in records]),
                          fallback_zone=ZoneInfo(state.settings.timezone),
                          name="Summits" + (f" – {filters.who}" if filters.who else ""))
    if out:
        Path(out).write_bytes(data)
        click.echo(f"wrote {len(records)} summits to {out}", err=True)
    else:
        sys.stdout.buffer.write(data)


@click.command("web")
@click.option("--port", type=click.IntRange(0, 65535), default=None,
              help="Port to listen on (default $PORT, else 8080).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.pass_obj
def web_command(state, port: int | None, host: str) -> None:
    """Serve the read-only web calendar (month view, list, summit pages, .ics and Atom feeds)."""
    import os

    from bot.web import serve

    open_existing(state.db_path).db.conn.close()  # a clear error now rather than on the first request
    if port is None:
        port = int(os.environ.get("PORT") or 8080)
    click.echo(f"summitbot web calendar on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    try:
        serve(state.db_path, state.settings, host=host, port=port)
    except KeyboardInterrupt:
        pass


@click.command("channel-feed")
@click.option("--channel", metavar="PLATFORM:WORKSPACE:CHANNEL",
              help="The channel, e.g. slack:T0123:C0456 (default: the console's).")
@click.option("--rotate", is_flag=True, help="Give the channel's feeds new addresses; the old ones stop working.")
@click.pass_obj
def channel_feed_command(state, channel: str | None, rotate: bool) -> None:
    """Print a channel's own feed addresses (.ics, then Atom): the summits its subscriptions follow."""
    from datetime import timezone

    from bot.channel_feeds import feed_token, rotate_feed_token
    from bot.cli_feeds import _channel
    from bot.subscriptions import get_channel

    store = state.store()
    found = get_channel(store, _channel(channel))
    if found is None:
        raise click.ClickException(f"no channel {channel or 'console'} is known: subscribe there first")
    now = state.now().astimezone(timezone.utc)
    token = (rotate_feed_token if rotate else feed_token)(store, found, now)
    for url in token.urls(state.settings.web_url):
        click.echo(url)
    if not state.settings.web_url:
        click.echo("(paths on the web calendar: set [web] url or SUMMITBOT_WEB_URL for full addresses)", err=True)


def register(group: click.Group) -> None:
    """Add `export`, `web` and `channel-feed` to the main CLI group."""
    group.add_command(export_command)
    group.add_command(web_command)
    group.add_command(channel_feed_command)
