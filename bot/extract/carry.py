"""What one sentence carries to the next: the running date, place, participants and gathering."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.extract.context import ArticleContext, Mention, Trigger
from bot.extract.dates import Dates, is_duration, is_ending, stated_extent
from bot.extract.participants import Participants
from bot.extract.patterns import CONTINUATION, DURING_STAY, EXTENT, FUTURE, NUMBERS, TOUR_REF
from bot.extract.syntax import during_trip
from bot.temporal import Found, Resolved, find_dates


class Carry:
    """What a sentence takes from the ones before it (the running date, place and participants) and leaves to
    the next."""

    def __init__(self, ctx: ArticleContext, participants: Participants, dates: Dates):
        self.ctx = ctx
        self.participants = participants
        self.dates = dates

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
                if self.ctx.on("itinerary legs"):
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
        located = [m for m in (made or []) if m.location and m.tense != "past"]
        if located:
            self.ctx.last_location = located[-1].location
        trips = [m for m in (made or []) if m.kind == "visit" and len(m.participants) == 1 and m.tense == "upcoming"
                 and not self.ctx.g.is_state(m.participants[0])]
        if trips:
            self.ctx.traveller = trips[-1].participants[0]
        if made:
            with_people = [m for m in made if len(m.participants) >= 1]
            if with_people:
                self.ctx.last_participants = with_people[-1].participants

    def also_there(self, tok, names: list[str]) -> Mention | None:
        """'Netanyahu said he is also scheduled to meet with Vance, Rubio ...': the last dated upcoming meeting
        of the one who also meets others (its dates and place are those of this one: the same trip)."""
        if len(names) < 2:
            return None
        verbs = [tok]  # "will also meet", "is also scheduled to meet", "will also hold talks with"
        while verbs[-1].dep_ in ("xcomp", "dobj") and len(verbs) < 3:
            verbs.append(verbs[-1].head)
        if not any(c.lower_ == "also" and c.dep_ == "advmod" for t in verbs for c in t.children):
            return None
        found = next((m for m in reversed(self.ctx.mentions) if names[0] in m.participants and m.dates is not None
                      and m.tense == "upcoming" and m.kind != "multilateral"), None)
        if found is None:  # "Japan, China and South Korea will hold a summit ... Li will also hold talks with Yoon"
            sides = {names[0], self.participants.party(names[0])} - {None}
            found = next((m for m in reversed(self.ctx.mentions) if m.kind == "multilateral" and m.dates is not None
                          and m.tense == "upcoming" and sides & set(m.participants)), None)
        return found

    def carried(self, doc, tok, trig: Trigger, triggers: list[Trigger], found: list[Found], names: list[str],
                dates: Resolved | None, tense: str | None, contiguous: bool, lo: int, hi: int):
        """An undated meeting's date from the meeting before ('also meets'), from the sentence before
        ('There, he will meet ...'), and a day stretched over the stated length ('a three-day visit')."""
        text = self.ctx.sentence_text
        inherited = False
        also = self.also_there(tok, names) if dates is None and not found and self.ctx.on("also-meets sharing") \
            else None
        if also is not None:
            dates, inherited = also.dates, True
        elif dates is None and contiguous and CONTINUATION.match(text) and self.ctx.last_dates is not None \
                and self.ctx.on("continuation"):
            dates = self.ctx.last_dates
            inherited = True
        if self.ctx.on("stated length"):
            dates = self._stretched(doc, tok, trig, triggers, found, dates, tense, inherited, lo, hi)
        return dates, inherited, also

    def _stretched(self, doc, tok, trig: Trigger, triggers: list[Trigger], found: list[Found],
                   dates: Resolved | None, tense: str | None, inherited: bool, lo: int, hi: int) -> Resolved | None:
        """A start day stretched over the length the sentence states ("for a three-day visit"; "the three-day
        summit will end on June 17": back from its last day)."""
        text = self.ctx.sentence_text
        n = stated_extent(text, trig.start_char, trig.end_char, hi)
        trip = during_trip(tok) if n is None else None
        stay = None
        if trip is not None:  # "a two-day visit ..., during which he will hold talks": as long as the visit
            stay = EXTENT.search(text, max(0, trip.idx - 30), trip.idx + len(trip.text))
        elif n is None and inherited:  # "left on Monday ... During his four-day stay, he is expected to meet"
            stay = DURING_STAY.match(text)
        if stay:
            n = NUMBERS.get(stay.group(1).lower())
        if trip is not None and n:
            # "will depart next Wednesday for a three-day visit, during which the president will attend a
            # summit of APEC": the visit's own day starts it, over the vaguer "next week" of the summit
            j = next((index for index, t in enumerate(triggers) if t.i == trip.i), None)
            own = self.dates.date_for(triggers[j], found, lo, hi, triggers, j, tense) if j is not None else None
            if own is not None and own.start == own.end and (dates is None or dates.start < dates.end):
                dates = own
        if dates is not None and n and dates.start == dates.end:
            if is_ending(tok):
                dates = Resolved(dates.start - timedelta(days=n - 1), dates.start, "day", dates.text, dates.time)
            else:
                dates = Resolved(dates.start, dates.start + timedelta(days=n - 1), "day", dates.text, dates.time)

        return dates
