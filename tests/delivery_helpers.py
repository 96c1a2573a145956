"""Helpers shared by the delivery tests (tests/test_delivery_*.py): a channel, a subscription, a meeting,
the deliveries table, a transport that records, and the seed situation."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, timedelta

from bot.config import Settings, parse_now
from bot.delivery import CallbackTransport
from bot.models import Meeting
from bot.store import Store
from bot.subscriptions import add_subscription, ensure_channel, set_timezone
from bot.transport import ChannelRef

SEOUL = ChannelRef("console", "local", "seoul")


def at(text: str) -> datetime:
    return parse_now(text)


def run(coro):
    return asyncio.run(coro)


def settings(**kw) -> Settings:
    return Settings().with_(**kw)


def add_meeting(store: Store, day: date | None, *, who=("Donald Trump", "Lee Jae-myung"), kind="bilateral",
                now: datetime, end: date | None = None, status="upcoming", certainty="planned",
                time: str | None = None, tz: str | None = None, location="Gyeongju", precision="day") -> int:
    m = Meeting(participants=list(who), kind=kind, location=location, start=day,
                end=end if end is not None else day, tense=status, certainty=certainty, time=time,
                precision=precision, sentence="Trump plans to have talks with Lee on Wednesday.")
    mid = store.insert_meeting(m, article_id=None, asof=None, now=now)
    if tz:
        store.update_meeting(mid, {"tz": tz}, now=now)
    return mid


def channel(store: Store, ref: ChannelRef = SEOUL, tz: str = "Asia/Seoul", now: datetime | None = None,
            delivery_time: str = "09:00"):
    now = now or at("2025-10-01T00:00Z")
    ch = ensure_channel(store, ref, Settings(delivery_time=delivery_time), now)
    set_timezone(store, ch, tz, now)
    return ch


def subscribe(store: Store, ch, now: datetime, **kw):
    kw.setdefault("lead", "1d")
    return add_subscription(store, ch, now=now, **kw)


def rows(store: Store, where: str = "1", params=()) -> list[dict]:
    cur = store.db.execute(f"SELECT * FROM deliveries WHERE {where} ORDER BY due, id", list(params))
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r)) for r in cur.fetchall()]


class Recorder(CallbackTransport):
    """A console transport that remembers what it posted; can fail on demand."""

    def __init__(self, platform="console"):
        super().__init__(platform)
        self.failures: list[Exception] = []

    async def send(self, channel, reply, *, idempotency_key):
        if self.failures:
            raise self.failures.pop(0)
        await asyncio.sleep(0)  # let interleaved schedulers run
        return await super().send(channel, reply, idempotency_key=idempotency_key)


# -- the seed situation --------------------------------------------------------------------------------


NOW = at("2025-10-24T00:00+09:00")


def seed(store: Store) -> int:
    """Trump–Lee bilateral on 2025-10-29, a past call in June, a cancelled and a month-only meeting."""
    mid = add_meeting(store, date(2025, 10, 29), now=NOW, certainty="confirmed")
    add_meeting(store, date(2025, 6, 5), kind="phone_call", now=NOW - timedelta(days=140))
    add_meeting(store, date(2025, 10, 30), status="past", now=NOW)
    add_meeting(store, date(2025, 10, 30), who=("Xi Jinping", "Donald Trump"), status="cancelled", now=NOW)
    add_meeting(store, date(2025, 11, 1), end=date(2025, 11, 30), who=("Lee Jae-myung", "Xi Jinping"),
                precision="month", now=NOW)
    return mid


# -- a plan held in the planning process -------------------------------------------------------------

HOLD_FIFOS = "SUMMITBOT_TEST_HOLD_FIFOS"  # "entered:release": two FIFOs (os.mkfifo) the held plan opens


def plan_held(store: Store, settings: Settings, now: datetime, **options):
    """plan_deliveries, held once inside its read transaction (in the planning process) until released.

    It writes its process id to the first FIFO named in $SUMMITBOT_TEST_HOLD_FIFOS, then waits until the
    second one is written; opening a FIFO blocks until the other side opens it, so no polling is needed.
    """
    import os

    from bot.delivery import planning

    real = planning._desire_reminders

    def held(*args, **kwargs):
        planning._desire_reminders = real
        entered, release = os.environ[HOLD_FIFOS].split(":")
        with open(entered, "w") as f:
            f.write(str(os.getpid()))
        with open(release) as f:
            f.read()
        return real(*args, **kwargs)

    planning._desire_reminders = held
    try:
        return planning.plan_deliveries(store, settings, now, **options)
    finally:
        planning._desire_reminders = real


DIE_ONCE = "SUMMITBOT_TEST_DIE_ONCE"  # a file: the first pass that finds it missing creates it and kills its process


def plan_dies_once(store: Store, settings: Settings, now: datetime, **options):
    """plan_deliveries, except that the first pass ends its process mid-pass (exit code 3), as a kill would."""
    import os

    from bot.delivery import plan_deliveries

    marker = os.environ[DIE_ONCE]
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(3)
    return plan_deliveries(store, settings, now, **options)


def plan_locked(store: Store, settings: Settings, now: datetime, **options):
    """A pass that meets a lock held past the busy timeout."""
    import sqlite3

    raise sqlite3.OperationalError("database is locked")


def plan_niceness(store: Store, settings: Settings, now: datetime, **options):
    """A pass that answers with its process's niceness and id, and plans nothing."""
    import os

    return os.nice(0), os.getpid()


class Unrebuilt(Exception):
    """An exception that pickles but does not unpickle (its __init__ wants two arguments, its args hold one)."""

    def __init__(self, what: str, where: str):
        super().__init__(f"{what} in {where}")


FAIL_ONCE = "SUMMITBOT_TEST_FAIL_ONCE"  # a file: the first pass that finds it missing creates it and raises


def plan_fails_once_unpicklably(store: Store, settings: Settings, now: datetime, **options):
    """plan_deliveries, except that the first pass raises an exception the parent cannot unpickle."""
    import os

    from bot.delivery import plan_deliveries

    marker = os.environ[FAIL_ONCE]
    if not os.path.exists(marker):
        open(marker, "w").close()
        raise Unrebuilt("a failure", "the planner")
    return plan_deliveries(store, settings, now, **options)
