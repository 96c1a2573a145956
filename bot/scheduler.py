"""APScheduler 3.11 wiring: a tick, a digest job per channel and a re-plan job, rebuilt from SQLite at start.

The jobs only wake the scheduler up; what is due lives in the ``deliveries`` table (see
bot/delivery/), so nothing is lost when the process stops and a second process cannot
send twice. Job callbacks are module-level functions taking a string key, so a persistent
job store could hold them; APScheduler runs in UTC.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import uuid
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import Clock
from bot.config import Settings
from bot.delivery import (
    TickResult,
    default_owner,
    open_delivery_store,
    release_lease,
    run_tick,
)
from bot.delivery.worker import PlanWorker
from bot.models import time_of_day
from bot.store import Store, database_file, leave_checkpoints
from bot.subscriptions import channels
from bot.transport import Transport

log = logging.getLogger(__name__)

REPLAN_SECONDS = 300.0
_INSTANCES: dict[str, "SummitScheduler"] = {}  # key -> scheduler, for the module-level job callbacks
_RUNNING: dict[str, str] = {}  # database file -> key of the scheduler started on it


async def tick_job(key: str) -> None:
    """Every tick_seconds: plan, raise change alerts, send what is due."""
    sched = _INSTANCES.get(key)
    if sched is not None:
        await sched.run_once()


async def digest_job(key: str, channel_id: int) -> None:
    """At a channel's local digest time: tick at once so the digest row goes out on the minute."""
    sched = _INSTANCES.get(key)
    if sched is not None:
        await sched.run_once()


async def replan_job(key: str) -> None:
    """Every few minutes: pick up digest settings changed by commands, then tick."""
    sched = _INSTANCES.get(key)
    if sched is not None:
        sched.sync_jobs()
        await sched.run_once()


async def feeds_job(key: str) -> None:
    """Every minute: poll the RSS/Atom feeds that are due (each keeps its own interval)."""
    sched = _INSTANCES.get(key)
    if sched is not None and sched.feed_poller is not None:
        try:
            await sched.feed_poller(sched.clock.now())
        except Exception:
            log.exception("feed polling failed")


FEED_POLL_SECONDS = 60.0


class SummitScheduler:
    """Owns one database's delivery schedule in this process."""

    def __init__(self, store: Store, settings: Settings, clock: Clock, transports: dict[str, Transport],
                 owner: str | None = None, *, batch: int | None = None, feed_poller=None):
        self.settings = settings
        self.feed_poller = feed_poller  # async (now) -> None, polls due feeds
        self.batch = batch  # at most this many sends per tick (None: all that are due)
        self.clock = clock
        self.transports = transports
        self.owner = owner or default_owner()
        self.key = uuid.uuid4().hex
        self.path = database_file(store)
        self.shared = store  # the connection that serves commands
        # A private connection: the send loop's transactions must not interleave with
        # writes other components make on the shared one.
        self.store = open_delivery_store(self.path) if self.path else store
        # Planning runs in a process with a connection of its own, so the event loop keeps answering commands
        # (an in-memory database cannot be shared with another connection: there it runs on the loop).
        self.planner = PlanWorker(self.path) if self.path else None
        self.aps: AsyncIOScheduler | None = None
        self._lock = asyncio.Lock()
        self._closed = False
        self.last: TickResult | None = None
        self.started_at: datetime | None = None  # clock time of start(), for the health check
        self.last_tick_at: datetime | None = None  # clock time the last tick ended (busy or not)
        _INSTANCES[self.key] = self
        if settings.tick_seconds >= settings.lease_seconds:
            log.warning("tick_seconds (%s) >= lease_seconds (%s): the lease will lapse between ticks",
                        settings.tick_seconds, settings.lease_seconds)

    async def start(self) -> None:
        """Build the APScheduler jobs from SQLite and start them; a second call does nothing."""
        if self.aps is not None:
            return
        if self.path:
            other = _RUNNING.get(self.path)
            if other and other != self.key:
                raise RuntimeError(f"a scheduler is already running on {self.path} in this process")
            _RUNNING[self.path] = self.key
        self.aps = AsyncIOScheduler(
            timezone=timezone.utc,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None},
        )
        self.aps.add_job(tick_job, IntervalTrigger(seconds=self.settings.tick_seconds, timezone=timezone.utc),
                         args=[self.key], id="tick", name="deliveries tick", replace_existing=True)
        self.aps.add_job(replan_job, IntervalTrigger(seconds=REPLAN_SECONDS, timezone=timezone.utc),
                         args=[self.key], id="replan", name="re-plan and sync digest jobs", replace_existing=True)
        if self.feed_poller is not None:
            self.aps.add_job(feeds_job, IntervalTrigger(seconds=FEED_POLL_SECONDS, timezone=timezone.utc),
                             args=[self.key], id="feeds", name="poll due feeds", replace_existing=True)
        self.sync_jobs()
        if self.planner is not None:
            # Every tick's pass checkpoints the WAL (in its own process): the commands' connection and the send
            # loop's need not, and so no command's commit copies the WAL back while the command waits.
            leave_checkpoints(self.shared.db)
            leave_checkpoints(self.store.db)
        self.aps.start()
        self.started_at = self.clock.now()
        log.info("scheduler %s started (tick %ss, lease %ss)", self.owner, self.settings.tick_seconds,
                 self.settings.lease_seconds)

    def sync_jobs(self) -> None:
        """One cron job per channel digest, in the channel's zone; stale ones removed."""
        if self.aps is None:
            return
        wanted = {}
        for ch in channels(self.store):
            at = time_of_day(ch.digest_time)
            if ch.digest not in ("daily", "weekly") or at is None:
                continue
            trigger = CronTrigger(hour=at.hour, minute=at.minute,
                                  day_of_week=ch.digest_day if ch.digest == "weekly" else "*",
                                  timezone=ZoneInfo(ch.tz))
            wanted[f"digest:{ch.id}"] = (ch.id, trigger)
        for job in self.aps.get_jobs():
            if job.id.startswith("digest:") and job.id not in wanted:
                job.remove()
        for job_id, (channel_id, trigger) in wanted.items():
            existing = self.aps.get_job(job_id)
            if existing is not None and repr(existing.trigger) == repr(trigger):
                continue
            self.aps.add_job(digest_job, trigger, args=[self.key, channel_id], id=job_id,
                             name=f"digest for channel {channel_id}", replace_existing=True)

    async def run_once(self) -> TickResult:
        """What a tick does: take the lease, plan (reminders, digests, change alerts), send what is due."""
        async with self._lock:
            self.last = await run_tick(self.store, self.settings, self.clock.now(), self.transports, self.owner,
                                       limit=self.batch, planner=self.planner.plan if self.planner else None)
            self.last_tick_at = self.clock.now()
            return self.last

    def jobs(self) -> list:
        """The APScheduler jobs (for tests and `status`)."""
        return self.aps.get_jobs() if self.aps is not None else []

    async def shutdown(self) -> None:
        """Stop the jobs, wait for a running tick, give the lease back."""
        if self._closed:
            return
        self._closed = True
        if self.aps is not None and self.aps.running:
            self.aps.shutdown(wait=False)
        async with self._lock:
            try:
                release_lease(self.store, self.owner)
            except sqlite3.OperationalError as exc:  # locked: the lease simply expires
                log.warning("could not release the sending lease (%s); it expires on its own", exc)
            except Exception:
                log.exception("could not release the sending lease")
        _INSTANCES.pop(self.key, None)
        if self.path and _RUNNING.get(self.path) == self.key:
            del _RUNNING[self.path]
        if self.planner is not None:
            await self.planner.close()
        if self.path:
            self.store.db.conn.close()
