"""The connections that serve commands do not checkpoint the WAL at their commits; the planner checkpoints it
at the end of every pass (and between its write slices), so the WAL stays bounded. Real SQLite files."""

from __future__ import annotations

import asyncio
import os
import sqlite3
from datetime import datetime, timedelta, timezone

from bot.clock import FixedClock
from bot.config import Settings
from bot.delivery import CallbackTransport, open_delivery_store, plan_deliveries, writes
from bot.delivery.ledger import PlanResult
from bot.delivery.writes import Batch, Slicing, write_in_slices
from bot.scheduler import SummitScheduler
from bot.store import Store, checkpoint, leave_checkpoints

NOW = datetime(2026, 12, 7, 2, 0, tzinfo=timezone.utc)
PAGE = 4096


def pages(path: str) -> int:
    return os.path.getsize(path) // PAGE if os.path.exists(path) else 0


def fill(store: Store, n: int) -> None:
    """About ``n`` pages written, in commands' small transactions of about 50 pages each."""
    for _ in range(n // 50):
        with store.db.conn:
            store.db.conn.executemany("INSERT INTO filler (b) VALUES (randomblob(3900))", [()] * 50)


def test_commands_leave_the_wal_to_the_planner_which_keeps_it_bounded(tmp_path):
    path = str(tmp_path / "bot.db")
    commands = Store(path)
    assert commands.db.execute("PRAGMA page_size").fetchone()[0] == PAGE
    commands.db.execute("CREATE TABLE filler (b BLOB)")
    leave_checkpoints(commands.db)
    planner = open_delivery_store(path)
    leave_checkpoints(planner.db)  # its commits would checkpoint too (past 1,000 pages): the pass itself must
    plan_deliveries(planner, Settings(), NOW)
    before = pages(path)

    fill(commands, 3000)
    wal = pages(path + "-wal")
    assert wal > 2900  # no commit checkpointed (SQLite's default would at 1,000 pages)
    assert pages(path) < before + 100  # nothing copied back yet

    plan_deliveries(planner, Settings(), NOW + timedelta(minutes=1))
    assert pages(path) > before + 2900  # the planner's pass copied the WAL back

    for i in range(4):  # a tick between each: the WAL starts again from its beginning, it does not grow
        fill(commands, 3000)
        plan_deliveries(planner, Settings(), NOW + timedelta(minutes=2 + i))
    assert pages(path + "-wal") <= wal + 60
    assert pages(path) > before + 5 * 2900
    commands.db.conn.close()
    planner.db.conn.close()


def test_a_scheduler_with_a_planning_process_takes_checkpoints_off_the_command_connection(tmp_path):
    path = str(tmp_path / "bot.db")
    shared = Store(path)
    assert shared.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000

    async def main():
        sched = SummitScheduler(shared, Settings(), FixedClock(NOW), {"console": CallbackTransport("console")},
                                owner="me")
        assert sched.planner is not None
        await sched.start()
        values = [s.db.execute("PRAGMA wal_autocheckpoint").fetchone()[0] for s in (shared, sched.store)]
        await sched.shutdown()
        return values

    assert asyncio.run(main()) == [0, 0]


class Reader:
    """A command side reading back to back: each call ends its read transaction and starts the next one, so a
    read is always open, begun before the planner's latest commit or during its checkpoint."""

    def __init__(self, path: str):
        self.conn = sqlite3.connect(path, isolation_level=None)

    def next_read(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("COMMIT")
        self.conn.execute("BEGIN")
        self.conn.execute("SELECT count(*) FROM filler").fetchone()


def slices_with_a_reader(tmp_path, monkeypatch, *, as_before: bool = False) -> tuple[list[int], list[bool], Store]:
    """2,000 rows of a page each, in slices of 50, while a reader keeps a read open: it starts a new one in
    each of the planner's sleeps and as each checkpoint begins, and a checkpoint takes 30 ms (longer than
    the 25 ms pause, as at 1,000,000 meetings). The WAL's size in pages at each sleep, each copy complete or not."""
    path = str(tmp_path / "bot.db")
    store = Store(path)
    store.db.execute("CREATE TABLE filler (b BLOB)")
    reader = Reader(path)
    now = [0.0]  # the injected clock: nothing here waits
    monkeypatch.setattr(writes, "clock", lambda: now[0])
    wal, complete = [], []

    def sleep(seconds: float) -> None:
        now[0] += seconds
        if seconds > 0:  # a read takes a moment: none ends in no time
            reader.next_read()
        wal.append(pages(path + "-wal"))

    def slow_checkpoint(db) -> bool:
        reader.next_read()
        complete.append(checkpoint(db))
        now[0] += 0.030
        return complete[-1]

    monkeypatch.setattr(writes, "checkpoint", slow_checkpoint)
    if as_before:  # one checkpoint in each pause, then the rest of the pause if any
        monkeypatch.setattr(writes, "checkpoint_within", lambda store, slicing=None: (slow_checkpoint(store.db), 0.030)[1])
    reader.next_read()
    batch = Batch("INSERT INTO filler (b) VALUES (randomblob(3900))", [()] * 2000)
    write_in_slices(store, [batch], PlanResult(), Slicing(rows=50, seconds=60.0, pause=0.025, sleep=sleep,
                                                          copy_after=0.0))  # a copy in every pause
    wal.append(pages(path + "-wal"))
    return wal, complete, store


def test_a_reader_always_reading_does_not_stop_the_wal_from_starting_again(tmp_path, monkeypatch):
    """The checkpoint between slices is tried again until no reader reads from the WAL, so each slice starts it
    from its beginning: its file stays at about a slice's pages."""
    wal, complete, store = slices_with_a_reader(tmp_path, monkeypatch)
    assert len(wal) >= 40 and max(wal) < 200  # a slice is 50 pages and more; 2,000 were written
    assert all(complete) and store.db.execute("SELECT count(*) FROM filler").fetchone()[0] == 2000


def test_with_one_checkpoint_a_pause_the_same_reader_keeps_the_wal_growing(tmp_path, monkeypatch):
    """The cause of the 11.4 GB WAL at 1,000,000 meetings, in small: every copy is complete, but a read begun
    during it is still open when the next slice writes, so no slice starts the WAL again."""
    wal, complete, _ = slices_with_a_reader(tmp_path, monkeypatch, as_before=True)
    assert all(complete) and max(wal) > 2000


def test_the_wal_is_copied_back_once_slices_have_held_the_lock_copy_after_seconds(tmp_path, monkeypatch):
    """Each copy syncs two files: not after every slice, but once the slices since the last have held the lock
    ``copy_after`` seconds (here four slices of 30 ms on a fake clock); the WAL holds about that many slices."""
    path = str(tmp_path / "bot.db")
    store = Store(path)
    store.db.execute("CREATE TABLE filler (b BLOB)")
    now, copies, pauses, wal = [0.0], [], [], []
    monkeypatch.setattr(writes, "clock", lambda: now[0])
    execute, copy = writes._execute, writes.checkpoint_within

    def slice_of_30_ms(store, batch, rows, result):  # 50 rows a slice
        execute(store, batch, rows, result)
        now[0] += 0.0006 * len(rows)

    def counted_copy(store, slicing=None):
        copies.append(len(pauses))
        return copy(store, slicing)

    def sleep(seconds):
        pauses.append(seconds)
        wal.append(pages(path + "-wal"))

    monkeypatch.setattr(writes, "_execute", slice_of_30_ms)
    monkeypatch.setattr(writes, "checkpoint_within", counted_copy)
    batch = Batch("INSERT INTO filler (b) VALUES (randomblob(3900))", [()] * 2000)
    write_in_slices(store, [batch], PlanResult(), Slicing(rows=50, seconds=60.0, pause=0.025, sleep=sleep))
    assert len(pauses) == 39 and pauses == [0.0] * 39  # 40 slices; no one waiting
    assert copies == [3, 7, 11, 15, 19, 23, 27, 31, 35]  # in the pauses after slices 4, 8, ..., 36
    # The file grows for four slices of about 52 pages (on the schema's), then each copy starts it again.
    assert max(wal) == wal[3] < 400 and wal[3] - wal[0] < 3 * 60
    assert checkpoint(store.db) and store.db.execute("SELECT count(*) FROM filler").fetchone()[0] == 2000
