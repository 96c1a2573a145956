"""Calendar arithmetic for the time resolver: month ends, month shifts, calendar weeks, quarters and years."""

from __future__ import annotations

import calendar
import functools
from datetime import date, timedelta


GRAINS = ("day", "week", "month", "quarter", "year")
_RANK = {g: i for i, g in enumerate(GRAINS)}
Span = tuple[date, date]


@functools.lru_cache(maxsize=4096)  # every yearless month or day asks for the same few dozen month ends
def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _month_span(y: int, m: int) -> Span:
    return date(y, m, 1), _month_end(y, m)


def _add_months(d: date, n: int) -> date:
    y, m0 = divmod(d.year * 12 + d.month - 1 + n, 12)
    return date(y, m0 + 1, min(d.day, calendar.monthrange(y, m0 + 1)[1]))


def _shift(d: date, n: int, unit: str, ceil: bool = False) -> date:
    """d moved by n units; hours count in whole days (rounded toward d, or away with ceil: a window)."""
    if unit == "hour":
        days = -(-abs(n) // 24) if ceil else abs(n) // 24
        return d + timedelta(days=days if n >= 0 else -days)
    if unit == "day":
        return d + timedelta(days=n)
    if unit in ("week", "fortnight"):
        return d + timedelta(weeks=n * (2 if unit == "fortnight" else 1))
    return _add_months(d, n * (12 if unit == "year" else 3 if unit == "quarter" else 1))


def _day_in_months(base: date, day: int, months: range) -> list[date]:
    """Day number `day` of each month `k` months from base's, for k in months, where that month has it."""
    out = []
    for k in months:
        try:
            out.append(_add_months(base.replace(day=1), k).replace(day=day))
        except ValueError:  # the 31st of a 30-day month
            continue
    return out


def _grain(unit: str) -> str:
    """The grain a counted unit gives: a fortnight is weeks, hours are days."""
    return {"fortnight": "week", "hour": "day"}.get(unit, unit)


def _shift_span(s: date, e: date, months: int) -> Span:
    """Move a span by whole months, keeping a month-end a month-end (Feb 28 -> Feb 29)."""
    e2 = _add_months(e, months)
    if e == _month_end(e.year, e.month):
        e2 = _month_end(e2.year, e2.month)
    return _add_months(s, months), e2


def _week_span(d: date) -> Span:
    mon = d - timedelta(days=d.weekday())
    return mon, mon + timedelta(days=6)


def _quarter_span(y: int, q: int) -> Span:
    return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)


def _reported_quarter(d: date, years_back: int = 0) -> Span:
    """The quarter last completed before d (the one companies report on), moved back by whole years."""
    last = _quarter_span(d.year, (d.month - 1) // 3 + 1)[0] - timedelta(days=1)
    return _quarter_span(last.year - years_back, (last.month - 1) // 3 + 1)


def _unit_span(base: date, unit: str, step: int) -> Span:
    """The calendar week/month/quarter/year containing base, moved by step units."""
    if unit == "week":
        return _week_span(base + timedelta(weeks=step))
    if unit == "month":
        d = _add_months(base.replace(day=1), step)
        return _month_span(d.year, d.month)
    if unit == "quarter":
        d = _add_months(base.replace(day=1), 3 * step)
        return _quarter_span(d.year, (d.month - 1) // 3 + 1)
    return date(base.year + step, 1, 1), date(base.year + step, 12, 31)
