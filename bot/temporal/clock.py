"""Clock times and their zones: at 3 p.m., 10:30, noon, 1000 GMT, 9 p.m. Paris time, local time."""

from __future__ import annotations

import re

from .lexicon import _low
from .rules import _Cx, _rule, _Val


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


@_rule(r"\b(?P<at>(?:at|around|from)\s+)?(?:(?P<h>1[0-2]|0?[1-9])(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
       r"|(?P<hp>1[0-2]|0?[1-9])(?::(?P<mp>[0-5]\d))?(?:\s+o'clock)?\s+(?:in\s+the\s+(?P<pd>morning|afternoon|evening)"
       r"|at\s+(?P<pn>night))\b"
       r"|(?P<nn>noon|midday|midnight)\b|(?P<h24>[01]?\d|2[0-3])[:h](?P<m24>[0-5]\d)\b"
       r"|(?P<mil>[01]\d|2[0-3])(?P<milm>[0-5]\d)(?=\s*\(?(?-i:GMT|UTC|Z)\b|\s*(?:hrs|hours)\b))"
       rf"(?P<tz>{_TZ})?", need="any", cues=(*"0123456789", "noon", "midday", "midnight"))
def _clock(m: re.Match, cx: _Cx) -> _Val | None:
    """At 3 p.m., 10:30 a.m., at 15:00, at noon, 1000 GMT, 9 p.m. Paris time, 4 in the morning, 11 at night: a
    time on the anchor's day (or ref's), with its zone when one is named."""
    if m["hp"]:  # the part of the day tells a.m. from p.m.: "4 in the morning", "8 in the evening", "11 at night"
        h, part = int(m["hp"]) % 12, _low(m["pd"] or m["pn"])
        h += 12 if part in ("afternoon", "evening") or (part == "night" and h >= 6) else 0
        hhmm = f"{h:02d}:{m['mp'] or '00'}"
    elif m["h"]:
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
