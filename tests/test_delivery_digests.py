"""Deliveries: daily and weekly digests, and change alerts (real SQLite files)."""

from __future__ import annotations

from datetime import date, timedelta

from bot.clock import FixedClock
from bot.config import Settings
from bot.delivery import plan_deliveries, preview, run_tick
from bot.models import Article
from bot.scheduler import SummitScheduler
from bot.store import Store
from bot.subscriptions import set_digest
from bot.transport import ChannelRef
from tests.delivery_helpers import Recorder, add_meeting, at, channel, rows, run, subscribe


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
