"""The sentence prefilter: which sentences spaCy parses, and that skipping the rest loses no meeting."""

import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.extract import Extractor
from bot.extract.mentions import ArticleExtraction
from bot.sources import article_from_record

ROOT = Path(__file__).resolve().parent.parent
PUBLISHED = datetime(2025, 5, 12, tzinfo=timezone.utc)


def _plan(extractor, text: str) -> list[str]:
    return ArticleExtraction(text, PUBLISHED, extractor.gazetteer, extractor.nlp).prepare()


def test_a_dated_summit_with_nobody_who_conducts_diplomacy_is_not_parsed(extractor):
    # A mountain's summit, a tech "summit", a sales summit: dated, but nobody there is a diplomat.
    text = ("Dozens of climbers reached the summit of Mount Everest on Tuesday. "
            "A team of guides fixed ropes to the summit on Friday. "
            "Web Summit, one of the largest technology conferences, opens on Monday in Lisbon. "
            "The sales summit has been held in Las Vegas every year since 2011.")
    assert _plan(extractor, text) == []


def test_a_summit_sentence_next_to_a_diplomatic_one_is_parsed(extractor):
    text = ("President Emmanuel Macron will meet Chancellor Friedrich Merz in Berlin next week. "
            "The summit will also take up defence spending. "
            "Stock markets rose on Monday.")
    plan = _plan(extractor, text)
    assert plan[0].startswith("President Emmanuel Macron")
    assert "The summit will also take up defence spending." in plan
    assert not any(s.startswith("Stock markets") for s in plan)


def test_a_summit_of_states_is_parsed_without_an_official(extractor):
    assert _plan(extractor, "Japan will host a trilateral summit with China and South Korea on Wednesday.")


def test_the_summit_an_article_already_spoke_of_is_dated_by_a_later_sentence(extractor):
    text = ("Prime Minister Anthony Albanese will travel to Kuala Lumpur on Oct. 26 to attend the regional summit. "
            "Trade figures were published on Monday. Markets were calm. Shares rose. Oil fell. "
            "The summit, hosted by Malaysia, runs from Oct. 26 to 28.")
    assert "The summit, hosted by Malaysia, runs from Oct. 26 to 28." in _plan(extractor, text)


def test_a_named_summit_is_parsed_without_a_title_in_the_sentence(extractor):
    assert _plan(extractor, "The G20 summit opens in Johannesburg on Saturday.")


def test_the_prefilter_loses_no_upcoming_meeting_on_the_trap_set(extractor):
    full = Extractor(nlp=extractor.nlp, gazetteer=extractor.gazetteer, prefilter=False, learned=False)
    path = ROOT / "tests" / "data" / "negatives.jsonl"
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        article = article_from_record(json.loads(line), "neg")
        fast = [m.to_json() for m in extractor.extract(article) if m.tense == "upcoming"]
        slow = [m.to_json() for m in full.extract(article) if m.tense == "upcoming"]
        assert fast == slow, article.title


@pytest.mark.parametrize("text", ["", "\n\n", "Nothing here."])
def test_nothing_to_parse(extractor, text):
    assert _plan(extractor, text) == []


# The learned second look: a sentence with a meeting word that the cheap cascade held back is parsed when the
# sentence classifier is sure enough that it tells of a meeting (bot.extract.second_look).

HELD = "The negotiators of the two sides will resume their talks in Vienna next week."
# A sentence the cascade keeps, and enough else between it and HELD that HELD is not near it: the second look
# is only taken in an article the cascade kept something of.
ANCHOR = "President Emmanuel Macron will meet Chancellor Friedrich Merz in Berlin on Friday."
STORY = f"{ANCHOR} Stocks fell. Oil rose. Bonds were flat. {HELD}"


class _Says:
    """A sentence classifier that gives every sentence the same status."""

    def __init__(self, status: str):
        self.status = status
        self.read: list[str] = []

    def cats(self, sentences):
        self.read.extend(sentences)
        return [{label: float(label == self.status) for label in ("UPCOMING", "PAST", "CANCELLED", "NONE")}
                for _ in sentences]


def _extractor_with(nlp, gazetteer, says: _Says, admit: float | None = 0.7):
    from bot.extract.classifier import Thresholds

    class Stubbed(Extractor):
        classifier = says
        parsed: list[str] = []

        def _parse(self, texts, batch_size):
            self.parsed.extend(texts)
            return super()._parse(texts, batch_size)

    return Stubbed(nlp=nlp, gazetteer=gazetteer, thresholds=Thresholds(admit=admit))


def test_a_meeting_sentence_with_no_anchor_is_held_back_not_lost(extractor):
    work = ArticleExtraction(STORY, PUBLISHED, extractor.gazetteer, extractor.nlp)
    assert work.prepare() == [ANCHOR]
    assert work.held_back() == [HELD]  # a meeting word: the classifier may still ask for it
    work.admit([True])
    assert work.planned() == [ANCHOR, HELD]


def test_nothing_is_held_back_in_an_article_the_cascade_kept_nothing_of(extractor):
    work = ArticleExtraction(HELD + " Stocks fell.", PUBLISHED, extractor.gazetteer, extractor.nlp)
    assert work.prepare() == [] and work.held_back() == []


def test_no_sentence_is_held_back_that_could_not_be_parsed_anyway(extractor):
    # too long to parse (a table the splitter could not cut), or the prefilter off (every sentence is planned)
    long = HELD[:-1] + ", " + "and so on, " * 200 + "it said."
    work = ArticleExtraction(STORY.replace(HELD, long), PUBLISHED, extractor.gazetteer, extractor.nlp)
    assert work.prepare() == [ANCHOR] and work.held_back() == []
    off = ArticleExtraction(HELD + " Stocks fell.", PUBLISHED, extractor.gazetteer, extractor.nlp,
                            disabled=frozenset({"prefilter"}))
    assert off.prepare() == [HELD, "Stocks fell."] and off.held_back() == []


def test_the_classifier_admits_a_held_back_sentence_it_reads_as_a_meeting(extractor):
    says = _Says("UPCOMING")
    article = article_from_record({"text": STORY, "published": "2025-05-12"}, "a")
    stubbed = _extractor_with(extractor.nlp, extractor.gazetteer, says)
    stubbed.extract(article)
    assert says.read[0] == HELD and stubbed.parsed == [ANCHOR, HELD]


def test_a_held_back_sentence_the_classifier_reads_as_no_meeting_stays_unparsed(extractor):
    for says, admit in ((_Says("NONE"), 0.7), (_Says("UPCOMING"), None)):
        article = article_from_record({"text": STORY, "published": "2025-05-12"}, "a")
        stubbed = _extractor_with(extractor.nlp, extractor.gazetteer, says, admit)
        stubbed.extract(article)
        assert stubbed.parsed == [ANCHOR]
        assert admit is not None or HELD not in says.read  # switched off, it does not even ask


def test_the_committed_classifier_does_not_admit_a_committee_sitting(nlp):
    from bot.extract.classifier import Thresholds, load_classifier, tells_of_meeting

    classifier = load_classifier()
    if classifier is None:
        pytest.skip("no committed sentence classifier")
    sentence = "The parliamentary committee meeting on the budget dragged on for hours."
    assert tells_of_meeting(classifier.cats([sentence])[0]) < Thresholds().admit
