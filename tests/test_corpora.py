"""Format checks for the hand-written test corpora in tests/data (gold format of shared/eval/SCHEMA.md)."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.evaluate import load_gold, score
from bot.store import name_key

DATA = Path(__file__).resolve().parent / "data"
NEGATIVES = DATA / "negatives.jsonl"
POSITIVES = DATA / "positives.jsonl"
SERIES = DATA / "series"
SERIES_FILES = ["01_announce.json", "02_date.json", "03_venue.json", "04_postpone.json"]

ARTICLE_KEYS = {"id", "url", "published", "title", "text", "meetings"}
MEETING_KEYS = {"participants", "kind", "name", "location", "start", "end", "tense", "certainty"}
OPTIONAL_MEETING_KEYS = {"alt_locations"}
KINDS = {"bilateral", "phone_call", "multilateral", "visit", "talks"}
TENSES = {"upcoming", "past", "cancelled"}
CERTAINTIES = {"confirmed", "planned", "possible"}


def _series_articles() -> list[dict]:
    """The series articles in file order."""
    return [load_gold(SERIES / name)[0] for name in SERIES_FILES]


def _all_articles() -> list[tuple[str, dict]]:
    """(corpus label, article) for every article of every corpus."""
    rows = [("negatives", a) for a in load_gold(NEGATIVES)]
    rows += [("positives", a) for a in load_gold(POSITIVES)]
    rows += [("series", a) for a in _series_articles()]
    return rows


def _published_date(article: dict) -> date:
    """The publication date (local to the outlet) of an article."""
    return datetime.fromisoformat(article["published"]).date()


def _upcoming(article: dict) -> list[dict]:
    """The article's upcoming gold meetings."""
    return [m for m in article["meetings"] if m["tense"] == "upcoming"]


def test_files_exist_and_parse():
    for path in (NEGATIVES, POSITIVES):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            assert line.strip(), f"{path.name}:{lineno} is blank"
            assert isinstance(json.loads(line), dict), f"{path.name}:{lineno}"
    assert sorted(p.name for p in SERIES.glob("*.json")) == SERIES_FILES
    for name in SERIES_FILES:
        assert isinstance(json.loads((SERIES / name).read_text(encoding="utf-8")), dict), name


def test_ids_are_unique():
    ids = [a["id"] for _, a in _all_articles()]
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("label, article", _all_articles(), ids=lambda v: v if isinstance(v, str) else v["id"])
def test_article_format(label, article):
    assert set(article) == ARTICLE_KEYS
    assert isinstance(article["id"], str) and article["id"]
    assert re.fullmatch(r"https://([a-z0-9-]+\.)*example\.org/\S+", article["url"])
    _published_date(article)
    assert isinstance(article["title"], str) and article["title"].strip()
    words = len(article["text"].split())
    assert 120 <= words <= 400, f"{words} words"
    text_key = f" {name_key(article['title'] + ' ' + article['text'])} "
    for m in article["meetings"]:
        _check_meeting(m, article, text_key)


def _check_meeting(m: dict, article: dict, text_key: str) -> None:
    """Keys, values and plausibility of one gold meeting."""
    assert MEETING_KEYS <= set(m) <= MEETING_KEYS | OPTIONAL_MEETING_KEYS, set(m)
    assert isinstance(m["participants"], list) and all(isinstance(p, str) and p.strip() for p in m["participants"])
    assert len(set(m["participants"])) == len(m["participants"])
    assert m["participants"] or m["name"], "a meeting needs participants or a name"
    assert m["kind"] in KINDS
    assert m["tense"] in TENSES
    assert m["certainty"] in CERTAINTIES
    for key in ("name", "location"):
        assert m[key] is None or (isinstance(m[key], str) and m[key].strip())
    alts = m.get("alt_locations", [])
    assert isinstance(alts, list) and all(isinstance(a, str) and a.strip() for a in alts)
    assert m["location"] not in alts
    assert (m["start"] is None) == (m["end"] is None)
    if m["start"] is not None:
        start, end = date.fromisoformat(m["start"]), date.fromisoformat(m["end"])
        assert start <= end
        published = _published_date(article)
        if m["tense"] == "upcoming":
            assert end >= published, "an upcoming meeting cannot end before publication"
        if m["tense"] == "past":
            assert start <= published, "a past meeting cannot start after publication"
    # Every participant and place is in the text in some form (a word of it, after normalisation).
    for value in [*m["participants"], m["location"], *alts]:
        if value:
            assert any(f" {w} " in text_key for w in name_key(value).split()), f"{value!r} not in the text"


def test_negatives_have_no_upcoming_meeting():
    articles = load_gold(NEGATIVES)
    assert len(articles) >= 60
    for a in articles:
        assert not _upcoming(a), a["id"]
    with_history = sum(1 for a in articles if a["meetings"])
    assert with_history >= 8, "some negatives annotate past or cancelled meetings"
    assert any(m["tense"] == "cancelled" for a in articles for m in a["meetings"])


def test_positives_have_one_to_three_upcoming_meetings():
    articles = load_gold(POSITIVES)
    assert len(articles) >= 30
    for a in articles:
        assert 1 <= len(_upcoming(a)) <= 3, a["id"]
    kinds = {m["kind"] for a in articles for m in _upcoming(a)}
    assert kinds == KINDS
    assert any(m.get("alt_locations") for a in articles for m in a["meetings"])
    years = {_published_date(a).year for a in articles}
    assert len(years) >= 8


def test_series_is_one_summit_over_time():
    arts = _series_articles()
    dates = [_published_date(a) for a in arts]
    assert dates == sorted(dates) and len(set(dates)) == 4
    people = None
    for a in arts:
        up = _upcoming(a)
        assert len(up) == 1, a["id"]
        if people is None:
            people = {name_key(p) for p in up[0]["participants"]}
        assert {name_key(p) for p in up[0]["participants"]} == people
    first, second, third, fourth = (_upcoming(a)[0] for a in arts)
    assert first["start"] != first["end"], "the announcement gives a vague date"
    assert second["start"] == second["end"], "then an exact date"
    assert third["start"] == second["start"] and third["location"] != second["location"], "then a new venue"
    assert fourth["start"] > third["start"] and fourth["location"] == third["location"], "then a new date"


@pytest.mark.parametrize("path", [NEGATIVES, POSITIVES, *(SERIES / n for n in SERIES_FILES)], ids=lambda p: p.name)
def test_gold_scores_perfectly_against_itself(path):
    articles = load_gold(path)
    predicted = {a["id"]: _upcoming(a) for a in articles}
    s = score(articles, predicted)
    assert s.fp == 0 and s.fn == 0
    if s.tp:
        assert (s.f1, s.exact_date, s.location, s.kind) == (1.0, 1.0, 1.0, 1.0)
