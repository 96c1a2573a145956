"""Helpers shared by the extractor's tests on written articles (tests/test_extract*.py)."""

from datetime import datetime

from bot.models import Article


def extract(extractor, text, published="2024-03-06T09:00:00+00:00", disabled=None):
    """The meetings of one written article; ``disabled``: rule families switched off for this call."""
    article = Article(text=text, published=datetime.fromisoformat(published))
    if disabled is None:
        return extractor.extract(article)
    return extractor.extract_many([article], disabled=disabled)[0]


def upcoming(meetings):
    return [m for m in meetings if m.tense == "upcoming"]
