"""Hostile and odd feed XML: entity declarations refused before parsing, no external DTD read, links made
absolute, not-a-feed errors, and hostile or oversized feeds counted as poll failures that leave nothing behind."""

from __future__ import annotations

import pytest

from bot.feeds import FeedError, add_feed, entries, parse_feed
from tests.feed_helpers import SLACK, T0, Site, ingestor, open_settings, poll  # noqa: F401  (ingestor: fixture)
from tests.http_fixtures import http_server  # noqa: F401


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
