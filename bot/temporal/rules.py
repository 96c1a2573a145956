"""The rule machinery: the atom value (_Val), the resolution context (_Cx), the rule table (@_rule), running a
rule safely, and inference of a yearless date by tense."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from types import ModuleType
from typing import Callable

from .calendar_math import Span
from .lexicon import _FLAGS
from .locales import Locale, _NO_LOCALE


log = logging.getLogger(__name__)
_MAX_YEARS = 1100  # further than this from ref is a misreading, not a date (history reaches back to 1000)


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
    parts: tuple = ()         # the dates a joined span is made of, as (start offset, end offset, _Val)


@dataclass(frozen=True)
class _Cx:
    ref: date
    tense: str | None
    anchor: Span
    lenient: bool  # resolve() mode: a whole phrase is known to be a time phrase
    text: str
    locale: Locale = field(default_factory=lambda: _NO_LOCALE)
    strict: bool = False  # the tense is the date's own (its verb's), not the sentence's: no near-date rule

    def at(self, anchor: Span, tense: str | None | bool = False) -> _Cx:
        """This context with another anchor (and tense); faster than dataclasses.replace on the hot path."""
        return _Cx(self.ref, self.tense if tense is False else tense, anchor, self.lenient, self.text, self.locale,
                   self.strict)


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern
    fn: Callable[[re.Match, _Cx], _Val | None]
    need: str  # a cheap feature the text must have before this rule's regex is worth running
    cues: tuple[str, ...] = ()  # lower-case words one of which every match contains: a finer gate than need


_REGISTRY: dict[str, list[_Rule]] = {}  # module name -> its rules, in the order it defines them


def _rule(pattern: str, need: str = "words", cues: tuple[str, ...] = ()) -> Callable:
    """Register a handler for a pattern under its module (see rule_table)."""
    def deco(fn: Callable[[re.Match, _Cx], _Val | None]) -> Callable:
        _REGISTRY.setdefault(fn.__module__, []).append(_Rule(fn.__name__, re.compile(pattern, _FLAGS), fn, need, cues))
        return fn
    return deco


def rule_table(*modules: ModuleType) -> list[_Rule]:
    """The rules of these modules, module by module and each module's in its order: the order breaks ties."""
    return [r for module in modules for r in _REGISTRY.get(module.__name__, ())]


def _distance(c: Span, ref: date) -> int:
    """Days from ref to the nearest day of a span (0 inside it)."""
    return 0 if c[0] <= ref <= c[1] else min(abs((c[0] - ref).days), abs((c[1] - ref).days))


def _choose(cands: list[Span], ref: date, tense: str | None) -> Span | None:
    """Pick the occurrence a tense implies: next on/after ref, latest on/before, or nearest."""
    cands = sorted(cands)
    if not cands:
        return None
    if tense == "future":
        return next((c for c in cands if c[1] >= ref), cands[-1])
    if tense == "past":
        return next((c for c in reversed(cands) if c[0] <= ref), cands[0])
    # The nearest: the first span ending on or after ref, or the one before it (the candidates of one date repeat
    # without overlapping); ties prefer the future.
    i = next((k for k, c in enumerate(cands) if c[1] >= ref), len(cands))
    if i == len(cands):
        return cands[-1]
    after = cands[i]
    if i == 0 or after[0] <= ref:
        return after
    before = cands[i - 1]
    return before if (ref - before[1]).days < (after[0] - ref).days else after


# The near-date rule: news reports what is coming in the past tense ("the deadline was extended to Nov. 16",
# "the sale was expected to close in December") and writes the year of a date most of a year back; so a
# yearless date a past-tense sentence would put _FAR days or more back, while it falls within _NEAR days ahead,
# is the one ahead.  Not the other way (a future sentence's date stays ahead), and not when the tense is the
# date's own (cx.strict): a caller that parsed the date's verb asks for its direction.
_NEAR, _FAR = 70, 240


def _choose_yearly(cands: list[Span], cx: _Cx) -> Span | None:
    """The occurrence of a yearly date the tense implies, unless the near-date rule moves it."""
    span = _choose(cands, cx.ref, cx.tense)
    if cx.tense != "past" or cx.strict or span is None or _distance(span, cx.ref) < _FAR:
        return span
    ahead = _choose(cands, cx.ref, "future")
    return ahead if _distance(ahead, cx.ref) <= _NEAR else span


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
    span = _choose_yearly(cands, cx)
    return _Val(span[0], span[1], grain, cycle="year") if span else None


def _occurrence(cands: list[Span], ref: date, mod: str) -> Span:
    """The occurrence of a yearly date a modifier names: next/coming (after ref), last/past (before ref), this
    (in ref's year)."""
    if mod in ("next", "coming", "this coming"):
        return next(c for c in sorted(cands) if c[0] > ref)
    if mod in ("last", "past", "this past"):
        return next(c for c in sorted(cands, reverse=True) if c[1] < ref)
    return next(c for c in cands if c[0].year == ref.year)


def _cap_ok(token: str | None, cx: _Cx) -> bool:
    """Month/day names in running text are capitalised; "may", "march", "sun" are other words."""
    return cx.lenient or (bool(token) and token[0].isupper())


def _before(m: re.Match, cx: _Cx, n: int = 30) -> str:
    return cx.text[max(0, m.start() - n):m.start()]


def _after(m: re.Match, cx: _Cx, n: int = 30) -> str:
    return cx.text[m.end():m.end() + n]


def _two_digit_year(yy: str, ref: date) -> int:
    """'23 -> 2023; a two-digit year more than 20 years ahead of ref is last century's."""
    y = 2000 + int(yy)
    return y if y <= ref.year + 20 else y - 100


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
