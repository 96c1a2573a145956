"""The deliveries ledger: planning due messages, the lease, and the send loop.

Every message the bot will post (a reminder, a digest, a change alert) is first a row in
``deliveries``, unique by (channel, meeting, kind, due, ref). Planning computes the rows
that should exist and reconciles them with the table in one transaction; sending claims
one row at a time under a lease, so two processes on one database never send the same
row, and a restart finds every row that was due.

Crash and failure semantics: a row is claimed (pending -> sending) in its own transaction
before the platform call and marked sent in the next one. Any attempt whose outcome is not
known for sure (a timeout, a reset connection, a 5xx, a sender that died between claim and
mark) may have reached the platform, so the row's next attempt first asks the platform
whether the message is there: on Slack every post carries the delivery's idempotency key in
its message metadata and the channel's history is searched for it (``find_delivered``); on
Discord the same nonce with ``enforce_nonce`` makes the platform drop a repeat. A row found
in flight is re-queued (never silently dropped) and counts as an attempt; after
``max_attempts`` it is marked failed, logged, and the channel is told with a notice that
names ``summitbot deliveries --resend ID``. A SQLite lock held past the busy timeout ends the
tick early, never the scheduler: an outcome that could not be recorded is kept in memory and
recorded first thing next tick, so a sent message is never taken for one in flight.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import sqlite3
import time as _time
import uuid
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import Awaitable, Callable, Iterator
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.digest import EVENT_TITLES, change_event, digest_reply
from bot.format import format_day, format_when, old_to_new, one_line
from bot.models import MeetingRecord, time_of_day, zone_or
from bot.reply import Reply
from bot.store import Store, database_file, open_db
from bot.subscriptions import (
    Channel,
    Lead,
    Matcher,
    Subscription,
    channel_by_id,
    channels,
    disable_channel,
    iso_utc,
    parse_utc,
    payload,
    subscriptions,
)
from bot.transport import ChannelGone, ChannelRef, Transport, TransientSendError

log = logging.getLogger(__name__)

REMINDER, DIGEST, CHANGE, NOTICE = "reminder", "digest", "change", "notice"
KIND_WORDS = {REMINDER: "reminder", DIGEST: "digest", CHANGE: "change alert", NOTICE: "notice"}
LEASE_NAME = "sender"
LOOKBACK_CAP = timedelta(days=31)  # how far back a restart looks for rows it never planned
BACKOFF_BASE = 30.0  # seconds; doubled per attempt
BACKOFF_CAP = 3600.0
CHANGE_SCAN_CHUNK = 2000


# -- results ---------------------------------------------------------------------------------


@dataclass
class Delivery:
    """One row of the deliveries ledger."""

    id: int
    channel_id: int
    meeting_id: int
    kind: str
    due: str
    ref: str
    status: str
    late: int = 0
    attempts: int = 0
    recovered: int = 0
    owner: str | None = None
    next_attempt_at: str | None = None
    sent_at: str | None = None
    message_id: str | None = None
    error: str | None = None
    idem_key: str | None = None
    resends: int = 0
    payload: dict = field(default_factory=dict)

    @property
    def due_at(self) -> datetime:
        return parse_utc(self.due)

    @property
    def may_have_reached(self) -> bool:
        """An earlier attempt whose outcome is unknown may have posted it: check before posting again."""
        return bool(self.attempts or self.recovered or self.resends)

    @property
    def key(self) -> str:
        """The idempotency key: derived from the unique key, so every retry and resend uses the same one."""
        return idempotency_key(self.channel_id, self.meeting_id, self.kind, self.due, self.ref)

    @classmethod
    def from_row(cls, row: dict) -> "Delivery":
        names = cls.__dataclass_fields__
        values = {k: v for k, v in row.items() if k in names}
        values["payload"] = json.loads(row.get("payload") or "{}")
        return cls(**values)


@dataclass
class PlanResult:
    """What one planning pass did."""

    desired: int = 0
    inserted: int = 0
    revived: int = 0
    withdrawn: int = 0
    missed: int = 0  # inserted already missed (fell due while nobody planned, beyond grace)
    alerts: int = 0
    meetings: int = 0
    subscriptions: int = 0
    changes_scanned: int = 0
    seconds: float = 0.0


@dataclass
class TickResult:
    """What one tick (plan, alerts, send) did."""

    owner: str = ""
    lease_held: bool = False
    lease_lost: bool = False
    plan: PlanResult | None = None
    sent: int = 0
    late: int = 0
    missed: int = 0
    retried: int = 0
    failed: int = 0
    withdrawn: int = 0
    recovered: int = 0
    gone: int = 0
    found: int = 0  # already in the channel after an ambiguous failure: recorded, not posted again
    busy: bool = False  # a SQLite lock outlasted the busy timeout: the tick ended early
    sent_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class PlannedMessage:
    """A message the scheduler would post: for previews (`summitbot reminders`)."""

    delivery_id: int | None
    channel: str  # platform:workspace:channel
    tz: str
    due_utc: datetime
    due_local: datetime
    kind: str
    meeting_id: int | None
    meeting: str | None
    text: str
    late: bool = False
    reply: Reply | None = field(default=None, repr=False)

    def to_json(self) -> dict:
        d = asdict(self)
        d.pop("reply")
        d["due_utc"] = iso_utc(self.due_utc)
        d["due_local"] = self.due_local.isoformat(timespec="seconds")
        return d


@dataclass
class LeaseState:
    held: bool
    fresh: bool = False  # newly acquired (not a renewal): in-flight rows of a dead owner are ours to recover
    holder: str | None = None
    expires: str | None = None


# -- transactions ------------------------------------------------------------------------------


@contextmanager
def immediate(store: Store, *, keep: bool = True) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT: take SQLite's write lock up front so check-then-write is atomic.

    With ``keep=False`` the transaction is always rolled back: the real planning runs without being kept.
    """
    conn = store.db.conn
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.rollback()
        raise
    if keep:
        conn.commit()
    else:
        conn.rollback()


def open_delivery_store(path: str) -> Store:
    """A private connection for the scheduler; synchronous=NORMAL is crash-safe in WAL mode and cheap per commit."""
    store = Store(open_db(path))
    store.db.execute("PRAGMA synchronous = NORMAL")
    return store


def default_owner() -> str:
    """A sender id unique to this process: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _state(store: Store, key: str) -> str | None:
    row = store.db.execute("SELECT value FROM scheduler_state WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def _set_state(store: Store, key: str, value: str) -> None:
    store.db.execute(
        "INSERT INTO scheduler_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value])


def idempotency_key(channel_id: int, meeting_id: int, kind: str, due: str, ref: str) -> str:
    """Stable for one logical message: the same across retries, restarts and re-planning."""
    digest = hashlib.sha1(f"{channel_id}|{meeting_id}|{kind}|{due}|{ref}".encode()).hexdigest()
    return f"sb-{digest[:20]}"


# -- when things are due -------------------------------------------------------------------------


def reminder_due(rec: MeetingRecord, lead: Lead, channel_zone: ZoneInfo, delivery_time: str) -> datetime | None:
    """When a reminder `lead` ahead of ``rec`` falls due, in UTC (None: no date)."""
    # Timed meeting: day leads are calendar days on the venue's wall clock (10:00 the day before,
    # whatever DST does), hour leads exact hours. Date-only meeting: the channel's delivery time,
    # `lead` days before, in the channel's zone; hour leads count whole days (6h -> on the day).
    if rec.start is None:
        return None
    instant = rec.start_instant(channel_zone)
    if instant is not None:
        if lead.unit == "d":
            return (instant - timedelta(days=lead.amount)).astimezone(timezone.utc)
        return instant.astimezone(timezone.utc) - timedelta(hours=lead.amount)
    days = lead.amount if lead.unit == "d" else lead.amount // 24
    local = datetime.combine(rec.start - timedelta(days=days), time_of_day(delivery_time) or time(9, 0),
                             tzinfo=channel_zone)
    return local.astimezone(timezone.utc)


def digest_times(channel: Channel, start: datetime, end: datetime) -> list[datetime]:
    """The channel's digest instants in [start, end], in UTC (local wall-clock time, DST-aware)."""
    at = time_of_day(channel.digest_time)
    if channel.digest not in ("daily", "weekly") or at is None:
        return []
    zone = channel.zone
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(channel.digest_day or "mon")
    day = start.astimezone(zone).date() - timedelta(days=1)
    last = end.astimezone(zone).date() + timedelta(days=1)
    out = []
    while day <= last:
        if channel.digest == "daily" or day.weekday() == weekday:
            t = datetime.combine(day, at, tzinfo=zone).astimezone(timezone.utc)
            if start <= t <= end:
                out.append(t)
        day += timedelta(days=1)
    return out


# -- planning ----------------------------------------------------------------------------------------

Key = tuple[int, int, str, str, str]  # channel, meeting, kind, due, ref


def plan_deliveries(store: Store, settings: Settings, now: datetime) -> PlanResult:
    """Reconcile the deliveries table with what should be sent (reminders, digests, alerts), idempotently."""
    # One transaction: new rows are inserted, pending rows no longer wanted (meeting moved or
    # cancelled, subscription removed) are withdrawn, withdrawn rows wanted again come back.
    with immediate(store):
        result = _plan(store, settings, now)
        previous = _state(store, "planned_at")
        if previous is None or previous < iso_utc(now):
            _set_state(store, "planned_at", iso_utc(now))
    return result


def _lower_bound(store: Store, now: datetime, grace: timedelta) -> datetime:
    """The oldest due time worth planning: normally now - grace; after downtime, the last plan."""
    # Rows that fell due between the last plan and now - grace are recorded as missed. Before the
    # very first plan there was no downtime, so nothing older than the grace period is recorded.
    since = _state(store, "planned_at")
    start = now - grace
    if since:
        start = min(start, max(parse_utc(since), now - LOOKBACK_CAP))
    return start


def _plan(store: Store, settings: Settings, now: datetime, until: datetime | None = None) -> PlanResult:
    t0 = _time.perf_counter()
    result = PlanResult()
    now = now.astimezone(timezone.utc)
    grace = timedelta(hours=settings.grace_hours)
    chans = {c.id: c for c in channels(store)}
    subs = [s for s in subscriptions(store) if s.channel_id in chans]
    result.subscriptions = len(subs)
    lower = _lower_bound(store, now, grace)
    max_lead = timedelta(hours=max((lead.hours for s in subs for lead in s.leads), default=0))
    # Horizon: meetings starting up to max lead + 1 day ahead (of the window's end for a preview).
    last_start = (until or now) + max_lead + timedelta(days=1)
    matcher = Matcher(store, subs)

    desired: dict[Key, str] = {}  # key -> payload JSON
    if subs:
        _desire_reminders(store, chans, matcher, lower, until, last_start, desired, result)
    for ch in chans.values():
        if ch.digest in ("daily", "weekly"):
            since = parse_utc(ch.digest_since) if ch.digest_since else now
            for t in digest_times(ch, max(lower, since), until or now + timedelta(days=8)):
                desired[(ch.id, 0, DIGEST, iso_utc(t), ch.digest)] = payload({"mode": ch.digest})
    result.desired = len(desired)
    _reconcile(store, desired, lower, now, grace, result)
    _plan_change_alerts(store, now, grace, chans, matcher, result)
    result.seconds = _time.perf_counter() - t0
    log.debug("planned %s", result)
    return result


def _desire_reminders(store: Store, chans: dict[int, Channel], matcher: Matcher, lower: datetime,
                      upper: datetime | None, last_start: datetime, desired: dict[Key, str],
                      result: PlanResult) -> None:
    """Add the reminder rows due in [lower, upper] for upcoming meetings known to the day starting in the horizon."""
    # A day of slack each side: dates are venue-local, zones are up to 14 hours from UTC.
    first = (lower - timedelta(days=1)).date().isoformat()
    last = (last_start + timedelta(days=1)).date().isoformat()
    # Known to the day: one day or a span of days (reminded before its first day). A week, a
    # month or vaguer gets no countdown until it narrows (the narrowing is an alert of its own).
    meetings = store.meetings(
        "status = 'upcoming' AND start IS NOT NULL AND COALESCE(precision, 'day') IN ('day', 'range')"
        " AND COALESCE(\"end\", start) >= start AND start BETWEEN ? AND ?",
        [first, last], order="id")
    result.meetings = len(meetings)
    lower_iso = iso_utc(lower)
    upper_iso = iso_utc(upper) if upper else "9999"
    zones: dict[str, ZoneInfo] = {}
    payloads: dict[str, str] = {}
    # Per subscription, what the inner loop needs: its channel's zone and hour, its leads, its start.
    info = {}
    for sub in matcher.subs:
        ch = chans[sub.channel_id]
        created = sub.created or ""
        if upper is not None:  # a preview of a window shows the subscription as if it existed from its start
            created = min(created, lower_iso)
        info[sub.id] = (ch.id, ch.tz, ch.delivery_time, [(lead.label, lead) for lead in sub.leads], created)
    for rec in meetings:
        dues: dict[tuple[str, str, str], str | None] = {}  # this meeting's due per (zone, hour, lead)
        for sub in matcher.subscriptions_for(rec):
            channel_id, tz, hour, leads, created = info[sub.id]
            for label, lead in leads:
                ck = (tz, hour, label)
                if ck in dues:
                    due_iso = dues[ck]
                else:
                    zone = zones.get(tz) or zones.setdefault(tz, zone_or(tz, ZoneInfo("UTC")))
                    due = reminder_due(rec, lead, zone, hour)
                    due_iso = dues[ck] = iso_utc(due) if due else None
                # Never plan a reminder that fell due before the subscription existed.
                if due_iso is None or due_iso < lower_iso or due_iso > upper_iso or due_iso < created:
                    continue
                key = (channel_id, rec.id, REMINDER, due_iso, "")
                if key not in desired:
                    desired[key] = payloads.get(label) or payloads.setdefault(label, payload({"lead": label}))


def _reconcile(store: Store, desired: dict[Key, str], lower: datetime, now: datetime, grace: timedelta,
               result: PlanResult) -> None:
    """Insert what is new, revive what was withdrawn, withdraw pending rows no longer wanted."""
    lower_iso, now_iso, stale_iso = iso_utc(lower), iso_utc(now), iso_utc(now - grace)
    existing: dict[Key, tuple[int, str]] = {}
    cur = store.db.execute(
        """SELECT id, channel_id, meeting_id, kind, due, ref, status FROM deliveries
           WHERE kind IN ('reminder', 'digest') AND due >= ?""", [lower_iso])
    for rid, cid, mid, kind, due, ref, status in cur:
        existing[(cid, mid, kind, due, ref)] = (rid, status)
    inserts, revive, withdraw = [], [], []
    for key, data in desired.items():
        found = existing.get(key)
        status = "missed" if key[3] < stale_iso else "pending"
        if found is None:
            inserts.append((*key, status, data, now_iso, now_iso))
            if status == "missed":
                result.missed += 1
        elif found[1] == "withdrawn":
            revive.append((status, now_iso, found[0]))
    for key, (rid, status) in existing.items():
        if status == "pending" and key not in desired:
            withdraw.append((now_iso, rid))
    if inserts:
        store.db.conn.executemany(
            """INSERT INTO deliveries (channel_id, meeting_id, kind, due, ref, status, payload, created, updated)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(channel_id, meeting_id, kind, due, ref) DO NOTHING""", inserts)
    if revive:
        store.db.conn.executemany(
            "UPDATE deliveries SET status = ?, error = NULL, updated = ? WHERE id = ? AND status = 'withdrawn'",
            revive)
    if withdraw:
        store.db.conn.executemany(
            """UPDATE deliveries SET status = 'withdrawn', error = 'no longer due (moved, cancelled or unsubscribed)',
                   updated = ? WHERE id = ? AND status = 'pending'""", withdraw)
    result.inserted += len(inserts)
    result.revived += len(revive)
    result.withdrawn += len(withdraw)


def _plan_change_alerts(store: Store, now: datetime, grace: timedelta, chans: dict[int, Channel],
                        matcher: Matcher, result: PlanResult) -> None:
    """Turn change rows past the high-water mark into alerts for the channels that follow them."""
    hwm = int(_state(store, "change_hwm") or 0)
    now_iso, stale_iso = iso_utc(now), iso_utc(now - grace)
    while True:
        rows = store.db.execute(
            "SELECT id, meeting_id, at, field, old, new FROM changes WHERE id > ? ORDER BY id LIMIT ?",
            [hwm, CHANGE_SCAN_CHUNK]).fetchall()
        if not rows:
            break
        result.changes_scanned += len(rows)
        hwm = rows[-1][0]
        if not matcher.subs:
            continue
        groups: dict[tuple[int, str], list[tuple[int, str]]] = {}  # (meeting, at) -> [(change id, event)]
        for cid, mid, at, fld, old, new in rows:
            event = change_event(fld, old, new)
            if event:
                groups.setdefault((mid, at or now_iso), []).append((cid, event))
        if not groups:
            continue
        ids = sorted({mid for mid, _ in groups})
        recs = {}
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            for rec in store.meetings(f"id IN ({','.join('?' * len(chunk))})", chunk, order="id"):
                recs[rec.id] = rec
        inserts = []
        for (mid, at), items in groups.items():
            rec = recs.get(mid)
            if rec is None or rec.status == "past":
                continue
            events = [e for _, e in items if not (e == "new" and rec.status != "upcoming")]
            if not events:
                continue
            change_ids = [c for c, _ in items]
            due = min(parse_utc(at), now) if _parses(at) else now
            due_iso = iso_utc(due)
            status = "missed" if due_iso < stale_iso else "pending"
            targets = {sub.channel_id for sub in matcher.subscriptions_for(rec)
                       if max(change_ids) > (sub.after_change_id or 0)}
            for channel_id in sorted(targets):
                key = (channel_id, mid, CHANGE, due_iso, str(change_ids[0]))
                data = {"events": sorted(set(events), key=list(EVENT_TITLES).index), "changes": change_ids}
                inserts.append((*key, status, payload(data), now_iso, now_iso))
                if status == "missed":
                    result.missed += 1
        if inserts:
            cur = store.db.conn.executemany(
                """INSERT INTO deliveries (channel_id, meeting_id, kind, due, ref, status, payload, created, updated)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT(channel_id, meeting_id, kind, due, ref) DO NOTHING""", inserts)
            result.alerts += max(cur.rowcount, 0)
    _set_state(store, "change_hwm", str(hwm))


def _parses(text: str | None) -> bool:
    try:
        parse_utc(text or "")
        return True
    except ValueError:
        return False


# -- what a message says ----------------------------------------------------------------------------


def _when_phrase(delta: timedelta) -> str:
    hours = round(delta.total_seconds() / 3600)
    if hours < 1:
        return "within the hour"
    if hours < 48 and hours % 24:
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    days = round(hours / 24)
    return "tomorrow" if days == 1 else f"in {days} days"


def reminder_reply(rec: MeetingRecord, channel: Channel, due: datetime) -> Reply:
    """'Reminder: APEC summit starts in 3 days: 31 Oct – 1 Nov 2025, Gyeongju.' with the meeting attached."""
    # The title and the place come from articles: they go in `quoted`, for each renderer to escape.
    zone = channel.zone
    instant = rec.start_instant(zone)
    if instant is not None:
        local = instant.astimezone(zone)
        when = _when_phrase(instant - due)
        dates = f"{local:%a} {local.day} {local:%b %H:%M} {channel.tz} time"
        if rec.is_span():
            dates += f" (until {format_day(rec.end)})"  # type: ignore[arg-type]
    else:
        # A date is a calendar date, never an instant: no zone can move it to the day before.
        days = (rec.start - due.astimezone(zone).date()).days if rec.start else 0
        when = "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"
        dates = format_when(rec)
    quoted = [rec.title]
    text = f"Reminder: {{0}} starts {when}: {dates}"
    if rec.location:
        quoted.append(rec.location)
        text += ", {1}"
    return Reply(kind="meetings", text=text + ".", meetings=[rec], tz=channel.tz, quoted=tuple(quoted))


def change_reply(store: Store, rec: MeetingRecord, channel: Channel, data: dict) -> Reply:
    """An alert: what happened to the summit, the old and new values and the source that said so."""
    events = data.get("events") or []
    text = " · ".join(EVENT_TITLES.get(e, e) for e in events) + ":"
    rows: list[tuple[str, str]] = []
    links: list[tuple[str, str]] = []
    ids = [int(i) for i in data.get("changes") or []]
    if ids:
        found = store.db.execute(
            f"""SELECT c.field, c.old, c.new, c.sentence, a.title, a.url FROM changes c
                LEFT JOIN articles a ON a.id = c.article_id WHERE c.id IN ({','.join('?' * len(ids))})
                ORDER BY c.id""", ids).fetchall()
        quotes: list[tuple[str, str]] = []
        for fld, old, new, sentence, title, url in found:
            if fld != "created":
                rows.append((fld, old_to_new(old, new)))
            if (title or url) and (title or "", url or "") not in links:
                links.append((title or "", url or ""))
            if sentence and ("quote", sentence) not in quotes:
                quotes.append(("quote", sentence))
        rows.extend(quotes)
    # Row values and links come from articles; each renderer escapes them and builds the links itself.
    return Reply(kind="meetings", text=text, meetings=[rec], rows=rows, tz=channel.tz, links=links)


def failure_notice(data: dict) -> Reply:
    """What a channel is told when one of its deliveries failed for good."""
    what = KIND_WORDS.get(str(data.get("kind")), "message")
    failed = data.get("failed")
    return Reply(kind="error", text=(
        f"A {what} for this channel could not be posted, even after retrying. An admin can send it again "
        f"with `summitbot deliveries --resend {failed}` (`summitbot deliveries --failed` lists them)."),
        rows=[("error", str(data.get("error") or "unknown"))])


def plain_text(reply: Reply) -> str:
    """A Reply as plain text without any adapter (for previews and logs)."""
    text = reply.render_text(str, str)
    lines = [text] if text else []
    lines += ["  " + " ".join(one_line(m).split()) for m in reply.meetings]
    lines += [f"  {label}: {' '.join(str(value).split())}" for label, value in reply.rows]
    lines += [f"  source: {' '.join(x for x in (title, url) if x)}" for title, url in reply.links]
    return "\n".join(lines)


class _Composer:
    """Builds the Reply for a delivery row, with meetings, channels and subscriptions loaded once."""

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self._meetings: dict[int, MeetingRecord | None] = {}
        self._channels: dict[int, Channel] = {c.id: c for c in channels(store, active_only=False)}
        self._subs: dict[int, list[Subscription]] | None = None

    def preload(self, meeting_ids: list[int]) -> None:
        todo = sorted({m for m in meeting_ids if m and m not in self._meetings})
        for i in range(0, len(todo), 500):
            chunk = todo[i:i + 500]
            found = {r.id: r for r in self.store.meetings(f"id IN ({','.join('?' * len(chunk))})", chunk, order="id")}
            for mid in chunk:
                self._meetings[mid] = found.get(mid)

    def channel(self, channel_id: int) -> Channel | None:
        return self._channels.get(channel_id)

    def meeting(self, meeting_id: int) -> MeetingRecord | None:
        if meeting_id not in self._meetings:
            self.preload([meeting_id])
        return self._meetings.get(meeting_id)

    def subscriptions_of(self, channel_id: int) -> list[Subscription]:
        if self._subs is None:
            self._subs = {}
            for sub in subscriptions(self.store):
                self._subs.setdefault(sub.channel_id, []).append(sub)
        return self._subs.get(channel_id, [])

    def compose(self, d: Delivery) -> tuple[Reply | None, dict, str | None]:
        """(reply, extra facts to keep, reason to withdraw instead)."""
        ch = self.channel(d.channel_id)
        if ch is None:
            return None, {}, "channel unknown"
        if d.kind == DIGEST:
            reply, upto = digest_reply(self.store, self.settings, ch, self.subscriptions_of(ch.id), d.due_at)
            return reply, {"upto": upto}, None
        if d.kind == NOTICE:
            return failure_notice(d.payload), {}, None
        rec = self.meeting(d.meeting_id)
        if rec is None:
            return None, {}, "meeting no longer exists"
        if d.kind == REMINDER:
            if rec.status != "upcoming" or not rec.is_dated_to_the_day():
                return None, {}, f"meeting is {rec.status}"
            return reminder_reply(rec, ch, d.due_at), {}, None
        return change_reply(self.store, rec, ch, d.payload), {}, None


# -- lease -------------------------------------------------------------------------------------------


def acquire_lease(store: Store, owner: str, now: datetime, seconds: float) -> LeaseState:
    """Take or renew the sending lease unless another live owner holds it (BEGIN IMMEDIATE)."""
    now_iso = iso_utc(now)
    with immediate(store):
        row = store.db.execute("SELECT owner, expires FROM leases WHERE name = ?", [LEASE_NAME]).fetchone()
        if row and row[0] != owner and (row[1] or "") > now_iso:
            return LeaseState(held=False, holder=row[0], expires=row[1])
        fresh = not (row and row[0] == owner and (row[1] or "") > now_iso)
        expires = iso_utc(now + timedelta(seconds=seconds))
        store.db.execute(
            """INSERT INTO leases (name, owner, expires, acquired) VALUES (?, ?, ?, ?)
               ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires,
                   acquired = CASE WHEN leases.owner = excluded.owner THEN leases.acquired ELSE excluded.acquired END""",
            [LEASE_NAME, owner, expires, now_iso])
    if fresh and row and row[0] != owner:
        log.info("sending lease taken over by %s from %s (expired %s)", owner, row[0], row[1])
    return LeaseState(held=True, fresh=fresh, holder=owner, expires=expires)


def release_lease(store: Store, owner: str) -> None:
    """Give the lease up so another process can send at once (clean shutdown)."""
    with immediate(store):
        store.db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", [LEASE_NAME, owner])


def lease_holder(store: Store) -> tuple[str, str] | None:
    row = store.db.execute("SELECT owner, expires FROM leases WHERE name = ?", [LEASE_NAME]).fetchone()
    return (row[0], row[1]) if row else None


# -- sending -------------------------------------------------------------------------------------------


def _recover_in_flight(store: Store, owner: str, lease: LeaseState, now: datetime, settings: Settings,
                       result: TickResult) -> None:
    """Re-queue the rows a dead sender left in `sending`, inside the caller's transaction.

    The message may or may not have reached the platform: the next attempt checks first (see
    ``Delivery.may_have_reached``). A row is failed (and the channel told) only once it has used
    up its attempts, and recorded as missed only when it is older than the grace period.
    """
    if lease.fresh:
        rows = store.db.execute(
            "SELECT id, due, owner, attempts FROM deliveries WHERE status = 'sending'").fetchall()
    else:
        # Holding the lease already: only our own earlier life can have left a row here.
        rows = store.db.execute(
            "SELECT id, due, owner, attempts FROM deliveries WHERE status = 'sending' AND owner = ?",
            [owner]).fetchall()
    now_iso = iso_utc(now)
    stale_iso = iso_utc(now - timedelta(hours=settings.grace_hours))
    for rid, due, old_owner, attempts in rows:
        if due < stale_iso:
            status, error = "missed", f"in flight when sender {old_owner} died; too old to resend"
        elif (attempts or 0) >= settings.max_attempts:
            status, error = "failed", f"in flight when sender {old_owner} died, after {attempts} attempts"
        else:
            status, error = "pending", f"in flight when sender {old_owner} died; checked before it is sent again"
            result.recovered += 1
        store.db.execute(
            """UPDATE deliveries SET status = ?, error = ?, recovered = COALESCE(recovered, 0) + 1,
                   next_attempt_at = NULL, owner = NULL, updated = ? WHERE id = ?""",
            [status, error, now_iso, rid])
        log.warning("delivery %s was in flight when %s died: %s", rid, old_owner, status)
        if status == "failed":
            result.failed += 1
            _tell_failed(store, rid, error, now)


def _tell_failed(store: Store, delivery_id: int, error: str, now: datetime) -> None:
    """A delivery failed for good: log it and queue a notice to its channel (not for a failed notice)."""
    row = store.db.execute("SELECT channel_id, meeting_id, kind FROM deliveries WHERE id = ?",
                           [delivery_id]).fetchone()
    if row is None:
        return
    channel_id, meeting_id, kind = row
    log.error("delivery %s (%s to channel %s) failed: %s; `summitbot deliveries --resend %s` sends it again",
              delivery_id, kind, channel_id, error, delivery_id)
    if kind == NOTICE:
        return
    now_iso = iso_utc(now)
    store.db.execute(
        """INSERT INTO deliveries (channel_id, meeting_id, kind, due, ref, status, payload, created, updated)
           VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)
           ON CONFLICT(channel_id, meeting_id, kind, due, ref) DO NOTHING""",
        [channel_id, meeting_id, NOTICE, now_iso, str(delivery_id),
         payload({"failed": delivery_id, "kind": kind, "error": error}), now_iso, now_iso])


def _backoff(attempts: int, retry_after: float | None) -> float:
    wait = min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)
    return max(wait, retry_after or 0.0)


@dataclass
class _Outcome:
    delivery: Delivery
    status: str  # sent | retry | gone | error
    message_id: str | None = None
    error: str | None = None
    retry_after: float | None = None
    extra: dict = field(default_factory=dict)


class _Sender:
    """The claim -> send -> mark loop for one tick; every step a short BEGIN IMMEDIATE transaction."""

    def __init__(self, store: Store, settings: Settings, now: datetime, owner: str, result: TickResult):
        self.store = store
        self.settings = settings
        self.now = now
        self.owner = owner
        self.result = result
        self.started = _time.monotonic()
        self.lease_expires: str | None = None
        self.unrecorded: _Outcome | None = None  # the last send's outcome, until it is written down
        self.late_after = timedelta(seconds=max(60.0, 2 * settings.tick_seconds))

    def clock(self) -> datetime:
        """The tick's time plus the real time spent sending, so a long tick cannot outlive its lease."""
        return self.now + timedelta(seconds=_time.monotonic() - self.started)

    def _finish(self, outcome: _Outcome | None) -> None:
        """Record what happened to the previously claimed row (inside a transaction)."""
        if outcome is None:
            return
        d, now_iso = outcome.delivery, iso_utc(self.now)
        mine = "id = ? AND status = 'sending' AND owner = ?"
        if outcome.status == "sent":
            late = int(self.now - d.due_at > self.late_after)
            cur = self.store.db.execute(
                f"""UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = ?, late = ?, error = NULL,
                        next_attempt_at = NULL, updated = ? WHERE {mine}""",
                [now_iso, outcome.message_id, late, now_iso, d.id, self.owner])
            if cur.rowcount:
                self.result.sent += 1
                self.result.late += late
                self.result.sent_ids.append(d.id)
                if d.kind == DIGEST and outcome.extra.get("upto") is not None:
                    self.store.db.execute(
                        "UPDATE channels SET digest_change_id = MAX(COALESCE(digest_change_id, 0), ?) WHERE id = ?",
                        [outcome.extra["upto"], d.channel_id])
            else:
                log.warning("delivery %s was sent but another sender had re-queued it", d.id)
        elif outcome.status == "retry":
            attempts = d.attempts + 1
            if attempts >= self.settings.max_attempts:
                cur = self.store.db.execute(
                    f"UPDATE deliveries SET status = 'failed', error = ?, updated = ? WHERE {mine}",
                    [outcome.error, now_iso, d.id, self.owner])
                if cur.rowcount:
                    self.result.failed += 1
                    _tell_failed(self.store, d.id, f"{outcome.error} (after {attempts} attempts)", self.now)
            else:
                wait = _backoff(attempts, outcome.retry_after)
                self.store.db.execute(
                    f"""UPDATE deliveries SET status = 'pending', owner = NULL, error = ?, next_attempt_at = ?,
                            updated = ? WHERE {mine}""",
                    [outcome.error, iso_utc(self.now + timedelta(seconds=wait)), now_iso, d.id, self.owner])
                self.result.retried += 1
                log.info("delivery %s: attempt %d failed (%s); retrying in %.0fs", d.id, attempts, outcome.error, wait)
        else:  # gone: the channel is disabled by the caller after this commit
            self.store.db.execute(
                f"UPDATE deliveries SET status = 'failed', error = ?, updated = ? WHERE {mine}",
                [f"channel gone: {outcome.error}", now_iso, d.id, self.owner])
            self.result.failed += 1

    def claim(self, d: Delivery) -> bool | None:
        """Record the previous outcome and claim ``d`` in one transaction; None if the lease was lost."""
        with immediate(self.store):
            self._finish(self.unrecorded)
            clock_iso = iso_utc(self.clock())
            row = self.store.db.execute("SELECT owner, expires FROM leases WHERE name = ?", [LEASE_NAME]).fetchone()
            if not row or row[0] != self.owner or (row[1] or "") <= clock_iso:
                self.unrecorded = None  # recorded even so: the transaction commits
                return None
            seconds = self.settings.lease_seconds
            if parse_utc(row[1]) - self.clock() < timedelta(seconds=seconds / 2):
                self.store.db.execute("UPDATE leases SET expires = ? WHERE name = ? AND owner = ?",
                                      [iso_utc(self.clock() + timedelta(seconds=seconds)), LEASE_NAME, self.owner])
            cur = self.store.db.execute(
                """UPDATE deliveries SET status = 'sending', owner = ?, claimed_at = ?, updated = ?,
                       attempts = COALESCE(attempts, 0) + 1, idem_key = ?
                   WHERE id = ? AND status = 'pending'""",
                [self.owner, clock_iso, clock_iso, d.key, d.id])
        self.unrecorded = None  # committed
        return cur.rowcount == 1

    def flush(self) -> None:
        """Record the last outcome in a transaction of its own."""
        if self.unrecorded is not None:
            with immediate(self.store):
                self._finish(self.unrecorded)
            self.unrecorded = None

    def withdraw(self, d: Delivery, reason: str) -> None:
        with immediate(self.store):
            cur = self.store.db.execute(
                "UPDATE deliveries SET status = 'withdrawn', error = ?, updated = ? WHERE id = ? AND status = 'pending'",
                [reason, iso_utc(self.now), d.id])
        self.result.withdrawn += cur.rowcount


def due_rows(store: Store, now: datetime, platforms: list[str], limit: int | None = None) -> list[Delivery]:
    """Pending rows due now (and not waiting for a retry), on platforms we can post to, oldest first."""
    if not platforms:
        return []
    now_iso = iso_utc(now)
    sql = f"""SELECT d.* FROM deliveries d JOIN channels c ON c.id = d.channel_id
              WHERE d.status = 'pending' AND d.due <= ? AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)
                AND c.status = 'active' AND c.platform IN ({','.join('?' * len(platforms))})
              ORDER BY d.due, d.id"""
    params: list = [now_iso, now_iso, *platforms]
    if limit:
        sql += " LIMIT ?"
        params.append(int(limit))
    cur = store.db.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [Delivery.from_row(dict(zip(cols, r))) for r in cur.fetchall()]


def _is_busy(exc: BaseException) -> bool:
    """SQLite's lock timeout ('database is locked', 'database table is locked', busy)."""
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


# Outcomes a sender could not record because the database stayed locked, by (database, owner):
# recorded first thing next tick, before anything could mistake their rows for ones left in flight.
_UNRECORDED: dict[tuple[str, str], list[_Outcome]] = {}


def _unrecorded_key(store: Store, owner: str) -> tuple[str, str]:
    return (database_file(store) or f"memory:{id(store.db.conn)}", owner)


async def send_due(store: Store, settings: Settings, now: datetime, transports: dict[str, Transport],
                   owner: str, *, limit: int | None = None) -> TickResult:
    """Send every due row through its platform's transport, if this owner holds (or gets) the lease."""
    try:
        lease = acquire_lease(store, owner, now, settings.lease_seconds)
    except sqlite3.OperationalError as exc:
        if not _is_busy(exc):
            raise
        log.warning("the database stayed locked (%s): sending waits for the next tick", exc)
        return TickResult(owner=owner, busy=True)
    return await _send_due(store, settings, now, transports, owner, lease, limit=limit)


async def _send_due(store: Store, settings: Settings, now: datetime, transports: dict[str, Transport],
                    owner: str, lease: LeaseState, *, limit: int | None = None,
                    result: TickResult | None = None) -> TickResult:
    t0 = _time.perf_counter()
    now = now.astimezone(timezone.utc)
    result = result or TickResult(owner=owner)
    result.owner, result.lease_held = owner, lease.held
    if not lease.held:
        return result
    if result.plan is not None:
        result.missed += result.plan.missed
    sender = _Sender(store, settings, now, owner, result)
    try:
        await _send_rows(store, settings, now, transports, owner, lease, limit, result, sender)
    except sqlite3.OperationalError as exc:
        if not _is_busy(exc):
            raise
        result.busy = True
        log.warning("the database stayed locked (%s): this tick ends early; the next one carries on", exc)
    finally:
        if sender.unrecorded is not None:  # sent (or failed) but not yet written down
            _UNRECORDED.setdefault(_unrecorded_key(store, owner), []).append(sender.unrecorded)
    result.seconds = _time.perf_counter() - t0
    return result


async def _send_rows(store: Store, settings: Settings, now: datetime, transports: dict[str, Transport],
                     owner: str, lease: LeaseState, limit: int | None, result: TickResult,
                     sender: "_Sender") -> None:
    """Record what the last tick could not, recover rows left in flight, then claim, send and mark each due row."""
    grace = timedelta(hours=settings.grace_hours)
    with immediate(store):
        for outcome in _UNRECORDED.get(_unrecorded_key(store, owner), []):
            sender._finish(outcome)
        _recover_in_flight(store, owner, lease, now, settings, result)
        # Never attempted and older than the grace period: record, do not send.
        cur = store.db.execute(
            """UPDATE deliveries SET status = 'missed', error = 'fell due while the bot was not running',
                   updated = ? WHERE status = 'pending' AND COALESCE(attempts, 0) = 0 AND recovered = 0
                   AND COALESCE(resends, 0) = 0 AND due < ?""",
            [iso_utc(now), iso_utc(now - grace)])
        result.missed += cur.rowcount
    _UNRECORDED.pop(_unrecorded_key(store, owner), None)
    rows = due_rows(store, now, list(transports), limit)
    composer = _Composer(store, settings)
    composer.preload([d.meeting_id for d in rows])
    gone: set[int] = set()
    for d in rows:
        if d.channel_id in gone:
            continue
        try:
            reply, extra, reason = composer.compose(d)
        except Exception:
            log.exception("could not compose delivery %s", d.id)
            continue
        if reply is None:
            sender.flush()
            sender.withdraw(d, reason or "nothing to send")
            continue
        claimed = sender.claim(d)
        if claimed is None:
            result.lease_lost = True
            log.warning("%s lost the sending lease; stopping this tick", owner)
            break
        if not claimed:
            continue
        ch = composer.channel(d.channel_id)
        assert ch is not None
        transport = transports[ch.platform]
        try:
            message_id = None
            find = getattr(transport, "find_delivered", None)
            if d.may_have_reached and find is not None:
                # An earlier attempt may have posted it: look in the channel before posting again.
                message_id = await find(ch.ref, reply, idempotency_key=d.key, since=d.due_at)
                if message_id is not None:
                    result.found += 1
                    log.info("delivery %s was already in %s (message %s): not posted again",
                             d.id, ch.ref.key(), message_id)
            if message_id is None:
                message_id = await transport.send(ch.ref, reply, idempotency_key=d.key)
        except TransientSendError as exc:
            sender.unrecorded = _Outcome(d, "retry", error=str(exc) or type(exc).__name__,
                                         retry_after=exc.retry_after)
        except ChannelGone as exc:
            sender.unrecorded = _Outcome(d, "gone", error=str(exc) or "channel gone")
            sender.flush()
            disable_channel(store, d.channel_id, str(exc) or "channel gone", now)
            gone.add(d.channel_id)
            result.gone += 1
        except Exception as exc:  # an adapter bug: retry with backoff like a transient error, but log it
            log.exception("sending delivery %s to %s failed", d.id, ch.ref.key())
            sender.unrecorded = _Outcome(d, "retry", error=f"{type(exc).__name__}: {exc}")
        else:
            sender.unrecorded = _Outcome(d, "sent", message_id=str(message_id) if message_id is not None else None,
                                         extra=extra)
    sender.flush()


async def run_tick(store: Store, settings: Settings, now: datetime, transports: dict[str, Transport],
                   owner: str, *, limit: int | None = None) -> TickResult:
    """What the scheduler does each tick: take the lease, plan (reminders, digests, alerts), send what is due."""
    result = TickResult(owner=owner)
    try:
        lease = acquire_lease(store, owner, now, settings.lease_seconds)
        result.lease_held = lease.held
        if not lease.held:
            return result
        result.plan = plan_deliveries(store, settings, now)
    except sqlite3.OperationalError as exc:
        if not _is_busy(exc):
            raise
        result.busy = True
        log.warning("the database stayed locked (%s): planning waits for the next tick", exc)
        return result
    return await _send_due(store, settings, now, transports, owner, lease, limit=limit, result=result)


# -- failed deliveries ------------------------------------------------------------------------------


class DeliveryError(ValueError):
    """A request about one delivery that cannot be done; the message says why."""


def failed_deliveries(store: Store) -> list[tuple[Delivery, Channel | None]]:
    """Every failed delivery with its channel, newest first."""
    cur = store.db.execute("SELECT * FROM deliveries WHERE status = 'failed' ORDER BY updated DESC, id DESC")
    cols = [c[0] for c in cur.description]
    found = [Delivery.from_row(dict(zip(cols, r))) for r in cur.fetchall()]
    chans = {c.id: c for c in channels(store, active_only=False)}
    return [(d, chans.get(d.channel_id)) for d in found]


def resend(store: Store, delivery_id: int, now: datetime) -> Delivery:
    """Queue a failed delivery again (the next tick checks the channel first, then posts it)."""
    with immediate(store):
        cur = store.db.execute(
            """UPDATE deliveries SET status = 'pending', attempts = 0, resends = COALESCE(resends, 0) + 1,
                   next_attempt_at = NULL, owner = NULL, error = 'resend requested', updated = ?
               WHERE id = ? AND status = 'failed'""", [iso_utc(now), delivery_id])
        row = store.db.execute("SELECT * FROM deliveries WHERE id = ?", [delivery_id])
        cols = [c[0] for c in row.description]
        found = row.fetchone()
    if found is None:
        raise DeliveryError(f"there is no delivery {delivery_id}")
    d = Delivery.from_row(dict(zip(cols, found)))
    if not cur.rowcount:
        raise DeliveryError(f"delivery {delivery_id} is {d.status}, not failed; only a failed one can be resent")
    ch = channel_by_id(store, d.channel_id)
    if ch is not None and ch.status != "active":
        log.warning("delivery %s is queued again, but its channel is %s: it waits until the channel is back",
                    delivery_id, ch.status)
    return d


# -- preview -----------------------------------------------------------------------------------------


def preview(store: Store, settings: Settings, start: datetime, end: datetime,
            now: datetime | None = None) -> list[PlannedMessage]:
    """Every message the scheduler would post with a due time in [start, end]; nothing is kept."""
    # The real planning runs in a transaction that is rolled back. When ``now`` is given and the
    # window starts at or before it, rows overdue within the grace period are listed too (late).
    start, end = start.astimezone(timezone.utc), end.astimezone(timezone.utc)
    grace = timedelta(hours=settings.grace_hours)
    include_overdue = now is not None and start <= now.astimezone(timezone.utc) + timedelta(minutes=1)
    out: list[PlannedMessage] = []
    with immediate(store, keep=False):
        known = store.db.execute("SELECT COALESCE(MAX(id), 0) FROM deliveries").fetchone()[0]
        _plan(store, settings, start, until=end)
        lo = start - grace if include_overdue else start
        cur = store.db.execute(
            """SELECT d.* FROM deliveries d JOIN channels c ON c.id = d.channel_id
               WHERE d.status = 'pending' AND c.status = 'active' AND d.due >= ? AND d.due <= ?
                 AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)
               ORDER BY d.due, d.channel_id, d.kind, d.meeting_id""",
            [iso_utc(lo), iso_utc(end), iso_utc(end)])
        cols = [c[0] for c in cur.description]
        rows = [Delivery.from_row(dict(zip(cols, r))) for r in cur.fetchall()]
        composer = _Composer(store, settings)
        composer.preload([d.meeting_id for d in rows])
        for d in rows:
            reply, _extra, reason = composer.compose(d)
            if reply is None:
                continue
            ch = composer.channel(d.channel_id)
            assert ch is not None
            rec = composer.meeting(d.meeting_id) if d.meeting_id else None
            out.append(PlannedMessage(
                delivery_id=d.id if d.id <= known else None,
                channel=ch.ref.key(), tz=ch.tz, due_utc=d.due_at, due_local=d.due_at.astimezone(ch.zone),
                kind=d.kind, meeting_id=d.meeting_id or None, meeting=rec.title if rec else None,
                text=plain_text(reply), late=d.due_at < start, reply=reply))
    return out


# -- a Transport for hooks and tests -----------------------------------------------------------------


class CallbackTransport:
    """A Transport that hands each delivery to a callback (the console's printer, a test's list)."""

    def __init__(self, platform: str,
                 callback: Callable[[ChannelRef, Reply, str], Awaitable[str | None] | str | None] | None = None):
        self.platform = platform
        self.callback = callback
        self.sent: list[tuple[ChannelRef, Reply, str]] = []

    async def send(self, channel: ChannelRef, reply: Reply, *, idempotency_key: str) -> str:
        self.sent.append((channel, reply, idempotency_key))
        result = self.callback(channel, reply, idempotency_key) if self.callback else None
        if hasattr(result, "__await__"):
            result = await result  # type: ignore[misc]
        return str(result) if result is not None else f"{self.platform}-{len(self.sent)}"
