"""Rules for years and longer: 2019, 2019-20, the 1990s, the 20th century, fiscal years, spelled-out years
(nineteen ninety-six), this decade."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .calendar_math import _add_months
from .lexicon import _FLAGS, _low, _MON, _NOT_QTY, _PART_MOD, _year
from .rules import _after, _before, _Cx, _rule, _two_digit_year, _Val


_YEAR_CTX = re.compile(
    r"(?:\b(?:in|since|by|until|till|before|after|during|from|through|throughout|between|for|around|circa|year"
    r"|early|mid|late|end|start|of|the)\s*-?\s*|\(\s*|(?:1\d|20)\d\d\s*,?\s*(?:and|or|to|through|until|-)\s*)$", _FLAGS)


_RANGE_ON = re.compile(r"\s*-\s*\d")
# A year that names a plan ("the 2030 Agenda", "the 2050 Strategy for the Blue Pacific Continent"): no date.
_PLAN_NAMED = re.compile(r"\s+(?:Agenda|Strategy|Vision|Plan|Goals|Declaration|Framework|Roadmap|Compact)\b")


@_rule(rf"\b(?:(?P<pp>post|pre)-)?{_year('y')}{_NOT_QTY}", need="digit")
def _bare_year(m: re.Match, cx: _Cx) -> _Val | None:
    """In 2019, since 2019, by 2030, post-1945 (a bare number is a year only after such a word)."""
    if not (cx.lenient or m["pp"] or _YEAR_CTX.search(_before(m, cx))) or _RANGE_ON.match(_after(m, cx)):
        return None  # a year joined to another the range rule refused ("between 1200-1800 troops") is no year
    if not cx.lenient and _PLAN_NAMED.match(_after(m, cx)):
        return None
    y = int(m["y"])
    mod = {"post": "after", "pre": "before"}.get(_low(m["pp"]))  # "post-1959 politics", "pre-2008 levels"
    return _Val(date(y, 1, 1), date(y, 12, 31), "year", mod=mod)


_RANGE_YEARS = 30  # 1939-1945, 1955-1975; not 1200-1800 (a count)


@_rule(r"(?:\b(?P<the>the)\s+)?(?:\b(?P<part>early|mid|late)\s*-?\s*)?"
       r"(?:\b(?P<dec>(?:1\d|20)\d0)'?s|(?P<ap>')(?P<dec2>\d0)s|\b(?P<dec3>\d0)s)\b", need="decade")
def _decade(m: re.Match, cx: _Cx) -> _Val | None:
    """The 1990s, the late 1980s, the '90s ("the 90s" only when it follows "the": "in his 50s" is an age)."""
    if m["dec"]:
        y = int(m["dec"])
    else:
        if m["dec3"] and not (m["the"] or cx.lenient):
            return None
        y = 2000 + int(m["dec2"] or m["dec3"])
        y = y if y <= cx.ref.year else y - 100
    lo, hi = {"early": (0, 3), "mid": (4, 6), "late": (7, 9)}.get(_low(m["part"]), (0, 9))
    return _Val(date(y + lo, 1, 1), date(y + hi, 12, 31), "year", unit="decade", mod=_PART_MOD.get(_low(m["part"])))


@_rule(r"\b(?:the\s+)?(?P<c>1\d|2[01])(?:st|nd|rd|th)[-\s]century\b", need="lenient")
def _century(m: re.Match, cx: _Cx) -> _Val | None:
    """The 20th century: 1900-1999 (as commonly meant, not 1901-2000).  A whole phrase only: in running
    text a century is background, never a meeting date."""
    y = (int(m["c"]) - 1) * 100
    return _Val(date(y, 1, 1), date(y + 99, 12, 31), "year") if cx.lenient else None


@_rule(rf"\b(?P<a>(?:1\d|20)\d\d)(?P<sep>-|/)(?P<b>(?:1\d|20)?\d\d)\b(?![.,/-]?\d){_NOT_QTY}", need="digit")
def _year_range(m: re.Match, cx: _Cx) -> _Val | None:
    """2019-20, 1999/2000, 1850-58: consecutive or increasing years.  Two-digit ends need a year word before;
    two four-digit years at most _RANGE_YEARS apart are years wherever they stand ("Eastern Theater 1861-1863")."""
    a, b = int(m["a"]), m["b"]
    end = int(b) if len(b) == 4 else a - a % 100 + int(b)
    if end <= a or (m["sep"] == "/" and end != a + 1):
        return None
    if not (cx.lenient or (len(b) == 4 and end - a <= _RANGE_YEARS) or _YEAR_CTX.search(_before(m, cx))):
        return None
    return _Val(date(a, 1, 1), date(end, 12, 31), "year")


# Fiscal years: named by the calendar year they end in; they start in the locale's fiscal month.
@_rule(rf"\b(?:(?P<fy>FY)\s?'?(?P<fyn>(?:19|20)?\d\d)\b|fiscal\s+(?:year\s+)?(?P<fn>(?:19|20)\d\d)(?:[-/](?P<fn2>\d\d))?\b"
       r"|(?:the\s+)?(?P<rel>current|this|next|last|previous|coming|past|latest|most\s+recent)\s+fiscal\s+year\b"
       r"|(?P<the>the)\s+fiscal\s+year\b(?!\s+(?:ended|ending|ends|that|which|beginning|starting|begins|to|through"
       r"|(?:19|20)\d\d)\b))",
       need="any", cues=("fy", "fiscal"))
def _fiscal_year(m: re.Match, cx: _Cx) -> _Val | None:
    """FY2026, FY26, fiscal 2026, fiscal year 2025-26, the current fiscal year (value FY2026)."""
    if m["fy"] and not m["fy"].isupper():
        return None
    fm = cx.locale.fiscal_month
    if m["rel"] or m["the"]:  # "the fiscal year" alone: the current one; the latest: the last one completed
        end_year = cx.ref.year + (1 if fm > 1 and cx.ref.month >= fm else 0)
        end_year += {"next": 1, "coming": 1, "last": -1, "previous": -1, "past": -1, "latest": -1,
                     "most recent": -1}.get(_low(m["rel"]), 0)
    elif m["fyn"]:
        end_year = int(m["fyn"]) if len(m["fyn"]) == 4 else _two_digit_year(m["fyn"], cx.ref)
    else:
        end_year = int(m["fn"])
        if m["fn2"]:  # "2025-26": the year it ends in
            if int(m["fn2"]) != (end_year + 1) % 100:
                return None
            end_year += 1
    s = date(end_year - (1 if fm > 1 else 0), fm, 1)
    e = _add_months(s, 12) - timedelta(days=1)
    return _Val(s, e, "year", value=f"FY{end_year}")


_TENS = {"twenties": 20, "thirties": 30, "forties": 40, "fifties": 50, "sixties": 60, "seventies": 70,
         "eighties": 80, "nineties": 90}
_UNITS = "one two three four five six seven eight nine".split()
_TEENS = "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS_WORDS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
               "ninety": 90}
_UNIT_RX = "|".join(_UNITS)
_TWO_DIGITS = (rf"(?:(?:{'|'.join(_TENS_WORDS)})(?:[-\s](?:{_UNIT_RX}))?|{'|'.join(_TEENS)}|oh[-\s](?:{_UNIT_RX}))")


def _words_to_number(words: str) -> int:
    """'ninety-six' -> 96, 'oh five' -> 5, 'eleven' -> 11."""
    n = 0
    for w in re.split(r"[-\s]+", _low(words)):
        n += _TENS_WORDS.get(w, 0) or (_TEENS.index(w) + 10 if w in _TEENS else
                                       _UNITS.index(w) + 1 if w in _UNITS else 0)
    return n


@_rule(rf"\b(?P<yr>the\s+year\s+)?(?:(?P<c>nineteen|twenty)[-\s](?P<yy>{_TWO_DIGITS})"
       rf"|two\s+thousand(?:\s+(?:and\s+)?(?P<ty>{_TWO_DIGITS}|{_UNIT_RX}))?)\b"
       r"|\bthe\s+(?P<dw>twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)\b",
       cues=("nineteen", "twenty", "thousand", "ties"), need="always")
def _spelled_year(m: re.Match, cx: _Cx) -> _Val | None:
    """Nineteen ninety-six, the year two thousand, two thousand and five, the nineties (broadcast transcripts)."""
    if m["dw"]:
        y = 1900 + _TENS[_low(m["dw"])]
        y = y + 100 if y + 100 <= cx.ref.year else y
        return _Val(date(y, 1, 1), date(y + 9, 12, 31), "year", unit="decade")
    if m["c"]:
        y = (1900 if _low(m["c"]) == "nineteen" else 2000) + _words_to_number(m["yy"])
    else:
        y = 2000 + (_words_to_number(m["ty"]) if m["ty"] else 0)
    if not (cx.lenient or m["yr"] or _YEAR_CTX.search(_before(m, cx)) or _MONTH_BEFORE.search(_before(m, cx))):
        return None  # "nineteen twenty" people: a year only after "in", "since", a month ...
    return _Val(date(y, 1, 1), date(y, 12, 31), "year")


_MONTH_BEFORE = re.compile(rf"{_MON}\s*,?\s*(?:of\s+)?$", _FLAGS)


@_rule(r"\b(?:the\s+)?(?P<rel>this|next|last|previous|current|coming|past)\s+(?P<u>decade|century)\b",
       need="always", cues=("decade", "century"))
def _decade_rel(m: re.Match, cx: _Cx) -> _Val:
    """This decade (2020-2029), last decade, next century; the past decade is the ten years to now."""
    rel, unit = _low(m["rel"]), _low(m["u"])
    size = 10 if unit == "decade" else 100
    if rel == "past":
        return _Val(_add_months(cx.ref, -12 * size), cx.ref, "year")
    if rel == "coming":
        return _Val(cx.ref, date(cx.ref.year + size, 12, 31), "year")
    step = {"next": 1, "last": -1, "previous": -1}.get(rel, 0)
    y = cx.ref.year - cx.ref.year % size + step * size
    return _Val(date(y, 1, 1), date(y + size - 1, 12, 31), "year", unit=unit)
