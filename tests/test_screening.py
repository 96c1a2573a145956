"""The learned article-level decision (bot.extract.screening): its features, its model, the screen, the extractor
with it on and off, and a damaged model file."""

from __future__ import annotations

import json
import zlib
from dataclasses import replace
from datetime import date, datetime

import numpy as np
import pytest

from bot.extract import Extractor
from bot.extract.classifier import Thresholds
from bot.extract.screening import (DIM, ArticleModel, feature_ids, fit, load_article_model, read_model, screen,
                                   write)
from bot.models import Article, Meeting

ANNOUNCING = [("Leaders to meet", "The prime minister will visit Hanoi next week for talks with the president."),
              ("Visit set", "The foreign minister will travel to Accra on Monday to meet her counterpart."),
              ("Summit ahead", "Heads of state will gather for the regional summit in May, officials said.")]
QUIET = [("Shares fall", "Shares fell on Monday as the central bank kept its rate on hold at its meeting."),
         ("Cup final", "The club will meet its rival in the cup final at the national stadium on Saturday."),
         ("Court", "The court will hear the appeal next week, lawyers for the company said.")]


def _model() -> ArticleModel:
    rows = ANNOUNCING + QUIET
    return fit([feature_ids(t, x) for t, x in rows], np.array([1.0] * len(ANNOUNCING) + [0.0] * len(QUIET)))


def test_features_are_the_hashed_words_and_pairs_once_whatever_the_case():
    ids = feature_ids("Talks", "talks TALKS in Hanoi")
    # talks, in, hanoi; "talks talks", "talks in", "in hanoi": each once
    assert len(ids) == len(set(ids.tolist())) == 6
    assert ((0 <= ids) & (ids < DIM)).all()
    assert zlib.crc32(b"in hanoi") % DIM in ids.tolist()  # the same bucket in every process (no salted hash)


def test_the_model_tells_an_announcement_from_other_news_it_never_saw():
    model = _model()
    ahead, quiet = model.log_odds([feature_ids("Talks set", "The president will visit Hanoi for talks next week."),
                                   feature_ids("Rates", "The central bank kept its rate on hold on Monday.")])
    assert ahead > 0 > quiet


def test_the_screen_drops_only_the_upcoming_meetings_of_a_quiet_article():
    model = _model()
    ahead = Meeting(participants=["A", "B"], kind="bilateral", start=date(2025, 5, 20), end=date(2025, 5, 20))
    past = Meeting(participants=["A", "B"], kind="bilateral", start=date(2025, 5, 2), end=date(2025, 5, 2),
                   tense="past")
    quiet = ("Rates", "The central bank kept its rate on hold on Monday at its meeting.")
    loud = ("Talks set", "The president will visit Hanoi for talks next week.")
    out = screen([(*quiet, [ahead, past]), (*loud, [ahead]), (*quiet, [])], model, threshold=0.0)
    assert out == [[past], [ahead], []]
    assert screen([(*quiet, [ahead, past])], model, threshold=-1e9) == [[ahead, past]]  # nothing is that quiet


def test_the_model_survives_its_files(tmp_path):
    model = _model()
    path = tmp_path / "articles.json"
    write(model, path, corpus_sha256="abc")
    back = read_model(path)
    assert json.loads(path.read_text())["corpus_sha256"] == "abc"
    assert back.prior == pytest.approx(model.prior)
    assert np.allclose(back.ratios, model.ratios, atol=0.01)  # float16 on disk


@pytest.mark.parametrize("damage", ["no weights", "no json", "bad json", "short weights", "nan weights", "no prior",
                                    "empty weights", "cut weights"])
def test_a_damaged_model_is_no_model_and_a_warning_not_a_crash(tmp_path, caplog, damage):
    path = tmp_path / "articles.json"
    write(_model(), path)
    weights = path.with_suffix(".npy")
    if damage == "no weights":
        weights.unlink()
    elif damage == "no json":
        path.unlink()
    elif damage == "bad json":
        path.write_text("{not json")
    elif damage == "short weights":
        np.save(weights, np.zeros(10, dtype=np.float16))
    elif damage == "empty weights":  # a write cut short before its first byte: np.load raises EOFError
        weights.write_bytes(b"")
    elif damage == "cut weights":
        weights.write_bytes(weights.read_bytes()[:1000])
    elif damage == "nan weights":
        np.save(weights, np.full(DIM, np.nan, dtype=np.float16))
    else:
        path.write_text(json.dumps({"dim": DIM}))
    with caplog.at_level("WARNING", logger="bot.extract.screening"):
        assert read_model(path) is None
    assert "run `make train`" in caplog.text


def test_the_extractor_with_the_article_model_on_and_off(nlp):
    if load_article_model() is None:
        pytest.skip("no committed article model")
    announcing = Article(title="Modi to visit Japan", text="Prime Minister Narendra Modi will visit Tokyo on Friday "
                         "for talks with Prime Minister Shigeru Ishiba, the foreign ministry said.",
                         published=datetime(2025, 5, 12, 9, 0), id="a")
    on = Extractor(nlp=nlp)  # as the bot runs: the committed model at its threshold
    off = Extractor(nlp=nlp, gazetteer=on.gazetteer, thresholds=replace(Thresholds(), article=None))
    strict = Extractor(nlp=nlp, gazetteer=on.gazetteer, thresholds=replace(Thresholds(), article=1e9))
    ahead = [m.to_json() for m in off.extract(announcing) if m.tense == "upcoming"]
    assert ahead and [m.to_json() for m in on.extract(announcing) if m.tense == "upcoming"] == ahead
    assert [m for m in strict.extract(announcing) if m.tense == "upcoming"] == []


def test_two_grams_in_one_bucket_are_one_feature_as_the_fit_counts_them():
    # "whdab" and "wbbaaa" hash to one bucket (CRC-32 mod DIM): fitting counts that bucket once per article, so
    # the log-odds must add its ratio once, not once per gram
    assert zlib.crc32(b"whdab") % DIM == zlib.crc32(b"wbbaaa") % DIM
    ids = feature_ids(None, "whdab wbbaaa")
    assert len(ids) == 2  # the two words' bucket and the pair's
    model = fit([feature_ids(None, "whdab wbbaaa"), feature_ids(None, "other news")], np.array([1.0, 0.0]))
    both, one = model.log_odds([ids, feature_ids(None, "whdab")])
    pair = zlib.crc32(b"whdab wbbaaa") % DIM
    assert both == pytest.approx(one + model.ratios[pair])


@pytest.mark.parametrize("labels", [[1.0, 1.0], [0.0, 0.0], []])
def test_fitting_needs_articles_of_both_kinds(labels):
    with pytest.raises(ValueError, match="both kinds"):
        fit([feature_ids("Talks", "talks")] * len(labels), np.array(labels))


def test_the_screen_switches_off_by_name_as_a_family_does(nlp):
    if load_article_model() is None:
        pytest.skip("no committed article model")
    article = Article(title="Modi to visit Japan", text="Prime Minister Narendra Modi will visit Tokyo on Friday for "
                      "talks with Prime Minister Shigeru Ishiba.", published=datetime(2025, 5, 12, 9, 0), id="a")
    strict = Extractor(nlp=nlp, thresholds=replace(Thresholds(), article=1e9))  # every article is quiet
    assert [m for m in strict.extract(article) if m.tense == "upcoming"] == []
    kept = strict.extract_many([article], disabled={"learned article screen"})[0]
    assert [m for m in kept if m.tense == "upcoming"]
    with pytest.raises(ValueError, match="learned decisions"):
        strict.extract_many([article], disabled={"learned screen"})
