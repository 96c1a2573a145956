"""Many articles about one summit become one living record (ingested through the real extractor)."""

import json
from datetime import date

import pytest

from bot.evaluate import load_gold, score
from bot.pipeline import Ingestor
from bot.sources import article_from_record
from tests.conftest import ROOT, SHARED_EVAL

SERIES = ROOT / "tests" / "data" / "series"


def test_announce_date_venue_postpone_is_one_meeting(store, extractor):
    ingestor = Ingestor(store, extractor)
    ids = set()
    for path in sorted(SERIES.glob("*.json")):
        report = ingestor.ingest_paths([str(path)])
        assert report.new == 1
        ids.add(min(report.meeting_ids))
    rec = store.meeting(ids.pop())
    assert not ids, "every article attached to the first record"
    assert set(rec.participants) >= {"Luiz Inácio Lula da Silva", "Claudia Sheinbaum"}
    assert len({s.article_id for s in rec.sources}) == 4
    fields = [c.field for c in rec.changes]
    assert fields.count("created") == 1
    assert fields == ["created", "date", "location", "date", "status"]  # firmed up, moved venue, postponed
    by_field = {c.field: c for c in rec.changes}
    assert by_field["location"].new == "Monterrey" and by_field["status"].new == "postponed"
    # the venue change is credited to the third article, the postponement to the fourth
    assert [c.article_id for c in rec.changes if c.field != "created"] == sorted(
        c.article_id for c in rec.changes if c.field != "created")
    assert (rec.start, rec.end, rec.location, rec.status) == (date(2026, 5, 21), date(2026, 5, 21), "Monterrey",
                                                                "postponed")
    # Each change names the article and sentence that caused it.
    assert all(c.article_id and c.sentence for c in rec.changes)


def test_ingesting_twice_changes_nothing(store, extractor):
    ingestor = Ingestor(store, extractor)
    first = ingestor.ingest_paths([str(SERIES)])
    before = store.db.execute("SELECT count(*) FROM changes").fetchone()[0]
    again = ingestor.ingest_paths([str(SERIES)])
    assert first.new == 4 and again.new == 0 and again.duplicate == 4
    assert store.db.execute("SELECT count(*) FROM changes").fetchone()[0] == before


@pytest.mark.skipif(not (SHARED_EVAL / "seeds.jsonl").exists(), reason="shared eval set not present")
def test_seed_articles_are_extracted_exactly(extractor):
    gold = load_gold(SHARED_EVAL / "seeds.jsonl")
    predicted = {}
    for rec in gold:
        art = article_from_record(rec, rec["id"])
        predicted[art.id] = [m.to_json() for m in extractor.extract(art)]
    result = score(gold, predicted)
    assert (result.precision, result.recall, result.exact_date) == (1.0, 1.0, 1.0)


def test_negatives_rarely_report_upcoming_meetings(extractor):
    """Ordinary news (traps, past and cancelled summits): at most 5 upcoming per 100 articles."""
    path = ROOT / "tests" / "data" / "negatives.jsonl"
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    reported = 0
    for rec in records:
        art = article_from_record(rec, rec["id"])
        reported += sum(1 for m in extractor.extract(art) if m.tense == "upcoming")
    assert reported / len(records) <= 0.05


def test_occasion_takes_the_summit_dates_from_the_database(store, extractor):
    from datetime import datetime, timezone

    from bot.models import Article

    ingestor = Ingestor(store, extractor)
    ingestor.ingest_article(Article(
        text="The G20 summit will be held in Johannesburg on November 22 and 23, South Africa's government said.",
        published=datetime(2025, 9, 1, tzinfo=timezone.utc), title="G20 dates"))
    report = ingestor.ingest_article(Article(
        text="Indian Prime Minister Narendra Modi will meet Brazilian President Luiz Inacio Lula da Silva "
             "on the sidelines of the G20 summit, officials said.",
        published=datetime(2025, 11, 1, tzinfo=timezone.utc), title="Modi to meet Lula"))
    recs = [store.meeting(i) for i in report.meeting_ids]
    rec = next(r for r in recs if r.kind == "bilateral")
    assert set(rec.participants) == {"Narendra Modi", "Luiz Inácio Lula da Silva"}
    assert (rec.start, rec.end) == (date(2025, 11, 22), date(2025, 11, 23))
    # the summit it is held at is the one record the first article made, not a twin
    assert [r.name for r in recs if r.kind == "multilateral"] in ([], ["G20 summit"])
    assert len([m for m in store.upcoming(date(2025, 11, 1)) if m.kind == "multilateral"]) == 1


def test_a_folder_is_extracted_in_batches_and_a_broken_article_stays_alone(store, extractor, tmp_path, monkeypatch):
    import shutil

    for path in sorted(SERIES.glob("*.json")):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "broken.json").write_text("{not json")
    calls = []
    real = extractor.extract_many

    def spy(articles, *a, **kw):
        calls.append(len(articles))
        return real(articles, *a, **kw)

    monkeypatch.setattr(extractor, "extract_many", spy)
    report = Ingestor(store, extractor).ingest_paths([str(tmp_path)])
    assert calls == [4]  # the four articles went through spaCy together
    assert report.new == 4 and len(report.failed) == 1
    assert len({store.meeting(i).id for i in report.meeting_ids}) >= 1
