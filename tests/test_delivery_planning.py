"""Deliveries: planning and preview, time zones and DST, moves, cancellations and the grace period
after a restart (real SQLite files)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.config import Settings
from bot.delivery import plan_deliveries, preview, run_tick
from bot.models import Meeting
from bot.store import Store
from bot.transport import ChannelRef
from tests.delivery_helpers import NOW, Recorder, add_meeting, at, channel, rows, run, seed, subscribe

UTC = timezone.utc


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
