"""Deliveries: sending after a crash, the lease, two senders (in one process and in two), retries, gone
channels, resending failures from the CLI and a locked database (real SQLite files)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.clock import FixedClock
from bot.delivery import (
    CallbackTransport,
    acquire_lease,
    idempotency_key,
    plan_deliveries,
    release_lease,
    run_tick,
    send_due,
)
from bot.scheduler import SummitScheduler
from bot.store import Store
from bot.subscriptions import get_channel, subscriptions
from bot.transport import ChannelGone, ChannelRef, TransientSendError
from tests.delivery_helpers import Recorder, add_meeting, at, channel, rows, run, settings, subscribe

ROOT = Path(__file__).resolve().parent.parent


# -- crash, lease, two senders ------------------------------------------------------------------------------


def _due_setup(store: Store, n: int, now: datetime) -> None:
    """n channels each with one reminder due at ``now``."""
    day = (now + timedelta(days=1)).date()
    add_meeting(store, day, now=now - timedelta(days=3))
    for i in range(n):
        ch = channel(store, ChannelRef("console", "local", f"c{i}"), tz="UTC", now=now - timedelta(days=3),
                     delivery_time="00:00")
        subscribe(store, ch, now - timedelta(days=3), lead="1d")
    plan_deliveries(store, settings(delivery_time="00:00"), now - timedelta(days=2))


def test_killed_while_sending_resends_only_the_in_flight_message_once(store, db_path):
    now = at("2025-10-28T00:00Z")
    _due_setup(store, 5, now)
    s = settings(delivery_time="00:00")
    first, *others = rows(store, "status = 'pending'")
    # Simulate a sender that claimed one row and died: row left `sending`, its lease expired.
    store.db.execute("UPDATE deliveries SET status = 'sending', owner = 'dead', attempts = 1 WHERE id = ?",
                     [first["id"]])
    store.db.execute("INSERT INTO leases (name, owner, expires, acquired) VALUES ('sender', 'dead', ?, ?)",
                     ["2025-10-27T23:59:00+00:00", "2025-10-27T23:00:00+00:00"])
    store.db.conn.commit()
    tr = Recorder()
    # While the dead owner's lease is still valid nobody sends.
    blocked = run(run_tick(store, s, at("2025-10-27T23:58:00Z"), {"console": tr}, "new"))
    assert not blocked.lease_held and tr.sent == []
    result = run(SummitScheduler(Store(db_path), s, FixedClock(now), {"console": tr}, owner="new").run_once())
    assert result.recovered == 1 and result.sent == 5
    keys = [k for _, _, k in tr.sent]
    assert len(keys) == len(set(keys)) == 5
    first_key = idempotency_key(first["channel_id"], first["meeting_id"], "reminder", first["due"], "")
    assert first_key in keys and keys.count(first_key) == 1
    assert rows(store, "id = ?", [first["id"]])[0]["idem_key"] == first_key
    assert all(r["status"] == "sent" for r in rows(store))
    assert [r["recovered"] for r in rows(store, "id = ?", [first["id"]])] == [1]
    # A second restart sends nothing again.
    again = run(SummitScheduler(Store(db_path), s, FixedClock(now + timedelta(hours=1)), {"console": tr},
                                owner="third").run_once())
    assert again.sent == 0 and len(tr.sent) == 5


def test_in_flight_again_and_again_is_resent_until_its_attempts_are_used_then_the_channel_is_told(store, caplog):
    now = at("2025-10-28T00:00Z")
    _due_setup(store, 1, now)
    s = settings(delivery_time="00:00", max_attempts=3)
    [row] = rows(store)
    store.db.execute("UPDATE deliveries SET status = 'sending', owner = 'dead', recovered = 1, attempts = 1 "
                     "WHERE id = ?", [row["id"]])
    store.db.conn.commit()
    tr = Recorder()
    result = run(run_tick(store, s, now, {"console": tr}, "new"))
    assert result.recovered == 1 and result.sent == 1  # found in flight a second time: still sent, never dropped
    # In flight once more, its attempts used up: failed, logged, and the channel is told how to resend it.
    store.db.execute("UPDATE deliveries SET status = 'sending', owner = 'dead', attempts = 3 WHERE id = ?",
                     [row["id"]])
    store.db.conn.commit()
    result = run(run_tick(store, s, now + timedelta(minutes=2), {"console": tr}, "newer"))
    assert result.failed == 1 and rows(store, "id = ?", [row["id"]])[0]["status"] == "failed"
    notice = tr.sent[-1][1]
    assert notice.kind == "error" and f"summitbot deliveries --resend {row['id']}" in notice.text
    assert [r["kind"] for r in rows(store, "status = 'sent'")] == ["notice"]
    assert f"`summitbot deliveries --resend {row['id']}` sends it again" in caplog.text


def test_two_schedulers_on_one_file_interleaved_send_each_reminder_once(db_path, store):
    now = at("2025-10-28T00:00Z")
    _due_setup(store, 20, now)
    s = settings(delivery_time="00:00", lease_seconds=60)
    tr_a, tr_b = Recorder(), Recorder()
    clock = FixedClock(now)
    a = SummitScheduler(Store(db_path), s, clock, {"console": tr_a}, owner="A")
    b = SummitScheduler(Store(db_path), s, clock, {"console": tr_b}, owner="B")

    async def both():
        return await asyncio.gather(a.run_once(), b.run_once(), a.run_once(), b.run_once())

    results = run(both())
    assert sum(r.sent for r in results) == 20
    assert len(tr_a.sent) + len(tr_b.sent) == 20
    assert {k for _, _, k in tr_a.sent}.isdisjoint({k for _, _, k in tr_b.sent})
    assert sum(r.lease_held for r in results) == 2  # only one owner held the lease
    # The holder dies silently; after its lease expires the other takes over new work.
    holder, other = (a, b) if tr_a.sent else (b, a)
    add_meeting(store, date(2025, 10, 29), who=("Xi Jinping", "Donald Trump"), now=now)
    clock.advance(seconds=30)
    assert run(other.run_once()).lease_held is False
    clock.advance(seconds=61)
    took = run(other.run_once())
    assert took.lease_held and took.sent == 40  # a "new summit" alert and its 1d reminder, per channel
    assert run(holder.run_once()).lease_held is False
    run(a.shutdown())
    run(b.shutdown())


def test_lease_holder_that_lost_the_lease_stops_sending(store):
    now = at("2025-10-28T00:00Z")
    _due_setup(store, 3, now)
    s = settings(delivery_time="00:00")
    assert acquire_lease(store, "A", now, 60).held
    # B takes over after A's lease expired (A was stalled); A must not claim anything any more.
    assert acquire_lease(store, "B", now + timedelta(seconds=61), 60).held
    tr = Recorder()
    result = run(send_due(store, s, now + timedelta(seconds=62), {"console": tr}, "A"))
    assert not result.lease_held and tr.sent == []
    release_lease(store, "B")
    assert run(send_due(store, s, now + timedelta(seconds=63), {"console": tr}, "A")).sent == 3


WORKER = textwrap.dedent("""
    import asyncio, json, os, sys
    sys.path.insert(0, {root!r})
    from bot.clock import FixedClock
    from bot.config import Settings, parse_now
    from bot.delivery import CallbackTransport, release_lease
    from bot.scheduler import SummitScheduler
    from bot.store import Store

    db, owner, out, now, crash_after = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    posted = 0

    def record(channel, reply, key):
        global posted
        with open(out, "a") as fh:
            fh.write(json.dumps([owner, key]) + "\\n")
        posted += 1
        if posted == crash_after:
            os._exit(9)  # killed after the platform took the message, before it was marked sent

    async def main():
        print("ready", flush=True)
        sys.stdin.readline()  # wait for the test's "go" so both processes really compete
        settings = Settings(delivery_time="00:00", lease_seconds=60)
        sched = SummitScheduler(Store(db), settings, FixedClock(parse_now(now)),
                                {{"console": CallbackTransport("console", record)}}, owner=owner, batch=1)
        for _ in range(80):
            result = await sched.run_once()
            if result.lease_held:
                release_lease(sched.store, owner)  # let the other process compete for every tick
        await sched.shutdown()

    asyncio.run(main())
""")


def _workers(tmp_path, db_path, specs: list[tuple[str, str, int]]) -> list[int]:
    """Run worker processes (owner, now, crash_after) together; return their exit codes."""
    script = tmp_path / "worker.py"
    script.write_text(WORKER.format(root=str(ROOT)))
    out = tmp_path / "sent.jsonl"
    procs = [subprocess.Popen([sys.executable, str(script), db_path, owner, str(out), now, str(crash)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
             for owner, now, crash in specs]
    assert [p.stdout.readline().strip() for p in procs] == ["ready"] * len(procs)
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    codes = [p.wait(timeout=120) for p in procs]
    for p in procs:
        p.stdin.close()
        p.stdout.close()
    return codes


def _posted(tmp_path) -> list[tuple[str, str]]:
    return [tuple(json.loads(line)) for line in (tmp_path / "sent.jsonl").read_text().splitlines()]


def test_two_processes_send_each_reminder_exactly_once(tmp_path, store, db_path):
    now = at("2025-10-28T00:00Z")
    _due_setup(store, 60, now)
    assert _workers(tmp_path, db_path, [("P1", "2025-10-28T00:00Z", 0), ("P2", "2025-10-28T00:00Z", 0)]) == [0, 0]
    keys = [k for _, k in _posted(tmp_path)]
    assert len(keys) == 60 and len(set(keys)) == 60
    assert all(r["status"] == "sent" for r in rows(store))


def test_process_killed_mid_send_then_restarted_duplicates_at_most_the_in_flight_one(tmp_path, store, db_path):
    now = at("2025-10-28T00:00Z")
    _due_setup(store, 30, now)
    # P1 is killed right after its 10th post; it never releases its lease.
    assert _workers(tmp_path, db_path, [("P1", "2025-10-28T00:00Z", 10)]) == [9]
    assert [r["owner"] for r in rows(store, "status = 'sending'")] == ["P1"]
    # P2 restarts later than P1's lease: it resends the in-flight message once (same key), then the rest.
    assert _workers(tmp_path, db_path, [("P2", "2025-10-28T00:02Z", 0)]) == [0]
    posted = _posted(tmp_path)
    keys = [k for _, k in posted]
    assert len(set(keys)) == 30
    duplicated = {k for k in keys if keys.count(k) > 1}
    assert len(keys) == 31 and len(duplicated) == 1
    assert [o for o, k in posted if k in duplicated] == ["P1", "P2"]
    assert all(r["status"] == "sent" for r in rows(store))
    assert sum(r["recovered"] for r in rows(store)) == 1


# -- retries and gone channels --------------------------------------------------------------------------------


def test_transient_errors_retry_with_backoff_then_fail(store):
    now = at("2025-10-28T00:00Z")
    _due_setup(store, 1, now)
    s = settings(delivery_time="00:00", max_attempts=3)
    tr = Recorder()
    tr.failures = [TransientSendError("rate limited", retry_after=120), TransientSendError("502"),
                   TransientSendError("502")]
    r1 = run(run_tick(store, s, now, {"console": tr}, "me"))
    [row] = rows(store)
    assert r1.retried == 1 and row["status"] == "pending" and row["attempts"] == 1
    assert row["next_attempt_at"] == "2025-10-28T00:02:00+00:00"  # retry_after beats the 30 s backoff
    assert run(run_tick(store, s, now + timedelta(seconds=119), {"console": tr}, "me")).retried == 0
    r2 = run(run_tick(store, s, now + timedelta(seconds=120), {"console": tr}, "me"))
    assert r2.retried == 1
    assert rows(store)[0]["next_attempt_at"] == "2025-10-28T00:03:00+00:00"  # 60 s: doubled
    r3 = run(run_tick(store, s, now + timedelta(seconds=180), {"console": tr}, "me"))
    assert r3.failed == 1 and rows(store)[0]["status"] == "failed" and rows(store)[0]["attempts"] == 3
    assert tr.sent == []


def test_transient_error_then_success_is_sent_once(store):
    now = at("2025-10-28T00:00Z")
    _due_setup(store, 1, now)
    s = settings(delivery_time="00:00")
    tr = Recorder()
    tr.failures = [TransientSendError("timeout")]
    run(run_tick(store, s, now, {"console": tr}, "me"))
    run(run_tick(store, s, now + timedelta(seconds=30), {"console": tr}, "me"))
    assert len(tr.sent) == 1 and rows(store)[0]["status"] == "sent" and rows(store)[0]["attempts"] == 2


def test_channel_gone_disables_its_subscriptions(store):
    now = at("2025-10-28T00:00Z")
    _due_setup(store, 2, now)
    add_meeting(store, date(2025, 10, 30), who=("Xi Jinping", "Donald Trump"), now=now - timedelta(days=3))
    plan_deliveries(store, settings(delivery_time="00:00"), now - timedelta(days=2))
    s = settings(delivery_time="00:00")

    class GoneForC0(Recorder):
        async def send(self, channel, reply, *, idempotency_key):
            if channel.channel == "c0":
                raise ChannelGone("channel_not_found")
            return await super().send(channel, reply, idempotency_key=idempotency_key)

    tr = GoneForC0()
    result = run(run_tick(store, s, now, {"console": tr}, "me"))
    assert result.gone == 1 and result.sent == 1
    c0 = get_channel(store, ChannelRef("console", "local", "c0"))
    assert c0.status == "gone" and subscriptions(store, c0.id) == []
    assert rows(store, "channel_id = ? AND status = 'pending'", [c0.id]) == []
    statuses = [r["status"] for r in rows(store, "channel_id = ? AND kind = 'reminder'", [c0.id])]
    assert statuses == ["failed", "withdrawn"]
    run(run_tick(store, s, now + timedelta(days=1), {"console": tr}, "me"))
    assert all(ch.channel != "c0" for ch, _, _ in tr.sent)


def test_rows_for_platforms_without_a_transport_wait(store):
    now = at("2025-10-28T00:00Z")
    add_meeting(store, date(2025, 10, 29), now=now - timedelta(days=3))
    ch = channel(store, ChannelRef("slack", "T1", "C1"), tz="UTC", now=now - timedelta(days=3),
                 delivery_time="00:00")
    subscribe(store, ch, now - timedelta(days=3), lead="1d")
    result = run(run_tick(store, settings(delivery_time="00:00"), now, {"console": Recorder()}, "me"))
    assert result.sent == 0 and rows(store)[0]["status"] == "pending"


def test_failed_deliveries_are_listed_and_can_be_resent_from_the_cli(store, db_path):
    from click.testing import CliRunner

    from bot.cli import cli

    now = at("2025-10-28T00:00Z")
    _due_setup(store, 1, now)
    s = settings(delivery_time="00:00", max_attempts=1)
    tr = Recorder()
    tr.failures = [TransientSendError("502 Bad Gateway")]
    assert run(run_tick(store, s, now, {"console": tr}, "A")).failed == 1
    [failed] = rows(store, "status = 'failed'")
    env = {"SUMMITBOT_NOW": "", "SUMMITBOT_DB": "", "SUMMITBOT_TIMEZONE": "", "SUMMITBOT_CONFIG": ""}
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", db_path, "deliveries", "--failed"], env=env)
    assert out.exit_code == 0, out.output
    assert f"{failed['id']:>6} | reminder | meeting #1 |" in out.output and "502 Bad Gateway" in out.output
    out = runner.invoke(cli, ["--db", db_path, "--now", "2025-10-28T09:00Z", "deliveries", "--resend",
                              str(failed["id"])], env=env)
    assert out.exit_code == 0 and "queued again" in out.output
    again = runner.invoke(cli, ["--db", db_path, "deliveries", "--resend", str(failed["id"])], env=env)
    assert again.exit_code == 1 and "is pending, not failed" in again.output
    # Hours later than its due time, past the grace period: sent all the same, once.
    result = run(run_tick(store, s, at("2025-10-28T09:01Z"), {"console": tr}, "A"))
    assert result.sent == 1 and [k for _, _, k in tr.sent].count(failed["idem_key"]) == 1
    assert rows(store, "id = ?", [failed["id"]])[0]["status"] == "sent"
    assert runner.invoke(cli, ["--db", db_path, "deliveries", "--failed"], env=env).output.startswith(
        "No failed deliveries.")


def test_a_lock_held_past_the_busy_timeout_ends_the_tick_and_nothing_is_sent_twice(store, db_path):
    import sqlite3

    now = at("2025-10-28T00:00Z")
    _due_setup(store, 3, now)
    s = settings(delivery_time="00:00")
    sched_store = Store(db_path)
    sched_store.db.execute("PRAGMA busy_timeout = 50")  # the lock below outlasts it
    holder = sqlite3.connect(db_path, isolation_level=None)
    posted = []

    def take_the_lock(channel, reply, key):
        posted.append(key)
        if len(posted) == 1:
            holder.execute("BEGIN IMMEDIATE")  # another process writes for a long time
        return None

    tr = CallbackTransport("console", take_the_lock)
    first = run(run_tick(sched_store, s, now, {"console": tr}, "A"))
    assert first.busy and len(posted) == 1  # not fatal: the tick ended after the first post
    assert [r["status"] for r in rows(store)] == ["sending", "pending", "pending"]
    # Still locked at the next tick: planning waits, nothing raises.
    assert run(run_tick(sched_store, s, now + timedelta(seconds=30), {"console": tr}, "A")).busy
    holder.execute("COMMIT")
    third = run(run_tick(sched_store, s, now + timedelta(seconds=60), {"console": tr}, "A"))
    assert not third.busy and third.sent == 3 and third.recovered == 0  # the first recorded, not resent
    assert len(posted) == len(set(posted)) == 3
    assert [r["status"] for r in rows(store)] == ["sent"] * 3
    holder.close()
