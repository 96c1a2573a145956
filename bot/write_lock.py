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

While it looks, a writer says so: it holds a shared ``flock`` on ``<database>-writers`` (:func:`writers_waiting`).
A planning pass between two slices waits only while someone does (bot/delivery/writes.py), so a pass that no
command is waiting for does not pause for nothing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from contextlib import contextmanager
from typing import Callable, Iterator

try:
    import fcntl
except ImportError:  # not POSIX: no writer is seen waiting, and a planning pass pauses in full between slices
    fcntl = None  # type: ignore[assignment]

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
        if _begin(conn) is None:  # the lock was free, as it mostly is: no waiters file opened (10 us a write)
            return
        with _waiting(conn):  # then looked again at once: a slice that ended meanwhile does not go on unseen
            while True:
                busy = _begin(conn)
                if busy is None:
                    return
                waited = clock() - start
                if waited >= deadline:
                    raise busy
                sleep(POLL if waited < SLOW_AFTER else SLOW_POLL)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(saved)}")


def _begin(conn: sqlite3.Connection) -> sqlite3.OperationalError | None:
    """``BEGIN IMMEDIATE``: None when it took the lock, the error when another connection holds it."""
    try:
        conn.execute("BEGIN IMMEDIATE")
        return None
    except sqlite3.OperationalError as exc:
        if not _busy(exc):
            raise
        return exc


def _waiters_file(conn: sqlite3.Connection) -> int | None:
    """``<database>-writers`` opened (created if need be); None for a database in memory or where it cannot be."""
    if fcntl is None:
        return None
    path = next((file for _seq, name, file in conn.execute("PRAGMA database_list") if name == "main"), None)
    if not path:
        return None
    try:
        return os.open(f"{path}-writers", os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None


@contextmanager
def _waiting(conn: sqlite3.Connection) -> Iterator[None]:
    """A shared lock on the waiters file for as long as ``conn`` looks for the write lock (released once it has it)."""
    fd = _waiters_file(conn)
    try:
        if fd is not None:
            fcntl.flock(fd, fcntl.LOCK_SH)
        yield
    finally:
        if fd is not None:
            os.close(fd)  # closing the file releases its lock


def writers_waiting(conn: sqlite3.Connection) -> bool | None:
    """Whether another connection, of any process, is looking for the database's write lock in
    :func:`take_write_lock`; None when that cannot be known (a database in memory, no ``fcntl``)."""
    fd = _waiters_file(conn)
    if fd is None:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(fd)


class Connection(sqlite3.Connection):
    """A connection whose ``with conn:`` block is a write transaction taken up front (:func:`take_write_lock`).

    Inside a transaction already open, ``with`` adds nothing (it commits at the end, as sqlite3's does)."""

    def __enter__(self):
        if not self.in_transaction:
            take_write_lock(self)
        return super().__enter__()
