"""Records across articles do not depend on the order the articles arrive in (issue 18, records across articles).

Each group is real articles about one summit (the corpus, and the series of four reports in tests/data/series).
Every article is extracted once; the property is the merge's: folding the same articles' meetings in any
order into a fresh database gives the same records (who, what, when, where, status, which sources).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.merge import fold_meeting
from bot.sources import article_from_record
from bot.store import Store
from tests.conftest import ROOT

CORPUS = ROOT / "corpus"
SERIES = ROOT / "tests" / "data" / "series"
GROUPS = {
    "CHOGM 2024 (three outlets)": ("og023", "og024", "og061"),
    "G7 summit 2020 (three outlets)": ("w020", "pos-031", "sm2015"),
}


def _corpus_records() -> dict[str, dict]:
    out = {}
    for split in ("train.jsonl", "dev.jsonl"):
        for line in (CORPUS / split).read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                out[rec["id"]] = rec
    return out


def _groups() -> dict[str, list]:
    records = _corpus_records()
    groups = {name: [article_from_record(records[i], i) for i in ids] for name, ids in GROUPS.items()
              if all(i in records for i in ids)}
    series = [article_from_record(json.loads(p.read_text(encoding="utf-8")), p.stem)
              for p in sorted(SERIES.glob("*.json"))]
    groups["a summit announced, dated, moved and postponed (tests/data/series)"] = series
    return groups


@pytest.fixture(scope="module")
def extracted(nlp):
    """Each group's articles with the meetings extracted from them, once."""
    from bot.extract import Extractor

    extractor = Extractor(nlp=nlp)
    return {name: [(a, extractor.extract(a)) for a in articles] for name, articles in _groups().items()}


def _records(path, items) -> set[tuple]:
    """Fold the articles' meetings in this order into a fresh database; the records that result."""
    store = Store(path)
    with store.db.atomic():
        for article, meetings in items:
            article_id = store.add_article(article).id
            for m in meetings:
                fold_meeting(store, m, article_id=article_id, asof=article.published.isoformat(),
                             published=article.published, now=datetime(2026, 1, 1))
    out = set()
    for rec in store.meetings():
        sources = frozenset(store.db.execute(
            "SELECT coalesce(a.url, '') || '|' || coalesce(a.title, '') FROM sources s JOIN articles a "
            "ON a.id = s.article_id WHERE s.meeting_id = ?", [rec.id]).fetchall())
        out.add((rec.kind, rec.name, frozenset(rec.participants), rec.start, rec.end, rec.location,
                 rec.status, rec.certainty, sources))
    store.db.conn.close()
    return out


@pytest.mark.parametrize("group", sorted(GROUPS) + ["a summit announced, dated, moved and postponed (tests/data/series)"])
def test_the_same_articles_in_any_order_give_the_same_records(extracted, tmp_path_factory, group):
    items = extracted.get(group)
    if items is None:
        pytest.skip("group not in the corpus")
    by_date = sorted(items, key=lambda pair: pair[0].published.replace(tzinfo=pair[0].published.tzinfo or timezone.utc))
    expected = _records(tmp_path_factory.mktemp("order") / "by_date.db", by_date)
    assert expected

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.permutations(items))
    def any_order(order):
        assert _records(tmp_path_factory.mktemp("order") / "shuffled.db", order) == expected

    any_order()
