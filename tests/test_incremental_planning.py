"""Incremental reminder planning: after any sequence of changes, a pass that looks only at what changed
leaves the deliveries table exactly as a full pass would (real SQLite files, an injected clock)."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.config import Settings
from bot.delivery import immediate, plan_deliveries
from bot.delivery.planning import plan_window
from bot.store import Store
from bot.subscriptions import (
    add_subscription,
    ensure_channel,
    remove_subscriptions,
    set_delivery_time,
    set_digest,
    set_timezone,
    subscriptions,
)
from bot.transport import ChannelRef
from tests.conftest import make_meeting

T0 = datetime(2025, 10, 1, 6, 0, tzinfo=timezone.utc)
PEOPLE = ["Donald Trump", "Lee Jae-myung", "Xi Jinping", "Vladimir Putin", "Emmanuel Macron", "Narendra Modi"]
KINDS = ["bilateral", "multilateral", "visit", "phone_call", "talks"]
ZONES = ["UTC", "Asia/Seoul", "America/New_York", "Pacific/Kiritimati"]
LEADS = ["1d", "7d,1d", "3d", "1d,6h", "30d"]


def rows(store: Store) -> list[tuple]:
    return store.db.execute(
        "SELECT channel_id, meeting_id, kind, due, ref, status FROM deliveries ORDER BY 1, 2, 3, 4, 5").fetchall()


def full_pass_changes(store: Store, settings: Settings, now: datetime) -> tuple[int, int, int]:
    """What a full pass would still insert, revive and withdraw (run in a transaction that is rolled back)."""
    with immediate(store, keep=False):
        r = plan_window(store, settings, now)
    return r.inserted, r.revived, r.withdrawn


class World:
    """Random but reproducible changes, each through the store's and the subscriptions' own functions."""

    def __init__(self, store: Store, rng: random.Random):
        self.store, self.rng, self.now = store, rng, T0
        self.channels = [ensure_channel(store, ChannelRef("slack", "T1", f"C{i}"), Settings(), T0) for i in range(4)]

    def day(self) -> date:
        return (self.now + timedelta(days=self.rng.randint(-3, 45))).date()

    def new_meeting(self) -> None:
        start = self.day()
        m = make_meeting(participants=self.rng.sample(PEOPLE, 2), kind=self.rng.choice(KINDS),
                         start=start, end=start + timedelta(days=self.rng.choice((0, 0, 2))),
                         certainty=self.rng.choice(("possible", "planned", "confirmed")),
                         precision=self.rng.choice(("day", "day", "range", "month")),
                         time=self.rng.choice((None, None, "15:00")), tz=self.rng.choice((None, "Europe/Paris")))
        with self.store.db.conn:
            self.store.insert_meeting(m, article_id=None, asof=None, now=self.now)

    def meeting_id(self) -> int | None:
        ids = [r[0] for r in self.store.db.execute("SELECT id FROM meetings ORDER BY id")]
        return self.rng.choice(ids) if ids else None

    def change_meeting(self) -> None:
        mid = self.meeting_id()
        if mid is None:
            return
        what = self.rng.choice(("move", "time", "status", "certainty", "kind", "person", "location"))
        with self.store.db.conn:
            if what == "move":
                start = self.day()
                self.store.update_meeting(mid, {"start": start, "end": start}, now=self.now)
                self.store.record_change(mid, "date", "before", start.isoformat(), None, None, now=self.now)
            elif what == "time":
                self.store.update_meeting(mid, {"time": self.rng.choice(("08:00", "20:30", None))}, now=self.now)
            elif what == "status":
                status = self.rng.choice(("cancelled", "postponed", "upcoming", "past"))
                self.store.update_meeting(mid, {"status": status}, now=self.now)
                self.store.record_change(mid, "status", "upcoming", status, None, None, now=self.now)
            elif what == "certainty":
                self.store.update_meeting(mid, {"certainty": "confirmed"}, now=self.now)
            elif what == "kind":
                self.store.update_meeting(mid, {"kind": self.rng.choice(KINDS)}, now=self.now)
            elif what == "person":
                self.store.set_participants(mid, [self.rng.choice(PEOPLE)])
            else:
                self.store.update_meeting(mid, {"location": self.rng.choice(("Seoul", "Paris", "Delhi"))},
                                          now=self.now)

    def change_channel(self) -> None:
        ch = self.rng.choice(self.channels)
        what = self.rng.choice(("subscribe", "subscribe", "unsubscribe", "zone", "hour", "digest"))
        if what == "subscribe":
            filters = self.rng.choice(({}, {"who": self.rng.choice(PEOPLE).split()[-1]},
                                       {"kind": self.rng.choice(KINDS), "min_certainty": "confirmed"}))
            add_subscription(self.store, ch, lead=self.rng.choice(LEADS), now=self.now, **filters)
        elif what == "unsubscribe":
            subs = subscriptions(self.store, ch.id)
            if subs:
                remove_subscriptions(self.store, ch, self.rng.choice(subs).id, self.now)
        elif what == "zone":
            set_timezone(self.store, ch, self.rng.choice(ZONES), self.now)
        elif what == "hour":
            set_delivery_time(self.store, ch, self.rng.choice(("07:00", "09:30", "18:00")), self.now)
        else:
            set_digest(self.store, ch, self.rng.choice(("daily", "off")), self.now, at="08:00")

    def step(self) -> None:
        for _ in range(self.rng.randint(0, 3)):
            self.rng.choice((self.new_meeting, self.new_meeting, self.change_meeting, self.change_meeting,
                             self.change_channel))()
        self.now += timedelta(hours=self.rng.choice((0, 1, 6, 30)))


@pytest.mark.parametrize("seed", range(6))
def test_incremental_passes_leave_what_a_full_pass_would(tmp_path, seed):
    store = Store(str(tmp_path / "plan.db"))
    world = World(store, random.Random(seed))
    settings = Settings()
    for _ in range(8):
        world.new_meeting()
    first = plan_deliveries(store, settings, world.now)
    assert not first.incremental  # nothing planned before: a full pass
    incremental = 0
    for _ in range(40):
        world.step()
        result = plan_deliveries(store, settings, world.now)
        incremental += result.incremental
        assert full_pass_changes(store, settings, world.now) == (0, 0, 0)
    assert incremental >= 30
    assert store.db.execute("SELECT count(*) FROM deliveries WHERE kind = 'reminder'").fetchone()[0] > 0


def test_same_rows_as_a_database_planned_in_full_every_tick(tmp_path):
    a, b = Store(str(tmp_path / "a.db")), Store(str(tmp_path / "b.db"))
    worlds = [World(a, random.Random(7)), World(b, random.Random(7))]
    settings = Settings()
    for _ in range(30):
        for world in worlds:
            world.step()
        plan_deliveries(a, settings, worlds[0].now)
        plan_deliveries(b, settings, worlds[1].now, full=True)
        assert rows(a) == rows(b)


def subscribed_world(tmp_path, seed: int, meetings: int, lead: str) -> tuple[Store, World]:
    """A database with ``meetings`` random meetings and one subscription in the first channel."""
    store = Store(str(tmp_path / "plan.db"))
    world = World(store, random.Random(seed))
    for _ in range(meetings):
        world.new_meeting()
    add_subscription(store, world.channels[0], lead=lead, now=world.now)
    return store, world


def test_a_quiet_tick_reads_no_meeting_and_the_log_is_emptied(tmp_path):
    store, world = subscribed_world(tmp_path, 3, 20, "7d,1d")
    plan_deliveries(store, Settings(), world.now)
    assert store.db.execute("SELECT count(*) FROM plan_log").fetchone()[0] == 0
    quiet = plan_deliveries(store, Settings(), world.now + timedelta(seconds=30))
    assert quiet.incremental and quiet.meetings == 0 and quiet.inserted == quiet.withdrawn == 0
    # The watermark keeps its place though the log is empty (it never goes back to 0).
    mark = store.db.execute("SELECT value FROM scheduler_state WHERE key = 'plan_seq'").fetchone()[0]
    assert int(mark) >= 20
    world.now += timedelta(minutes=1)
    world.change_meeting()
    busy = plan_deliveries(store, Settings(), world.now)
    assert busy.incremental and busy.meetings <= 1


def test_a_database_from_before_the_log_gets_one_full_pass_then_incremental_ones(tmp_path):
    store, world = subscribed_world(tmp_path, 5, 10, "1d")
    with store.db.conn:  # as planned by a version without the watermark
        store.db.execute("INSERT INTO scheduler_state (key, value) VALUES ('planned_at', ?)", [world.now.isoformat()])
    assert not plan_deliveries(store, Settings(), world.now).incremental
    assert plan_deliveries(store, Settings(), world.now + timedelta(minutes=1)).incremental


def test_a_shorter_horizon_is_planned_in_full(tmp_path):
    store, world = subscribed_world(tmp_path, 9, 10, "1d")
    ch = world.channels[0]
    long = add_subscription(store, ch, lead="30d", now=world.now)
    plan_deliveries(store, Settings(), world.now)
    remove_subscriptions(store, ch, long.id, world.now)
    again = plan_deliveries(store, Settings(), world.now + timedelta(minutes=1))
    assert not again.incremental
    assert full_pass_changes(store, Settings(), world.now + timedelta(minutes=1)) == (0, 0, 0)
