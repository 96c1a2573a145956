"""Each channel's own calendar feeds: the summits its subscriptions follow, as .ics and as an Atom feed of
changes, at an address with a secret token (issue 23).

The token is ``secrets.token_urlsafe(TOKEN_BYTES)``. It is stored so that the channel can be shown its
address again, and looked up by its SHA-256 digest: the comparison the database makes runs on the digest,
never on the token, and the token found is compared again in constant time. Rotating it gives a new
address; the old one is then unknown (404).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from bot.calendar_query import CHANGE_SCAN, CalendarQuery, Filters, people_clause
from bot.models import CERTAINTIES, Change, MeetingRecord, certainty_rank
from bot.names import name_key
from bot.store import Store
from bot.subscriptions import Channel, Matcher, Subscription, channel_by_id, iso_utc, subscriptions

TOKEN_BYTES = 24  # 192 random bits: 32 URL-safe characters
TOKEN_PATTERN = r"[A-Za-z0-9_-]{20,100}"  # what the web routes accept as a token (anything else is 404)
BATCH = 500  # meetings (or changes) read at a time while looking for those the subscriptions follow
MAX_BATCHES = 20  # a feed looks through at most this many batches


@dataclass(frozen=True)
class FeedToken:
    channel_id: int
    token: str
    created: str
    rotated: str | None = None

    def paths(self) -> tuple[str, str]:
        """The feeds' paths on the web calendar: (.ics, Atom)."""
        return f"/channel/{self.token}.ics", f"/channel/{self.token}.atom"

    def urls(self, base_url: str) -> tuple[str, str]:
        """The feeds' addresses under the web calendar's public address (its paths when that is not set)."""
        return tuple(base_url.rstrip("/") + path for path in self.paths())  # type: ignore[return-value]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _get(store: Store, channel_id: int) -> FeedToken | None:
    row = store.db.execute("SELECT channel_id, token, created, rotated FROM channel_feeds WHERE channel_id = ?",
                           [channel_id]).fetchone()
    return FeedToken(*row) if row else None


def feed_token(store: Store, channel: Channel, now: datetime) -> FeedToken:
    """The channel's feed token, made on first use."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store.db.conn:
        store.db.execute(
            """INSERT INTO channel_feeds (channel_id, token, token_sha256, created) VALUES (?, ?, ?, ?)
               ON CONFLICT(channel_id) DO NOTHING""", [channel.id, token, _digest(token), iso_utc(now)])
    found = _get(store, channel.id)
    assert found is not None
    return found


def rotate_feed_token(store: Store, channel: Channel, now: datetime) -> FeedToken:
    """A new token for the channel's feeds; the old address stops working at once."""
    feed_token(store, channel, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with store.db.conn:
        store.db.execute("UPDATE channel_feeds SET token = ?, token_sha256 = ?, rotated = ? WHERE channel_id = ?",
                         [token, _digest(token), iso_utc(now), channel.id])
    found = _get(store, channel.id)
    assert found is not None
    return found


def channel_for_token(store: Store, token: str) -> Channel | None:
    """The active channel whose feeds ``token`` opens, or None (unknown, malformed, rotated away, channel gone)."""
    if not re.fullmatch(TOKEN_PATTERN, token or ""):
        return None
    row = store.db.execute("SELECT channel_id, token FROM channel_feeds WHERE token_sha256 = ?",
                           [_digest(token)]).fetchone()
    if row is None or not hmac.compare_digest(row[1].encode(), token.encode()):
        return None
    channel = channel_by_id(store, row[0])
    return channel if channel is not None and channel.status == "active" else None


class Followed:
    """What a channel's subscriptions follow: its summits in date order, and the newest changes to them."""

    def __init__(self, store: Store, subs: list[Subscription]):
        self.store = store
        self.subs = subs
        self.matcher = Matcher(store, subs)
        self.narrow = self._narrowing()

    @classmethod
    def of_channel(cls, store: Store, channel: Channel) -> "Followed":
        return cls(store, subscriptions(store, channel.id))

    def _narrowing(self) -> tuple[str, list] | None:
        """An SQL condition on meetings that every followed meeting passes (the Matcher then decides exactly): for
        each subscription its kind, certainty and leaders, and for a country the venues and participants'
        countries having one of its words (or alternative venues); None when a subscription follows everything."""
        parts, params = [], []
        for sub in self.subs:
            terms, values = [], []
            if sub.kind:
                terms.append("kind = ?")
                values.append(sub.kind)
            if sub.min_certainty:
                ok = CERTAINTIES[certainty_rank(sub.min_certainty):]
                terms.append(f"certainty IN ({', '.join('?' * len(ok))})")
                values.extend(ok)
            if sub.who:
                names = sorted(self.matcher.names_for(sub.who))
                terms.append(people_clause(len(names)))
                values.extend(names)
            words = self.matcher.country_words(sub.country) if sub.country else frozenset()
            if words:
                terms.append("""(location IN (SELECT value FROM json_each(?)) OR +id IN (SELECT id FROM meetings
                                 WHERE alt_locations IS NOT NULL AND alt_locations != '[]') OR +id IN (SELECT
                                 meeting_id FROM meeting_people WHERE person_id IN (SELECT value FROM json_each(?))))""")
                values.extend(self._with_words(words))
            if not terms:
                return None
            parts.append("(" + " AND ".join(terms) + ")")
            params.extend(values)
        return ("(" + " OR ".join(parts) + ")", params) if parts else None

    def _with_words(self, words: frozenset[str]) -> list[str]:
        """JSON lists of the venues, and of the people whose country, have one of ``words``."""
        db = self.store.db
        venues = [v for (v,) in db.execute("SELECT DISTINCT location FROM meetings")
                  if v and words & set(name_key(v).split())]
        people = [i for i, c in db.execute("SELECT id, country FROM people WHERE country IS NOT NULL AND country != ''")
                  if words & set(name_key(c).split())]
        return [json.dumps(venues), json.dumps(people)]

    def _follows(self, rec: MeetingRecord) -> bool:
        return bool(self.matcher.subscriptions_for(rec))

    def meetings(self, start: date, limit: int) -> list[MeetingRecord]:
        """Followed meetings overlapping ``start`` or later, in date order, at most ``limit``."""
        if not self.subs:
            return []
        query, found, offset = CalendarQuery(self.store), [], 0
        for _ in range(MAX_BATCHES):
            spans = query.spans(Filters(), start=start, limit=BATCH, offset=offset, extra=self.narrow)
            if not spans:
                break
            offset += len(spans)
            records = {rec.id: rec for rec in self.store.meetings_by_id([s.id for s in spans])}
            found += [records[s.id] for s in spans if s.id in records and self._follows(records[s.id])]
            if len(found) >= limit:
                break
        return found[:limit]

    def changes(self, limit: int) -> list[tuple[int, MeetingRecord, Change]]:
        """The newest changes to followed meetings, newest first: (change id, meeting, change). With leaders
        only, their meetings' changes come through the meetings' index; otherwise the newest CHANGE_SCAN
        changes are looked through, a batch at a time, until the page is full."""
        if not self.subs:
            return []
        conditions, params = [], []
        if self.narrow and all(sub.who for sub in self.subs):
            conditions.append(f"c.meeting_id IN (SELECT id FROM meetings WHERE {self.narrow[0]})")
            params.extend(self.narrow[1])
        else:
            floor = self.store.db.execute(
                f"SELECT id FROM changes ORDER BY id DESC LIMIT 1 OFFSET {CHANGE_SCAN}").fetchone()
            conditions.append("c.id > ?")
            params.append(floor[0] if floor else 0)
        found: list[tuple[int, MeetingRecord, Change]] = []
        below = None
        for _ in range(MAX_BATCHES):
            rows = self.store.db.execute(
                f"""SELECT c.id, c.meeting_id, c.at, c.field, c.old, c.new, c.article_id, c.sentence, a.title
                    FROM changes c LEFT JOIN articles a ON a.id = c.article_id
                    WHERE {' AND '.join(conditions)} {'AND c.id < ?' if below is not None else ''}
                    ORDER BY c.id DESC LIMIT {BATCH}""", [*params, *([below] if below is not None else [])]).fetchall()
            if not rows:
                break
            below = rows[-1][0]
            records = {r.id: r for r in self.store.meetings_by_id(sorted({r[1] for r in rows}))}
            found += [(cid, records[mid], Change(*rest)) for cid, mid, *rest in rows
                      if mid in records and self._follows(records[mid])]
            if len(found) >= limit:
                break
        return found[:limit]
