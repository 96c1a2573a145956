"""The PlanWorker: a pass in a process of its own, its errors and its death reported to the caller."""

from __future__ import annotations

import os
import sqlite3

import pytest

from bot.config import Settings
from bot.delivery.worker import PlanWorker, PlanWorkerDied
from bot.store import Store
from delivery_helpers import DIE_ONCE, NOW, channel, plan_dies_once, plan_locked, plan_niceness, seed, subscribe


@pytest.fixture
def db(tmp_path):
    path = str(tmp_path / "worker.db")
    store = Store(path)
    seed(store)
    subscribe(store, channel(store), NOW, lead="7d,1d")
    store.db.conn.close()
    return path


def test_a_pass_runs_in_its_own_process_and_writes_the_rows(db):
    worker = PlanWorker(db)
    try:
        result = worker.run(Settings(), NOW)
        pid = worker._process.pid
        again = worker.run(Settings(), NOW)
        assert worker._process.pid == pid != os.getpid()  # one process, kept for the next pass
    finally:
        worker.close_now()
    assert result.inserted > 0 and again.inserted == 0 and again.incremental
    count = Store(db).db.execute("SELECT count(*) FROM deliveries WHERE kind = 'reminder'").fetchone()[0]
    assert count == result.inserted


def test_the_planning_process_runs_at_the_niceness_it_was_given(db):
    """A planning process niced above the bot's loses a busy CPU to the processes serving commands."""
    own = os.nice(0)
    workers = [PlanWorker(db, plan_niceness, nice=n) for n in (0, 5)]
    try:
        (plain, plain_pid), (niced, niced_pid) = (w.run(Settings(), NOW) for w in workers)
    finally:
        for w in workers:
            w.close_now()
    assert os.getpid() not in (plain_pid, niced_pid) and os.nice(0) == own
    assert plain == own and niced == min(own + 5, 19)


def test_an_error_in_the_pass_comes_back_as_itself(db):
    worker = PlanWorker(db, plan_locked)
    try:
        with pytest.raises(sqlite3.OperationalError, match="database is locked"):
            worker.run(Settings(), NOW)
    finally:
        worker.close_now()


def test_a_process_that_dies_mid_pass_is_reported_and_replaced(db, tmp_path, monkeypatch):
    monkeypatch.setenv(DIE_ONCE, str(tmp_path / "died"))
    worker = PlanWorker(db, plan_dies_once)
    try:
        with pytest.raises(PlanWorkerDied, match="exit code 3"):
            worker.run(Settings(), NOW)
        assert worker.run(Settings(), NOW).inserted > 0  # a new process, the same database
    finally:
        worker.close_now()


def test_an_error_that_does_not_unpickle_is_reported_and_the_next_pass_is_answered(db, tmp_path, monkeypatch):
    """An exception pickles in the child but cannot be rebuilt in the parent: the parent must still read the
    whole answer, or every later pass reads that answer again (and no pass is ever answered)."""
    from delivery_helpers import FAIL_ONCE, plan_fails_once_unpicklably

    monkeypatch.setenv(FAIL_ONCE, str(tmp_path / "failed"))
    worker = PlanWorker(db, plan_fails_once_unpicklably)
    try:
        with pytest.raises(Exception, match="a failure in the planner"):
            worker.run(Settings(), NOW)
        assert worker.run(Settings(), NOW).inserted > 0
    finally:
        worker.close_now()
