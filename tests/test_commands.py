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
