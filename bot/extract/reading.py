"""One parsed sentence read into mentions: the triggers, and for each its participants, kind, date and place."""

from __future__ import annotations

import copy
import re

from bot.extract.carry import Carry
from bot.extract.context import ArticleContext, Mention, make_mention
from bot.extract.dates import Dates, in_since_clause, is_duration, is_ending, stated_extent, weekdays_in_order
from bot.extract.gatherings import GATHERING_NAME, GatheringProposer
from bot.extract.kinds import Kinds
from bot.extract.names import SummitNames
from bot.extract.participants import Participants
from bot.extract.patterns import AT_GATHERING, CANCEL, COUNTED_TALKS, DELEGATES, NEGATED, PHONE, PUT_OFF
from bot.extract.places import Places
from bot.extract.roles import Roles
from bot.extract.status import Status
from bot.extract.syntax import token_at, unique
from bot.extract.tense import Tenses
from bot.extract.triggers import TriggerFinder
from bot.temporal import Found, find_dates


COUNTED_NOUNS = frozenset({"talks", "talk", "negotiation", "negotiations", "dialogue", "meeting", "consultations",
                           "summit"})


class SentenceReader:
    """Reads one parsed sentence into mentions, asking each collaborator its decision per trigger."""

    def __init__(self, ctx: ArticleContext, finder: TriggerFinder, participants: Participants, roles: Roles,
                 names: SummitNames, kinds: Kinds, places: Places, tenses: Tenses, dates: Dates, status: Status,
                 carry: Carry):
        self.gatherings = GatheringProposer(ctx, tenses, dates, places, status)
        self.ctx = ctx
        self.finder = finder
        self.participants = participants
        self.roles = roles
        self.names = names
        self.kinds = kinds
        self.places = places
        self.tenses = tenses
        self.dates = dates
        self.status = status
        self.carry = carry
        self.met_unnamed: set[str] = set()  # whom this sentence's unnamed guest meets (_guest_unnamed)

    def read(self, doc, order: int, contiguous: bool) -> None:
        if self.ctx.doc is not doc:
            self.ctx.read(doc)
        text = self.ctx.sentence_text
        try:
            self._read_sentence(doc, order, contiguous)
        finally:
            self.participants.note_subject(text)

    def _read_sentence(self, doc, order: int, contiguous: bool) -> None:
        text = self.ctx.sentence_text
        self.ctx.phone_seen = self.ctx.phone_seen or bool(PHONE.search(text))
        triggers = self.finder.find(doc)
        if not triggers and not (self.ctx.on("named gatherings") and GATHERING_NAME.search(text)):
            self.carry.light_context(text)
            if self.ctx.on("sentence fallback"):
                self.ctx.mentions.extend(self._fallback(doc, order))
            return
        tense_cache: dict[int, str | None] = {}
        people = self.participants.person_mentions(doc)
        summits = self.names.summit_mentions(doc)
        places = self.places.find(doc)
        self.ctx.sentence_places[order] = [(p[2], p[3]) for p in places]
        cues = [m.start() for m in CANCEL.finditer(text) if not self.status.aside(doc, m.start(), triggers)
                and not NEGATED.search(text, max(0, m.start() - 24), m.start())] if self.ctx.on("cancellations") else []
        # Dates: resolve once per tense direction of each trigger.
        sentence_found: list[Found] = []
        for trig in triggers:
            tense_cache[trig.i] = self.tenses.verb_tense(doc, trig)
        clause_tense = self.tenses.sentence_tense(doc)
        if self.ctx.headline and not text.rstrip().endswith("."):
            # "Phone Call ... Scheduled This Afternoon": a headline drops its auxiliaries
            tense_cache = {i: (None if t == "past" else t) for i, t in tense_cache.items()}
            clause_tense = None if clause_tense == "past" else clause_tense
        for key, value in tense_cache.items():
            if value is None:
                tense_cache[key] = clause_tense
        main_tense = next((t for t in tense_cache.values() if t), None) or clause_tense
        anchor = self.ctx.last_date
        sentence_found = [f for f in find_dates(text, self.ctx.published, main_tense, anchor)
                          if not (self.ctx.on("statement dates") and self.tenses.reporting_date(doc, f))
                          and not is_duration(text, f) and not in_since_clause(doc, f)]
        if self.ctx.on("date tense"):
            sentence_found = self.tenses.retense(doc, sentence_found, main_tense, anchor)
        # "a final meeting with the U.S. president, who leaves office on Jan. 20": not the meeting's date
        sentence_found = [f for f in sentence_found
                          if not self.status.aside(doc, f.start_char, triggers, about_person=True)]
        if main_tense == "future":
            sentence_found = weekdays_in_order(sentence_found)
        if self.ctx.on("open postponements") and self.dates.moved_to(text, sentence_found) is None:
            # "was postponed on Wednesday to a later date": put off with no new date is called off for now
            cues += [m.start() for m in PUT_OFF.finditer(text) if not self.status.aside(doc, m.start(), triggers)
                     and not NEGATED.search(text, max(0, m.start() - 24), m.start()) and not _put_off_aside(doc, m.start())]
        made: list[Mention] = []
        by_trigger: dict[int, list[Mention]] = {}
        self.met_unnamed = set()
        named_first = sorted(range(len(triggers)), key=lambda j: 0 if self.names.summit_name(
            doc, triggers[j], summits, 0, len(text))[0] else 1)
        for k in named_first:
            trig = triggers[k]
            lo = triggers[k - 1].end_char if k > 0 else 0
            hi = triggers[k + 1].start_char if k + 1 < len(triggers) else len(text)
            mention = self._mention(doc, trig, k, triggers, people, summits, places, sentence_found,
                                    tense_cache[trig.i], self.status.cancelled(triggers, k, cues), order, lo, hi,
                                    contiguous)
            if mention is not None:
                for m in mention if self.ctx.on("stated length") else ():
                    m.extent = stated_extent(text, trig.start_char, trig.end_char, hi)
                    m.ends = is_ending(doc[trig.i])
                made.extend(mention)
                by_trigger[k] = mention
        if self.met_unnamed:
            made = self._unpair(made)
        made.extend(self.gatherings.propose(doc, sentence_found, {triggers[k].start_char: ms for k, ms in by_trigger.items()},
                                            cues, order))
        self.ctx.recent_people = unique([p[2] for p in people])
        if not made and self.ctx.on("sentence fallback"):
            made = self._fallback(doc, order, people)
        # the reference time: this sentence's own latest date still ahead, else the story's running one
        ahead = [f.value for f in sentence_found if f.value.start >= self.ctx.ref_date]
        for m in made:
            if m.dates is None:
                m.running = ahead[-1] if ahead else self.ctx.last_dates
                m.running_place = self.ctx.last_location
        self.ctx.mentions.extend(made)
        self.carry.note_context(doc, made, sentence_found, places)

    def _fallback(self, doc, order: int, people=None) -> list[Mention]:
        """A sentence the rules read no meeting in, naming two people: a meeting of theirs for the sentence
        classifier to confirm or drop (its kind and status are the classifier's; see classifier.decide)."""
        if people is None:
            people = self.participants.person_mentions(doc)
        names = unique([p[2] for p in people if not self.participants.is_speaker(doc, p[3])])
        if len(names) < 2 or len(names) > 4:
            return []
        text = self.ctx.sentence_text
        clause = self.tenses.sentence_tense(doc)
        found = [f for f in find_dates(text, self.ctx.published, clause, self.ctx.last_date)
                 if not is_duration(text, f) and not self.tenses.reporting_date(doc, f)]
        dates = found[0].value if found else None
        if dates is not None and dates.end < self.ctx.ref_date:
            return []
        places = [p[2] for p in self.places.find(doc)]  # where the sentence says, as for any meeting
        where = places[-1] if places else None
        m = make_mention(names, "bilateral", None, where, places, dates, "upcoming", "planned", text, order, None)
        m.fallback = True
        return [m]

    def _mention(self, doc, trig, k, triggers, people, summits, places, found, tense, cancelled, order, lo, hi,
                 contiguous) -> list[Mention] | None:
        text = self.ctx.sentence_text
        tok = doc[trig.i]
        first = triggers[0]
        # Summit name and the occasion it gives.
        name, occasion = self.names.summit_name(doc, trig, summits, lo, hi)
        if name is None and trig.lemma in COUNTED_NOUNS and tok.pos_ == "NOUN" and self.ctx.on("counted-party talks"):
            name = self._counted_talks(doc, tok, trig, people)
        pair = re.fullmatch(r"([A-Z][\w'’]+)\s*[-–]\s*([A-Z][\w'’]+)\s+\w+", name or "")
        if pair and all(self.ctx.people.resolve(w) for w in pair.groups()):
            name = None  # "a Biden-Xi summit": the two leaders' meeting, which has no name of its own
        cast = self.roles.cast(doc, trig, k, triggers, people, name, lo, hi)
        agent_names, counter_names, names = cast.agents, cast.counterparts, cast.names
        together = cast.together
        kind = self.kinds.kind(doc, trig, names, name, text)
        if kind is None:
            return None
        if name is None and kind == "multilateral" and not names:
            return None
        host = None
        if kind == "visit" and len(names) == 1 and name is None and self.ctx.on("invitation hosts"):
            host = self.participants.host(people, names[0])
        # What is not diplomacy.
        if self.ctx.on("non-diplomatic filter") \
                and not self.kinds.diplomatic(doc, trig, names, name, text, kind, occasion):
            return None

        # Dates: the closest date in this trigger's segment; else the occasion's; else the context's.
        dates, tense = self.dates.own_date(doc, trig, k, triggers, found, tense, lo, hi)
        dates, occasion = self.dates.occasion_date(doc, tok, summits, dates, occasion, name, kind)
        occasions = unique([c for _, _, c in summits if c in self.ctx.summit_dates])
        if dates is None and name is None and kind in ("bilateral", "talks") and len(names) >= 2 and occasions \
                and re.search(r"\b(?:occasions?|sidelines|margins|on the fringes)\b", text, re.I):
            return self._at_occasions(names, kind, occasions, cancelled, text, order)
        dates, inherited, also = self.carry.carried(doc, tok, trig, triggers, found, names, dates, tense,
                                                    contiguous, lo, hi)
        locs, location, itinerary, building = self.places.for_trigger(doc, tok, trig, first, places, kind, name,
                                                                      occasion, dates, also, inherited, lo, hi)
        tense_label = self.status.label(doc, trig, dates, tense, cancelled, text)
        certainty = self.status.certainty(text, tense_label, name)
        if name and dates is not None and kind == "multilateral":
            self.ctx.summit_dates.setdefault(name, (dates, location))
        if name and location and kind == "multilateral" and tense_label != "past":
            self.ctx.summit_places.setdefault(name, location)  # "will travel to Kazan to attend the BRICS summit"
        if name and kind == "multilateral":
            self.ctx.recent_summit = name
            self.ctx.named_summits.setdefault(name)

        # "on the sidelines of the three-way summit": an unnamed summit the article dates elsewhere
        at_gathering = dates is None and occasion is None and name is None and kind in ("bilateral", "talks") \
            and bool(AT_GATHERING.search(text))
        mentions = []
        hosts = kind == "talks" and self._several_hosts(trig, people, agent_names, counter_names)
        if (kind in ("bilateral", "phone_call") or hosts) and len(agent_names) == 1 and len(counter_names) >= 2 \
                and not name and not together:
            for other in counter_names:  # "will hold talks with President X and Prime Minister Y": one with each
                mentions.append(make_mention([agent_names[0], other], "bilateral" if hosts else kind, name, location,
                                             locs, dates, tense_label, certainty, text, order, occasion))
                mentions[-1].at_gathering = at_gathering
            return mentions
        if kind in ("bilateral", "talks", "phone_call") and not agent_names and len(counter_names) >= 2 and not name \
                and not together and self._guest_unnamed(doc, tok, trig, people, counter_names):
            # "The visiting minister will meet President X and Prime Minister Y", the visitor unnamed: a meeting
            # with each of the people met, not of them with each other
            self.met_unnamed.update(counter_names)
            for other in counter_names:
                mentions.append(make_mention([other], "bilateral" if kind == "talks" else kind, name, location, locs,
                                             dates, tense_label, certainty, text, order, occasion))
                mentions[-1].at_gathering = at_gathering
                mentions[-1].guest_unnamed = True
            return mentions
        if kind in ("bilateral", "talks", "multilateral") and not name and len(agent_names) >= 2 \
                and len(counter_names) == 1 and (trig.lemma == "bilateral" or any(
                    c.lower_ in ("separate", "bilateral", "individual", "respective") or c.lower_ == "each"
                    and self.ctx.on("several hosts") for c in tok.children)):
            # "Li and Kishida will also hold separate bilateral talks with Yoon", "A and B will each meet Y": one
            # meeting each
            return [make_mention([agent, counter_names[0]], "bilateral", name, location, locs, dates, tense_label,
                                 certainty, text, order, occasion) for agent in agent_names]
        if itinerary:
            legs = [make_mention(names, kind, name, place, [place], dates, tense_label, certainty, text, order,
                                 occasion) for place in itinerary]
            for index, leg in enumerate(legs):
                leg.leg = index
            return legs
        if kind == "bilateral" and len(names) >= 3 and not name:
            kind = "multilateral"
        made = make_mention(names, kind, name, location, locs, dates, tense_label, certainty, text, order, occasion)
        made.building = building
        made.lemma = trig.lemma
        made.at_gathering = at_gathering
        if host:  # "will visit Uzbekistan at the invitation of President Mirziyoyev": the trip, and a meeting with
            # the host during it
            return [made, make_mention(names + [host], "bilateral", None, location, locs, dates, tense_label,
                                       certainty, text, order, occasion)]
        return [made]

    def _counted_talks(self, doc, tok, trig, people) -> str | None:
        """'The six-party talks will resume': talks named by their number of parties, one name however the count
        is put ('six-nation talks' are the six-party talks); and 'the talks' after them, nobody being named, are
        those talks again ('The six parties agreed to resume the talks in the last week of August')."""
        text = self.ctx.sentence_text
        counted = COUNTED_TALKS.search(text, max(0, trig.start_char - 60), trig.start_char)
        head = doc.char_span(counted.start(), counted.start() + 1, alignment_mode="expand") if counted else None
        if head is not None and tok in head[0].ancestors:
            name = re.sub(r"^(\w+)-(?:party|parties|nations?|countries|country|way|sided)\b", r"\1-party",
                          text[counted.start():trig.end_char]).lower()
            self.ctx.counted_talks = name
            return name
        if self.ctx.counted_talks and trig.lemma in ("talk", "talks", "negotiation", "negotiations") and not people \
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children) and not any(
                c.dep_ in ("compound", "amod") or c.lower_ in ("with", "between") for c in tok.children):
            return self.ctx.counted_talks
        return None

    def _several_hosts(self, trig, people, agents: list[str], counterparts: list[str]) -> bool:
        """'X will hold talks with President Y and Prime Minister Z': one person's talks with several officials
        named one by one are a bilateral meeting with each; not 'meets two US envoys: A and B' or 'meet several
        officials, including A, who ... with B' (a delegation, named after the word for it)."""
        if not self.ctx.on("several hosts") or len(agents) != 1 or len(counterparts) < 2:
            return False
        if not all(self.ctx.people.is_official(n) and not self.ctx.g.is_state(n) for n in agents + counterparts):
            return False
        last = max((p[0] for p in people if p[2] in counterparts), default=trig.end_char)
        return not DELEGATES.search(self.ctx.sentence_text, trig.end_char, last)

    def _unpair(self, made: list[Mention]) -> list[Mention]:
        """The people a sentence names as met by someone it leaves unnamed do not meet each other at its other
        triggers either (a journey word of the same sentence, 'the meeting' again): a meeting with each."""
        out = []
        for m in made:
            if len(m.participants) >= 2 and set(m.participants) <= self.met_unnamed and not m.name \
                    and m.kind in ("bilateral", "talks", "multilateral"):
                for other in m.participants:
                    single = copy.copy(m)
                    single.participants, single.kind, single.guest_unnamed = [other], "bilateral", True
                    single.locations = list(m.locations)
                    out.append(single)
            else:
                out.append(m)
        return out

    def _guest_unnamed(self, doc, tok, trig, people, counterparts: list[str]) -> bool:
        """'The visiting minister will meet X and Y', 'the programme includes meetings with X and Y': every
        person named hangs from the trigger as whom someone meets (its object, or after its 'with' or 'on'), never
        'between' them, and the trigger has no owner ('Putin's talks with X and Y'): the one who meets them is not
        among them."""
        if not self.ctx.on("several hosts") or any(c.dep_ == "poss" for c in tok.children):
            return False
        if any(self.ctx.g.is_state(n) for n in counterparts):
            return False
        for n in counterparts:
            spots = [p[3] for p in people if p[2] == n and p[0] >= trig.end_char]
            if not spots or not any(_met_by_trigger(doc[i], tok) for i in spots):
                return False
        return True

    def _at_occasions(self, names: list[str], kind: str, occasions: list[str], cancelled: bool, text: str,
                      order: int) -> list[Mention]:
        """'The G7 summit ... and the NATO summit ... are cited as occasions for Lee and Trump to meet': one
        meeting at each summit, when and where the article says it is held."""
        status = "cancelled" if cancelled else "upcoming"
        certainty = self.status.certainty(text, status, None)
        out = []
        for summit in occasions:
            when, where = self.ctx.summit_dates[summit]
            out.append(make_mention(names, kind, None, where, [where] if where else [], when, status, certainty,
                                    text, order, summit))
        return out


def _put_off_aside(doc, char: int) -> bool:
    """A put-off that is not this meeting's: of an act ('put off inviting the US'), or told as what came before
    ('six months after the trip was postponed')."""
    i = token_at(doc, char)
    if i is None:
        return False
    tok = doc[i]
    if any(c.dep_ in ("xcomp", "dobj", "ccomp") and c.tag_ == "VBG" for c in tok.children):
        return True
    cur = tok
    for _ in range(4):
        if cur.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in ("after", "since", "following")
                                       for c in cur.children):
            return True
        if cur.head.i == cur.i:
            break
        cur = cur.head
    return False


def _met_by_trigger(person, trigger) -> bool:
    """The person hangs from the trigger as whom it meets: the verb's object ('meet X and Y'), or after its 'with'
    or 'on' ('talks with X and Y', 'call on X'), through conjuncts, appositions and the words of a title
    ('Health Minister X'), never through 'between', 'among' or 'of' ('the talks between X and Y')."""
    cur = person
    for _ in range(8):
        if cur.head.i == cur.i:
            return False
        head = cur.head
        if head.i == trigger.i:
            return cur.dep_ in ("dobj", "dative") and trigger.pos_ == "VERB"
        if cur.dep_ == "pobj" and head.lower_ in ("with", "on") and head.head.i == trigger.i:
            return True
        if cur.dep_ not in ("conj", "appos", "compound", "nmod", "pobj", "prep") \
                or head.lower_ in ("between", "among", "of"):
            return False
        cur = head
    return False
