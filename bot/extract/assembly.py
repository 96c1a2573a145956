"""The mentions of one article merged into meetings: grouping, dates borrowed across meetings, one record each."""

from __future__ import annotations

import re
from datetime import timedelta

from bot.extract.context import ArticleContext, Mention
from bot.extract.gazetteer import Gazetteer
from bot.extract.grouping import compatible, state_key
from bot.extract.patterns import NEAR_ANCHOR, ON_THE_TRIP, PLACED_AT, POSTPONE, REGIONS, STATE_VISIT
from bot.extract.syntax import unique
from bot.models import Meeting, certainty_rank
from bot.names import name_key, summit_name_words
from bot.temporal import Resolved


def drop_covered_visits(meetings: list[Meeting], g: Gazetteer) -> list[Meeting]:
    """A visit whose visitor also meets someone there at that time is that meeting, not a second record.
    The talks that cover a visit and name no place of their own are held where the visit goes."""
    out = []
    for m in meetings:
        if m.kind == "visit" and m.start is not None:
            # a leg of a tour ("will visit South Korea and Japan") is covered only by a meeting placed there
            tour = len({state_key(g, v.location) for v in meetings if v.kind == "visit" and v.location
                        and set(v.participants) & set(m.participants)}) >= 2
            state_visit = bool(STATE_VISIT.search(m.sentence or ""))
            covering = [
                o for o in meetings
                if o is not m and o.kind != "visit" and o.start is not None and o.tense == m.tense
                and not (state_visit and o.kind == "multilateral")  # "attend APEC in Lima and pay a state visit to Peru"
                and set(m.participants) & set(o.participants)
                and o.start <= m.end + timedelta(days=2) and m.start <= o.end + timedelta(days=2)
                and (m.location is None or (o.location is None and not tour) or name_key(m.location) in REGIONS
                     or (o.location and (o.start, o.end) == (m.start, m.end)
                         and name_key(o.location).endswith(name_key(m.location)))  # "White House, Washington"
                     or state_key(g, m.location) in {state_key(g, a) for a in [o.location, *o.alt_locations] if a})]
            if covering:
                # "will visit Berlin for talks with Merkel": the talks held during the stay are held there
                if m.location and name_key(m.location) not in REGIONS:
                    for o in covering:
                        if o.kind in ("bilateral", "talks") and o.location is None and m.start <= o.start and o.end <= m.end:
                            o.location = m.location
                continue
        out.append(m)
    return out


_ALIKE = {"talks": "bilateral"}  # talks between two named people are their bilateral meeting


def fold_repeats(meetings: list[Meeting], g: Gazetteer) -> list[Meeting]:
    """Two records of one article in one tense that are one meeting told twice (the same people, or some of them,
    or the same gathering by name, on days that overlap, in one place or an unnamed one) are one record: the one
    that names more people, then the one whose days are fewer (the more precise), then the one told first. Visits
    are left to drop_covered_visits; "talks" and "bilateral" are one kind, other kinds must be the same."""
    def key(m: Meeting):
        return (-len(m.participants), (m.end - m.start).days if m.start and m.end else 10 ** 6, m.order)

    def same(a: Meeting, b: Meeting) -> bool:
        if a.tense != b.tense or a.start is None or b.start is None or "visit" in (a.kind, b.kind) \
                or _ALIKE.get(a.kind, a.kind) != _ALIKE.get(b.kind, b.kind):
            return False
        if not (a.start <= (b.end or b.start) and b.start <= (a.end or a.start)):  # no end: a day
            return False
        if a.location and b.location and state_key(g, a.location) != state_key(g, b.location):
            return False
        pa, pb = {name_key(p) for p in a.participants}, {name_key(p) for p in b.participants}
        if a.name or b.name:  # a name without a word of its own ("the summit") tells no gathering from another
            words = summit_name_words(a.name or "")
            return bool(words) and words == summit_name_words(b.name or "") and (pa <= pb or pb <= pa)
        return bool(pa and pb) and (pa <= pb or pb <= pa)

    kept: list[Meeting] = []
    for m in sorted(meetings, key=key):
        if not any(same(m, k) for k in kept):
            kept.append(m)
    ids = {id(m) for m in kept}
    return [m for m in meetings if id(m) in ids]  # in the article's order


def stretch(group: list[Mention], best: Mention, named_extent: int | None = None) -> Resolved | None:
    """The best date, widened to the whole meeting when the article says how long it lasts or when it
    ends: 'to be held on Sunday' ... 'the three-day summit will end on June 17' is Sunday to June 17.
    named_extent: how long the article says the summit of that name lasts, wherever it says so."""
    d = best.dates
    if d is None or d.start != d.end:
        return d
    spans = [m.dates for m in group if m.extent and m.dates is not None and m.dates.start <= d.start <= m.dates.end
             and (m.dates.end - m.dates.start).days == m.extent - 1 > 0]
    if spans:  # "starts on Tuesday and lasts for two days" ... "the Council meeting on June 25": its second day
        return spans[0]
    days = [m for m in group if m is not best and m.dates is not None and m.dates.start == m.dates.end]
    extent = max((m.extent for m in group if m.extent), default=named_extent)
    if best.ends:
        starts = [m.dates.start for m in days if not m.ends and 0 < (d.start - m.dates.start).days <= 14]
        if starts:
            return Resolved(max(starts), d.end, "day", d.text, d.time)
        return Resolved(d.start - timedelta(days=extent - 1), d.end, "day", d.text, d.time) if extent else d
    ends = [m.dates.end for m in days if m.ends and 0 < (m.dates.end - d.start).days <= 14]
    if ends:
        return Resolved(d.start, min(ends), "day", d.text, d.time)
    return Resolved(d.start, d.start + timedelta(days=extent - 1), "day", d.text, d.time) if extent else d


class Assembler:
    """Merges the mentions of one article into meetings."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def merge(self) -> list[Meeting]:
        groups: list[list[Mention]] = []
        for m in self.ctx.mentions:
            if m.tense == "unknown" and m.dates is None:
                m.tense = "upcoming"
            target = None
            for g in groups:
                if compatible(g, m, self.ctx.g):
                    target = g
                    break
            if target is None:
                groups.append([m])
            else:
                target.append(m)
        if self.ctx.on("trip dates"):
            self._date_from_trip(groups, self.ctx.on, self.ctx.g)
        if self.ctx.on("running date"):
            self._running_date(groups)
        if self.ctx.on("trip scenes"):
            self._scene_legs(groups)
        if self.ctx.on("itinerary legs"):
            self._order_legs(groups)
        meetings, seen, occasions = [], set(), []
        for g in groups:
            meeting = self._combine(g)
            if meeting is None:
                continue
            self.ctx.meeting_orders[id(meeting)] = sorted({m.order for m in g})
            occasions.append((meeting, next((m.occasion for m in g if m.occasion), None)))
            key = (meeting.kind, tuple(sorted(meeting.participants)), meeting.name, meeting.start, meeting.end,
                   meeting.location, meeting.tense)
            if key not in seen:  # two readings that came out the same ("Sri Lankan president" = Rajapaksa)
                seen.add(key)
                meetings.append(meeting)
        if self.ctx.on("drop covered visits"):
            meetings = drop_covered_visits(meetings, self.ctx.g)
        if self.ctx.on("one record per meeting"):
            meetings = fold_repeats(meetings, self.ctx.g)
        if self.ctx.on("occasion dates"):
            kept = {id(m) for m in meetings}
            self._occasion_places([(m, occasion) for m, occasion in occasions if id(m) in kept])
        return meetings

    def _occasion_places(self, occasions: list[tuple[Meeting, str | None]]) -> None:
        """A meeting held at a gathering ('on the sidelines of the SCO summit', 'at the G20') is held where the
        article places that gathering, in its own sentence or another, when it names no place of its own or only
        the state the gathering's city is in ('on the sidelines of the BRICS summit in Russia' ... 'in Kazan')."""
        gatherings = [(m, summit_name_words(m.name)) for m, _ in occasions if m.kind == "multilateral" and m.name
                      and m.location and not m.building and m.tense == "upcoming"]
        for meeting, occasion in occasions:
            words = summit_name_words(occasion)
            if not words or (meeting.kind == "multilateral" and meeting.name):
                continue
            at = [s for s, named in gatherings if s is not meeting and (words <= named or named <= words) and (
                meeting.start is None or s.start is None or (s.start <= meeting.end and meeting.start <= s.end))]
            places = unique([s.location for s in at])
            if len(places) != 1:
                continue  # no gathering of that name placed, or placed in two places: which is not said
            place, here = places[0], meeting.location
            if here is None or (self.ctx.g.is_state(here) and not self.ctx.g.is_state(place) and self.ctx.g.country(
                    place) in (self.ctx.g.country(here), None)):  # "in the resort of Davos" ... "to Switzerland"
                meeting.location = place
                meeting.alt_locations = unique([here] + meeting.alt_locations) if here else meeting.alt_locations

    def _named_extent(self, name: str | None) -> int | None:
        """'delegations arrived ahead of the two-day summit': how long a named summit lasts, said in any
        sentence about it (one that is itself undated or told in the past tense included)."""
        if not name:
            return None
        return max((m.extent for m in self.ctx.mentions if m.extent and m.name == name), default=None)

    @staticmethod
    def _order_legs(groups: list[list[Mention]]) -> None:
        """Legs of an itinerary in the order listed: with one leg dated by its own meeting, the legs before
        it end when it starts and those after start when it ends ('stops in New Zealand, Australia and
        Malaysia' from June 13 to 20, in Australia from Saturday to Tuesday)."""
        tours: dict[tuple, list[list[Mention]]] = {}
        for g in groups:
            if g[0].leg is not None and g[0].dates is not None:
                tours.setdefault((g[0].order, tuple(g[0].participants)), []).append(g)
        for (_, who), legs in tours.items():
            legs.sort(key=lambda g: g[0].leg)
            places = [name_key(g[0].location or "") for g in legs]
            fixed: dict[int, Resolved] = {}
            for other in groups:
                if other[0].leg is not None or other[0].tense != "upcoming" or not set(who) & set(other[0].participants):
                    continue
                dated = [m.dates for m in other if m.dates is not None]
                here = {name_key(loc) for m in other for loc in m.locations}
                for i, place in enumerate(places):
                    if place in here and dated and legs[i][0].dates.start <= dated[0].start <= legs[i][0].dates.end:
                        fixed[i] = dated[0]
            if not fixed:
                continue
            for i, leg in enumerate(legs):
                if i in fixed:
                    continue
                span = leg[0].dates
                start = max([fixed[j].end for j in fixed if j < i], default=span.start)
                end = min([fixed[j].start for j in fixed if j > i], default=span.end)
                if span.start <= start <= end <= span.end:
                    for m in leg:
                        m.dates = Resolved(start, end, "day", span.text)

    @staticmethod
    def _date_from_trip(groups: list[list[Mention]], on, g: Gazetteer) -> None:
        """An undated meeting of a traveller just after the dated trip: 'Kerry will travel to Vienna on
        Saturday to join the negotiations. Kerry will meet Iranian Foreign Minister Zarif.' takes the trip's
        date and, when it names none, its place. With 'trip scenes', one placed where the trip goes ('In Rabat,
        Kerry will meet X') takes the date of that leg however far from it the text tells it."""
        # A trip is told by a visit mention, alone or folded into the talks it is for ("will travel to North
        # Korea next week for talks with Ri ... will leave on Monday for a three-day visit").
        trips = [[m for m in g if m.kind == "visit" and len(m.participants) == 1 and m.dates] for g in groups
                 if all(m.tense == "upcoming" for m in g)]
        trips = [t for t in trips if t]
        kinds = ("bilateral", "talks", "multilateral") if on("gatherings during a trip") else ("bilateral", "talks")
        for group in groups:
            if any(m.dates for m in group) or group[0].kind not in kinds \
                    or any(m.tense != "upcoming" for m in group):
                continue
            first = min(m.order for m in group)
            people = {name_key(p) for m in group for p in m.participants}
            if len(people) + any(m.guest_unnamed for m in group) < 2 and group[0].kind != "multilateral":
                continue  # "the Chinese president's attendance at the summit": nobody to meet
            before = [t for t in trips if name_key(t[0].participants[0]) in people
                      and 0 <= first - max(m.order for m in t) <= 2 * NEAR_ANCHOR]
            if not before and on("trip scenes") and any(PLACED_AT.match(m.sentence) for m in group):
                here = {state_key(g, loc) for m in group for loc in m.locations}
                before = [[m for m in t if here & {state_key(g, loc) for loc in m.locations}] for t in trips
                          if any(set(p.split()) <= set(name_key(t[0].participants[0]).split()) for p in people)]
                before = [t for t in before if t]
            if not before:
                continue
            legs = [m for t in before for m in t]
            if on("trip scenes"):
                # "will travel to Vietnam and Sri Lanka ... In Vietnam, he will meet X": the leg to the place the
                # meeting is set in, over the last leg told
                here = {state_key(g, loc) for m in group for loc in m.locations}
                legs = [m for m in legs if here & {state_key(g, loc) for loc in m.locations}] or legs
            trip = max(legs, key=lambda m: m.order)  # the leg the traveller is on
            for m in group:
                m.dates = trip.dates
                if not m.locations and trip.locations:
                    m.locations, m.location = list(trip.locations), trip.location

    def _scene_legs(self, groups: list[list[Mention]]) -> None:
        """A meeting told in a scene of a dated trip ('In Brussels, Kerry will attend X and discuss preparations
        for the summit in September', 'While in Hanoi, she will meet Y') is held during the traveller's leg there:
        a date of its that does not meet that leg's days is another event's, or another leg's."""
        g = self.ctx.g
        legs = [m for grp in groups for m in grp if m.kind == "visit" and len(m.participants) == 1 and m.dates
                and m.dates.start < m.dates.end and m.tense == "upcoming" and m.locations]  # a stay, not its first day
        for group in groups:
            if any(m.tense != "upcoming" for m in group) or group[0].kind == "visit":
                continue
            scenes = [m for m in group if PLACED_AT.match(m.sentence) or ON_THE_TRIP.match(m.sentence)]
            if not scenes:
                continue
            people = {name_key(p) for m in group for p in m.participants}
            here = {state_key(g, loc) for m in scenes for loc in m.locations}
            mine = [v for v in legs if here & {state_key(g, loc) for loc in v.locations}
                    and any(set(p.split()) <= set(name_key(v.participants[0]).split()) for p in people)]
            spans = unique([v.dates for v in mine])
            if len(spans) != 1:
                continue  # no leg there, or legs there on other days: which is not said
            leg = spans[0]
            dated = [m.dates for m in group if m.dates is not None]
            if dated and any(d.start <= leg.end and leg.start <= d.end for d in dated):
                continue
            for m in group:
                m.dates = leg

    def _running_date(self, groups: list[list[Mention]]) -> None:
        """An undated upcoming meeting between named sides takes the date the article was telling of when it
        named it ('Official activities continue on Wednesday. In the morning, the minister will meet his
        Argentine counterpart'): the reference time a story carries from sentence to sentence."""
        for group in groups:
            if any(m.dates for m in group) or any(m.tense not in ("upcoming", "unknown") for m in group):
                continue
            people = {name_key(p) for m in group for p in m.participants}
            if len(people) + any(m.guest_unnamed for m in group) < 2 \
                    and not (group[0].kind == "multilateral" and group[0].name):
                continue
            running = group[0].running
            if running is not None and running.start >= self.ctx.ref_date:
                summit = self._summit_just_told(group, groups, running)
                if summit is not None:
                    summit.extend(group)
                    group.clear()
                    continue
                place = None if any(m.locations for m in group) else group[0].running_place
                for m in group:
                    m.dates, m.context_dated = running, True
                    if place:  # the story's place then, as its date
                        m.locations, m.location = [place], place
        groups[:] = [g for g in groups if g]

    @staticmethod
    def _summit_just_told(group: list[Mention], groups: list[list[Mention]], running) -> list[Mention] | None:
        """The named summit of the sentence just before an unnamed gathering that takes its date: 'Leaders of
        the Quad will meet in New Delhi on November 20. Modi will host Ishiba, Albanese and Trump.' is one
        summit, not a second gathering of the same leaders that day."""
        if group[0].kind != "multilateral" or any(m.name for m in group):
            return None
        return next((g for g in groups if g and g is not group and g[0].kind == "multilateral" and g[0].name
                     and any(m.dates == running and 0 < group[0].order - m.order <= 1 for m in g)), None)

    def _combine(self, group: list[Mention]) -> Meeting | None:
        dated = [m for m in group if m.dates is not None]
        if not dated:
            # No date anywhere: only past/cancelled records or named summits are worth keeping.
            if not any(m.tense == "cancelled" for m in group):
                return None
        # the most precise date; among equals the sentence that says the meeting moved ("postponed to May 21"),
        # which the record's history needs, then the latest
        best = min(dated, key=lambda m: ((m.dates.end - m.dates.start).days, not POSTPONE.search(m.sentence),
                                         -m.order)) if dated else group[-1]
        participants = unique([p for m in group for p in m.participants])
        represented = {person.country for n in participants if (person := self.ctx.people.people.get(n)) is not None}
        participants = [p for p in participants  # "Russia" beside Lavrov says no more
                        if not (self.ctx.g.is_state(p) and self.ctx.g.country(p) in represented)] or participants
        kinds = [m.kind for m in group]
        kind = best.kind
        if "bilateral" in kinds and kind in ("talks", "visit") and len(participants) == 2:
            kind = "bilateral"
        names = [m.name for m in group if m.name]
        name = names[0] if names else None
        # Location: the most recent claim; earlier different claims are alternates.
        claims = [loc for m in group if not m.building for loc in m.locations] or [
            loc for m in group for loc in m.locations]  # a building only when no city or country is given
        specific = [c for c in claims if name_key(c) not in REGIONS]
        claims = specific or claims  # "held in Africa" says less than "in Johannesburg"
        location = claims[-1] if claims else None
        alts = unique([c for c in claims if c != location and name_key(c) != name_key(location or "")])
        if kind == "bilateral" and location and len(claims) > 1:
            specific = [c for c in claims if not self.ctx.g.is_state(c)]
            if specific and location not in specific:
                location = specific[-1]
                alts = unique([c for c in claims if c != location])
        elif location and self.ctx.g.is_state(location):
            inside = [c for c in claims if not self.ctx.g.is_state(c) and self.ctx.g.country(c) in (
                self.ctx.g.country(location), None) and name_key(c) not in REGIONS]
            if inside:  # "in Moscow", later "in Russia": the city says more
                location = inside[-1]
                alts = unique([c for c in claims if c != location and name_key(c) != name_key(location)])
        if location and self.ctx.g.is_state(location) and self.ctx.on("city of the state"):
            # "leaves for New Delhi today on a state visit to India": the one city of that state the article
            # names says more than the state
            state = self.ctx.g.country(location)
            cities = [c for c in self.ctx.cities_seen if self.ctx.g.country(c) == state]
            if len(cities) == 1:
                location, alts = cities[0], unique([location] + [a for a in alts if a != cities[0]])
        tenses = [m.tense for m in group]
        if "cancelled" in tenses:
            tense = "cancelled" if tenses[-1] == "cancelled" or best.tense == "cancelled" else best.tense
        else:
            tense = best.tense
        certainty = max((m.certainty for m in group), key=certainty_rank)
        if tense == "unknown":
            tense = "upcoming"
        d = stretch(group, best, self._named_extent(best.name))
        if d is not None and tense == "upcoming" and d.start < self.ctx.ref_date <= d.end:
            if d.grain == "day" and self.ctx.on("under way"):
                tense = "past"  # "the summit is being held from August 22 to 24", said on the 24th: it has begun
            else:
                d = Resolved(self.ctx.ref_date, d.end, d.grain, d.text, d.time)  # "this week" said on Tuesday
        in_building = bool(location) and all(m.building for m in group if location in m.locations)
        if location:
            city = self.ctx.g.venue_city(location)
            if city and name_key(city) not in name_key(location):
                location = f"{re.sub(r'^the ', '', location, flags=re.I)}, {city}"  # "Oval Office, Washington"
        return Meeting(
            building=in_building,
            participants=participants,
            kind=kind,
            name=name,
            location=location,
            start=d.start if d else None,
            end=d.end if d else None,
            tense=tense,
            certainty=certainty,
            alt_locations=alts,
            precision=(d.grain if d and d.start != d.end else "day") if d else "unknown",
            time=d.time if d else None,
            tz=getattr(d, "zone", None) if d and d.time else None,
            sentence=best.sentence[:1000],
            dated_by="context" if best.context_dated else "text",
            found_by="classifier" if all(m.fallback for m in group) else "rules",
            order=best.order,
            mentions=len(group),
            date_in_sentence=bool(d and best.dates and best.dates.text and best.dates.text in best.sentence),
        )
