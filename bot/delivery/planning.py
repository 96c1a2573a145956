"""Planning: which reminders, digests and change alerts are due, reconciled with the ledger."""

from __future__ import annotations

import logging
import time as _time
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.delivery.alerts import INSERT_ALERT, plan_change_alerts
from bot.delivery.lease import Fence, LeaseLost, hold
from bot.delivery.ledger import (
    DIGEST,
    INSERT_DELIVERY,
    LOOKBACK_CAP,
    REMINDER,
    PlanResult,
    get_state,
    immediate,
    set_state,
)
from bot.delivery.scope import Scope, chunks, drop_log, log_position, plan_scope, record_scope
from bot.delivery.writes import Batch, checkpoint_within, no_collection, write_all, write_in_slices
from bot.models import MeetingRecord, time_of_day, zone_or
from bot.store import Store
from bot.subscriptions import (
    Channel,
    Lead,
    Matcher,
    Subscription,
    channels,
    iso_utc,
    parse_utc,
    payload,
    subscriptions,
)

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
FOLLOW_UPS = 2  # incremental passes right after a pass, for what changed while it wrote
REMINDER_WINDOW = ("status = 'upcoming' AND start IS NOT NULL AND COALESCE(precision, 'day') IN ('day', 'range')"
                   " AND COALESCE(\"end\", start) >= start AND start BETWEEN ? AND ?")


def plan_deliveries(store: Store, settings: Settings, now: datetime, *, full: bool = False,
                    fence: Fence | None = None) -> PlanResult:
    """Reconcile the deliveries table with what should be sent (reminders, digests, alerts), idempotently.

    Incremental unless ``full``: only what changed since the last pass is planned again (see
    bot/delivery/scope.py). The rows to write are computed in a read transaction, so commands that write
    are not held up by it, then written in short transactions (bot/delivery/writes.py). What changed
    meanwhile is in the plan log past the pass's watermark: a short incremental pass follows at once (at
    most FOLLOW_UPS of them; changes that keep coming are left to the next tick, as are those made just
    after a pass, and no transaction of a pass holds the write lock for long).

    With a ``fence`` (the sending lease the tick holds), every write transaction first checks that the lease is
    still that owner's, in that generation, and renews it: a pass that outlives its lease and finds it taken
    over stops there (``lease_lost``), so two bot processes never write plans at the same time.
    """
    now = now.astimezone(timezone.utc)
    started = _time.monotonic()

    def check() -> None:
        if fence is not None:
            hold(store, fence, now + timedelta(seconds=_time.monotonic() - started))

    result: PlanResult | None = None
    for _ in range(FOLLOW_UPS + 1):
        # No cyclic garbage collection while computing: its rows and keys are tuples and strings, and the
        # collections their allocations started walked them again and again (40-60 ms of a 10k x 5k first plan).
        with no_collection():
            work = _read(store, lambda: _prepare_writes(store, settings, now, full=full))
        try:
            write_in_slices(store, work.batches, work.result, check=check)
            with immediate(store):
                check()
                _finish(store, now, work)
                caught_up = log_position(store) == work.scope.seq
        except LeaseLost as exc:
            log.warning("planning stopped: %s", exc)
            work.result.lease_lost = True
            caught_up = True
        result = _merge(result, work.result)
        if caught_up:
            break
        full = False  # only what changed while this pass wrote
    drop_log(store)
    # Every pass, each tick: the connections serving commands leave it to the planner.
    checkpoint_within(store)
    return result


def _merge(first: PlanResult | None, then: PlanResult) -> PlanResult:
    """A pass and the short one that followed it, as one: the first's scope, both passes' writes."""
    if first is None:
        return then
    for name in ("inserted", "revived", "withdrawn", "missed", "alerts", "changes_scanned", "seconds"):
        setattr(first, name, getattr(first, name) + getattr(then, name))
    first.lease_lost = first.lease_lost or then.lease_lost
    return first


def _read(store: Store, compute):
    """``compute()`` in one read transaction (one snapshot; writers are not held up)."""
    conn = store.db.conn
    if conn.in_transaction:
        conn.commit()
    conn.execute("BEGIN")
    try:
        return compute()
    finally:
        conn.commit()


def _finish(store: Store, now: datetime, work: "_Work") -> PlanResult:
    """The pass's last transaction: the alerts' high-water mark, the plan log's watermark, the time planned.

    Marks only move forward: a pass that a newer one overtook (it read before the newer one and finishes after
    it) leaves the newer one's marks, whose plan-log rows are gone."""
    set_state(store, "change_hwm", str(max(work.change_hwm, int(get_state(store, "change_hwm") or 0))))
    record_scope(store, work.scope)
    previous = get_state(store, "planned_at")
    if previous is None or previous < iso_utc(now):
        set_state(store, "planned_at", iso_utc(now))
    log.debug("planned %s", work.result)
    return work.result


def _lower_bound(store: Store, now: datetime, grace: timedelta) -> datetime:
    """The oldest due time worth planning: normally now - grace; after downtime, the last plan."""
    # Rows that fell due between the last plan and now - grace are recorded as missed. Before the
    # very first plan there was no downtime, so nothing older than the grace period is recorded.
    since = get_state(store, "planned_at")
    start = now - grace
    if since:
        start = min(start, max(parse_utc(since), now - LOOKBACK_CAP))
    return start


@dataclass
class _Work:
    """A pass computed but not yet written: the rows wanted, in the scope they were computed for."""

    scope: Scope
    lower: datetime
    chans: dict[int, Channel]
    subs: list[Subscription]
    reminders: dict[Key, str]
    digests: dict[Key, str]
    result: PlanResult
    matcher: Matcher | None = None
    batches: list[Batch] = field(default_factory=list)  # the rows to write, computed by _prepare_writes
    change_hwm: int = 0  # the last change the alerts in ``batches`` account for

    def full_matcher(self, store: Store) -> Matcher:
        if self.matcher is None:
            self.matcher = Matcher(store, self.subs)
        return self.matcher


def _prepare(store: Store, settings: Settings, now: datetime, *, full: bool,
             until: datetime | None = None) -> _Work:
    """Compute the reminder and digest rows wanted, for everything or for what changed (nothing is written)."""
    t0 = _time.perf_counter()
    result = PlanResult()
    grace = timedelta(hours=settings.grace_hours)
    chans = {c.id: c for c in channels(store)}
    subs = [s for s in subscriptions(store) if s.channel_id in chans]
    result.subscriptions = len(subs)
    lower = _lower_bound(store, now, grace)
    leads = {s.lead: s.leads for s in subs}  # a subscription's leads are its lead's text, parsed
    max_lead = timedelta(hours=max((lead.hours for each in leads.values() for lead in each), default=0))
    # Horizon: meetings starting up to max lead + 1 day ahead (of the window's end for a preview), with
    # a day of slack each side: dates are venue-local, zones are up to 14 hours from UTC.
    first = (lower - timedelta(days=1)).date().isoformat()
    last = ((until or now) + max_lead + timedelta(days=2)).date().isoformat()
    scope = plan_scope(store, last, full=full or until is not None)
    work = _Work(scope, lower, chans, subs, {}, {}, result)
    result.incremental = not scope.full
    if subs and scope.full:
        meetings = store.meetings(REMINDER_WINDOW, [first, last], order="id")
        _desire_reminders(chans, work.full_matcher(store), meetings, lower, until, work.reminders, result)
    elif subs:
        changed = [s for s in subs if s.channel_id in scope.channels]
        if changed:  # every meeting in the window, for the channels whose settings changed
            meetings = store.meetings(REMINDER_WINDOW, [first, last], order="id")
            _desire_reminders(chans, Matcher(store, changed), meetings, lower, until, work.reminders, result)
        meetings = _scoped_meetings(store, scope, first, last)
        if meetings:  # the meetings that changed or came into the horizon, for every channel
            _desire_reminders(chans, work.full_matcher(store), meetings, lower, until, work.reminders, result)
    for ch in chans.values():
        if ch.digest in ("daily", "weekly"):
            since = parse_utc(ch.digest_since) if ch.digest_since else now
            for t in digest_times(ch, max(lower, since), until or now + timedelta(days=8)):
                work.digests[(ch.id, 0, DIGEST, iso_utc(t), ch.digest)] = payload({"mode": ch.digest})
    result.desired = len(work.reminders) + len(work.digests)
    result.seconds = _time.perf_counter() - t0
    return work


def _scoped_meetings(store: Store, scope: Scope, first: str, last: str) -> list[MeetingRecord]:
    """The changed meetings still in the window, and those whose start came into the horizon."""
    found: dict[int, MeetingRecord] = {}
    for chunk in chunks(scope.meetings):
        for rec in store.meetings(f"{REMINDER_WINDOW} AND id IN ({','.join('?' * len(chunk))})",
                                  [first, last, *chunk], order="id"):
            found[rec.id] = rec
    if scope.entering:
        after, upto = scope.entering
        for rec in store.meetings(f"{REMINDER_WINDOW} AND start > ?", [first, upto, after], order="id"):
            found[rec.id] = rec
        scope.meetings.update(found)  # their rows (withdrawn when the horizon was longer) are reconciled too
    return [found[k] for k in sorted(found)]


def plan_window(store: Store, settings: Settings, now: datetime, until: datetime | None = None) -> PlanResult:
    """A full pass inside the caller's transaction (a preview of [now, until] rolls it back)."""
    now = now.astimezone(timezone.utc)
    work = _diff(store, settings, now, _prepare(store, settings, now, full=True, until=until))
    write_all(store, work.batches, work.result)
    set_state(store, "change_hwm", str(work.change_hwm))
    return work.result


def _prepare_writes(store: Store, settings: Settings, now: datetime, *, full: bool) -> _Work:
    return _diff(store, settings, now, _prepare(store, settings, now, full=full))


def _diff(store: Store, settings: Settings, now: datetime, work: _Work) -> _Work:
    """What a computed pass writes: its reminders reconciled in its scope, every digest, the change alerts."""
    t0 = _time.perf_counter()
    result, scope, lower_iso = work.result, work.scope, iso_utc(work.lower)
    grace = timedelta(hours=settings.grace_hours)
    existing: dict[Key, tuple[int, str]] = {}
    if scope.full:
        _existing(store, "kind = 'reminder' AND due >= ?", [lower_iso], existing)
    else:
        for column, ids in (("channel_id", scope.channels), ("meeting_id", scope.meetings)):
            for chunk in chunks(ids):
                # '+': by the channel's or the meeting's index, not every reminder still ahead by (kind, due).
                _existing(store, f"+kind = 'reminder' AND +due >= ? AND {column} IN ({','.join('?' * len(chunk))})",
                          [lower_iso, *chunk], existing)
    work.batches += _reconcile(work.reminders, existing, now, grace, result)
    digests: dict[Key, tuple[int, str]] = {}
    _existing(store, "kind = 'digest' AND due >= ?", [lower_iso], digests)
    work.batches += _reconcile(work.digests, digests, now, grace, result)
    alerts, work.change_hwm = plan_change_alerts(store, now, grace, work.subs, lambda: work.full_matcher(store),
                                                 result)
    work.batches.append(Batch(INSERT_ALERT, alerts, count="alerts"))
    result.seconds += _time.perf_counter() - t0
    return work


def _existing(store: Store, where: str, params: list, into: dict[Key, tuple[int, str]]) -> None:
    cur = store.db.execute(f"SELECT id, channel_id, meeting_id, kind, due, ref, status FROM deliveries WHERE {where}",
                           params)
    for rid, cid, mid, kind, due, ref, status in cur:
        into[(cid, mid, kind, due, ref)] = (rid, status)


def _desire_reminders(chans: dict[int, Channel], matcher: Matcher, meetings: list[MeetingRecord], lower: datetime,
                      upper: datetime | None, desired: dict[Key, str], result: PlanResult) -> None:
    """Add the reminder rows due in [lower, upper] for ``meetings`` (known to the day, in the horizon)."""
    # Known to the day: one day or a span of days (reminded before its first day). A week, a month or
    # vaguer gets no countdown until it narrows (the narrowing is an alert of its own): REMINDER_WINDOW.
    result.meetings += len(meetings)
    lower_iso = iso_utc(lower)
    upper_iso = iso_utc(upper) if upper else "9999"
    # A due depends on the meeting and (channel zone, delivery hour, lead) alone: each such triple is a slot,
    # numbered once per call, and a meeting's dues are computed once a slot. Per subscription, what the inner
    # loop needs: its channel, its start and its slots.
    slots: dict[tuple[str, str, str], int] = {}
    slot_args: list[tuple[ZoneInfo, str, Lead, str]] = []  # slot -> zone, hour, lead, payload
    zones: dict[str, ZoneInfo] = {}
    payloads: dict[str, str] = {}
    info: dict[int, tuple[int, str, tuple[int, ...]]] = {}
    routes: dict[tuple[str, str, str], tuple[int, ...]] = {}  # (zone, hour, lead text) -> its slots
    for sub in matcher.subs:
        ch = chans[sub.channel_id]
        created = sub.created or ""
        if upper is not None:  # a preview of a window shows the subscription as if it existed from its start
            created = min(created, lower_iso)
        route = (ch.tz, ch.delivery_time, sub.lead)
        own = routes.get(route)
        if own is None:
            own = routes[route] = tuple(_slot(slots, slot_args, zones, payloads, ch, lead) for lead in sub.leads)
        info[sub.id] = (ch.id, created, own)
    unset = object()
    for rec in meetings:
        dues: list = [unset] * len(slot_args)  # this meeting's due per slot (None: none in the window)
        mid = rec.id
        for sub in matcher.subscriptions_for(rec):
            channel_id, created, own = info[sub.id]
            for slot in own:
                due_iso = dues[slot]
                if due_iso is unset:
                    zone, hour, lead, _ = slot_args[slot]
                    due = reminder_due(rec, lead, zone, hour)
                    due_iso = iso_utc(due) if due else None
                    if due_iso is not None and not lower_iso <= due_iso <= upper_iso:
                        due_iso = None
                    dues[slot] = due_iso
                # Never plan a reminder that fell due before the subscription existed.
                if due_iso is None or due_iso < created:
                    continue
                key = (channel_id, mid, REMINDER, due_iso, "")
                if key not in desired:
                    desired[key] = slot_args[slot][3]


def _slot(slots: dict[tuple[str, str, str], int], slot_args: list[tuple[ZoneInfo, str, Lead, str]],
          zones: dict[str, ZoneInfo], payloads: dict[str, str], ch: Channel, lead: Lead) -> int:
    """The number of the slot (the channel's zone and hour, ``lead``), numbered when first seen."""
    label = lead.label
    ck = (ch.tz, ch.delivery_time, label)
    slot = slots.get(ck)
    if slot is None:
        zone = zones.get(ch.tz) or zones.setdefault(ch.tz, zone_or(ch.tz, ZoneInfo("UTC")))
        data = payloads.get(label) or payloads.setdefault(label, payload({"lead": label}))
        slot = slots[ck] = len(slot_args)
        slot_args.append((zone, ch.delivery_time, lead, data))
    return slot


def _reconcile(desired: dict[Key, str], existing: dict[Key, tuple[int, str]], now: datetime, grace: timedelta,
               result: PlanResult) -> list[Batch]:
    """What to insert (new), revive (withdrawn, wanted again) and withdraw (pending rows of ``existing`` no longer wanted)."""
    now_iso, stale_iso = iso_utc(now), iso_utc(now - grace)
    # Rows as INSERT_DELIVERY takes them, due first, and sorted so: a slice adds to the ends of the two (…, due)
    # indexes and scatters over the unique one and meeting_id's; in the unique index's order it scattered over
    # three. bench_delivery's 29,532 rows in slices of 2,700 wrote 4,602 WAL pages against 5,676.
    inserts = [(due, cid, mid, kind, ref, "missed" if due < stale_iso else "pending", data, now_iso, now_iso)
               for key, data in desired.items() if key not in existing for cid, mid, kind, due, ref in [key]]
    revive = [("missed" if key[3] < stale_iso else "pending", now_iso, found[0])
              for key in desired if (found := existing.get(key)) is not None and found[1] == "withdrawn"]
    withdraw = [(now_iso, rid) for key, (rid, status) in existing.items() if status == "pending" and key not in desired]
    result.missed += sum(1 for row in inserts if row[5] == "missed")
    result.inserted += len(inserts)
    result.revived += len(revive)
    result.withdrawn += len(withdraw)
    inserts.sort()
    return [
        Batch(INSERT_DELIVERY, inserts),
        Batch("UPDATE deliveries SET status = ?, error = NULL, updated = ? WHERE id = ? AND status = 'withdrawn'",
              revive),
        Batch("""UPDATE deliveries SET status = 'withdrawn', error = 'no longer due (moved, cancelled or unsubscribed)',
                     updated = ? WHERE id = ? AND status = 'pending'""", withdraw),
    ]
