"""The month grid: weeks of days, each meeting drawn as a bar across the days it spans, in lanes.

The grid is laid out from Spans (dates only); the meetings behind the bars it shows are read afterwards,
so a busy month costs the bars drawn, not the meetings it holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Iterable

from bot.calendar_query import Span
from bot.format import format_when, kind_label

MAX_LANES = 8  # rows of bars a week shows; the rest are counted per day and linked to the list


@dataclass
class Bar:
    """One meeting's piece within one week: columns 1-7, and whether it goes on before or after.

    ``rec`` is the meeting's Span while the grid is laid out, then its MeetingRecord (see :func:`fill`).
    """

    rec: Any
    column: int
    span: int
    continues_before: bool
    continues_after: bool
    css: str = ""  # what the template shows, worked out once by fill()
    label: str = ""
    note: str = ""


@dataclass
class Week:
    days: list[date]
    lanes: list[list[Bar]] = field(default_factory=list)
    hidden: dict[int, int] = field(default_factory=dict)  # column -> bars that found no lane
    used: list[int] = field(default_factory=list, repr=False)  # per lane, a bit per column taken

    def more(self) -> list[tuple[int, date, int]]:
        """(column, day, how many) for the days with bars not shown."""
        return [(col, self.days[col - 1], n) for col, n in sorted(self.hidden.items())]

    def bars(self) -> Iterable[Bar]:
        return (bar for lane in self.lanes for bar in lane)


def month_bounds(first: date) -> tuple[date, date]:
    """The Monday on or before the 1st and the Sunday on or after the month's last day."""
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    last = nxt - timedelta(days=1)
    return first - timedelta(days=first.weekday()), last + timedelta(days=6 - last.weekday())


def month_weeks(first: date, spans: list[Span]) -> list[Week]:
    """Weeks (Mon-Sun) covering the month; meetings known to the day placed on their venue dates, in the
    order given (date order), each in the first lane free on all its days of the week."""
    begin, end = month_bounds(first)
    weeks = [Week([begin + timedelta(days=7 * w + i) for i in range(7)]) for w in range((end - begin).days // 7 + 1)]
    for span in spans:
        if not span.is_dated_to_the_day():
            continue
        last = span.end or span.start
        if span.start > end or last < begin:
            continue
        first_week = max(0, (span.start - begin).days // 7)
        last_week = min(len(weeks) - 1, (last - begin).days // 7)
        for week in weeks[first_week:last_week + 1]:
            monday, sunday = week.days[0], week.days[-1]
            s, e = max(span.start, monday), min(last, sunday)
            _place(week, Bar(span, (s - monday).days + 1, (e - s).days + 1, span.start < monday, last > sunday))
    return weeks


def _place(week: Week, bar: Bar) -> None:
    """The first lane where the bar's columns are free, else a new lane, else counted as hidden."""
    mask = ((1 << bar.span) - 1) << (bar.column - 1)
    for i, used in enumerate(week.used):
        if not used & mask:
            week.used[i] |= mask
            week.lanes[i].append(bar)
            return
    if len(week.lanes) < MAX_LANES:
        week.used.append(mask)
        week.lanes.append([bar])
        return
    for col in range(bar.column, bar.column + bar.span):
        week.hidden[col] = week.hidden.get(col, 0) + 1


def undated_in_month(first: date, spans: list[Span]) -> list[Span]:
    """Meetings overlapping the month itself (not the grid's days around it) known only to a week, a month or
    vaguer."""
    nxt = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return [s for s in spans if not s.is_dated_to_the_day() and (s.end or s.start) >= first and s.start < nxt]


def fill(weeks: list[Week], records: dict[int, Any]) -> None:
    """Put each bar's meeting record in place of its Span (a bar whose meeting is gone is dropped), with the
    strings the template shows: its classes (place, row, certainty, status, edges), label and note."""
    for week in weeks:
        week.lanes = [[b for b in lane if b.rec.id in records] for lane in week.lanes]
        for row, lane in enumerate(week.lanes, start=2):
            for bar in lane:
                rec = bar.rec = records[bar.rec.id]
                bar.css = (f"c{bar.column} s{bar.span} r{row} {rec.certainty} status-{rec.status}"
                           + (" before" if bar.continues_before else "") + (" after" if bar.continues_after else ""))
                bar.label = f"{kind_label(rec.kind)}: {rec.title}"
                bar.note = f"{format_when(rec)}, {rec.certainty}" + (
                    f", {rec.status}" if rec.status != "upcoming" else "")
