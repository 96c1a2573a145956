"""The write lock is taken by looking again every millisecond (bot/write_lock.py), on real SQLite files."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timezone

import pytest

from bot import write_lock
from bot.delivery import immediate, open_delivery_store
from bot.store import Store, open_db
from bot.subscriptions import ensure_channel
from bot.transport import ChannelRef
from bot.config import Settings

NOW = datetime(2026, 12, 7, 1, 30, tzinfo=timezone.utc)


class FakeTime:
    """A clock that moves only when slept on; ``on_sleep(n)`` runs at the n-th sleep (1-based)."""

    def __init__(self, on_sleep=None):
        self.now, self.sleeps, self.on_sleep = 100.0, [], on_sleep

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        if self.on_sleep:
            self.on_sleep(len(self.sleeps))


@pytest.fixture
def paths(tmp_path):
    path = str(tmp_path / "bot.db")
    open_db(path).conn.close()
    return path


def holder(path: str) -> sqlite3.Connection:
    """Another connection holding the write lock, as a planning slice does."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    return conn


def held_until(path: str, monkeypatch, looks: int | None) -> FakeTime:
    """The write lock held by another connection until the ``looks``-th sleep (for ever with None), on a fake clock."""
    other = holder(path)
    fake = FakeTime(on_sleep=lambda n: other.execute("COMMIT") if n == looks else None)
    monkeypatch.setattr(write_lock, "clock", fake.clock)
    monkeypatch.setattr(write_lock, "sleep", fake.sleep)
    return fake


def test_waits_in_one_millisecond_steps_and_takes_the_lock_when_it_is_free(paths, monkeypatch):
    fake = held_until(paths, monkeypatch, 30)
    db = open_db(paths)
    write_lock.take_write_lock(db.conn)
    assert db.conn.in_transaction
    assert fake.sleeps == [write_lock.POLL] * 30  # SQLite's handler would have slept 1, 2, 5, 10, 15, 20, 25 ...
    # The lock is ours: another writer cannot begin.
    third = sqlite3.connect(paths, timeout=0)
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        third.execute("BEGIN IMMEDIATE")
    db.conn.commit()
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 30000  # put back


def test_a_long_wait_looks_less_often_and_gives_up_after_the_connections_busy_timeout(paths, monkeypatch):
    fake = held_until(paths, monkeypatch, None)
    db = open_db(paths)
    db.execute("PRAGMA busy_timeout = 2000")  # as a worker that should give up early sets it
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        write_lock.take_write_lock(db.conn)
    assert 2.0 <= fake.now - 100.0 < 2.0 + write_lock.SLOW_POLL + 1e-9
    assert set(fake.sleeps) == {write_lock.POLL, write_lock.SLOW_POLL}
    assert sum(s for s in fake.sleeps if s == write_lock.POLL) == pytest.approx(write_lock.SLOW_AFTER, abs=0.002)
    assert not db.conn.in_transaction
    assert db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 2000
    began = fake.now
    with pytest.raises(sqlite3.OperationalError, match="locked"):  # or after the deadline given
        write_lock.take_write_lock(db.conn, deadline=0.01)
    assert 0.01 <= fake.now - began < 0.01 + write_lock.POLL + 1e-9


def test_with_conn_is_a_write_transaction_from_its_first_statement(paths, monkeypatch):
    fake = held_until(paths, monkeypatch, 3)
    db = open_db(paths)
    with db.conn:
        assert db.conn.in_transaction  # before any statement: BEGIN IMMEDIATE, not a deferred BEGIN
        db.conn.execute("INSERT INTO scheduler_state (key, value) VALUES ('k', 'v')")
        with db.conn:  # nested: adds nothing
            pass
    assert len(fake.sleeps) == 3
    assert sqlite3.connect(paths).execute("SELECT value FROM scheduler_state WHERE key = 'k'").fetchone() == ("v",)


def test_immediate_takes_the_lock_the_same_way(paths, monkeypatch):
    fake = held_until(paths, monkeypatch, 5)
    store = open_delivery_store(paths)
    with immediate(store):
        store.db.conn.execute("INSERT INTO scheduler_state (key, value) VALUES ('k', 'w')")
    assert fake.sleeps == [write_lock.POLL] * 5


def test_a_stored_channel_is_read_without_taking_the_lock(paths, monkeypatch):
    store = Store(open_db(paths))
    ref = ChannelRef(platform="slack", workspace="T1", channel="C1")
    first = ensure_channel(store, ref, Settings(), NOW)
    other = holder(paths)

    def no_wait(seconds):
        raise AssertionError("ensure_channel waited for the write lock")

    monkeypatch.setattr(write_lock, "sleep", no_wait)
    assert ensure_channel(store, ref, Settings(), NOW).id == first.id
    other.execute("COMMIT")


def test_a_writer_is_seen_waiting_while_it_looks_for_the_lock_and_not_once_it_has_it(paths, monkeypatch):
    other = holder(paths)
    observer = sqlite3.connect(paths)  # as the planning process looks between two slices
    seen = []

    def look(n: int) -> None:
        seen.append(write_lock.writers_waiting(observer))
        if n == 3:
            other.execute("COMMIT")

    fake = FakeTime(on_sleep=look)
    monkeypatch.setattr(write_lock, "clock", fake.clock)
    monkeypatch.setattr(write_lock, "sleep", fake.sleep)
    assert write_lock.writers_waiting(observer) is False
    db = open_db(paths)
    write_lock.take_write_lock(db.conn)
    assert seen == [True, True, True]
    assert write_lock.writers_waiting(observer) is False  # it has the lock: no longer waiting
    db.conn.commit()
    with pytest.raises(sqlite3.OperationalError):  # a writer that gives up is not left waiting either
        other.execute("BEGIN IMMEDIATE")
        write_lock.take_write_lock(db.conn, deadline=0.002)
    assert write_lock.writers_waiting(observer) is False
    other.execute("ROLLBACK")
    assert write_lock.writers_waiting(sqlite3.connect(":memory:")) is None  # nothing to share: not known
