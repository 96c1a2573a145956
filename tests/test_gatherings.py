"""Named gatherings: the grammar that finds their names, and the learned proposer that makes them meetings.

The articles here are invented for the test (no corpus sentence): the family must carry over to bodies and
phrasings it never saw.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.extract import Extractor
from bot.extract.gatherings import gathering_names, marked, same_gathering
from bot.models import Article


@pytest.mark.parametrize("sentence, name", [
    ("The Ninth Andean Parliament Ministerial Conference will open in Quito on March 3.",
     "Ninth Andean Parliament Ministerial Conference"),
    ("Ministers will gather for the 12th Summit of the Heads of State or Government of the Indian Ocean Rim "
     "Association (IORA) next week.",
     "12th Summit of the Heads of State or Government of the Indian Ocean Rim Association (IORA)"),
    ("He will attend the Pacific Alliance foreign ministers' meeting in Lima.", "Pacific Alliance foreign ministers' meeting"),
    ("The summit of the Economic Community of Central African States (ECCAS) is due on Friday.",
     "summit of the Economic Community of Central African States (ECCAS)"),
])
def test_the_grammar_finds_the_whole_name(sentence, name):
    assert [n for _, _, n in gathering_names(sentence)] == [name]


@pytest.mark.parametrize("sentence", [
    "Talks went on late into the night.",  # a capitalised noun at a sentence's start names nothing
    "The council voted on Tuesday.",
    "Prices rose on October 14 meeting expectations.",  # a bare number is no part of a name
])
def test_the_grammar_names_nothing_where_there_is_no_name(sentence):
    assert gathering_names(sentence) == []


def test_the_classifier_reads_the_name_marked_and_normalised():
    sentence = "The 3rd Arctic Council Ministerial will meet in 2031."
    (start, end, name), = gathering_names(sentence)
    assert name == "3rd Arctic Council Ministerial"
    assert marked(sentence, start, end) == "the [[ 0rd arctic council ministerial ]] will meet in 0000."


def test_same_gathering_compares_the_telling_words():
    assert same_gathering("OSCE Ministerial Council", "32nd Ministerial Council of the OSCE")
    assert not same_gathering("OSCE Ministerial Council", "ASEAN Regional Forum")
    assert not same_gathering(None, "ASEAN Regional Forum")


def _extract(text: str, published: str, **kwargs) -> list:
    article = Article(url="https://example.org/a", title="", text=text,
                      published=datetime.fromisoformat(published).replace(tzinfo=timezone.utc))
    return Extractor(**kwargs).extract(article)


@pytest.fixture
def sure_classifier(monkeypatch):
    """The gathering classifier as sure as can be of every name: the proposer's own work, apart from how sure a
    retrained model happens to be of one invented sentence (its accuracy is measured on the dev split)."""
    from bot.extract import gatherings

    class Sure:
        def cats(self, texts):
            return [{gatherings.LABEL: 1.0} for _ in texts]

    monkeypatch.setattr(gatherings, "load_gathering_classifier", lambda: Sure())


def test_a_dated_intergovernmental_conference_with_nobody_named_is_a_meeting(sure_classifier):
    text = ("GENEVA - The Fourth Ministerial Conference of the Intergovernmental Fisheries Commission will take "
            "place in Nairobi from 9 to 12 June, the organisation said on Monday. Delegations from 60 member "
            "states are expected.")
    meetings = _extract(text, "2031-05-02")
    assert [(m.name, m.location, m.start.isoformat(), m.end.isoformat(), m.tense) for m in meetings] == [
        ("Fourth Ministerial Conference of the Intergovernmental Fisheries Commission", "Nairobi", "2031-06-09",
         "2031-06-12", "upcoming")]


def test_switched_off_the_family_proposes_nothing():
    text = ("GENEVA - The Fourth Ministerial Conference of the Intergovernmental Fisheries Commission will take "
            "place in Nairobi from 9 to 12 June, the organisation said on Monday.")
    assert _extract(text, "2031-05-02", disabled=frozenset({"named gatherings"})) == []


def test_scoring_many_articles_at_once_reads_every_name_in_one_batch(monkeypatch):
    from bot.extract import gatherings
    from bot.extract.context import ArticleContext
    from bot.extract.gazetteer import load_gazetteer

    batches = []

    class Counting:
        def cats(self, texts):
            batches.append(list(texts))
            return [{gatherings.LABEL: 0.25 if "council" in t else 0.75} for t in texts]

    monkeypatch.setattr(gatherings, "load_gathering_classifier", lambda: Counting())
    published = datetime(2031, 5, 2, tzinfo=timezone.utc)
    first = ArticleContext("", published, load_gazetteer())
    second = ArticleContext("", published, load_gazetteer())
    a = "The Third Arctic Council Ministerial will meet in 2031."
    b = "The Fourth Ministerial Conference of the Fisheries Commission opens on Monday."
    gatherings.score_all([(first, [a, b, "No name here."]), (second, [b])])
    assert len(batches) == 1 and len(batches[0]) == 3  # one batch; a sentence without a name is not read
    assert [p for *_, p in gatherings.scored_names(first, a)] == [0.25]
    assert [p for *_, p in gatherings.scored_names(second, b)] == [0.75]
    assert len(batches) == 1  # kept: asking again reads nothing


def test_without_the_model_a_named_gathering_scores_nothing_and_is_not_asked_again(monkeypatch):
    from bot.extract import gatherings
    from bot.extract.context import ArticleContext
    from bot.extract.gazetteer import load_gazetteer

    asked = []
    monkeypatch.setattr(gatherings, "load_gathering_classifier", lambda: asked.append(1))
    ctx = ArticleContext("", datetime(2031, 5, 2, tzinfo=timezone.utc), load_gazetteer())
    sentence = "The Third Arctic Council Ministerial will meet in 2031."
    assert gatherings.scored_names(ctx, sentence) == [] and gatherings.scored_names(ctx, sentence) == []
    assert len(asked) == 1
