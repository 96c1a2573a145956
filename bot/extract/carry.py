"""What one sentence carries to the next: the running date, place, participants and gathering."""

from __future__ import annotations

import re

from bot.extract.context import ArticleContext
from bot.extract.dates import is_duration
from bot.extract.participants import Participants
from bot.extract.patterns import FUTURE, TOUR_REF
from bot.temporal import Resolved, find_dates


class Carry:
    def __init__(self, ctx: ArticleContext, participants: Participants):
        self.ctx = ctx
        self.participants = participants

    def light_context(self, sentence: str) -> None:
        """Keep the running date and place from a sentence spaCy does not parse (for 'There, he ...')."""
        tense = "future" if FUTURE.search(sentence) else None
        found = [f for f in find_dates(sentence, self.ctx.published, tense, self.ctx.last_date)
                 if f.value.start >= self.ctx.ref_date and not is_duration(sentence, f)]
        if found:
            last = found[-1].value
            self.ctx.last_dates = last
            self.ctx.last_date = last.start
            tour = TOUR_REF.search(sentence)
            spans = [f.value for f in found if tour and 0 <= f.start_char - tour.end() <= 40
                     and f.value.start < f.value.end]
            if spans:
                self._date_legs(spans[0])  # "the tour runs from June 13 to 20"
        for m in re.finditer(r"\b(?:in|to|for|at)\s+(?:the\s+)?([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,2})", sentence):
            if self.ctx.g.country(m.group(1)):
                self.ctx.last_location = m.group(1).strip(" .,;:")
        self.participants.note_subject(sentence)

    def _date_legs(self, tour: Resolved) -> None:
        """'the tour runs from June 13 to 20' dates the legs of the itinerary just listed, when they
        had no date or a vaguer one ('this week')."""
        legs = [m for m in self.ctx.mentions[-6:] if m.leg is not None and m.tense == "upcoming"]
        for m in legs:
            if m.dates is None or m.dates.grain != "day" or (m.dates.start <= tour.start and tour.end <= m.dates.end):
                m.dates = tour

    def note_context(self, doc, made, found=None, places=None) -> None:
        found = [f for f in (found or []) if f.value.start >= self.ctx.ref_date]
        if found:
            last = found[-1].value
            self.ctx.last_date = last.start
            self.ctx.last_dates = last
        dated = [m for m in (made or []) if m.dates is not None and m.tense == "upcoming"]
        if dated:
            self.ctx.last_dates = dated[-1].dates
        past_only = bool(made) and all(m.tense == "past" for m in made)
        if places and not past_only:  # where they met before is not where the next meeting is
            self.ctx.last_location = places[-1][2]
        gatherings = [m for m in (made or []) if m.kind == "multilateral" and not m.name and m.lemma != "ceremony"]
        if gatherings:
            self.ctx.last_gathering = gatherings[-1]
        located = [m for m in (made or []) if m.location and m.tense != "past"]
        if located:
            self.ctx.last_location = located[-1].location
        if made:
            with_people = [m for m in made if len(m.participants) >= 1]
            if with_people:
                self.ctx.last_participants = with_people[-1].participants
