"""`summitbot export --ics`: the calendar as a file."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import click

from bot.calendar_query import BadFilter, CalendarQuery, parse_filters


def open_existing(db_path: str):
    """A read-only Store on an existing database; a clean CLI error (exit 2) when it is missing or not one."""
    from bot.store import Store, open_reader

    path = Path(db_path)
    if not path.is_file():
        raise click.ClickException(f"no database at {db_path}: run `summitbot ingest` first") from None
    try:
        db = open_reader(str(path))
        db.execute("SELECT COUNT(*) FROM meetings").fetchone()
    except sqlite3.DatabaseError as exc:
        raise click.ClickException(f"{db_path} is not a summitbot database ({exc})") from None
    return Store(db)


class _Exit2(click.ClickException):
    exit_code = 2


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
        store = open_existing(state.db_path)
    except BadFilter as exc:
        raise _Exit2(str(exc)) from None
    except click.ClickException as exc:
        raise _Exit2(exc.message) from None
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


def register(group: click.Group) -> None:
    """Add `export` to the main CLI group."""
    group.add_command(export_command)
