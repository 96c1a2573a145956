"""The learned choice of a meeting's place (bot.extract.placing): its candidates, its model, the extractor with it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import numpy as np
import pytest

import bot.extract
from bot.extract import Extractor
from bot.extract.classifier import Thresholds
from bot.extract.context import ArticleContext
from bot.extract.gazetteer import load_gazetteer
from bot.extract.placing import PlaceCandidate, candidates, choose, feature_names, features, fit_ranking, shares
from bot.extract.vetting import MeetingModel
from bot.models import Article, Meeting


def test_the_no_place_candidate_reads_only_the_meeting():
    shared = [0.0] * (len(feature_names()) - len(features(PlaceCandidate("x"), [])))
    assert len(shared) > 0
    none = dict(zip(feature_names(), features(PlaceCandidate(None), [1.0] * len(shared))))
    place = dict(zip(feature_names(), features(PlaceCandidate("Tokyo", own={"in"}, distance=0, scope="city"),
                                                [1.0] * len(shared))))
    assert len(none) == len(place) == len(feature_names())
    assert none["none"] == 1.0 and none["none_rules_none"] == 1.0 and none["own_in"] == 0.0
    assert place["none"] == 0.0 and place["none_rules_none"] == 0.0
    assert place["own_in"] == 1.0 and place["near"] == 1.0 and place["scope_city"] == 1.0 and place["far"] == 0.0


def test_the_ranking_learns_which_candidate_of_each_meeting_is_right_and_survives_its_json():
    rng = np.random.default_rng(0)
    rows, labels, meetings = [], [], []
    for k in range(150):  # three candidates each; the right one has the highest first feature, the second is noise
        x = rng.normal(size=(3, 2))
        right = int(np.argmax(x[:, 0] + 0.1 * rng.normal(size=3)))
        rows.extend(x.tolist())
        labels.extend(float(i == right) for i in range(3))
        meetings.extend([k] * 3)
    model = fit_ranking(rows, labels, meetings, l2=1.0)
    assert model.weights[0] > 5 * abs(model.weights[1]) and model.bias == 0.0
    p = shares(model, [[2.0, 0.0], [-1.0, 0.0], [0.5, 3.0], [0.0, 0.0]], [0, 0, 1, 1])
    assert p[0] > 0.9 and p[:2].sum() == pytest.approx(1.0) and p[2:].sum() == pytest.approx(1.0) and p[2] > p[3]
    again = MeetingModel.from_json(model.to_json(corpus_sha256="x"))
    assert np.allclose(again.logits(rows[:6]), model.logits(rows[:6]), atol=1e-4)


def test_choose_fills_a_place_only_where_the_rules_read_none_and_only_by_the_margin():
    options = [PlaceCandidate("Japan", rules=True), PlaceCandidate("Tokyo"), PlaceCandidate(None)]
    meeting = Meeting(participants=["A B", "C D"], kind="bilateral", location="Japan", alt_locations=["Osaka"])
    choose(meeting, options, np.array([0.3, 0.6, 0.1]), margin=0.0)
    assert meeting.location == "Japan"  # the rules read a place: theirs stands however sure the model is
    options = [PlaceCandidate(None, rules=True), PlaceCandidate("Tokyo"), PlaceCandidate("Japan")]
    placeless = Meeting(participants=["A B", "C D"], kind="bilateral", location=None)
    choose(placeless, options, np.array([0.3, 0.6, 0.1]), margin=0.4)
    assert placeless.location is None
    choose(placeless, options, np.array([0.3, 0.6, 0.1]), margin=0.2)
    assert placeless.location == "Tokyo" and placeless.alt_locations == []


def _dateline_model() -> MeetingModel:
    """A hand-made model that wants the city the article is filed from."""
    names = feature_names()
    weights = np.zeros(len(names))
    weights[names.index("dateline")] = 6.0
    return MeetingModel(names, np.zeros(len(names)), np.ones(len(names)), weights, 0.0)


TEXT = "RIVERTON, Oct 20 (Wire) - Foreign Minister Alan Marsh will hold talks with Prime Minister Nora Vale on Friday."
PLACED = TEXT.replace("on Friday", "in Tokyo on Friday")


def test_the_extractor_offers_the_places_of_the_article_and_fills_by_the_model(nlp, monkeypatch):
    article = Article(text=PLACED, published=datetime(2025, 10, 20, 9, 0), id="a")
    off = Extractor(nlp=nlp, thresholds=replace(Thresholds(), place=None))
    [(meeting, options)] = off.place_candidates([article])[0]
    assert meeting.location == "Tokyo"
    by_text = {c.text: c for c in options}
    assert by_text["Tokyo"].rules and "in" in by_text["Tokyo"].own and by_text["Tokyo"].distance == 0
    assert by_text["Riverton"].dateline and not by_text["Riverton"].rules and None in by_text
    monkeypatch.setattr(bot.extract, "load_place_model", _dateline_model)
    sure = Extractor(nlp=nlp, gazetteer=off.gazetteer, thresholds=replace(Thresholds(), place=0.5))
    [kept] = [m for m in sure.extract(article) if m.tense == "upcoming"]
    assert kept.location == "Tokyo"  # the sentence places it: the model does not move it
    unplaced = Article(text=TEXT, published=datetime(2025, 10, 20, 9, 0), id="b")
    [filled] = [m for m in sure.extract(unplaced) if m.tense == "upcoming"]
    assert filled.location == "Riverton"
    unsure = Extractor(nlp=nlp, gazetteer=off.gazetteer, thresholds=replace(Thresholds(), place=0.999))
    [left] = [m for m in unsure.extract(unplaced) if m.tense == "upcoming"]
    assert left.location is None


def test_a_meeting_with_an_empty_place_and_nothing_else_still_has_the_rules_candidate():
    """An odd meeting (location "", no participants, no sentence, no order) must not crash the choice of place:
    one of its candidates is always the rules' (here no place), and the rules' empty place stands."""
    ctx = ArticleContext("Talks in Tokyo.", datetime(2025, 10, 20), load_gazetteer())
    meeting = Meeting(participants=[], kind="bilateral", location="", sentence="", order=-1, start=None, end=None)
    options = candidates(meeting, ctx, 0)
    assert [c.text for c in options if c.rules] == [None]
    choose(meeting, options, np.ones(len(options)) / len(options), margin=0.0)
    assert meeting.location == ""
