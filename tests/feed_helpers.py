"""Helpers shared by the feed tests (tests/test_feeds.py, test_feed_xml.py, test_feed_commands.py): a news site
with one RSS or Atom feed on the local HTTP server, an extractor that needs no model, a notify callback that
remembers, one round of polling, and the ingestor fixture."""

from __future__ import annotations

import asyncio
import random
import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from xml.sax.saxutils import escape

import pytest

from bot.config import Settings
from bot.feeds import poll_due_feeds
from bot.models import Meeting
from bot.pipeline import Ingestor
from bot.transport import ChannelRef

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
