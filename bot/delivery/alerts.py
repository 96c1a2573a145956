"""Change alerts: change rows past the high-water mark become alerts for the channels that follow them."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Callable

from bot.delivery.ledger import CHANGE, CHANGE_SCAN_CHUNK, PlanResult, get_state
from bot.delivery.scope import chunks
from bot.digest import EVENT_TITLES, change_event
from bot.store import Store
from bot.subscriptions import Matcher, Subscription, iso_utc, parse_utc, payload

# An alert row as INSERT_DELIVERY's, written only if no alert of that channel, meeting and first change is in the
# ledger yet and the channel still has an active subscription. A pass writes its alerts after its read, in
# slices, and moves change_hwm last: a pass stopped in between is planned again by the next, whose due may
# differ (min(at, now): a change recorded after the first pass's clock reading), and a channel unsubscribed
# in between (its pending alerts withdrawn) must not get one written after it; planning never withdraws alerts.
INSERT_ALERT = """INSERT INTO deliveries (channel_id, meeting_id, kind, due, ref, status, payload, created, updated)
                  SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9
                  WHERE NOT EXISTS (SELECT 1 FROM deliveries WHERE channel_id = ?1 AND meeting_id = ?2 AND kind = ?3
                                    AND ref = ?5)
                    AND EXISTS (SELECT 1 FROM subscriptions WHERE channel_id = ?1 AND +status = 'active')
                  ON CONFLICT(channel_id, meeting_id, kind, due, ref) DO NOTHING"""

def plan_change_alerts(store: Store, now: datetime, grace: timedelta, subs: list[Subscription],
                       matcher: Callable[[], Matcher], result: PlanResult) -> tuple[list[tuple], int]:
    """The alert rows (for INSERT_ALERT) for change rows past the high-water mark, and the mark they reach.

    Nothing is written: the caller inserts the rows, then stores the mark. ``matcher`` builds the pass's Matcher
    when needed."""
    # No subscription wants a change at or below its after_change_id (a new one starts at the newest
    # change), so on a database planned for the first time the walk starts at the oldest of those marks,
    # and with no subscriptions at all the mark moves to the newest change without reading any.
    hwm = int(get_state(store, "change_hwm") or 0)
    inserts: list[tuple] = []
    if not subs:
        newest = store.db.execute("SELECT COALESCE(MAX(id), 0) FROM changes").fetchone()[0]
        return inserts, max(hwm, newest)
    hwm = max(hwm, min(sub.after_change_id or 0 for sub in subs))
    now_iso, stale_iso = iso_utc(now), iso_utc(now - grace)
    while True:
        rows = store.db.execute(
            "SELECT id, meeting_id, at, field, old, new FROM changes WHERE id > ? ORDER BY id LIMIT ?",
            [hwm, CHANGE_SCAN_CHUNK]).fetchall()
        if not rows:
            break
        result.changes_scanned += len(rows)
        hwm = rows[-1][0]
        groups: dict[tuple[int, str], list[tuple[int, str]]] = {}  # (meeting, at) -> [(change id, event)]
        for cid, mid, at, fld, old, new in rows:
            event = change_event(fld, old, new)
            if event:
                groups.setdefault((mid, at or now_iso), []).append((cid, event))
        if groups:
            inserts += _alerts(store, groups, now_iso, stale_iso, now, matcher(), result)
    return inserts, hwm


def _alerts(store: Store, groups: dict[tuple[int, str], list[tuple[int, str]]], now_iso: str, stale_iso: str,
            now: datetime, matcher: Matcher, result: PlanResult) -> list[tuple]:
    recs = {}
    for chunk in chunks({mid for mid, _ in groups}):
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
    return inserts


def _parses(text: str | None) -> bool:
    try:
        parse_utc(text or "")
        return True
    except ValueError:
        return False
