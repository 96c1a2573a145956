"""The feed and ingest chat commands against a local HTTP server: add, list, remove, resume, bad input, reading
a page off the event loop, summit lookups from a worker thread, and feed intervals."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from datetime import date, timedelta

import pytest

from bot.commands import Commands, Context, Services
from bot.feeds import get_feed, parse_every
from bot.fetch import Fetcher
from bot.models import Meeting
from bot.store import Store
from tests.conftest import make_meeting
from tests.feed_helpers import SLACK, T0, FakeExtractor, Site, open_settings, page
from tests.http_fixtures import held, http_server  # noqa: F401


# -- commands ---------------------------------------------------------------------------

ADMIN = Context(platform="slack", workspace="T1", channel="C1", user="U1", is_admin=True)
MEMBER = Context(platform="slack", workspace="T1", channel="C1", user="U2", is_admin=False)


@pytest.fixture
def commands(store):
    settings = open_settings(now=T0)
    return Commands(Services(store=store, settings=settings,
                             extra={"extractor": FakeExtractor(), "fetcher": Fetcher(settings)}))


def test_feed_commands_add_list_remove_resume(http_server, commands, store):
    url = Site(http_server).publish()
    reply = commands.handle(f"/summits feeds add <{url}|feed> every:30m", ADMIN)
    assert reply.kind == "message" and reply.text.startswith("Following feed #1, polled every 30m")
    feed = get_feed(store, 1)
    assert feed.channel == SLACK and feed.added_by == "U1" and feed.every == timedelta(minutes=30)
    assert "Already following" in commands.handle(f"/summits feeds add {url}", ADMIN).text
    listing = commands.handle("/summits feeds", MEMBER)
    assert listing.rows[0][0] == "#1" and url in listing.rows[0][1] and "every 30m" in listing.rows[0][1]
    assert "Only admins" in commands.handle(f"/summits feeds add {url}", MEMBER).text
    assert "Only admins" in commands.handle("/summits feeds remove 1", MEMBER).text
    assert commands.handle("/summits feeds remove #1", ADMIN).text == "Stopped following feed #1."
    assert commands.handle("/summits feeds", ADMIN).text.startswith("No feeds yet")
    assert "Following again" in commands.handle(f"/summits feeds add {url}", ADMIN).text
    assert "no such feed" in commands.handle("/summits feeds remove 9", ADMIN).text
    assert "Resumed feed #1" in commands.handle("/summits feeds resume 1", ADMIN).text
    # Discord passes typed options.
    reply = commands.run("feeds", {"_": "add http://127.0.0.1:9/other.xml", "every": "2h"}, ADMIN)
    assert reply.text.startswith("Following feed #2, polled every 2h")


@pytest.mark.parametrize("text, words", [
    ("/summits feeds add http://169.254.169.254/feed", "link-local"),
    ("/summits feeds add file:///etc/passwd", "http:// or https://"),
    ("/summits feeds add http://example.test/feed every:1m", "polled every 5m to 7d"),
    ("/summits feeds add http://example.test/feed every:soon", "not an interval"),
    ("/summits feeds add", "Give one feed URL"),
    ("/summits feeds remove x", "Which feed?"),
    ("/summits feeds frobnicate", "don't understand"),
])
def test_feed_commands_explain_bad_input(commands, text, words):
    reply = commands.handle(text, ADMIN)
    assert reply.kind == "error" and words in reply.text


def test_ingest_command_reads_a_page_and_lists_what_it_found(http_server, commands):
    url = http_server.page("/news/1", page("Macron to meet Merz", "President Emmanuel Macron will meet "
                                           "Chancellor Friedrich Merz in Berlin next Tuesday."))
    reply = commands.handle(f"/summits ingest {url}", ADMIN)
    assert reply.kind == "meetings" and reply.text == "Read 1 new article: 1 new summit, 0 updated."
    assert reply.meetings[0].participants == ["Emmanuel Macron", "Friedrich Merz"]
    assert ("read", "Macron to meet Merz (Example News, 2025-10-23)") in reply.rows
    again = commands.handle(f"/summits ingest <{url}>", ADMIN)
    assert again.text.startswith("Read 0 new articles") and again.rows[0][0] == "already read"
    refused = commands.handle("/summits ingest http://169.254.169.254/latest/meta-data/", ADMIN)
    assert refused.kind == "error" and "could not read that page: refused" in refused.text
    assert "Only admins" in commands.handle(f"/summits ingest {url}", MEMBER).text
    assert "Which article?" in commands.handle("/summits ingest", ADMIN).text


class ThreadNotingExtractor(FakeExtractor):
    """FakeExtractor that also notes the thread each extraction runs on."""

    def __init__(self):
        self.threads: list[int] = []

    def extract(self, article) -> list[Meeting]:
        self.threads.append(threading.get_ident())
        return super().extract(article)


def test_ingest_fetches_and_extracts_off_the_event_loop(http_server, commands, store, monkeypatch):
    requested, release = threading.Event(), threading.Event()
    url = http_server.handle("/news/held", held(page("Macron to meet Merz", "President Emmanuel Macron will meet "
                                                     "Chancellor Friedrich Merz in Berlin next Tuesday."),
                                                requested, release))
    extractor = commands.services.extra["extractor"] = ThreadNotingExtractor()
    writes: list[int] = []
    add_article = store.add_article

    def noting_add_article(*args, **kw):
        writes.append(threading.get_ident())
        return add_article(*args, **kw)

    monkeypatch.setattr(store, "add_article", noting_add_article)

    async def scenario():
        ingest = asyncio.create_task(commands.handle_async(f"/summits ingest {url}", ADMIN))
        assert await asyncio.to_thread(requested.wait, 10)  # the fetch is in flight; the page is held
        # Meanwhile the loop answers another command from the same database, and the ingest waits on.
        listing = await commands.handle_async("/summits feeds", MEMBER)
        assert listing.text.startswith("No feeds yet") and not ingest.done()
        release.set()
        return await ingest, threading.get_ident()

    try:
        reply, loop_thread = asyncio.run(asyncio.wait_for(scenario(), 20))
    finally:
        release.set()
    assert reply.text == "Read 1 new article: 1 new summit, 0 updated."
    assert reply.meetings[0].participants == ["Emmanuel Macron", "Friedrich Merz"]
    assert writes == [loop_thread]  # the article was stored by the loop's thread, on the shared connection
    assert len(extractor.threads) == 1 and extractor.threads != [loop_thread]


class LookupExtractor:
    """Asks the database about the G20 summit, as the real extractor does for 'on the sidelines of the G20'."""

    def __init__(self):
        self.found: list = []
        self.stores: list[Store] = []

    def extract(self, article, *, summit_lookup=None) -> list[Meeting]:
        self.found.append(summit_lookup("G20 summit", article.published.date()))
        self.stores.append(summit_lookup.__self__)
        return []


def test_summit_lookups_from_a_worker_thread_read_through_their_own_connection(http_server, commands, store):
    store.insert_meeting(make_meeting(name="G20 Summit", kind="multilateral", location="Johannesburg",
                                      start=date(2025, 11, 22), end=date(2025, 11, 23)),
                         article_id=None, asof=None, now=T0)
    url = http_server.page("/news/2", page("Leaders head to the G20", "Leaders will gather at the G20 summit."))
    extractor = commands.services.extra["extractor"] = LookupExtractor()
    reply = asyncio.run(commands.handle_async(f"/summits ingest {url}", ADMIN))
    assert reply.text == "Read 1 new article: 0 new summits, 0 updated."
    assert extractor.found == [(date(2025, 11, 22), date(2025, 11, 23), "Johannesburg")]
    [reader] = extractor.stores  # not the shared connection, and closed once the extraction was done
    assert reader is not store and reader.db.conn is not store.db.conn
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        reader.db.execute("SELECT 1")


def test_parse_every():
    assert parse_every("15m") == timedelta(minutes=15) and parse_every("2h") == timedelta(hours=2)
    assert parse_every("1d") == timedelta(days=1) and parse_every("45") == timedelta(minutes=45)
