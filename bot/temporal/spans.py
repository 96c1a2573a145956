"""Rules for parts of periods and multi-month spans: early/mid/late X, the end of the year, the first half of
2026, seasons, quarters, halves, the year-ago quarter."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .calendar_math import _add_months, _month_span, _quarter_span, _reported_quarter, Span, _unit_span
from .lexicon import _FLAGS, _low, _MON, _MONTHS, _PART_MOD, _year
from .rules import _after, _before, _cap_ok, _choose, _choose_yearly, _Cx, _inferred, _rule, _Val, _yearly
from .values import _unit_value


_SEASON_CTX = re.compile(r"\b(?:in|during|by|until|till|since|over|through|before|after|for|throughout)"
                         r"\s+(?:the\s+)?$", _FLAGS)


@_rule(r"\b(?:the\s+)?(?P<h>first|second|1st|2nd|latter)[-\s]half\b(?!\s+of\b)", need="lenient")
def _bare_half(m: re.Match, cx: _Cx) -> _Val | None:
    """The second half (of the year, as a whole phrase; in running text it is often a match's)."""
    if not cx.lenient:
        return None
    first = _low(m["h"]) in ("first", "1st")
    return _inferred(cx, lambda y: (date(y, 1, 1), date(y, 6, 30)) if first else (date(y, 7, 1), date(y, 12, 31)),
                     "year", None)


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
        |(?:first|second|last|final)\s+two\s+quarters
        |(?:first|second|third|fourth|last|final)\s+(?:week|day)|first\s+days|last\s+days|final\s+days
        |latter\s+part|early\s+part|rest|remainder|balance)\s+of\s+
  | (?:the\s+)?(?P<b2>(?:first|second|third|fourth|last|final)\s+(?:week|day))\s+in\s+
  | (?P<c>end|start)-
)"""
_PART_ALIASES = {"beginning": "early", "start": "early", "early part": "early", "middle": "mid",
                 "end": "late", "latter part": "late", "later": "late", "earlier": "early",
                 "latter half": "second half", "first two quarters": "first half",
                 "second two quarters": "second half", "last two quarters": "second half",
                 "final two quarters": "second half", "final week": "last week", "last days": "last week",
                 "final days": "last week", "first days": "first week", "final day": "last day",
                 "remainder": "rest", "balance": "rest"}
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
    span = _choose_yearly(cands, cx) if inferred else _choose(cands, cx.ref, cx.tense)
    if span is None:
        return None
    mod = _PART_MOD.get(part)
    tunit = "season" if m["season"] else unit
    return _Val(span[0], span[1], "day" if part in _NTH_DAY or part == "last day" else unit,
                cycle="year" if inferred else None, part="end" if raw == "end" else None,
                unit=tunit if mod else None, mod=mod)


@_rule(r"\b(?:the\s+)?(?:(?P<u>year|month|week)(?:[-\s]|'s\s+)end|mid-?(?P<m>year|month|week))\b",
       cues=("year", "month", "week"))
def _unit_end(m: re.Match, cx: _Cx) -> _Val:
    """Year-end, month-end, midyear: the current one."""
    unit = _low(m["u"] or m["m"])
    s, e = _unit_span(cx.ref, unit, 0)
    part = "late" if m["u"] else "mid"
    s, e = _part_span(s, e, unit, part)
    return _Val(s, e, unit, part="end" if m["u"] else None, unit=unit, mod=_PART_MOD[part])


_OF_NOT_YEAR = re.compile(r"\s+of\b(?!\s+(?:(?:this|next|last)\s+year|nineteen|twenty|two\s+thousand)\b)", _FLAGS)


@_rule(rf"\b(?:(?P<srel>this\s+coming|this\s+past|this|next|last|coming|past|the)\s+)?"
       rf"(?P<season>spring|summer|autumn|fall|winter)\b(?:\s+(?:of\s+)?{_year('sy')})?",
       cues=("spring", "summer", "autumn", "fall", "winter"))
def _season(m: re.Match, cx: _Cx) -> _Val | None:
    """This summer, next spring, in the fall, winter 2026."""
    rel = _low(m["srel"])
    if not cx.lenient and not m["sy"]:
        if rel in ("", "the") and not _SEASON_CTX.search(_before(m, cx)):
            return None  # "prices fall", "the Arab Spring"
        if rel in ("", "the") and _OF_NOT_YEAR.match(_after(m, cx)):
            return None  # "the fall of Kabul", not "the summer of next year" nor "the winter of nineteen ninety-four"
    spans, inferred = _season_spans(cx, rel, _low(m["season"]), m["sy"])
    span = _choose_yearly(spans, cx) if inferred else _choose(spans, cx.ref, cx.tense)
    return _Val(span[0], span[1], "quarter", cycle="year" if inferred else None, unit="season") if span else None


_DEADLINE = re.compile(r"\b(?:by|before|until|till|through|no\s+later\s+than)\s+$", _FLAGS)  # "by the third quarter": ahead
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "final": 4,
             "last": 4}


@_rule(rf"\b(?:(?:the\s+)?(?:{_year('py')}\s+)?(?P<ord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
       rf"[-\s]quarter|(?P<q>Q[1-4])"
       rf"|(?P<h>H[12]))\b(?:\s+(?:of\s+)?(?:(?P<rel>this|next|last|the|that)\s+year\b|(?:fiscal\s+)?{_year('y')}))?",
       need="any", cues=("quarter", "q1", "q2", "q3", "q4", "h1", "h2"))
def _quarter(m: re.Match, cx: _Cx) -> _Val | None:
    """Q3 2026, the first quarter, the fourth quarter of next year, H2 2026, the 2001 third quarter."""
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
    year = m["y"] or m["py"]
    if cx.tense == "future" and not year and not _DEADLINE.search(_before(m, cx)):
        # Results come after a quarter ends: looking ahead, the quarter just ended is still the one spoken of
        # ("expects to report third-quarter profit" in October), so the choice starts from the last reported one.
        s, e = _choose(_yearly(cx, make), _reported_quarter(cx.ref)[1], "future")
        return _Val(s, e, "quarter", cycle="year")
    return _inferred(cx, make, "quarter", year)


@_rule(r"\b(?:the|its|their)\s+(?P<latest>latest\s+|most\s+recent\s+|just-ended\s+|just\s+ended\s+)?quarter\b(?!\s+(?:of|to|century|final)\b)",
       cues=("quarter",))
def _the_quarter(m: re.Match, cx: _Cx) -> _Val | None:
    """The latest quarter (the last one completed), the quarter (past tense: the same; else the current one):
    the quarter a company reports on."""
    if not (m["latest"] or cx.tense == "past"):
        return None
    return _Val(*_reported_quarter(cx.ref), "quarter")


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
    return _Val(*_reported_quarter(cx.ref, 1), "quarter")


@_rule(r"\blast\s+year's\s+(?:(?:same|comparable|corresponding)\s+)?(?:quarter|period)\b"
       r"|\bthe\s+(?:same|corresponding|comparable|like)\s+(?:quarter|period|three\s+months)\s+(?:of\s+|in\s+)?"
       r"(?:last\s+year|the\s+(?:previous|prior|preceding)\s+year|a\s+year\s+(?:ago|earlier|before))\b",
       cues=("quarter", "period", "three months"))
def _year_ago_period(m: re.Match, cx: _Cx) -> _Val:
    """Last year's quarter, the corresponding period last year, the same quarter a year ago: the quarter last
    reported, a year before (as "the year-ago quarter")."""
    return _Val(*_reported_quarter(cx.ref, 1), "quarter")
