"""Rules for dates with a month name: Oct. 31, 29 October 2025, June 15-17, the first of March, July, next May,
the week of June 15, and ordinal days (the 24th, the 12th of next month)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from .calendar_math import _add_months, _day_in_months, _month_span, _week_span
from .lexicon import (
    _AMBIGUOUS_MONTHS, _DASH, _day, _FLAGS, _FULL_MONTHS, _low, _MON, _MONTHS, _NOT_QTY, _ORD_WORD, _ORD_WORDS,
    _WD_ABBR, _WD_ANY, _WDP, _year
)
from .rules import _after, _before, _cap_ok, _choose, _Cx, _inferred, _occurrence, _rule, _Val, _yearly


_MONTH_CTX = re.compile(
    rf"(?:\b(?:in|by|since|until|till|during|from|between|of|early|mid|late|next|last|this|coming|"
    rf"through)\s+|\bmid-|{_MON}\s*,?\s*(?:and|or|to|through|until|-)\s*)$", _FLAGS)
_MONTH_NEXT = re.compile(rf"^\s*(?:,\s*)?(?:and|or|to|through|until|-)\s*{_MON}", _FLAGS)
_ORD_CTX = re.compile(r"\b(?:on|by|for|until|till|from|since|before|after|starting|through|to|and|or)\s+$", _FLAGS)
_ORD_PAIR = re.compile(r"\bthe\s+(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\s+(?:and|to|through|-)\s*$", _FLAGS)
_ORD_PAIRED = re.compile(r"\s*(?:and|to|through|-)\s*(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)\b", _FLAGS)
_ORD_NOUN = re.compile(r"^\s+(?!(?:and|or|to|through|at|of|in|when|as|until|till|with|for|from|before|after"
                       r"|but|is|was|will|would)\b)(?:[a-z]|(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
                       r"|Mon|Tue|Wed|Thu|Fri|Sat|Sun))[A-Z])")  # "for the 22nd India-Russia summit"


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


_DMOD = r"(?:(?P<dmod>this\s+coming|this\s+past|this|next|last|coming|past)\s+)?"  # "last Oct. 23"


@_rule(rf"\b{_DMOD}{_WDP}(?P<mon>{_MON})\s+(?:the\s+)?{_day('d')}{_NOT_QTY}(?:(?:,\s*|\s+){_year('y')})?{_WDA}",
       need="month")
def _month_day(m: re.Match, cx: _Cx) -> _Val | None:
    """Oct. 31, December 3rd, October 29, 2025, Wednesday, Oct. 29, Jul 18, Fri, last Oct. 23, next March 5."""
    v = _md_val(cx, m["mon"], m["d"], None, m["y"], m["wdp"] or m["wda"])
    if v and m["wda"] and v.start.weekday() != _WD_ABBR[_low(m["wda"])[:3]]:
        return None  # a weekday that disagrees is another date: leave it to its own rule
    if v and m["dmod"] and not m["y"]:
        mon, day = v.start.month, v.start.day
        s, e = _occurrence(_yearly(cx, lambda y: (date(y, mon, day), date(y, mon, day))), cx.ref, _low(m["dmod"]))
        return _Val(s, e, "day")
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
    if not mod:
        return _inferred(cx, lambda y: _month_span(y, mon), "month", None)
    return _Val(*_occurrence(_yearly(cx, lambda y: _month_span(y, mon)), cx.ref, mod), "month")


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
    cands = [(x, x) for x in _day_in_months(cx.ref, d, range(-2, 3))]
    span = _choose(cands, cx.ref, cx.tense)
    return _Val(span[0], span[1], "day") if span else None
