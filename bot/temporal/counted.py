"""Rules for counted and rolling spans (in two weeks, within the month, over the past three months, three
weeks ago, days later) and anaphora (the following day, that week)."""

from __future__ import annotations

import re
from datetime import timedelta

from .calendar_math import _grain, _reported_quarter, _shift, _unit_span
from .lexicon import _FLAGS, _low, _NUM, _num, _UNIT, _UNIT_CUES
from .rules import _before, _Cx, _rule, _Val
from .values import _window_value


# Unnumbered spans ("the coming days/weeks/months"): 7 days, 4 weeks, 3 months, 3 years.
_ROLL_DEFAULT = {"day": (7, "week"), "week": (4, "week"), "fortnight": (2, "week"), "month": (3, "month"),
                 "year": (3, "year"), "hour": (24, "day")}
_CALENDAR_UNITS = ("week", "month", "quarter", "year")
_FEW = r"(?:a\s+few|few|several|some|a\s+number\s+of)"


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
       rf"|previous|following)\s+(?:(?P<n>{_NUM}|few|several)\s+)?(?P<u>{_UNIT})(?P<pl>s)?(?P<so>\s+or\s+so)?"
       rf"|(?P<u2>{_UNIT})s\s+(?:ahead|to\s+come))\b"
       rf"|\b(?P<dir2>next|coming|past|last)\s+(?P<n2>{_NUM}|few|several)\s+(?P<u3>{_UNIT})s?\b"
       rf"|\b(?:(?:in|over|during)\s+)?(?P<recent>recent)\s+(?P<u4>{_UNIT})s\b"
       rf"|\b(?:in|over|during)\s+(?P<dir3>coming|upcoming)\s+(?P<u5>{_UNIT})s\b", cues=_UNIT_CUES)
def _rolling(m: re.Match, cx: _Cx) -> _Val | None:
    """In the coming days (ref..ref+7), over the past two weeks, in the months ahead, next 3 days,
    in recent weeks, the next year or so (approx)."""
    direction = _low(m["dir"] or m["dir2"] or m["dir3"]) or ("past" if m["recent"] else "next")
    unit = _low(m["u"] or m["u2"] or m["u3"] or m["u4"] or m["u5"])
    plural = bool(m["pl"] or m["u2"] or m["u4"] or m["u5"])
    n_raw = _low(m["n"] or m["n2"])
    if not (m["prep"] or plural or n_raw or m["so"]) and direction in ("next", "following", "last", "previous"):
        return None  # "the next day" / "the last week of June" belong to other rules
    if n_raw and n_raw not in ("few", "several"):
        n, grain = _num(n_raw), _grain(unit)
    elif plural or n_raw:
        n, grain = _ROLL_DEFAULT[unit]
    else:
        n, grain = 1, _grain(unit)
    vague = (plural or n_raw) and not (n_raw and n_raw not in ("few", "several"))  # "recent weeks", "the coming months"
    if direction in ("past", "last", "previous"):
        s, e = _shift(cx.ref, -n, unit, ceil=True), cx.ref
        value = "PAST_REF" if vague else None
    else:
        s = cx.anchor[1] if direction == "following" else cx.ref
        e = _shift(s, n, unit, ceil=True)
        value = "FUTURE_REF" if vague and direction != "following" else None
    if n == 1 and unit in _CALENDAR_UNITS:  # "the past year": named by the calendar year it mostly covers
        value = _window_value(s, e, unit)
    return _Val(s, e, grain, value=value, mod="approx" if m["so"] else None)


# A money or per-share figure just before "a year ago": "$12.4 billion", "2.1 billion yen", "93 cents a share,"
_FIGURE = re.compile(r"(?:\$\s?\d[\d,.]*(?:\s+(?:million|billion|trillion))?|\d[\d,.]*\s+(?:million|billion|trillion)"
                     r"(?:\s+(?:dollars|euros|pounds|yen|yuan|won|marks|francs|rupees))?"
                     r"|\b(?:cents?|pence)(?:\s+a\s+share)?|\ba\s+share)\s*,?\s*$", _FLAGS)


@_rule(rf"\b(?P<n>{_NUM})\s+(?P<u>{_UNIT}|decade|centur(?:y|ie))s?\s+(?P<dir>ago|later|earlier|afterwards?|after\s+that"
       rf"|before\s+that|prior|previously|from\s+now|from\s+today|hence)\b", cues=(*_UNIT_CUES, "decade", "centur"))
def _counted(m: re.Match, cx: _Cx) -> _Val:
    """Three weeks ago, a week from now (from ref); two days later/earlier (from the anchor); a decade ago, two
    centuries later (in years: TIMEX "a decade ago" in 1999 is 1989)."""
    n, unit, direction = _num(m["n"]), _low(m["u"]), _low(m["dir"])
    if unit.startswith(("decade", "centur")):
        n, unit = n * (10 if unit == "decade" else 100), "year"
    if (n, unit) == (1, "year") and direction in ("ago", "earlier") and _FIGURE.search(_before(m, cx)):
        # "$93.3 million a year earlier", "8 cents a share, a year ago": a reported figure set against the same
        # period a year before, which is the quarter last reported (as "the year-ago quarter")
        return _Val(*_reported_quarter(cx.ref, 1), "quarter")
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
