"""The connections that serve commands do not checkpoint the WAL at their commits; the planner checkpoints it
at the end of every pass (and between its write slices), so the WAL stays bounded. Real SQLite files."""

from __future__ import annotations

import asyncio
import os
from datetime import datetime, timedelta, timezone

from bot.clock import FixedClock
from bot.config import Settings
from bot.delivery import CallbackTransport, open_delivery_store, plan_deliveries
from bot.scheduler import SummitScheduler
from bot.store import Store, leave_checkpoints

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
