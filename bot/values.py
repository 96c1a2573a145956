"""The value parsers for settings and commands: time zones, times of day, weekdays, lead times, intervals.

A leaf: it imports nothing from bot/, so bot/config.py, bot/subscriptions.py and bot/feeds.py can all
use it without importing one another. Each parser returns the normal form or raises SettingError
saying what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from typing import Iterable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_LEAD_DAYS = 366
MIN_EVERY = timedelta(minutes=5)  # feed polling interval bounds
MAX_EVERY = timedelta(days=7)


class SettingError(ValueError):
    """A channel or subscription setting that cannot be accepted; the message says why."""


@dataclass(frozen=True)
class Lead:
    """How long before a meeting to remind: whole days or hours."""

    amount: int
    unit: str  # "d" | "h"

    @property
    def label(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def hours(self) -> int:
        return self.amount * 24 if self.unit == "d" else self.amount

    def phrase(self) -> str:
        """'1 day', '7 days', '6 hours'."""
        word = "day" if self.unit == "d" else "hour"
        return f"{self.amount} {word}{'' if self.amount == 1 else 's'}"


_LEAD = re.compile(r"^(\d{1,4})\s*(d|h|w|days?|hours?|weeks?)$")


@lru_cache(maxsize=256)
def parse_leads(text: str) -> tuple[Lead, ...]:
    """'7d,1d' -> (7d, 1d); '2w' is 14d; '6h' is hours. Sorted longest first, no duplicates."""
    parts = [p for p in re.split(r"[,\s]+", (text or "").strip().lower()) if p]
    if not parts:
        raise SettingError("no lead time given; write e.g. `7d,1d` or `6h`")
    leads: set[Lead] = set()
    for part in parts:
        m = _LEAD.match(part)
        if not m:
            raise SettingError(f"`{part}` is not a lead time; write days or hours like `7d`, `1d`, `6h`")
        amount, unit = int(m.group(1)), m.group(2)[0]
        if unit == "w":
            amount, unit = amount * 7, "d"
        lead = Lead(amount, unit)
        if lead.hours > MAX_LEAD_DAYS * 24:
            raise SettingError(f"`{part}` is too far ahead; at most {MAX_LEAD_DAYS} days")
        leads.add(lead)
    return tuple(sorted(leads, key=lambda lead: (-lead.hours, lead.unit)))


def format_leads(leads: Iterable[Lead]) -> str:
    return ",".join(lead.label for lead in leads)


# Zones by the abbreviations news and people use; an ambiguous one is refused with its choices.
ZONE_ABBREVIATIONS = {
    "kst": "Asia/Seoul", "jst": "Asia/Tokyo", "hkt": "Asia/Hong_Kong", "sgt": "Asia/Singapore",
    "pht": "Asia/Manila", "wib": "Asia/Jakarta", "ict": "Asia/Bangkok", "pkt": "Asia/Karachi", "msk": "Europe/Moscow",
    "cet": "Europe/Paris", "cest": "Europe/Paris", "eet": "Europe/Athens", "eest": "Europe/Athens",
    "bst": "Europe/London", "wet": "Europe/Lisbon", "est": "America/New_York", "edt": "America/New_York",
    "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles", "mst": "America/Denver", "mdt": "America/Denver",
    "cdt": "America/Chicago", "aest": "Australia/Sydney", "aedt": "Australia/Sydney", "nzst": "Pacific/Auckland",
    "nzdt": "Pacific/Auckland", "eat": "Africa/Nairobi", "wat": "Africa/Lagos", "sast": "Africa/Johannesburg",
    "gst": "Asia/Dubai",
}
# Everyday names of countries that tzdata spells otherwise or that span several zones (their capital's zone).
ZONE_ALIASES = {"korea": "Asia/Seoul", "south korea": "Asia/Seoul", "north korea": "Asia/Pyongyang",
                "us": "America/New_York", "usa": "America/New_York", "united states": "America/New_York",
                "uk": "Europe/London", "britain": "Europe/London", "russia": "Europe/Moscow", "china": "Asia/Shanghai",
                "india": "Asia/Kolkata", "brazil": "America/Sao_Paulo", "australia": "Australia/Sydney",
                "canada": "America/Toronto", "mexico": "America/Mexico_City", "indonesia": "Asia/Jakarta",
                "germany": "Europe/Berlin", "spain": "Europe/Madrid", "kazakhstan": "Asia/Almaty"}
AMBIGUOUS_ZONES = {"ist": ("Asia/Kolkata", "Asia/Jerusalem", "Europe/Dublin"),
                   "cst": ("America/Chicago", "Asia/Shanghai", "America/Havana")}


def _key(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").replace("-", " ").split())


@lru_cache(maxsize=1)
def _zone_names() -> dict[str, str]:
    """City and country names (lower case) -> IANA zone: every zone's city, and each country with one zone."""
    from zoneinfo import available_timezones

    out = {}
    for zone in sorted(available_timezones()):
        if "/" in zone and zone.split("/")[0] in ("Africa", "America", "Antarctica", "Asia", "Atlantic",
                                                   "Australia", "Europe", "Indian", "Pacific"):
            out.setdefault(_key(zone.rsplit("/", 1)[-1]), zone)
    try:  # tzdata's tables: a country with a single zone is that zone ("Korea", "Japan", "Germany")
        from importlib.resources import files

        tables = files("tzdata").joinpath("zoneinfo")
        names = {}
        for line in tables.joinpath("iso3166.tab").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                code, name = line.split("\t", 1)
                names[code] = name
        zones: dict[str, list[str]] = {}
        for line in tables.joinpath("zone.tab").read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                code, _coords, zone = line.split("\t")[:3]
                zones.setdefault(code, []).append(zone)
        for code, found in zones.items():
            if len(found) == 1 and code in names:
                out.setdefault(_key(names[code]), found[0])
    except (ModuleNotFoundError, FileNotFoundError, ValueError):
        pass
    return out


def parse_zone(text: str) -> str:
    """An IANA zone from its name ('Asia/Seoul', any case), a city or a country with one zone ('seoul',
    'Korea') or an abbreviation ('KST'); 'utc' is accepted; an ambiguous abbreviation ('IST') names its choices."""
    name = (text or "").strip()
    if name.lower() in ("utc", "z", "gmt"):
        return "UTC"
    key = _key(name)
    if key in AMBIGUOUS_ZONES:
        raise SettingError(f"`{text}` is several time zones; say which: {', '.join(AMBIGUOUS_ZONES[key])}")
    if "/" not in name:  # a city, a country or an abbreviation before tzdata's old names ('Japan', 'Egypt')
        found = ZONE_ABBREVIATIONS.get(key) or ZONE_ALIASES.get(key) or _zone_names().get(key)
        if found:
            return found
    for candidate in (name, "/".join("_".join(w.capitalize() for w in part.split("_")) for part in name.split("/"))):
        try:
            ZoneInfo(candidate)
            return candidate
        except (ZoneInfoNotFoundError, ValueError):
            pass
    near = nearest_zone(key)
    if near:
        shown = f"`{near[0]}`" + (f" ({near[1]})" if near[0] != near[1] else "")
        raise SettingError(f"`{text}` is not a time zone; did you mean {shown}?")
    raise SettingError(f"`{text}` is not a time zone; use a city, a country or an IANA name such as Asia/Seoul")


@lru_cache(maxsize=1)
def _zone_choices() -> dict[str, str]:
    from zoneinfo import available_timezones

    return {**{_key(zone): zone for zone in available_timezones()}, **_zone_names(), **ZONE_ALIASES,
            **ZONE_ABBREVIATIONS}


def nearest_zone(key: str) -> tuple[str, str] | None:
    """(name, zone) of the city, country or abbreviation nearest a misspelt one ('seol' -> seoul, Asia/Seoul)."""
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    if len(key) < 3:
        return None
    names = _zone_choices()
    found = process.extractOne(key, list(names), scorer=DamerauLevenshtein.normalized_similarity, score_cutoff=0.75)
    if not found:
        return None
    zone = names[found[0]]
    return (zone if "/" in found[0] else found[0]), zone


TIME_WORDS = {"noon": "12:00", "midday": "12:00", "midnight": "00:00"}
_CLOCK = re.compile(r"^(\d{1,2})(?:[:.]?(\d{2}))?$")  # 20:00, 8.30, 0800, 8
_AM_PM = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.?\s*m\.?$")  # 8am, 8 pm, 8:30p.m.
_MERIDIEM = re.compile(r"^[ap]\.?m\.?$")


def parse_time_of_day(text: str) -> str:
    """A local time of day as 'HH:MM': '8am', '8 pm', '8:30pm', '20:00', '0830', 'noon', 'midnight'.

    A wrong one is refused with a correct example made from what was typed ('13pm' -> 13:00 or 1pm)."""
    typed = " ".join((text or "").split())
    key = typed.lower()
    if key in TIME_WORDS:
        return TIME_WORDS[key]
    m = _AM_PM.match(key)
    if m:
        hour, minutes = int(m.group(1)), m.group(2) or "00"
        if not 1 <= hour <= 12:
            example = f"{hour:02d}:{minutes}" if hour <= 23 else "11pm or 23:00"
            raise SettingError(f"`{typed}` is not a time of day: with am or pm the hour is 1 to 12; "
                               f"write {example}" + (f" or {hour % 12 or 12}{m.group(3)}m" if hour <= 23 else ""))
        if int(minutes) > 59:
            raise SettingError(f"`{typed}` is not a time of day: minutes go up to 59, e.g. {hour}:30{m.group(3)}m")
        return f"{hour % 12 + (12 if m.group(3) == 'p' else 0):02d}:{minutes}"
    m = _CLOCK.match(key)
    if m and m.group(2) is None:
        hour = int(m.group(1))
        example = f"{hour}am, {hour}pm or {hour:02d}:00" if 1 <= hour <= 12 else "23:00" if hour > 23 else f"{hour:02d}:00"
        raise SettingError(f"`{typed}` is not a time of day: add am, pm or minutes, e.g. {example}")
    if m:
        hour, minutes = int(m.group(1)), int(m.group(2))
        if hour > 23:
            raise SettingError(f"`{typed}` is not a time of day: hours go from 00 to 23, e.g. 23:{minutes % 60:02d} "
                               "or midnight")
        if minutes > 59:
            raise SettingError(f"`{typed}` is not a time of day: minutes go up to 59, e.g. {hour:02d}:30")
        return f"{hour:02d}:{minutes:02d}"
    raise SettingError(f"`{typed}` is not a time of day; write e.g. 8am, 8:30pm, 20:00, noon or midnight")


def looks_like_time(word: str) -> bool:
    """A word that is meant as a time of day (starts with a digit, or 'noon'/'midnight'), right or wrong."""
    word = word.strip().lower()
    return word[:1].isdigit() or word in TIME_WORDS


def join_time_words(words: list[str]) -> list[str]:
    """Command words with a split time put back together: ['daily', '8', 'pm'] -> ['daily', '8 pm']."""
    out: list[str] = []
    for word in words:
        if out and _MERIDIEM.match(word.lower()) and re.match(r"^\d{1,2}(?:[:.]\d{2})?$", out[-1]):
            out[-1] = f"{out[-1]} {word}"
        else:
            out.append(word)
    return out


def parse_weekday(text: str) -> str:
    key = (text or "").strip().lower()[:3]
    if key not in WEEKDAYS:
        raise SettingError(f"`{text}` is not a weekday; use mon, tue, wed, thu, fri, sat or sun")
    return key


_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|m|min|mins|h|hr|hrs|d|days?)?\s*$", re.I)


def parse_every(text: str) -> timedelta:
    """'15m', '2h', '1d' or a number of minutes -> an interval between MIN_EVERY and MAX_EVERY."""
    m = _EVERY.match(text or "")
    if not m:
        raise SettingError(f"`{text}` is not an interval: write e.g. 15m, 2h or 1d")
    amount, unit = float(m.group(1)), (m.group(2) or "m").lower()
    seconds = amount * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit[0]]
    every = timedelta(seconds=round(seconds))
    if every < MIN_EVERY or every > MAX_EVERY:
        raise SettingError(f"a feed is polled every {format_every(MIN_EVERY)} to {format_every(MAX_EVERY)}, "
                           f"not every {text.strip()}")
    return every


def format_every(every: timedelta) -> str:
    seconds = int(every.total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds % size == 0:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
