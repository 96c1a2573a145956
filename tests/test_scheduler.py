"""SummitScheduler: APScheduler jobs rebuilt from SQLite, fired explicitly (no waiting on the wall clock)."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from bot.clock import FixedClock
from bot.config import Settings
from bot.delivery import CallbackTransport, lease_holder
from bot.models import Meeting
from bot.scheduler import SummitScheduler, digest_job, replan_job, tick_job
from bot.store import Store
from bot.subscriptions import add_subscription, ensure_channel, set_digest, set_timezone
from bot.transport import ChannelRef

UTC = timezone.utc
T0 = datetime(2025, 10, 20, tzinfo=UTC)
SEOUL = ChannelRef("console", "local", "seoul")
NY = ChannelRef("console", "local", "ny")


@pytest.fixture
def db_path(tmp_path) -> str:
    return str(tmp_path / "sched.db")


@pytest.fixture
def store(db_path) -> Store:
    return Store(db_path)


def setup_channels(store: Store) -> tuple[int, int]:
    seoul = ensure_channel(store, SEOUL, Settings(), T0)
    set_timezone(store, seoul, "Asia/Seoul", T0)
    add_subscription(store, seoul, lead="1d", now=T0)
    set_digest(store, seoul, "daily", T0, at="08:00")
    ny = ensure_channel(store, NY, Settings(), T0)
    set_timezone(store, ny, "America/New_York", T0)
    set_digest(store, ny, "weekly", T0, at="08:00", day="mon")
    return seoul.id, ny.id


def test_start_builds_jobs_from_sqlite_and_is_idempotent(store, db_path):
    seoul, ny = setup_channels(store)

    async def main():
        sched = SummitScheduler(Store(db_path), Settings(tick_seconds=15), FixedClock(T0),
                                {"console": CallbackTransport("console")}, owner="me")
        await sched.start()
        first = sorted(job.id for job in sched.jobs())
        await sched.start()  # no-op
        assert sorted(job.id for job in sched.jobs()) == first
        jobs = {job.id: job for job in sched.jobs()}
        await sched.shutdown()
        return first, jobs

    ids, jobs = asyncio.run(main())
    assert ids == sorted(["tick", "replan", f"digest:{seoul}", f"digest:{ny}"])
    tick = jobs["tick"]
    assert isinstance(tick.trigger, IntervalTrigger) and tick.trigger.interval == timedelta(seconds=15)
    assert tick.func is tick_job  # module-level callbacks: a persistent job store could hold them
    assert jobs[f"digest:{seoul}"].func is digest_job and jobs["replan"].func is replan_job
    # The digest jobs fire at local time, DST included (computed with APScheduler's own API).
    seoul_next = jobs[f"digest:{seoul}"].trigger.get_next_fire_time(None, T0)
    assert seoul_next.isoformat() == "2025-10-21T08:00:00+09:00"  # T0 is 09:00 in Seoul
    ny_trigger = jobs[f"digest:{ny}"].trigger
    assert isinstance(ny_trigger, CronTrigger)
    fires, previous, now = [], None, T0
    for _ in range(3):
        nxt = ny_trigger.get_next_fire_time(previous, now)
        fires.append(nxt.astimezone(UTC).isoformat())
        previous, now = nxt, nxt + timedelta(seconds=1)
    assert fires == ["2025-10-20T12:00:00+00:00", "2025-10-27T12:00:00+00:00", "2025-11-03T13:00:00+00:00"]


def test_only_one_scheduler_per_database_in_a_process(store, db_path):
    async def main():
        a = SummitScheduler(Store(db_path), Settings(), FixedClock(T0), {})
        b = SummitScheduler(Store(db_path), Settings(), FixedClock(T0), {})
        await a.start()
        with pytest.raises(RuntimeError, match="already running"):
            await b.start()
        await a.shutdown()
        await b.start()  # the database is free again
        await b.shutdown()

    asyncio.run(main())


def test_jobs_fire_when_invoked_and_send_through_transports(store, db_path):
    seoul, _ny = setup_channels(store)
    store.insert_meeting(Meeting(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral",
                                 start=date(2025, 10, 22), end=date(2025, 10, 22)),
                         article_id=None, asof=None, now=T0 - timedelta(days=1))
    sent = []
    clock = FixedClock(T0)

    async def main():
        tr = CallbackTransport("console", lambda ch, reply, key: sent.append((ch.channel, reply.text)))
        sched = SummitScheduler(Store(db_path), Settings(), clock, {"console": tr}, owner="me")
        await sched.start()
        jobs = {job.id: job for job in sched.jobs()}
        # 08:00 in Seoul: the digest job fires (as APScheduler would call it).
        clock.set(datetime(2025, 10, 20, 23, 0, tzinfo=UTC))
        await jobs[f"digest:{seoul}"].func(*jobs[f"digest:{seoul}"].args)
        # 09:00 in Seoul on the 21st: the 1d reminder, via the tick job.
        clock.set(datetime(2025, 10, 21, 0, 0, tzinfo=UTC))
        await jobs["tick"].func(*jobs["tick"].args)
        await jobs["tick"].func(*jobs["tick"].args)  # nothing twice
        assert sched.last is not None and sched.last.sent == 0
        await sched.shutdown()

    asyncio.run(main())
    assert [(c, text.split(":")[0]) for c, text in sent] == [("seoul", "Daily digest"), ("seoul", "Reminder")]


def test_replan_job_syncs_digest_jobs_with_commands(store, db_path):
    async def main():
        sched = SummitScheduler(Store(db_path), Settings(), FixedClock(T0), {"console": CallbackTransport("console")})
        await sched.start()
        assert {job.id for job in sched.jobs()} == {"tick", "replan"}
        ch = ensure_channel(store, SEOUL, Settings(), T0)
        set_digest(store, ch, "weekly", T0, at="07:30", day="fri")
        await replan_job(sched.key)
        job = next(job for job in sched.jobs() if job.id.startswith("digest:"))
        assert job.trigger.get_next_fire_time(None, T0).isoformat() == "2025-10-24T07:30:00+00:00"
        set_digest(store, ch, "off", T0)
        await replan_job(sched.key)
        assert {job.id for job in sched.jobs()} == {"tick", "replan"}
        await sched.shutdown()

    asyncio.run(main())


def test_shutdown_releases_the_lease_for_the_next_process(store, db_path):
    async def main():
        a = SummitScheduler(Store(db_path), Settings(), FixedClock(T0), {}, owner="A")
        assert (await a.run_once()).lease_held
        assert lease_holder(store)[0] == "A"
        b = SummitScheduler(Store(db_path), Settings(), FixedClock(T0), {}, owner="B")
        assert not (await b.run_once()).lease_held
        await a.shutdown()
        await a.shutdown()  # twice is fine
        assert lease_holder(store) is None
        assert (await b.run_once()).lease_held
        await b.shutdown()

    asyncio.run(main())


def test_scheduler_on_an_in_memory_store():
    store = Store(":memory:")
    ch = ensure_channel(store, SEOUL, Settings(), T0)
    add_subscription(store, ch, lead="1d", now=T0)
    store.insert_meeting(Meeting(participants=["A B", "C D"], kind="talks", start=date(2025, 10, 21),
                                 end=date(2025, 10, 21)), article_id=None, asof=None, now=T0 - timedelta(days=2))
    sent = []

    async def main():
        tr = CallbackTransport("console", lambda ch, reply, key: sent.append(reply.render_text(str, str)))
        sched = SummitScheduler(store, Settings(), FixedClock(datetime(2025, 10, 20, 9, tzinfo=UTC)),
                                {"console": tr})
        await sched.start()
        result = await sched.run_once()
        await sched.shutdown()
        return result

    result = asyncio.run(main())
    assert result.sent == 1 and sent[0] == "Reminder: A B – C D starts tomorrow: Tue 21 Oct 2025."


def test_digest_trigger_in_a_dst_gap_zone():
    # 02:30 does not exist in Berlin on 29 Mar 2026; APScheduler skips to the next real instant.
    trigger = CronTrigger(hour=2, minute=30, timezone=ZoneInfo("Europe/Berlin"))
    nxt = trigger.get_next_fire_time(None, datetime(2026, 3, 28, 2, 0, tzinfo=UTC))
    assert nxt.astimezone(UTC) > datetime(2026, 3, 28, 2, 0, tzinfo=UTC)


def test_commands_are_answered_while_a_plan_runs_in_its_worker(store, db_path, tmp_path, monkeypatch):
    """A tick's plan held halfway (in its read transaction, in the planning process): a read and a write
    command are answered on the loop meanwhile, and the plan, once released, includes what the command wrote."""
    import os

    from bot.commands import Commands, Context, Services
    from bot.delivery.worker import PlanWorker
    from delivery_helpers import HOLD_FIFOS, plan_held

    seoul, _ny = setup_channels(store)
    with store.db.conn:
        mid = store.insert_meeting(Meeting(participants=["Xi Jinping", "Lee Jae-myung"], kind="bilateral",
                                           location="Gyeongju", start=date(2025, 10, 22), end=date(2025, 10, 22),
                                           certainty="confirmed"), article_id=None, asof=None, now=T0)
    entered, release = tmp_path / "entered", tmp_path / "release"
    os.mkfifo(entered)
    os.mkfifo(release)
    monkeypatch.setenv(HOLD_FIFOS, f"{entered}:{release}")
    commands = Commands(Services(store=Store(db_path), settings=Settings(now=T0)))
    admin = Context(platform="console", workspace="local", channel="ny", user="U1", is_admin=True)

    def read_fifo(path):
        with open(path) as f:
            return f.read()

    def write_fifo(path):
        with open(path, "w") as f:
            f.write("go")

    async def main():
        clock = FixedClock(T0)
        sched = SummitScheduler(Store(db_path), Settings(), clock, {"console": CallbackTransport("console")},
                                owner="me")
        sched.planner = PlanWorker(sched.path, plan_held)
        tick = asyncio.create_task(sched.run_once())
        loop = asyncio.get_running_loop()
        try:
            planner_pid = int(await asyncio.wait_for(loop.run_in_executor(None, read_fifo, entered), 60))
            shown = commands.handle(f"/summits show {mid}", admin)
            subscribed = commands.handle("/summits subscribe who:Xi lead:1d", admin)
            answered_while_held = not tick.done()
        finally:
            # O_RDWR never blocks on a FIFO: a plan that never came still finds its release (and the reader its writer).
            os.close(os.open(entered, os.O_RDWR | os.O_NONBLOCK))
            await asyncio.wait_for(loop.run_in_executor(None, write_fifo, release), 60)
        result = await tick
        await sched.shutdown()
        return shown, subscribed, answered_while_held, result, planner_pid

    shown, subscribed, answered_while_held, result, planner_pid = asyncio.run(main())
    assert answered_while_held
    assert shown.meetings[0].id == mid and subscribed.text.startswith("Subscribed this channel")
    assert planner_pid != os.getpid()  # planned in its own process, never on the loop's
    # The subscription written meanwhile was seen: the plan was computed again under the write lock.
    ny = store.db.execute("SELECT id FROM channels WHERE channel = 'ny'").fetchone()[0]
    planned = store.db.execute("SELECT channel_id, due FROM deliveries WHERE kind = 'reminder' AND meeting_id = ?"
                               " ORDER BY channel_id", [mid]).fetchall()
    assert (ny, "2025-10-21T13:00:00+00:00") in planned and any(c == seoul for c, _ in planned)
    assert result.plan is not None and result.plan.inserted >= 2
