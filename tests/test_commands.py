"""The platform-neutral command layer: parsing, replies, errors, admin checks."""

from datetime import date, datetime, timezone

import pytest

from bot.commands import Commands, Context, Services
from bot.config import Settings
from tests.conftest import make_meeting


@pytest.fixture
def commands(store):
    store.insert_meeting(make_meeting(), article_id=None, asof=None)
    store.insert_meeting(make_meeting(participants=["Donald Trump", "Xi Jinping"], location="Busan",
                                      start=date(2025, 10, 30), end=date(2025, 10, 30)), article_id=None, asof=None)
    settings = Settings(now=datetime(2025, 10, 24, tzinfo=timezone.utc))
    return Commands(Services(store=store, settings=settings))


CTX = Context()


def test_upcoming_lists_meetings_in_date_order(commands):
    reply = commands.handle("/summits upcoming", CTX)
    assert reply.kind == "meetings"
    assert [m.participants[1] for m in reply.meetings] == ["Lee Jae-myung", "Xi Jinping"]


def test_upcoming_takes_days_and_who(commands):
    assert commands.handle("/summits upcoming days:3", CTX).kind == "message"
    reply = commands.handle("/summits upcoming who:Xi Jinping", CTX)
    assert [m.location for m in reply.meetings] == ["Busan"]
    assert commands.handle("upcoming 10", CTX).kind == "meetings"


def test_bad_arguments_get_a_helpful_reply(commands):
    reply = commands.handle("/summits upcoming days:soon", CTX)
    assert reply.kind == "error" and "whole number" in reply.text and "/summits upcoming" in reply.text
    reply = commands.handle("/summits upcoming when:tomorrow", CTX)
    assert reply.kind == "error" and "`days:`" in reply.text
    assert commands.handle("/summits show abc", CTX).kind == "error"
    assert "no summit #999" in commands.handle("/summits show 999", CTX).text
    assert commands.handle("/summits frobnicate", CTX).text.startswith("Unknown command")
    assert "nobody called" in commands.handle("/summits next Nobody Atall", CTX).text


def test_next_and_search_and_show(commands):
    reply = commands.handle("/summits next xi", CTX)
    assert reply.meetings[0].participants == ["Donald Trump", "Xi Jinping"]
    assert commands.handle("/summits search busan", CTX).meetings[0].location == "Busan"
    detail = commands.handle("/summits show 1", CTX)
    assert detail.kind == "detail" and detail.meetings[0].changes


def test_help_lists_commands(commands):
    reply = commands.handle("/summits", CTX)
    assert reply.kind == "help"
    assert any("upcoming" in usage for usage, _ in reply.rows)


def test_unexpected_errors_are_apologised_for(commands, monkeypatch):
    monkeypatch.setattr(commands.services.store, "upcoming", lambda *a, **k: 1 / 0)
    reply = commands.handle("/summits upcoming", CTX)
    assert reply.kind == "error" and "Sorry" in reply.text


def test_numbers_too_large_to_be_ids_get_a_helpful_reply_not_an_apology(commands):
    huge = "9" * 25
    for text in (f"/summits show {huge}", f"/summits unsubscribe {huge}", f"/summits feeds remove {huge}",
                 "/summits show ²"):
        reply = commands.handle(text, CTX)
        assert reply.kind == "error" and "Sorry" not in reply.text and "Usage" in reply.text, text


def test_a_mistyped_command_gets_the_nearest_one(commands):
    reply = commands.handle("/summits upcomin days:3", CTX)
    assert reply.kind == "error" and "Did you mean `/summits upcoming`?" in reply.text
    assert "Did you mean" not in commands.handle("/summits frobnicate", CTX).text


def test_help_for_one_command(commands):
    reply = commands.handle("/summits help sub", CTX)
    assert reply.kind == "help" and len(reply.rows) == 1
    assert reply.rows[0][0].startswith("/summits subscribe") and "(admins)" in reply.rows[0][1]
    assert len(commands.handle("/summits help nothing", CTX).rows) > 5


def test_help_lists_only_the_commands_offered_where_it_is_asked(commands):
    everything = commands.handle("/summits help", CTX).rows
    assert [usage.split()[1] for usage, _ in everything] == [spec.name for spec in Commands.specs()]
    few = Context(platform="discord", offered=frozenset({"show", "help"}))
    assert [usage.split()[1] for usage, _ in commands.handle("/summits help", few).rows] == ["help", "show"]
    assert len(commands.handle("/summits help ingest", few).rows) == 2  # not offered there: the list instead


def test_subscribe_says_the_lead_times_in_words(commands):
    assert "Reminders come 7 days and 1 day before each summit" in commands.handle("/summits subscribe", CTX).text
    assert "come 1 day before each summit and on the day" in commands.handle(
        "/summits subscribe lead:0d,1d", CTX).text


def test_adapters_share_one_rule_for_settings_changes(commands):
    from bot.commands import changes_channel_settings

    assert changes_channel_settings("sub", False) and changes_channel_settings("digest", True)
    assert changes_channel_settings("tz", True) and not changes_channel_settings("timezone", False)
    assert not changes_channel_settings("upcoming", True) and not changes_channel_settings("nonsense", True)
