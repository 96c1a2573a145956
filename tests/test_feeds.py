"""Feeds against a local HTTP server: first poll, 304, new entries, backoff and pause, hostile XML, commands, CLI."""

from __future__ import annotations

import asyncio
import io
import random
import re
import sqlite3
import threading
from datetime import date, datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

import pytest

from bot.commands import Commands, Context, Services
from bot.config import Settings
from bot.feeds import (
    FeedError,
    add_feed,
    due_feeds,
    entries,
    get_feed,
    next_poll_time,
    parse_every,
    parse_feed,
    poll_due_feeds,
    poll_feed,
    resume_feed,
    send_pause_notices,
)
from bot.fetch import Fetcher
from bot.models import Meeting
from bot.pipeline import Ingestor
from bot.store import Store
from bot.transport import ChannelRef
from tests.conftest import make_meeting
from tests.http_fixtures import held, http_server  # noqa: F401

T0 = datetime(2025, 10, 24, 0, 0, tzinfo=timezone.utc)
SLACK = ChannelRef("slack", "T1", "C1")
LAST_MODIFIED = "Thu, 23 Oct 2025 23:00:00 GMT"


def open_settings(**kw) -> Settings:
    return Settings(allow_private_urls=True, fetch_timeout=5.0, **kw)


class FakeExtractor:
    """'<First Last> will meet [Title] <First Last> in <Place>' -> one bilateral meeting a week after publication."""

    PATTERN = re.compile(r"([A-Z][a-z]+ [A-Z][a-z]+) will meet (?:[A-Z][a-z]+ )?([A-Z][a-z]+ [A-Z][a-z]+) in ([A-Z][a-z]+)")

    def extract(self, article) -> list[Meeting]:
        found = []
        for m in self.PATTERN.finditer(article.text):
            day = article.published.date() + timedelta(days=7)
            found.append(Meeting(participants=[m.group(1), m.group(2)], kind="bilateral", location=m.group(3),
                                 start=day, end=day, certainty="planned", sentence=m.group(0)))
        return found


def page(title: str, sentence: str, published: str = "2025-10-23T08:00:00+00:00") -> str:
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Example News</title>
<meta property="og:site_name" content="Example News">
<meta property="article:published_time" content="{published}"></head><body>
<article><h1>{title}</h1><p>{sentence} Officials in both capitals confirmed the plan on Thursday.</p>
<p>The leaders are expected to discuss defence spending, energy prices and trade, aides said, and a joint
statement on industrial policy is being prepared for the occasion by both foreign ministries.</p>
</article></body></html>"""


def rss(items: list[dict], title: str = "World news") -> str:
    body = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['link'])}</link>"
        + (f"<guid>{escape(i['guid'])}</guid>" if i.get("guid") else "")
        + f"<description>{escape(i.get('summary', i['title']))}</description>"
        f"<pubDate>{format_datetime(i['published'], usegmt=True)}</pubDate></item>"
        for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
            f"<link>http://example.test/</link><description>news</description>{body}</channel></rss>")


def atom(items: list[dict], title: str = "World news") -> str:
    body = "".join(
        f"<entry><title>{escape(i['title'])}</title><link href=\"{escape(i['link'])}\"/>"
        f"<id>{escape(i.get('guid') or i['link'])}</id><updated>{i['published'].isoformat()}</updated>"
        f"<summary>{escape(i.get('summary', i['title']))}</summary></entry>"
        for i in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{title}</title><id>urn:test</id><updated>2025-10-23T00:00:00Z</updated>{body}</feed>")


FORMATS = {"rss": (rss, "application/rss+xml"), "atom": (atom, "application/atom+xml")}


class Site:
    """A news site on the local server: article pages and one feed."""

    def __init__(self, server, kind: str = "rss"):
        self.server = server
        self.render, self.ctype = FORMATS[kind]
        self.items: list[dict] = []
        self.version = 0

    def article(self, slug: str, a: str, b: str, place: str, published: datetime) -> dict:
        sentence = f"President {a} will meet Chancellor {b} in {place} next week."
        link = self.server.page(f"/news/{slug}", page(f"{a} to meet {b}", sentence, published.isoformat()))
        item = {"title": f"{a} to meet {b}", "link": link, "guid": f"urn:news:{slug}", "published": published}
        self.items.append(item)
        return item

    def publish(self) -> str:
        """Serve the feed's current items under a new ETag."""
        self.version += 1
        return self.server.page("/feed.xml", self.render(list(reversed(self.items))), content_type=self.ctype,
                                etag=f'"v{self.version}"', last_modified=LAST_MODIFIED)

    def page_fetches(self) -> list[str]:
        return [p for p in self.server.paths() if p.startswith("/news/")]


class Notes:
    """A notify callback that remembers what it was asked to say."""

    def __init__(self, fail: bool = False):
        self.sent: list[tuple[ChannelRef, object]] = []
        self.fail = fail

    async def __call__(self, channel, reply) -> None:
        if self.fail:
            raise RuntimeError("slack is down")
        self.sent.append((channel, reply))


def poll(store, settings, now, ingestor, notify=None, seed: int = 1, **kw):
    return asyncio.run(poll_due_feeds(store, settings, now, ingestor, notify or Notes(), rng=random.Random(seed),
                                      **kw))


@pytest.fixture
def ingestor(store):
    return Ingestor(store, FakeExtractor(), settings=open_settings())


# -- polling --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_first_poll_ingests_then_304_fetches_nothing_then_a_new_entry_makes_a_new_meeting(
        http_server, store, ingestor, kind):
    site = Site(http_server, kind)
    site.article("1", "Emmanuel Macron", "Friedrich Merz", "Berlin", T0 - timedelta(hours=20))
    site.article("2", "Keir Starmer", "Olaf Scholz", "London", T0 - timedelta(hours=10))
    settings = open_settings()
    feed, outcome = add_feed(store, settings, site.publish(), SLACK, T0)
    assert outcome == "added" and [f.id for f in due_feeds(store, T0)] == [feed.id]

    first = poll(store, settings, T0, ingestor)
    result = first.results[0]
    assert (result.outcome, result.entries_new, result.ingested, result.meetings_new) == ("ok", 2, 2, 2)
    assert [e.status for e in entries(store, feed.id)] == ["ingested", "ingested"]
    assert sorted(site.page_fetches()) == ["/news/1", "/news/2"]
    feed = get_feed(store, feed.id)
    assert feed.etag == '"v1"' and feed.last_modified == LAST_MODIFIED and feed.title == "World news"
    assert feed.first_polled_at == T0 and due_feeds(store, T0) == []
    assert timedelta(minutes=13.5) <= feed.next_poll_at - T0 <= timedelta(minutes=16.5)

    second = poll(store, settings, T0 + timedelta(minutes=20), ingestor)
    assert second.results[0].outcome == "not-modified"
    conditional = http_server.requests_for("/feed.xml")[-1].headers
    assert conditional["if-none-match"] == '"v1"' and conditional["if-modified-since"] == LAST_MODIFIED
    assert len(site.page_fetches()) == 2  # nothing fetched on a 304

    changes_before = store.db["changes"].count
    site.article("3", "Giorgia Meloni", "Pedro Sanchez", "Rome", T0 + timedelta(minutes=30))
    site.publish()
    third = poll(store, settings, T0 + timedelta(minutes=45), ingestor)
    result = third.results[0]
    assert (result.entries_new, result.ingested, result.meetings_new) == (1, 1, 1)
    assert site.page_fetches()[-1] == "/news/3" and len(site.page_fetches()) == 3
    [meeting_id] = result.meeting_ids
    assert store.meeting(meeting_id).participants == ["Giorgia Meloni", "Pedro Sanchez"]
    created = list(store.db["changes"].rows_where("id > ? AND field = 'created'", [changes_before]))
    assert [c["meeting_id"] for c in created] == [meeting_id]
    article = store.db["articles"].get(created[0]["article_id"])
    assert article["url"] == http_server.url("/news/3") and article["outlet"] == "Example News"


def test_failures_back_off_then_pause_the_feed_and_tell_the_channel_that_added_it(http_server, store, ingestor):
    http_server.page("/feed.xml", "oops", status=500, content_type="text/plain")
    settings = open_settings(feed_max_failures=4)
    feed, _ = add_feed(store, settings, http_server.url("/feed.xml"), SLACK, T0)
    notes = Notes()
    now, delays = T0, []
    for attempt in range(1, 4):
        report = poll(store, settings, now, ingestor, notes, seed=attempt)
        assert report.results[0].outcome == "failed" and report.results[0].error == "HTTP 500 Internal Server Error"
        nxt = get_feed(store, feed.id).next_poll_at
        delays.append(nxt - now)
        assert due_feeds(store, nxt - timedelta(seconds=1)) == []
        now = nxt
    assert delays[0] < delays[1] < delays[2]  # 30m, 60m, 120m (± 10 %)
    assert notes.sent == []
    report = poll(store, settings, now, ingestor, notes)
    assert report.paused == [feed.id] and report.notified == [feed.id]
    paused = get_feed(store, feed.id)
    assert paused.status == "paused" and "failed 4 times in a row" in paused.status_reason
    [(channel, reply)] = notes.sent
    assert channel == SLACK
    assert "paused feed #1" in reply.text and "/summits feeds resume 1" in reply.text
    assert ("last error", "HTTP 500 Internal Server Error") in reply.rows and ("feed", paused.url) in reply.rows
    assert due_feeds(store, now + timedelta(days=30)) == []
    assert poll(store, settings, now + timedelta(days=1), ingestor, notes).polled == 0
    assert len(notes.sent) == 1  # told once
    resumed = resume_feed(store, feed.id, now)
    assert resumed.status == "active" and resumed.failures == 0 and due_feeds(store, now) != []


def test_a_pause_notice_waits_until_it_can_be_delivered(http_server, store, ingestor):
    http_server.page("/feed.xml", "oops", status=503, content_type="text/plain")
    settings = open_settings(feed_max_failures=1)
    feed, _ = add_feed(store, settings, http_server.url("/feed.xml"), SLACK, T0)
    report = poll(store, settings, T0, ingestor, Notes(fail=True))
    assert report.paused == [feed.id] and report.notify_errors and not report.notified
    assert get_feed(store, feed.id).pause_notified is False
    notes = Notes()
    report = asyncio.run(send_pause_notices(store, notes))
    assert report.notified == [feed.id] and notes.sent[0][0] == SLACK
    assert asyncio.run(send_pause_notices(store, notes)).notified == []


def test_backoff_and_jitter_are_deterministic_given_the_random_source():
    every = timedelta(minutes=15)
    assert next_poll_time(T0, every, 0, random.Random(7)) == next_poll_time(T0, every, 0, random.Random(7))
    for seed in range(20):
        delay = next_poll_time(T0, every, 0, random.Random(seed)) - T0
        assert timedelta(minutes=13.5) <= delay <= timedelta(minutes=16.5)
    assert {next_poll_time(T0, every, 0, random.Random(s)) for s in range(20)}.__len__() > 1
    for failures, minutes in ((1, 30), (2, 60), (3, 120)):
        delay = next_poll_time(T0, every, failures, random.Random(1)) - T0
        assert abs(delay.total_seconds() / 60 - minutes) <= minutes * 0.1 + 0.02
    assert next_poll_time(T0, every, 15, random.Random(1)) - T0 <= timedelta(hours=6.6)


def test_entries_are_deduplicated_by_guid_then_link_then_content(http_server, store, ingestor):
    site = Site(http_server)
    one = site.article("1", "Emmanuel Macron", "Friedrich Merz", "Berlin", T0 - timedelta(hours=5))
    settings = open_settings()
    feed, _ = add_feed(store, settings, site.publish(), SLACK, T0)
    poll(store, settings, T0, ingestor)
    # The feed is regenerated: new guid for the same link; and a copy under another link with the same text.
    site.items = [dict(one, guid="urn:regenerated:1"), dict(one, guid=None, link=http_server.url("/mirror/1"))]
    site.publish()
    report = poll(store, settings, T0 + timedelta(hours=1), ingestor)
    assert report.results[0].entries_new == 0 and site.page_fetches() == ["/news/1"]
    assert len(entries(store, feed.id)) == 1


def test_entries_older_than_the_first_poll_are_recorded_not_ingested(http_server, store, ingestor):
    site = Site(http_server)
    site.article("1", "Emmanuel Macron", "Friedrich Merz", "Berlin", T0 - timedelta(days=3))
    settings = open_settings()
    feed, _ = add_feed(store, settings, site.publish(), SLACK, T0)
    assert poll(store, settings, T0, ingestor).results[0].ingested == 1  # the backlog at the first poll is read
    site.article("old", "Keir Starmer", "Olaf Scholz", "London", T0 - timedelta(days=2))  # resurfaces later
    site.publish()
    result = poll(store, settings, T0 + timedelta(hours=1), ingestor).results[0]
    assert (result.entries_new, result.old, result.ingested) == (1, 1, 0)
    assert "/news/old" not in site.page_fetches()
    assert entries(store, feed.id)[-1].status == "old"


def test_a_bad_entry_page_does_not_stop_the_others_and_is_retried(http_server, store, ingestor):
    site = Site(http_server)
    site.article("good", "Emmanuel Macron", "Friedrich Merz", "Berlin", T0 - timedelta(hours=3))
    pdf = http_server.page("/doc.pdf", b"%PDF-1.7", content_type="application/pdf")
    site.items.append({"title": "A PDF", "link": pdf, "guid": "urn:pdf", "published": T0 - timedelta(hours=2)})
    site.items.append({"title": "Metadata", "link": "http://169.254.169.254/latest/meta-data/", "guid": "urn:md",
                       "published": T0 - timedelta(hours=1)})
    settings = open_settings()
    feed, _ = add_feed(store, settings, site.publish(), SLACK, T0)
    result = poll(store, settings, T0, ingestor).results[0]
    assert result.outcome == "ok" and result.ingested == 1
    reasons = dict(result.failed)
    assert "application/pdf is not accepted" in reasons[pdf]
    assert "link-local" in reasons["http://169.254.169.254/latest/meta-data/"]
    now = T0
    for _ in range(3):
        now += timedelta(hours=1)
        site.publish()
        poll(store, settings, now, ingestor)
    assert len(http_server.requests_for("/doc.pdf")) == 3  # tried three times in all, then left alone
    assert {e.title: e.attempts for e in entries(store, feed.id)}["A PDF"] == 3


def test_a_big_backlog_is_capped_per_poll_and_reports_progress(http_server, store, ingestor, monkeypatch):
    monkeypatch.setattr("bot.feeds.MAX_NEW_ENTRIES", 2)
    site = Site(http_server)
    for i, (a, b) in enumerate([("Emmanuel Macron", "Friedrich Merz"), ("Keir Starmer", "Olaf Scholz"),
                                ("Giorgia Meloni", "Pedro Sanchez")]):
        site.article(str(i), a, b, "Berlin", T0 - timedelta(hours=10 - i))
    settings = open_settings()
    feed, _ = add_feed(store, settings, site.publish(), SLACK, T0)
    seen = []
    result = poll(store, settings, T0, ingestor, progress=lambda f, done, total: seen.append((f.id, done, total)))
    result = result.results[0]
    assert (result.ingested, result.skipped) == (2, 1)
    assert seen == [(feed.id, 0, 2), (feed.id, 1, 2), (feed.id, 2, 2)]
    skipped = [e for e in entries(store, feed.id) if e.status == "skipped"]
    assert [e.link for e in skipped] == [http_server.url("/news/0")]  # the oldest one


def test_poll_feed_runs_one_feed_synchronously(http_server, store, ingestor):
    site = Site(http_server)
    site.article("1", "Emmanuel Macron", "Friedrich Merz", "Berlin", T0 - timedelta(hours=5))
    settings = open_settings()
    feed, _ = add_feed(store, settings, site.publish(), SLACK, T0)
    result = poll_feed(store, settings, feed, T0, ingestor, fetcher=Fetcher(settings), rng=random.Random(3))
    assert result.ingested == 1 and result.meetings_new == 1


def test_a_due_feed_is_claimed_so_a_second_poller_skips_it(http_server, store, ingestor):
    from bot.feeds import _claim

    settings = open_settings()
    add_feed(store, settings, Site(http_server).publish(), SLACK, T0)
    [seen_by_a] = due_feeds(store, T0)
    [seen_by_b] = due_feeds(store, T0)
    assert _claim(store, seen_by_a, T0) is True
    assert _claim(store, seen_by_b, T0) is False  # the other process lost the race: no double poll
    assert due_feeds(store, T0) == [] and len(due_feeds(store, T0 + timedelta(minutes=11))) == 1


def test_a_loopback_feed_is_refused_without_the_switch(http_server, store, ingestor):
    url = Site(http_server).publish()
    with pytest.raises(FeedError, match="loopback"):
        add_feed(store, Settings(), url, SLACK, T0)
    # Added while allowed, polled after the switch went off: refused at poll time, nothing fetched.
    feed, _ = add_feed(store, open_settings(), url, SLACK, T0)
    result = poll(store, Settings(), T0, ingestor).results[0]
    assert result.outcome == "failed" and "loopback" in result.error and http_server.paths() == []


# -- hostile XML ------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title><link>http://example.test/a</link></item></channel></rss>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title>
<item><title>&xxe;</title><link>http://example.test/a</link><guid>&xxe;</guid></item></channel></rss>"""

PARAMETER_XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "file:///etc/passwd"> %remote;]>
<rss version="2.0"><channel><title>x</title></channel></rss>"""


@pytest.mark.parametrize("name, xml, encoding", [
    ("billion-laughs", BILLION_LAUGHS, "utf-8"),
    ("billion-laughs-utf16", BILLION_LAUGHS.replace('version="1.0"?>', 'version="1.0" encoding="utf-16"?>'),
     "utf-16"),
    ("external-entity", XXE, "utf-8"),
    ("parameter-entity", PARAMETER_XXE, "utf-8"),
    ("entity-after-garbage", "<rss><channel>&broken; <!ENTITY a 'b'></channel></rss>", "utf-8"),
])
def test_feeds_declaring_entities_are_refused_before_parsing(name, xml, encoding):
    with pytest.raises(FeedError, match="declares XML entities"):
        parse_feed(xml.encode(encoding), "http://example.test/feed")


def test_an_external_dtd_is_not_read():
    xml = ('<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd"><rss version="2.0"><channel>'
           "<title>Safe</title><item><title>One</title><link>/a</link></item></channel></rss>")
    parsed = parse_feed(xml.encode(), "http://example.test/feed")
    assert parsed.title == "Safe" and parsed.entries[0].link == "http://example.test/a"


def test_entry_links_are_made_absolute_and_only_http_kept():
    xml = ('<rss version="2.0"><channel><title>t</title><item><title>a</title><link>/news/1</link></item>'
           "<item><title>b</title><link>file:///etc/passwd</link></item></channel></rss>")
    parsed = parse_feed(xml.encode(), "http://example.test/feeds/main.xml")
    assert [e.link for e in parsed.entries] == ["http://example.test/news/1", None]


def test_not_a_feed_is_an_error():
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse_feed(b"just some text", "http://example.test/feed")


@pytest.mark.parametrize("xml", [BILLION_LAUGHS, XXE])
def test_hostile_feeds_count_as_failures_and_leave_nothing_behind(http_server, store, ingestor, xml):
    http_server.page("/feed.xml", xml, content_type="application/rss+xml")
    settings = open_settings()
    feed, _ = add_feed(store, settings, http_server.url("/feed.xml"), SLACK, T0)
    result = poll(store, settings, T0, ingestor).results[0]
    assert result.outcome == "failed" and "declares XML entities" in result.error
    assert entries(store, feed.id) == [] and store.db["articles"].count == 0
    dump = "\n".join(store.db.iterdump())
    assert "root:" not in dump and "lollol" not in dump


def test_an_oversized_feed_is_cut_off_before_parsing(http_server, store, ingestor):
    site = Site(http_server)
    site.article("1", "Emmanuel Macron", "Friedrich Merz", "Berlin", T0)
    url = site.publish()
    settings = open_settings(fetch_max_bytes=200)
    feed, _ = add_feed(store, settings, url, SLACK, T0)
    result = poll(store, settings, T0, ingestor).results[0]
    assert result.outcome == "failed" and "too large" in result.error


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


# -- CLI --------------------------------------------------------------------------------


def test_cli_feeds_add_list_poll_remove(http_server, tmp_path, monkeypatch):
    from click.testing import CliRunner

    import bot.cli

    monkeypatch.setattr(bot.cli, "_extractor", FakeExtractor)
    site = Site(http_server)
    site.article("1", "Emmanuel Macron", "Friedrich Merz", "Berlin", T0 - timedelta(hours=5))
    url = site.publish()
    db = str(tmp_path / "cli.db")
    env = {"SUMMITBOT_ALLOW_PRIVATE_URLS": "1", "SUMMITBOT_NOW": T0.isoformat()}
    runner = CliRunner()

    def run(*args):
        result = runner.invoke(bot.cli.cli, ["--db", db, "feeds", *args], env=env)
        assert result.exit_code == 0, result.output
        return result.output

    assert run("add", url, "--every", "20m", "--channel", "slack:T1:C1").startswith("following feed #1")
    assert "every 20m active" in run("list") and "[slack:T1:C1]" in run("list")
    out = run("poll", "--once")
    assert "feeds: 1 polled" in out and "1 ingested" in out and "meetings: 1 new" in out
    assert run("poll", "--once").startswith("feeds: 0 polled")
    assert run("remove", "1").startswith("removed feed #1")
    assert run("list") == "no feeds\n"
    bad = runner.invoke(bot.cli.cli, ["--db", db, "feeds", "add", "http://169.254.169.254/"], env=env)
    assert bad.exit_code != 0 and "link-local" in bad.output


# -- with the real extractor --------------------------------------------------------------


@pytest.fixture(scope="module")
def real_extractor():
    try:
        from bot.extract import Extractor

        extractor = Extractor()
        extractor.nlp  # load spaCy once for the module
    except Exception as exc:  # the extractor is still being built by another engineer
        pytest.skip(f"the real extractor is not available: {type(exc).__name__}: {exc}")
    return extractor


def test_a_feed_entry_becomes_a_summit_with_the_real_extractor(http_server, store, real_extractor):
    site = Site(http_server)
    site.article("1", "Emmanuel Macron", "Friedrich Merz", "Berlin", T0 - timedelta(hours=5))
    settings = open_settings()
    add_feed(store, settings, site.publish(), SLACK, T0)
    report = poll(store, settings, T0, Ingestor(store, real_extractor, settings=settings))
    assert report.meetings_new >= 1
    meetings = [store.meeting(mid) for mid in report.meeting_ids]
    assert any({"Emmanuel Macron", "Friedrich Merz"} <= set(m.participants) for m in meetings)
    assert all(m.changes[0].field == "created" for m in meetings)


def test_a_new_feed_entry_alerts_a_subscribed_console_channel(http_server, store, ingestor):
    """Feed -> new meeting -> 'new summit' alert delivered once to the console channel that follows it."""
    from adapters.console import ConsoleTransport
    from bot.clock import FixedClock
    from bot.commands import Commands, Context, Services
    from bot.scheduler import SummitScheduler

    settings = open_settings()
    clock = FixedClock(T0)
    commands = Commands(Services(store=store, settings=settings.with_(now=T0), clock=clock))
    reply = commands.handle("/summits subscribe lead:1d", Context(platform="console", workspace="local",
                                                                   channel="desk"))
    assert reply.kind != "error", reply.text
    site = Site(http_server)
    site.article("1", "Emmanuel Macron", "Friedrich Merz", "Berlin", T0 - timedelta(hours=5))
    add_feed(store, settings, site.publish(), ChannelRef("console", "local", "desk"), T0)
    clock.advance(minutes=1)
    report = poll(store, settings, clock.now(), ingestor)
    assert report.meetings_new == 1

    stream = io.StringIO()
    console = ConsoleTransport(stream)
    scheduler = SummitScheduler(store, settings, clock, {"console": console})

    async def tick_twice():
        await scheduler.run_once()
        await scheduler.run_once()
        await scheduler.shutdown()

    asyncio.run(tick_twice())
    alerts = [r for ch, r in console.sent if ch.channel == "desk" and "Emmanuel Macron" in str(r)]
    assert len(alerts) == 1
    assert "new" in (alerts[0].text or "").lower()
