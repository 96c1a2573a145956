"""Plain-text wording shared by every renderer (dates, kinds, certainty)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Callable
from urllib.parse import urlsplit

from bot.models import MeetingRecord

KIND_LABELS = {
    "bilateral": "Bilateral meeting",
    "phone_call": "Phone call",
    "multilateral": "Summit",
    "visit": "Visit",
    "talks": "Talks",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def format_day(d: date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def format_when(rec: MeetingRecord) -> str:
    """'Wed 29 Oct 2025', 'Jul–Aug 2025', 'week of 27 Oct 2025', or 'date not known'."""
    s, e = rec.start, rec.end
    if s is None:
        return "date not known"
    if e is None or e == s:
        text = format_day(s)
        return f"{text} {rec.time}" if rec.time else text
    if s.day == 1 and _is_month_end(e):
        if (s.year, s.month) == (e.year, e.month):
            return f"{s:%B %Y}"
        if s.month == 1 and e.month == 12 and s.year == e.year:
            return f"{s.year}"
        if s.year == e.year:
            return f"{s:%b}–{e:%b %Y}"
        return f"{s:%b %Y}–{e:%b %Y}"
    if s.year == e.year and s.month == e.month:
        return f"{s.day}–{e.day} {s:%b %Y}"
    if s.year == e.year:
        return f"{s.day} {s:%b} – {e.day} {e:%b %Y}"
    return f"{format_day(s)} – {format_day(e)}"


def _is_month_end(d: date) -> bool:
    return (d + timedelta(days=1)).day == 1


def status_note(rec: MeetingRecord) -> str:
    """A short flag for anything but a plain upcoming meeting."""
    if rec.status == "cancelled":
        return "CANCELLED"
    if rec.status == "postponed":
        return "postponed"
    if rec.status == "past":
        return "past"
    return ""


def one_line(rec: MeetingRecord) -> str:
    """'#3 Bilateral meeting: Donald Trump – Lee Jae-myung · Wed 29 Oct 2025 · Gyeongju · confirmed'."""
    parts = [f"#{rec.id} {kind_label(rec.kind)}: {rec.title}", format_when(rec)]
    if rec.location:
        parts.append(rec.location)
    parts.append(rec.certainty)
    note = status_note(rec)
    if note:
        parts.append(note)
    return " · ".join(parts)


# -- untrusted text from articles ------------------------------------------------------------


def single_line(text: str | None) -> str:
    """Untrusted text on one line, without control characters (no terminal escapes, no line tricks)."""
    if not text:
        return ""
    return " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())


def linkable_url(url: str | None) -> str | None:
    """A stored URL a renderer may link to (http or https, with a host, printable, no spaces), or None."""
    if not url:
        return None
    url = url.strip()
    if any(not ch.isprintable() or ch.isspace() for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


# -- history ------------------------------------------------------------------------------------


def _as_is(text: str | None) -> str:
    return text or ""


def old_to_new(old: str | None, new: str | None, clean: Callable[[str | None], str] = _as_is) -> str:
    """'Seoul → Gyeongju', '—' standing for a missing value; ``clean`` escapes each value for a renderer."""
    return f"{clean(old) or '—'} → {clean(new) or '—'}"


def change_text(field: str, old: str | None, new: str | None, clean: Callable[[str | None], str] = _as_is) -> str:
    """How one history entry reads: 'first reported', or 'location: Seoul → Gyeongju'."""
    if field == "created":
        return "first reported"
    return f"{clean(field)}: {old_to_new(old, new, clean)}"


def change_stamp(at: str | None) -> str:
    """A change's UTC time to the minute: '2025-10-21 09:00'."""
    return (at or "")[:16].replace("T", " ")
