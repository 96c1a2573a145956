"""The corpus's split is the hash rule's, every article is well formed, and the model saw today's train split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.corpus import SPLITS, file_hash, gather, is_negative, problems, read_jsonl, split_of, url_bucket
from bot.extract.classifier import MODEL_DIR, STATUS_LABELS, Thresholds, decide
from bot.extract.gatherings import MODEL_DIR as GATHERING_MODEL_DIR
from bot.extract.placing import PLACE_MODEL_PATH
from bot.extract.screening import MODEL_PATH as ARTICLE_MODEL_PATH
from bot.extract.vetting import MODEL_PATH as MEETING_MODEL_PATH
from bot.learn import labelled_sentences
from bot.models import Meeting

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _split_rows():
    return {name: read_jsonl(CORPUS / f"{name}.jsonl") for name in SPLITS}


def test_each_article_is_in_the_split_its_url_hashes_to():
    splits = _split_rows()
    older = {"positives", "negatives", "dev", "seeds"}
    for name, rows in splits.items():
        for row in rows:
            assert split_of(row["url"], seen_by_rules=row.get("source_set") in older) == name, row["id"]


def test_no_url_in_two_splits_and_older_gold_never_in_test():
    splits = _split_rows()
    urls = [row["url"] for rows in splits.values() for row in rows]
    assert len(urls) == len(set(urls))
    assert all(row.get("source_set") not in {"positives", "negatives", "dev", "seeds"} for row in splits["test"])


def test_every_article_is_well_formed():
    for rows in _split_rows().values():
        for row in rows:
            assert problems(row) == [], row["id"]


@pytest.mark.parametrize("meta_path", [MODEL_DIR / "meta.json", GATHERING_MODEL_DIR / "meta.json", MEETING_MODEL_PATH,
                                       PLACE_MODEL_PATH, ARTICLE_MODEL_PATH],
                         ids=["sentences", "gatherings", "meetings", "places", "articles"])
def test_the_committed_models_were_trained_on_the_committed_train_split(meta_path):
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    assert meta["corpus_sha256"] == file_hash(CORPUS / "train.jsonl"), "run `make train` after changing the corpus"


def test_split_is_stable_and_roughly_sixty_twenty_twenty():
    assert url_bucket("https://example.org/a") == url_bucket(" https://example.org/a ")
    buckets = [split_of(f"https://example.org/news/{i}") for i in range(3000)]
    assert 0.55 < buckets.count("train") / 3000 < 0.65
    assert 0.15 < buckets.count("test") / 3000 < 0.25
    assert {split_of(f"https://example.org/{i}", seen_by_rules=True) for i in range(200)} == {"train", "dev"}


def test_gather_keeps_one_copy_of_a_url_and_refuses_a_bad_article(tmp_path):
    parts = tmp_path / "parts"
    parts.mkdir()
    good = {"id": "x1", "url": "https://example.org/1", "published": "2020-01-02", "title": "T",
            "text": "Leaders will meet.", "meetings": []}
    (parts / "a.jsonl").write_text(json.dumps(good) + "\n" + json.dumps({**good, "id": "x2"}) + "\n")
    splits = gather(tmp_path, [])
    assert sum(len(v) for v in splits.values()) == 1
    assert is_negative(good)
    bad = {**good, "url": "https://example.org/2",
           "meetings": [{"participants": [], "kind": "summit", "name": None, "location": None, "start": None,
                         "end": None, "tense": "upcoming", "certainty": "planned"}]}
    (parts / "b.jsonl").write_text(json.dumps(bad) + "\n")
    with pytest.raises(ValueError, match="kind"):
        gather(tmp_path, [])


def test_sentences_are_labelled_by_the_evidence_they_carry():
    text = ("Leaders met in Rome last week. The president will visit Tokyo on Friday, officials said. "
            "Shares rose in early trading. He also called for calm at the meeting.")
    row = {"text": text, "title": "President to visit Tokyo",
           "meetings": [
               {"tense": "upcoming", "kind": "visit", "certainty": "confirmed",
                "evidence": ["The president will visit Tokyo on Friday, officials said.", "President to visit Tokyo"]},
               {"tense": "past", "kind": "multilateral", "certainty": "confirmed",
                "evidence": ["Leaders met in Rome last week."]}]}
    labels = {s: max(STATUS_LABELS, key=cats.get) for s, cats in labelled_sentences(row)}
    assert labels == {"leaders met in rome last week.": "PAST",
                      "the president will visit tokyo on friday, officials said.": "UPCOMING",
                      "he also called for calm at the meeting.": "NONE",  # a meeting word, no meeting
                      "president to visit tokyo": "UPCOMING"}  # "Shares rose" has no meeting word: never asked
    cats = dict(labelled_sentences(row))["the president will visit tokyo on friday, officials said."]
    assert cats["KIND_visit"] == 1.0 and cats["CERT_confirmed"] == 1.0


def _meeting():
    return Meeting(participants=["A B", "C D"], kind="bilateral", tense="upcoming", certainty="planned")


def _cats(status: str, kind: str = "KIND_bilateral", cert: str = "CERT_planned") -> dict[str, float]:
    labels = [*STATUS_LABELS, "KIND_bilateral", "KIND_visit", "CERT_planned", "CERT_possible"]
    return {k: 0.98 if k in (status, kind, cert) else 0.01 for k in labels}


def test_decisions_drop_relabel_and_refine_and_each_can_be_switched_off():
    on = lambda name: True  # noqa: E731
    th = Thresholds(not_a_meeting=0.85, past=0.8, cancelled=0.8, certainty=0.6, kind=0.9)
    assert decide(_meeting(), _cats("NONE"), th, on) is None
    assert decide(_meeting(), _cats("NONE"), th, lambda n: n != "learned not-a-meeting") is not None
    assert decide(_meeting(), _cats("PAST"), th, on).tense == "past"
    assert decide(_meeting(), _cats("UPCOMING", cert="CERT_possible"), th, on).certainty == "possible"
    assert decide(_meeting(), _cats("UPCOMING", kind="KIND_visit"), th, on).kind == "visit"
    assert decide(_meeting(), _cats("UPCOMING", kind="KIND_visit"), th, lambda n: n != "learned kind").kind == "bilateral"
    assert decide(_meeting(), _cats("NONE"), Thresholds(not_a_meeting=None), on) is not None  # None: the rules decide
