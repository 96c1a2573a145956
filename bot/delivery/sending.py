"""Sending: claim each due row under the lease, check before a repeat, post, record the outcome."""

from __future__ import annotations

import logging
import sqlite3
import time as _time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Awaitable, Callable

from bot.config import Settings
from bot.delivery.lease import Fence, LeaseState, acquire_lease
from bot.delivery.ledger import (
    BACKOFF_BASE,
    BACKOFF_CAP,
    CHANGE,
    DIGEST,
    LEASE_NAME,
    Delivery,
    REMINDER,
    PlanResult,
    TickResult,
    due_rows,
    immediate,
    queue_failure_notice,
)
from bot.delivery.planning import plan_deliveries
from bot.delivery.render import EMPTY_DIGEST, Composer
from bot.reply import Reply
from bot.store import Store, database_file
from bot.subscriptions import disable_channel, iso_utc, parse_utc
from bot.transport import ChannelGone, ChannelRef, Transport, TransientSendError

log = logging.getLogger(__name__)


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
            queue_failure_notice(store, rid, error, now)


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
                    queue_failure_notice(self.store, d.id, f"{outcome.error} (after {attempts} attempts)", self.now)
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
            if d.kind in (REMINDER, CHANGE) and not self._still_wanted(d, clock_iso):
                self.unrecorded = None  # recorded: the transaction commits
                return False
            cur = self.store.db.execute(
                """UPDATE deliveries SET status = 'sending', owner = ?, claimed_at = ?, updated = ?,
                       attempts = COALESCE(attempts, 0) + 1, idem_key = ?
                   WHERE id = ? AND status = 'pending'""",
                [self.owner, clock_iso, clock_iso, d.key, d.id])
        self.unrecorded = None  # committed
        return cur.rowcount == 1

    def _still_wanted(self, d: Delivery, now_iso: str) -> bool:
        """In the claim's transaction: may a reminder or alert still go to its channel, whatever the planner did?

        A channel with no active subscription left gets none (withdrawn here, as 'unsubscribe all' does: a pass
        that read before it may have written the row after it). A channel whose subscriptions or settings
        changed since the last pass's watermark (the plan log), or a meeting whose dates, status, places or
        people did (moved or called off after the pass read it), waits for the next tick's pass to reconcile its
        rows first. Two lookups by index: subscriptions by channel, the plan log past the watermark."""
        subscribed, unplanned = self.store.db.execute(
            """SELECT EXISTS (SELECT 1 FROM subscriptions WHERE channel_id = ?1 AND +status = 'active'),
                      EXISTS (SELECT 1 FROM plan_log WHERE seq > (SELECT CAST(value AS INTEGER) FROM scheduler_state
                                                                  WHERE key = 'plan_seq')
                                                       AND (+channel_id = ?1 OR ?2 > 0 AND +meeting_id = ?2))""",
            [d.channel_id, d.meeting_id]).fetchone()
        if not subscribed:
            cur = self.store.db.execute(
                """UPDATE deliveries SET status = 'withdrawn', error = 'unsubscribed', updated = ?
                   WHERE id = ? AND status = 'pending'""", [now_iso, d.id])
            self.result.withdrawn += cur.rowcount
            log.info("delivery %s not sent: its channel %s has no subscription left", d.id, d.channel_id)
            return False
        if unplanned:
            log.info("delivery %s waits: channel %s or meeting %s changed since the last plan", d.id, d.channel_id,
                     d.meeting_id)
            return False
        return True

    def flush(self) -> None:
        """Record the last outcome in a transaction of its own."""
        if self.unrecorded is not None:
            with immediate(self.store):
                self._finish(self.unrecorded)
            self.unrecorded = None

    def withdraw(self, d: Delivery, reason: str) -> None:
        """Not sent: 'withdrawn' (planning may want it again), or 'skipped' for an empty digest (final)."""
        status = "skipped" if reason == EMPTY_DIGEST else "withdrawn"
        with immediate(self.store):
            cur = self.store.db.execute(
                "UPDATE deliveries SET status = ?, error = ?, updated = ? WHERE id = ? AND status = 'pending'",
                [status, reason, iso_utc(self.now), d.id])
        if status == "skipped":
            self.result.skipped += cur.rowcount
        else:
            self.result.withdrawn += cur.rowcount


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
    composer = Composer(store, settings)
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
                   owner: str, *, limit: int | None = None,
                   planner: Callable[..., Awaitable[PlanResult]] | None = None) -> TickResult:
    """What the scheduler does each tick: take the lease, plan (reminders, digests, alerts), send what is due.

    ``planner`` runs the planning pass elsewhere (the scheduler's PlanWorker process; called with the settings,
    the time and ``fence=``); without it the pass runs here, on ``store``. The pass writes only while this
    tick's lease is still this owner's (its generation, the fence): one that outlived it and was taken over
    stops, and this tick sends nothing.
    """
    result = TickResult(owner=owner)
    try:
        lease = acquire_lease(store, owner, now, settings.lease_seconds)
        result.lease_held = lease.held
        if not lease.held:
            return result
        fence = Fence(owner, lease.generation, settings.lease_seconds)
        result.plan = (await planner(settings, now, fence=fence) if planner
                       else plan_deliveries(store, settings, now, fence=fence))
    except sqlite3.OperationalError as exc:
        if not _is_busy(exc):
            raise
        result.busy = True
        log.warning("the database stayed locked (%s): planning waits for the next tick", exc)
        return result
    if result.plan.lease_lost:
        result.lease_lost = True
        log.warning("%s lost the sending lease while planning; not sending this tick", owner)
        return result
    return await _send_due(store, settings, now, transports, owner, lease, limit=limit, result=result)


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
