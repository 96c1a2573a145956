"""Read-only queries behind the calendar views and exports: filters, a date window, bounded pages."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Mapping
from urllib.parse import urlencode

from bot.models import CERTAINTIES, KINDS, Change, MeetingRecord
from bot.names import name_key
from bot.store import Store

MAX_TEXT = 100  # longest accepted filter value, in characters
MAX_ROWS = 2000  # most meetings one query returns, whatever the caller asks
LONGEST_SPAN = timedelta(days=366)  # a meeting known only to its year spans 365 days; none spans more


class BadFilter(ValueError):
    """A filter value that cannot be used; the message names the parameter and what it accepts."""


@dataclass(frozen=True)
class Filters:
    """What the reader narrowed the calendar to; every field is optional."""

    who: str = ""
    country: str = ""
    kind: str = ""
    certainty: str = ""
    q: str = ""

    def query(self, **extra) -> str:
        """The filters (and extras) as a URL query string, empty values left out."""
        pairs = {k: v for k, v in {**self.__dict__, **extra}.items() if v not in ("", None)}
        return urlencode(pairs)

    def active(self) -> bool:
        return any(self.__dict__.values())

    def without(self, name: str) -> "Filters":
        return replace(self, **{name: ""})


def parse_filters(params: Mapping[str, str]) -> Filters:
    """Filters from URL query or CLI options; BadFilter for an unknown kind or certainty or an overlong value."""
    values = {}
    for key in ("who", "country", "kind", "certainty", "q"):
        raw = params.get(key) or ""
        text = " ".join(str(raw).split())
        if len(text) > MAX_TEXT:
            raise BadFilter(f"`{key}` is longer than {MAX_TEXT} characters")
        if any(ord(c) < 32 for c in str(raw) if c not in "\t\n\r"):
            raise BadFilter(f"`{key}` contains control characters")
        values[key] = text
    if values["kind"] and values["kind"] not in KINDS:
        raise BadFilter(f"`kind` must be one of {', '.join(KINDS)}")
    if values["certainty"] and values["certainty"] not in CERTAINTIES:
        raise BadFilter(f"`certainty` must be one of {', '.join(CERTAINTIES)}")
    return Filters(**values)


def parse_month(value: str | None, default: date) -> date:
    """'2025-10' -> date(2025, 10, 1); BadFilter when malformed or outside 1900-2200."""
    if not value:
        return default.replace(day=1)
    try:
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
    except (ValueError, TypeError):
        raise BadFilter("`month` must look like 2025-10") from None
    if not 1900 <= year <= 2200:
        raise BadFilter("`month` must be between 1900 and 2200")
    return first


def parse_day(value: str | None, default: date) -> date:
    """'2025-10-31' -> that date; BadFilter when malformed or outside 1900-2200."""
    if not value:
        return default
    try:
        day = date.fromisoformat(value)
    except (ValueError, TypeError):
        raise BadFilter("`from` must be a date like 2025-10-31") from None
    if not 1900 <= day.year <= 2200 or len(value) != 10:
        raise BadFilter("`from` must be a date like 2025-10-31, between 1900 and 2200")
    return day


def parse_page(value: str | None, last: int = 1000) -> int:
    if not value:
        return 1
    if not value.isdigit() or not 1 <= int(value) <= last:
        raise BadFilter(f"`page` must be a number from 1 to {last}")
    return int(value)


class CalendarQuery:
    """Meetings for calendar views: overlapping a window, matching Filters, in date order."""

    def __init__(self, store: Store):
        self.store = store

    def meetings(self, filters: Filters, *, start: date | None = None, end: date | None = None,
                 limit: int = 200, offset: int = 0, include_undated: bool = False) -> list[MeetingRecord]:
        """Meetings whose dates overlap [start, end] (either bound open), matching every filter."""
        where, params = self._where(filters, start, end, include_undated)
        limit = max(1, min(int(limit), MAX_ROWS))
        if not filters.country:
            return self.store.meetings(where, params, order='start, "end", id', limit=limit + offset)[offset:]
        # A country is matched in Python (venue, participants, leaders' states), batch by batch in date order.
        found: list[MeetingRecord] = []
        skipped = 0
        batch, read = 500, 0
        while len(found) < limit:
            rows = self._batch(where, params, batch, read)
            if not rows:
                break
            read += len(rows)
            for rec in rows:
                if _in_country(rec, filters.country):
                    if skipped < offset:
                        skipped += 1
                    else:
                        found.append(rec)
        return found[:limit]

    def _batch(self, where: str, params: list, size: int, skip: int) -> list[MeetingRecord]:
        """Rows skip+1 .. skip+size of the matching meetings in date order."""
        ids = [r[0] for r in self.store.db.execute(
            f'SELECT id FROM meetings WHERE {where} ORDER BY start, "end", id LIMIT ? OFFSET ?',
            [*params, size, skip]).fetchall()]
        if not ids:
            return []
        by_id = {r.id: r for r in self.store.meetings(f"id IN ({','.join('?' * len(ids))})", ids)}
        return [by_id[i] for i in ids]

    def sequences(self, ids: list[int]) -> dict[int, int]:
        """How many changes were recorded for each meeting after it was first stored."""
        out: dict[int, int] = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            rows = self.store.db.execute(
                f"""SELECT meeting_id, COUNT(*) FROM changes WHERE field != 'created'
                    AND meeting_id IN ({','.join('?' * len(chunk))}) GROUP BY meeting_id""", chunk).fetchall()
            out.update({mid: n for mid, n in rows})
        return out

    def recent_changes(self, filters: Filters, limit: int = 50) -> list[tuple[int, MeetingRecord, Change]]:
        """The newest changes of meetings matching the filters: (change id, meeting, change)."""
        where, params = self._where(filters, None, None, True)
        limit = max(1, min(int(limit), 200))
        narrowed = f"c.meeting_id IN (SELECT id FROM meetings WHERE {where})" if where != "1" else "1"
        rows = self.store.db.execute(
            f"""SELECT c.id, c.meeting_id, c.at, c.field, c.old, c.new, c.article_id, c.sentence, a.title
                FROM changes c LEFT JOIN articles a ON a.id = c.article_id
                WHERE {narrowed} ORDER BY c.id DESC LIMIT ?""",
            [*params, limit * (5 if filters.country else 1)]).fetchall()
        records = {r.id: r for r in self.store.meetings(
            f"id IN ({','.join('?' * len(rows))})", [r[1] for r in rows])} if rows else {}
        out = []
        for cid, mid, *rest in rows:
            rec = records.get(mid)
            if rec is None or (filters.country and not _in_country(rec, filters.country)):
                continue
            out.append((cid, rec, Change(*rest)))
        return out[:limit]

    def leaders(self, limit: int = 300) -> list[str]:
        """Names of people who take part in some meeting, alphabetically, at most ``limit``."""
        rows = self.store.db.execute(
            """SELECT name FROM people p WHERE EXISTS (SELECT 1 FROM meeting_people mp WHERE mp.person_id = p.id)
               ORDER BY name LIMIT ?""", [limit]).fetchall()
        return [name for (name,) in rows]

    def countries(self, limit: int = 300) -> list[str]:
        """Countries of people who take part in some meeting, alphabetically, at most ``limit``."""
        rows = self.store.db.execute(
            """SELECT DISTINCT country FROM people p WHERE country IS NOT NULL AND country != ''
               AND EXISTS (SELECT 1 FROM meeting_people mp WHERE mp.person_id = p.id)
               ORDER BY country LIMIT ?""", [limit]).fetchall()
        return [country for (country,) in rows]

    def _where(self, filters: Filters, start: date | None, end: date | None,
               include_undated: bool) -> tuple[str, list]:
        where, params = ["1"], []
        if not include_undated:
            where.append("start IS NOT NULL")
        if start is not None:
            # The lower bound on start lets SQLite walk the start index instead of every row.
            where.append('start >= ? AND COALESCE("end", start) >= ?')
            params.extend([(start - LONGEST_SPAN).isoformat(), start.isoformat()])
        if end is not None:
            where.append("start <= ?")
            params.append(end.isoformat())
        if filters.kind:
            where.append("kind = ?")
            params.append(filters.kind)
        if filters.certainty:
            where.append("certainty = ?")
            params.append(filters.certainty)
        if filters.who:
            names = self.store.people_matching(filters.who)
            where.append(_people_clause(len(names)))
            params.extend(names)
        for word in name_key(filters.q).split():
            like = f"%{word}%"
            where.append("""(lower(COALESCE(name, '')) LIKE ? OR lower(COALESCE(location, '')) LIKE ?
                             OR lower(COALESCE(alt_locations, '')) LIKE ? OR replace(kind, '_', ' ') LIKE ?
                             OR id IN (SELECT meeting_id FROM meeting_people WHERE person_id IN
                                       (SELECT id FROM people WHERE lower(name) LIKE ?)))""")
            params.extend([like] * 5)
        return " AND ".join(where), params


def _people_clause(count: int) -> str:
    if count == 0:
        return "0"
    return (f"""id IN (SELECT meeting_id FROM meeting_people WHERE person_id IN
                (SELECT id FROM people WHERE name IN ({','.join('?' * count)})))""")


def _in_country(rec: MeetingRecord, country: str) -> bool:
    """The meeting is held in the country, or one of its sides is the country or one of its leaders."""
    from bot.extract.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    wanted = gaz.country(country) or country
    key = name_key(wanted)
    for place in [rec.location or "", *rec.alt_locations, *rec.participants]:
        if not place:
            continue
        if name_key(place) == key or name_key(gaz.country(place) or "") == key:
            return True
        if name_key(gaz.person_country.get(place, "")) == key:
            return True
    return False
