"""Subscriptions: parsing settings, matching meetings, and when reminders and digests fall due."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from bot.config import Settings
from bot.delivery import digest_times, reminder_due
from bot.models import Meeting, MeetingRecord
from bot.store import Store
from bot.subscriptions import (
    Channel,
    Lead,
    Matcher,
    SettingError,
    add_subscription,
    disable_channel,
    ensure_channel,
    get_channel,
    parse_certainty,
    parse_time_of_day,
    parse_kind,
    parse_leads,
    parse_weekday,
    parse_zone,
    remove_subscriptions,
    set_digest,
    subscriptions,
)
from bot.transport import ChannelRef

UTC = timezone.utc
NOW = datetime(2025, 10, 20, tzinfo=UTC)
REF = ChannelRef("console", "local", "c1")


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(str(tmp_path / "s.db"))


def record(day: date | None, *, kind="bilateral", who=("Donald Trump", "Lee Jae-myung"), time=None, tz=None,
           certainty="planned", location="Gyeongju", end: date | None = None, mid=1) -> MeetingRecord:
    return MeetingRecord(id=mid, kind=kind, participants=list(who), name=None, location=location,
                         alt_locations=[], start=day, end=end or day, time=time, tz=tz, precision="day",
                         certainty=certainty, status="upcoming", first_seen="", updated="")


# -- parsing -----------------------------------------------------------------------------------------------


def test_parse_leads():
    assert parse_leads("7d,1d") == (Lead(7, "d"), Lead(1, "d"))
    assert parse_leads(" 1d, 7d 6h ") == (Lead(7, "d"), Lead(1, "d"), Lead(6, "h"))
    assert parse_leads("2w") == (Lead(14, "d"),)
    assert parse_leads("1d,1d") == (Lead(1, "d"),)
    assert parse_leads("0d") == (Lead(0, "d"),)
    assert Lead(1, "d").phrase() == "1 day" and Lead(6, "h").phrase() == "6 hours"


@pytest.mark.parametrize("bad", ["", "7", "d7", "7x", "1.5d", "-1d", "400d", "10000h"])
def test_parse_leads_rejects(bad):
    with pytest.raises(SettingError):
        parse_leads(bad)


def test_parse_kind_certainty_zone_time_day():
    assert parse_kind("summit") == "multilateral"
    assert parse_kind("Call") == "phone_call"
    assert parse_kind("phone-call") == "phone_call"
    assert parse_kind("bilateral") == "bilateral"
    with pytest.raises(SettingError, match="bilateral, phone_call"):
        parse_kind("dinner")
    assert parse_certainty("Planned") == "planned"
    with pytest.raises(SettingError):
        parse_certainty("likely")
    assert parse_zone("Asia/Seoul") == "Asia/Seoul"
    assert parse_zone("asia/seoul") == "Asia/Seoul"
    assert parse_zone("america/new_york") == "America/New_York"
    assert parse_zone("utc") == "UTC"
    with pytest.raises(SettingError, match="IANA"):
        parse_zone("Mars/Olympus")
    assert parse_time_of_day("8:00") == "08:00" and parse_time_of_day("0830") == "08:30"
    for bad in ("24:00", "8", "08:60", "13pm", "soon"):
        with pytest.raises(SettingError):
            parse_time_of_day(bad)
    assert parse_weekday("Monday") == "mon"
    with pytest.raises(SettingError):
        parse_weekday("someday")


# -- storage ---------------------------------------------------------------------------------------------------


def test_channel_defaults_from_config_and_subscriptions(store):
    ch = ensure_channel(store, REF, Settings(timezone="Europe/Berlin", delivery_time="08:30"), NOW)
    assert (ch.tz, ch.delivery_time, ch.digest, ch.status) == ("Europe/Berlin", "08:30", "off", "active")
    assert ensure_channel(store, REF, Settings(), NOW).id == ch.id  # not recreated, not reset
    a = add_subscription(store, ch, lead="1d,7d", now=NOW, who="Lee")
    b = add_subscription(store, ch, lead="6h", now=NOW, kind="multilateral", min_certainty="confirmed")
    assert [s.id for s in subscriptions(store, ch.id)] == [a.id, b.id]
    assert a.lead == "7d,1d" and a.describe() == "who:Lee lead:7d,1d"
    assert b.describe() == "kind:multilateral min:confirmed lead:6h"
    assert remove_subscriptions(store, ch, a.id, NOW) == 1
    assert remove_subscriptions(store, ch, a.id, NOW) == 0
    assert remove_subscriptions(store, ch, None, NOW) == 1
    assert subscriptions(store, ch.id) == []


def test_subscription_remembers_the_change_high_water_mark(store):
    store.insert_meeting(Meeting(participants=["A B"], kind="talks"), article_id=None, asof=None, now=NOW)
    ch = ensure_channel(store, REF, Settings(), NOW)
    sub = add_subscription(store, ch, lead="1d", now=NOW)
    assert sub.after_change_id == 1


def test_disable_channel(store):
    ch = ensure_channel(store, REF, Settings(), NOW)
    add_subscription(store, ch, lead="1d", now=NOW)
    assert disable_channel(store, ch.id, "not_in_channel", NOW) == 1
    assert get_channel(store, REF).status == "gone"
    assert subscriptions(store, ch.id) == []
    assert subscriptions(store, ch.id, active_only=False)[0].status == "disabled"


def test_set_digest_keeps_its_change_mark_when_only_the_time_changes(store):
    ch = ensure_channel(store, REF, Settings(), NOW)
    ch = set_digest(store, ch, "daily", NOW, at="08:00")
    store.insert_meeting(Meeting(participants=["A B"], kind="talks"), article_id=None, asof=None, now=NOW)
    ch = set_digest(store, ch, "weekly", NOW, at="09:00", day="fri")
    assert (ch.digest, ch.digest_time, ch.digest_day, ch.digest_change_id) == ("weekly", "09:00", "fri", 0)
    ch = set_digest(store, ch, "off", NOW)
    ch = set_digest(store, ch, "daily", NOW, at="07:00")
    assert ch.digest_change_id == 1


# -- matching -------------------------------------------------------------------------------------------------------


def test_matcher_filters(store):
    for name in ("Donald Trump", "Lee Jae-myung", "Xi Jinping"):
        store.person_id(name)
    store.db.execute("UPDATE people SET country = 'South Korea' WHERE name = 'Lee Jae-myung'")
    store.db.conn.commit()
    ch = ensure_channel(store, REF, Settings(), NOW)
    subs = {
        "lee": add_subscription(store, ch, lead="1d", now=NOW, who="lee"),
        "xi": add_subscription(store, ch, lead="1d", now=NOW, who="Xi"),
        "summits": add_subscription(store, ch, lead="1d", now=NOW, kind="multilateral"),
        "confirmed": add_subscription(store, ch, lead="1d", now=NOW, min_certainty="confirmed"),
        "korea": add_subscription(store, ch, lead="1d", now=NOW, country="korea"),
        "us": add_subscription(store, ch, lead="1d", now=NOW, country="US"),
        "nobody": add_subscription(store, ch, lead="1d", now=NOW, who="Nobody Known"),
    }
    matcher = Matcher(store, subs.values())

    def names(rec):
        return sorted(k for k, s in subs.items() if s in matcher.subscriptions_for(rec))

    assert names(record(date(2025, 10, 29))) == ["korea", "lee"]
    assert names(record(date(2025, 10, 29), certainty="confirmed", mid=2)) == ["confirmed", "korea", "lee"]
    assert names(record(date(2025, 10, 30), who=("Xi Jinping", "Donald Trump"), location="Busan", mid=3)) == ["xi"]
    assert names(record(date(2025, 10, 31), kind="multilateral", who=(), location="Washington, United States",
                        mid=4)) == ["summits", "us"]


# -- due times ------------------------------------------------------------------------------------------------------


def test_reminder_due_date_only_in_channel_zone():
    rec = record(date(2025, 10, 29))
    due = reminder_due(rec, Lead(1, "d"), ZoneInfo("Asia/Seoul"), "09:00")
    assert due == datetime(2025, 10, 28, 0, 0, tzinfo=UTC)
    assert reminder_due(rec, Lead(6, "h"), ZoneInfo("Asia/Seoul"), "09:00") == datetime(2025, 10, 29, 0, 0, tzinfo=UTC)
    assert reminder_due(rec, Lead(30, "h"), ZoneInfo("UTC"), "08:00") == datetime(2025, 10, 28, 8, 0, tzinfo=UTC)


def test_reminder_due_timed_meeting_day_leads_keep_wall_clock_across_dst():
    # 10:00 in Berlin on Mon 30 Mar 2026 (CEST, UTC+2) = 08:00Z; a day before is 10:00 CET = 09:00Z.
    rec = record(date(2026, 3, 30), time="10:00", tz="Europe/Berlin")
    assert reminder_due(rec, Lead(1, "d"), ZoneInfo("UTC"), "09:00") == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    assert reminder_due(rec, Lead(2, "d"), ZoneInfo("UTC"), "09:00") == datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    # Hour leads are exact: 24 h before 08:00Z.
    assert reminder_due(rec, Lead(24, "h"), ZoneInfo("UTC"), "09:00") == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    assert reminder_due(rec, Lead(25, "h"), ZoneInfo("UTC"), "09:00") == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)


def test_reminder_due_unknown_time_or_zone_falls_back():
    assert reminder_due(record(None), Lead(1, "d"), ZoneInfo("UTC"), "09:00") is None
    rec = record(date(2025, 10, 29), time="soon")
    assert reminder_due(rec, Lead(1, "d"), ZoneInfo("UTC"), "09:00") == datetime(2025, 10, 28, 9, 0, tzinfo=UTC)
    rec = record(date(2025, 10, 29), time="14:00", tz="Nowhere/Special")
    assert reminder_due(rec, Lead(1, "h"), ZoneInfo("Asia/Seoul"), "09:00") == datetime(2025, 10, 29, 4, 0, tzinfo=UTC)


def _channel(tz: str, mode: str, at: str, day: str | None = None) -> Channel:
    return Channel(id=1, platform="console", workspace="local", channel="c", tz=tz, delivery_time="09:00",
                   digest=mode, digest_time=at, digest_day=day)


def test_digest_times_daily_across_dst_in_berlin():
    ch = _channel("Europe/Berlin", "daily", "08:00")
    times = digest_times(ch, datetime(2026, 3, 27, tzinfo=UTC), datetime(2026, 3, 31, tzinfo=UTC))
    assert [t.isoformat() for t in times] == [
        "2026-03-27T07:00:00+00:00", "2026-03-28T07:00:00+00:00", "2026-03-29T06:00:00+00:00",
        "2026-03-30T06:00:00+00:00"]


def test_digest_times_weekly_and_off():
    ch = _channel("Asia/Seoul", "weekly", "08:00", "mon")
    times = digest_times(ch, datetime(2025, 10, 20, tzinfo=UTC), datetime(2025, 11, 4, tzinfo=UTC))
    assert [t.astimezone(ZoneInfo("Asia/Seoul")).isoformat() for t in times] == [
        "2025-10-27T08:00:00+09:00", "2025-11-03T08:00:00+09:00"]
    assert digest_times(_channel("UTC", "off", "08:00"), NOW, NOW + timedelta(days=9)) == []


ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "SystemV/", "posix/",
                                                                                     "right/")))


@hsettings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(ZONES), day=st.dates(date(2024, 1, 1), date(2027, 12, 31)),
       days=st.integers(0, 30), hour=st.integers(6, 22), minute=st.sampled_from([0, 15, 30, 45]))
def test_date_only_reminders_are_at_the_local_delivery_time(zone, day, days, hour, minute):
    """Property: in any zone, across any DST change, a date-only reminder is at HH:MM local, `days` earlier."""
    tz = ZoneInfo(zone)
    due = reminder_due(record(day), Lead(days, "d"), tz, f"{hour:02d}:{minute:02d}")
    local = due.astimezone(tz)
    expected_day = day - timedelta(days=days)
    if (local.hour, local.minute) != (hour, minute):
        # Only when HH:MM does not exist that day (a DST gap): then it is just after the gap.
        naive = datetime.combine(expected_day, datetime.min.time()).replace(hour=hour, minute=minute)
        assert naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive
    else:
        assert local.date() == expected_day


PEOPLE = ["Donald Trump", "Lee Jae-myung", "Lee Hsien Loong", "Xi Jinping", "Sanae Takaichi", "Anwar Ibrahim",
          "Emmanuel Macron", "Friedrich Merz", "Luiz Inácio Lula da Silva", "Kim Jong-un", "Kim Jong Un"]


@pytest.fixture(scope="module")
def people_store(tmp_path_factory) -> Store:
    store = Store(str(tmp_path_factory.mktemp("people") / "p.db"))
    for name in PEOPLE:
        store.person_id(name)
    return store


@hsettings(max_examples=200, deadline=None)
@given(query=st.one_of(
    st.sampled_from(PEOPLE).flatmap(lambda n: st.integers(1, len(n)).map(lambda k: n[:k])),
    st.lists(st.sampled_from("lee kim jong un trump xi lula silva da jae-myung inacio ibrahim x".split()),
             min_size=1, max_size=3).map(" ".join),
    st.text(max_size=12)))
def test_who_matching_agrees_with_store_people_matching(people_store, query):
    """The planner's fast index finds exactly the people Store.people_matching finds."""
    assert sorted(Matcher(people_store, []).names_for(query)) == people_store.people_matching(query)
