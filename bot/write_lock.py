"""Taking SQLite's write lock without SQLite's busy handler: looking again every millisecond.

SQLite's own busy handler (``timeout=`` / ``PRAGMA busy_timeout``) sleeps 1, 2, 5, 10, 15, 20, 25, 25, 25,
50, 50 and then 100 ms between looks. Against a planning pass that holds the lock for slices of about 25 ms
with 25 ms between them (bot/delivery/writes.py), a writer that arrived just after a slice began looked
again 18, 33 and 53 ms later and so waited up to about twice a slice; a look that just missed a pause
waited for the next one, and a command with two write transactions paid twice (bench_planning measured a
subscribe at 65-145 ms). Here the lock is taken with ``BEGIN IMMEDIATE`` and no busy handler, tried again
every ``POLL`` seconds for as long as the connection's busy timeout (the wait it replaces): a writer gets
the lock within about a millisecond of it being free, so it waits for at most the transaction in progress.

``Connection`` is the class every connection of :func:`bot.store.open_db` has: ``with conn:`` (the
project's write transactions, and sqlite-utils' inserts and updates) starts with this, so the
transaction holds the lock from its first statement and never waits in the middle.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Callable

POLL = 0.001  # seconds between looks for the first SLOW_AFTER seconds of a wait
SLOW_POLL = 0.005  # then: a lock held that long is a long transaction (an ingest), not a plan's slice
SLOW_AFTER = 0.25
sleep: Callable[[float], None] = time.sleep  # module attributes, so that tests can replace them
clock: Callable[[], float] = time.monotonic


def _busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    return "locked" in str(exc)


def take_write_lock(conn: sqlite3.Connection, deadline: float | None = None) -> None:
    """``BEGIN IMMEDIATE`` on ``conn`` (not in a transaction), looking again every POLL seconds while another
    connection holds the lock; ``sqlite3.OperationalError`` ('database is locked') after ``deadline`` seconds,
    by default the connection's busy timeout (30 s for bot.store.open_db's; shorter where one was set).

    The connection's busy timeout is switched off for the attempts and put back after."""
    saved = conn.execute("PRAGMA busy_timeout").fetchone()[0]
    if deadline is None:
        deadline = saved / 1000
    conn.execute("PRAGMA busy_timeout = 0")
    try:
        start = clock()
        while True:
            try:
                conn.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                waited = clock() - start
                if not _busy(exc) or waited >= deadline:
                    raise
            sleep(POLL if waited < SLOW_AFTER else SLOW_POLL)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(saved)}")


class Connection(sqlite3.Connection):
    """A connection whose ``with conn:`` block is a write transaction taken up front (:func:`take_write_lock`).

    Inside a transaction already open, ``with`` adds nothing (it commits at the end, as sqlite3's does)."""

    def __enter__(self):
        if not self.in_transaction:
            take_write_lock(self)
        return super().__enter__()
