"""Dates: which of a sentence's dates belongs to which meeting, and the dates of the summit a meeting is held at.

The dates a meeting takes from other sentences (the running date, 'also meets', a stated length) are in carry.py;
the tense that resolves a date phrase is in tense.py.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.extract.context import ArticleContext, Trigger
from bot.extract.patterns import (BARE_WEEKDAY, BEFORE, DURATION, EXTENT, LASTS, LENGTH_PHRASE, MAY, NUMBERS, POSTPONE,
                                  REPORTING)
from bot.extract.syntax import token_at, unique
from bot.temporal import Found, Resolved, Unresolvable, resolve


# Verbs of leaving: their date is the departure, not the day of the gathering the trip is for.
DEPARTING = {"leave", "depart", "fly", "head", "embark", "set"}
GATHERING_LEMMAS = {"attend", "summit", "forum", "conference", "meeting", "gathering", "assembly", "session",
                    "ministerial", "participate", "join"}
DEPARTURE_SLACK = 3  # days from leaving to the gathering: the flight, a stop on the way, a time zone


def is_ending(tok) -> bool:
    """The meeting is the subject of its ending: 'the summit will end on June 17'."""
    ending = ("end", "conclude", "close", "wrap")
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in ending:
        return True
    # "during the four-day visit, which ends next Saturday" ("the visit to Japan, which ends": the same)
    nodes = [tok, *(g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj")]
    return any(c.dep_ == "relcl" and c.lemma_.lower() in ending
               and any(g.dep_ in ("nsubj", "nsubjpass") and g.lower_ in ("which", "that") for g in c.children)
               for n in nodes for c in n.children)


def stated_extent(text: str, start: int, end: int, hi: int) -> int | None:
    """How many days the meeting named at text[start:end] lasts: 'the two-day summit', 'which starts on Tuesday and
    lasts for two days', 'a week-long visit', 'for three days from Monday', 'two days of talks'."""
    found = (EXTENT.search(text, max(0, start - 30), hi) or LASTS.search(text, end, hi)
             or LENGTH_PHRASE.search(text, max(0, start - 30), hi))
    return NUMBERS.get(next(g for g in found.groups() if g).lower()) if found else None


def char_gap(trig: Trigger, f: Found) -> int:
    if f.start_char >= trig.end_char:
        return f.start_char - trig.end_char
    if f.end_char <= trig.start_char:
        return (trig.start_char - f.end_char) + 5  # a date after its trigger is the likelier reading
    return 0


def in_since_clause(doc, found: Found) -> bool:
    """'his first trip abroad since taking office on Tuesday': a date in a 'since' clause is gone by."""
    span = doc.char_span(found.start_char, found.end_char, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    for _ in range(4):
        if tok.lower_ == "since" and tok.dep_ in ("prep", "mark"):
            return True
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return False


def is_duration(text: str, f: Found) -> bool:
    """'the first summit in 12 years', 'since 2018', 'in the past 10 years': a span of time, not a
    meeting's date (no meeting, however vaguely dated, spans more than a year)."""
    if (f.value.end - f.value.start).days > 366:
        return True
    if re.match(r"(?i)since\b", f.value.text.strip()) or re.search(r"(?i)\bsince\s+$", text[:f.start_char]):
        return True
    return bool(DURATION.match(f.value.text.strip()) and re.search(
        r"\b(?:first|time|since|longest|only)\b", text[max(0, f.start_char - 80):f.start_char], re.I))


def weekdays_in_order(found: list[Found]) -> list[Found]:
    """'dinner on Thursday evening ... talks on Friday': a later weekday in a plan comes after the earlier one."""
    out: list[Found] = []
    for f in found:
        prev = out[-1].value if out else None
        v = f.value
        if prev is not None and BARE_WEEKDAY.match(v.text.strip()) and prev.grain == "day" and v.start < prev.start:
            shift = timedelta(days=7)
            v = Resolved(v.start + shift, v.end + shift, v.grain, v.text, v.time)
            f = Found(f.start_char, f.end_char, v)
        out.append(f)
    return out


# A date told as the one a meeting was first planned for ("put off a trip planned for this month", "a meeting that had
# been set for January 18-19", "the summit first scheduled for next month"), unless it is the plan now ("now set for").
_PLANNED_FOR = re.compile(r"(?<!\bnow )(?<!\bnewly )(?<!\bre)\b(?:planned|scheduled|set|slated|due|meant|supposed|expected)"
                          r"(?:\s+to\s+(?:be\s+held|take\s+place|open|start|begin|run))?\s+for\s+(?:the\s+)?$", re.I)


class Dates:
    """Which of a sentence's dates belongs to which trigger (and 'where' clauses and moved dates)."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def date_for(self, trig, found: list[Found], lo, hi, triggers, k, tense: str | None = None) -> Resolved | None:
        if not found:
            return None
        # Each date belongs to the trigger it attaches to in the parse, else to its nearest trigger.
        def nearest(f: Found) -> int:
            owner = self._date_owner(f, triggers)
            if owner is not None:
                return owner
            return min(range(len(triggers)), key=lambda j: char_gap(triggers[j], f))
        mine = [f for f in found if nearest(f) == k]
        if not mine:
            return None
        # "depart on Sunday, ahead of a meeting with Trump the next day": the date the parse gives it first
        # "arrives on Wednesday for his meeting with Trump at the White House on Thursday": the date the
        # trigger itself governs before one of the verb it is the purpose of
        mine.sort(key=lambda f: (self._date_owner(f, triggers) != k, not self._governs(trig, f), char_gap(trig, f)))
        if tense == "future" and mine[0].value.end < self.ctx.ref_date \
                and self.ctx.date_tense.get(mine[0].value) != "past":
            # "will travel to China next week for a state visit postponed last month"
            ahead = [f for f in found if f.value.end >= self.ctx.ref_date]
            if ahead:
                return min(ahead, key=lambda f: char_gap(trig, f)).value
        return mine[0].value

    def _departure(self, doc, trig: Trigger, dates: Resolved, found: list[Found]) -> bool:
        """Whether the date is the day of a departure whose purpose is the trigger's gathering: the date hangs
        from a verb of leaving, and the gathering ('attend', 'summit', 'forum') is within that verb's clause."""
        if doc is None or trig.lemma not in GATHERING_LEMMAS:
            return False
        f = next((f for f in found if f.value == dates), None)
        span = doc.char_span(f.start_char, f.end_char, alignment_mode="expand") if f is not None else None
        if span is None:
            return False
        cur = span.root
        for _ in range(4):
            if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
                break
            cur = cur.head
        lemma = cur.lemma_.lower()
        if lemma not in DEPARTING or cur.i == trig.i or cur.pos_ != "VERB":
            return False
        if lemma in ("head", "set") and not any(c.lower_ in ("to", "for", "off", "out") for c in cur.children):
            return False  # "heads to", "sets off"; not "Heads of state meet"
        return cur.left_edge.i <= trig.i <= cur.right_edge.i and trig.i > cur.i

    def _governs(self, trig, f: Found) -> bool:
        """Whether the date hangs from the trigger itself, with no verb between them."""
        doc = self.ctx.doc
        span = doc.char_span(f.start_char, f.end_char, alignment_mode="expand") if doc is not None else None
        if span is None:
            return False
        cur = span.root
        for _ in range(6):
            if cur.i == trig.i:
                return True
            if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
                return False
            cur = cur.head
        return False

    def _date_owner(self, f: Found, triggers) -> int | None:
        """The trigger a date hangs from: 'hold his summit with Kim in Vietnam on Feb. 27' -> summit."""
        doc = self.ctx.doc
        if doc is None:
            return None
        span = doc.char_span(f.start_char, f.end_char, alignment_mode="expand")
        if span is None:
            return None
        index = {t.i: j for j, t in enumerate(triggers)}
        cur = span.root
        for _ in range(6):
            if cur.i in index:
                return index[cur.i]
            objects = [index[c.i] for c in cur.children if c.i in index and c.dep_ in ("dobj", "nsubj", "nsubjpass")]
            objects += [index[g.i] for c in cur.children if c.dep_ == "prep" for g in c.children
                        if g.i in index and g.dep_ == "pobj"]
            if cur.pos_ in ("VERB", "AUX") and objects:
                return objects[0]
            if cur.lemma_.lower() in REPORTING or cur.head.i == cur.i:
                return None
            cur = cur.head
        return None

    def moved_to(self, text: str, found: list[Found]) -> Resolved | None:
        """'postponed ... to May 21': the new date of a moved meeting ('may be moved to Monday': either)."""
        cue = POSTPONE.search(text)
        if not cue:
            return None
        hedged = re.search(r"\b(?:" + MAY + r"|might|could|possibly)\b[^.]{0,20}$", text[:cue.start()], re.I)
        for f in found:
            new = None
            # "planned for next Thursday, to May 21" reads as a range; the part after "to" is the new date.
            parts = re.split(r",?\s+(?:to|until|till)\s+", f.value.text)
            if f.start_char > cue.start() and len(parts) == 2 and "," in f.value.text:
                new = self._resolve_plain(parts[1])
            elif f.start_char > cue.start() and re.search(r"\b(?:to|until|till|for)\s+(?:the\s+)?$",
                                                          text[max(0, f.start_char - 12):f.start_char]):
                if self.ctx.on("open postponements") and _PLANNED_FOR.search(text, 0, f.start_char):
                    continue  # "put off a trip planned for this month": the date it was planned for, no new one
                new = self._resolve_plain(f.value.text) or f.value
            elif f.start_char > cue.start() and re.match(r"(?:until|till)\s+\S", f.value.text, re.I):
                # "delayed until Dec. 12": the date found with its 'until'
                new = self._resolve_plain(re.sub(r"^(?:until|till)\s+", "", f.value.text, flags=re.I))
            if new is None:
                continue
            if hedged:
                before = [g.value for g in found if g.end_char <= cue.start()]
                if before:
                    old = before[-1]
                    return Resolved(min(old.start, new.start), max(old.end, new.end), "day", f.value.text)
            return new
        return None

    def _resolve_plain(self, phrase: str) -> Resolved | None:
        try:
            return resolve(phrase, self.ctx.published, "future")
        except Unresolvable:
            return None

    def fronted(self, doc, f: Found) -> bool:
        """Whether a date sits in a phrase before the main clause's subject."""
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        if root is None:
            return False
        subjects = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass") and t.i > 0]
        first_subject = min((t.i for t in subjects), default=root.i)
        span = doc.char_span(f.start_char, f.end_char, alignment_mode="expand")
        return span is not None and span.end <= first_subject

    def own_date(self, doc, trig: Trigger, k: int, triggers: list[Trigger], found: list[Found], tense: str | None,
                 lo: int, hi: int) -> tuple[Resolved | None, str | None]:
        """The date the sentence gives this trigger, and the tense that date corrects ('would happen before
        Christmas' in a past-tense sentence)."""
        text = self.ctx.sentence_text
        dates = self.date_for(trig, found, lo, hi, triggers, k, tense)
        if dates is not None and self.ctx.on("departure dates") and self._departure(doc, trig, dates, found):
            # "departs Thursday night for New Zealand to attend the APEC summit": the day he leaves, the
            # gathering some day after
            dates = Resolved(dates.start, dates.end + timedelta(days=DEPARTURE_SLACK), dates.grain, dates.text)
        moved_to = self.moved_to(text, found) if self.ctx.on("moved-to dates") else None
        if moved_to is not None:
            dates = moved_to
        at = text.find(dates.text, trig.end_char) if dates is not None else -1
        if dates is not None and dates.start > self.ctx.ref_date and at > 0 and BEFORE.search(text[trig.end_char:at]) \
                and self.ctx.on("ahead-of dates"):
            # "to meet Biden ahead of his inauguration in January": some time before that date
            dates = Resolved(self.ctx.ref_date, dates.start - timedelta(days=1), "day", dates.text)
        if dates is None and len({(f.value.start, f.value.end) for f in found}) == 1 and self.fronted(doc, found[0]):
            dates = found[0].value  # "Following the talks on Wednesday, Trump will ...": the date frames the clause,
            # resolved like any other below ("In early February, Putin flew to Beijing, where he held talks")
        if tense == "past" and dates is not None and self.ctx.date_tense.get(dates) == "future":
            tense = "future"  # "no date for the visit has been decided, but it would happen before Christmas"
        if dates is not None and tense == "past" and dates.start > self.ctx.ref_date \
                and self.ctx.date_tense.get(dates) != "present":  # not "the trip ... in June is off"
            # The sentence was read as future ("will compare notes ... after the summit they held on April 11").
            try:
                dates = resolve(dates.text, self.ctx.published, "past")
            except Unresolvable:
                pass
        return dates, tense

    def occasion_date(self, doc, tok, summits, dates: Resolved | None, occasion: str | None, name: str | None,
                      kind: str) -> tuple[Resolved | None, str | None]:
        """An undated meeting at a summit the article (or the database) dates: the summit's dates."""
        if not self.ctx.on("occasion dates"):
            return dates, occasion
        own = self.ctx.local_tokens(doc, tok)
        named_here = unique([c for a, _, c in summits if token_at(doc, a) in own])
        if dates is None and occasion is None and name is None and kind in ("bilateral", "talks") \
                and len(named_here) == 1 and named_here[0] in self.ctx.summit_dates:
            occasion = named_here[0]  # "bilateral meetings with BRICS counterparts"
        if dates is None and occasion and occasion not in self.ctx.summit_dates and self.ctx.summit_lookup is not None:
            known = self.ctx.summit_lookup(occasion, self.ctx.ref_date)
            if known:
                start, end, place = known
                self.ctx.summit_dates[occasion] = (Resolved(start, end, "day", occasion), place)
        if dates is None and occasion and occasion in self.ctx.summit_dates:
            dates = self.ctx.summit_dates[occasion][0]
        return dates, occasion
