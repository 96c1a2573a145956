"""Read-only queries behind the calendar views and exports: filters, a date window, bounded pages."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Mapping
from urllib.parse import urlencode

from bot.models import CERTAINTIES, DAY_PRECISIONS, KINDS, Change, MeetingRecord
from bot.names import name_key
from bot.store import Store, fts_match

MAX_TEXT = 100  # longest accepted filter value, in characters
MAX_ROWS = 2000  # most meetings one query returns, whatever the caller asks
# Meetings longer than this are in the schema's partial index meetings_long_span (julianday("end") -
# julianday(start) > 120); a shorter one overlapping a day starts at most this long before it.
SHORT_SPAN = timedelta(days=120)
_LONG = 'julianday("end") - julianday(start) > 120'
_ORDER = 'start, "end", id'
CHANGE_SCAN = 5000  # newest changes a feed of changes looks through before it asks the filter's meetings instead


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


@dataclass(frozen=True)
class Span:
    """Where a meeting sits in the calendar, without its details: enough to lay out a month."""

    id: int
    start: date
    end: date | None
    precision: str

    @classmethod
    def from_row(cls, row: tuple) -> "Span":
        return cls(row[0], date.fromisoformat(row[1]), date.fromisoformat(row[2]) if row[2] else None, row[3] or "day")

    def is_dated_to_the_day(self) -> bool:
        """As MeetingRecord.is_dated_to_the_day: one day or a span of days, not a week, month or vaguer."""
        return self.precision in DAY_PRECISIONS and (self.end is None or self.end >= self.start)


class CalendarQuery:
    """Meetings for calendar views: overlapping a window, matching Filters, in date order.

    A page is chosen from the index on (start, end, precision, kind, certainty) with the filters applied in
    SQL (a country through a registered function), and only that page's meetings are then read in full.
    """

    def __init__(self, store: Store):
        self.store = store
        store.db.conn.create_function("calendar_in_country", 3, _places_in_country, deterministic=True)

    def meetings(self, filters: Filters, *, start: date | None = None, end: date | None = None,
                 limit: int = 200, offset: int = 0) -> list[MeetingRecord]:
        """Meetings whose dates overlap [start, end] (either bound open), matching every filter, in date order."""
        limit = min(int(limit), MAX_ROWS)
        ids = [span.id for span in self.spans(filters, start=start, end=end, limit=limit, offset=offset)]
        found = {rec.id: rec for rec in self.store.meetings_by_id(ids)}
        return [found[i] for i in ids if i in found]

    def spans(self, filters: Filters, *, start: date | None = None, end: date | None = None,
              limit: int = 200, offset: int = 0, extra: tuple[str, list] | None = None) -> list[Span]:
        """The Span of each meeting :meth:`meetings` returns (at most MAX_ROWS, or ``limit`` when it is more);
        ``extra`` is one more SQL condition on meetings, with its parameters."""
        where, params = self._where(filters)
        if extra is not None:
            where, params = f"{where} AND {extra[0]}", [*params, *extra[1]]
        limit, offset = max(1, int(limit)), max(0, int(offset))
        upper = ([end.isoformat()] if end is not None else [])
        if start is None:
            return self._spans(f"start IS NOT NULL {'AND start <= ?' if end else ''} AND {where}",
                               [*upper, *params], limit, offset)
        # Those under way on `start` (begun before it) come first, then those from `start` on, in index order.
        # The few under way are found by their dates alone (index entries only), then filtered by id.
        day, early = start.isoformat(), (start - SHORT_SPAN).isoformat()
        ongoing = {s.id: s for s in [
            *self._spans('start >= ? AND start < ? AND COALESCE("end", start) >= ?', [early, day, day], ordered=False),
            # '+start': the long spans' partial index on "end" is the way in, not every start before.
            *self._spans(f'{_LONG} AND "end" >= ? AND +start < ?', [day, early], ordered=False)]}
        if ongoing and where != "1":
            keep = {i for (i,) in self.store.db.execute(
                f"SELECT id FROM meetings WHERE id IN (SELECT value FROM json_each(?)) AND {where}",
                [json.dumps(list(ongoing)), *params])}
            ongoing = {i: s for i, s in ongoing.items() if i in keep}
        before = sorted(ongoing.values(), key=lambda s: (s.start, s.end or s.start, s.id))
        page = before[offset:offset + limit]
        rest = self._spans(f"start >= ? {'AND start <= ?' if end else ''} AND {where}", [day, *upper, *params],
                           limit - len(page), max(0, offset - len(before))) if len(page) < limit else []
        return page + rest

    def _spans(self, where: str, params: list, limit: int | None = None, offset: int = 0,
               ordered: bool = True) -> list[Span]:
        sql = f'SELECT id, start, "end", precision FROM meetings WHERE {where}' + (f" ORDER BY {_ORDER}" if ordered else "")
        if limit is not None:
            sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
        return [Span.from_row(row) for row in self.store.db.execute(sql, params)]

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
        where, params = self._where(filters)
        limit = max(1, min(int(limit), 200))
        columns = "c.id, c.meeting_id, c.at, c.field, c.old, c.new, c.article_id, c.sentence, a.title"
        rows: list = []
        if where == "1" or not filters.who:
            # The newest CHANGE_SCAN changes, newest first, each meeting looked up by id until the page is full:
            # a filter that many meetings pass (a kind, a country, a common word) fills it from the first few.
            rows = self.store.db.execute(
                f"""SELECT {columns} FROM (SELECT * FROM changes ORDER BY id DESC LIMIT {CHANGE_SCAN}) c
                    LEFT JOIN articles a ON a.id = c.article_id
                    WHERE EXISTS (SELECT 1 FROM meetings WHERE id = c.meeting_id AND {where})
                    ORDER BY c.id DESC LIMIT ?""", [*params, limit]).fetchall()
        exhausted = self.store.db.execute(f"SELECT id FROM changes ORDER BY id DESC LIMIT 1 OFFSET {CHANGE_SCAN}"
                                          ).fetchone() is None  # the walk above saw every change there is
        if len(rows) < limit and where != "1" and (filters.who or not exhausted):
            # A narrow filter (a leader, a rare place): its meetings first, then their changes by the meeting index.
            rows = self.store.db.execute(
                f"""SELECT {columns} FROM changes c LEFT JOIN articles a ON a.id = c.article_id
                    WHERE c.meeting_id IN (SELECT id FROM meetings WHERE {where}) ORDER BY c.id DESC LIMIT ?""",
                [*params, limit]).fetchall()
        records = {r.id: r for r in self.store.meetings_by_id(sorted({r[1] for r in rows}))}
        return [(cid, records[mid], Change(*rest)) for cid, mid, *rest in rows if mid in records]

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

    def _where(self, filters: Filters) -> tuple[str, list]:
        """The filters as one SQL condition on meetings (no dates), and its parameters."""
        where, params = ["1"], []
        if filters.kind:
            where.append("kind = ?")
            params.append(filters.kind)
        if filters.certainty:
            where.append("certainty = ?")
            params.append(filters.certainty)
        if filters.who:
            names = self.store.people_matching(filters.who)
            where.append(people_clause(len(names)))
            params.extend(names)
        if filters.country:
            where.append(self._country_clause(country_key(filters.country)))
            params.extend(self._country_params(country_key(filters.country)))
        match = fts_match(filters.q)
        if match is not None:
            # The search index's words (name, participants, places, kind), as `/summits search` finds them.
            # '+id': the dates' index stays the way in, each row's id looked up in the matches.
            where.append("+id IN (SELECT rowid FROM meetings_fts WHERE meetings_fts MATCH ?)")
            params.append(match)
        return " AND ".join(where), params


    @staticmethod
    def _country_clause(key: str) -> str:
        # Every test probes a list made beforehand, so walking the dates' index never reads a meeting's row.
        return """(location IN (SELECT value FROM json_each(?)) OR +id IN (SELECT meeting_id FROM meeting_people
                   WHERE person_id IN (SELECT value FROM json_each(?))) OR +id IN (SELECT id FROM meetings
                   WHERE alt_locations IS NOT NULL AND alt_locations != '[]'
                     AND calendar_in_country(?, NULL, alt_locations)))"""

    def _country_params(self, key: str) -> list:
        """Held there (a venue in it, or an alternative venue), or a side is the country or one of its leaders."""
        venues = [v for (v,) in self.store.db.execute("SELECT DISTINCT location FROM meetings")
                  if v and _place_in_country(v, key)]
        people = [i for i, name in self.store.db.execute("SELECT id, name FROM people") if _place_in_country(name, key)]
        return [json.dumps(venues), json.dumps(people), key]


def people_clause(count: int) -> str:
    """SQL: the meeting's participants include one of ``count`` names (given as parameters)."""
    if count == 0:
        return "0"
    return (f"""id IN (SELECT meeting_id FROM meeting_people WHERE person_id IN
                (SELECT id FROM people WHERE name IN ({','.join('?' * count)})))""")


def _gazetteer():
    from bot.extract.gazetteer import load_gazetteer

    return load_gazetteer()


def load_places() -> None:
    """Read the gazetteer the country filter uses now (about half a second), not on the first request with one."""
    _gazetteer()


def country_key(country: str) -> str:
    """The name key of the country a filter names ('Korea', 'KL' -> its country's key, else the text's own)."""
    return name_key(_gazetteer().country(country) or country)


@lru_cache(maxsize=8192)
def _place_in_country(place: str, key: str) -> bool:
    """The place (a venue or a side) is the country, in it, or one of its leaders."""
    gaz = _gazetteer()
    return bool(key) and key in (name_key(place), name_key(gaz.country(place) or ""), name_key(gaz.person_country.get(place, "")))


@lru_cache(maxsize=8192)
def _places_in_country(key: str, location: str | None, alt_locations: str | None) -> int:
    """SQL's calendar_in_country(key, place, JSON list of more places): 1 when one of them is in the country."""
    try:
        more = json.loads(alt_locations) if alt_locations else []
    except ValueError:
        more = []
    places = [location, *(p for p in more if isinstance(p, str))] if isinstance(more, list) else [location]
    return int(any(p and _place_in_country(p, key) for p in places))
