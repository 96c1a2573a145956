"""Composition of adjacent atoms: a clock time onto its day, a confirming weekday, a year completing a
yearless date, dates joined by and/or/to, prefixes (by, since, before), and placement by earlier dates."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from .calendar_math import _RANK, _shift_span
from .lexicon import _FLAGS, _low, _WEEKDAYS
from .rules import _Cx, _Rule, _run, _Val
from .values import timex_value


_POSSESSIVE = re.compile(r" ?['\u2019]s\b")  # a date as the determiner of a noun: "Monday's talks"
_BETWEEN = re.compile(r"\bbetween\s+$", _FLAGS)
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


_LIST_CONNECTORS = ("and", "or", "&", "/", ",")


def _moved(old: _Val, new: _Val, conn: str, cx: _Cx) -> _Val:
    """An inferred date moved to follow (or lead) the date joined to it.  A range ("Sept. 14 to Thursday")
    always moves it: its end is read from its start.  A list ("Friday and Thursday") does not move it across the
    reference against the tense: in a past-tense sentence a date on or before the reference stays there ("made
    Friday and Thursday" on a Friday: the Thursday just gone, not next week's), in a future-tense one a date on
    or after it stays there."""
    if conn not in _LIST_CONNECTORS:
        return new
    if cx.tense == "past" and old.end <= cx.ref < new.end:
        return old
    if cx.tense == "future" and new.start < cx.ref <= old.start:
        return old
    return new


def _weeks(v: _Val, k: int) -> _Val:
    return replace(v, start=v.start + timedelta(weeks=k), end=v.end + timedelta(weeks=k))


def _months(v: _Val, n: int) -> _Val:
    """v moved by n months, with the dates it joins."""
    s, e = _shift_span(v.start, v.end, n)
    parts = tuple((ps, pe, _months(p, n)) for ps, pe, p in v.parts)
    return replace(v, start=s, end=e, parts=parts)


def _combine(a: _Val, b: _Val, conn: str, cx: _Cx) -> tuple[_Val, _Val, _Val] | None:
    """Two dates joined by a connector: one span, moving an inferred side to follow the other; returns it with
    both sides as placed in it."""
    if b.cycle == "week":
        b = _moved(b, _weeks(b, -((b.start - a.start).days // 7)), conn, cx)
    elif a.cycle == "week" and b.start == b.end:  # "Wednesday and Thursday next week": into b's week
        a = _moved(a, _weeks(a, (b.start - a.start).days // 7), conn, cx)
    elif b.cycle == "year":
        years = a.start.year - b.start.year
        s, e = _shift_span(b.start, b.end, 12 * years)
        if s < a.start:
            s, e = _shift_span(s, e, 12)
        elif _shift_span(s, e, -12)[0] >= a.start:
            s, e = _shift_span(s, e, -12)
        b = _moved(b, replace(b, start=s, end=e), conn, cx)
    elif a.cycle == "year":  # "Oct. 31 and Nov. 1, 2026": the first date takes the second's year
        n = 12 * (b.start.year - a.start.year)
        if _shift_span(a.start, a.end, n)[0] > b.start:
            n -= 12
        a = _months(a, n)
    grain = max(a.grain, b.grain, key=_RANK.__getitem__)
    cycle = "year" if a.cycle == b.cycle == "year" else None  # "March or April" can still move: "... next year"
    if conn in _LIST_CONNECTORS:
        return _Val(min(a.start, b.start), max(a.end, b.end), grain, cycle=cycle), a, b
    if b.end < a.start:
        return None
    return _Val(a.start, b.end, grain, cycle=cycle), a, b


def _join(v: _Val, start: int, end: int, j: int, atoms: list, norm: str, cx: _Cx) -> tuple[_Val, int, int]:
    """Fold the dates that follow v through connectors into one span: "Oct. 31 and Nov. 1",
    "Monday to Wednesday", "April, May and June" (a comma list counts once an and/or closes it); the span
    keeps the dates it joins (_Val.parts)."""
    best = (v, end, j)
    parts = v.parts or ((start, end, v),)
    while j < len(atoms):
        nxt_start, nxt_end, rule, m = atoms[j]
        cm = _CONNECT.fullmatch(norm, end, nxt_start)
        if not (cm or _COMMA.fullmatch(norm, end, nxt_start)):
            break
        if cm and _low(cm["c"]) == "to" and _POSSESSIVE.match(norm, nxt_end):
            break  # "a revision Friday to December's figures": "to" governs the noun the date determines
        w = _run(rule, m, cx.at((v.start, v.end)))
        conn = _low(cm["c"]) if cm else ","
        if conn == "and" and _BETWEEN.search(norm, max(0, start - 8), start):
            conn = "to"  # "between X and Y" is a range, not a list
        joined = _combine(v, w, conn, cx) if w and not w.is_time else None
        if joined is None:
            break
        joined, a, b = joined
        if a is not v:  # moved, with the dates already joined to it
            parts = a.parts if a.parts else ((parts[0][0], parts[0][1], a),)
        parts += ((nxt_start, nxt_end, b),)
        v, end, j = replace(joined, parts=parts), nxt_end, j + 1
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


def _to_year(v: _Val, year: int, written: bool = False) -> _Val:
    """An inferred yearly date moved into the given year (by its start; a winter told with a written-out year
    by its January, as "winter 1994" is Dec. 1993 to Feb. 1994)."""
    by = v.end.year if written and v.unit == "season" and v.start.month == 12 else v.start.year
    return replace(_months(v, 12 * (year - by)), cycle=None)


def _compose(v: _Val, rule: _Rule, start: int, end: int, j: int, atoms: list, norm: str,
             cx: _Cx) -> tuple[_Val, int, int]:
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
    v, end, j = _join(v, start, end, j, atoms, norm, cx)
    # "November next year", "May of last year", "March or April next year", "the summer of next year"
    if v.cycle == "year":
        nxt = _next_atom(atoms, j, norm, end, _YEAR_AFTER, cx)
        if nxt and nxt[2].name in ("_this_next_last", "_spelled_year") and _whole_year(nxt[0]):
            # "January nineteen ninety-seven", "the winter of nineteen ninety-four"
            v, end, j = _to_year(v, nxt[0].start.year, nxt[2].name == "_spelled_year"), nxt[1], j + 1
    return v, end, j


_STEP_BACK = timedelta(days=92)  # about a quarter: WikiWars dev articles, 31-183 days all read alike


def _in_context(v: _Val, cx: _Cx, here: _Val | None, dated: _Val | None, gap: str) -> _Val:
    """Place an inferred date by the dates before it in the same text, where a list or a story says so."""
    # A bare weekday listed after a later date follows it: "Japan on Oct. 29 and Malaysia on Friday".
    if (v.cycle == "week" and here is not None and here.grain == "day" and cx.tense != "past"
            and here.start > cx.ref and v.start < here.start and len(gap) <= 60 and _LIST_GAP.search(gap)
            and not _NOT_LIST.search(gap)):
        k = -(-(here.start - v.start).days // 7)
        return replace(v, start=v.start + timedelta(weeks=k), end=v.end + timedelta(weeks=k))
    # A yearless day or month told after a written-out year follows it: "in June 2018 ..., then in February";
    # one that falls less than _STEP_BACK before that date is the same year's: a story steps back a little
    # ("... on 9 September 1914. [Africa] On 7 August, troops invaded Togoland") more often than it jumps ahead.
    if v.cycle == "year" and dated is not None and cx.tense == "past" and v.grain in ("day", "month"):
        s, e = _shift_span(v.start, v.end, 12 * (dated.start.year - v.start.year))
        if s < dated.start - _STEP_BACK:
            s, e = _shift_span(s, e, 12)
        if e <= cx.ref:
            return replace(v, start=s, end=e)
    return v
