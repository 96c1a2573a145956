"""The iCalendar exporter (issue 22's Calendars): parses with icalendar, round-trips, SEQUENCE and cancellation."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from bot.calendar_export import build_calendar, google_link, outlook_link, uid
from bot.calendar_query import BadFilter, CalendarQuery, Filters, parse_filters
from bot.cli import cli
from bot.models import Article, Meeting

UTC = ZoneInfo("UTC")
NOW = datetime(2025, 10, 1, tzinfo=timezone.utc)


def _add(store, **fields) -> int:
    defaults = dict(participants=["Donald Trump", "Xi Jinping"], kind="bilateral", location="Busan",
                    start=date(2025, 10, 30), end=date(2025, 10, 30), certainty="planned",
                    sentence="Trump will meet Xi in Busan.")
    art = store.add_article(Article(text=f"article {fields}", published=NOW, title="T", outlet="Outlet",
                                    url="https://news.example/a"), now=NOW)
    return store.insert_meeting(Meeting(**{**defaults, **fields}), article_id=art.id, asof=None, now=NOW)


def _export(store, filters: Filters = Filters()) -> bytes:
    query = CalendarQuery(store)
    records = query.meetings(filters)
    return build_calendar(records, query.sequences([r.id for r in records]), fallback_zone=UTC)


def _events(data: bytes) -> dict[str, object]:
    return {str(ev["UID"]): ev for ev in Calendar.from_ical(data).walk("VEVENT")}


def test_export_parses_and_round_trips(store):
    span = _add(store, name="APEC summit", kind="multilateral", location="Gyeongju",
                start=date(2025, 10, 31), end=date(2025, 11, 1), certainty="confirmed")
    one_day = _add(store)
    timed = _add(store, start=date(2025, 10, 29), end=date(2025, 10, 29), time="14:30")
    store.update_meeting(timed, {"tz": "Asia/Seoul"})
    _add(store, start=date(2025, 11, 1), end=date(2025, 11, 30), precision="month")  # no calendar slot yet

    data = _export(store)
    cal = Calendar.from_ical(data)
    assert Calendar.from_ical(cal.to_ical()).to_ical() == cal.to_ical()  # round-trips unchanged
    events = _events(data)
    assert len(events) == 3  # the month-vague one is left out
    apec = events[uid(store.meeting(span))]
    assert apec["DTSTART"].dt == date(2025, 10, 31) and apec["DTSTART"].params.get("VALUE") == "DATE"
    assert apec["DTEND"].dt == date(2025, 11, 2)  # exclusive: the day after the last day
    assert str(apec["STATUS"]) == "CONFIRMED" and str(apec["LOCATION"]) == "Gyeongju"
    assert events[f"summit-{one_day}@summitbot"]["DTEND"].dt == date(2025, 10, 31)
    start = events[f"summit-{timed}@summitbot"]["DTSTART"].dt
    assert start == datetime(2025, 10, 29, 14, 30, tzinfo=ZoneInfo("Asia/Seoul"))
    assert str(start.tzinfo) == "Asia/Seoul" and b"BEGIN:VTIMEZONE" in data and b"TZID:Asia/Seoul" in data
    assert str(events[f"summit-{one_day}@summitbot"]["STATUS"]) == "TENTATIVE"  # planned, not confirmed


def test_uid_is_stable_and_a_move_bumps_sequence(store):
    mid = _add(store)
    before = _events(_export(store))[f"summit-{mid}@summitbot"]
    assert int(before["SEQUENCE"]) == 0
    store.update_meeting(mid, {"start": date(2025, 11, 3), "end": date(2025, 11, 3)})
    store.record_change(mid, "start", "2025-10-30", "2025-11-03", None, "Moved to 3 November.")
    after = _events(_export(store))[f"summit-{mid}@summitbot"]
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1
    assert after["DTSTART"].dt == date(2025, 11, 3)


def test_a_cancelled_summit_exports_as_cancelled(store):
    mid = _add(store)
    store.update_meeting(mid, {"status": "cancelled"})
    store.record_change(mid, "status", "upcoming", "cancelled", None, "The meeting was called off.")
    ev = _events(_export(store))[f"summit-{mid}@summitbot"]
    assert str(ev["STATUS"]) == "CANCELLED"
    assert int(ev["SEQUENCE"]) == 1


def test_add_to_calendar_links(store):
    rec = store.meeting(_add(store, start=date(2025, 10, 31), end=date(2025, 11, 1)))
    g = parse_qs(urlsplit(google_link(rec, UTC)).query)
    assert g["action"] == ["TEMPLATE"] and g["dates"] == ["20251031/20251102"] and g["location"] == ["Busan"]
    o = parse_qs(urlsplit(outlook_link(rec, UTC)).query)
    assert o["startdt"] == ["2025-10-31"] and o["enddt"] == ["2025-11-02"] and o["allday"] == ["true"]
    vague = store.meeting(_add(store, start=date(2025, 11, 1), end=date(2025, 11, 30), precision="month"))
    assert google_link(vague, UTC) is None and outlook_link(vague, UTC) is None


def test_filters_are_checked():
    assert parse_filters({"kind": "bilateral", "who": "  Xi   Jinping "}) == Filters(who="Xi Jinping", kind="bilateral")
    for bad in ({"kind": "party"}, {"certainty": "sure"}, {"q": "x" * 101}, {"who": "a\x00b"}):
        with pytest.raises(BadFilter):
            parse_filters(bad)


def test_filters_narrow_the_export(store):
    _add(store)
    _add(store, participants=["Lee Jae-myung", "Anwar Ibrahim"], location="Kuala Lumpur", kind="visit")
    assert len(_events(_export(store, Filters(who="Xi")))) == 1
    assert len(_events(_export(store, Filters(kind="visit")))) == 1
    assert len(_events(_export(store, Filters(country="China")))) == 1  # Xi Jinping's country
    assert len(_events(_export(store, Filters(country="Malaysia")))) == 1  # Kuala Lumpur, its capital
    assert len(_events(_export(store, Filters(q="kuala")))) == 1


def test_cli_export_writes_a_calendar_and_never_creates_the_database(store, tmp_path):
    _add(store, name="APEC summit", kind="multilateral")
    db = tmp_path / "summitbot.db"
    out = tmp_path / "summits.ics"
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--ics", "--who", "Xi", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(list(Calendar.from_ical(out.read_bytes()).walk("VEVENT"))) == 1

    missing = tmp_path / "new" / "dir" / "x.db"
    result = CliRunner().invoke(cli, ["--db", str(missing), "export", "--ics"])
    assert result.exit_code == 2 and "no database" in result.output
    assert not missing.exists() and not missing.parent.exists()

    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello, not sqlite " * 100)
    result = CliRunner().invoke(cli, ["--db", str(not_db), "export", "--ics"])
    assert result.exit_code == 2 and "not a summitbot database" in result.output

    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--ics", "--kind", "party"])
    assert result.exit_code == 2 and "kind" in result.output
