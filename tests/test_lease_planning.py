"""Planning under the sending lease, and sending after an unsubscribe, when a pass writes in slices.

1. A pass that outlives its lease (a first plan of a large database can take longer than lease_seconds) while a
   second bot process takes the lease over and plans: the older pass must write nothing after the takeover and
   move no watermark back, or it withdraws rows the newer pass wanted and the plan log that would have put
   them back is gone.
2. 'Unsubscribe all' landing mid-pass when no follow-up pass is left: a reminder the pass writes after it must
   not go out in the same tick.

Real SQLite files, an injected clock; the pause between slices goes to a hook that plays the other process."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.config import Settings
from bot.delivery import CallbackTransport, acquire_lease, plan_deliveries, planning, run_tick, send_due, writes
from bot.delivery.lease import Fence
from bot.delivery.ledger import get_state
from bot.delivery.scope import PLAN_SEQ
from bot.delivery.writes import Slicing
from bot.store import Store
from bot.subscriptions import add_subscription, ensure_channel, remove_subscriptions, set_timezone, subscriptions
from bot.transport import ChannelRef
from delivery_helpers import add_meeting, at, run
from test_incremental_planning import full_pass_changes, rows
from test_sliced_planning import world

LEASE = 60.0


def _busiest_meeting(store: Store) -> tuple[int, str, str]:
    mid = store.db.execute("""SELECT meeting_id FROM deliveries WHERE kind = 'reminder' AND status = 'pending'
                              GROUP BY meeting_id ORDER BY count(*) DESC, meeting_id LIMIT 1""").fetchone()[0]
    start, end = store.db.execute('SELECT start, "end" FROM meetings WHERE id = ?', [mid]).fetchone()
    return mid, start, end


def _move(store: Store, mid: int, start: str, end: str, now) -> None:
    with store.db.conn:
        store.update_meeting(mid, {"start": start, "end": end}, now=now)


def _fence(store: Store, owner: str, now) -> Fence:
    lease = acquire_lease(store, owner, now, LEASE)
    assert lease.held
    return Fence(owner, lease.generation, LEASE)


def test_a_pass_that_outlived_its_lease_stops_when_another_process_takes_it_over(tmp_path, monkeypatch):
    store, w = world(tmp_path, "overlap.db")
    settings = Settings()
    plan_deliveries(store, settings, w.now)
    mid, start, end = _busiest_meeting(store)
    before = rows(store)
    # The meeting moves: process A's pass will insert its new reminders and withdraw the old ones.
    moved = (w.now + timedelta(days=20)).date().isoformat()
    _move(store, mid, moved, moved, w.now)
    a_fence = _fence(store, "A", w.now)
    b_store = Store(str(tmp_path / "overlap.db"))  # process B's connection
    later = w.now + timedelta(seconds=2 * LEASE)  # A's plan has taken longer than its lease
    took_over = []

    def between(seconds):
        if took_over:
            return
        # After A's first slice: the meeting moves back, B takes the lapsed lease and plans it all.
        _move(b_store, mid, start, end, w.now)
        took_over.append(plan_deliveries(b_store, settings, later, fence=_fence(b_store, "B", later)))

    monkeypatch.setattr(writes, "SLICING", Slicing(rows=4, seconds=60.0, pause=1.0, sleep=between))
    a = plan_deliveries(store, settings, w.now, fence=a_fence)
    assert took_over and not took_over[0].lease_lost
    # The meeting's old reminders (B wanted them) are pending, none lost, and the ledger is what a full plan
    # wants (none of A's reminders for the date it moved from is left pending).
    pending_before = [r for r in before if r[1] == mid and r[5] == "pending"]
    assert pending_before and [r for r in rows(store) if r[1] == mid and r[5] == "pending"] == pending_before
    monkeypatch.setattr(writes, "SLICING", Slicing())
    assert full_pass_changes(store, settings, later) == (0, 0, 0)
    assert a.lease_lost  # A found the lease in B's generation and stopped
    position = store.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'plan_log'").fetchone()[0]
    assert int(get_state(store, PLAN_SEQ)) == position  # B's watermark, not A's older one


def test_the_older_pass_moves_no_watermark_back_even_without_a_lease(tmp_path, monkeypatch):
    """Two passes with no fence (a command-line plan beside the bot): the one that read first and finishes last
    leaves the newer pass's watermark, whose plan-log rows are deleted."""
    store, w = world(tmp_path, "marks.db")
    settings = Settings()
    plan_deliveries(store, settings, w.now)
    mid, start, end = _busiest_meeting(store)
    moved = (w.now + timedelta(days=20)).date().isoformat()
    _move(store, mid, moved, moved, w.now)
    other = Store(str(tmp_path / "marks.db"))
    newer = []

    def between(seconds):
        if not newer:
            _move(other, mid, start, end, w.now)
            newer.append(plan_deliveries(other, settings, w.now))

    monkeypatch.setattr(writes, "SLICING", Slicing(rows=4, seconds=60.0, pause=1.0, sleep=between))
    monkeypatch.setattr(planning, "FOLLOW_UPS", 0)  # the older pass ends after its one pass
    plan_deliveries(store, settings, w.now)
    assert newer
    position = store.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'plan_log'").fetchone()[0]
    assert int(get_state(store, PLAN_SEQ)) == position


def test_a_tick_whose_plan_lost_the_lease_sends_nothing(tmp_path, monkeypatch):
    """run_tick plans under its lease's generation: taken over mid-plan, the pass stops and the tick ends unsent."""
    store, w = world(tmp_path, "tick.db")
    other = Store(str(tmp_path / "tick.db"))
    later = w.now + timedelta(seconds=2 * LEASE)

    def between(seconds):
        acquire_lease(other, "B", later, LEASE)

    monkeypatch.setattr(writes, "SLICING", Slicing(rows=4, seconds=60.0, pause=1.0, sleep=between))
    transport = CallbackTransport("slack")
    result = run(run_tick(store, Settings(), w.now, {"slack": transport}, "A"))
    assert result.lease_lost and result.plan.lease_lost and not transport.sent
    assert len(rows(store)) == 4  # the slice written before the takeover; no more
    assert get_state(store, PLAN_SEQ) is None  # no watermark: B's next pass plans it all


# -- 2. reminders after 'unsubscribe all' -----------------------------------------------------------------


@pytest.mark.parametrize("again", [None, "Putin"])
def test_a_reminder_written_after_unsubscribe_all_is_not_sent(tmp_path, monkeypatch, again):
    """The pass's last follow-up is used up (FOLLOW_UPS = 0 here: the pass is the last one of its tick) when the
    channel unsubscribes between its slices; the reminder it writes after that must not go out, neither when
    the channel has no subscription left nor when it subscribed again to something else (``again``)."""
    path = str(tmp_path / "unsub.db")
    store = Store(path)
    now = at("2025-10-01T00:30Z")
    day = at("2025-10-02T00:00Z").date()
    chans = []
    for name in ("stays", "leaves"):  # 'leaves' has the larger id: its rows are written last
        ch = ensure_channel(store, ChannelRef("console", "local", name), Settings(delivery_time="09:00"), now)
        set_timezone(store, ch, "Asia/Seoul", now)
        add_subscription(store, ch, lead="1d", now=now - timedelta(days=1))
        chans.append(ch)
    with store.db.conn:
        for _ in range(3):
            add_meeting(store, day, now=now - timedelta(days=1))
    command = Store(path)
    removed: list[bool] = []

    def between(seconds):
        if subscriptions(command, chans[1].id) and not removed:
            remove_subscriptions(command, chans[1], None, now)
            removed.append(True)
            if again:
                add_subscription(command, chans[1], lead="1d", now=now, who=again)

    monkeypatch.setattr(writes, "SLICING", Slicing(rows=1, seconds=60.0, pause=1.0, sleep=between))
    monkeypatch.setattr(planning, "FOLLOW_UPS", 0)
    transport = CallbackTransport("console")
    result = run(run_tick(store, Settings(), now, {"console": transport}, "A"))
    assert result.plan is not None and result.plan.inserted == 6  # due 09:00 Seoul = 00:00Z, sent late-ish
    got = [ref.channel for ref, _, _ in transport.sent]
    assert got.count("stays") == 3
    assert "leaves" not in got
    if again:  # left pending this tick (the channel changed since the pass's watermark); the next one withdraws
        monkeypatch.setattr(writes, "SLICING", Slicing())
        later = run(run_tick(store, Settings(), now + timedelta(seconds=30), {"console": transport}, "A"))
        assert later.plan.withdrawn == 3 and len(transport.sent) == 3
    statuses = {r[0] for r in store.db.execute(
        "SELECT status FROM deliveries WHERE channel_id = ? AND kind = 'reminder'", [chans[1].id])}
    assert statuses == {"withdrawn"}


@pytest.mark.parametrize("kind", ["reminder", "change"])
def test_nothing_goes_to_a_channel_without_an_active_subscription(tmp_path, kind):
    """Whatever the planner did: a pending reminder or alert of a channel with no subscription left is withdrawn
    when the sender comes to claim it, not sent; a failure notice to the same channel still goes."""
    path = str(tmp_path / "claim.db")
    store = Store(path)
    now = at("2025-10-01T00:30Z")
    ch = ensure_channel(store, ChannelRef("console", "local", "gone"), Settings(), now)
    sub = add_subscription(store, ch, lead="1d", now=now - timedelta(days=1))
    with store.db.conn:
        mid = add_meeting(store, at("2025-10-02T00:00Z").date(), now=now - timedelta(days=1))
    remove_subscriptions(store, ch, sub.id, now)
    stamp = "2025-10-01T00:00:00Z"
    with store.db.conn:
        for k, ref in ((kind, "1"), ("notice", "7")):
            store.db.execute("""INSERT INTO deliveries (channel_id, meeting_id, kind, due, ref, status, payload,
                                    created, updated) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?)""",
                             [ch.id, mid, k, stamp, ref,
                              '{"failed": 1, "kind": "reminder", "error": "x"}' if k == "notice"
                              else '{"lead": "1d", "events": ["postponed"], "changes": [1]}', stamp, stamp])
    transport = CallbackTransport("console")
    run(send_due(store, Settings(), now, {"console": transport}, "A"))
    status = dict(store.db.execute("SELECT kind, status FROM deliveries").fetchall())
    assert status[kind] == "withdrawn"
    assert status["notice"] == "sent"
    assert len(transport.sent) == 1


@pytest.mark.parametrize("change", ["cancelled", "moved"])
def test_a_reminder_of_a_meeting_changed_after_its_pass_waits_for_the_next(tmp_path, change):
    """The meeting is called off (or moved) after the pass planned its reminder and before the sender claims
    it: the reminder does not go out on the old plan; the next tick's pass withdraws it."""
    path = str(tmp_path / "changed.db")
    store = Store(path)
    planned = at("2025-10-01T00:30Z")
    ch = ensure_channel(store, ChannelRef("console", "local", "watch"), Settings(), planned)
    add_subscription(store, ch, lead="1d", now=planned - timedelta(days=1))
    with store.db.conn:
        mid = add_meeting(store, at("2025-10-02T00:00Z").date(), now=planned - timedelta(days=1))
    plan_deliveries(store, Settings(), planned)
    due = store.db.execute("SELECT due FROM deliveries WHERE kind = 'reminder' AND status = 'pending'").fetchone()[0]
    assert due == "2025-10-01T09:00:00+00:00"
    with store.db.conn:
        if change == "cancelled":
            store.update_meeting(mid, {"status": "cancelled"}, now=at("2025-10-01T09:10Z"))
        else:
            store.update_meeting(mid, {"start": "2025-10-05", "end": "2025-10-05"}, now=at("2025-10-01T09:10Z"))
    transport = CallbackTransport("console")
    run(send_due(store, Settings(), at("2025-10-01T09:30Z"), {"console": transport}, "A"))
    assert transport.sent == []  # due, but planned on what the meeting no longer is
    run(run_tick(store, Settings(), at("2025-10-01T09:31Z"), {"console": transport}, "A"))
    reminders = dict(store.db.execute("SELECT due, status FROM deliveries WHERE kind = 'reminder'").fetchall())
    assert reminders[due] == "withdrawn"
    assert not any(status == "sent" for status in reminders.values())
