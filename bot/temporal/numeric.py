"""Rules for numeric dates: ISO (2025-10-29), a/b/yyyy by locale, yearless a/b, compact forms (2019-07, 2021Q3,
2025-W44, 20250314)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .calendar_math import _month_span, _quarter_span
from .rules import _Cx, _inferred, _rule, _two_digit_year, _Val


@_rule(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0?[1-9]|1[0-2])-(?P<d>0?[1-9]|[12]\d|3[01])"
       r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\w-])",
       need="digit")
def _iso(m: re.Match, cx: _Cx) -> _Val:
    """2025-10-29, 2015-3-3, 2025-10-29T10:00 (the clock time as written, no time-zone shift)."""
    d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _Val(d, d, "day", time=f"{m['hh']}:{m['mm']}" if m["hh"] else None, dated=True)


def _order(a: int, b: int, cx: _Cx) -> tuple[int, int] | None:
    """(month, day) of a numeric a/b: clear when one part is above 12 or both are equal; else by the
    locale's day-first policy; None when the locale is unknown (05/06: June 5 or May 6)."""
    if a == b or (a > 12) != (b > 12):
        return (b, a) if a > 12 else (a, b)
    if a > 12 or cx.locale.dayfirst is None:
        return None
    return (b, a) if cx.locale.dayfirst else (a, b)


@_rule(r"(?<![\w./-])(?:(?P<y>(?:19|20)\d\d)/(?P<ym>0?[1-9]|1[0-2])/(?P<yd>0?[1-9]|[12]\d|3[01])"
       r"|(?P<a>[0-3]?\d)(?P<sep>[/.])(?P<b>[0-3]?\d)(?P=sep)(?P<y2>(?:19|20)\d\d|(?P<yy>\d\d)(?![.]\d)))"
       r"(?![\w]|[./-]\d)", need="digit")
def _numeric(m: re.Match, cx: _Cx) -> _Val | None:
    """2025/10/29; 10/29/2025, 29.10.2025, 17/09/23: the order by the parts (one above 12), else by the
    locale (day-first in most countries, month-first in the US), else refused."""
    if m["y"]:
        y, mo, d = int(m["y"]), int(m["ym"]), int(m["yd"])
    else:
        got = _order(int(m["a"]), int(m["b"]), cx)
        if got is None:
            return None
        (mo, d), y = got, _two_digit_year(m["yy"], cx.ref) if m["yy"] else int(m["y2"])
        if m["yy"] and m["sep"] == "." and not cx.lenient:
            return None  # "1.5.23" in running text is a version number as often as a date
    x = date(y, mo, d)
    return _Val(x, x, "day", dated=True)


@_rule(r"(?<![\w./$-])(?P<a>[01]?\d|3[01]|2\d)/(?P<b>[0-3]?\d)(?![\w%]|[./-]\d)", need="lenient", cues=("/",))
def _numeric_yearless(m: re.Match, cx: _Cx) -> _Val | None:
    """3/14, 14/3 as a whole phrase (in running text a/b is a ratio or a score): the year by tense."""
    if not cx.lenient:
        return None
    got = _order(int(m["a"]), int(m["b"]), cx)
    if got is None:
        return None
    mo, d = got
    return _inferred(cx, lambda y: (date(y, mo, d), date(y, mo, d)), "day", None)


# ISO and compact forms, one line each: (name, pattern, TIMEX unit).  The handler reads the named groups.
_COMPACT = [
    ("year_month", r"(?P<ymy>(?:19|20)\d\d)-(?P<ymm>0[1-9]|1[0-2])(?![\w-]|[.,/]\d)", "month"),
    ("year_quarter", r"(?P<yqy>(?:19|20)\d\d)[-\s]?Q(?P<yqq>[1-4])|Q(?P<qyq>[1-4])[-/](?P<qyy>(?:19|20)\d\d)", "quarter"),
    ("year_half", r"(?P<yhy>(?:19|20)\d\d)[-\s]?H(?P<yhh>[12])", "half"),
    ("iso_week", r"(?P<wy>(?:19|20)\d\d)-?W(?P<ww>0[1-9]|[1-4]\d|5[0-3])", "week"),
    ("basic_date", r"(?P<by>(?:19|20)\d\d)(?P<bm>0[1-9]|1[0-2])(?P<bd>0[1-9]|[12]\d|3[01])", "day"),
]


@_rule(r"(?-i:\b(?:" + "|".join(rx for _, rx, _ in _COMPACT) + r")\b)", need="digit")
def _compact(m: re.Match, cx: _Cx) -> _Val | None:
    """2019-07, 2021Q3, 2021-Q3, Q3/2021, 2026H1, 2025-W44, 20250314."""
    if m["ymy"]:
        y, mo = int(m["ymy"]), int(m["ymm"])
        if mo == y % 100 + 1:
            return None  # "2010-11" is the years 2010 to 2011 (a season, a fiscal year) more often
        s, e = _month_span(y, mo)
        return _Val(s, e, "month", dated=True)
    if m["yqy"] or m["qyq"]:
        y, q = int(m["yqy"] or m["qyy"]), int(m["yqq"] or m["qyq"])
        return _Val(*_quarter_span(y, q), "quarter")
    if m["yhy"]:
        y, h = int(m["yhy"]), int(m["yhh"])
        return _Val(date(y, 1, 1) if h == 1 else date(y, 7, 1), date(y, 6, 30) if h == 1 else date(y, 12, 31), "year",
                    unit="half")
    if m["wy"]:
        monday = date.fromisocalendar(int(m["wy"]), int(m["ww"]), 1)
        return _Val(monday, monday + timedelta(days=6), "week")
    x = date(int(m["by"]), int(m["bm"]), int(m["bd"]))
    return _Val(x, x, "day", dated=True)
