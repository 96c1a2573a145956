"""Times of day as people type them, wherever a time is taken: the digest, the timezone command's hour for
date-only reminders and the configured delivery_time; a wrong one is refused with a correct example."""

from __future__ import annotations

import pytest

from bot.subscriptions import get_channel
from bot.transport import ChannelRef
from bot.values import SettingError, join_time_words, parse_time_of_day
from tests.test_config import settings_from
from tests.test_reminder_commands import commands, say, store  # noqa: F401  (fixtures)


@pytest.mark.parametrize("typed, normal", [
    ("8am", "08:00"), ("8 am", "08:00"), ("8AM", "08:00"), ("8 a.m.", "08:00"), ("8pm", "20:00"),
    ("8 pm", "20:00"), ("8:30pm", "20:30"), ("8.30 PM", "20:30"), ("12am", "00:00"), ("12pm", "12:00"),
    ("12:15am", "00:15"), ("20:00", "20:00"), ("8:00", "08:00"), ("0830", "08:30"), ("23:59", "23:59"),
    ("noon", "12:00"), ("Midnight", "00:00"), ("  9:05  ", "09:05"),
])
def test_a_time_of_day_in_the_ways_people_write_it(typed, normal):
    assert parse_time_of_day(typed) == normal


@pytest.mark.parametrize("typed, example", [
    ("8", "e.g. 8am, 8pm or 08:00"),
    ("20", "e.g. 20:00"),
    ("13pm", "write 13:00 or 1pm"),
    ("0am", "write 00:00 or 12am"),
    ("25:00", "e.g. 23:00 or midnight"),
    ("8:75", "e.g. 08:30"),
    ("8:75pm", "e.g. 8:30pm"),
    ("eight", "write e.g. 8am, 8:30pm, 20:00, noon or midnight"),
    ("", "write e.g. 8am"),
])
def test_a_wrong_time_is_refused_with_an_example_made_from_it(typed, example):
    with pytest.raises(SettingError, match="is not a time of day") as err:
        parse_time_of_day(typed)
    assert example in str(err.value)
    if typed.strip():
        assert f"`{typed}`" in str(err.value)
    # The example it gives is itself accepted.
    suggested = str(err.value).split("e.g. " if "e.g. " in str(err.value) else "write ")[-1]
    first = suggested.replace(" or ", ", ").split(", ")[0]
    assert parse_time_of_day(first)


def test_split_times_are_put_back_together():
    assert join_time_words(["daily", "8", "pm"]) == ["daily", "8 pm"]
    assert join_time_words(["weekly", "fri", "8:30", "a.m."]) == ["weekly", "fri", "8:30 a.m."]
    assert join_time_words(["pm", "8"]) == ["pm", "8"]  # nothing to join to


@pytest.mark.parametrize("text, day, at", [
    ("/summits digest daily 8am", None, "08:00"),
    ("/summits digest daily 8 pm", None, "20:00"),
    ("/summits digest daily noon", None, "12:00"),
    ("/summits digest weekly fri 8:30pm", "fri", "20:30"),
    ("/summits digest weekly 7 am thursday", "thu", "07:00"),
    ("/summits digest weekly midnight", "mon", "00:00"),
])
def test_the_digest_takes_forgiving_times(commands, store, text, day, at):
    reply = say(commands, text)
    assert reply.kind != "error", reply.text
    ch = get_channel(store, ChannelRef("slack", "T1", "C1"))
    assert (ch.digest_day, ch.digest_time) == (day, at)


def test_a_wrong_digest_time_says_how_to_write_it(commands):
    reply = say(commands, "/summits digest daily 13pm")
    assert reply.kind == "error" and "`13pm` is not a time of day" in reply.text and "13:00 or 1pm" in reply.text
    reply = say(commands, "/summits digest daily 8 pm 9 pm")
    assert reply.kind == "error" and "`daily` takes one time, got `8 pm 9 pm`; e.g. `daily 8 pm`" in reply.text


@pytest.mark.parametrize("text, zone, at", [
    ("/summits timezone seoul 8 am", "Asia/Seoul", "08:00"),
    ("/summits timezone South Korea 9pm", "Asia/Seoul", "21:00"),
    ("/summits timezone new york noon", "America/New_York", "12:00"),
    ("/summits timezone KST", "Asia/Seoul", "09:00"),  # the hour stays the configured one
])
def test_the_timezone_command_takes_a_zone_of_several_words_and_a_forgiving_time(commands, store, text, zone, at):
    reply = say(commands, text)
    assert reply.text.startswith(f"Time zone set to {zone}."), reply.text
    assert ("date-only reminders at", at) in reply.rows


def test_the_configured_delivery_time_takes_the_same_forms(tmp_path):
    assert settings_from(tmp_path, '[channels]\ndelivery_time = "9am"\n').delivery_time == "09:00"
    assert settings_from(tmp_path, '[channels]\ndelivery_time = "noon"\n').delivery_time == "12:00"


@pytest.mark.parametrize("typed, hint", [
    ("Seol", "did you mean `seoul` (Asia/Seoul)?"),
    ("Asia/Seol", "did you mean `Asia/Seoul`?"),
    ("america/new_yrok", "did you mean `America/New_York`?"),
    ("tokio", "did you mean `tokyo` (Asia/Tokyo)?"),
    ("xyzzy", "use a city, a country or an IANA name such as Asia/Seoul"),
])
def test_a_misspelt_zone_is_answered_with_the_nearest_one(commands, typed, hint):
    reply = say(commands, f"/summits timezone {typed} 8am")
    assert reply.kind == "error" and f"`{typed}` is not a time zone; {hint}" in reply.text
    suggested = hint.split("`")[1] if "`" in hint else "Asia/Seoul"
    assert say(commands, f"/summits timezone {suggested} 8am").text.startswith("Time zone set to")
