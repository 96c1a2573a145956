"""Helpers shared by the extractor's tests on written articles (tests/test_extract*.py)."""

from datetime import datetime

from bot.models import Article


def extract(extractor, text, published="2024-03-06T09:00:00+00:00"):
    return extractor.extract(Article(text=text, published=datetime.fromisoformat(published)))


def upcoming(meetings):
    return [m for m in meetings if m.tense == "upcoming"]
