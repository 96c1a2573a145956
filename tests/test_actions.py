"""Buttons in the core: the actions a reply offers, their payloads, and what a click does (bot/actions.py,
bot/commands/buttons.py), on a real SQLite file."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from bot.actions import MAX_PAYLOAD, Action, ActionError, decode, meeting_actions, page_action, pager
from bot.commands import Commands, Context, Services
from bot.commands.buttons import act
from bot.config import Settings
from bot.models import Article
from tests.conftest import make_meeting, make_record

NOW = datetime(2025, 10, 24, tzinfo=timezone.utc)
ADMIN = Context(is_admin=True)
MEMBER = Context(is_admin=False)


@pytest.fixture
def commands(store):
    for i in range(23):  # three pages of upcoming (10, 10, 3)
        day = date(2025, 10, 25) + timedelta(days=i)
        store.insert_meeting(make_meeting(participants=["Donald Trump", f"Leader {i:02d}"], location=f"City {i:02d}",
                                          start=day, end=day), article_id=None, asof=None)
    settings = Settings(now=NOW, env={"SUMMITBOT_WEB_URL": "https://summits.example/"})
    return Commands(Services(store=store, settings=settings))


def test_payloads_round_trip_and_fit_discord():
    actions = [Action("details", "Details", meeting_id=12), Action("follow", "x", meeting_id=2 ** 63 - 1),
               page_action("upcoming", 3, {"days": "30", "who": "Lee Jae-myung"}),
               page_action("search", 1000, {"q": "G20 summit & “Brussels”"})]
    for action in actions:
        raw = action.encode()
        assert len(raw) <= MAX_PAYLOAD and raw.isprintable()
        back = decode(raw)
        assert (back.verb, back.meeting_id, back.command, back.filters, back.page) == \
               (action.verb, action.meeting_id, action.command, action.filters, action.page)
    post = decode("sb1:P:" + actions[2].encode()[4:])
    assert post.verb == "post" and post.inner is not None and post.inner.page == 3
    # A leader's name too long to carry: no Next button rather than a cut payload.
    assert pager("upcoming", 1, {"who": "x" * 95}, more=True) == []


@pytest.mark.parametrize("raw", [None, "", "sb1", "sb2:d:1", "sb1:x:1", "sb1:d:0", "sb1:d:-1", "sb1:d:1.5",
                                 "sb1:d:" + "9" * 20, "sb1:p:rm:1:", "sb1:p:upcoming:0:", "sb1:p:upcoming:1001:",
                                 "sb1:p:upcoming:1:days=1&days=2", "sb1:p:upcoming:1:q=x", "sb1:p:search:1:q=%00",
                                 "sb1:P:P:d:1", "sb1:d:1\n", "sb1:p:upcoming:1:days", "x" * 500])
def test_forged_or_cut_payloads_are_refused_in_words(raw):
    with pytest.raises(ActionError, match="^That button is not one of summitbot's.*run the command again"):
        decode(raw)


def test_each_summit_offers_the_buttons_it_can_use():
    listed = [a.verb for a in meeting_actions(make_record())]
    assert listed == ["details", "sources", "calendar", "follow"]
    detail = [a.verb for a in meeting_actions(make_record(), detail=True)]
    assert detail == ["calendar", "follow"]
    vague = make_record(start=date(2025, 11, 1), end=date(2025, 11, 30), precision="month", participants=[])
    assert [a.verb for a in meeting_actions(vague)] == ["details", "sources"]


def test_upcoming_pages_forward_and_back_through_its_buttons(commands):
    first = commands.handle("/summits upcoming", MEMBER)
    assert len(first.meetings) == 10 and first.buttons
    assert [a.label for a in first.actions] == ["Next"]
    assert "(more with `/summits upcoming days:30 page:2`)" in first.text
    second = act(commands, first.actions[0].encode(), MEMBER)
    assert [m.location for m in second.meetings] == [f"City {i:02d}" for i in range(10, 20)]
    assert [a.label for a in second.actions] == ["Previous", "Next"]
    third = act(commands, second.actions[1].encode(), MEMBER)
    assert len(third.meetings) == 3 and [a.label for a in third.actions] == ["Previous"]
    back = act(commands, third.actions[0].encode(), MEMBER)
    assert [m.id for m in back.meetings] == [m.id for m in second.meetings]
    again = act(commands, first.again.encode(), MEMBER)
    assert [m.id for m in again.meetings] == [m.id for m in first.meetings]
    # The filters travel with the page: who: and days: stay what was asked.
    narrow = commands.handle("/summits upcoming days:5 who:Donald Trump", MEMBER)
    assert len(narrow.meetings) == 5 and narrow.actions == []
    # A page past the end (the database changed since the list was shown) says so.
    empty = act(commands, page_action("upcoming", 9, {"days": "30"}).encode(), MEMBER)
    assert empty.kind == "message" and "on page 9" in empty.text and [a.label for a in empty.actions] == ["Previous"]


def test_search_pages_carry_the_query(commands):
    first = commands.handle("/summits search city", MEMBER)
    assert len(first.meetings) == 10 and [a.label for a in first.actions] == ["Next"]
    second = act(commands, first.actions[0].encode(), MEMBER)
    assert second.text.startswith("Summits matching “city”, page 2") and len(second.meetings) == 10
    assert not {m.id for m in first.meetings} & {m.id for m in second.meetings}


def test_details_sources_and_stale_summits(commands, store):
    article = store.add_article(Article(text="Trump will meet Leader 00 in City 00.", title="<b>Trump trip</b>",
                                        url="https://news.example/1", outlet="Wire",
                                        published=NOW))
    store.add_source(1, article.id, "Trump will meet Leader 00 in City 00.")
    detail = act(commands, "sb1:d:1", MEMBER)
    assert detail.kind == "detail" and detail.meetings[0].id == 1 and detail.again.encode() == "sb1:d:1"
    sources = act(commands, "sb1:s:1", MEMBER)
    assert sources.text.startswith("Sources for #1 Bilateral meeting: {0}") and sources.quoted
    assert sources.links == [("<b>Trump trip</b>", "https://news.example/1")]
    assert "Wire — <b>Trump trip</b> — “Trump will meet Leader 00 in City 00.”" in [v for _, v in sources.rows]
    none = act(commands, "sb1:s:2", MEMBER)
    assert none.text.startswith("No sources are stored")
    for code in ("d", "s", "c", "f"):
        gone = act(commands, f"sb1:{code}:999", ADMIN)
        assert gone.kind == "error" and "#999" in gone.text, code
    forged = act(commands, "sb1:d:abc", MEMBER)
    assert forged.kind == "error" and forged.text.startswith("That button is not one of summitbot's")


def test_add_to_calendar_gives_links_and_an_ics_file(commands, store):
    reply = act(commands, "sb1:c:1", MEMBER)
    assert reply.ephemeral and reply.text.startswith("Add #1 Bilateral meeting: {0} (")
    labels = {a.label: a.url for a in reply.actions}
    assert labels["Google Calendar"].startswith("https://calendar.google.com/calendar/render?action=TEMPLATE")
    assert labels["Outlook"].startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
    assert labels[".ics file"] == "https://summits.example/summit/1.ics"  # SUMMITBOT_WEB_URL is set
    name, data = reply.attachment
    assert name == "summit-1.ics"
    [event] = Calendar.from_ical(data).walk("VEVENT")
    assert str(event["uid"]) == "summit-1@summitbot" and event["dtstart"].dt == date(2025, 10, 25)
    store.update_meeting(2, {"status": "cancelled"})
    cancelled = act(commands, "sb1:c:2", MEMBER)
    assert "cannot go in a calendar yet: it is cancelled" in cancelled.text and cancelled.attachment is None


def test_subscribe_to_its_leaders_is_for_admins_and_idempotent(commands):
    refused = act(commands, "sb1:f:1", MEMBER)
    assert refused.kind == "error" and "Only admins" in refused.text
    done = act(commands, "sb1:f:1", ADMIN)
    assert done.kind == "message" and ("subscribed to", "Donald Trump, Leader 00") in done.rows
    again = act(commands, "sb1:f:2", ADMIN)
    assert ("subscribed to", "Leader 01") in again.rows and ("already subscribed", "Donald Trump") in again.rows
    listed = commands.handle("/summits subscriptions", ADMIN)
    assert listed.text.startswith("This channel has 3 subscriptions")
