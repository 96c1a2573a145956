"""Domain dataclasses shared by extraction, storage, commands and delivery."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

KINDS = ("bilateral", "phone_call", "multilateral", "visit", "talks")
CERTAINTIES = ("possible", "planned", "confirmed")  # ordered: weakest first
TENSES = ("upcoming", "past", "cancelled", "postponed")
DAY_PRECISIONS = ("day", "range")  # dates known to the day: one day or a span of days


@dataclass
class Article:
    """One news article as ingested."""

    text: str
    published: datetime | None
    title: str = ""
    url: str | None = None
    outlet: str | None = None
    id: str | None = None  # caller's id (gold files) or the file path
    source_path: str | None = None


@dataclass
class Meeting:
    """A meeting as extracted from one article (the SCHEMA.md shape)."""

    participants: list[str]
    kind: str
    name: str | None = None
    location: str | None = None
    start: date | None = None
    end: date | None = None
    tense: str = "upcoming"
    certainty: str = "planned"
    alt_locations: list[str] = field(default_factory=list)
    precision: str = "day"  # day | week | month | quarter | year | range
    time: str | None = None  # HH:MM local to the venue, when the text gives one
    tz: str | None = None  # the IANA zone the text states with the time ("9 p.m. Paris time"), else the venue's
    sentence: str = ""  # the sentence it came from (provenance)
    building: bool = False  # the location is a building ("the White House"): a detail of a city, not a move
    countries: list[str] = field(default_factory=list)
    dated_by: str = "text"  # "context": no date in its own sentences, the one the story was telling of then
    found_by: str = "rules"  # "classifier": a sentence the rules read nothing in, which the classifier confirmed
    order: int = -1  # the index of its sentence among the article's sentences (-1: not known)
    mentions: int = 1  # how many of the article's sentences tell of it
    date_in_sentence: bool = False  # its date is read from its own sentence, not carried from another one

    def to_json(self) -> dict:
        d = asdict(self)
        d["start"] = self.start.isoformat() if self.start else None
        d["end"] = self.end.isoformat() if self.end else None
        return d


def certainty_rank(value: str | None) -> int:
    return CERTAINTIES.index(value) if value in CERTAINTIES else 0


@lru_cache(maxsize=1024)  # a planning pass asks for the same few texts thousands of times
def time_of_day(text: str | None) -> time | None:
    """A stored 'HH:MM' (a meeting's time, a channel's delivery or digest time) as a time; None if absent or bad."""
    try:
        hh, mm = (text or "").strip().split(":")[:2]
        return time(int(hh), int(mm))
    except ValueError:
        return None


def zone_or(name: str | None, fallback: ZoneInfo | None) -> ZoneInfo | None:
    """The IANA zone called ``name``, or ``fallback`` when there is no name or it is unknown."""
    if not name:
        return fallback
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return fallback


@dataclass
class Source:
    article_id: int
    title: str
    url: str | None
    outlet: str | None
    published: str | None
    sentence: str


@dataclass
class Change:
    at: str
    field: str
    old: str | None
    new: str | None
    article_id: int | None
    sentence: str | None
    article_title: str | None = None


@dataclass
class MeetingRecord:
    """A stored meeting: one record per real-world summit, fed by every article about it."""

    id: int
    kind: str
    participants: list[str]
    name: str | None
    location: str | None
    alt_locations: list[str]
    start: date | None
    end: date | None
    time: str | None
    tz: str | None
    precision: str
    certainty: str
    status: str
    first_seen: str
    updated: str
    asof: str | None = None
    format: str | None = None  # 'online' when held by video; None: in person or not said
    moved_from: list[str] = field(default_factory=list)  # the dates it was moved from, as ISO dates or ranges
    sources: list[Source] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)

    @property
    def title(self) -> str:
        """A short human label: the summit's name, else who meets whom."""
        if self.name:
            return self.name
        if not self.participants:
            return self.kind.replace("_", " ")
        joiner = " – " if self.kind in ("bilateral", "phone_call", "talks") else ", "
        return joiner.join(self.participants)

    def is_dated_to_the_day(self) -> bool:
        """Known to the day: one day, or a span of days (a three-day summit); not a week, month or vaguer."""
        return (self.start is not None and (self.precision or "day") in DAY_PRECISIONS
                and (self.end is None or self.end >= self.start))

    def is_span(self) -> bool:
        """Several days known to the day (31 Oct – 1 Nov)."""
        return self.is_dated_to_the_day() and self.end is not None and self.end > self.start

    def start_instant(self, fallback_zone: ZoneInfo) -> datetime | None:
        """When a timed meeting starts (in the venue's zone, else ``fallback_zone``); None without a time."""
        at = time_of_day(self.time)
        if self.start is None or at is None:
            return None
        return datetime.combine(self.start, at, tzinfo=zone_or(self.tz, fallback_zone))
