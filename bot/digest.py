"""What a digest says: the coming summits a channel follows and what changed since the last one."""

from __future__ import annotations

from datetime import date, datetime

from bot.config import Settings
from bot.format import old_to_new
from bot.models import MeetingRecord
from bot.reply import Reply
from bot.store import Store
from bot.subscriptions import Channel, Matcher, Subscription, max_change_id

# Alert-worthy events, in the order they are named in an alert.
EVENT_TITLES = {
    "new": "New summit",
    "dated": "Date narrowed",
    "moved": "Summit moved",
    "confirmed": "Summit confirmed",
    "online": "Summit moved online",
    "postponed": "Summit postponed",
    "cancelled": "Summit cancelled",
}
DATE_FIELDS = frozenset({"start", "end", "start/end", "dates", "date"})
DIGEST_FIELDS = ("created", "start", "end", "start/end", "dates", "date", "location", "format", "certainty", "status")
MAX_CHANGE_ROWS = 50


def _span(text: str | None) -> tuple[date, date] | None:
    """A stored date change value ('2025-11-01..2025-11-30' or '2025-10-31') as (first, last) day."""
    try:
        first, _, last = (text or "").partition("..")
        return date.fromisoformat(first), date.fromisoformat(last or first)
    except ValueError:
        return None


def change_event(field: str, old: str | None, new: str | None) -> str | None:
    """The alert a change row calls for: new, dated, moved, confirmed, postponed, cancelled, or None."""
    if field == "created":
        return "new"
    if field in DATE_FIELDS:
        if old == new:
            return None
        before, after = _span(old), _span(new)
        if before and after and before[0] <= after[0] and after[1] <= before[1]:
            return "dated"  # 'in November' became '31 Oct – 1 Nov'... within it: narrowed, not moved
        return "moved"
    if field == "format" and new == "online" and old != new:
        return "online"  # held by video now: a change of venue, never a cancellation
    if field == "certainty" and new == "confirmed" and old != "confirmed":
        return "confirmed"
    if field == "status" and new in ("postponed", "cancelled") and old != new:
        return new
    return None


def change_label(field: str, old: str | None, new: str | None) -> str:
    """How a digest names a change: new, moved, confirmed, postponed, cancelled, place, certainty, status."""
    event = change_event(field, old, new)
    if event:
        return event
    if field == "location":
        return "place"
    return field


def _follows(matcher: Matcher | None, rec: MeetingRecord) -> bool:
    return matcher is None or bool(matcher.subscriptions_for(rec))


def digest_reply(store: Store, settings: Settings, channel: Channel, subs: list[Subscription],
                 due: datetime) -> tuple[Reply, int]:
    """The digest due at ``due`` and the last change id it covers."""
    # A channel without subscriptions gets every summit: a digest is a subscription of its own.
    days = settings.weekly_days if channel.digest == "weekly" else settings.daily_days
    today = due.astimezone(channel.zone).date()
    matcher = Matcher(store, subs) if subs else None
    coming = [rec for rec in store.upcoming(today, days=days) if _follows(matcher, rec)]
    upto = max_change_id(store)
    since = channel.digest_change_id or 0
    rows = store.db.execute(
        f"""SELECT id, meeting_id, field, old, new FROM changes
            WHERE id > ? AND id <= ? AND field IN ({','.join('?' * len(DIGEST_FIELDS))}) ORDER BY id""",
        [since, upto, *DIGEST_FIELDS]).fetchall()
    ids = sorted({r[1] for r in rows})
    recs: dict[int, MeetingRecord] = {}
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        recs.update((r.id, r) for r in store.meetings(f"id IN ({','.join('?' * len(chunk))})", chunk, order="id"))
    changed: list[tuple[str, str]] = []
    for _cid, mid, field, old, new in rows:
        rec = recs.get(mid)
        if rec is None or not _follows(matcher, rec):
            continue
        label = change_label(field, old, new)
        if label == "new":
            value = f"#{rec.id} {rec.title}"
        else:
            value = f"#{rec.id} {rec.title}: {old_to_new(old, new)}"
        changed.append((label, value))
    title = "Weekly digest" if channel.digest == "weekly" else "Daily digest"
    n = len(coming)
    text = f"{title}: {n} summit{'s' if n != 1 else ''} in the next {days} days"
    if changed:
        text += f"; {len(changed)} change{'s' if len(changed) != 1 else ''} since the last digest"
    if len(changed) > MAX_CHANGE_ROWS:
        more = len(changed) - MAX_CHANGE_ROWS
        changed = changed[:MAX_CHANGE_ROWS] + [("…", f"and {more} more")]
    return Reply(kind="meetings", text=text + ".", meetings=coming, rows=changed, tz=channel.tz), upto
