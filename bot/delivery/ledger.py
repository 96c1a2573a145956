"""The deliveries ledger: the rows, their states and the short transactions that change them.

A row's status: pending -> sending -> sent, or back to pending for a retry; failed after its last
attempt; missed when it fell due too long ago; withdrawn when no longer wanted (planning may revive
it); skipped for a digest with nothing to report (final).
"""

from __future__ import annotations

import hashlib
import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Iterator

from bot.store import Store, open_db
from bot.subscriptions import Channel, channel_by_id, channels, iso_utc, parse_utc, payload
from bot.write_lock import take_write_lock

log = logging.getLogger(__name__)

REMINDER, DIGEST, CHANGE, NOTICE = "reminder", "digest", "change", "notice"
KIND_WORDS = {REMINDER: "reminder", DIGEST: "digest", CHANGE: "change alert", NOTICE: "notice"}
LEASE_NAME = "sender"
LOOKBACK_CAP = timedelta(days=31)  # how far back a restart looks for rows it never planned
BACKOFF_BASE = 30.0  # seconds; doubled per attempt
BACKOFF_CAP = 3600.0
CHANGE_SCAN_CHUNK = 2000
# A planned row, due first (planning sorts its rows by due); a key that exists already is left as it is.
INSERT_DELIVERY = """INSERT INTO deliveries (due, channel_id, meeting_id, kind, ref, status, payload, created, updated)
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                     ON CONFLICT(channel_id, meeting_id, kind, due, ref) DO NOTHING"""


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
    incremental: bool = False  # only what changed since the last pass was planned again
    lease_lost: bool = False  # another owner took the lease mid-pass: the pass stopped, its watermarks unmoved
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
    skipped: int = 0  # empty digests, recorded as 'skipped' and not posted
    recovered: int = 0
    gone: int = 0
    found: int = 0  # already in the channel after an ambiguous failure: recorded, not posted again
    busy: bool = False  # a SQLite lock outlasted the busy timeout: the tick ended early
    sent_ids: list[int] = field(default_factory=list)
    seconds: float = 0.0


@contextmanager
def immediate(store: Store, *, keep: bool = True) -> Iterator[None]:
    """BEGIN IMMEDIATE ... COMMIT: take SQLite's write lock up front so check-then-write is atomic
    (bot/write_lock.py: looking again every millisecond, not on SQLite's busy handler's schedule).

    With ``keep=False`` the transaction is always rolled back: the real planning runs without being kept.
    """
    conn = store.db.conn
    if conn.in_transaction:
        conn.commit()
    take_write_lock(conn)
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
    """A private connection for the scheduler and its planner; synchronous=NORMAL is crash-safe in WAL mode and cheap per commit."""
    store = Store(open_db(path))
    store.db.execute("PRAGMA synchronous = NORMAL")
    # A first plan writes hundreds of thousands of rows into four indexes: with SQLite's default 2 MB page
    # cache most of the time went to pages evicted and read back. Up to 64 MB, used only as it fills.
    store.db.execute("PRAGMA cache_size = -65536")
    return store


def get_state(store: Store, key: str) -> str | None:
    row = store.db.execute("SELECT value FROM scheduler_state WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def set_state(store: Store, key: str, value: str) -> None:
    store.db.execute(
        "INSERT INTO scheduler_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value])


def idempotency_key(channel_id: int, meeting_id: int, kind: str, due: str, ref: str) -> str:
    """Stable for one logical message: the same across retries, restarts and re-planning."""
    digest = hashlib.sha1(f"{channel_id}|{meeting_id}|{kind}|{due}|{ref}".encode()).hexdigest()
    return f"sb-{digest[:20]}"


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


def queue_failure_notice(store: Store, delivery_id: int, error: str, now: datetime) -> None:
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
