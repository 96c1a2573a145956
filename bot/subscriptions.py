"""Channels and their subscriptions: filters, lead times, time zones, digest settings."""

from __future__ import annotations

import json
import logging
from bisect import bisect_left
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.models import CERTAINTIES, KINDS, MeetingRecord, certainty_rank
from bot.names import name_key
from bot.store import Store
from bot.transport import ChannelRef
from bot.values import (  # noqa: F401  (SettingError, Lead and the parsers are importable from here too)
    MAX_LEAD_DAYS,
    WEEKDAYS,
    Lead,
    SettingError,
    format_leads,
    parse_time_of_day,
    parse_leads,
    parse_weekday,
    parse_zone,
)

log = logging.getLogger(__name__)

KIND_SYNONYMS = {
    "summit": "multilateral",
    "multi": "multilateral",
    "call": "phone_call",
    "phone": "phone_call",
    "phonecall": "phone_call",
    "phone call": "phone_call",
    "meeting": "bilateral",
    "visits": "visit",
    "talk": "talks",
}
DIGEST_MODES = ("off", "daily", "weekly")
# A few common short forms, so `country:US` finds "United States".
COUNTRY_ALIASES = {
    "us": "united states",
    "usa": "united states",
    "america": "united states",
    "uk": "united kingdom",
    "britain": "united kingdom",
    "rok": "south korea",
    "dprk": "north korea",
    "prc": "china",
}


def iso_utc(dt: datetime) -> str:
    """The one text form of an instant in our tables: UTC, seconds, '+00:00'."""
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_utc(text: str) -> datetime:
    dt = datetime.fromisoformat(text)
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


# -- parsing settings ------------------------------------------------------------------


def parse_kind(text: str) -> str:
    """A meeting kind or a synonym ('summit', 'call') -> one of KINDS."""
    key = " ".join((text or "").strip().lower().replace("-", " ").replace("_", " ").split())
    key = KIND_SYNONYMS.get(key, key).replace(" ", "_")
    if key not in KINDS:
        raise SettingError(f"`{text}` is not a kind; use one of {', '.join(KINDS)} (or summit, call)")
    return key


def parse_certainty(text: str) -> str:
    key = (text or "").strip().lower()
    if key not in CERTAINTIES:
        raise SettingError(f"`{text}` is not a certainty; use one of {', '.join(CERTAINTIES)}")
    return key


# -- domain objects ------------------------------------------------------------------------


@dataclass
class Channel:
    """A chat channel the bot posts to, with its local time settings."""

    id: int
    platform: str
    workspace: str
    channel: str
    tz: str
    delivery_time: str
    digest: str = "off"
    digest_time: str | None = None
    digest_day: str | None = None
    digest_since: str | None = None
    digest_change_id: int = 0
    status: str = "active"
    status_reason: str | None = None
    created: str | None = None

    @property
    def ref(self) -> ChannelRef:
        return ChannelRef(self.platform, self.workspace, self.channel)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    @classmethod
    def from_row(cls, row: dict) -> "Channel":
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in row.items() if k in names})


@dataclass
class Subscription:
    """One channel's interest in some summits: filters plus reminder lead times."""

    id: int
    channel_id: int
    lead: str
    who: str | None = None
    country: str | None = None
    kind: str | None = None
    min_certainty: str | None = None
    status: str = "active"
    created: str | None = None
    after_change_id: int = 0
    leads: tuple[Lead, ...] = field(default=(), repr=False)

    def __post_init__(self) -> None:
        if not self.leads and self.lead:
            try:
                self.leads = parse_leads(self.lead)
            except SettingError:
                log.warning("subscription %s has an unreadable lead %r; using none", self.id, self.lead)

    @classmethod
    def from_row(cls, row: dict) -> "Subscription":
        names = cls.__dataclass_fields__
        return cls(**{k: v for k, v in row.items() if k in names and k != "leads"})

    def describe(self) -> str:
        """'who:Lee Jae-myung kind:bilateral lead:7d,1d'."""
        parts = []
        for key, value in (("who", self.who), ("country", self.country), ("kind", self.kind),
                           ("min", self.min_certainty)):
            if value:
                parts.append(f"{key}:{value}")
        if not parts:
            parts.append("all summits")
        parts.append(f"lead:{self.lead}")
        return " ".join(parts)


# -- matching ------------------------------------------------------------------------------


class PeopleIndex:
    """Every person's name key, computed once, to resolve many `who:` filters quickly."""

    # Same rule as Store.people_matching (every query word is a word of the name, or the name
    # starts with the query); that method recomputes every key per call, too slow for 10,000 filters.

    def __init__(self, store: Store):
        self.by_word: dict[str, set[str]] = {}
        self.keys: list[tuple[str, str]] = []  # (key, name), sorted, for prefix search
        for (name,) in store.db.execute("SELECT name FROM people"):
            key = name_key(name)
            self.keys.append((key, name))
            for word in key.split():
                self.by_word.setdefault(word, set()).add(name)
        self.keys.sort()

    def matching(self, query: str) -> list[str]:
        """Names in the order Store.people_matching gives them (by name)."""
        qkey = name_key(query)
        words = qkey.split()
        if not words:
            return []
        found = set.intersection(*(self.by_word.get(w, set()) for w in words))
        i = bisect_left(self.keys, (qkey, ""))
        while i < len(self.keys) and self.keys[i][0].startswith(qkey):
            found.add(self.keys[i][1])
            i += 1
        return sorted(found)


class Matcher:
    """Which subscriptions follow a meeting: built once per planning pass."""

    # Subscriptions with a `who:` are indexed by each person they name, those with a `country:`
    # by the country's first word, the rest by (kind, minimum certainty): a meeting only looks
    # at subscriptions that can match it.

    def __init__(self, store: Store, subscriptions: Iterable[Subscription]):
        self.store = store
        self.subs = list(subscriptions)
        self._names: dict[str, frozenset[str]] = {}
        self._people: PeopleIndex | None = None
        self._countries = self._load_countries()
        self._place_words: dict[int, frozenset[str]] = {}
        self._country_words: dict[str, frozenset[str]] = {}
        self._min_rank = {sub.id: certainty_rank(sub.min_certainty) if sub.min_certainty else 0 for sub in self.subs}
        self.by_person: dict[str, list[Subscription]] = {}
        # kind (None: any) -> minimum certainty rank -> subscriptions without who/country
        self.by_kind: dict[str | None, list[list[Subscription]]] = {}
        # first word of the country -> subscriptions with a country and no who
        self.by_country: dict[str, list[Subscription]] = {}
        for sub in self.subs:
            if sub.who:
                for name in self.names_for(sub.who):
                    self.by_person.setdefault(name, []).append(sub)
            elif sub.country:
                words = self._country_query(sub.country)
                self.by_country.setdefault(min(words) if words else "", []).append(sub)
            else:
                ranks = self.by_kind.setdefault(sub.kind, [[] for _ in CERTAINTIES])
                ranks[self._min_rank[sub.id]].append(sub)

    def _load_countries(self) -> dict[str, str]:
        try:
            rows = self.store.db.execute("SELECT name, country FROM people WHERE country IS NOT NULL AND country != ''")
        except Exception:  # an older schema without the column
            return {}
        return {name: country for name, country in rows}

    def names_for(self, who: str) -> frozenset[str]:
        """Canonical names for a `who:` filter (as Store.people_matching finds them), cached for this pass."""
        if who not in self._names:
            if self._people is None:
                self._people = PeopleIndex(self.store)
            self._names[who] = frozenset(self._people.matching(who))
        return self._names[who]

    def _country_query(self, country: str) -> frozenset[str]:
        words = self._country_words.get(country)
        if words is None:
            query = name_key(country)
            words = self._country_words[country] = frozenset(COUNTRY_ALIASES.get(query, query).split())
        return words

    def country_words(self, country: str) -> frozenset[str]:
        """The words a `country:` filter needs among a meeting's places and its participants' countries."""
        return self._country_query(country)

    def _meeting_places(self, rec: MeetingRecord) -> frozenset[str]:
        words = self._place_words.get(rec.id)
        if words is None:
            texts = [rec.location or "", *rec.alt_locations]
            texts += [self._countries.get(p, "") for p in rec.participants]
            words = frozenset(name_key(" ".join(texts)).split())
            self._place_words[rec.id] = words
        return words

    def _country_ok(self, country: str, rec: MeetingRecord) -> bool:
        return self._country_query(country) <= self._meeting_places(rec)

    def matches(self, sub: Subscription, rec: MeetingRecord) -> bool:
        """Does ``rec`` pass every filter of ``sub``?"""
        if sub.kind and sub.kind != rec.kind:
            return False
        if sub.min_certainty and certainty_rank(rec.certainty) < certainty_rank(sub.min_certainty):
            return False
        if sub.who and not (self.names_for(sub.who) & set(rec.participants)):
            return False
        if sub.country and not self._country_ok(sub.country, rec):
            return False
        return True

    def subscriptions_for(self, rec: MeetingRecord) -> list[Subscription]:
        """The subscriptions that follow ``rec`` (each once): the same as filtering all with matches()."""
        rank = certainty_rank(rec.certainty)
        min_rank = self._min_rank
        found: dict[int, Subscription] = {}
        for name in rec.participants:  # who: matched by the index
            for sub in self.by_person.get(name, ()):
                if (sub.id not in found and min_rank[sub.id] <= rank
                        and (sub.kind is None or sub.kind == rec.kind)
                        and (not sub.country or self._country_ok(sub.country, rec))):
                    found[sub.id] = sub
        for kind in (None, rec.kind):  # kind and certainty matched by the index
            ranks = self.by_kind.get(kind)
            if ranks:
                for bucket in ranks[:rank + 1]:
                    for sub in bucket:
                        found[sub.id] = sub
        if self.by_country:
            places = self._meeting_places(rec)
            for word in places | {""}:
                for sub in self.by_country.get(word, ()):
                    if (min_rank[sub.id] <= rank and (sub.kind is None or sub.kind == rec.kind)
                            and self._country_ok(sub.country or "", rec)):
                        found[sub.id] = sub
        return list(found.values())


# -- reading and writing ---------------------------------------------------------------------


def _rows(store: Store, sql: str, params: Iterable = ()) -> list[dict]:
    cur = store.db.execute(sql, list(params))
    cols = [d[0] for d in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


def max_change_id(store: Store) -> int:
    return store.db.execute("SELECT COALESCE(MAX(id), 0) FROM changes").fetchone()[0]


def get_channel(store: Store, ref: ChannelRef) -> Channel | None:
    rows = _rows(store, "SELECT * FROM channels WHERE platform = ? AND workspace = ? AND channel = ?",
                 [ref.platform, ref.workspace, ref.channel])
    return Channel.from_row(rows[0]) if rows else None


def channel_by_id(store: Store, channel_id: int) -> Channel | None:
    rows = _rows(store, "SELECT * FROM channels WHERE id = ?", [channel_id])
    return Channel.from_row(rows[0]) if rows else None


def channels(store: Store, *, active_only: bool = True) -> list[Channel]:
    where = "status = 'active'" if active_only else "1"
    # Positionally, as subscriptions() builds its rows: every pass reads them all (2,500 in bench_delivery).
    sql = f"SELECT {', '.join(_CHANNEL_COLUMNS)} FROM channels WHERE {where} ORDER BY id"
    return [Channel(*row) for row in store.db.execute(sql)]


_CHANNEL_COLUMNS = tuple(Channel.__dataclass_fields__)


def default_channel(ref: ChannelRef, settings: Settings) -> Channel:
    """The settings a channel has before anyone changes them (not stored)."""
    return Channel(id=0, platform=ref.platform, workspace=ref.workspace, channel=ref.channel,
                   tz=settings.timezone, delivery_time=settings.delivery_time)


def ensure_channel(store: Store, ref: ChannelRef, settings: Settings, now: datetime) -> Channel:
    """The stored channel for ``ref``, created with the configured defaults when new; re-activated if gone.

    A channel already stored is only read: the insert below is a write transaction, which during a planning
    pass may wait for one of its slices, and a command should wait at most once (for its own write)."""
    found = get_channel(store, ref)
    if found is not None:
        return found
    stamp = iso_utc(now)
    with store.db.conn:
        store.db.execute(
            """INSERT INTO channels (platform, workspace, channel, tz, delivery_time, digest, status,
                                     digest_change_id, created, updated)
               VALUES (?, ?, ?, ?, ?, 'off', 'active', 0, ?, ?)
               ON CONFLICT(platform, workspace, channel) DO NOTHING""",
            [ref.platform, ref.workspace, ref.channel, settings.timezone, settings.delivery_time, stamp, stamp],
        )
    found = get_channel(store, ref)
    assert found is not None
    return found


def reactivate_channel(store: Store, channel: Channel, now: datetime) -> None:
    """A channel marked gone that someone types in again is evidently back."""
    if channel.status != "active":
        with store.db.conn:
            store.db.execute("UPDATE channels SET status = 'active', status_reason = NULL, updated = ? WHERE id = ?",
                             [iso_utc(now), channel.id])
        channel.status = "active"


def subscriptions(store: Store, channel_id: int | None = None, *, active_only: bool = True) -> list[Subscription]:
    """Subscriptions of one channel (or of every active channel)."""
    where, params = [], []
    if active_only:
        where.append("s.status = 'active' AND c.status = 'active'")
    if channel_id is not None:
        where.append("s.channel_id = ?")
        params.append(channel_id)
    sql = (f"SELECT {', '.join('s.' + c for c in _SUB_COLUMNS)} FROM subscriptions s"
           f" JOIN channels c ON c.id = s.channel_id WHERE {' AND '.join(where) or '1'} ORDER BY s.id")
    return [Subscription(*row) for row in store.db.execute(sql, params)]


def same_subscription(store: Store, channel_id: int, *, lead: str, who: str | None = None,
                      country: str | None = None, kind: str | None = None,
                      min_certainty: str | None = None) -> Subscription | None:
    """The channel's active subscription with exactly these filters and lead, if any: one row looked up
    in SQL rather than every subscription of the channel built and compared."""
    row = store.db.execute(
        f"SELECT {', '.join('s.' + c for c in _SUB_COLUMNS)} FROM subscriptions s JOIN channels c ON c.id = s.channel_id"
        " WHERE s.channel_id = ? AND s.status = 'active' AND c.status = 'active' AND s.who IS ? AND s.country IS ?"
        " AND s.kind IS ? AND s.min_certainty IS ? AND s.lead = ? ORDER BY s.id LIMIT 1",
        [channel_id, who, country, kind, min_certainty, lead]).fetchone()
    return Subscription(*row) if row else None


_SUB_COLUMNS = ("id", "channel_id", "lead", "who", "country", "kind", "min_certainty", "status", "created",
                "after_change_id")


def add_subscription(store: Store, channel: Channel, *, lead: str, now: datetime, who: str | None = None,
                     country: str | None = None, kind: str | None = None,
                     min_certainty: str | None = None) -> Subscription:
    """Store a validated subscription; it alerts only on changes recorded after now."""
    leads = parse_leads(lead)
    table = store.db["subscriptions"]
    with store.db.conn:
        cur = store.db.execute(
            """INSERT INTO subscriptions (channel_id, who, country, kind, min_certainty, lead, status, created,
                                          after_change_id)
               VALUES (?, ?, ?, ?, ?, ?, 'active', ?, (SELECT COALESCE(MAX(id), 0) FROM changes))""",
            [channel.id, who, country, kind, min_certainty, format_leads(leads), iso_utc(now)],
        )
        sub_id = cur.lastrowid
    return Subscription.from_row(table.get(sub_id))


def remove_subscriptions(store: Store, channel: Channel, sub_id: int | None, now: datetime) -> int:
    """Remove one subscription of the channel (or all when ``sub_id`` is None); return how many."""
    # Removing everything withdraws the channel's pending rows at once; after removing one, the next
    # planning pass withdraws what the remaining subscriptions do not want.
    stamp = iso_utc(now)
    with store.db.conn:
        if sub_id is None:
            cur = store.db.execute(
                "UPDATE subscriptions SET status = 'removed', removed_at = ? WHERE channel_id = ? AND status = 'active'",
                [stamp, channel.id])
            store.db.execute(
                """UPDATE deliveries SET status = 'withdrawn', error = 'unsubscribed', updated = ?
                   WHERE channel_id = ? AND status = 'pending' AND kind IN ('reminder', 'change')""",
                [stamp, channel.id])
        else:
            cur = store.db.execute(
                """UPDATE subscriptions SET status = 'removed', removed_at = ?
                   WHERE id = ? AND channel_id = ? AND status = 'active'""",
                [stamp, sub_id, channel.id])
    return cur.rowcount


def set_timezone(store: Store, channel: Channel, tz: str, now: datetime) -> Channel:
    tz = parse_zone(tz)
    with store.db.conn:
        store.db.execute("UPDATE channels SET tz = ?, updated = ? WHERE id = ?", [tz, iso_utc(now), channel.id])
    channel.tz = tz
    return channel


def set_delivery_time(store: Store, channel: Channel, hhmm: str, now: datetime) -> Channel:
    hhmm = parse_time_of_day(hhmm)
    with store.db.conn:
        store.db.execute("UPDATE channels SET delivery_time = ?, updated = ? WHERE id = ?",
                         [hhmm, iso_utc(now), channel.id])
    channel.delivery_time = hhmm
    return channel


def set_digest(store: Store, channel: Channel, mode: str, now: datetime, *, at: str | None = None,
               day: str | None = None) -> Channel:
    """Switch the channel's digest to daily/weekly at a local time, or off."""
    if mode not in DIGEST_MODES:
        raise SettingError(f"`{mode}` is not a digest mode; use daily, weekly or off")
    stamp = iso_utc(now)
    with store.db.conn:
        if mode == "off":
            store.db.execute(
                "UPDATE channels SET digest = 'off', updated = ? WHERE id = ?", [stamp, channel.id])
        else:
            # Changes from now on go into the first digest; keep the mark when only the time changes.
            store.db.execute(
                """UPDATE channels SET digest = ?, digest_time = ?, digest_day = ?, digest_since = ?,
                       digest_change_id = CASE WHEN digest = 'off' OR digest_change_id IS NULL
                           THEN (SELECT COALESCE(MAX(id), 0) FROM changes) ELSE digest_change_id END,
                       updated = ?
                   WHERE id = ?""",
                [mode, at, day if mode == "weekly" else None, stamp, stamp, channel.id])
    found = channel_by_id(store, channel.id)
    assert found is not None
    return found


def disable_channel(store: Store, channel_id: int, reason: str, now: datetime) -> int:
    """The platform says the channel is gone: disable its subscriptions and withdraw what is pending."""
    stamp = iso_utc(now)
    with store.db.conn:
        store.db.execute("UPDATE channels SET status = 'gone', status_reason = ?, updated = ? WHERE id = ?",
                         [reason, stamp, channel_id])
        cur = store.db.execute(
            "UPDATE subscriptions SET status = 'disabled', removed_at = ? WHERE channel_id = ? AND status = 'active'",
            [stamp, channel_id])
        store.db.execute(
            """UPDATE deliveries SET status = 'withdrawn', error = ?, updated = ?
               WHERE channel_id = ? AND status = 'pending'""",
            [f"channel gone: {reason}", stamp, channel_id])
    log.warning("channel %s is gone (%s): %d subscriptions disabled", channel_id, reason, cur.rowcount)
    return cur.rowcount


def payload(data: dict) -> str:
    return json.dumps(data, separators=(",", ":"), sort_keys=True)
