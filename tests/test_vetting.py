"""The learned meeting-level decision (bot.extract.vetting): its features, its model, and the extractor with it on/off."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, datetime

import numpy as np
import pytest

from bot.extract import Extractor
from bot.extract.classifier import STATUS_LABELS, Thresholds
from bot.extract.vetting import (ArticleFacts, MeetingModel, feature_names, features, fit, load_meeting_model, read_model,
                                 vet)
from bot.models import Article, Meeting

FACTS = ArticleFacts(published=date(2025, 10, 24), sentences=20, proposed=2)


def _cats(status: str) -> dict[str, float]:
    cats = {k: 0.97 if k == status else 0.01 for k in STATUS_LABELS}
    cats.update({"KIND_bilateral": 0.9, "KIND_visit": 0.05, "CERT_planned": 0.8, "CERT_confirmed": 0.1})
    return cats


def _meeting(**kw) -> Meeting:
    base = dict(participants=["Lee Jae-myung", "Donald Trump"], kind="bilateral", location="Gyeongju",
                start=date(2025, 10, 29), end=date(2025, 10, 29), sentence="Lee will meet Trump in Gyeongju on Wednesday.",
                order=3, date_in_sentence=True)
    return Meeting(**{**base, **kw})


def test_features_describe_the_proposal_not_its_words():
    row = dict(zip(feature_names(), features(_meeting(), _cats("UPCOMING"), FACTS, same_sentence=1)))
    assert len(row) == len(feature_names())
    assert row["p_upcoming"] == pytest.approx(0.97 / 1.0)
    assert row["kinds_agree"] == 1.0 and row["kind_bilateral"] == 1.0 and row["learned_rule_kind"] > 0.9
    assert row["participants_2"] == 1.0 and row["participants_1"] == 0.0 and row["placed"] == 1.0
    assert row["log_days_ahead"] == pytest.approx(np.log1p(5)) and row["under_way"] == 0.0
    assert row["date_in_sentence"] == 1.0 and row["position"] == pytest.approx(3 / 20)
    undated = dict(zip(feature_names(), features(_meeting(start=None, end=None, precision="unknown", participants=[]),
                                                 _cats("NONE"), FACTS, same_sentence=2)))
    assert undated["precision_unknown"] == 1.0 and undated["participants_0"] == 1.0 and undated["p_none"] > 0.9


def test_the_regression_learns_hand_made_rows_and_survives_its_json():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 3))
    x[:, 2] = 1.0  # a constant feature: no weight, no division by zero
    y = (x[:, 0] + 0.2 * rng.normal(size=400) > 0).astype(float)
    model = fit(x, y, l2=1.0)
    p = model.p_true([[2.0, 0.0, 1.0], [-2.0, 0.0, 1.0]])
    assert p[0] > 0.9 and p[1] < 0.1
    assert abs(model.weights[2]) < 1e-6 and abs(model.weights[0]) > 5 * abs(model.weights[1])
    again = MeetingModel.from_json(model.to_json(corpus_sha256="x"))
    assert np.allclose(again.p_true(x[:5]), model.p_true(x[:5]), atol=1e-5)


def _p_none_model() -> MeetingModel:
    """A hand-made model that reads only the sentence's chance of telling of no meeting."""
    names = feature_names()
    weights = np.zeros(len(names))
    weights[names.index("p_none")] = -4.0
    return MeetingModel(names, np.zeros(len(names)), np.ones(len(names)), weights, 2.0)


def test_vet_drops_only_upcoming_meetings_it_is_sure_enough_are_false():
    true, false, past = _meeting(), _meeting(participants=["A B", "C D"]), _meeting(tense="past")
    article = [(true, _cats("UPCOMING")), (false, _cats("NONE")), (past, _cats("NONE"))]
    [kept] = vet([(article, FACTS)], _p_none_model(), threshold=0.8)
    assert kept == [true, past]  # p_false of the NONE sentence's meeting: 1 - sigmoid(2 - 4 * 0.97) = 0.87
    [kept] = vet([(article, FACTS)], _p_none_model(), threshold=0.9)
    assert kept == [true, false, past]


TEXT = ("Prime Minister Modi will visit Japan on Friday. He will hold talks with Prime Minister Ishiba in Tokyo on "
        "Friday, the foreign ministry said.")


def test_the_extractor_with_the_meeting_model_on_and_off(nlp):
    if load_meeting_model() is None:
        pytest.skip("no committed meeting model")
    article = Article(text=TEXT, published=datetime(2025, 10, 20, 9, 0), id="a")
    on = Extractor(nlp=nlp)  # as the bot runs: the committed model at the dev-set threshold
    off = Extractor(nlp=nlp, gazetteer=on.gazetteer, thresholds=replace(Thresholds(), vet=None))
    always = Extractor(nlp=nlp, gazetteer=on.gazetteer, thresholds=replace(Thresholds(), vet=0.0))
    ahead = [m for m in off.extract(article) if m.tense == "upcoming"]
    assert ahead and [m.to_json() for m in on.extract(article)] == [m.to_json() for m in off.extract(article)]
    assert [m for m in always.extract(article) if m.tense == "upcoming"] == []  # every upcoming one is "sure" at 0
    [(proposed, row)] = [p for p in on.proposals([article])[0] if p[0].kind == "bilateral"]
    assert 1 - load_meeting_model().p_true([row])[0] < on.thresholds.vet  # a plain announcement is kept


@pytest.mark.parametrize("text", ["", "{not json", "[1, 2]", '{"features": []}', "SHAPE"])
def test_a_corrupt_model_file_is_no_model_and_a_warning_not_a_crash(tmp_path, caplog, text):
    names = feature_names()
    if text == "SHAPE":  # the right features, arrays of another length
        text = MeetingModel(names, [0.0], [1.0], [1.0], 0.0).to_json()
        text = json.dumps(text)
    path = tmp_path / "model.json"
    path.write_text(text, encoding="utf-8")
    with caplog.at_level("WARNING", logger="bot.extract.vetting"):
        assert read_model(path, names, "meeting") is None
    assert "run `make train`" in caplog.text
    good = tmp_path / "good.json"
    good.write_text(json.dumps(MeetingModel(names, [0.0] * len(names), [1.0] * len(names),
                                                          [0.5] * len(names), 0.1).to_json()), encoding="utf-8")
    assert read_model(good, names, "meeting").bias == pytest.approx(0.1)
