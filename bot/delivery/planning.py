"""Planning: which reminders, digests and change alerts are due, reconciled with the ledger."""

from __future__ import annotations

import logging
import time as _time
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.delivery.ledger import (
    CHANGE,
    CHANGE_SCAN_CHUNK,
    DIGEST,
    LOOKBACK_CAP,
    REMINDER,
    PlanResult,
    get_state,
    immediate,
    set_state,
)
from bot.digest import EVENT_TITLES, change_event
from bot.models import MeetingRecord, time_of_day, zone_or
from bot.store import Store
from bot.subscriptions import Channel, Lead, Matcher, channels, iso_utc, parse_utc, payload, subscriptions

log = logging.getLogger(__name__)


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


Key = tuple[int, int, str, str, str]  # channel, meeting, kind, due, ref


def plan_deliveries(store: Store, settings: Settings, now: datetime) -> PlanResult:
    """Reconcile the deliveries table with what should be sent (reminders, digests, alerts), idempotently."""
    # One transaction: new rows are inserted, pending rows no longer wanted (meeting moved or
    # cancelled, subscription removed) are withdrawn, withdrawn rows wanted again come back.
    with immediate(store):
        result = plan_window(store, settings, now)
        previous = get_state(store, "planned_at")
        if previous is None or previous < iso_utc(now):
            set_state(store, "planned_at", iso_utc(now))
    return result


def _lower_bound(store: Store, now: datetime, grace: timedelta) -> datetime:
    """The oldest due time worth planning: normally now - grace; after downtime, the last plan."""
    # Rows that fell due between the last plan and now - grace are recorded as missed. Before the
    # very first plan there was no downtime, so nothing older than the grace period is recorded.
    since = get_state(store, "planned_at")
    start = now - grace
    if since:
        start = min(start, max(parse_utc(since), now - LOOKBACK_CAP))
    return start


def plan_window(store: Store, settings: Settings, now: datetime, until: datetime | None = None) -> PlanResult:
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
    hwm = int(get_state(store, "change_hwm") or 0)
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
    set_state(store, "change_hwm", str(hwm))


def _parses(text: str | None) -> bool:
    try:
        parse_utc(text or "")
        return True
    except ValueError:
        return False
