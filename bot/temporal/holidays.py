"""Rules for holidays (Christmas, New Year, Thanksgiving, Easter, US Election Day) and the nth weekday of a month."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from .calendar_math import _add_months, _month_end, Span
from .lexicon import _low, _MON, _MONTHS, _WD, _WEEKDAYS, _year
from .rules import _after, _before, _cap_ok, _Cx, _inferred, _rule, _Val


_HOLIDAYS = {"christmas eve": (12, 24), "christmas": (12, 25), "christmas day": (12, 25),
             "new year's eve": (12, 31), "new year's": (1, 1), "new year's day": (1, 1),
             "new year": (1, 1), "new year day": (1, 1), "new year eve": (12, 31)}


def _easter(y: int) -> date:
    """Western Easter Sunday (the anonymous Gregorian computus)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month, day = divmod(h + l_ - 7 * m + 114, 31)
    return date(y, month, day + 1)


_EASTER_OFFSETS = {"good friday": -2, "easter": 0, "easter sunday": 0, "easter monday": 1}


@_rule(rf"\b(?P<h>christmas(?:\s+(?:eve|day))?|new\s+year(?:'s)?(?:\s+(?:eve|day))?|thanksgiving(?:\s+day)?"
       rf"|good\s+friday|easter(?:\s+(?:sunday|monday))?|election\s+day)"
       rf"(?:,?\s+{_year('y')})?\b", cues=("christmas", "year", "thanksgiving", "friday", "easter", "election"))
def _holiday(m: re.Match, cx: _Cx) -> _Val | None:
    """Christmas (Eve), New Year's (Eve/Day), US Thanksgiving, Easter (Western), Good Friday, US Election Day."""
    if not _cap_ok(m["h"], cx) or re.search(r"\b(?:lunar|chinese|orthodox|persian)\s+$", _before(m, cx), re.I):
        return None
    name = " ".join(_low(m["h"]).split())
    if name == "new year" and m["h"].islower() and not m["y"] and re.search(r"\bthe\s+$", _before(m, cx), re.I):
        # "talks will resume in the new year": early in the coming year, not New Year's Day
        y = cx.ref.year + 1 if cx.ref.month >= 7 else cx.ref.year
        start = max(date(y, 1, 1), cx.ref)
        return _Val(start, date(y, 4, 30), "year") if start <= date(y, 4, 30) else None
    if name in _EASTER_OFFSETS:
        if re.match(r"\s+(?:egg|bunny|rising|island|islands|uprising)\b", _after(m, cx), re.I):
            return None  # "Easter Island", "the Easter Rising": names, not the day

        def make(y: int) -> Span:
            d = _easter(y) + timedelta(days=_EASTER_OFFSETS[name])
            return d, d
        return _inferred(cx, make, "day", m["y"])
    if name.startswith("thanksgiving"):
        def make(y: int) -> Span:
            nov1 = date(y, 11, 1)
            d = nov1 + timedelta(days=(3 - nov1.weekday()) % 7 + 21)  # fourth Thursday
            return d, d
    elif name == "election day":
        if not cx.lenient and not m["h"][-3].isupper():
            return None  # "on election day" is any election's; "Election Day" the US one

        def make(y: int) -> Span:
            nov1 = date(y, 11, 1)
            d = nov1 + timedelta(days=(0 - nov1.weekday()) % 7 + 1)  # the Tuesday after the first Monday
            return d, d
    else:
        mo, dd = _HOLIDAYS[name]

        def make(y: int) -> Span:
            return date(y, mo, dd), date(y, mo, dd)
    return _inferred(cx, make, "day", m["y"])


_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "fifth": 5,
        "5th": 5, "last": -1, "final": -1}


@_rule(rf"\b(?:the\s+)?(?P<nth>first|second|third|fourth|fifth|last|final|1st|2nd|3rd|4th|5th)\s+"
       rf"(?P<wd>{_WD}|weekend|week-end)\s+(?:of|in)\s+(?:(?P<mon>{_MON})(?:,?\s+(?:of\s+)?{_year('y')})?"
       rf"|(?:the\s+)?(?P<rel>this|next|last|previous|current|following|coming|the)\s+month\b)", need="any",
       cues=("day", "week"))
def _nth_weekday(m: re.Match, cx: _Cx) -> _Val | None:
    """The first Tuesday in November, the last Monday of March, the last weekend of October (Sat-Sun),
    the first Monday of next month."""
    if not ((m["rel"] or _cap_ok(m["mon"], cx)) and (_cap_ok(m["wd"], cx) or _low(m["wd"]).startswith("week"))):
        return None
    if m["rel"]:
        step = {"next": 1, "following": 1, "coming": 1, "last": -1, "previous": -1}.get(_low(m["rel"]), 0)
        base = _add_months(cx.ref.replace(day=1), step)
        mon, year = base.month, str(base.year)
    else:
        mon, year = _MONTHS[_low(m["mon"])], m["y"]
    nth, name = _NTH[_low(m["nth"])], _low(m["wd"])
    weekend = name.startswith("week")
    wd = 5 if weekend else _WEEKDAYS[name]

    def make(y: int) -> Span:
        if nth > 0:
            first = date(y, mon, 1)
            d = first + timedelta(days=(wd - first.weekday()) % 7 + 7 * (nth - 1))
        else:
            last = _month_end(y, mon)
            d = last - timedelta(days=(last.weekday() - wd) % 7)
        if d.month != mon:
            raise ValueError("no fifth such day that month")
        return d, d + timedelta(days=1 if weekend else 0)
    v = _inferred(cx, make, "day", year)
    return replace(v, grain="week", dated=False) if v and weekend else v
