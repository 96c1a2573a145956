"""A pass's writes in short transactions, so that a command that writes never waits for a whole plan.

A first plan of a large database inserts hundreds of thousands of rows; in one transaction that held
SQLite's write lock for seconds, and every command that writes (a subscribe, a feed's new meeting) waited
for all of it on the event loop. Here the rows go in slices of bounded size and duration, each its own
transaction, with a pause after each for as long as a writer waits for the lock (bot/write_lock.py), so that
it gets it: a writer waits for one slice at most, and a pass no one waits for does not pause.

Every statement a pass writes can be applied twice and in part: inserts are ``ON CONFLICT DO NOTHING``,
withdrawals and revivals are guarded by the status they change. What changed while the slices were
written (a meeting moved, a subscription removed) is in the plan log past the pass's watermark, and the
caller plans it again at once (planning.plan_deliveries), reconciling what the slices wrote. The pass's
watermarks move last, in a transaction of their own, so a pass interrupted between slices (a crash, a
kill) is done again in full by the next one.
"""

from __future__ import annotations

import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable, Iterator

from bot.delivery.ledger import PlanResult, immediate
from bot.store import Store, checkpoint, restart_wal
from bot.write_lock import POLL, writers_waiting

CATCH_UP = 0.001  # seconds between checkpoints while a reader's older snapshot holds the copy back
SETTLE = 0.005  # seconds, at least, for the readers that began during a copy to finish with the WAL
STEP = 250  # at most this many rows per executemany call: the slice's clock is read between calls
FIRST = 25  # rows in a pass's first call, before anything is known of how long a row takes
clock: Callable[[], float] = time.perf_counter  # a module attribute, so that tests can replace it


@dataclass
class Batch:
    """Rows for one statement; ``count`` names a PlanResult field that adds the rows they changed."""

    sql: str
    rows: list[tuple] = field(default_factory=list)
    count: str | None = None


@dataclass
class Slicing:
    """How a pass writes: at most ``rows`` rows and about ``seconds`` of writing per transaction (its commit
    comes on top), then a pause of up to ``pause`` seconds without the lock, spent in ``sleep``.

    The project's writers look for the lock every millisecond (bot/write_lock.py), so one that finds a
    slice in progress gets the lock in its pause, about a millisecond after the slice commits: it waits
    for one slice at most, where back-to-back slices would keep it out until the pass ends. (On SQLite's
    own busy handler, which looks again 1, 3, 8, 18, 33, 53, 78, 103 ms after, it waited up to two.)
    Those writers say that they are looking (``write_lock.writers_waiting``): the pause lasts while one is,
    and no longer than it takes to copy the WAL back when none is (in full where that cannot be known).

    The WAL is copied back in a pause once the slices since the last copy have held the lock ``copy_after``
    seconds: each copy syncs the WAL and the database file, and pages written again by the next slices are
    copied once. bench_delivery's 29,532 rows in slices of 3,700: 89 ms of copies at every slice, 52 ms at
    every fourth (12-07, load 3); the WAL holds about four slices' pages, where it held one."""

    rows: int = 5000
    seconds: float = 0.025
    pause: float = 0.025
    sleep: Callable[[float], None] = time.sleep
    copy_after: float = 0.1


SLICING = Slicing()


def _execute(store: Store, batch: Batch, rows: list[tuple], result: PlanResult) -> None:
    cur = store.db.conn.executemany(batch.sql, rows)
    if batch.count:
        setattr(result, batch.count, getattr(result, batch.count) + max(cur.rowcount, 0))


def write_all(store: Store, batches: list[Batch], result: PlanResult) -> None:
    """Every batch, in the caller's transaction."""
    for batch in batches:
        if batch.rows:
            _execute(store, batch, batch.rows, result)


def write_in_slices(store: Store, batches: list[Batch], result: PlanResult, slicing: Slicing | None = None,
                    check: Callable[[], None] | None = None, *, pause_first: bool = False) -> None:
    """Write ``batches`` in order, a slice per transaction, pausing between slices (and before the first
    with ``pause_first``: after a transaction of the caller's, for the writers it kept waiting).

    ``check`` runs first in each slice's transaction (under the write lock); raising there rolls the slice back
    and ends the pass (the planning lease's fence, bot/delivery/lease.py).

    The WAL is checkpointed during the pauses (every ``slicing.copy_after`` seconds of slices), not at each
    commit: the pause is spent on it (without the write lock, which a checkpoint does not need), and the WAL
    stays short, so a command's commit does not find a long one to copy back. What the last slices wrote is
    left to the caller's copy: every planning pass ends with one (``checkpoint_within``), and a copy here
    just before it synced both files once more for the few pages the pass's last transactions add."""
    slicing = slicing or SLICING
    pending = [(batch, start, min(start + STEP, len(batch.rows)))
               for batch in batches for start in range(0, len(batch.rows), STEP)]
    if not pending:
        return
    conn = store.db.conn
    autocheckpoint = conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    try:
        i, first, paces = 0, not pause_first, {}
        held = slicing.copy_after if pause_first else 0.0  # seconds of slices not copied back (or the caller's)
        while i < len(pending):
            if not first:
                copy = held >= slicing.copy_after
                _pause(store, slicing, copy=copy)
                held = 0.0 if copy else held
            first = False
            began = clock()
            with no_collection(), immediate(store):
                if check is not None:
                    check()
                i = _slice(store, pending, i, result, slicing, paces)
            held += clock() - began
    finally:
        conn.execute(f"PRAGMA wal_autocheckpoint = {int(autocheckpoint)}")


def _pause(store: Store, slicing: Slicing, *, copy: bool = True) -> None:
    """Between two slices: the WAL copied back (:func:`checkpoint_within`, with ``copy``), then ``slicing.sleep`` in POLL steps
    for as long as another connection waits for the write lock, up to ``slicing.pause`` in all: that writer takes
    the lock about a millisecond after this slice's commit, whatever the pause, and no one else needs it.

    A writer still waiting when a copy ends gets the whole ``slicing.pause`` after it: at 1,000,000 meetings a
    copy could take all of the pause, and the next slice then began at once; a writer that missed the lock
    during the copy (its 1 ms looks falling on the copy's own moments with the lock, or its thread not run on a
    busy CPU) waited for one more slice (bench_planning 2026-12-07: 33 of about 68,500 commands over 100 ms,
    all subscribes).

    Where no one is waiting, ``sleep(0)`` (the pause's hook runs once in every pause); where that cannot be
    known (a database in memory), the rest of the pause, as every pause once did: 25 ms after each slice of
    about 25 ms, 0.25 s of bench_delivery's 0.5 s first plan (10,000 subscriptions, 5,000 meetings)."""
    t0 = clock()
    if copy:
        checkpoint_within(store, slicing)
    waiting = writers_waiting(store.db.conn)
    if waiting is None:
        slicing.sleep(max(0.0, slicing.pause - (clock() - t0)))
        return
    if not waiting:
        slicing.sleep(0.0)
        return
    t0 = clock()  # a writer still waiting after a copy gets a pause of its own: the copy's time is not its
    left = slicing.pause
    while waiting and left > 0:
        slicing.sleep(min(POLL, left))
        waiting = writers_waiting(store.db.conn)
        left = slicing.pause - (clock() - t0)


def checkpoint_within(store: Store, slicing: Slicing | None = None) -> float:
    """Copy the WAL back and see that the next write starts it from its beginning: tried every CATCH_UP seconds
    (in ``slicing.sleep``) for a pause, and for at least SETTLE seconds after the copy; the seconds spent.

    The WAL starts again only once all of it is copied back and no reader still reads from it. A command
    reading when a slice commits holds the copy back at its older snapshot, and one that began reading
    during the copy keeps reading from the WAL a few milliseconds after it: with commands reading back to
    back the next slice almost always found one, and appended. A first plan's WAL grew to 651-680 MB beside
    a 233 MB database at 100,000 meetings, 11.4 GB beside 5.8 GB at 1,000,000. So the copy (``PASSIVE``, no
    lock taken) is tried again until complete, then :func:`bot.store.restart_wal` until those readers are
    done (each try takes the write lock only for a moment, so a writer waiting for the pause still gets it)."""
    slicing = slicing or SLICING
    t0 = clock()
    copied = None
    while True:
        if checkpoint(store.db):
            copied = clock() if copied is None else copied
            if restart_wal(store.db):
                break
        now = clock()
        if now - t0 + CATCH_UP >= slicing.pause and (copied is None or now - copied >= SETTLE):
            break
        slicing.sleep(CATCH_UP)
    return clock() - t0


@contextmanager
def no_collection() -> Iterator[None]:
    """Python's cyclic garbage collector off while a slice holds the write lock (back on in the pause).

    At 1,000,000 meetings the planning process holds millions of objects (the rows it computed); a full
    collection walks them all. One call of 250 rows held the lock 244 ms, all of it CPU, where such calls
    took 2-4 ms (bench_planning --attribute, 2026-12-07): most likely a full collection, which in this
    process took 12-25 ms at 100,000 meetings. The slice allocates little; the collection its allocations
    would have started runs at the next allocation after it, in the pause."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class Pace:
    """Seconds a row of one statement took in the pass's last calls: each call is sized to end within the
    slice's time (a statement's first call has FIRST rows).

    At 1,000,000 meetings a call of 250 rows could take over 100 ms (index pages read from disk), so a slice
    whose clock was read only between such calls held the write lock 159-185 ms against its 25."""

    per_row: float | None = None

    def rows(self, seconds_left: float) -> int:
        """Rows that fit in ``seconds_left``: up to STEP, 0 when not even one does."""
        if self.per_row is None:
            return FIRST
        if self.per_row <= 0:
            return STEP
        return min(STEP, int(seconds_left / self.per_row))

    def measured(self, seconds: float, rows: int) -> None:
        now = seconds / rows
        # Up at once when rows get slower, down by halves: one slow call shrinks the next ones.
        self.per_row = now if self.per_row is None or now > self.per_row else (self.per_row + now) / 2


def _slice(store: Store, pending: list[tuple[Batch, int, int]], i: int, result: PlanResult, slicing: Slicing,
           paces: dict[str, Pace] | None = None) -> int:
    """Write from ``pending[i]`` on, up to the slice's rows and seconds; the index to go on from.

    Each call's rows are as many as the time left allows at the pace of the statement's calls before
    (``paces``, kept for the pass), so the slice ends about ``slicing.seconds`` in even when rows are slow,
    not one 250-row call later."""
    paces = {} if paces is None else paces
    t0, written = clock(), 0
    while i < len(pending) and written < slicing.rows:
        left = slicing.seconds - (clock() - t0)
        if left <= 0:
            break
        batch, start, end = pending[i]
        pace = paces.setdefault(batch.sql, Pace())
        fits = pace.rows(left)
        if fits == 0 and written:
            break  # not one more row in the slice's time; a slice writes at least one call
        stop = min(end, start + slicing.rows - written, start + max(1, fits))
        t1 = clock()
        _execute(store, batch, batch.rows[start:stop], result)
        pace.measured(clock() - t1, stop - start)
        written += stop - start
        if stop < end:
            pending[i] = (batch, stop, end)
        else:
            i += 1
    return i
