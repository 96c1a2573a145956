"""Vocabulary shared by the time rules: month, weekday, number and ordinal words, the regex fragments
built from them, and the text normalisation that keeps character offsets."""

from __future__ import annotations

import functools
import re


_FLAGS = re.I | re.A | re.X  # ASCII-only: no Unicode case folding surprises (e.g. Kelvin sign)


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
            r"|kilometers|kilometres|miles|cases|deaths|members|refugees|migrants|vehicles|missiles|men|women"
            r"|children|years|hours|hrs|GMT|UTC|local\s+time|feet|ft|metres|meters|kg)\b))")
_DASH = r"(?:-|to|through|thru|until|till|and|or|&)"


def _day(name: str) -> str:
    """A day number; not the start of 24,000 or 3.5, but "24,2014" (a year after a comma, the space left out)."""
    return rf"(?P<{name}>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?!\.\d|,(?!(?:19|20)\d\d\b)\d)"


def _year(name: str) -> str:
    """A year of four digits, 1000-2099 (history's years too: 1775, 1862)."""
    return rf"(?P<{name}>(?:1\d|20)\d\d)\b(?![.,]\d)"


# 1:1 character mapping keeps offsets valid while letting the ASCII regexes see dashes/spaces.
_NORMALISE = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ", "\u2013": "-",
                            "\u2014": "-", "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2019": "'",
                            "\u2018": "'"})


@functools.lru_cache(maxsize=4096)  # matched words repeat ("next", "Oct.", "week")
def _low(s: str | None) -> str:
    return _SPACES.sub(" ", s.lower()).strip(" .") if s else ""


_SPACES = re.compile(r"\s+")
_PART_MOD = {"early": "start", "mid": "mid", "late": "end"}  # TIMEX3 START, MID, END of the period named


def _num(s: str) -> int:
    s = _low(s)
    return int(s) if s.isdigit() else _NUMBERS[s]


_POD = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI", "overnight": "NI", "tonight": "NI"}
