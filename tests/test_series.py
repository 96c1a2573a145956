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
    assert {"date", "location", "status"} <= set(fields)
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
