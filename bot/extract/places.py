"""Places: the cities and countries a sentence names with the preposition that introduces them."""

from __future__ import annotations

import re

from bot.extract.context import ArticleContext, Mention, Trigger
from bot.extract.grouping import overlap
from bot.extract.patterns import DESTINATIONS, LANDS, MEET_NOUNS, NAMED_CAPITAL, OFFICE_HEADS, ON_THE_TRIP, \
    PAIRED, PLACE_NOUNS, PROPOSE, REPORTING, TRIP_NOUNS, VENUE_VERBS, WATERS
from bot.extract.syntax import is_scene, token_at, unique
from bot.temporal import Resolved


# The place an article is filed from, at its head: "CARTAGENA, Colombia - ", "ISLAMABAD, Dec 18 (APP): ",
# "Buenos Aires, May 3 (Inditop.com) ", "KAZAN, October 22. /TASS/. ", "Johannesburg, August 8\n", "Arusha — ".
_DATELINE = re.compile(
    r"\s*(?:By [^\n]{1,60}\s+)?(?P<city>[A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){0,2})(?P<state>,\s+[A-Z][A-Za-z .]{2,30}?)?"
    r"(?P<date>,?\s+(?:\d{1,2}\s+)?[A-Z][a-z]{2,8}\.?(?:\s+\d{1,2})?(?:,?\s+\d{4})?)?\.?\s*(?:\([^)\n]{1,60}\)\s*)?"
    r"(?P<end>[-—–:]|--|/[A-Z]+/|\n)")
_NOT_PLACES = {"by", "source", "last", "updated", "posted", "published", "from", "monday", "tuesday", "wednesday",
               "thursday", "friday", "saturday", "sunday", "mon", "tue", "wed", "thu", "fri", "sat", "sun", "foreign",
               "prime", "president", "minister", "secretary"}
HERE_VERBS = {"hold", "take", "be", "come", "arrive", "open", "meet", "gather", "convene", "host", "begin", "start",
              "visit", "attend", "stay", "land", "assemble", "get", "reach", "participate"}


def dateline_place(text: str, g) -> str | None:
    """The city an article is filed from, when its first words are a dateline: a place the gazetteer knows, or
    one written in capitals or followed by its state or a date ('CARTAGENA, Colombia -', 'Johannesburg, August 8')."""
    m = _DATELINE.match(text)
    if m is None:
        return None
    city = m.group("city").strip(" .")
    if city.split()[0].lower().strip(".,") in _NOT_PLACES or ("." in city and g.country(city) is None):
        return None  # "Sunday 31 May 2020", "From November 13-22", "REPUBLIKA.CO.ID, ADDIS ABABA"
    state = (m.group("state") or "").strip(" ,")
    known = g.country(city) is not None
    if state and not g.is_state(state) and not (state.isupper() or known):
        return None  # "Kim, Trump to meet" is a headline
    if not (known or (city.isupper() and len(city) > 2) or (state and g.is_state(state)) or m.group("date")
            or m.group("end") in ("—", "--")):
        return None
    return city.title() if city.isupper() else city


def here_place(tok, dateline: str | None) -> bool:
    """Whether 'here' is where a meeting verb happens ('will be held here', 'arrived here for the summit', 'will come
    here next week'), not where a statement is made ('told reporters here')."""
    return dateline is not None and tok.lower_ == "here" and tok.dep_ == "advmod" and (
        tok.head.lemma_.lower() in HERE_VERBS or tok.head.lemma_.lower() in MEET_NOUNS)


def hosting(tok) -> bool:
    """Whether a state or city is who hosts the gathering: the subject of 'host' ('Samoa will host the summit',
    'the Government of Nepal is to host ...') or its agent ('hosted by Japan')."""
    cur = tok
    while cur.dep_ == "pobj" and cur.head.lower_ == "of" and cur.head.head.i != cur.head.i:
        cur = cur.head.head  # "the Government of Nepal"
    if cur.dep_ in ("nsubj", "nsubjpass", "poss") and (cur.head.lemma_.lower() == "host" or any(
            c.dep_ in ("xcomp", "acl") and c.lemma_.lower() == "host" or (
                c.dep_ == "conj" and c.lemma_.lower() == "host" and not any(s.dep_.startswith("nsubj") for s in c.children))
            for c in cur.head.children)):
        # "Samoa will host", "Nepal is to host", "India is expected to host", "Peru will chair APEC and host the
        # meeting", "Samoa's preparations to host the summit"
        return True
    return cur.dep_ == "pobj" and cur.head.lower_ == "by" and cur.head.head.lemma_.lower() == "host"


class Places:
    """The places of a sentence, and the place of each of its meetings."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def find(self, doc) -> list[tuple[int, int, str, str]]:
        """(start, end, place text, preposition) for places introduced by in/at/to/of or a venue word."""
        out = []
        for ent in self.ctx.ents:
            if ent.label_ not in ("GPE", "LOC") or is_scene(ent.root):  # a city or country; buildings are details
                continue
            first = ent.start
            while first > 0 and not doc[first - 1].whitespace_ and (doc[first - 1].is_alpha or doc[first - 1].text == "-"):
                first -= 1  # "in Port-of-Spain", where the model takes "Spain" alone
            whole = doc[first:ent.end].text if first < ent.start and "-" in doc[first:ent.start].text else None
            prev = doc[first - 1] if first > 0 else None
            prev2 = doc[first - 2] if first > 1 else None
            # "South Korean President", "the U.S. president": adjectives of people, not venues.
            if ent.end < len(doc) and doc[ent.end].lower_ in ("president", "prime", "premier", "leader", "officials",
                                                                "'s", "’s", "minister", "government", "-"):
                continue
            if doc[ent.end - 1].lower_ in ("'s", "’s"):
                continue  # "in South Africa's Johannesburg": the city that follows is the place
            if self.ctx.g.summit_pattern.search(ent.text) or WATERS.search(ent.text):
                continue  # a summit's name, or "the South China Sea" (a subject, not a venue)
            if ent.root.dep_ == "compound" and ent.root.head.pos_ == "NOUN":
                if ent.root.head.lemma_.lower() in MEET_NOUNS and not PAIRED.search(
                        self.ctx.sentence_text[max(0, ent.start_char - 2):ent.end_char + 2]):
                    # "the Johannesburg talks": named by its venue; but "the UK-EU summit" names its sides
                    out.append((ent.start_char, ent.end_char, ent.text.strip(" .,;:"), "venue"))
                continue  # "the Nuevo Leon state government palace": a modifier, not the venue
            prep = prev.lower_ if prev is not None else ""
            if prep == "the" and prev2 is not None:
                prep = prev2.lower_
            if prep in ("'s", "’s") and prev2 is not None and prev2.ent_type_ == "GPE":
                # "in South Africa's Johannesburg", "in China's Qingdao"
                owner = self.ctx.ent_at(prev2.i)
                if owner is not None and owner.start > 0:
                    prep = doc[owner.start - 1].lower_
            if prep == "," and prev2 is not None and prev2.ent_type_ in ("FAC", "ORG", "GPE", "LOC"):
                # "at Pragati Maidan, New Delhi", "at San Borja, Lima": the city of the venue or district before
                venue = self.ctx.ent_at(prev2.i)
                city = self.ctx.g.country(ent.text) and not self.ctx.g.is_state(ent.text)
                if venue is not None and venue.start > 0 and doc[venue.start - 1].lower_ in ("at", "in") and (
                        venue.label_ in ("FAC", "ORG") or city):
                    prep = doc[venue.start - 1].lower_
                    if venue.label_ in ("FAC", "ORG") and self.ctx.g.is_state(ent.text) \
                            and not self.ctx.g.venue_city(venue.text) and self.ctx.on("places of a state"):
                        # "in Montego Bay, Jamaica" (the town read as a facility): the place and its state
                        out.append((venue.start_char, ent.end_char, f"{venue.text.strip(' .,;:')}, "
                                    f"{ent.text.strip(' .,;:')}", prep))
                        continue
            if self.ctx.on("host places") and hosting(ent.root):
                prep = "hosting"  # "Samoa will host the Commonwealth summit", "hosted by Japan"
            if prep in PLACE_NOUNS:  # "in capital Ankara", "in the Russian port city Vladivostok"
                for back in range(ent.start - 2, max(ent.start - 6, -1), -1):
                    if doc[back].lower_ in ("in", "at", "to"):
                        prep = doc[back].lower_
                        break
                    if doc[back].pos_ in ("VERB", "AUX", "PUNCT", "ADP"):
                        break
            if prep == "to" and prev2 is not None and prev2.lower_ == "according":
                continue  # "according to Kishida"
            if prep == "to" and prev is not None and prev.head.lemma_.lower() in PROPOSE | REPORTING | {"write", "speak",
                                                                                                 "talk", "explain"}:
                continue  # "Seoul proposed to Pyongyang": the addressee, not the venue
            if prep == "of" and not (prev2 is not None and prev2.lower_ in PLACE_NOUNS | {"province", "state"}):
                continue
            if prep in ("in", "at", "to", "of", "for", "host", "hosts", "hosted", "hosting", "venue", "visit", "visiting",
                        "visits", "toward", "towards", "inside"):
                text = whole or ent.text.strip(" .,;:")
                if text.lower().startswith("the ") and ent.label_ == "GPE" and not text.startswith("The "):
                    text = text[4:]  # "the United States"; but "in The Hague": a capital "The" is the name's own
                out.append((doc[first].idx, ent.end_char, text, prep))
        if self.ctx.on("continuation"):  # "the summit will open here Tuesday": the place the article is filed from
            out.extend((t.idx, t.idx + len(t.text), self.ctx.dateline, "in") for t in doc
                       if here_place(t, self.ctx.dateline))
        if self.ctx.on("host places"):
            out.extend(self._hosts(doc, out))
        if self.ctx.on("itinerary legs"):
            out.extend(self._listed_places(doc, out))
        taken = {i for e in self.ctx.ents if e.label_ in ("GPE", "LOC", "FAC") for i in range(e.start, e.end)}
        out.extend(self._unlabelled_venues(doc, taken))
        for m in NAMED_CAPITAL.finditer(self.ctx.sentence_text):  # "gather in the Ethiopian capital this weekend"
            city = self.ctx.g.capital_of(m.group(2).strip())
            if city and not any(a <= m.end() and m.start() <= b for a, b, _, _ in out):
                out.append((m.start(2), m.end(), city, m.group(1).lower()))
        out = [p for p in out if not any(a <= p[0] and p[1] <= b for a, b, name in self.ctx.summit_spans
                                         if " " in name)]  # "Co-operation in Europe": in a body's name
        out.sort()
        for _, _, place, prep in out:
            if prep != "list" and self.ctx.g.country(place) and not self.ctx.g.is_state(place):
                self.ctx.cities_seen.setdefault(place)
        return out

    def destination(self, tok) -> tuple[int, int, str, str] | None:
        """Where a journey word goes, as a place (start, end, text, 'to'): 'travel to X', 'flew into X', 'arrive in
        X', 'reached X', 'leave for X', 'a visit to X'; a name there is a place whatever the entity recogniser
        took it for ('to Vilnius' read as an organisation), unless it is a person's or a summit's."""
        lemma = tok.lemma_.lower()
        ways = DESTINATIONS.get(lemma)
        if ways is None or tok.pos_ not in (("NOUN", "VERB") if lemma in TRIP_NOUNS else ("VERB",)):
            return None
        dest = next((c for c in tok.children if c.dep_ == "dobj" and "dobj" in ways), None) or next(
            (o for c in tok.children if c.dep_ == "prep" and c.lower_ in ways for o in c.children if o.dep_ == "pobj"),
            None)
        if dest is not None and dest.pos_ == "NOUN" and dest.lemma_.lower() in LANDS | PLACE_NOUNS:
            # "to the capital, Apia", "to the port city of Qingdao" (not "to the US capital": its own rule)
            dest = next((c for c in dest.children if c.dep_ == "appos" and c.pos_ == "PROPN"), None) or next(
                (o for c in dest.children if c.dep_ == "prep" and c.lower_ == "of" for o in c.children
                 if o.dep_ == "pobj"), None)
        if dest is None or dest.pos_ != "PROPN" or any(c.dep_ == "conj" for c in dest.children):
            return None  # "will travel to Guam, Malaysia, Japan and Korea to attend APEC": which stop is not said
        doc = tok.doc
        ent = self.ctx.ent_at(dest.i)
        if ent is not None:
            start, end, label = ent.start, ent.end, ent.label_
        else:
            start, end, label = dest.i, dest.i + 1, ""
            while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
                start -= 1
        if label in ("FAC", "NORP", "DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "EVENT", "LAW"):
            return None  # a building keeps its own rule ("to the White House")
        text = doc[start:end].text.strip(" .,;:")
        text = text[4:] if text.lower().startswith("the ") else text
        if not text or self.ctx.g.summit_pattern.search(text) or self.ctx.g.summit(text) or WATERS.search(text):
            return None
        known = self.ctx.g.country(text)
        if not known and any(self.ctx.people.resolve(w) for w in text.split()):
            return None  # "visit Pompeo", however the recogniser took him
        if label not in ("GPE", "LOC") and not known and (
                any(t.lower_ in OFFICE_HEADS | MEET_NOUNS | TRIP_NOUNS | LANDS or t.ent_type_ == "PERSON"
                              for t in doc[start:end]) or any(t.ent_type_ == "PERSON" for t in dest.subtree)):
            return None  # "visit President Ruto", "a State Visit to South Africa": no place
        if is_scene(doc[end - 1]):
            return None
        return doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), text, "to"

    def journey_place(self, doc, tok, seg_places, places) -> tuple[int, int, str, str] | None:
        """The destination of the journey a meeting is the purpose of ('will travel to Vilnius on Sunday to meet
        X', 'flew into Abuja for talks with X', 'reached Seoul and was to hold talks with X', 'will meet X during
        his visit to Y'), when the meeting's own words name no place of it: a place elsewhere in its clause ('to
        meet X amid tensions in the Middle East', 'to discuss matters related to Ukraine') is no venue."""
        cur, chain = tok, []
        for _ in range(7):
            chain.append(cur)
            dest = self.destination(cur)
            if dest is None and cur.pos_ in ("VERB", "AUX"):  # "will meet X during his visit to Y"
                dest = next((self.destination(o) for c in cur.children if c.dep_ == "prep" and c.lower_ in (
                    "during", "on") for o in c.children if o.dep_ == "pobj" and o.lemma_.lower() in TRIP_NOUNS), None)
            if dest is not None:
                break
            dep = cur.dep_
            if not (dep in ("dobj", "pobj", "xcomp", "compound") or (dep == "prep" and cur.lower_ == "for")
                    or (dep == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in cur.children))
                    or (dep == "conj" and cur.pos_ in ("VERB", "AUX") and not any(
                        c.dep_ in ("nsubj", "nsubjpass") for c in cur.children))) or cur.head.i == cur.i:
                return None
            cur = cur.head
        else:
            return None
        if cur is tok and seg_places:
            return None  # the journey itself ("will travel to Germany, France and Britain"): its own places
        if any(p[3] in ("venue", "list") for p in seg_places):
            return None  # "the Johannesburg talks"; one stop of a tour
        ids = {t.i for t in chain}
        own = []
        for place in places:
            i = token_at(doc, place[0])
            ent = self.ctx.ent_at(i) if i is not None else None
            root = ent.root if ent is not None else (doc[i] if i is not None else None)
            if root is not None and root.dep_ == "pobj" and root.head.lower_ in ("in", "at"):
                head = root.head.head
                if head.i in ids or (head in tok.subtree and (head.ent_type_ == "PERSON" or (
                        head.pos_ == "VERB" and head.lemma_.lower() in VENUE_VERBS))):
                    # "to meet Abe in Tokyo" (the place hung on the verb or on the person met), "talks, which will be
                    # held in Nara": its own place
                    own.append(place)
        if own:
            return None if any(p in seg_places for p in own) else own[-1]
        return dest

    def _hosts(self, doc, places) -> list[tuple[int, int, str, str]]:
        """A state the parse took for an organisation that hosts a gathering: 'Samoa will host the summit', 'The
        Government of Nepal is to host the meeting'."""
        out = []
        for ent in self.ctx.ents:
            if ent.label_ != "ORG" or not hosting(ent.root) or any(a <= ent.start_char < b for a, b, _, _ in places):
                continue
            name = re.sub(r"^(?:the\s+)?(?:(?:government|people|republic|kingdom)\s+of\s+)?(?:the\s+)?", "",
                          ent.text.strip(" .,;:"), flags=re.I)
            if self.ctx.g.is_state(name) or self.ctx.g.is_capital(name):
                out.append((ent.start_char, ent.end_char, name, "hosting"))
        return out

    def _listed_places(self, doc, places) -> list[tuple[int, int, str, str]]:
        """The rest of a list of places after a place: 'visit Japan, South Korea and India'
        (marked 'list': only a visit goes to each of them)."""
        covered = {t.i for start, end, _, _ in places for t in doc.char_span(start, end, alignment_mode="expand") or []}
        out = []
        for ent in self.ctx.ents:
            if ent.label_ != "GPE" or ent.root.dep_ != "conj" or ent.root.head.i not in covered:
                continue
            text = ent.text.strip(" .,;:")
            out.append((ent.start_char, ent.end_char, text[4:] if text.lower().startswith("the ") else text, "list"))
            covered.update(range(ent.start, ent.end))
        return out

    def _unlabelled_venues(self, doc, taken: set[int]) -> list[tuple[int, int, str, str]]:
        """'will take place in Vilnius' when spaCy took Vilnius for a person or a company."""
        out = []
        for tok in doc:
            if tok.i in taken or tok.pos_ != "PROPN" or tok.dep_ != "pobj":
                continue
            prep = tok.head
            if prep.lower_ == "of" and prep.head.lower_ in ("city", "capital", "town", "port", "resort", "village") \
                    and prep.head.dep_ == "pobj":
                prep = prep.head.head  # "in the northern industrial city of Monterrey"
            if prep.lower_ not in ("in", "at", "for"):
                continue
            governor = prep.head
            if not (governor.lemma_.lower() in ("take", "hold", "set", "meet", "convene", "gather", "host")
                    or governor.lemma_.lower() in MEET_NOUNS):
                continue
            if governor.lemma_.lower() == "take" and not any(c.lower_ == "place" for c in governor.children):
                continue
            span = self.ctx.ent_at(tok.i)
            start, end = (span.start, span.end) if span is not None else (tok.i, tok.i + 1)
            text = doc[start:end].text.strip(" .,;:")
            if any(self.ctx.people.resolve(w) for w in text.split()) or self.ctx.g.summit(text) or (
                    span is not None and span.label_ in (
                    "DATE", "TIME", "NORP", "MONEY", "CARDINAL", "ORDINAL", "EVENT")):
                continue
            out.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), text, tok.head.lower_))
        return out

    def for_trigger(self, doc, tok, trig: Trigger, first: Trigger, places, kind: str, name: str | None,
                    occasion: str | None, dates: Resolved | None, also: Mention | None, inherited: bool,
                    lo: int, hi: int) -> tuple[list[str], str | None, list[str], bool]:
        """Where one trigger's meeting is: (places named, the place, an itinerary of one visit per place,
        whether the place is a building)."""
        text = self.ctx.sentence_text
        local = self.ctx.local_tokens(doc, tok)
        # who hosts is where only when no place is named: "Gyeongju, the APEC venue where Korea will host the gathering"
        hosts = [p for p in places if p[3] == "hosting"]
        places = [p for p in places if p[3] != "hosting"]
        seg_places = [p for p in places if token_at(doc, p[0]) in local]
        if not seg_places:
            seg_places = [p for p in places if lo <= p[0] < hi and not local]
        if self.ctx.on("journey destinations"):
            dest = self.journey_place(doc, tok, seg_places, places)
            if dest is not None:
                seg_places = [dest]
        if not seg_places and kind == "multilateral":
            seg_places = sorted(places, key=lambda p: abs(p[0] - trig.start_char))[:1]
        if not seg_places and tok.dep_ == "conj" and tok.pos_ == "VERB" and not any(
                c.dep_ in ("aux", "auxpass", "nsubj") for c in tok.children):
            # "will attend the forum in Davos next week and meet President Amherd": there too
            sibling = {t.i for t in tok.head.subtree} - {t.i for t in tok.subtree}
            seg_places = [p for p in places if token_at(doc, p[0]) in sibling]
        if not seg_places and name is None:
            seg_places = [p for p in places if p[0] < first.start_char]
        if not seg_places and occasion and occasion in self.ctx.summit_dates and overlap(
                dates, self.ctx.summit_dates[occasion][0]):  # a dinner days "ahead of" the summit is not there
            occ_place = self.ctx.summit_dates[occasion][1] or self.ctx.summit_places.get(occasion)
            seg_places = [(0, 0, occ_place, "at")] if occ_place else []
        if not seg_places and also is not None and also.location:
            seg_places = [(0, 0, also.location, "in")]
        elif not seg_places and (inherited or ON_THE_TRIP.match(text)) and self.ctx.last_location \
                and self.ctx.on("continuation"):
            seg_places = [(0, 0, self.ctx.last_location, "in")]
        if not seg_places and hosts and kind == "multilateral":
            seg_places = hosts[-1:]
        if not seg_places:
            # No city or country: a named building still says where ("at the White House").
            local_ids = self.ctx.local_tokens(doc, tok)
            seg_places = [(e.start_char, e.end_char, re.sub(r"^the\s+", "", e.text.strip(" .,;:"), flags=re.I), "at")
                          for e in self.ctx.ents if (e.label_ == "FAC" or (e.root.dep_ == "pobj" or e.root.dep_ == "dobj"
                              and e.root.head.lemma_.lower() == "visit") and self.ctx.g.venue_city(e.text))
                          and e.root.i in local_ids  # "to the White House", "visit the White House": an organisation
                          and not self.ctx.g.summit_pattern.search(e.text)]
            building = bool(seg_places)
        else:
            building = False
        if kind == "visit" and len({p[2] for p in seg_places}) >= 2 and any(p[3] == "list" for p in seg_places):
            itinerary = unique([p[2] for p in seg_places])  # one visit to each place of the list
        else:
            itinerary = []
            # one place of a list: the one the clause is about ("Shanghai and Beijing, where he will meet Xi")
            seg_places = [p for p in seg_places if p[3] != "list"] or [p for p in seg_places if p[3] == "list"][-1:]
        locs = unique([p[2] for p in seg_places])
        location = locs[-1] if locs else None
        return locs, location, itinerary, building
