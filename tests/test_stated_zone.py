"""A time stated with its zone ("9 p.m. Paris time") is stored with that zone, so reminders are due at that instant."""

from __future__ import annotations

from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.models import Article
from bot.pipeline import Ingestor


def _ingest(store, extractor, text: str):
    article = Article(text=text, published=datetime(2025, 3, 10, 8, 0, tzinfo=timezone.utc), title="t", id="z1")
    Ingestor(store, extractor).ingest_article(article)
    [row] = store.db["meetings"].rows
    return store.meeting(row["id"])


def test_a_time_stated_with_its_zone_keeps_the_zone(store, extractor):
    record = _ingest(store, extractor, "President Emmanuel Macron will speak with President Xi Jinping by phone "
                                       "at 9 p.m. Paris time on Wednesday, the Elysee said.")
    assert (record.start.isoformat(), record.time, record.tz) == ("2025-03-12", "21:00", "Europe/Paris")
    instant = record.start_instant(ZoneInfo("Asia/Seoul"))  # the channel's zone is only the fallback
    assert instant.astimezone(timezone.utc) == datetime(2025, 3, 12, 20, 0, tzinfo=timezone.utc)


def test_a_time_without_a_zone_stays_with_the_fallback(store, extractor):
    record = _ingest(store, extractor, "President Emmanuel Macron will speak with President Xi Jinping by phone "
                                       "at 9 p.m. on Wednesday, the Elysee said.")
    assert (record.time, record.tz) == ("21:00", None)
