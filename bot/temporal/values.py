"""The resolver's public value types (Resolved, Found, Unresolvable) and TIMEX3 value formatting."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from .calendar_math import _month_end, _unit_span


TIMEX_GRAINS = ("instant", "day", "week", "month", "quarter", "half", "season", "year", "decade", "century")
MODS = ("start", "mid", "end", "approx", "before", "after")
VAGUE = ("PRESENT_REF", "PAST_REF", "FUTURE_REF")


@dataclass(frozen=True)
class Resolved:
    """An inclusive date range named by a time expression, with its TIMEX3-style value.

    ``grain`` is the coarse grain callers schedule by (day .. year); ``unit`` the finer TIMEX grain
    (instant, day, week, month, quarter, half, season, year, decade, century; None = read off the span);
    ``mod`` one of MODS; ``zone`` the IANA zone of a clock time; ``vague`` PRESENT_REF, PAST_REF or
    FUTURE_REF for "now", "recently", "soon": no date at all (its span is only the reference day)."""

    start: date
    end: date
    grain: str
    text: str
    time: str | None = None
    unit: str | None = None
    mod: str | None = None
    zone: str | None = None
    vague: str | None = None
    part_of_day: str | None = None  # MO, AF, EV, NI
    timex_value: str | None = None  # set where the span alone cannot say it ("by June": 2025-06, mod before)

    @property
    def timex(self) -> str:
        """The TIMEX3 value: 2025-10-28, 2025-W44, 2025-Q3, 2025-SU, 199X, PRESENT_REF, 2025-10-28TEV."""
        if self.vague:
            return self.vague
        if self.timex_value:
            return self.timex_value
        return timex_value(self.start, self.end, self.unit, self.time, self.part_of_day)

    @property
    def timex_unit(self) -> str | None:
        """The TIMEX grain, read off the span when the rule did not name it (None for a vague value)."""
        if self.vague:
            return None
        if self.unit:
            return self.unit
        if self.time:
            return "instant"
        return _span_unit(self.start, self.end) or self.grain

    def to_json(self, timex: bool = False) -> dict:
        """JSON-ready dict with ISO dates; "time", "zone", "vague" only when set; the TIMEX3 value on request."""
        out = {"text": self.text, "start": self.start.isoformat(), "end": self.end.isoformat(),
               "grain": self.grain}
        if self.time is not None:
            out["time"] = self.time
        if self.zone is not None:
            out["zone"] = self.zone
        if self.vague is not None:
            out["vague"] = self.vague
        if timex:
            out["timex"] = {"value": self.timex, "grain": self.timex_unit, "mod": self.mod,
                            "start": self.start.isoformat(), "end": self.end.isoformat()}
            if self.time and self.zone:
                local = self.instant()
                out["timex"]["instant"] = local.isoformat()  # with its UTC offset: 2025-10-24T21:00:00+02:00
                out["timex"]["utc"] = self.utc()
        return out

    def instant(self) -> datetime | None:
        """The clock time as an aware datetime in its zone, when both are known."""
        if not (self.time and self.zone):
            return None
        from zoneinfo import ZoneInfo
        h, m = map(int, self.time.split(":"))
        return datetime(self.start.year, self.start.month, self.start.day, h, m, tzinfo=ZoneInfo(self.zone))

    def utc(self) -> str | None:
        """The instant in UTC (ISO), when a clock time and its zone are known."""
        local = self.instant()
        if local is None:
            return None
        from zoneinfo import ZoneInfo
        return local.astimezone(ZoneInfo("UTC")).isoformat().replace("+00:00", "Z")


class Unresolvable(ValueError):
    """The phrase is not a time expression this module understands."""


@dataclass(frozen=True)
class Found:
    """A time expression found in a text, with its character offsets; a joined span ("Oct. 31 and Nov. 1",
    "Monday to Wednesday") also gives each date it joins, with its own offsets and value (TIMEX3 marks each)."""

    start_char: int
    end_char: int
    value: Resolved
    parts: tuple[Found, ...] = ()


_SEASON_CODE = {3: "SP", 6: "SU", 9: "FA", 12: "WI"}


def _span_unit(s: date, e: date) -> str | None:
    """The calendar unit a span is exactly (a day, an ISO week, a month ... a century), else None."""
    if s == e:
        return "day"
    if s.weekday() == 0 and (e - s).days == 6:
        return "week"
    if s.day != 1 or e != _month_end(e.year, e.month):
        return None
    months = (e.year - s.year) * 12 + e.month - s.month + 1
    if months == 1:
        return "month"
    if months == 3 and s.month % 3 == 1:
        return "quarter"
    if months == 6 and s.month in (1, 7):
        return "half"
    if s.month != 1 or e.month != 12:
        return None
    if s.year == e.year:
        return "year"
    if s.year % 10 == 0 and e.year == s.year + 9:
        return "decade"
    if s.year % 100 == 0 and e.year == s.year + 99:
        return "century"
    return None


def _unit_value(d: date, unit: str, end: date | None = None) -> str | None:
    """The TIMEX value of the unit containing d."""
    if unit == "day":
        return d.isoformat()
    if unit == "week":
        y, w, _ = d.isocalendar()
        weekend = end is not None and d.weekday() == 5 and (end - d).days == 1
        return f"{y}-W{w:02d}" + ("-WE" if weekend else "")
    if unit == "month":
        return f"{d.year}-{d.month:02d}"
    if unit == "quarter":
        return f"{d.year}-Q{(d.month - 1) // 3 + 1}"
    if unit == "half":
        return f"{d.year}-H{1 if d.month <= 6 else 2}"
    if unit == "season":
        first = 12 if d.month in (12, 1, 2) else (d.month // 3) * 3
        return f"{d.year + (1 if d.month == 12 else 0)}-{_SEASON_CODE[first]}"  # winter: the year of its January
    if unit == "year":
        return str(d.year)
    if unit == "decade":
        return f"{d.year // 10}X"
    if unit == "century":
        return f"{d.year // 100}XX"
    return None


def _window_value(start: date, end: date, unit: str) -> str | None:
    """The TIMEX value of a rolling window of one unit ("the past year", "the next month or so"): the calendar
    unit it mostly covers, as news annotators write it (the past year, on 1998-03-03: 1997)."""
    return _unit_value(start + (end - start) / 2, unit)


def timex_value(start: date, end: date, unit: str | None = None, time: str | None = None,
                part_of_day: str | None = None) -> str:
    """The TIMEX3 value of a span: 2025-10-28T21:00, 2025-10-28TEV, 2025-W44, 2025-Q3, 199X, or start/end."""
    if time:
        return f"{start.isoformat()}T{time}"
    if part_of_day:
        return f"{start.isoformat()}T{part_of_day}"
    u = unit or _span_unit(start, end)
    if u and not (u == "day" and start != end):
        got = _unit_value(start, u, end)
        if got:
            return got
    for u in ("year", "month"):  # a range of whole years or months reads as such: 2019/2020, 2025-07/2025-08
        if start == _unit_span(start, u, 0)[0] and end == _unit_span(end, u, 0)[1]:
            return f"{_unit_value(start, u)}/{_unit_value(end, u)}"
    return f"{start.isoformat()}/{end.isoformat()}"
