"""Deliveries: planning, preview, restarts, the lease, retries, digests and change alerts (real SQLite files)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings, parse_now
from bot.delivery import (
    CallbackTransport,
    acquire_lease,
    idempotency_key,
    plan_deliveries,
    preview,
    release_lease,
    run_tick,
    send_due,
)
from bot.models import Article, Meeting
from bot.scheduler import SummitScheduler
from bot.store import Store
from bot.subscriptions import (
    add_subscription,
    ensure_channel,
    get_channel,
    set_digest,
    set_timezone,
    subscriptions,
)
from bot.transport import ChannelGone, ChannelRef, TransientSendError

ROOT = Path(__file__).resolve().parent.parent
SEOUL = ChannelRef("console", "local", "seoul")
UTC = timezone.utc


def at(text: str) -> datetime:
    return parse_now(text)


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def db_path(tmp_path) -> str:
    return str(tmp_path / "summitbot.db")


@pytest.fixture
def store(db_path) -> Store:
    return Store(db_path)


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


def test_preview_lists_the_seoul_reminder_and_nothing_for_past_meetings(store):
    mid = seed(store)
    ch = channel(store, now=NOW)
    subscribe(store, ch, NOW, lead="1d")
    msgs = preview(store, Settings(), NOW, NOW + timedelta(days=30), now=NOW)
    reminders = [m for m in msgs if m.kind == "reminder"]
    assert [(m.meeting_id, m.due_local.isoformat()) for m in reminders] == [(mid, "2025-10-28T09:00:00+09:00")]
    assert reminders[0].due_utc == at("2025-10-28T00:00Z")
    assert reminders[0].channel == "console:local:seoul"
    assert "tomorrow" in reminders[0].text and "Trump" in reminders[0].text
    assert json.loads(json.dumps(reminders[0].to_json()))["due_local"] == "2025-10-28T09:00:00+09:00"
    # No writes survive a preview.
    assert rows(store) == []


def test_preview_of_a_window_without_the_reminder_is_empty(store):
    seed(store)
    subscribe(store, channel(store, now=NOW), NOW, lead="1d")
    assert preview(store, Settings(), NOW, at("2025-10-27T00:00Z"), now=NOW) == []


def test_plan_is_idempotent_and_matches_preview(store):
    seed(store)
    subscribe(store, channel(store, now=NOW), NOW, lead="7d,1d")
    first = plan_deliveries(store, Settings(), NOW)
    second = plan_deliveries(store, Settings(), NOW)
    assert first.inserted == 1  # the 7d reminder fell due before the subscription existed
    assert second.inserted == second.withdrawn == second.revived == 0
    planned = [(r["kind"], r["due"]) for r in rows(store, "status = 'pending'")]
    shown = [(m.kind, m.due_utc.isoformat()) for m in preview(store, Settings(), NOW, NOW + timedelta(days=30))]
    assert planned == shown == [("reminder", "2025-10-28T00:00:00+00:00")]


def test_a_span_of_days_is_reminded_before_its_first_day(store):
    apec = add_meeting(store, date(2025, 10, 31), end=date(2025, 11, 1), kind="multilateral", now=NOW,
                       who=("Donald Trump", "Xi Jinping"), location="Gyeongju")
    store.update_meeting(apec, {"name": "APEC summit"}, now=NOW)
    subscribe(store, channel(store, now=NOW), NOW, lead="3d,1d")
    msgs = [m for m in preview(store, Settings(), NOW, at("2025-11-03T00:00Z"), now=NOW) if m.kind == "reminder"]
    assert [(m.meeting_id, m.due_local.isoformat()) for m in msgs] == [
        (apec, "2025-10-28T09:00:00+09:00"), (apec, "2025-10-30T09:00:00+09:00")]
    assert msgs[0].text.splitlines()[0] == "Reminder: APEC summit starts in 3 days: 31 Oct – 1 Nov 2025, Gyeongju."
    assert msgs[1].text.splitlines()[0] == "Reminder: APEC summit starts tomorrow: 31 Oct – 1 Nov 2025, Gyeongju."


def test_week_month_and_vaguer_get_no_countdown_until_they_narrow(store, db_path):
    from bot.merge import fold_meeting

    month = add_meeting(store, date(2025, 11, 1), end=date(2025, 11, 30), precision="month", now=NOW)
    add_meeting(store, date(2025, 10, 27), end=date(2025, 11, 2), precision="week", now=NOW,
                who=("Xi Jinping", "Vladimir Putin"))
    add_meeting(store, date(2025, 10, 1), end=date(2025, 12, 31), precision="quarter", now=NOW,
                who=("Narendra Modi", "Vladimir Putin"))
    ranged = add_meeting(store, date(2025, 10, 31), end=date(2025, 11, 1), kind="multilateral", precision="range",
                         now=NOW, who=("Emmanuel Macron", "Olaf Scholz"))
    subscribe(store, channel(store, now=NOW), NOW, lead="7d,1d")
    plan_deliveries(store, Settings(), NOW)
    assert {r["meeting_id"] for r in rows(store, "kind = 'reminder'")} == {ranged}  # a range of days is known
    # A later article narrows "November" to 3-4 November: an alert says so, and the countdown starts.
    later = NOW + timedelta(hours=1)
    fold_meeting(store, Meeting(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral",
                                location="Gyeongju", start=date(2025, 11, 3), end=date(2025, 11, 4),
                                sentence="Trump and Lee will meet on Nov. 3 and 4."),
                 article_id=None, asof=None, now=later)
    assert store.meeting(month).start == date(2025, 11, 3)
    tr = Recorder()
    run(run_tick(store, Settings(), later, {"console": tr}, "A"))
    alerts = [rep for _, rep, _ in tr.sent if rep.text.startswith("Date narrowed")]
    assert len(alerts) == 1 and ("date", "2025-11-01..2025-11-30 → 2025-11-03..2025-11-04") in alerts[0].rows
    assert [m.due_utc.isoformat() for m in preview(store, Settings(), later, at("2025-11-04T00:00Z"))
            if m.meeting_id == month] == ["2025-10-27T00:00:00+00:00", "2025-11-02T00:00:00+00:00"]


@pytest.mark.parametrize("tz, due_local", [("Pacific/Pago_Pago", "2025-10-30T09:00:00-11:00"),
                                           ("Pacific/Kiritimati", "2025-10-30T09:00:00+14:00")])
def test_date_only_meetings_render_as_dates_in_utc_minus_11_and_plus_14(store, tz, due_local):
    from adapters.discord.render import render_reply as discord_render
    from adapters.slack.render import render_reply as slack_render

    day = add_meeting(store, date(2025, 10, 31), now=NOW)
    span = add_meeting(store, date(2025, 11, 1), end=date(2025, 11, 3), now=NOW, who=("Xi Jinping", "Lee Jae-myung"))
    timed = add_meeting(store, date(2025, 11, 5), now=NOW, who=("Xi Jinping", "Anwar Ibrahim"),
                        time="21:00", tz="Europe/Paris")
    ref = ChannelRef("console", "local", tz)
    subscribe(store, channel(store, ref, tz=tz, now=NOW), NOW, lead="1d")
    msgs = {m.meeting_id: m for m in preview(store, Settings(), NOW, at("2025-11-06T00:00Z"), now=NOW)
            if m.kind == "reminder"}
    assert msgs[day].due_local.isoformat() == due_local
    assert "tomorrow: Fri 31 Oct 2025" in msgs[day].text
    assert "tomorrow: 1–3 Nov 2025" in msgs[span].text
    for mid, expected in ((day, "Fri 31 Oct 2025"), (span, "1–3 Nov 2025")):
        slack = json.dumps([m.payload() for m in slack_render(msgs[mid].reply)], ensure_ascii=False)
        discord_text = json.dumps([e.to_dict() for msg in discord_render(msgs[mid].reply) for e in msg],
                                  ensure_ascii=False)
        assert "<!date^" not in slack and "<t:" not in discord_text  # no instant a reader's zone could shift
        assert expected in slack and expected in discord_text
    # A meeting with a time is an instant: each reader sees it in their own zone.
    paris = int(datetime(2025, 11, 5, 20, 0, tzinfo=UTC).timestamp())
    slack = json.dumps([m.payload() for m in slack_render(msgs[timed].reply)])
    discord_text = json.dumps([e.to_dict() for msg in discord_render(msgs[timed].reply) for e in msg])
    assert f"<!date^{paris}^" in slack and f"<t:{paris}:F>" in discord_text


# -- time zones and DST ------------------------------------------------------------------------------------


@pytest.mark.parametrize("tz, day, lead, expected_utc, expected_local", [
    # New York leaves DST on Sun 2 Nov 2025: 09:00 EDT is 13:00Z, 09:00 EST is 14:00Z.
    ("America/New_York", date(2025, 11, 3), "1d", "2025-11-02T14:00:00+00:00", "2025-11-02T09:00:00-05:00"),
    ("America/New_York", date(2025, 11, 3), "7d", "2025-10-27T13:00:00+00:00", "2025-10-27T09:00:00-04:00"),
    # Berlin enters DST on Sun 29 Mar 2026: 09:00 CET is 08:00Z, 09:00 CEST is 07:00Z.
    ("Europe/Berlin", date(2026, 3, 30), "1d", "2026-03-29T07:00:00+00:00", "2026-03-29T09:00:00+02:00"),
    ("Europe/Berlin", date(2026, 3, 30), "7d", "2026-03-23T08:00:00+00:00", "2026-03-23T09:00:00+01:00"),
])
def test_date_only_reminders_land_at_local_delivery_time_across_dst(store, tz, day, lead, expected_utc,
                                                                     expected_local):
    now = datetime.combine(day - timedelta(days=20), datetime.min.time(), tzinfo=UTC)
    add_meeting(store, day, now=now)
    ch = channel(store, ChannelRef("console", "local", tz), tz=tz, now=now)
    subscribe(store, ch, now, lead=lead)
    msgs = [m for m in preview(store, Settings(), now, now + timedelta(days=30)) if m.kind == "reminder"]
    assert [(m.due_utc.isoformat(), m.due_local.isoformat()) for m in msgs] == [(expected_utc, expected_local)]


def test_timed_meeting_uses_venue_zone_and_exact_hours(store):
    now = at("2025-10-20T00:00Z")
    # 10:00 in New York on Mon 3 Nov 2025 (EST) = 15:00Z.
    add_meeting(store, date(2025, 11, 3), time="10:00", tz="America/New_York", now=now)
    ch = channel(store, tz="Asia/Seoul", now=now)
    subscribe(store, ch, now, lead="1d,6h")
    dues = sorted(m.due_utc.isoformat() for m in preview(store, Settings(), now, now + timedelta(days=30)))
    # 1d: 10:00 New York wall clock the day before (EST after the switch) = 15:00Z; 6h: 09:00Z.
    assert dues == ["2025-11-02T15:00:00+00:00", "2025-11-03T09:00:00+00:00"]


def test_timed_meeting_without_zone_is_in_channel_zone(store):
    now = at("2025-10-20T00:00Z")
    add_meeting(store, date(2025, 10, 29), time="14:00", now=now)
    subscribe(store, channel(store, tz="Asia/Seoul", now=now), now, lead="6h")
    [msg] = preview(store, Settings(), now, now + timedelta(days=30))
    assert msg.due_local.isoformat() == "2025-10-29T08:00:00+09:00"
    assert "in 6 hours" in msg.text


# -- moves, cancellations, grace ------------------------------------------------------------------------------


def test_moved_meeting_moves_its_reminder_and_cancelled_is_withdrawn(store):
    mid = seed(store)
    subscribe(store, channel(store, now=NOW), NOW, lead="1d")
    now = at("2025-10-27T00:00Z")  # the 1d reminder is planned once the meeting is within lead + 1 day
    assert plan_deliveries(store, Settings(), NOW).inserted == 0
    assert plan_deliveries(store, Settings(), now).inserted == 1
    store.update_meeting(mid, {"start": date(2025, 10, 30), "end": date(2025, 10, 30)}, now=now)
    store.record_change(mid, "start", "2025-10-29", "2025-10-30", None, "moved", now=now)
    result = plan_deliveries(store, Settings(), now + timedelta(minutes=1))
    assert result.withdrawn == 1 and result.inserted == 1
    assert [r["due"] for r in rows(store, "kind = 'reminder' AND status = 'pending'")] == ["2025-10-29T00:00:00+00:00"]
    assert [r["due"] for r in rows(store, "kind = 'reminder' AND status = 'withdrawn'")] == [
        "2025-10-28T00:00:00+00:00"]
    # Moving back revives the withdrawn row rather than duplicating it.
    store.update_meeting(mid, {"start": date(2025, 10, 29), "end": date(2025, 10, 29)}, now=now)
    plan_deliveries(store, Settings(), now + timedelta(minutes=2))
    assert [r["due"] for r in rows(store, "kind = 'reminder' AND status = 'pending'")] == ["2025-10-28T00:00:00+00:00"]
    store.update_meeting(mid, {"status": "cancelled"}, now=now)
    plan_deliveries(store, Settings(), now + timedelta(minutes=3))
    assert rows(store, "kind = 'reminder' AND status = 'pending'") == []


def test_restart_within_grace_sends_the_missed_reminder_once_late(store):
    mid = seed(store)
    subscribe(store, channel(store, now=NOW), NOW, lead="1d")
    tr = Recorder()
    run(run_tick(store, Settings(), NOW, {"console": tr}, "first"))
    assert tr.sent == []
    # Down from before the due time until 3 hours after it (grace is 6 h); another process comes up.
    later = at("2025-10-28T03:00Z")
    result = run(run_tick(Store(store.db.conn.execute("PRAGMA database_list").fetchone()[2]), Settings(), later,
                          {"console": tr}, "second"))
    assert result.sent == 1 and result.late == 1
    [row] = rows(store, "kind = 'reminder'")
    assert row["status"] == "sent" and row["late"] == 1 and row["meeting_id"] == mid
    again = run(run_tick(store, Settings(), later + timedelta(minutes=1), {"console": tr}, "second"))
    assert again.sent == 0 and len(tr.sent) == 1


def test_restart_outside_grace_records_missed(store):
    seed(store)
    subscribe(store, channel(store, now=NOW), NOW, lead="1d")
    tr = Recorder()
    run(run_tick(store, Settings(), NOW, {"console": tr}, "first"))
    result = run(run_tick(store, Settings(), at("2025-10-28T07:00Z"), {"console": tr}, "second"))
    assert result.missed == 1 and tr.sent == []
    assert [r["status"] for r in rows(store, "kind = 'reminder'")] == ["missed"]


def test_reminders_that_fell_due_while_nobody_planned_are_recorded(store):
    seed(store)
    subscribe(store, channel(store, now=NOW), NOW, lead="7d,1d")
    plan_deliveries(store, Settings(), NOW)
    # A meeting learnt at NOW, due soon; the bot then sleeps two days past its reminder.
    add_meeting(store, date(2025, 10, 26), who=("Anwar Ibrahim", "Donald Trump"), location="Kuala Lumpur", now=NOW)
    result = run(run_tick(store, Settings(), at("2025-10-27T12:00Z"), {"console": Recorder()}, "me"))
    missed = rows(store, "status = 'missed'")
    assert [(r["kind"], r["due"]) for r in missed if r["kind"] == "reminder"] == [
        ("reminder", "2025-10-25T00:00:00+00:00")]
    assert result.sent == 0


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


# -- digests ----------------------------------------------------------------------------------------------------


def test_daily_digest_at_local_time_with_changes_since_the_last(store, db_path):
    t0 = at("2025-10-20T00:00Z")
    art = store.add_article(Article(text="Trump and Lee will meet.", published=t0, title="Trump to visit Korea",
                                    url="https://example.com/a")).id
    mid = add_meeting(store, date(2025, 10, 27), now=t0)
    ch = channel(store, tz="Asia/Seoul", now=t0)
    subscribe(store, ch, t0, who="Lee", lead="1d")
    set_digest(store, ch, "daily", t0, at="08:00")
    s = Settings()
    clock = FixedClock(t0)
    tr = Recorder()
    sched = SummitScheduler(Store(db_path), s, clock, {"console": tr}, owner="me")
    store.update_meeting(mid, {"certainty": "confirmed"}, now=t0)
    store.record_change(mid, "certainty", "planned", "confirmed", art, "The White House confirmed it.",
                        now=t0 + timedelta(minutes=1))
    clock.set(at("2025-10-20T23:00Z"))  # 08:00 in Seoul on the 21st
    run(sched.run_once())
    digests = [rep for _, rep, _ in tr.sent if rep.text.startswith("Daily digest")]
    assert len(digests) == 1
    assert "1 summit in the next 7 days" in digests[0].text
    assert ("confirmed", "#1 Donald Trump – Lee Jae-myung: planned → confirmed") in digests[0].rows
    # The next day's digest only has what changed since.
    add_meeting(store, date(2025, 10, 25), who=("Lee Jae-myung", "Sanae Takaichi"), now=clock.now())
    clock.set(at("2025-10-21T23:00Z"))
    run(sched.run_once())
    second = [rep for _, rep, _ in tr.sent if rep.text.startswith("Daily digest")][1]
    assert [label for label, _ in second.rows] == ["new"]
    assert len(second.meetings) == 2
    digest_rows = rows(store, "kind = 'digest' AND status = 'sent'")
    assert [r["due"] for r in digest_rows] == ["2025-10-20T23:00:00+00:00", "2025-10-21T23:00:00+00:00"]
    run(sched.shutdown())


def test_empty_digests_are_not_posted(store, db_path):
    t0 = at("2025-10-20T00:00Z")
    ch = channel(store, tz="Asia/Seoul", now=t0)
    set_digest(store, ch, "daily", t0, at="08:00")
    weekly = channel(store, ChannelRef("console", "local", "ny"), tz="America/New_York", now=t0)
    set_digest(store, weekly, "weekly", t0, at="08:00", day="mon")
    clock = FixedClock(at("2025-10-20T23:00Z"))  # 08:00 in Seoul on the 21st: nothing ahead, nothing changed
    tr = Recorder()
    sched = SummitScheduler(Store(db_path), Settings(), clock, {"console": tr}, owner="me")
    first = run(sched.run_once())
    assert tr.sent == [] and first.skipped == 1
    [row] = rows(store, "kind = 'digest' AND due = '2025-10-20T23:00:00+00:00'")
    assert row["status"] == "skipped" and row["error"].startswith("empty digest")
    assert run(sched.run_once()).skipped == 0 and tr.sent == []  # not revived by the next plan
    assert not [m for m in preview(store, Settings(), t0, at("2025-10-28T00:00Z")) if m.kind == "digest"]
    # Once there is something to say, the next digests are posted, and the weekly one too.
    add_meeting(store, date(2025, 10, 29), now=clock.now())
    clock.set(at("2025-10-21T23:00Z"))
    run(sched.run_once())
    assert [rep.text for _, rep, _ in tr.sent if "digest" in rep.text] == [
        "Daily digest: 1 summit in the next 7 days; 1 change since the last digest."]
    clock.set(at("2025-10-27T12:00Z"))  # Monday 08:00 in New York
    run(sched.run_once())
    assert any(rep.text.startswith("Weekly digest: 1 summit") for _, rep, _ in tr.sent)
    run(sched.shutdown())


def test_weekly_digest_follows_dst_in_new_york(store):
    t0 = at("2025-10-20T00:00Z")
    add_meeting(store, date(2025, 11, 5), now=t0)
    ch = channel(store, ChannelRef("console", "local", "ny"), tz="America/New_York", now=t0)
    set_digest(store, ch, "weekly", t0, at="08:00", day="mon")
    msgs = [m for m in preview(store, Settings(), t0, at("2025-11-11T00:00Z")) if m.kind == "digest"]
    # 20 Oct (the summit is more than 14 days ahead) and 10 Nov (it is over) would be empty: not posted.
    assert [m.due_utc.isoformat() for m in msgs] == ["2025-10-27T12:00:00+00:00", "2025-11-03T13:00:00+00:00"]
    assert all(m.due_local.hour == 8 for m in msgs)
    # Without subscriptions the digest covers every summit; month-only meetings show there too.
    assert "1 summit in the next 14 days" in msgs[-1].text


def test_digest_switched_off_withdraws_pending_digests(store):
    t0 = at("2025-10-20T00:00Z")
    ch = channel(store, now=t0)
    set_digest(store, ch, "daily", t0, at="08:00")
    plan_deliveries(store, Settings(), t0)
    assert rows(store, "kind = 'digest' AND status = 'pending'")
    set_digest(store, ch, "off", t0)
    plan_deliveries(store, Settings(), t0 + timedelta(minutes=1))
    assert rows(store, "kind = 'digest' AND status = 'pending'") == []


# -- change alerts ----------------------------------------------------------------------------------------------


def _alerts(tr: Recorder) -> list:
    return [rep for _, rep, _ in tr.sent if not rep.text.startswith(("Reminder", "Daily", "Weekly"))]


def test_change_alerts_for_move_confirm_cancel_and_new(store, db_path):
    t0 = at("2025-10-20T00:00Z")
    old = add_meeting(store, date(2025, 10, 29), now=t0 - timedelta(days=1))
    art = store.add_article(Article(text="The summit moved.", published=t0, title="Summit moved to Thursday",
                                    url="https://example.com/moved")).id
    ch = channel(store, now=t0)
    subscribe(store, ch, t0, who="Trump", lead="1d")
    clock = FixedClock(t0)
    tr = Recorder()
    sched = SummitScheduler(Store(db_path), Settings(), clock, {"console": tr}, owner="me")
    run(sched.run_once())
    assert _alerts(tr) == []  # its creation predates the subscription

    def change(field, before, after, when):
        store.update_meeting(old, {field: after} if field != "start" else
                             {"start": after, "end": after}, now=when)
        store.record_change(old, field, before, after, art, "The meeting was moved to Thursday.", now=when)

    change("start", "2025-10-29", "2025-10-30", t0 + timedelta(minutes=5))
    store.record_change(old, "end", "2025-10-29", "2025-10-30", art, "The meeting was moved to Thursday.",
                        now=t0 + timedelta(minutes=5))
    change("certainty", "planned", "confirmed", t0 + timedelta(minutes=6))
    change("location", "Busan", "Gyeongju", t0 + timedelta(minutes=7))  # digest-only: no alert
    new = add_meeting(store, date(2025, 10, 30), who=("Donald Trump", "Xi Jinping"), location="Busan",
                      now=t0 + timedelta(minutes=8))
    add_meeting(store, date(2025, 10, 31), who=("Anwar Ibrahim", "Lee Jae-myung"), now=t0 + timedelta(minutes=8))
    clock.set(t0 + timedelta(minutes=9))
    run(sched.run_once())
    alerts = _alerts(tr)
    assert [a.text for a in alerts] == ["Summit moved:", "Summit confirmed:", "New summit:"]
    moved = alerts[0]
    assert ("start", "2025-10-29 → 2025-10-30") in moved.rows and ("end", "2025-10-29 → 2025-10-30") in moved.rows
    assert moved.links == [("Summit moved to Thursday", "https://example.com/moved")]
    assert ("quote", "The meeting was moved to Thursday.") in moved.rows
    assert alerts[2].meetings[0].id == new
    # Cancelled: alert, and its pending reminder is withdrawn.
    change("status", "upcoming", "cancelled", t0 + timedelta(minutes=10))
    clock.set(t0 + timedelta(minutes=11))
    run(sched.run_once())
    assert _alerts(tr)[-1].text == "Summit cancelled:"
    assert rows(store, "meeting_id = ? AND kind = 'reminder' AND status = 'pending'", [old]) == []
    # A restarted scheduler does not alert again (high-water mark in SQLite).
    run(sched.shutdown())
    again = SummitScheduler(Store(db_path), Settings(), FixedClock(t0 + timedelta(minutes=12)), {"console": tr},
                            owner="other")
    count = len(tr.sent)
    run(again.run_once())
    assert len(tr.sent) == count
    run(again.shutdown())


def test_change_alerts_are_not_lost_when_the_bot_was_stopped(store):
    t0 = at("2025-10-20T00:00Z")
    mid = add_meeting(store, date(2025, 10, 29), now=t0 - timedelta(days=1))
    subscribe(store, channel(store, now=t0), t0, lead="1d")
    run(run_tick(store, Settings(), t0, {"console": Recorder()}, "me"))
    # While stopped: a postponement, recorded 2 hours before the restart.
    store.update_meeting(mid, {"status": "postponed"}, now=t0)
    store.record_change(mid, "status", "upcoming", "postponed", None, "It was postponed.",
                        now=t0 + timedelta(hours=1))
    tr = Recorder()
    result = run(run_tick(store, Settings(), t0 + timedelta(hours=3), {"console": tr}, "me"))
    assert [rep.text for _, rep, _ in tr.sent] == ["Summit postponed:"]
    assert result.late == 1


def test_new_alert_only_for_upcoming_meetings_and_matching_filters(store):
    t0 = at("2025-10-20T00:00Z")
    ch = channel(store, now=t0)
    subscribe(store, ch, t0, kind="multilateral", min_certainty="confirmed", lead="1d")
    add_meeting(store, date(2025, 10, 31), kind="multilateral", certainty="planned", now=t0)
    add_meeting(store, date(2025, 10, 31), kind="multilateral", certainty="confirmed", status="past", now=t0)
    wanted = add_meeting(store, date(2025, 10, 31), kind="multilateral", certainty="confirmed", now=t0)
    tr = Recorder()
    run(run_tick(store, Settings(), t0 + timedelta(minutes=1), {"console": tr}, "me"))
    assert [(rep.text, rep.meetings[0].id) for _, rep, _ in tr.sent] == [("New summit:", wanted)]


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
