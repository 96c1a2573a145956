"""Is the bot healthy: the database answers and the scheduler has ticked recently (for /healthz)."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.store import Store, database_file

DB_TIMEOUT = 2.0  # seconds a health check waits for SQLite


class Ticking(Protocol):
    """What the health check reads from the scheduler."""

    started_at: datetime | None
    last_tick_at: datetime | None


def stale_after(tick_seconds: float) -> float:
    """Seconds without a tick after which the scheduler counts as stuck: three ticks missed, plus slack."""
    return 3 * tick_seconds + 30


def database_reachable(store: Store) -> str | None:
    """None when the database answers a query, else why not (a fresh read-only connection for a file)."""
    path = database_file(store)
    try:
        if path is None:
            store.db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
            return None
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=DB_TIMEOUT)
        try:
            conn.execute("SELECT COUNT(*) FROM deliveries").fetchone()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class HealthCheck:
    """``await check()`` -> (healthy, details): the database and the age of the scheduler's last tick."""

    def __init__(self, store: Store, scheduler: Ticking, clock: Clock, tick_seconds: float):
        self.store = store
        self.scheduler = scheduler
        self.clock = clock
        self.limit = stale_after(tick_seconds)

    async def __call__(self) -> tuple[bool, dict]:
        problems = []
        # A file database is opened in a worker thread: a locked or slow disk never holds up the loop.
        path = database_file(self.store)
        error = await asyncio.to_thread(database_reachable, self.store) if path else database_reachable(self.store)
        if error:
            problems.append(f"database: {error}")
        now = self.clock.now()
        last, started = self.scheduler.last_tick_at, self.scheduler.started_at
        age = (now - last).total_seconds() if last else None
        if started is None:
            problems.append("scheduler: not started")
        elif last is None and (now - started).total_seconds() > self.limit:
            problems.append(f"scheduler: no tick in the {self.limit:.0f}s since it started")
        elif age is not None and age > self.limit:
            problems.append(f"scheduler: last tick {age:.0f}s ago (more than {self.limit:.0f}s)")
        details = {
            "database": "ok" if not error else error,
            "last_tick_at": last.isoformat(timespec="seconds") if last else None,
            "last_tick_age_seconds": round(age, 1) if age is not None else None,
            "problems": problems,
        }
        return not problems, details
