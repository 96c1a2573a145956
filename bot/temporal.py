"""Resolve English news time expressions ("on Wednesday", "Oct. 31 and Nov. 1", "later this year")
against a publication date into inclusive calendar-date ranges.

Approach (pure stdlib, one pass per rule, O(len(text)) per rule):

1. **Atoms.** A table of precompiled regexes (``@_rule``), each mapped to a small handler that turns
   a match into a date range (``_Val``) or rejects it (context checks such as "May" the modal verb,
   "the 24th summit", "2,000 troops").  Every rule scans the (1:1 normalised, ASCII-only) text; all
   accepted matches are candidates, and the longest non-overlapping ones win.
2. **Composition.** Adjacent atoms are glued left to right: a clock time attaches to its day
   ("Tuesday at 3 p.m.", "Monday at 9 a.m. ET"), a weekday that agrees confirms its date ("Oct. 29,
   Wednesday"), a year completes a yearless date before or after it ("November next year", "May of
   last year", "next year's first quarter"), two dates joined by "and / or / to / through / -" become
   one span ("Oct. 31 and Nov. 1", "July or August"), and a preceding modifier shapes the result
   ("by June" -> ref..June 30, "since 2019" -> 2019..ref, "as early as Thursday").
3. **Inference.** A date missing its year (or week, for weekdays) is placed by tense: "future" ->
   next occurrence on/after ref, "past" -> latest on/before ref, None -> the nearest (months,
   dates) or the coming one (weekdays); a weekday written with the date picks the year ("Fri, Jul
   18").  Anaphora ("the following day", "two days later") resolve against the last date found
   earlier in the text, else ``anchor``, else ref.  Within one text, a bare weekday listed after a
   later date follows it ("Japan on Oct. 29 and Malaysia on Friday"; not after "moved to", "said"
   or "although"), and in a past-tense text a yearless day or month told after a written-out year
   follows that year ("in June 2018 ..., then in February" -> February 2019).

Vague expressions become honest ranges: "early/mid/late" are thirds of the month (1-10, 11-20,
21-end), of the year (Jan-Apr, May-Aug, Sep-Dec) or of the week (Mon-Wed, Tue-Thu, Thu-Sun); "in
the coming weeks" is ref..ref+28; "a few days ago" is ref-7..ref-1 and "days later" anchor+1..+7;
"the rest of the year" is ref..Dec 31; "the first/second/last week of June" are 7-day blocks of
the month.  "in two weeks" / "a year ago" are the single day that far away, with the grain of the
unit named (a fortnight counts in weeks, hours in whole days).

Values.  Each result also carries a TIMEX3-style value (``Resolved.timex``: 2025-10-28, 2025-W44,
2025-W43-WE, 2025-11, 2025-Q3, 2025-H2, 2025-SU, 2025, 199X, 19XX, FY2026, 2025-10-28T21:00 with an IANA
``zone``, 2025-10-28TEV for a part of day, a/b for other ranges), its TIMEX grain (``timex_unit``) and a
modifier (start/mid/end for early/mid/late, before for by/until, after for since).  "Now", "currently",
"recently", "in the past", "soon", "in the future" are vague (PRESENT_REF, PAST_REF, FUTURE_REF): no date;
find_dates leaves them out unless asked (``vague=True``), and then marks them.

Locale.  Numeric a/b/yyyy dates are read by their parts when one is above 12, else by the day-first
policy of the outlet's or dateline's country (``locale_for("GB")``; the US and the Philippines write the
month first), and refused when the country is unknown.  The country also gives the fiscal year's first
month (US October, UK/India/Japan April, Australia July; else January) and "local time".  An underspecified
"the end of the year" follows the tense: ahead, the end still to come from now on; back, the one just passed.

Limits: no holidays beyond Christmas, New Year, US Thanksgiving and Western Easter (no lunar calendars);
abbreviated weekdays ("Mon."), yearless a/b dates ("3/14"), bare halves ("the second half") and centuries
resolve only as whole phrases (``resolve``), never inside running text; seasons are northern-hemisphere and
meteorological (winter = Dec-Feb); zones come from a small table of abbreviations and capitals.
"""

from __future__ import annotations

import calendar
import functools
import logging
import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Callable

__all__ = ["Found", "Locale", "Resolved", "Unresolvable", "find_dates", "locale_for", "resolve", "timex_value",
           "when_json"]

log = logging.getLogger(__name__)

GRAINS = ("day", "week", "month", "quarter", "year")
_RANK = {g: i for i, g in enumerate(GRAINS)}
_MAX_YEARS = 150  # a result further than this from ref is a misreading, not a date
Span = tuple[date, date]


# -- public types -----------------------------------------------------------------------------

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
    """A time expression found in a text, with its character offsets."""

    start_char: int
    end_char: int
    value: Resolved


# -- internal types ---------------------------------------------------------------------------

@dataclass(frozen=True)
class _Val:
    start: date
    end: date
    grain: str
    time: str | None = None
    cycle: str | None = None  # "week"/"year": inferred, so a range may move it by whole cycles
    part: str | None = None   # "end" for "the end of X", which turns "before" into a deadline
    is_time: bool = False     # a bare clock time that can attach to a neighbouring day
    dated: bool = False       # a day or month with its year written out ("June 2018", "Oct. 30, 2025")
    unit: str | None = None   # the TIMEX grain when the span alone does not tell it (a part of a month...)
    mod: str | None = None    # TIMEX modifier: start, mid, end, approx, before, after
    zone: str | None = None   # IANA zone of a clock time
    vague: str | None = None  # PRESENT_REF, PAST_REF, FUTURE_REF
    pod: str | None = None    # part of day: MO, AF, EV, NI
    value: str | None = None  # a TIMEX value the span cannot give ("FY2026", "by June" -> 2025-06)


@dataclass(frozen=True)
class _Cx:
    ref: date
    tense: str | None
    anchor: Span
    lenient: bool  # resolve() mode: a whole phrase is known to be a time phrase
    text: str
    locale: Locale = field(default_factory=lambda: _NO_LOCALE)

    def at(self, anchor: Span, tense: str | None | bool = False) -> _Cx:
        """This context with another anchor (and tense); faster than dataclasses.replace on the hot path."""
        return _Cx(self.ref, self.tense if tense is False else tense, anchor, self.lenient, self.text, self.locale)


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern
    fn: Callable[[re.Match, _Cx], _Val | None]
    need: str  # a cheap feature the text must have before this rule's regex is worth running
    cues: tuple[str, ...] = ()  # lower-case words one of which every match contains: a finer gate than need


_RULES: list[_Rule] = []
_FLAGS = re.I | re.A | re.X  # ASCII-only: no Unicode case folding surprises (e.g. Kelvin sign)


def _rule(pattern: str, need: str = "words", cues: tuple[str, ...] = ()) -> Callable:
    """Register a handler for a pattern in the rule table (order breaks ties)."""
    def deco(fn: Callable[[re.Match, _Cx], _Val | None]) -> Callable:
        _RULES.append(_Rule(fn.__name__, re.compile(pattern, _FLAGS), fn, need, cues))
        return fn
    return deco


# -- vocabulary -------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
_FULL_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december"}
_AMBIGUOUS_MONTHS = {"may", "march"}  # also a verb / a name: need a date-ish neighbour
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
             "sunday": 6}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "ninety": 90, "couple of": 2,
    "a couple of": 2,
}

_ORD_WORDS = {w: i for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth".split(), 1)}
_ORD_WORDS.update({f"twenty-{w}": 20 + i for w, i in list(_ORD_WORDS.items())[:9]})
_ORD_WORDS.update({"thirtieth": 30, "thirty-first": 31})
_ORD_WORD = r"(?:" + "|".join(sorted((w.replace("-", r"[-\s]") for w in _ORD_WORDS), key=len, reverse=True)) + r")\b"
_WD_ABBR = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}

_MON = (r"(?:(?:january|february|march|april|may|june|july|august|september|october|november|december)\b"
        r"|(?:sept|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec)\b\.?)")  # only abbreviations take a dot
_WD = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
_WD_ANY = (r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
           r"|mon|tues|tue|wed|thurs|thur|thu|fri|sat|sun)\b\.?")
_WDP = rf"(?:(?P<wdp>{_WD_ANY}),?\s+(?:the\s+)?)?"  # "Wednesday, Oct. 29": the weekday confirms the date
_NUM = (r"(?:\d{1,3}|a\s+couple\s+of|couple\s+of|an?|one|two|three|four|five|six|seven|eight|nine"
        r"|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty"
        r"|thirty|forty|fifty|sixty|ninety)\b")
_UNIT = r"(?:day|week|fortnight|month|year|hour)"
_UNIT_CUES = ("day", "week", "fortnight", "month", "year", "hour")
# A number followed by one of these is a quantity, not a day or a year.
_NOT_QTY = (r"(?!\s*(?:%|(?:percent|per\s+cent|million|billion|trillion|thousand|hundred|troops|soldiers"
            r"|people|workers|tons|tonnes|barrels|units|jobs|votes|dollars|euros|won|yen|yuan|km"
            r"|kilometers|kilometres|miles|cases|deaths|members|refugees|migrants|vehicles|missiles)\b))")
_DASH = r"(?:-|to|through|thru|until|till|and|or|&)"


def _day(name: str) -> str:
    return rf"(?P<{name}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?![.,]\d)"


def _year(name: str) -> str:
    return rf"(?P<{name}>(?:19|20)\d\d)\b(?![.,]\d)"


# 1:1 character mapping keeps offsets valid while letting the ASCII regexes see dashes/spaces.
_NORMALISE = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u2013": "-",
                            "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2019": "'",
                            "\u2018": "'"})


# -- locale: day-first dates, fiscal years, local time ---------------------------------------------

# country (ISO 3166 alpha-2) -> (day-first numeric dates?, first month of the government's fiscal year,
# IANA zone of its capital).  None for day-first: both orders are common there (Canada) or the country
# writes year-first (China, Japan, Korea), so a bare a/b/yyyy stays ambiguous.  Absent: day-first,
# calendar fiscal year, zone unknown.
_COUNTRIES: dict[str, tuple[bool | None, int, str | None]] = {
    "US": (False, 10, "America/New_York"), "PH": (False, 1, "Asia/Manila"), "CA": (None, 4, "America/Toronto"),
    "GB": (True, 4, "Europe/London"), "IE": (True, 1, "Europe/Dublin"), "IN": (True, 4, "Asia/Kolkata"),
    "JP": (None, 4, "Asia/Tokyo"), "KR": (None, 1, "Asia/Seoul"), "CN": (None, 1, "Asia/Shanghai"),
    "HK": (True, 4, "Asia/Hong_Kong"), "SG": (True, 4, "Asia/Singapore"), "AU": (True, 7, "Australia/Sydney"),
    "NZ": (True, 7, "Pacific/Auckland"), "PK": (True, 7, "Asia/Karachi"), "EG": (True, 7, "Africa/Cairo"),
    "KE": (True, 7, "Africa/Nairobi"), "ZA": (True, 4, "Africa/Johannesburg"), "NG": (True, 1, "Africa/Lagos"),
    "FR": (True, 1, "Europe/Paris"), "DE": (True, 1, "Europe/Berlin"), "IT": (True, 1, "Europe/Rome"),
    "ES": (True, 1, "Europe/Madrid"), "RU": (True, 1, "Europe/Moscow"), "BR": (True, 1, "America/Sao_Paulo"),
    "MX": (True, 1, "America/Mexico_City"), "TR": (True, 1, "Europe/Istanbul"), "SA": (True, 1, "Asia/Riyadh"),
    "AE": (True, 1, "Asia/Dubai"), "ID": (True, 1, "Asia/Jakarta"), "VN": (True, 1, "Asia/Ho_Chi_Minh"),
    "MY": (True, 1, "Asia/Kuala_Lumpur"), "TH": (True, 10, "Asia/Bangkok"), "BE": (True, 1, "Europe/Brussels"),
}


@dataclass(frozen=True)
class Locale:
    """What the outlet's or dateline's country decides: the order of a/b/yyyy, the fiscal year, local time."""

    dayfirst: bool | None = None  # None: refuse a/b/yyyy when both parts could be the month
    fiscal_month: int = 1         # the first month of the fiscal year
    zone: str | None = None       # "local time"


def locale_for(country: str | None = None, dayfirst: bool | None = None, fiscal_month: int | None = None,
               zone: str | None = None) -> Locale:
    """The locale of a country (ISO alpha-2), with any of its parts overridden."""
    known = _COUNTRIES.get((country or "").upper()) if country else None
    df, fm, z = known if known else ((True if country else None), 1, None)
    return Locale(df if dayfirst is None else dayfirst, fiscal_month or fm, zone or z)


_NO_LOCALE = Locale()


# -- calendar arithmetic ------------------------------------------------------------------------

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


# -- TIMEX3 values -------------------------------------------------------------------------------

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


def _choose(cands: list[Span], ref: date, tense: str | None) -> Span | None:
    """Pick the occurrence a tense implies: next on/after ref, latest on/before, or nearest."""
    cands = sorted(cands)
    if not cands:
        return None
    if tense == "future":
        return next((c for c in cands if c[1] >= ref), cands[-1])
    if tense == "past":
        return next((c for c in reversed(cands) if c[0] <= ref), cands[0])

    def distance(c: Span) -> int:
        return 0 if c[0] <= ref <= c[1] else min(abs((c[0] - ref).days), abs((c[1] - ref).days))
    return min(cands, key=lambda c: (distance(c), -c[0].toordinal()))  # ties: prefer the future


def _yearly(cx: _Cx, make: Callable[[int], Span]) -> list[Span]:
    """Candidate spans for a yearless date, ±4 years so Feb 29 always has a leap year."""
    out = []
    for y in range(cx.ref.year - 4, cx.ref.year + 5):
        try:
            out.append(make(y))
        except ValueError:  # Feb 29 in a common year, Sep 31...
            continue
    return out


def _inferred(cx: _Cx, make: Callable[[int], Span], grain: str, year: str | None,
              weekday: int | None = None) -> _Val | None:
    """A yearly date: explicit year if given, else the occurrence the tense implies (among the years
    where it falls on the weekday named with it, if any: "Fri, Jul 18")."""
    if year:
        s, e = make(int(year))
        return _Val(s, e, grain, dated=grain in ("day", "month"))
    cands = _yearly(cx, make)
    if weekday is not None:
        cands = [c for c in cands if c[0].weekday() == weekday] or cands
    span = _choose(cands, cx.ref, cx.tense)
    return _Val(span[0], span[1], grain, cycle="year") if span else None


# -- context checks -----------------------------------------------------------------------------

@functools.lru_cache(maxsize=4096)  # matched words repeat ("next", "Oct.", "week")
def _low(s: str | None) -> str:
    return _SPACES.sub(" ", s.lower()).strip(" .") if s else ""


_SPACES = re.compile(r"\s+")


def _cap_ok(token: str | None, cx: _Cx) -> bool:
    """Month/day names in running text are capitalised; "may", "march", "sun" are other words."""
    return cx.lenient or (bool(token) and token[0].isupper())


def _before(m: re.Match, cx: _Cx, n: int = 30) -> str:
    return cx.text[max(0, m.start() - n):m.start()]


def _after(m: re.Match, cx: _Cx, n: int = 30) -> str:
    return cx.text[m.end():m.end() + n]


_MONTH_CTX = re.compile(
    rf"(?:\b(?:in|by|since|until|till|during|from|between|of|early|mid|late|next|last|this|coming|"
    rf"through)\s+|\bmid-|{_MON}\s*,?\s*(?:and|or|to|through|until|-)\s*)$", _FLAGS)
_MONTH_NEXT = re.compile(rf"^\s*(?:,\s*)?(?:and|or|to|through|until|-)\s*{_MON}", _FLAGS)
_YEAR_CTX = re.compile(
    r"(?:\b(?:in|since|by|until|till|before|after|during|from|through|between|for|around|circa|year"
    r"|early|mid|late|end|start)\s*-?\s*|(?:19|20)\d\d\s*,?\s*(?:and|or|to|through|until|-)\s*)$", _FLAGS)
_ORD_CTX = re.compile(r"\b(?:on|by|for|until|till|from|since|before|after|starting|through|to|and|or)\s+$", _FLAGS)
_ORD_PAIR = re.compile(r"\bthe\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\s+(?:and|to|through|-)\s*$", _FLAGS)
_ORD_PAIRED = re.compile(r"\s*(?:and|to|through|-)\s*(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b", _FLAGS)
_ORD_NOUN = re.compile(r"^\s+(?!(?:and|or|to|through|at|of|in|when|as|until|till|with|for|from|before|after"
                       r"|but|is|was|will|would)\b)(?:[a-z]|(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
                       r"|Mon|Tue|Wed|Thu|Fri|Sat|Sun))[A-Z])")  # "for the 22nd India-Russia summit"
_SEASON_CTX = re.compile(r"\b(?:in|during|by|until|till|since|over|through|before|after|for|throughout)"
                         r"\s+(?:the\s+)?$", _FLAGS)


# -- rules: absolute dates ----------------------------------------------------------------------

def _md_val(cx: _Cx, mon: str, d1: str | int, d2: str | None, year: str | None,
            wd: str | None = None) -> _Val | None:
    if not _cap_ok(mon, cx):
        return None
    m, a = _MONTHS[_low(mon)], int(d1)
    b = int(d2) if d2 else a
    if b <= a and d2:
        return None
    weekday = _WD_ABBR[_low(wd)[:3]] if wd else None
    return _inferred(cx, lambda y: (date(y, m, a), date(y, m, b)), "day", year, weekday)


@_rule(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>0?[1-9]|1[0-2])-(?P<d>0?[1-9]|[12]\d|3[01])"
       r"(?:T(?P<hh>[01]\d|2[0-3]):(?P<mm>[0-5]\d)(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?(?![\w-])",
       need="digit")
def _iso(m: re.Match, cx: _Cx) -> _Val:
    """2025-10-29, 2015-3-3, 2025-10-29T10:00 (the clock time as written, no time-zone shift)."""
    d = date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _Val(d, d, "day", time=f"{m['hh']}:{m['mm']}" if m["hh"] else None, dated=True)


def _two_digit_year(yy: str, ref: date) -> int:
    """'23 -> 2023; a two-digit year more than 20 years ahead of ref is last century's."""
    y = 2000 + int(yy)
    return y if y <= ref.year + 20 else y - 100


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


@_rule(rf"\b(?:(?:the\s+)?(?P<ow>{_ORD_WORD})\s+(?:day\s+(?:of|in)|of)\s+(?P<mon>{_MON})"
       rf"|(?P<mon2>{_MON})\s+(?:the\s+)?(?P<ow2>{_ORD_WORD}))(?:,?\s+{_year('y')})?", need="ordinal")
def _ord_word_date(m: re.Match, cx: _Cx) -> _Val | None:
    """The first of March, March first, third day of October, March third 2015."""
    ow = _low(m["ow"] or m["ow2"]).replace(" ", "-")
    if m["ow2"] and not cx.lenient and not m["y"] and _ORD_NOUN.match(_after(m, cx)):
        return None  # "March first lady", "May second round"
    return _md_val(cx, m["mon"] or m["mon2"], _ORD_WORDS[ow], None, m["y"])


@_rule(rf"\b{_WDP}(?P<mon>{_MON})\s+(?:the\s+)?{_day('d1')}\s*{_DASH}\s*(?:the\s+)?{_day('d2')}{_NOT_QTY}"
       rf"(?:,?\s+{_year('y')})?", need="month")
def _month_day_range(m: re.Match, cx: _Cx) -> _Val | None:
    """June 15-17, June 15 to 17, between June 13 and 15."""
    return _md_val(cx, m["mon"], m["d1"], m["d2"], m["y"], m["wdp"])


@_rule(rf"\b(?:the\s+)?{_day('d1')}\s*{_DASH}\s*(?:the\s+)?{_day('d2')}\s+(?:of\s+)?(?P<mon>{_MON})"
       rf"(?:,?\s+{_year('y')})?", need="month")
def _day_month_range(m: re.Match, cx: _Cx) -> _Val | None:
    """15-17 June, between 13 and 15 June."""
    return _md_val(cx, m["mon"], m["d1"], m["d2"], m["y"])


_WDA = rf"(?:,\s*(?P<wda>{_WD_ANY})(?!\s*[-\w]))?"  # "Jul 18, Fri": a weekday after the date confirms it


@_rule(rf"\b{_WDP}(?P<mon>{_MON})\s+(?:the\s+)?{_day('d')}{_NOT_QTY}(?:,?\s+{_year('y')})?{_WDA}", need="month")
def _month_day(m: re.Match, cx: _Cx) -> _Val | None:
    """Oct. 31, December 3rd, October 29, 2025, Wednesday, Oct. 29, Jul 18, Fri."""
    v = _md_val(cx, m["mon"], m["d"], None, m["y"], m["wdp"] or m["wda"])
    if v and m["wda"] and v.start.weekday() != _WD_ABBR[_low(m["wda"])[:3]]:
        return None  # a weekday that disagrees is another date: leave it to its own rule
    return v


@_rule(rf"\b{_WDP}(?:the\s+)?(?:{_day('d')}\s+(?:of\s+)?|(?P<dg>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?=[A-Za-z]))"
       rf"(?P<mon>{_MON})(?:,?\s*{_year('y')})?{_WDA}", need="month")
def _day_month(m: re.Match, cx: _Cx) -> _Val | None:
    """29 October 2025, 05 Jun. 2025, the 24th of October, 3june 2024, 18 July, Fri."""
    if m["dg"] and not (cx.lenient or m["y"]):
        return None  # "3june" glued: only with its year in running text
    v = _md_val(cx, m["mon"], m["d"] or m["dg"], None, m["y"], m["wdp"] or m["wda"])
    if v and m["wda"] and v.start.weekday() != _WD_ABBR[_low(m["wda"])[:3]]:
        return None
    return v


@_rule(rf"\b(?P<mon>{_MON})(?:\s+of)?,?\s+{_year('y')}", need="month")
def _month_year(m: re.Match, cx: _Cx) -> _Val | None:
    """June 2018, May of 2019."""
    if not _cap_ok(m["mon"], cx):
        return None
    s, e = _month_span(int(m["y"]), _MONTHS[_low(m["mon"])])
    return _Val(s, e, "month", dated=True)


@_rule(rf"\b(?:(?P<mod>this\s+coming|this\s+past|this|next|last|coming|past)\s+)?(?P<mon>{_MON})", need="month")
def _month(m: re.Match, cx: _Cx) -> _Val | None:
    """July, next May, last March (May/March and abbreviations need a date-ish neighbour)."""
    tok = m["mon"]
    if not _cap_ok(tok, cx):
        return None
    name = _low(tok)
    mod = _low(m["mod"])
    if not (mod or cx.lenient) and (name in _AMBIGUOUS_MONTHS or name not in _FULL_MONTHS):
        before = _before(m, cx)
        if not (_MONTH_CTX.search(before) or _MONTH_NEXT.match(_after(m, cx))
                or (name != "may" and re.search(r"\bfor\s+$", before))):  # "set for March", not "votes for May"
            return None
        if name == "may" and _after(m, cx).startswith("'s"):  # Theresa May's ...
            return None
    mon = _MONTHS[name]
    spans = _yearly(cx, lambda y: _month_span(y, mon))
    if mod == "this":
        s, e = _month_span(cx.ref.year, mon)
    elif mod in ("next", "coming", "this coming"):
        s, e = next(c for c in spans if c[0] > cx.ref)
    elif mod in ("last", "past", "this past"):
        s, e = next(c for c in reversed(spans) if c[1] < cx.ref)
    else:
        return _inferred(cx, lambda y: _month_span(y, mon), "month", None)
    return _Val(s, e, "month")


@_rule(rf"\b(?:the\s+)?week\s+of\s+(?:(?P<mon>{_MON})\s+{_day('d')}|(?:the\s+)?{_day('d2')}\s+(?:of\s+)?(?P<mon2>{_MON}))"
       rf"(?:,?\s+{_year('y')})?", need="month", cues=("week",))
def _week_of(m: re.Match, cx: _Cx) -> _Val | None:
    """The week of June 15, the week of 3 November: Monday to Sunday around it."""
    v = _md_val(cx, m["mon"] or m["mon2"], m["d"] or m["d2"], None, m["y"])
    return replace(v, start=_week_span(v.start)[0], end=_week_span(v.start)[1], grain="week") if v else None


@_rule(rf"\b(?P<the>the\s+)?(?:(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th|(?=\s+(?:day\s+)?of\s+(?:the\s+)?(?:this|next|last|previous|current|following|coming)\s+month\b))|(?P<ow>{_ORD_WORD}))"
       r"(?:\s+(?:day\s+)?of\s+(?:the\s+)?(?P<rel>this|next|last|previous|current|following|coming|the)\s+month\b)?",
       need="ordinal")
def _ordinal_day(m: re.Match, cx: _Cx) -> _Val | None:
    """On the 24th, the 20th of next month: a day of this or an adjacent month ("on the first" in a phrase)."""
    second = not m["the"] and m["d"] and _ORD_PAIR.search(_before(m, cx))  # "the 12th and 13th"
    if not (m["the"] or m["rel"] or second) or (m["ow"] and not (cx.lenient or m["rel"])):
        return None  # "24th", "the first": an ordinal, not a day, unless the phrase is known to be a date
    after = _after(m, cx)
    pair = _ORD_PAIRED.match(after)  # "the 12th and 13th amendments": the noun after the pair decides
    if not cx.lenient and not m["rel"] and (
            not (second or _ORD_CTX.search(_before(m, cx))) or _ORD_NOUN.match(after[pair.end():] if pair else after)):
        return None  # "the 24th summit", "the 3rd Infantry"
    d = int(m["d"]) if m["d"] else _ORD_WORDS[_low(m["ow"]).replace(" ", "-")]
    if m["rel"]:
        step = {"next": 1, "following": 1, "coming": 1, "last": -1, "previous": -1}.get(_low(m["rel"]), 0)
        base = _add_months(cx.ref.replace(day=1), step)
        x = base.replace(day=d)
        return _Val(x, x, "day")
    cands = []
    for k in range(-2, 3):
        try:
            x = _add_months(cx.ref.replace(day=1), k).replace(day=d)
        except ValueError:
            continue
        cands.append((x, x))
    span = _choose(cands, cx.ref, cx.tense)
    return _Val(span[0], span[1], "day") if span else None


@_rule(rf"\b{_year('y')}{_NOT_QTY}", need="digit")
def _bare_year(m: re.Match, cx: _Cx) -> _Val | None:
    """In 2019, since 2019, by 2030 (a bare number is a year only after such a word)."""
    if not cx.lenient and not _YEAR_CTX.search(_before(m, cx)):
        return None
    y = int(m["y"])
    return _Val(date(y, 1, 1), date(y, 12, 31), "year")


@_rule(r"(?:\b(?P<the>the)\s+)?(?:\b(?P<part>early|mid|late)\s*-?\s*)?"
       r"(?:\b(?P<dec>(?:19|20)\d0)'?s|(?P<ap>')(?P<dec2>\d0)s|\b(?P<dec3>\d0)s)\b", need="decade")
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


@_rule(r"\b(?P<a>(?:19|20)\d\d)(?P<sep>-|/)(?P<b>(?:19|20)?\d\d)\b(?![.,/-]?\d)", need="digit")
def _year_range(m: re.Match, cx: _Cx) -> _Val | None:
    """2019-20, 1999/2000, 1850-58: consecutive or increasing years (a bare number needs a year word before)."""
    a, b = int(m["a"]), m["b"]
    end = int(b) if len(b) == 4 else a - a % 100 + int(b)
    if end <= a or (m["sep"] == "/" and end != a + 1):
        return None
    if not cx.lenient and not _YEAR_CTX.search(_before(m, cx)) and not re.search(r"\bthe\s+$", _before(m, cx), re.I):
        return None
    return _Val(date(a, 1, 1), date(end, 12, 31), "year")


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
       rf"|good\s+friday|easter(?:\s+(?:sunday|monday))?)"
       rf"(?:,?\s+{_year('y')})?\b", cues=("christmas", "year", "thanksgiving", "friday", "easter"))
def _holiday(m: re.Match, cx: _Cx) -> _Val | None:
    """Christmas (Eve), New Year's (Eve/Day), US Thanksgiving, Easter (Western), Good Friday."""
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


@_rule(r"\b(?:the\s+)?(?P<h>first|second|1st|2nd|latter)[-\s]half\b(?!\s+of\b)", need="lenient")
def _bare_half(m: re.Match, cx: _Cx) -> _Val | None:
    """The second half (of the year, as a whole phrase; in running text it is often a match's)."""
    if not cx.lenient:
        return None
    first = _low(m["h"]) in ("first", "1st")
    return _inferred(cx, lambda y: (date(y, 1, 1), date(y, 6, 30)) if first else (date(y, 7, 1), date(y, 12, 31)),
                     "year", None)


# -- rules: weekdays and days relative to now ----------------------------------------------------

@_rule(rf"\b(?:(?P<mod>this\s+coming|this\s+past|this|next|last|coming|past|the\s+following|the\s+next"
       rf"|the\s+previous)\s+|(?:early|late|earlier|later|midday|mid-day)(?:\s+on)?\s+)?(?P<wd>{_WD})"
       rf"(?:,?\s+(?P<pod>morning|afternoon|evening|night|overnight))?"
       rf"(?:\s+(?:of\s+)?(?P<wk>this|next|last)\s+week\b|\s+(?P<an>after\s+next)\b)?", need="weekday")
def _weekday(m: re.Match, cx: _Cx) -> _Val | None:
    """Tuesday, late Tuesday, Tuesday night, next Tuesday, Tuesday next week, Friday after next."""
    if not _cap_ok(m["wd"], cx):
        return None
    wd, ref = _WEEKDAYS[_low(m["wd"])], cx.ref
    mod, wk = _low(m["mod"]), _low(m["wk"])
    monday = _week_span(ref)[0]
    cycle = None
    if m["an"]:  # the one after the coming one
        if mod:
            return None
        d = ref + timedelta(days=(wd - ref.weekday() - 1) % 7 + 8)
    elif wk:
        d = monday + timedelta(days=wd + {"next": 7, "last": -7}.get(wk, 0))
    elif mod == "this":
        d = monday + timedelta(days=wd)
        if cx.tense == "future" and d < ref:
            d += timedelta(days=7)
        elif cx.tense == "past" and d > ref:
            d -= timedelta(days=7)
    elif mod == "next":
        d = monday + timedelta(days=7 + wd)
    elif mod in ("last", "past", "this past"):
        d = ref - timedelta(days=(ref.weekday() - wd - 1) % 7 + 1)
    elif mod in ("coming", "this coming"):
        d = ref + timedelta(days=(wd - ref.weekday() - 1) % 7 + 1)
    elif mod in ("the following", "the next"):
        a = cx.anchor[1]
        d = a + timedelta(days=(wd - a.weekday() - 1) % 7 + 1)
    elif mod == "the previous":
        a = cx.anchor[0]
        d = a - timedelta(days=(a.weekday() - wd - 1) % 7 + 1)
    elif cx.tense == "past":
        d, cycle = ref - timedelta(days=(ref.weekday() - wd) % 7), "week"
    else:  # future, or no tense: news mostly announces what is coming
        d, cycle = ref + timedelta(days=(wd - ref.weekday()) % 7), "week"
    return _Val(d, d, "day", cycle=cycle, pod=_POD.get(_low(m["pod"])))


@_rule(r"\b(?P<wd>mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b(?P<dot>\.)?(?!\s*[-\w])", need="lenient")
def _weekday_abbr(m: re.Match, cx: _Cx) -> _Val | None:
    """Mon., Thu: a weekday abbreviation standing alone (a whole phrase only: "sun", "sat", "wed" are words)."""
    if not cx.lenient:
        return None
    wd = _WD_ABBR[_low(m["wd"])[:3]]
    if cx.tense == "past":
        d = cx.ref - timedelta(days=(cx.ref.weekday() - wd) % 7)
    else:
        d = cx.ref + timedelta(days=(wd - cx.ref.weekday()) % 7)
    return _Val(d, d, "day", cycle="week")


@_rule(rf"\b(?P<wd>{_WD_ANY}),?\s+(?:the\s+)?(?P<d>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b"
       rf"(?!\s*(?:of\s+)?{_MON})", need="ordinal")
def _weekday_dom(m: re.Match, cx: _Cx) -> _Val | None:
    """Thursday the 30th, Wednesday 29th, Thu 15th: that day number in a nearby month where it falls on that weekday."""
    tok = m["wd"]
    if not _cap_ok(tok, cx):
        return None
    wd, day = _WD_ABBR[_low(tok)[:3]], int(m["d"])
    cands = []
    for k in range(-12, 13):
        try:
            x = _add_months(cx.ref.replace(day=1), k).replace(day=day)
        except ValueError:
            continue
        if x.weekday() == wd:
            cands.append((x, x))
    span = _choose(cands, cx.ref, cx.tense)
    return _Val(span[0], span[1], "day") if span else None


@_rule(r"\b(?:(?:later|earlier|late|early)\s+)?(?:(?P<w>the\s+day\s+after\s+tomorrow|the\s+day\s+before\s+yesterday"
       r"|today|tonight|tomorrow|yesterday)(?:\s+(?P<pod>morning|afternoon|evening|night))?\b"
       r"|(?P<rel>this|last)\s+(?P<pod2>morning|afternoon|evening|night)\b)"
       r"|\b(?P<now>(?:right\s+|just\s+)?now)\b",
       cues=("today", "tomorrow", "yesterday", "morning", "afternoon", "evening", "night", "now"))
def _relative_day(m: re.Match, cx: _Cx) -> _Val | None:
    """Today, tonight, tomorrow morning, yesterday, the day after tomorrow, late last night, (right) now."""
    if m["now"]:  # the reference itself, no date: a vague value (left out of running text unless asked)
        return _Val(cx.ref, cx.ref, "day", vague="PRESENT_REF")
    offset = {"the day after tomorrow": 2, "the day before yesterday": -2, "tomorrow": 1, "yesterday": -1,
              "last": -1}.get(_low(m["w"] or m["rel"]), 0)
    d = cx.ref + timedelta(days=offset)
    pod = _POD.get(_low(m["pod"] or m["pod2"])) or ("NI" if _low(m["w"]) == "tonight" else None)
    return _Val(d, d, "day", pod=pod)


_VAGUE_WORDS = {  # TIMEX3 vague values; each is one line of data
    "PRESENT_REF": r"currently|presently|at\s+present|at\s+the\s+moment|nowadays|these\s+days|for\s+now|current",
    "PAST_REF": r"recently|lately|in\s+the\s+past|in\s+recent\s+(?:times|years)|in\s+the\s+recent\s+past|recent"
                r"|previously|formerly",
    "FUTURE_REF": r"(?:in\s+)?the\s+(?:near\s+|not\s+too\s+distant\s+|distant\s+)?future(?!\s+(?:of|for)\b)"
                  r"|(?<!\bas\s)soon(?!\s+(?:as|after|afterwards?|before|thereafter)\b)|shortly(?!\s+(?:after|before)\b)"
                  r"|in\s+due\s+course|before\s+long|one\s+day|some\s+day|someday|eventually|future"
                  r"|(?:in\s+|over\s+)?the\s+(?:near|short)\s+term",
}
_VAGUE_NAMES = {name: re.compile(rf"(?:{rx})$", _FLAGS) for name, rx in _VAGUE_WORDS.items()}


@_rule(r"\b(?:" + "|".join(f"(?:{rx})" for rx in _VAGUE_WORDS.values()) + r")\b",
       cues=("current", "present", "moment", "nowaday", "these days", "for now", "recent", "lately", "in the past",
             "previous", "formerly", "soon", "shortly", "future", "due course", "before long", "one day", "some day",
             "someday", "eventually", " term"), need="always")
def _vague_ref(m: re.Match, cx: _Cx) -> _Val:
    """Currently, recently, in the past, soon, in the future: a vague reference, never a made-up day."""
    text = m.group(0)
    name = next(n for n, rx in _VAGUE_NAMES.items() if rx.fullmatch(text))
    return _Val(cx.ref, cx.ref, "day", vague=name)


@_rule(r"\b(?P<mod>this\s+coming|this\s+past|this|next|last|the\s+coming|the\s+past|the\s+following|the"
       r"|that|coming|past)\s+weekend\b", cues=("weekend",))
def _weekend(m: re.Match, cx: _Cx) -> _Val:
    """This weekend, next weekend, over the weekend, the following weekend."""
    ref, mod = cx.ref, _low(m["mod"])

    def weekend(d: date) -> Span:
        sat = _week_span(d)[0] + timedelta(days=5)
        return sat, sat + timedelta(days=1)
    if mod == "next":
        s, e = weekend(ref + timedelta(days=7))
    elif mod in ("last", "this past", "the past", "past"):
        s, e = weekend(ref - timedelta(days=7))
    elif mod in ("coming", "the coming", "this coming"):
        s = ref + timedelta(days=(5 - ref.weekday() - 1) % 7 + 1)
        e = s + timedelta(days=1)
    elif mod == "the following":
        a = cx.anchor[1]
        s = a + timedelta(days=(5 - a.weekday() - 1) % 7 + 1)
        e = s + timedelta(days=1)
    elif mod == "that":
        s, e = weekend(cx.anchor[0])
    else:  # this / the: the current week's, unless the sentence looks back at one already over
        s, e = weekend(ref)
        if cx.tense == "past" and s > ref:
            s, e = weekend(ref - timedelta(days=7))
        elif ref.weekday() == 6 and cx.tense != "past":
            s = ref
    return _Val(s, e, "week", unit="week")


@_rule(r"\b(?P<mod>this\s+coming|this\s+past|this|next|last|previous|current|the\s+current|coming|upcoming|past|all)\s+"
       r"(?P<u>week|month|year|quarter)\b", cues=("week", "month", "year", "quarter"))
def _this_next_last(m: re.Match, cx: _Cx) -> _Val:
    """This week, next month, last year, this quarter, all week ("past/coming" are rolling windows)."""
    mod, unit = _low(m["mod"]), _low(m["u"])
    mod = {"previous": "last", "all": "this", "upcoming": "coming"}.get(mod, mod)
    if mod in ("coming", "this coming"):
        return _Val(cx.ref, _shift(cx.ref, 1, unit), unit)
    if mod in ("past", "this past"):
        return _Val(_shift(cx.ref, -1, unit), cx.ref, unit)
    s, e = _unit_span(cx.ref, unit, {"next": 1, "last": -1}.get(mod, 0))
    return _Val(s, e, unit)


@_rule(r"\b(?P<mod>this|next)\s+(?P<u>week|month|year|quarter)\s+or\s+(?:(?:the\s+)?(?:next|following)"
       r"(?:\s+(?P=u)|\s+one)?|the\s+(?P=u)\s+after(?:\s+that)?)\b"
       r"|\b(?P<mod2>this)\s+or\s+next\s+(?P<u2>week|month|year|quarter)\b", cues=("week", "month", "year", "quarter"))
def _or_next(m: re.Match, cx: _Cx) -> _Val:
    """This week or next, next month or the month after, this or next year: both units."""
    unit = _low(m["u"] or m["u2"])
    step = 1 if _low(m["mod"]) == "next" else 0
    return _Val(_unit_span(cx.ref, unit, step)[0], _unit_span(cx.ref, unit, step + 1)[1], unit)


@_rule(r"\bthe\s+(?P<u>week|weekend)\s+after\s+next\b", cues=("next",))
def _after_next(m: re.Match, cx: _Cx) -> _Val:
    """The week after next."""
    s, e = _week_span(cx.ref + timedelta(weeks=2))
    return _Val(s + timedelta(days=5) if _low(m["u"]) == "weekend" else s, e, "week")


@_rule(rf"\b(?P<n>{_NUM})\s+(?P<wd>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s\s+"
       rf"(?P<dir>from\s+now|from\s+today|hence|ago|later|earlier)\b", cues=("days",))
def _n_weekdays(m: re.Match, cx: _Cx) -> _Val | None:
    """Two Mondays from now, three Fridays ago: the nth such weekday after (before) the reference."""
    if not _cap_ok(m["wd"], cx) and not m["wd"].islower():
        return None
    n, wd, direction = _num(m["n"]), _WEEKDAYS[_low(m["wd"])], _low(m["dir"])
    if direction in ("ago", "earlier"):
        base = cx.ref if direction == "ago" else cx.anchor[0]
        d = base - timedelta(days=(base.weekday() - wd - 1) % 7 + 1) - timedelta(weeks=n - 1)
    else:
        base = cx.ref if direction != "later" else cx.anchor[1]
        d = base + timedelta(days=(wd - base.weekday() - 1) % 7 + 1) + timedelta(weeks=n - 1)
    return _Val(d, d, "day")


@_rule(rf"\b(?:(?:the\s+)?(?P<u>month|year|quarter)|(?P<mon>{_MON})|(?:the\s+)?(?P<season>spring|summer|autumn|fall|winter))"
       rf"\s+after\s+next\b", need="any", cues=("next",))
def _x_after_next(m: re.Match, cx: _Cx) -> _Val | None:
    """June after next, the year after next, the summer after next: the second one to come."""
    ref = cx.ref
    if m["u"]:
        unit = _low(m["u"])
        s, e = _unit_span(ref, unit, 2)
        return _Val(s, e, unit)
    if m["mon"]:
        if not _cap_ok(m["mon"], cx):
            return None
        mon = _MONTHS[_low(m["mon"])]
        s, e = [c for c in _yearly(cx, lambda y: _month_span(y, mon)) if c[0] > ref][1]
        return _Val(s, e, "month")
    spans, _ = _season_spans(cx, "", _low(m["season"]), None)
    s, e = [c for c in spans if c[0] > ref][1]
    return _Val(s, e, "quarter", unit="season")


_SEASON_OF = {12: "winter", 1: "winter", 2: "winter", 3: "spring", 4: "spring", 5: "spring", 6: "summer", 7: "summer",
              8: "summer", 9: "autumn", 10: "autumn", 11: "autumn"}


@_rule(r"\b(?:the\s+)?(?P<rel>coming|next|upcoming|current|this|last|past|previous)\s+season\b", need="always", cues=("season",))
def _season_rel(m: re.Match, cx: _Cx) -> _Val | None:
    """The coming season, the current season, last season (a whole phrase only, bar "the coming/next
    season": in running text "this season" is a sports one)."""
    rel = _low(m["rel"])
    if not cx.lenient and rel not in ("coming", "next", "upcoming"):
        return None
    first = date(cx.ref.year, cx.ref.month, 1)
    first = _add_months(first, -((cx.ref.month % 12) % 3))  # the current season's first month (Dec, Mar, Jun, Sep)
    step = {"coming": 1, "next": 1, "upcoming": 1, "last": -1, "past": -1, "previous": -1}.get(rel, 0)
    s = _add_months(first, 3 * step)
    return _Val(s, _add_months(s, 3) - timedelta(days=1), "quarter", unit="season")


# Fiscal years: named by the calendar year they end in; they start in the locale's fiscal month.
@_rule(rf"\b(?:(?P<fy>FY)\s?'?(?P<fyn>(?:19|20)?\d\d)\b|fiscal\s+(?:year\s+)?(?P<fn>(?:19|20)\d\d)(?:[-/](?P<fn2>\d\d))?\b"
       r"|(?:the\s+)?(?P<rel>current|this|next|last|previous|coming|past)\s+fiscal\s+year\b)",
       need="any", cues=("fy", "fiscal"))
def _fiscal_year(m: re.Match, cx: _Cx) -> _Val | None:
    """FY2026, FY26, fiscal 2026, fiscal year 2025-26, the current fiscal year (value FY2026)."""
    if m["fy"] and not m["fy"].isupper():
        return None
    fm = cx.locale.fiscal_month
    if m["rel"]:
        end_year = cx.ref.year + (1 if fm > 1 and cx.ref.month >= fm else 0)
        end_year += {"next": 1, "coming": 1, "last": -1, "previous": -1, "past": -1}.get(_low(m["rel"]), 0)
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


@_rule(r"\bthis\s+time\s+(?P<d>next|last)\s+(?P<u>week|month|year)\b", cues=("time",))
def _this_time(m: re.Match, cx: _Cx) -> _Val:
    """This time next year: the same day one unit away."""
    unit = _low(m["u"])
    d = _shift(cx.ref, 1 if _low(m["d"]) == "next" else -1, unit)
    return _Val(d, d, unit)


# -- rules: parts of periods, seasons, quarters ------------------------------------------------

_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}


def _season_spans(cx: _Cx, rel: str, season: str, year: str | None) -> tuple[list[Span], bool]:
    """Candidate spans of a season (northern hemisphere; winter = Dec..Feb) and whether inferred."""
    first = _SEASONS[season]

    def make(y: int) -> Span:
        return date(y, first, 1), _add_months(date(y, first, 1), 3) - timedelta(days=1)
    if year:
        y = int(year) - (1 if season == "winter" else 0)  # "winter 2026" = Dec 2025..Feb 2026
        return [make(y)], False
    spans = [make(y) for y in range(cx.ref.year - 2, cx.ref.year + 3)]
    ref = cx.ref
    if rel == "this":
        inside = [c for c in spans if c[0] <= ref <= c[1]]
        if inside:
            return inside, False
        if season != "winter":
            return [make(ref.year)], False
        return [make(ref.year - (1 if cx.tense == "past" else 0))], False
    if rel in ("next", "coming", "this coming"):
        return [next(c for c in spans if c[0] > ref)], False
    if rel in ("last", "past", "this past"):
        return [next(c for c in reversed(spans) if c[1] < ref)], False
    return spans, True


_PERIOD = rf"""(?:
    (?:(?P<rel>this|next|last|that|the\s+following|the\s+previous|the\s+current|the\s+coming|the\s+past|the
        |current|previous|past|coming|upcoming|the\s+upcoming)\s+)?(?P<unit>week|month|year|quarter)\b
  | (?:(?P<srel>this|next|last|the)\s+)?(?P<season>spring|summer|autumn|fall|winter)\b(?:\s+(?:of\s+)?{_year('sy')})?
  | (?:(?P<mrel>this|next|last|coming|past)\s+)?(?P<pmon>{_MON})(?:,?\s+(?:of\s+)?{_year('pmy')})?
  | {_year('py')}
)"""
_PART = r"""(?:
    (?P<a>early|mid|late|later|earlier)(?:\s*-?\s*(?:to|or)\s*-?\s*(?P<a2>mid|late))?(?:\s*-\s*|\s+)(?:in\s+)?
  | (?:the\s+)?(?P<b>end|beginning|start|middle|first\s+half|second\s+half|latter\s+half
        |(?:first|second|third|fourth|last|final)\s+(?:week|day)|first\s+days|last\s+days|final\s+days
        |latter\s+part|early\s+part|rest|remainder|balance)\s+of\s+
  | (?:the\s+)?(?P<b2>(?:first|second|third|fourth|last|final)\s+(?:week|day))\s+in\s+
  | (?P<c>end|start)-
)"""
_PART_ALIASES = {"beginning": "early", "start": "early", "early part": "early", "middle": "mid",
                 "end": "late", "latter part": "late", "later": "late", "earlier": "early",
                 "latter half": "second half", "final week": "last week", "last days": "last week",
                 "final days": "last week", "first days": "first week", "final day": "last day",
                 "remainder": "rest", "balance": "rest"}
_PART_MOD = {"early": "start", "mid": "mid", "late": "end"}  # TIMEX3 START, MID, END of the period named
_NTH_WEEK = {"first week": 0, "second week": 1, "third week": 2, "fourth week": 3}
_NTH_DAY = {"first day": 0, "second day": 1, "third day": 2, "fourth day": 3}


def _part_span(s: date, e: date, unit: str, part: str) -> Span | None:
    """The early/mid/late third, a half, the first/nth/last week or the first/last day of a period."""
    if part in _NTH_WEEK:
        lo = s + timedelta(weeks=_NTH_WEEK[part])
        return (lo, min(e, lo + timedelta(days=6))) if lo <= e else None
    if part in _NTH_DAY:
        d = s + timedelta(days=_NTH_DAY[part])
        return (d, d) if d <= e else None
    if part == "last day":
        return e, e
    if part == "last week":
        return max(s, e - timedelta(days=6)), e
    if unit == "week":
        lo, hi = {"early": (0, 2), "mid": (1, 3), "late": (3, 6), "first half": (0, 2),
                  "second half": (3, 6)}[part]
        return s + timedelta(days=lo), s + timedelta(days=hi)
    if unit == "month":
        lo, hi = {"early": (1, 10), "mid": (11, 20), "late": (21, e.day), "first half": (1, 15),
                  "second half": (16, e.day)}[part]
        return s.replace(day=lo), s.replace(day=hi)
    n = (e.year - s.year) * 12 + e.month - s.month + 1  # quarter/season 3, year 12
    if part in ("first half", "second half"):
        if n % 2:
            return None
        k = n // 2
        return (s, _add_months(s, k) - timedelta(days=1)) if part == "first half" else (_add_months(s, k), e)
    k = n // 3
    i = {"early": 0, "mid": 1, "late": 2}[part]
    return _add_months(s, i * k), (e if i == 2 else _add_months(s, (i + 1) * k) - timedelta(days=1))


def _period(m: re.Match, cx: _Cx) -> tuple[list[Span], str, str | None, bool] | None:
    """Candidate spans of the period in _PERIOD, its unit, its relative word, and whether inferred."""
    if m["unit"]:
        rel, unit = _low(m["rel"]), _low(m["unit"])
        if not rel and not (m["b"] and _low(m["b"]) in ("end", "beginning", "start", "middle")):
            return None  # "end of month", "beginning of year"; never "early week"
        rel = rel.replace("the ", "") if rel in ("the coming", "the past", "the upcoming") else rel or "the"
        base = cx.anchor[0] if rel in ("that", "the following", "the previous") else cx.ref
        step = {"next": 1, "the following": 1, "coming": 1, "upcoming": 1, "last": -1, "the previous": -1,
                "previous": -1, "past": -1}.get(rel, 0)
        return [_unit_span(base, unit, step)], unit, rel, False
    if m["season"]:
        spans, inferred = _season_spans(cx, _low(m["srel"]), _low(m["season"]), m["sy"])
        return spans, "quarter", None, inferred
    if m["pmon"]:
        if not _cap_ok(m["pmon"], cx):
            return None
        mon = _MONTHS[_low(m["pmon"])]
        if m["pmy"]:
            return [_month_span(int(m["pmy"]), mon)], "month", None, False
        spans = _yearly(cx, lambda y: _month_span(y, mon))
        mrel = _low(m["mrel"])
        if mrel == "this":
            return [_month_span(cx.ref.year, mon)], "month", None, False
        if mrel in ("next", "coming"):  # "early next August": as the month rule reads "next August"
            return [next(c for c in spans if c[0] > cx.ref)], "month", None, False
        if mrel in ("last", "past"):
            return [next(c for c in reversed(spans) if c[1] < cx.ref)], "month", None, False
        return spans, "month", None, True
    y = int(m["py"])
    return [(date(y, 1, 1), date(y, 12, 31))], "year", None, False


@_rule(rf"\b{_PART}{_PERIOD}", need="any")
def _part_of(m: re.Match, cx: _Cx) -> _Val | None:
    """Mid-July, late this year, early 2027, the end of June, later this month, the first half of 2026."""
    got = _period(m, cx)
    if got is None:
        return None
    spans, unit, rel, inferred = got
    raw = _low(m["a"] or m["b"] or m["b2"] or m["c"])
    if _PART_ALIASES.get(raw, raw) == "rest":
        if rel not in ("this", "the", "current", "the current", "that") or m["b"] is None:
            return None
        s, e = spans[0]
        return _Val(max(s, cx.ref if rel != "that" else cx.anchor[1]), e, unit, value=_unit_value(s, unit))
    if raw in ("later", "earlier") and rel in ("this", "the", "current", "the current", "that"):
        # Later/earlier this X: bounded by now (or by the anchor for "later that week").
        s, e = spans[0]
        pivot = cx.anchor if rel == "that" else (cx.ref, cx.ref)
        s, e = (max(s, pivot[1]), e) if raw == "later" else (s, min(e, pivot[0]))
        return _Val(s, e, unit, value=_unit_value(spans[0][0], unit)) if s <= e else None  # TIMEX: this year's value
    part = _PART_ALIASES.get(raw, raw)
    if m["unit"] and rel == "the" and cx.tense and part in _PART_MOD and not m["a2"]:
        # "the end of the year" by tense: ahead, the coming (or current) end from now on; back, the one just passed
        ends = [_part_span(*_unit_span(cx.ref, unit, k), unit, part) for k in (-1, 0, 1)]
        if cx.tense == "future":
            s, e = next(c for c in ends if c[1] >= cx.ref)
            s = max(s, cx.ref)
        else:
            s, e = next(c for c in reversed(ends) if c[0] <= cx.ref)
            e = min(e, cx.ref)
        return _Val(s, e, unit, part="end" if raw == "end" else None, unit=unit, mod=_PART_MOD[part])
    cands = [p for p in (_part_span(s, e, unit, part) for s, e in spans) if p]
    if m["a2"] and part in ("early", "mid"):  # "early-to-mid March", "mid-to-late November": both thirds
        ends = [p for p in (_part_span(s, e, unit, _low(m["a2"])) for s, e in spans) if p]
        cands = [(a[0], b[1]) for a, b in zip(cands, ends) if a[0] <= b[1]]
    span = _choose(cands, cx.ref, cx.tense)
    if span is None:
        return None
    mod = _PART_MOD.get(part)
    tunit = "season" if m["season"] else unit
    return _Val(span[0], span[1], "day" if part in _NTH_DAY or part == "last day" else unit,
                cycle="year" if inferred else None, part="end" if raw == "end" else None,
                unit=tunit if mod else None, mod=mod)


@_rule(r"\b(?:the\s+)?(?:(?P<u>year|month|week)[-\s]end|mid-?(?P<m>year|month|week))\b",
       cues=("year", "month", "week"))
def _unit_end(m: re.Match, cx: _Cx) -> _Val:
    """Year-end, month-end, midyear: the current one."""
    unit = _low(m["u"] or m["m"])
    s, e = _unit_span(cx.ref, unit, 0)
    s, e = _part_span(s, e, unit, "late" if m["u"] else "mid")
    return _Val(s, e, unit, part="end" if m["u"] else None)


@_rule(rf"\b(?:(?P<srel>this\s+coming|this\s+past|this|next|last|coming|past|the)\s+)?"
       rf"(?P<season>spring|summer|autumn|fall|winter)\b(?:\s+(?:of\s+)?{_year('sy')})?",
       cues=("spring", "summer", "autumn", "fall", "winter"))
def _season(m: re.Match, cx: _Cx) -> _Val | None:
    """This summer, next spring, in the fall, winter 2026."""
    rel = _low(m["srel"])
    if not cx.lenient and not m["sy"]:
        if rel in ("", "the") and not _SEASON_CTX.search(_before(m, cx)):
            return None  # "prices fall", "the Arab Spring"
        if rel in ("", "the") and re.match(r"\s+of\b(?!\s+(?:this|next|last)\s+year\b)", _after(m, cx)):
            return None  # "the fall of Kabul", not "the summer of next year"
    spans, inferred = _season_spans(cx, rel, _low(m["season"]), m["sy"])
    span = _choose(spans, cx.ref, cx.tense)
    return _Val(span[0], span[1], "quarter", cycle="year" if inferred else None, unit="season") if span else None


_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4,
             "last": 4}


@_rule(rf"\b(?:(?:the\s+)?(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)[-\s]quarter|(?P<q>Q[1-4])"
       rf"|(?P<h>H[12]))\b(?:\s+(?:of\s+)?(?:(?P<rel>this|next|last|the|that)\s+year\b|(?:fiscal\s+)?{_year('y')}))?",
       need="any", cues=("quarter", "q1", "q2", "q3", "q4", "h1", "h2"))
def _quarter(m: re.Match, cx: _Cx) -> _Val | None:
    """Q3 2026, the first quarter, the fourth quarter of next year, H2 2026."""
    tok = m["q"] or m["h"]
    if tok and not cx.lenient and not tok[0].isupper():
        return None
    if m["h"] and not m["y"]:
        return None  # "H2" alone is a chemical formula far more often than a half-year
    rel = _low(m["rel"])
    if _low(m["ord"]) == "last" and not (rel or m["y"]):
        return None  # "last quarter" alone is the previous quarter (_this_next_last)
    if m["h"]:
        q = (1, 2) if m["h"][1] == "1" else (3, 4)
    else:
        n = _ORDINALS[_low(m["ord"])] if m["ord"] else int(m["q"][1])
        q = (n, n)

    def make(y: int) -> Span:
        return _quarter_span(y, q[0])[0], _quarter_span(y, q[1])[1]
    if rel:
        base = cx.anchor[0] if rel == "that" else cx.ref
        s, e = make(base.year + {"next": 1, "last": -1}.get(rel, 0))
        return _Val(s, e, "quarter")
    return _inferred(cx, make, "quarter", m["y"])


@_rule(r"\b(?:the|its|their)\s+(?P<latest>latest\s+|most\s+recent\s+|just-ended\s+|just\s+ended\s+)?quarter\b(?!\s+(?:of|to|century|final)\b)",
       cues=("quarter",))
def _the_quarter(m: re.Match, cx: _Cx) -> _Val | None:
    """The latest quarter (the last one completed), the quarter (past tense: the same; else the current one):
    the quarter a company reports on."""
    if not (m["latest"] or cx.tense == "past"):
        return None
    base = _quarter_span(cx.ref.year, (cx.ref.month - 1) // 3 + 1)[0] - timedelta(days=1)
    return _Val(*_quarter_span(base.year, (base.month - 1) // 3 + 1), "quarter")


@_rule(r"\b(?:the\s+)?(?:comparable\s+)?(?:year[-\s](?:ago|earlier)|prior[-\s]year|year-before)"
       r"(?P<noun>\s+(?:quarter|period|three\s+months))?(?=\s+(?:\w+\s+)?(?:quarter|period|results?|profits?|loss|earnings"
       r"|net|sales|revenues?|figures?|levels?|income|operating))?",
       cues=("year-ago", "year-earlier", "year ago", "year earlier", "prior year", "prior-year", "year-before"))
def _year_ago_quarter(m: re.Match, cx: _Cx) -> _Val | None:
    """The year-ago quarter, the year-earlier period, year-earlier profit: the quarter last reported, a year
    before (as earnings reports compare)."""
    text = m.group(0)
    if not m["noun"] and "-" not in text:
        return None  # "a year ago" is the counted offset's
    last = _quarter_span(cx.ref.year, (cx.ref.month - 1) // 3 + 1)[0] - timedelta(days=1)
    s, e = _quarter_span(last.year - 1, (last.month - 1) // 3 + 1)
    return _Val(s, e, "quarter")


# -- rules: counted and rolling spans, anaphora ----------------------------------------------------

# Unnumbered spans ("the coming days/weeks/months"): 7 days, 4 weeks, 3 months, 3 years.
_ROLL_DEFAULT = {"day": (7, "week"), "week": (4, "week"), "fortnight": (2, "week"), "month": (3, "month"),
                 "year": (3, "year"), "hour": (24, "day")}
_FEW = r"(?:a\s+few|few|several|some|a\s+number\s+of)"


def _num(s: str) -> int:
    s = _low(s)
    return int(s) if s.isdigit() else _NUMBERS[s]


@_rule(rf"\bin\s+(?P<n>{_NUM})\s+(?P<u>{_UNIT})s?\b(?:'?\s+time\b)?", cues=_UNIT_CUES)
def _in_n(m: re.Match, cx: _Cx) -> _Val:
    """In two weeks, in 10 days: the day that far from now (grain = the unit named)."""
    unit = _low(m["u"])
    d = _shift(cx.ref, _num(m["n"]), unit)
    return _Val(d, d, _grain(unit), unit=_grain(unit))  # TIMEX: "in two weeks" is a week (2025-W46)


@_rule(rf"\bwithin\s+(?:(?:the\s+next\s+)?(?P<n>{_NUM})\s+(?P<u>{_UNIT})s?|the\s+(?P<cu>week|month|year)"
       rf"|(?:a\s+few\s+|several\s+)?(?P<pu>{_UNIT})s)\b", cues=("within",))
def _within(m: re.Match, cx: _Cx) -> _Val:
    """Within two weeks (ref..ref+14), within the month (ref..month end), within weeks (ref..ref+28)."""
    if m["pu"]:
        unit = _low(m["pu"])
        n, grain = _ROLL_DEFAULT[unit]
        return _Val(cx.ref, _shift(cx.ref, n, unit, ceil=True), grain)
    if m["cu"]:
        unit = _low(m["cu"])
        return _Val(cx.ref, _unit_span(cx.ref, unit, 0)[1], unit)
    unit = _low(m["u"])
    return _Val(cx.ref, _shift(cx.ref, _num(m["n"]), unit, ceil=True), _grain(unit))


@_rule(rf"\b(?:(?P<prep>in|over|during|within|for|throughout)\s+)?the\s+(?:(?P<dir>next|coming|upcoming|past|last"
       rf"|previous|following)\s+(?:(?P<n>{_NUM}|few|several)\s+)?(?P<u>{_UNIT})(?P<pl>s)?"
       rf"|(?P<u2>{_UNIT})s\s+(?:ahead|to\s+come))\b"
       rf"|\b(?P<dir2>next|coming|past|last)\s+(?P<n2>{_NUM}|few|several)\s+(?P<u3>{_UNIT})s?\b"
       rf"|\b(?:(?:in|over|during)\s+)?(?P<recent>recent)\s+(?P<u4>{_UNIT})s\b", cues=_UNIT_CUES)
def _rolling(m: re.Match, cx: _Cx) -> _Val | None:
    """In the coming days (ref..ref+7), over the past two weeks, in the months ahead, next 3 days,
    in recent weeks."""
    direction = _low(m["dir"] or m["dir2"]) or ("past" if m["recent"] else "next")
    unit = _low(m["u"] or m["u2"] or m["u3"] or m["u4"])
    plural = bool(m["pl"] or m["u2"] or m["u4"])
    n_raw = _low(m["n"] or m["n2"])
    if not (m["prep"] or plural or n_raw) and direction in ("next", "following", "last", "previous"):
        return None  # "the next day" / "the last week of June" belong to other rules
    if n_raw and n_raw not in ("few", "several"):
        n, grain = _num(n_raw), _grain(unit)
    elif plural or n_raw:
        n, grain = _ROLL_DEFAULT[unit]
    else:
        n, grain = 1, _grain(unit)
    vague = (plural or n_raw) and not (n_raw and n_raw not in ("few", "several"))  # "recent weeks", "the coming months"
    if direction in ("past", "last", "previous"):
        return _Val(_shift(cx.ref, -n, unit, ceil=True), cx.ref, grain, value="PAST_REF" if vague else None)
    base = cx.anchor[1] if direction == "following" else cx.ref
    return _Val(base, _shift(base, n, unit, ceil=True), grain,
                value="FUTURE_REF" if vague and direction != "following" else None)


@_rule(rf"\b(?P<n>{_NUM})\s+(?P<u>{_UNIT})s?\s+(?P<dir>ago|later|earlier|afterwards?|after\s+that|before\s+that"
       rf"|prior|previously|from\s+now|from\s+today|hence)\b", cues=_UNIT_CUES)
def _counted(m: re.Match, cx: _Cx) -> _Val:
    """Three weeks ago, a week from now (from ref); two days later/earlier (from the anchor)."""
    n, unit, direction = _num(m["n"]), _low(m["u"]), _low(m["dir"])
    if direction == "ago":
        d = _shift(cx.ref, -n, unit)
    elif direction in ("from now", "from today", "hence"):
        d = _shift(cx.ref, n, unit)
    elif direction in ("earlier", "before that", "prior", "previously"):
        d = _shift(cx.anchor[0], -n, unit)
    else:
        d = _shift(cx.anchor[1], n, unit)
    return _Val(d, d, _grain(unit), unit=_grain(unit))  # TIMEX: "two years ago" is a year (2023)


@_rule(rf"\b(?:{_FEW}\s+)?(?P<u>{_UNIT})s\s+(?P<dir>ago|later|earlier|afterwards?)\b",
       cues=("ago", "later", "earlier", "afterward"))
def _vague_counted(m: re.Match, cx: _Cx) -> _Val | None:
    """A few days ago (ref-7..ref-1), several weeks ago, days later (anchor+1..anchor+7), months earlier."""
    unit, direction = _low(m["u"]), _low(m["dir"])
    n, grain = _ROLL_DEFAULT[unit]
    if direction == "ago":  # TIMEX: a few days ago is PAST_REF
        return _Val(_shift(cx.ref, -n, unit), _shift(cx.ref, -1, unit), grain, value="PAST_REF")
    if direction == "earlier":
        return _Val(_shift(cx.anchor[0], -n, unit), _shift(cx.anchor[0], -1, unit), grain)
    return _Val(_shift(cx.anchor[1], 1, unit), _shift(cx.anchor[1], n, unit), grain)


@_rule(r"\bthe\s+(?:(?P<fwd>following|next)\s+(?P<fu>day|morning|afternoon|evening|night|week|month|year)"
       r"|(?P<back>previous|preceding|prior)\s+(?P<bu>day|morning|afternoon|evening|night|week|month|year)"
       r"|day\s+(?P<ab>after|before)|(?:night|evening)\s+(?P<nb>before))\b"
       r"|\b(?:(?:later|earlier)\s+)?that\s+(?:same\s+)?(?P<same>day|morning|afternoon|evening|night)\b"
       r"|\bthat\s+(?P<same3>week|month|year)\b"
       r"|\b(?:(?:later|earlier)\s+)?(?:on\s+|in\s+)?the\s+same\s+(?P<same2>day|week|month|year)\b",
       cues=("day", "morning", "afternoon", "evening", "night", "week", "month", "year"))
def _anaphora(m: re.Match, cx: _Cx) -> _Val:
    """The following day, the day before, that evening, the same day, the following week."""
    s_anchor, e_anchor = cx.anchor
    unit = _low(m["fu"] or m["bu"] or m["same"] or m["same2"] or m["same3"]) or "day"
    unit = unit if unit in ("week", "month", "year") else "day"
    if m["fwd"] or m["ab"] == "after":
        base, step = e_anchor, 1
    elif m["back"] or m["ab"] or m["nb"]:
        base, step = s_anchor, -1
    else:
        base, step = s_anchor, 0
    if unit == "day":
        d = base + timedelta(days=step)
        return _Val(d, d, "day")
    s, e = _unit_span(base, unit, step)
    return _Val(s, e, unit)


# Zones, one line of data each: an abbreviation or a place -> an IANA zone (its offset then follows the date).
_ZONE_ABBR = {
    "GMT": "UTC", "UTC": "UTC", "Z": "UTC", "ET": "America/New_York", "EST": "America/New_York",
    "EDT": "America/New_York", "CT": "America/Chicago", "CST": "America/Chicago", "CDT": "America/Chicago",
    "MT": "America/Denver", "MST": "America/Denver", "MDT": "America/Denver", "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles", "PDT": "America/Los_Angeles", "BST": "Europe/London", "CET": "Europe/Paris",
    "CEST": "Europe/Paris", "EET": "Europe/Athens", "EEST": "Europe/Athens", "MSK": "Europe/Moscow",
    "IST": "Asia/Kolkata", "KST": "Asia/Seoul", "JST": "Asia/Tokyo", "HKT": "Asia/Hong_Kong", "SGT": "Asia/Singapore",
    "AEST": "Australia/Sydney", "AEDT": "Australia/Sydney",
}
_ZONE_PLACES = {
    "london": "Europe/London", "britain": "Europe/London", "uk": "Europe/London", "paris": "Europe/Paris",
    "france": "Europe/Paris", "brussels": "Europe/Brussels", "berlin": "Europe/Berlin", "germany": "Europe/Berlin",
    "geneva": "Europe/Zurich", "rome": "Europe/Rome", "madrid": "Europe/Madrid", "vienna": "Europe/Vienna",
    "warsaw": "Europe/Warsaw", "kyiv": "Europe/Kyiv", "kiev": "Europe/Kyiv", "moscow": "Europe/Moscow",
    "istanbul": "Europe/Istanbul", "ankara": "Europe/Istanbul", "turkey": "Europe/Istanbul", "cairo": "Africa/Cairo",
    "jerusalem": "Asia/Jerusalem", "israel": "Asia/Jerusalem", "tehran": "Asia/Tehran", "iran": "Asia/Tehran",
    "riyadh": "Asia/Riyadh", "doha": "Asia/Qatar", "dubai": "Asia/Dubai", "gulf": "Asia/Dubai",
    "new delhi": "Asia/Kolkata", "delhi": "Asia/Kolkata", "india": "Asia/Kolkata", "islamabad": "Asia/Karachi",
    "pakistan": "Asia/Karachi", "beijing": "Asia/Shanghai", "china": "Asia/Shanghai", "hong kong": "Asia/Hong_Kong",
    "taipei": "Asia/Taipei", "tokyo": "Asia/Tokyo", "japan": "Asia/Tokyo", "seoul": "Asia/Seoul",
    "korea": "Asia/Seoul", "gyeongju": "Asia/Seoul", "pyongyang": "Asia/Pyongyang", "manila": "Asia/Manila",
    "hanoi": "Asia/Ho_Chi_Minh", "bangkok": "Asia/Bangkok", "jakarta": "Asia/Jakarta", "singapore": "Asia/Singapore",
    "kuala lumpur": "Asia/Kuala_Lumpur", "sydney": "Australia/Sydney", "canberra": "Australia/Sydney",
    "washington": "America/New_York", "new york": "America/New_York", "eastern": "America/New_York",
    "central": "America/Chicago", "pacific": "America/Los_Angeles", "ottawa": "America/Toronto",
    "mexico city": "America/Mexico_City", "brasilia": "America/Sao_Paulo", "nairobi": "Africa/Nairobi",
    "addis ababa": "Africa/Addis_Ababa", "lagos": "Africa/Lagos", "johannesburg": "Africa/Johannesburg",
    "pretoria": "Africa/Johannesburg", "mecca": "Asia/Riyadh", "baghdad": "Asia/Baghdad", "kabul": "Asia/Kabul",
}
_PLACE_RX = "|".join(sorted((p.replace(" ", r"\s+") for p in _ZONE_PLACES), key=len, reverse=True))
_TZ = (r"(?:\s*\(?(?-i:(?P<tza>[ECMP][SD]?T|GMT|UTC|BST|CEST|CET|EEST|EET|KST|JST|IST|AEST|AEDT|HKT|SGT|MSK))"
       r"(?P<tzo>[+-]\d{1,2})?\)?(?!\w)"
       rf"|\s*\(?(?P<tzp>(?=[A-Z])(?:{_PLACE_RX}))\s+time\b\)?"
       r"|\s*(?:hrs|hours|(?P<tzl>local\s+time))\b)")


def _zone(m: re.Match, cx: _Cx) -> str | None:
    """The IANA zone a clock time is given in: GMT, ET, "Paris time", "local time" (the locale's)."""
    if m["tza"]:
        if m["tzo"]:  # "GMT+8": a fixed offset (IANA's Etc/GMT signs are reversed)
            off = int(m["tzo"])
            if m["tza"] not in ("GMT", "UTC") or abs(off) > 12:
                return None
            return "UTC" if off == 0 else f"Etc/GMT{-off:+d}"
        return _ZONE_ABBR.get(m["tza"])
    if m["tzp"]:
        return _ZONE_PLACES.get(_low(m["tzp"]))
    if m["tzl"]:
        return cx.locale.zone
    return None


_POD = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI", "tonight": "NI"}


@_rule(r"\b(?P<at>(?:at|around|from)\s+)?(?:(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
       r"|(?P<nn>noon|midday|midnight)\b|(?P<h24>[01]?\d|2[0-3])[:h](?P<m24>[0-5]\d)\b"
       r"|(?P<mil>[01]\d|2[0-3])(?P<milm>[0-5]\d)(?=\s*\(?(?-i:GMT|UTC|Z)\b|\s*(?:hrs|hours)\b))"
       rf"(?P<tz>{_TZ})?", need="any", cues=(*"0123456789", "noon", "midday", "midnight"))
def _clock(m: re.Match, cx: _Cx) -> _Val | None:
    """At 3 p.m., 10:30 a.m., at 15:00, at noon, 1000 GMT, 9 p.m. Paris time: a time on the anchor's day
    (or ref's), with its zone when one is named."""
    if m["h"]:
        h = int(m["h"]) % 12 + (12 if m["ap"].lower() == "p" else 0)
        hhmm = f"{h:02d}:{m['mi'] or '00'}"
    elif m["mil"]:
        hhmm = f"{m['mil']}:{m['milm']}"
    elif not (m["at"] or m["tz"] or cx.lenient):
        return None  # "08:54" in a dateline, "the midnight deadline": not a time to attach
    elif m["nn"]:
        hhmm = "00:00" if _low(m["nn"]) == "midnight" else "12:00"
    else:
        hhmm = f"{int(m['h24']):02d}:{m['m24']}"
    d = cx.anchor[0]
    return _Val(d, d, "day", time=hhmm, is_time=True, zone=_zone(m, cx) if m["tz"] else None, unit="instant")


# -- scanning and composition --------------------------------------------------------------------

_CONNECT = re.compile(r"\s*,?\s*(?P<c>-|/|&|to|through|thru|until|till|and|or)\s*", _FLAGS)
_COMMA = re.compile(r"\s*,\s*")
_DATE_THEN_TIME = re.compile(r"\s*,?\s*", _FLAGS)
_TIME_THEN_DATE = re.compile(r"\s*,?\s*(?:on\s+)?", _FLAGS)
_PREFIX = re.compile(
    r"\b(?P<p>no\s+later\s+than|not\s+later\s+than|on\s+or\s+before|as\s+early\s+as|as\s+soon\s+as|up\s+until"
    r"|by|until|till|through|before|since|from|between|starting(?:\s+(?:on|in|from))?"
    r"|beginning(?:\s+(?:on|in))?)\s+$", _FLAGS)
_APPROX = re.compile(r"\b(?:around|about|approximately|roughly|circa|sometime|some\s+time)(?:\s+(?:in|on|around))?\s+$",
                     _FLAGS)
# prefix -> (effect, tense it implies when the sentence gave none)
_PREFIX_KIND = {"by": ("deadline", "future"), "until": ("deadline", "future"), "till": ("deadline", "future"),
                "through": ("deadline", "future"), "up until": ("deadline", "future"),
                "no later than": ("deadline", "future"), "not later than": ("deadline", "future"),
                "on or before": ("deadline", "future"), "before": ("before", "future"),
                "since": ("since", "past"), "as early as": ("keep", "future"), "as soon as": ("keep", "future")}
_FILLER = re.compile(r"(?:[\s,.;:!?()\"'\[\]-]|\b(?:on|in|at|during|over|around|about|approximately|roughly|sometime"
                     r"|some\s+time|circa|for|of|the|to|morning|afternoon|evening|night)\b)*", _FLAGS)
# Glue between a date and what completes it.
_WEEKDAY_AFTER = re.compile(r"\s*,\s*")                      # "Oct. 29, Wednesday"
_YEAR_AFTER = re.compile(r"\s*,?\s*(?:of\s+)?", _FLAGS)      # "November (of) next year"
_YEAR_BEFORE = re.compile(r"'s\s+|\s+", _FLAGS)                # "next year's first quarter", "the 2001 third quarter"
# Between a date and a bare weekday: a list goes on ("... and Malaysia on Friday"); a move, a report or a
# contrast does not ("... although it may be moved to Monday", "..., officials said Monday").
_LIST_GAP = re.compile(r"[,;]|\b(?:and|then|before|followed\s+by)\b", _FLAGS)
_NOT_LIST = re.compile(r"\b(?:mov\w*|postpon\w*|delay\w*|push\w*|resched\w*|brought|bring\w*|advanc\w*|shift\w*"
                       r"|instead|rather|although|though|but|while|whereas|said|says|told|announc\w*|added|stated"
                       r"|report\w*|confirm\w*|noted|wrote|posted|from|until|till|since|ago|after|following"
                       r"|preceded|ahead)\b|\bto\s+$", _FLAGS)


# Cheap whole-text probes: a rule's (slower) regex runs only if the text has what it needs.  Substring
# tests on the lower-cased text come first: they are C-speed and rule most sentences out.
_WORDS = ("day", "week", "month", "year", "quarter", "morning", "afternoon", "evening", "night", "tomorrow",
          "spring", "summer", "autumn", "fall", "winter", "christmas", "thanksgiving", "easter", "noon", "midnight", "hour",
          "fortnight", "now", "half")
_ORD_STEMS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
              "eleventh", "twelfth", "teenth", "tieth", "twenty", "thirty")
_MONTH_RX = re.compile(_MON, _FLAGS)
_WD_RX = re.compile(_WD, _FLAGS)
_DIGIT_ORD = re.compile(r"\d(?:st|nd|rd|th)\b", re.I)
_DECADE_RX = re.compile(r"\d0'?s\b")


_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _features(norm: str, lenient: bool) -> dict[str, bool]:
    low = norm.lower()
    has = low.__contains__  # any(map(has, ...)) runs the substring tests at C speed
    digit = any(map(has, "0123456789"))
    month = any(map(has, _MONTH_STEMS)) and bool(_MONTH_RX.search(norm))
    words = any(map(has, _WORDS))
    return {
        "digit": digit, "month": month, "words": words, "lenient": lenient, "always": True,
        "any": digit or month or words or lenient,
        "weekday": "day" in low and bool(_WD_RX.search(norm)),
        "ordinal": (digit and (bool(_DIGIT_ORD.search(norm)) or " month" in low))
                   or any(map(has, _ORD_STEMS)),
        "decade": digit and bool(_DECADE_RX.search(norm)),
    }


def _as_date(ref: date | datetime) -> date:
    if isinstance(ref, datetime):
        return ref.date()  # the reference's own local date, not UTC
    if isinstance(ref, date):
        return ref
    raise TypeError(f"ref must be a date or datetime, not {type(ref).__name__}")


def _run(rule: _Rule, m: re.Match, cx: _Cx) -> _Val | None:
    """Apply a rule's handler; invalid or absurd dates reject the match instead of raising."""
    try:
        v = rule.fn(m, cx)
    except (ValueError, OverflowError, StopIteration) as exc:
        log.debug("rule %s rejected %r: %s", rule.name, m.group(0), exc)
        return None
    if v is None or v.start > v.end:
        return None
    if abs(v.start.year - cx.ref.year) > _MAX_YEARS or abs(v.end.year - cx.ref.year) > _MAX_YEARS:
        return None
    return v


def _combine(a: _Val, b: _Val, conn: str) -> _Val | None:
    """Two dates joined by a connector: one span, moving an inferred side to follow the other."""
    if b.cycle == "week":
        k = -((b.start - a.start).days // 7)
        b = replace(b, start=b.start + timedelta(weeks=k), end=b.end + timedelta(weeks=k))
    elif a.cycle == "week" and b.start == b.end:  # "Wednesday and Thursday next week": into b's week
        k = (b.start - a.start).days // 7
        a = replace(a, start=a.start + timedelta(weeks=k), end=a.end + timedelta(weeks=k))
    elif b.cycle == "year":
        years = a.start.year - b.start.year
        s, e = _shift_span(b.start, b.end, 12 * years)
        if s < a.start:
            s, e = _shift_span(s, e, 12)
        elif _shift_span(s, e, -12)[0] >= a.start:
            s, e = _shift_span(s, e, -12)
        b = replace(b, start=s, end=e)
    elif a.cycle == "year":  # "Oct. 31 and Nov. 1, 2026": the first date takes the second's year
        s, e = _shift_span(a.start, a.end, 12 * (b.start.year - a.start.year))
        if s > b.start:
            s, e = _shift_span(s, e, -12)
        a = replace(a, start=s, end=e)
    grain = max(a.grain, b.grain, key=_RANK.__getitem__)
    cycle = "year" if a.cycle == b.cycle == "year" else None  # "March or April" can still move: "... next year"
    if conn in ("and", "or", "&", "/", ","):
        return _Val(min(a.start, b.start), max(a.end, b.end), grain, cycle=cycle)
    if b.end < a.start:
        return None
    return _Val(a.start, b.end, grain, cycle=cycle)


def _join(v: _Val, end: int, j: int, atoms: list, norm: str, cx: _Cx) -> tuple[_Val, int, int]:
    """Fold the dates that follow v through connectors into one span: "Oct. 31 and Nov. 1",
    "Monday to Wednesday", "April, May and June" (a comma list counts once an and/or closes it)."""
    best = (v, end, j)
    while j < len(atoms):
        nxt_start, nxt_end, rule, m = atoms[j]
        cm = _CONNECT.fullmatch(norm, end, nxt_start)
        if not (cm or _COMMA.fullmatch(norm, end, nxt_start)):
            break
        w = _run(rule, m, cx.at((v.start, v.end)))
        joined = _combine(v, w, _low(cm["c"]) if cm else ",") if w and not w.is_time else None
        if joined is None:
            break
        v, end, j = joined, nxt_end, j + 1
        if cm:
            best = (v, end, j)
    return best


def _apply_prefix(kind: str, v: _Val, ref: date) -> _Val:
    """By/until X -> ref..X; before X -> ref..day before X; since X -> X..ref."""
    if kind == "deadline" or (kind == "before" and v.part == "end"):
        s, e = ref, v.end
    elif kind == "before":
        s, e = ref, v.start - timedelta(days=1)
    elif kind == "since":
        s, e = v.start, ref
    else:
        return v
    if s > e:
        return v  # a deadline already past, a start still ahead: the date itself is the best reading
    value = v.value or timex_value(v.start, v.end, v.unit, v.time, v.pod)  # TIMEX: the date named, and a mod
    return replace(v, start=s, end=e, time=v.time if s == e else None, value=value,
                   mod="after" if kind == "since" else "before")


@functools.lru_cache(maxsize=1024)
def _matches(norm: str, lenient: bool) -> tuple[tuple[int, re.Match], ...]:
    """Every rule's regex matches in a normalised text, as (rule index, match). They depend on the
    text alone, while a sentence is resolved several times (one tense, then another, another anchor):
    the regexes run once."""
    out = []
    feats = _features(norm, lenient)
    has = norm.lower().__contains__
    for idx, rule in enumerate(_RULES):
        if not feats[rule.need] or (rule.cues and not any(map(has, rule.cues))):
            continue
        out.extend((idx, m) for m in rule.regex.finditer(norm) if m.end() > m.start())
    return tuple(out)


def _scan(text: str, ref: date | datetime, tense: str | None, anchor: date | None, lenient: bool,
          locale: Locale = _NO_LOCALE, vague: bool = False) -> list[Found]:
    """Candidates from every rule, longest non-overlapping ones, composed left to right."""
    if tense not in (None, "past", "future"):
        raise ValueError(f"tense must be 'past', 'future' or None, not {tense!r}")
    ref_d = _as_date(ref)
    norm = text.translate(_NORMALISE)
    start_anchor = (anchor, anchor) if anchor else (ref_d, ref_d)
    cx = _Cx(ref_d, tense, start_anchor, lenient, norm, locale)

    # 1. candidates from every rule; 2. the longest non-overlapping ones win.
    cands = [(m.start() - m.end(), m.start(), idx, m) for idx, m in _matches(norm, lenient)
             if (v := _run(_RULES[idx], m, cx)) is not None and (vague or lenient or not v.vague)]
    cands.sort(key=lambda c: c[:3])
    taken = bytearray(len(norm))
    atoms = []
    for _, start, idx, m in cands:
        if not any(taken[start:m.end()]):
            taken[start:m.end()] = b"\x01" * (m.end() - start)
            atoms.append((start, m.end(), _RULES[idx], m))
    atoms.sort(key=lambda a: a[0])

    # 3. compose left to right, re-resolving each atom against the latest anchor.
    out: list[Found] = []
    cur = start_anchor
    prev_end, i = 0, 0
    here: _Val | None = None    # the last date found in this text (the outside anchor aside)
    dated: _Val | None = None   # the last one with its year written out
    while i < len(atoms):
        start, end, rule, m = atoms[i]
        j = i + 1
        pm = _PREFIX.search(norm, max(prev_end, start - 30), start)
        kind, implied = _PREFIX_KIND.get(_low(pm["p"]), ("keep", None)) if pm else (None, None)
        # "since X" always looks back; other modifiers only suggest a direction when the sentence gave none.
        acx = cx.at(cur, "past" if kind == "since" else tense or implied)
        v = _run(rule, m, acx)
        if v is None:
            i = j
            continue
        try:
            v = _in_context(v, acx, here, dated, norm[prev_end:start])
            v, end, j = _compose(v, rule, end, j, atoms, norm, acx)
            if pm:
                v = _apply_prefix(kind, v, ref_d)
                start = pm.start()
            elif v.mod is None and _APPROX.search(norm, max(prev_end, start - 24), start):
                v = replace(v, mod="approx")  # "around Oct. 30": the span stays, the value says approx
        except (ValueError, OverflowError) as exc:
            log.debug("could not compose %r: %s", norm[start:end], exc)
        out.append(Found(start, end, Resolved(v.start, v.end, v.grain, text[start:end], v.time, v.unit, v.mod,
                                              v.zone, v.vague, v.pod, v.value)))
        if v.vague:  # no date: not an anchor for what follows
            prev_end, i = end, j
            continue
        cur, prev_end, i = (v.start, v.end), end, j
        if not v.is_time:
            here = v
            dated = v if v.dated else dated
    return out


def _next_atom(atoms: list, j: int, norm: str, end: int, gap: re.Pattern, cx: _Cx) -> tuple | None:
    """(value, end, rule, match) of atom j if only `gap` separates it from `end`."""
    if j >= len(atoms) or not gap.fullmatch(norm, end, atoms[j][0]):
        return None
    _, nxt_end, rule, m = atoms[j]
    w = _run(rule, m, cx)
    return (w, nxt_end, rule, m) if w else None


def _whole_year(v: _Val) -> bool:
    return v.grain == "year" and (v.start.month, v.start.day, v.end.month, v.end.day) == (1, 1, 12, 31) \
        and v.start.year == v.end.year


def _to_year(v: _Val, year: int) -> _Val:
    """An inferred yearly date moved into the given year (by its start)."""
    s, e = _shift_span(v.start, v.end, 12 * (year - v.start.year))
    return replace(v, start=s, end=e, cycle=None)


def _compose(v: _Val, rule: _Rule, end: int, j: int, atoms: list, norm: str, cx: _Cx) -> tuple[_Val, int, int]:
    """Glue the atoms that complete v: a year before or after it, a clock time, a confirming weekday,
    and dates joined to it by and/or/to."""
    # "next year's first quarter", "2025's fourth quarter", "the 2001 third quarter"
    if _whole_year(v) and rule.name in ("_this_next_last", "_bare_year", "_anaphora"):
        nxt = _next_atom(atoms, j, norm, end, _YEAR_BEFORE, cx)
        if nxt and nxt[0].cycle == "year" and (norm.startswith("'", end) or nxt[2].name == "_quarter"):
            v, end, j = _to_year(nxt[0], v.start.year), nxt[1], j + 1
    # A clock time attaches to the day next to it: "Tuesday at 3 p.m.", "3 p.m. on Tuesday".
    if j < len(atoms) and v.start == v.end and v.grain == "day":
        nxt = _next_atom(atoms, j, norm, end, _DATE_THEN_TIME if not v.is_time else _TIME_THEN_DATE,
                         cx.at((v.start, v.end)))
        if nxt:
            w = nxt[0]
            if v.is_time != w.is_time and w.start == w.end and w.grain == "day":
                day, clock = (w, v) if v.is_time else (v, w)
                v = replace(day, time=clock.time, is_time=False, zone=clock.zone, unit="instant", pod=None)
                end, j = nxt[1], j + 1
    if v.is_time:
        return v, end, j
    # "Oct. 29, Wednesday", "Feb. 25, 2009, Wednesday": a weekday that agrees only confirms the date.
    if v.start == v.end:
        nxt = _next_atom(atoms, j, norm, end, _WEEKDAY_AFTER, cx)
        if nxt and nxt[2].name == "_weekday" and not (nxt[3]["mod"] or nxt[3]["wk"] or nxt[3]["an"]) \
                and _WEEKDAYS[_low(nxt[3]["wd"])] == v.start.weekday():
            end, j = nxt[1], j + 1
    v, end, j = _join(v, end, j, atoms, norm, cx)
    # "November next year", "May of last year", "March or April next year", "the summer of next year"
    if v.cycle == "year":
        nxt = _next_atom(atoms, j, norm, end, _YEAR_AFTER, cx)
        if nxt and nxt[2].name in ("_this_next_last", "_spelled_year") and _whole_year(nxt[0]):
            v, end, j = _to_year(v, nxt[0].start.year), nxt[1], j + 1  # "January nineteen ninety-seven"
    return v, end, j


def _in_context(v: _Val, cx: _Cx, here: _Val | None, dated: _Val | None, gap: str) -> _Val:
    """Place an inferred date by the dates before it in the same text, where a list or a story says so."""
    # A bare weekday listed after a later date follows it: "Japan on Oct. 29 and Malaysia on Friday".
    if (v.cycle == "week" and here is not None and here.grain == "day" and cx.tense != "past"
            and here.start > cx.ref and v.start < here.start and len(gap) <= 60 and _LIST_GAP.search(gap)
            and not _NOT_LIST.search(gap)):
        k = -(-(here.start - v.start).days // 7)
        return replace(v, start=v.start + timedelta(weeks=k), end=v.end + timedelta(weeks=k))
    # A yearless day or month told after a written-out year follows it: "in June 2018 ..., then in February".
    if v.cycle == "year" and dated is not None and cx.tense == "past" and v.grain in ("day", "month"):
        s, e = _shift_span(v.start, v.end, 12 * (dated.start.year - v.start.year))
        if s < dated.start:
            s, e = _shift_span(s, e, 12)
        if e <= cx.ref:
            return replace(v, start=s, end=e)
    return v


# -- public API ----------------------------------------------------------------------------------

def find_dates(text: str, ref: date | datetime, tense: str | None = None,
               anchor: date | None = None, *, locale: Locale | None = None, vague: bool = False) -> list[Found]:
    """Every time expression in text, left to right, non-overlapping, longest match first.

    Vague references ("now", "currently", "recently", "soon") are left out unless ``vague``; then they
    come marked (``Resolved.vague``) and are no date.  ``locale`` (see ``locale_for``) decides the order of
    a/b/yyyy dates, the fiscal year and "local time"."""
    return _scan(text, ref, tense, anchor, False, locale or _NO_LOCALE, vague)


def resolve(phrase: str, ref: date | datetime, tense: str | None = None,
            anchor: date | None = None, *, locale: Locale | None = None) -> Resolved:
    """Resolve one whole time phrase (leading "on", "in", "as early as" etc. allowed)."""
    found = _scan(phrase, ref, tense, anchor, True, locale or _NO_LOCALE, True)
    if not found:
        raise Unresolvable(f"no time expression in {phrase!r}")
    if len(found) > 1:
        raise Unresolvable(f"several time expressions in {phrase!r}: "
                           + ", ".join(repr(f.value.text) for f in found))
    f = found[0]
    norm = phrase.translate(_NORMALISE)
    if not (_FILLER.fullmatch(norm, 0, f.start_char) and _FILLER.fullmatch(norm, f.end_char)):
        raise Unresolvable(f"{phrase!r} has words around the time expression {f.value.text!r}")
    v = f.value  # built field by field: dataclasses.replace is slow on a hot path
    return Resolved(v.start, v.end, v.grain, phrase.strip(), v.time, v.unit, v.mod, v.zone, v.vague, v.part_of_day,
                    v.timex_value)


def when_json(phrase: str, ref: date | datetime, tense: str | None = None, *, timex: bool = False,
              locale: Locale | None = None) -> dict:
    """One JSON-ready line for ``summitbot when``: the resolution or an error; never raises."""
    try:
        return resolve(phrase, ref, tense, locale=locale).to_json(timex=timex)
    except Unresolvable as exc:
        return {"text": phrase, "error": str(exc)}
    except Exception as exc:  # the CLI must keep going line by line; a bug is logged, not fatal
        log.exception("when_json failed on %r", phrase)
        return {"text": phrase, "error": f"internal error: {exc}"}
