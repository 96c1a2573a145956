"""Which sentences are worth parsing: the sentence splitter, the cheap candidate test and the anchors."""

from __future__ import annotations

import re

from bot.extract.context import ArticleContext
from bot.extract.patterns import (
    ABBREVIATIONS, ACTOR, ALSO, BOUNDARY, CANCEL, CANDIDATE, CAPITALISED, NEAR_ALSO, NEAR_ANCHOR, OCCASION_REF,
    ON_THE_TRIP, OPENING, PLACED_AT, SUMMIT_WORD, THE_EVENT, THE_GATHERING, TRAVEL,
)
from bot.extract.gatherings import GATHERING_NAME, reports_gathering
from bot.temporal import find_dates

MAX_SENTENCE_CHARS = 2000  # a longer "sentence" is a table or a list the splitter could not cut: never parsed


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their offsets: a regex split that is good enough to choose what spaCy parses."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in BOUNDARY.finditer(text):
        dot = m.start() - 1 if m.end() == m.start() else m.start()
        if text[dot] == "." and "\n\n" not in m.group(0):
            word = re.search(r"([\w.]+)$", text[max(0, dot - 12):dot])
            if word and (word.group(1).lower() in ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word.group(1))):
                continue  # "Mr.", "U.S.", initials: "J. Smith", "J.D. Vance"
        end = m.end()
        piece = text[start:end].strip()
        if piece:
            out.append((start, piece))
        start = end
    tail = text[start:].strip()
    if tail:
        out.append((start, tail))
    return out


def blank(m: re.Match) -> str:
    """A match blanked out with its offsets kept, and its line breaks too (they still end a headline)."""
    return re.sub(r"[^\n]", " ", m.group(0))


class Prefilter:
    """The cheap test of which sentences spaCy must parse (regexes and the gazetteer only)."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx
        self.candidates: list[bool] = []  # select()'s first pass, kept for the classifier's second look

    def candidate(self, sentence: str) -> bool:
        """A sentence that may hold a meeting (cheap: regexes only)."""
        low = sentence.lower()
        if CANDIDATE.search(low):
            return True
        if OPENING.search(low) and self.ctx.g.summit_pattern.search(sentence):
            return True  # "The CHOGM will be formally declared open on Friday"
        if self.ctx.on("named gatherings") and GATHERING_NAME.search(sentence):
            return True  # "The Sixth WTO Ministerial Conference will take place in Hong Kong"
        return bool(TRAVEL.search(low)) and any(self.ctx.g.country(w) for w in CAPITALISED.findall(sentence))

    def _names_actor(self, sentence: str) -> bool:
        """Whether a sentence names an official by title or a leader the gazetteer knows."""
        return bool(ACTOR.search(sentence) or self.ctx.g.people_pattern.search(sentence))

    def _anchor(self, sentence: str, follows_diplomacy: bool = False, actor: bool | None = None) -> bool:
        """A sentence that can date or name a meeting on its own (cheap: regexes only).

        follows_diplomacy: an earlier sentence of the article was an anchor, so "the summit" here
        is most likely the diplomats' one ("The summit runs from Oct. 26 to 28"). actor: what
        _names_actor says of the sentence, when the caller already asked."""
        g = self.ctx.g
        if g.summit_pattern.search(sentence):
            return True
        if self.ctx.on("named gatherings") and GATHERING_NAME.search(sentence) \
                and find_dates(sentence, self.ctx.published, None, None) and reports_gathering(self.ctx, sentence):
            return True  # a dated gathering that the classifier says the sentence reports
        words = CAPITALISED.findall(sentence)
        if not ((self._names_actor(sentence) if actor is None else actor)
                or any(self.ctx.people.resolve(w) for w in words)
                or len({g.country(w) for w in words if g.is_state(w) or g.is_capital(w)}) >= 2
                or follows_diplomacy and (SUMMIT_WORD.search(sentence) or THE_GATHERING.match(sentence))):
            # nobody who conducts diplomacy, neither an official nor two states: a rate meeting,
            # a final, a trial, a tech "summit", a mountain's summit
            return False
        return bool(CANCEL.search(sentence) or OCCASION_REF.search(sentence)
                    or find_dates(sentence, self.ctx.published, None, None))

    def select(self, sentences: list[str]) -> list[bool]:
        """Which sentences to parse: a meeting sentence near one that dates, names or cancels a meeting (the
        rest can only repeat who and where, and most news has no such sentence at all)."""
        parse = [self.candidate(s) and len(s) < MAX_SENTENCE_CHARS for s in sentences]
        self.candidates = list(parse)  # the meeting sentences short enough to parse, before the anchors narrow them
        anchors: list[int] = []
        actor_seen = False  # an earlier meeting sentence named someone who conducts diplomacy
        for i, (s, keep) in enumerate(zip(sentences, parse)):
            if not keep:
                continue
            actor = self._names_actor(s)
            if self._anchor(s, follows_diplomacy=bool(anchors), actor=actor) or actor_seen \
                    and THE_EVENT.match(s) and find_dates(s, self.ctx.published, None, None):
                anchors.append(i)  # "The visit, his first since taking office, will run from Saturday ..."
            actor_seen = actor_seen or actor
        near = {j for i in anchors for j in range(i - NEAR_ANCHOR, i + NEAR_ANCHOR + 1)}
        # "He is also scheduled to meet with ...": a further meeting of the same trip reaches further
        further = {j for i in anchors for j in range(i + NEAR_ANCHOR + 1, i + NEAR_ALSO + 1)}
        on_trip = bool(anchors) and self.ctx.on("trip scenes")
        return [keep and (i in near or i in further and bool(ALSO.search(s)) or on_trip and self._on_trip(s))
                for i, (keep, s) in enumerate(zip(parse, sentences))]

    def _on_trip(self, sentence: str) -> bool:
        """A meeting sentence set on a trip ("In Riga, she will meet ...", "While in the country, he will hold talks
        with ...", "then flies on to Oslo, where he will meet ..."): the trip's own, however far from its dates."""
        if ON_THE_TRIP.search(sentence):
            return True
        m = PLACED_AT.match(sentence)
        return bool(m and self.ctx.g.country(m.group(1).strip()))
