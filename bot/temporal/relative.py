"""Rules for weekdays and dates relative to the reference: Tuesday, next Friday, today, tonight, this weekend,
next month, two Mondays from now, June after next, this time next year, and vague references (now, soon)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .calendar_math import _day_in_months, _month_span, _reported_quarter, _shift, Span, _unit_span, _week_span
from .lexicon import _FLAGS, _low, _MON, _MONTHS, _NUM, _num, _POD, _WD, _WD_ABBR, _WD_ANY, _WEEKDAYS
from .rules import _before, _cap_ok, _choose, _Cx, _rule, _Val, _yearly
from .spans import _season_spans
from .values import _window_value


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
    cands = [(x, x) for x in _day_in_months(cx.ref, day, range(-12, 13)) if x.weekday() == wd]
    span = _choose(cands, cx.ref, cx.tense)
    return _Val(span[0], span[1], "day") if span else None


# Informal spellings of the day words (posts, transcripts, headlines), one line of data: spelling -> the word.
_DAY_SPELLINGS = {"2day": "today", "tonite": "tonight", "2nite": "tonight", "tmrw": "tomorrow", "tmrrw": "tomorrow",
                  "2morrow": "tomorrow", "2morow": "tomorrow", "2moro": "tomorrow", "tomorow": "tomorrow",
                  "tommorow": "tomorrow", "tommorrow": "tomorrow"}


@_rule(r"\b(?:(?:later|earlier|late|early)\s+)?(?:(?P<w>the\s+day\s+after\s+tomorrow|the\s+day\s+before\s+yesterday"
       r"|today|tonight|tomorrow|yesterday|" + "|".join(_DAY_SPELLINGS) + r")(?:\s+(?P<pod>morning|afternoon|evening"
       r"|night))?\b"
       r"|(?P<rel>this|last)\s+(?P<pod2>morning|afternoon|evening|night)\b|(?P<on>overnight)\b(?!\s+(?:stay|flight|bag)))"
       r"|\b(?P<now>(?:right\s+|just\s+)?now)\b",
       cues=("today", "tomorrow", "yesterday", "morning", "afternoon", "evening", "night", "now", "2day", "tonite",
             "2nite", "tmr", "2mor", "tomorow", "tommor"))
def _relative_day(m: re.Match, cx: _Cx) -> _Val | None:
    """Today, tonight, tomorrow morning, yesterday, the day after tomorrow, late last night, overnight (the night
    ending on the reference day), (right) now; informally spelt (2day, tmrw, tonite)."""
    if m["now"]:  # the reference itself, no date: a vague value (left out of running text unless asked)
        return _Val(cx.ref, cx.ref, "day", vague="PRESENT_REF")
    word = _low(m["w"] or m["rel"])
    word = _DAY_SPELLINGS.get(word, word)
    offset = {"the day after tomorrow": 2, "the day before yesterday": -2, "tomorrow": 1, "yesterday": -1,
              "last": -1}.get(word, 0)
    d = cx.ref + timedelta(days=offset)
    pod = _POD.get(_low(m["pod"] or m["pod2"] or m["on"])) or ("NI" if word == "tonight" else None)
    return _Val(d, d, "day", pod=pod)


_VAGUE_WORDS = {  # TIMEX3 vague values; each is one line of data
    "PRESENT_REF": r"currently|presently|at\s+present|at\s+the\s+moment|nowadays|these\s+days|for\s+now|current"
                   r"|already",
    "PAST_REF": r"recently|lately|in\s+the\s+past|in\s+recent\s+(?:times|years)|in\s+the\s+recent\s+past|recent"
                r"|previously|formerly|at\s+(?:the|that)\s+time(?!\s+(?:of|when|for|to)\b)"
                # "a once high-flying toy maker", "the once-mighty party": once as formerly, between a determiner
                # and the adjective it dates (not "once a year", "once the deal closes", "at once")
                r"|(?:(?<=\ba\s)|(?<=\ban\s)|(?<=\bthe\s)|(?<=\bits\s)|(?<=\bhis\s)|(?<=\bher\s)|(?<=\btheir\s))"
                r"once(?!\s+(?:and|or|upon|again|more|in|a|an|the)\b)(?=-?\s*[a-z]{3,})",
    "FUTURE_REF": r"(?:in\s+)?the\s+(?:near\s+|not\s+too\s+distant\s+|distant\s+)?future(?!\s+(?:of|for)\b)"
                  r"|(?<!\bas\s)soon(?!\s+(?:as|after|afterwards?|before|thereafter)\b)|shortly(?!\s+(?:after|before)\b)"
                  r"|in\s+due\s+course|before\s+long|one\s+day|some\s+day|someday|eventually|future"
                  r"|(?:in\s+|over\s+)?the\s+(?:near|short)\s+term|as\s+soon\s+as\s+possible",
}
_VAGUE_NAMES = {name: re.compile(rf"(?:{rx})$", _FLAGS) for name, rx in _VAGUE_WORDS.items()}


@_rule(r"\b(?:" + "|".join(f"(?:{rx})" for rx in _VAGUE_WORDS.values()) + r")\b",
       cues=("current", "present", "moment", "nowaday", "these days", "for now", "recent", "lately", "in the past",
             "previous", "formerly", "once", "already", "at the time", "at that time", "soon", "shortly", "future",
             "due course", "before long", "one day", "some day", "someday", "eventually", " term"), need="always")
def _vague_ref(m: re.Match, cx: _Cx) -> _Val:
    """Currently, recently, in the past, soon, in the future: a vague reference, never a made-up day."""
    text = m.group(0)
    name = "PAST_REF" if _low(text) == "once" else next(n for n, rx in _VAGUE_NAMES.items() if rx.fullmatch(text))
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


_TO_DATE = re.compile(r"\b(?:so|thus)\s+far\s+$|\bto\s+date\s+$", _FLAGS)


def _results_season(m: re.Match, cx: _Cx) -> bool:
    """Whether a past-tense "this quarter" is the quarter just reported: said in the first weeks of a quarter, when
    the last one's results come out ("This quarter's loss includes ..." in early November is the third quarter's, as
    "the quarter" is), and not as the quarter so far ("so far this quarter")."""
    return (cx.ref - _unit_span(cx.ref, "quarter", 0)[0]).days < 45 and not _TO_DATE.search(_before(m, cx, 14))


@_rule(r"\b(?P<mod>this\s+coming|this\s+past|this|next|last|previous|current|the\s+current|coming|upcoming|past|all)\s+"
       r"(?P<u>week|month|year|quarter)\b", cues=("week", "month", "year", "quarter"))
def _this_next_last(m: re.Match, cx: _Cx) -> _Val:
    """This week, next month, last year, this quarter, all week ("past/coming" are rolling windows)."""
    mod, unit = _low(m["mod"]), _low(m["u"])
    mod = {"previous": "last", "all": "this", "upcoming": "coming"}.get(mod, mod)
    if mod in ("coming", "this coming", "past", "this past"):  # a rolling window, named by the unit it mostly covers
        s, e = sorted((cx.ref, _shift(cx.ref, -1 if "past" in mod else 1, unit)))
        return _Val(s, e, unit, value=_window_value(s, e, unit))
    if unit == "quarter" and _low(m["mod"]) == "this" and cx.tense == "past" and _results_season(m, cx):
        return _Val(*_reported_quarter(cx.ref), unit)
    s, e = _unit_span(cx.ref, unit, {"next": 1, "last": -1}.get(mod, 0))
    return _Val(s, e, unit)


@_rule(r"\b(?:(?:for|during|over|throughout)\s+the\s+(?:full\s+|whole\s+|entire\s+)?|(?:months|weeks|quarters|half)"
       r"\s+of\s+the\s+)year\b(?!\s*(?:-|'|,?\s*(?:19|20)\d\d|(?:ago|earlier|later|before|after|ended|ending|to|of|in|when"
       r"|that|which|ahead|since)\b))", cues=("for the", "during the", "over the", "throughout the", "of the year"))
def _the_year(m: re.Match, cx: _Cx) -> _Val:
    """For the year, for the full year, nine months of the year: the reference's year, the one being reported."""
    return _Val(*_unit_span(cx.ref, "year", 0), "year")


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


@_rule(r"\bthis\s+time\s+(?P<d>next|last)\s+(?P<u>week|month|year)\b", cues=("time",))
def _this_time(m: re.Match, cx: _Cx) -> _Val:
    """This time next year: the same day one unit away."""
    unit = _low(m["u"])
    d = _shift(cx.ref, 1 if _low(m["d"]) == "next" else -1, unit)
    return _Val(d, d, unit)
