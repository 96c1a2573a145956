"""The month grid: weeks of days, each meeting drawn as a bar across the days it spans, in lanes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from bot.models import MeetingRecord

MAX_LANES = 8  # rows of bars a week shows; the rest are counted per day and linked to the list


@dataclass
class Bar:
    """One meeting's piece within one week: columns 1-7, and whether it goes on before or after."""

    rec: MeetingRecord
    column: int
    span: int
    continues_before: bool
    continues_after: bool


@dataclass
class Week:
    days: list[date]
    lanes: list[list[Bar]] = field(default_factory=list)
    hidden: dict[int, int] = field(default_factory=dict)  # column -> bars that found no lane

    def more(self) -> list[tuple[int, date, int]]:
        """(column, day, how many) for the days with bars not shown."""
        return [(col, self.days[col - 1], n) for col, n in sorted(self.hidden.items())]


def month_bounds(first: date) -> tuple[date, date]:
    """The Monday on or before the 1st and the Sunday on or after the month's last day."""
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = nxt - timedelta(days=1)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def month_weeks(first: date, records: list[MeetingRecord]) -> list[Week]:
    """Weeks (Mon-Sun) covering the month; meetings known to the day placed on their venue dates."""
    begin, end = month_bounds(first)
    weeks = []
    day = begin
    while day <= end:
        week = Week([day + timedelta(days=i) for i in range(7)])
        week_end = week.days[-1]
        for rec in records:
            if not rec.is_dated_to_the_day():
                continue
            last = rec.end or rec.start
            if rec.start > week_end or last < day:
                continue
            s, e = max(rec.start, day), min(last, week_end)
            bar = Bar(rec, (s - day).days + 1, (e - s).days + 1, rec.start < day, last > week_end)
            _place(week, bar)
        weeks.append(week)
        day += timedelta(days=7)
    return weeks


def _place(week: Week, bar: Bar) -> None:
    """The first lane where the bar's columns are free, else a new lane, else counted as hidden."""
    cols = set(range(bar.column, bar.column + bar.span))
    for lane in week.lanes:
        if all(cols.isdisjoint(range(b.column, b.column + b.span)) for b in lane):
            lane.append(bar)
            return
    if len(week.lanes) < MAX_LANES:
        week.lanes.append([bar])
        return
    for col in cols:
        week.hidden[col] = week.hidden.get(col, 0) + 1


def undated_in_month(first: date, records: list[MeetingRecord]) -> list[MeetingRecord]:
    """Meetings overlapping the month but known only to a week, a month or vaguer."""
    return [r for r in records if r.start is not None and not r.is_dated_to_the_day()]
