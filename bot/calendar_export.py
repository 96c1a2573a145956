"""RFC 5545 iCalendar of summits, and 'add to calendar' links for one summit."""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime, timedelta, timezone
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot.format import format_when, kind_label
from bot.models import MeetingRecord

PRODID = "-//summitbot//summit calendar//EN"
UID_DOMAIN = "summitbot"
TIMED_LENGTH = timedelta(hours=1)  # a meeting with a start time but no known end, for the links' required end


def uid(rec: MeetingRecord) -> str:
    """Stable across exports and moves: the record id is kept for the life of a summit."""
    return f"summit-{rec.id}@{UID_DOMAIN}"


def exportable(rec: MeetingRecord) -> bool:
    """Known to the day (one day or a span of days): a week, a month or vaguer has no calendar slot yet."""
    return rec.is_dated_to_the_day()


def summary(rec: MeetingRecord) -> str:
    text = f"{kind_label(rec.kind)}: {rec.title}"
    if rec.certainty == "possible":
        text += " (possible)"
    return text


def description(rec: MeetingRecord, page_url: str | None = None) -> str:
    lines = [f"{kind_label(rec.kind)}: {rec.title}", f"When: {format_when(rec)}"]
    if rec.participants:
        lines.append("Participants: " + ", ".join(rec.participants))
    if rec.location:
        lines.append(f"Where: {rec.location}")
    lines.append(f"Certainty: {rec.certainty}; status: {rec.status}")
    if page_url:
        lines.append(page_url)
    return "\n".join(lines)


def _stamp(text: str | None) -> datetime:
    try:
        value = datetime.fromisoformat(text or "")
    except ValueError:
        return datetime(1970, 1, 1, tzinfo=timezone.utc)
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).astimezone(timezone.utc)


def event(rec: MeetingRecord, sequence: int, fallback_zone: ZoneInfo, page_url: str | None = None) -> Event:
    """One VEVENT: all-day dates (DTEND the day after the last) or, with a time, an instant in its zone."""
    ev = Event()
    ev.add("uid", uid(rec))
    ev.add("dtstamp", _stamp(rec.updated))
    ev.add("sequence", sequence)
    ev.add("summary", summary(rec))
    instant = rec.start_instant(fallback_zone)
    if instant is not None and not rec.is_span():
        ev.add("dtstart", instant)
    else:
        ev.add("dtstart", rec.start)  # a date: VALUE=DATE
        ev.add("dtend", (rec.end or rec.start) + timedelta(days=1))  # exclusive
    if rec.location:
        ev.add("location", rec.location)
    ev.add("description", description(rec, page_url))
    if page_url:
        ev.add("url", page_url)
    if rec.status == "cancelled":
        ev.add("status", "CANCELLED")
    else:  # only a confirmed meeting is CONFIRMED; planned and possible ones may still change
        ev.add("status", "CONFIRMED" if rec.certainty == "confirmed" else "TENTATIVE")
    ev.add("categories", [kind_label(rec.kind)])
    return ev


def build_calendar(records: list[MeetingRecord], sequences: dict[int, int], *, fallback_zone: ZoneInfo,
                   name: str = "Summits", page_url=None) -> bytes:
    """The calendar as bytes (CRLF lines, folded); meetings not known to the day are left out.

    Each VEVENT's text is kept (EVENT_CACHE of them, keyed by everything it is made from), so a feed that is
    fetched again costs the events that changed, not all of them again.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    events, zones = [], {}
    for rec in records:
        if not exportable(rec):
            continue
        url = page_url(rec) if page_url else None
        sequence = sequences.get(rec.id, 0)
        events.append(_event_text(rec, sequence, fallback_zone, url))
        instant = rec.start_instant(fallback_zone)
        if instant is not None and not rec.is_span():
            zones.setdefault(str(instant.tzinfo), instant)
    for instant in zones.values():  # each zone's VTIMEZONE, as the events written on their own would need
        probe = Event()
        probe.add("dtstart", instant)
        cal.add_component(probe)
    cal.add_missing_timezones()
    cal.subcomponents = [c for c in cal.subcomponents if c.name == "VTIMEZONE"]
    head, end = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    return b"".join([head, *events, b"END:VCALENDAR", end])


EVENT_CACHE = 20_000
_events: OrderedDict[tuple, bytes] = OrderedDict()


def _event_text(rec: MeetingRecord, sequence: int, fallback_zone: ZoneInfo, url: str | None) -> bytes:
    key = (rec.id, rec.kind, tuple(rec.participants), rec.name, rec.location, rec.start, rec.end, rec.time,
           rec.tz, rec.precision, rec.certainty, rec.status, rec.updated, sequence, str(fallback_zone), url)
    text = _events.get(key)
    if text is None:
        text = _events[key] = event(rec, sequence, fallback_zone, url).to_ical()
        if len(_events) > EVENT_CACHE:
            _events.popitem(last=False)
    else:
        _events.move_to_end(key)
    return text


def _span(rec: MeetingRecord, fallback_zone: ZoneInfo) -> tuple[date | datetime, date | datetime]:
    instant = rec.start_instant(fallback_zone)
    if instant is not None and not rec.is_span():
        return instant, instant + TIMED_LENGTH
    return rec.start, (rec.end or rec.start) + timedelta(days=1)


def google_link(rec: MeetingRecord, fallback_zone: ZoneInfo, page_url: str | None = None) -> str | None:
    """Google Calendar's event template link; None when the meeting is not known to the day."""
    if not exportable(rec):
        return None
    start, end = _span(rec, fallback_zone)
    if isinstance(start, datetime):
        fmt = lambda d: d.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")  # noqa: E731
    else:
        fmt = lambda d: d.strftime("%Y%m%d")  # noqa: E731
    query = {"action": "TEMPLATE", "text": summary(rec), "dates": f"{fmt(start)}/{fmt(end)}",
             "details": description(rec, page_url), "location": rec.location or ""}
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_link(rec: MeetingRecord, fallback_zone: ZoneInfo, page_url: str | None = None) -> str | None:
    """Outlook on the web's compose link; None when the meeting is not known to the day."""
    if not exportable(rec):
        return None
    start, end = _span(rec, fallback_zone)
    query = {"path": "/calendar/action/compose", "rru": "addevent", "subject": summary(rec),
             "body": description(rec, page_url), "location": rec.location or ""}
    if isinstance(start, datetime):
        query.update(startdt=start.isoformat(), enddt=end.isoformat())
    else:
        query.update(startdt=start.isoformat(), enddt=end.isoformat(), allday="true")
    return "https://outlook.live.com/calendar/0/deeplink/compose?" + urlencode(query)
