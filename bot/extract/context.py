"""What the rules of one article share: the article, what earlier sentences said, the sentence being read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.extract.gazetteer import Gazetteer
from bot.extract.people import PeopleIndex
from bot.extract.syntax import clause_tokens, is_headline
from bot.temporal import Resolved


@dataclass
class Mention:
    """One meeting as one sentence tells it."""

    participants: list[str]
    kind: str
    name: str | None
    location: str | None
    locations: list[str]
    dates: Resolved | None
    tense: str
    certainty: str
    sentence: str
    order: int
    occasion: str | None = None  # summit name this meeting is held at
    building: bool = False  # its place is a building ("the White House"), not a city or country
    leg: int | None = None  # its place in a listed itinerary ("will visit Japan, South Korea and India")
    lemma: str = ""  # the trigger's lemma
    extent: int | None = None  # days it lasts, when the sentence says ("the two-day summit")
    ends: bool = False  # its date is the day it ends ("the summit will end on June 17")
    at_gathering: bool = False  # held at an unnamed gathering the article spoke of ("on the sidelines of the summit")
    running: Resolved | None = None  # the article's running date when the meeting was named without one
    running_place: str | None = None  # and the place the story was in then ("There, ...")
    context_dated: bool = False  # its dates are that running date
    fallback: bool = False  # proposed for a sentence the rules read no meeting in (the classifier decides)
    guest_unnamed: bool = False  # the one who meets its participant is in the text but unnamed ("the minister")


@dataclass
class Trigger:
    """A word that names a meeting: a meeting verb or noun, a journey, a stop on a trip."""

    i: int  # token index
    kind_hint: str
    text: str
    start_char: int
    end_char: int
    lemma: str


def make_mention(names, kind, name, location, locs, dates, tense, certainty, text, order, occasion) -> Mention:
    """A mention with its own copies of the name and place lists."""
    return Mention(list(names), kind, name, location, list(locs), dates, tense, certainty, text, order,
                   occasion=occasion)


class ArticleContext:
    """The per-article state every rule reads: the article, the people index and gazetteer, what the sentences
    read so far established (the running date, place and participants, the summits named), and the parsed
    sentence being read."""

    def __init__(self, text: str, published: datetime, gazetteer: Gazetteer, *, summit_lookup=None,
                 disabled: frozenset[str] = frozenset()):
        self.text = text
        self.published = published
        self.ref_date = published.date()
        self.g = gazetteer
        self.summit_lookup = summit_lookup  # (name, around: date) -> (start, end, place) | None: what the database knows
        self.disabled = disabled  # rule families switched off (bot.extract.families)
        self.people = PeopleIndex(gazetteer, hygiene=self.on("name forms"))
        self.mentions: list[Mention] = []
        self.summit_dates: dict[str, tuple[Resolved, str | None]] = {}  # summit name -> (dates, place)
        self.summit_places: dict[str, str] = {}  # summit name -> its place, when a mention gives one
        self.last_date: date | None = None
        self.last_dates: Resolved | None = None
        self.last_location: str | None = None
        self.dateline: str | None = None  # the city the article is filed from, when it opens with a dateline
        self.cities_seen: dict[str, None] = {}  # cities (not states) the article names as a place, in order
        # sentence index -> the places its meeting words' clauses name, with the word that introduces each
        # ("in", "to", "venue", ...): the candidates of the learned choice of a meeting's place (bot.extract.placing)
        self.sentence_places: dict[int, list[tuple[str, str]]] = {}
        self.meeting_orders: dict[int, list[int]] = {}  # id(meeting) -> the indexes of the sentences merged into it
        self.last_participants: list[str] = []
        self.named_summits: dict[str, None] = {}  # summits named so far, in order (a set that keeps it)
        self.recent_summit: str | None = None
        self.counted_talks: str | None = None  # the last talks named by their number of parties
        self.phone_seen = False  # the article spoke of a phone call: a later "the call" is one too
        self.last_named: str | None = None  # the official the text was last about (for "he", "she")
        self.traveller: str | None = None  # who the last upcoming visit the text reported is made by
        self.recent_people: list[str] = []  # the people the last sentence with a meeting word named
        # sentence -> its gathering names with the classifier's scores (bot.extract.gatherings.scored_names)
        self.gathering_scores: dict[str, list[tuple[int, int, str, float]]] = {}
        # The sentence being read (see read): its doc, text and entities, and the summit names in it.
        self.doc = None
        self.sentence_text, self.ents, self.headline = "", (), False
        self.summit_spans: list[tuple[int, int, str]] = []
        self._local_doc, self._local_cache = None, {}  # clause tokens per trigger, for the current sentence
        # This sentence's dates whose own verb has a tense: "it would happen before Christmas" -> future,
        # "said after his meeting with Xi on Oct. 30" -> past.
        self.date_tense: dict[Resolved, str] = {}

    def on(self, family: str) -> bool:
        """Whether a rule family (bot.extract.families) runs in this extraction."""
        return family not in self.disabled

    def read(self, doc) -> None:
        """Make doc the sentence being read. Doc.text and Doc.ents are rebuilt on every access,
        so they are taken once here."""
        self.doc, self.sentence_text, self.ents = doc, doc.text, doc.ents
        self.date_tense = {}
        self.headline = is_headline(self.sentence_text)
        # (start, end, text) of every summit or body name in the sentence: one scan for every rule that asks
        self.summit_spans = [(m.start(), m.end(), m.group(0))
                             for m in self.g.summit_pattern.finditer(self.sentence_text)]
        for tok in (doc if "ummit" in self.sentence_text else ()):
            if tok.lower_ in ("summit", "summits") and tok.pos_ == "VERB" and not any(
                    c.dep_ in ("aux", "nsubj") for c in tok.children):
                tok.pos_ = "NOUN"  # "will attend the G7 and NATO summits": a tagger slip, no verb

    def ent_at(self, i: int):
        """The entity of the sentence being read that holds token i, if any."""
        return next((e for e in self.ents if e.start <= i < e.end), None)

    def local_tokens(self, doc, tok) -> set[int]:
        """The trigger's own clause, computed once per token of the sentence being read."""
        if self._local_doc is not doc:
            self._local_doc, self._local_cache = doc, {}
        if tok.i not in self._local_cache:
            self._local_cache[tok.i] = clause_tokens(doc, tok)
        return self._local_cache[tok.i]
