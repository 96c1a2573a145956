"""Previews: every message the scheduler would post in a window, computed by the real planning and rolled back."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

from bot.config import Settings
from bot.delivery.ledger import Delivery, immediate
from bot.delivery.planning import plan_window
from bot.delivery.render import Composer, plain_text
from bot.reply import Reply
from bot.store import Store
from bot.subscriptions import iso_utc

log = logging.getLogger(__name__)


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
        plan_window(store, settings, start, until=end)
        lo = start - grace if include_overdue else start
        cur = store.db.execute(
            """SELECT d.* FROM deliveries d JOIN channels c ON c.id = d.channel_id
               WHERE d.status = 'pending' AND c.status = 'active' AND d.due >= ? AND d.due <= ?
                 AND (d.next_attempt_at IS NULL OR d.next_attempt_at <= ?)
               ORDER BY d.due, d.channel_id, d.kind, d.meeting_id""",
            [iso_utc(lo), iso_utc(end), iso_utc(end)])
        cols = [c[0] for c in cur.description]
        rows = [Delivery.from_row(dict(zip(cols, r))) for r in cur.fetchall()]
        composer = Composer(store, settings)
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
