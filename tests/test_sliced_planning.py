"""A pass writes in short transactions (bot/delivery/writes.py): other writers get the lock between slices,
a change made between slices is planned before the pass ends, and a pass stopped between slices is finished
by the next one. Real SQLite files; no waiting (the pause between slices goes to a recording hook)."""

from __future__ import annotations

import gc
import random
import sqlite3
from datetime import timedelta

import pytest

from bot.config import Settings
from bot import write_lock
from bot.delivery import plan_deliveries, planning, scope, writes
from bot.delivery.writes import Slicing
from bot.store import Store
from bot.subscriptions import add_subscription, remove_subscriptions, subscriptions
from test_incremental_planning import World, full_pass_changes, rows


def world(tmp_path, name: str) -> tuple[Store, World]:
    """The same 12 meetings and three subscriptions in every database built by this helper."""
    store = Store(str(tmp_path / name))
    w = World(store, random.Random(11))
    for _ in range(12):
        w.new_meeting()
    for i, lead in enumerate(("7d,1d", "1d,6h", "30d,3d")):
        add_subscription(store, w.channels[i], lead=lead, now=w.now)
    return store, w


def live(store: Store) -> list[tuple]:
    return [r for r in rows(store) if r[5] != "withdrawn"]


def slicing(monkeypatch, between) -> None:
    monkeypatch.setattr(writes, "SLICING", Slicing(rows=4, seconds=60.0, pause=1.0, sleep=between))


def test_slices_commit_one_by_one_and_writers_get_the_lock_between_them(tmp_path, monkeypatch):
    store, w = world(tmp_path, "sliced.db")
    other = sqlite3.connect(tmp_path / "sliced.db", timeout=0)  # a writer that would fail rather than wait
    seen, pauses = [], []

    def between(seconds):
        pauses.append(seconds)
        seen.append(other.execute("SELECT count(*) FROM deliveries").fetchone()[0])
        other.execute("BEGIN IMMEDIATE")  # the write lock is free between slices
        other.execute("ROLLBACK")

    slicing(monkeypatch, between)
    result = plan_deliveries(store, Settings(), w.now)
    assert result.inserted > 12 and len(pauses) == -(-result.inserted // 4) - 1
    assert seen == sorted(seen) and seen[0] == 4 and len(set(seen)) == len(seen)  # committed 4 rows at a time
    assert all(p >= 0 for p in pauses)
    whole, w2 = world(tmp_path, "whole.db")
    monkeypatch.setattr(writes, "SLICING", Slicing())
    plan_deliveries(whole, Settings(), w2.now)
    assert rows(store) == rows(whole)


def test_a_change_between_slices_is_planned_before_the_pass_ends(tmp_path, monkeypatch):
    store, w = world(tmp_path, "sliced.db")
    command = Store(str(tmp_path / "sliced.db"))  # a command's own connection
    gone = subscriptions(store, w.channels[0].id)[0]

    def between(seconds):
        if subscriptions(command, w.channels[0].id):
            remove_subscriptions(command, w.channels[0], gone.id, w.now)

    slicing(monkeypatch, between)
    plan_deliveries(store, Settings(), w.now)
    assert full_pass_changes(store, Settings(), w.now) == (0, 0, 0)
    statuses = {r[0] for r in store.db.execute("SELECT status FROM deliveries WHERE channel_id = ?",
                                                [w.channels[0].id])}
    assert statuses == {"withdrawn"}  # written by the first slice, then withdrawn by the pass computed again
    twin, w2 = world(tmp_path, "twin.db")
    remove_subscriptions(twin, w2.channels[0], subscriptions(twin, w2.channels[0].id)[0].id, w2.now)
    plan_deliveries(twin, Settings(), w2.now)
    assert live(store) == live(twin)


def test_a_pass_stopped_between_slices_is_finished_by_the_next(tmp_path, monkeypatch):
    store, w = world(tmp_path, "sliced.db")

    class Killed(Exception):
        pass

    def between(seconds):
        raise Killed

    slicing(monkeypatch, between)
    with pytest.raises(Killed):
        plan_deliveries(store, Settings(), w.now)
    assert len(rows(store)) == 4  # the first slice, committed
    assert store.db.execute("SELECT count(*) FROM scheduler_state WHERE key IN ('planned_at', 'plan_seq')"
                            ).fetchone()[0] == 0  # the watermarks did not move
    monkeypatch.setattr(writes, "SLICING", Slicing())
    later = w.now + timedelta(seconds=30)
    assert not plan_deliveries(store, Settings(), later).incremental
    assert full_pass_changes(store, Settings(), later) == (0, 0, 0)
    whole, w2 = world(tmp_path, "whole.db")
    plan_deliveries(whole, Settings(), w2.now)
    plan_deliveries(whole, Settings(), later)
    assert rows(store) == rows(whole)


def _alerts(store: Store, channel_id: int | None = None) -> list[tuple]:
    return store.db.execute(
        "SELECT channel_id, meeting_id, ref, due, status FROM deliveries WHERE kind = 'change'"
        + (" AND channel_id = ?" if channel_id else "") + " ORDER BY 1, 2, 3, 4",
        [channel_id] if channel_id else []).fetchall()


def test_a_channel_unsubscribed_between_slices_gets_no_change_alert(tmp_path, monkeypatch):
    """'Unsubscribe all' withdraws the channel's pending reminders and alerts at once; a pass computed before it
    must not write new ones after it (alerts are not reconciled again by the pass that follows)."""
    store, w = world(tmp_path, "sliced.db")
    command = Store(str(tmp_path / "sliced.db"))
    mid = store.db.execute("SELECT min(id) FROM meetings").fetchone()[0]
    store.record_change(mid, "status", "upcoming", "postponed", None, None, now=w.now)

    def between(seconds):
        if subscriptions(command, w.channels[0].id):
            remove_subscriptions(command, w.channels[0], None, w.now)

    slicing(monkeypatch, between)
    plan_deliveries(store, Settings(), w.now)
    assert _alerts(store, w.channels[1].id)  # the others' alerts are written
    assert store.db.execute("SELECT count(*) FROM deliveries WHERE channel_id = ? AND status = 'pending'",
                            [w.channels[0].id]).fetchone()[0] == 0


def test_a_pass_stopped_after_its_alerts_does_not_alert_twice(tmp_path, monkeypatch):
    """The alerts are written, then the pass stops before its watermarks move (a kill, the lock busy): the next
    pass plans the same changes again and must not add a second alert for them, even when a change was recorded
    after the first pass's clock reading (its alert fell due at that pass's now, not at the change's time)."""
    from bot.delivery import planning

    store, w = world(tmp_path, "sliced.db")
    mid = store.db.execute("SELECT min(id) FROM meetings").fetchone()[0]
    store.record_change(mid, "status", "upcoming", "postponed", None, None, now=w.now + timedelta(seconds=5))
    finish = planning._finish

    class Killed(Exception):
        pass

    def stopped(*args):
        raise Killed

    monkeypatch.setattr(planning, "_finish", stopped)
    with pytest.raises(Killed):
        plan_deliveries(store, Settings(), w.now)
    first = _alerts(store)
    assert first
    monkeypatch.setattr(planning, "_finish", finish)
    plan_deliveries(store, Settings(), w.now + timedelta(seconds=30))
    assert _alerts(store) == first


def log_rows(store: Store) -> int:
    return store.db.execute("SELECT count(*) FROM plan_log").fetchone()[0]


def test_a_long_plan_log_is_dropped_in_slices_after_the_watermark_moved(tmp_path, monkeypatch):
    store, w = world(tmp_path, "sliced.db")
    monkeypatch.setattr(scope, "LOG_IN_PLACE", 5)
    monkeypatch.setattr(scope, "LOG_STEP", 2)  # 4 statements of 2 log rows a slice
    before = log_rows(store)
    assert before > 8
    other = sqlite3.connect(tmp_path / "sliced.db", timeout=0)
    after_mark = []

    def between(seconds):
        if store.db.execute("SELECT 1 FROM scheduler_state WHERE key = 'plan_seq'").fetchone():
            after_mark.append(other.execute("SELECT count(*) FROM plan_log").fetchone()[0])
            other.execute("BEGIN IMMEDIATE")  # free between the slices and before the first
            other.execute("ROLLBACK")

    slicing(monkeypatch, between)
    plan_deliveries(store, Settings(), w.now)
    assert after_mark[0] == before  # the watermark's transaction deleted none of them; a pause came first
    assert after_mark == sorted(after_mark, reverse=True) and after_mark[1] == before - 8
    assert log_rows(store) == 0


def test_log_rows_left_behind_the_watermark_change_nothing_and_go_with_the_next_pass(tmp_path, monkeypatch):
    store, w = world(tmp_path, "sliced.db")
    monkeypatch.setattr(scope, "LOG_IN_PLACE", 5)

    class Killed(Exception):
        pass

    def between(seconds):
        if store.db.execute("SELECT 1 FROM scheduler_state WHERE key = 'plan_seq'").fetchone():
            raise Killed  # stopped after the watermark moved, before its log rows were deleted

    slicing(monkeypatch, between)
    with pytest.raises(Killed):
        plan_deliveries(store, Settings(), w.now)
    assert log_rows(store) > 5
    monkeypatch.setattr(writes, "SLICING", Slicing())
    later = w.now + timedelta(seconds=30)
    result = plan_deliveries(store, Settings(), later)
    assert result.incremental and (result.inserted, result.withdrawn) == (0, 0)
    assert log_rows(store) == 0
    assert full_pass_changes(store, Settings(), later) == (0, 0, 0)


def test_a_slice_ends_on_time_when_rows_get_slow(tmp_path, monkeypatch):
    """Each call is sized by how long the statement's rows took so far: a slice of slow rows holds the lock
    about its 25 ms, not one 250-row call (here 500 ms). The clock is fake: each row costs its statement's."""
    store = Store(str(tmp_path / "pace.db"))
    store.db.execute("CREATE TABLE fast (x INTEGER)")
    store.db.execute("CREATE TABLE slow (x INTEGER)")
    cost = {"INSERT INTO fast (x) VALUES (?)": 0.0001, "INSERT INTO slow (x) VALUES (?)": 0.002}
    now = [0.0]
    monkeypatch.setattr(writes, "clock", lambda: now[0])
    execute = writes._execute

    def timed_execute(store, batch, rows, result):
        execute(store, batch, rows, result)
        calls.append(len(rows))
        now[0] += cost[batch.sql] * len(rows)

    calls, slices, started = [], [], [0.0]

    def between(_seconds):
        slices.append((now[0] - started[0], list(calls)))
        calls.clear()
        started[0] = now[0]

    monkeypatch.setattr(writes, "_execute", timed_execute)
    batches = [writes.Batch(sql, [(n,) for n in range(600)]) for sql in cost]
    writes.write_in_slices(store, batches, writes.PlanResult(), Slicing(rows=5000, seconds=0.025, pause=0.0,
                                                                        sleep=between))
    between(0)
    assert [store.db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("fast", "slow")] == [600, 600]
    assert all(sum(c) <= 250 for _, c in slices)
    first_slow = next(k for k, (_, c) in enumerate(slices) if sum(c) < 250 and k > 0)
    held = [seconds for seconds, _ in slices]
    assert held[first_slow] <= 0.025 + 25 * 0.002  # the slow statement's first call: FIRST rows
    assert all(h <= 0.025 + 1e-9 for k, h in enumerate(held) if k != first_slow)
    assert max(c for _, cs in slices[first_slow + 1:] for c in cs) <= 12  # 25 ms of 2 ms rows


def test_no_garbage_collection_starts_while_a_slice_holds_the_write_lock(tmp_path, monkeypatch):
    """A full collection in the planning process walks every row it computed (millions at 1M meetings):
    off during each slice's transaction, on again in the pause and after the pass."""
    store = Store(str(tmp_path / "gc.db"))
    store.db.execute("CREATE TABLE t (x INTEGER)")
    execute, in_slice, in_pause = writes._execute, [], []

    def watched_execute(store, batch, rows, result):
        execute(store, batch, rows, result)
        in_slice.append((gc.isenabled(), store.db.conn.in_transaction))

    monkeypatch.setattr(writes, "_execute", watched_execute)
    batches = [writes.Batch("INSERT INTO t (x) VALUES (?)", [(n,) for n in range(40)])]
    writes.write_in_slices(store, batches, writes.PlanResult(),
                           Slicing(rows=10, seconds=60.0, pause=0.0, sleep=lambda _s: in_pause.append(gc.isenabled())))
    assert store.db.execute("SELECT count(*) FROM t").fetchone()[0] == 40
    assert in_slice and set(in_slice) == {(False, True)}
    assert in_pause == [True, True, True] and gc.isenabled()


def test_a_pause_lasts_while_a_writer_waits_and_not_when_none_does(tmp_path, monkeypatch):
    """Between slices the pass waits only while a command is looking for the lock (bot/write_lock.py's waiters
    file), in 1 ms steps and at most the pause; the writer gets the lock in it. On a fake clock."""
    path = tmp_path / "pause.db"
    store = Store(str(path))
    store.db.execute("CREATE TABLE t (x INTEGER)")
    command = sqlite3.connect(path, isolation_level=None)  # a command's connection
    now, pauses, waiting = [0.0], [], []
    monkeypatch.setattr(writes, "clock", lambda: now[0])

    def between(seconds):
        now[0] += seconds
        pauses[-1].append(seconds)
        if len(pauses) == 2 and len(pauses[1]) == 3:  # 3 ms into the pause it has the lock, writes, commits
            command.execute("BEGIN IMMEDIATE")
            waiting[0].__exit__(None, None, None)
            command.execute("INSERT INTO t (x) VALUES (-1)")
            command.execute("COMMIT")

    def execute(store, batch, rows, result):
        store.db.conn.executemany(batch.sql, rows)
        pauses.append([])
        if len(pauses) in (2, 4):  # during the 2nd and 4th slices a command starts looking for the lock
            waiting.append(write_lock._waiting(command))
            waiting[-1].__enter__()

    monkeypatch.setattr(writes, "_execute", execute)
    batches = [writes.Batch("INSERT INTO t (x) VALUES (?)", [(n,) for n in range(50)])]
    writes.write_in_slices(store, batches, writes.PlanResult(), Slicing(rows=10, seconds=60.0, pause=0.025,
                                                                        sleep=between))
    waiting[1].__exit__(None, None, None)  # the second never got the lock (another process's long wait)
    assert pauses[0] == [0.0]  # no one waiting: no pause
    assert pauses[1] == [write_lock.POLL] * 3  # until the command had the lock
    assert pauses[2] == [0.0]
    assert sum(pauses[3]) == pytest.approx(0.025) and max(pauses[3]) <= write_lock.POLL + 1e-12  # at most the pause
    assert pauses[4] == [] and len(pauses) == 5
    assert store.db.execute("SELECT count(*), min(x) FROM t").fetchone() == (51, -1)
    memory = Store(":memory:")  # where no one can be seen waiting: the whole pause, as before
    memory.db.execute("CREATE TABLE t (x INTEGER)")
    pauses[:] = []
    writes.write_in_slices(memory, batches, writes.PlanResult(), Slicing(rows=25, seconds=60.0, pause=0.025,
                                                                         sleep=between))
    assert pauses == [[0.025], []]


def test_no_garbage_collection_while_a_pass_computes_its_rows_and_on_again_after(tmp_path, monkeypatch):
    """The rows a pass computes are tuples and strings: the collections their allocations would start only walk
    them again (40-60 ms of a first plan at 10,000 subscriptions x 5,000 meetings)."""
    store, w = world(tmp_path, "gc.db")
    prepare, computing = planning._prepare, []

    def watched(*args, **kwargs):
        computing.append(gc.isenabled())
        return prepare(*args, **kwargs)

    monkeypatch.setattr(planning, "_prepare", watched)
    assert gc.isenabled()
    assert plan_deliveries(store, Settings(), w.now).inserted > 12
    assert computing == [False] and gc.isenabled()


def test_a_writer_still_waiting_after_a_copy_of_the_wal_gets_a_pause_of_its_own(tmp_path, monkeypatch):
    """A copy of the WAL back can take the whole pause (1,000,000 meetings); a command that did not get the lock
    during it is still waited for after it, not left to the next slice. On a fake clock."""
    path = tmp_path / "copy.db"
    store = Store(str(path))
    store.db.execute("CREATE TABLE t (x INTEGER)")
    command = sqlite3.connect(path, isolation_level=None)
    now, pauses, waiting, copies = [0.0], [], [], []
    monkeypatch.setattr(writes, "clock", lambda: now[0])

    def slow_copy(store, slicing=None):
        copies.append(now[0])
        now[0] += 0.040  # longer than the pause
        return 0.040

    def between(seconds):
        now[0] += seconds
        pauses[-1].append(seconds)
        if len(pauses[-1]) == 2 and waiting:  # 2 ms after the copy the command takes the lock and commits
            command.execute("BEGIN IMMEDIATE")
            waiting.pop().__exit__(None, None, None)
            command.execute("INSERT INTO t (x) VALUES (-1)")
            command.execute("COMMIT")

    def execute(store, batch, rows, result):
        store.db.conn.executemany(batch.sql, rows)
        pauses.append([])
        if len(pauses) == 1:  # during the first slice a command starts looking for the lock
            waiting.append(write_lock._waiting(command))
            waiting[-1].__enter__()

    monkeypatch.setattr(writes, "checkpoint_within", slow_copy)
    monkeypatch.setattr(writes, "_execute", execute)
    batches = [writes.Batch("INSERT INTO t (x) VALUES (?)", [(n,) for n in range(20)])]
    writes.write_in_slices(store, batches, writes.PlanResult(), Slicing(rows=10, seconds=60.0, pause=0.025,
                                                                        sleep=between, copy_after=0.0))
    assert len(copies) == 1  # one pause, with a copy in it
    assert pauses[0] == [write_lock.POLL] * 2  # after the copy, until the command had the lock
    assert store.db.execute("SELECT count(*), min(x) FROM t").fetchone() == (21, -1)
