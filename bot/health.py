"""Is the bot healthy: the database answers, the scheduler has ticked recently and every chat platform is
connected; and GET /healthz, which says so with 200 or 503 (served by Slack's HTTP mode and by the web
calendar that `summitbot run` serves on $PORT)."""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from datetime import datetime
from typing import Awaitable, Callable, Mapping, Protocol

from aiohttp import web

from bot.clock import Clock
from bot.store import Store, database_file

log = logging.getLogger(__name__)

DB_TIMEOUT = 2.0  # seconds a health check waits for SQLite
PLATFORM_TIMEOUT = 2.0  # seconds a platform gets to say whether it is connected
HEALTH_PATH = "/healthz"

Health = Callable[[], Awaitable[tuple[bool, dict]]]  # () -> (healthy, details)
PlatformCheck = Callable[[], Awaitable[str | None]]  # () -> None when connected, else why not


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


async def platform_problem(check: PlatformCheck) -> str | None:
    """What the platform's own check says, or why the check itself failed or hung."""
    try:
        return await asyncio.wait_for(check(), PLATFORM_TIMEOUT)
    except asyncio.TimeoutError:
        return f"no answer within {PLATFORM_TIMEOUT:.0f}s"
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


class HealthCheck:
    """``await check()`` -> (healthy, details): the database, the age of the scheduler's last tick and each
    platform's connection (``platforms``: name -> its adapter's check)."""

    def __init__(self, store: Store, scheduler: Ticking, clock: Clock, tick_seconds: float,
                 platforms: Mapping[str, PlatformCheck] | None = None):
        self.store = store
        self.scheduler = scheduler
        self.clock = clock
        self.limit = stale_after(tick_seconds)
        self.platforms = dict(platforms or {})

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
        platforms = {}
        for name, check in self.platforms.items():
            problem = await platform_problem(check)
            platforms[name] = problem or "connected"
            if problem:
                problems.append(f"{name}: {problem}")
        details = {
            "database": "ok" if not error else error,
            "last_tick_at": last.isoformat(timespec="seconds") if last else None,
            "last_tick_age_seconds": round(age, 1) if age is not None else None,
            "platforms": platforms,
            "problems": problems,
        }
        return not problems, details


def health_handler(health: Health | None):
    """GET /healthz: 200 with the details when healthy, 503 when not (JSON either way)."""

    async def handle(request: web.Request) -> web.Response:
        if health is None:
            ok, details = True, {}
        else:
            try:
                ok, details = await health()
            except Exception as exc:  # a health check must answer, whatever broke
                log.exception("the health check failed")
                ok, details = False, {"error": f"{type(exc).__name__}: {exc}"}
        body = {"status": "ok" if ok else "failing", **details}
        return web.Response(status=200 if ok else 503, text=json.dumps(body), content_type="application/json")

    return handle
