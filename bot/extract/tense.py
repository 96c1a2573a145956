"""Tense: whether a trigger's verb, a sentence or a date phrase speaks of the future or the past."""

from __future__ import annotations

import re

from bot.extract.context import ArticleContext, Trigger
from bot.extract.patterns import COMMIT, HAPPENING, ONLINE_MOVE, PROPOSE, REPORTING, SCHEDULING, STATEMENTS
from bot.extract.syntax import is_called_off
from bot.temporal import Found, find_dates


class Tenses:
    """Which way a verb, a clause or a date phrase points: future, past or present."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def sentence_tense(self, doc) -> str | None:
        """The main clause's tense: 'The summit ended on Sunday' is past, 'will open' future."""
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        if root is None:
            return None
        if any(c.tag_ == "MD" and c.lower_ in ("will", "would", "shall", "'ll", "could", "may", "might")
               for c in root.children):
            return "future"
        if root.lemma_.lower() in REPORTING:
            # "X said (that) Y will ...": the reported clause carries the tense.
            for child in root.children:
                if child.dep_ == "ccomp":
                    if any(c.tag_ == "MD" and c.lower_ in ("will", "would", "could", "may", "might", "shall")
                           for c in child.children):
                        return "future"
                    if child.tag_ == "VBD":
                        return "past"
            return None
        if root.tag_ == "VBD" or (root.tag_ == "VBN" and (any(c.lower_ in ("has", "have", "had")
                                                             for c in root.children)
                                                         or not any(c.dep_ in ("aux", "auxpass")
                                                                    for c in root.children))):
            return "past"
        if root.tag_ in ("VBZ", "VBP") and any(c.dep_ == "xcomp" or c.lower_ == "to" for c in root.children):
            return "future"
        return None

    def verb_tense(self, doc, trig: Trigger) -> str | None:
        """'future' or 'past' from the verb that governs the trigger, None when unclear."""
        tok = doc[trig.i]
        chain = [tok]
        cur = tok
        for _ in range(5):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            chain.append(cur)
            if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("xcomp", "aux", "auxpass", "acl", "relcl", "advcl", "conj"):
                break
        window = doc[max(0, tok.i - 8):tok.i + 1].text
        top = chain[-1]
        if is_called_off(tok):
            return "future"  # "Trump cancelled the June 12 summit": what is called off was still ahead
        if moved_online(doc):
            return "future"  # "organisers moved the November 20 summit to a video conference": still ahead
        if top.dep_ == "ccomp" and top.head.lemma_.lower() in PROPOSE:
            return "future"  # "Seoul proposed that the two sides hold talks this week"
        if self.ctx.on("journey purpose") and _journey_purpose(tok):
            return "future"  # "Powell reached Buenos Aires on Tuesday for a first meeting with Kirchner"
        if tok.pos_ != "VERB":
            for child in tok.children:
                if child.dep_ in ("relcl", "acl") and child.lemma_.lower() not in REPORTING and not any(
                        g.dep_ == "xcomp" for g in child.children) and (  # "the summit set to be held"
                        child.tag_ == "VBD" or (child.tag_ == "VBN" and any(
                            c.dep_ == "nsubj" for c in child.children))):
                    return "past"  # "the summit they held at the White House"
        for below, c in zip(chain, chain[1:]):
            if c.lemma_.lower() in COMMIT and below.dep_ == "xcomp" and below.tag_ == "VB" and any(
                    a.lower_ == "to" for a in below.children):
                return "future"  # "agreed on Tuesday to hold a summit later this month": what was agreed is ahead
        for c in chain:
            for child in list(c.children) + [c]:
                low = child.lower_
                if low in ("will", "'ll", "shall", "would", "could", "may", "might") and child.tag_ == "MD":
                    return "future"
            if c.lemma_ in ("plan", "expect", "schedule", "set", "slate", "due", "aim", "hope", "intend", "prepare",
                            "arrange", "propose", "invite", "seek", "want", "agree") and c.tag_ in (
                    "VBZ", "VBP", "VBN", "VBG", "JJ", "NNS"):
                return "future"
        if re.search(r"\b(?:upcoming|planned|forthcoming|next|expected|proposed|possible|potential|prospective)\b",
                     window, re.I):
            return "future"
        for c in chain:
            if c.i != tok.i and c.lemma_.lower() not in HAPPENING:
                continue
            if c.tag_ == "VBD":
                return "past"
            if c.tag_ in ("VBD", "VBN") and any(ch.lower_ in ("has", "have", "had") for ch in c.children):
                return "past"
            if c.tag_ == "VBN" and c.dep_ == "ROOT" and not any(ch.dep_ in ("aux", "auxpass") for ch in c.children):
                return "past"  # "The summit ended on Sunday", tagged as a participle
        if tok.tag_ == "VBD":
            return "past"
        if tok.pos_ == "VERB" and tok.tag_ in ("VBZ", "VBP") and any(ch.dep_ == "nsubj" for ch in tok.children):
            return None
        return None

    @staticmethod
    def _phrase_tense(doc, f: Found) -> str | None:
        """The tense of the verb a date phrase hangs from: 'would happen before Christmas' -> future."""
        span = doc.char_span(f.start_char, f.end_char, alignment_mode="expand")
        if span is None:
            return None
        cur = span.root
        if moved_online(doc):
            return "future"  # "the summit on November 20 has been moved online": that November 20 is ahead
        for _ in range(6):
            if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("aux", "auxpass"):
                break
            if cur.pos_ in ("NOUN", "PROPN") and any(c.dep_ in ("amod", "compound") and c.lower_ in (
                    "planned", "scheduled", "upcoming", "forthcoming", "proposed") for c in cur.children):
                return "future"  # "canceled his planned early September summit": the plan's date is ahead
            if is_called_off(cur):
                return "future"  # "Trump cancelled the June 12 summit"
            if cur.head.i == cur.i:
                return None
            cur = cur.head
        else:
            return None
        if cur.pos_ not in ("VERB", "AUX"):
            return None
        kids = list(cur.children)
        shared = list(cur.head.children) if cur.dep_ == "conj" else []  # "will chair ... and host ... in May"
        if any(c.tag_ == "MD" and c.lower_ in ("will", "would", "shall", "'ll") for c in kids + shared):
            return "future"
        if cur.tag_ == "VBN" and cur.lemma_.lower() in SCHEDULING and any(c.dep_ == "auxpass" for c in kids):
            return "future"  # "has been scheduled for Sept. 4": what was scheduled is ahead
        if cur.tag_ == "VBD" or (cur.tag_ == "VBN" and any(c.lower_ in ("has", "have", "had") for c in kids)):
            return "past"
        if cur.tag_ in ("VBZ", "VBP") and cur.dep_ in ("ROOT", "ccomp", "conj"):
            return "present"
        return None

    def retense(self, doc, found: list[Found], tense: str | None, anchor) -> list[Found]:
        """Re-resolve a date whose own verb has another tense than the sentence's meeting.

        "No date for the visit has been decided yet, but it would happen before Christmas":
        the visit's clause is past, "before Christmas" hangs from "would happen".
        """
        out = []
        self.ctx.date_tense = {}
        by_tense: dict[str | None, dict[tuple[int, int], Found]] = {}  # the sentence re-read once per tense
        for f in found:
            own = self._phrase_tense(doc, f)
            present = own == "present"
            if present:  # "the trip to Camp David in June is off": no direction of its own
                own = None if tense == "past" else tense
            if own != tense:
                if own not in by_tense:
                    by_tense[own] = {(g.start_char, g.end_char): g
                                     for g in find_dates(self.ctx.sentence_text, self.ctx.published, own, anchor,
                                                                own_tense=True)}
                f = by_tense[own].get((f.start_char, f.end_char), f)
            if own is not None or present:
                self.ctx.date_tense[f.value] = "present" if present else own
            out.append(f)
        return out

    def reporting_date(self, doc, found: Found) -> bool:
        """A date that dates a statement ('the White House said Thursday'), not a meeting."""
        span = doc.char_span(found.start_char, found.end_char, alignment_mode="expand")
        if span is None:
            return False
        if self.ctx.on("statement dates"):
            for a in list(span.root.ancestors)[:6]:
                if a.lower_ == "according" or a.dep_ == "advcl" and a.lemma_.lower() in REPORTING \
                        and a.tag_ == "VBG":
                    return True  # "According to the ministry on Thursday, ...", "Briefing the media on Thursday, ..."
                if a.pos_ == "VERB" and a.dep_ in ("ROOT", "ccomp", "xcomp") and a.lemma_.lower() not in REPORTING:
                    break  # the date is the clause's own
        head = span.root.head
        for _ in range(3):
            if (head.lemma_.lower() in REPORTING or head.lemma_.lower() in STATEMENTS) and not any(
                    c.dep_ == "oprd" for c in head.children) and (  # "will be declared open on Friday"
                    head.i < span.start or all(t.pos_ == "ADP" for t in doc[:span.start]) or any(
                        c.dep_ == "nsubj" and c.i < span.start and span.end <= head.i for c in head.children)):
                # "the White House said Thursday", "On the 8th, Kyodo reported that ...", "Modi on Sunday said"
                return True
            if head.dep_ == "acl" and head.head.lemma_.lower() in STATEMENTS:
                return True  # "a statement issued by the White House on Tuesday"
            if head.dep_ == "prep" or head.dep_ == "nsubj" and all(t.pos_ == "ADP" for t in doc[:span.start]):
                head = head.head  # "On the 8th, Japan's Kyodo News ... reported": hung on the subject
            else:
                break
        return False


_JOURNEY_VERBS = {"arrive", "reach", "land", "leave", "fly", "depart", "head", "travel", "come", "go", "set", "jet"}


def _journey_purpose(tok) -> bool:
    """A meeting a journey is for: 'arrived on Tuesday for talks with Kirchner', 'left for Lima to attend the
    summit' (the meeting is ahead of the journey, whatever the journey's tense)."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "for" and tok.head.head.lemma_.lower() in _JOURNEY_VERBS:
        return True
    verb = tok if tok.pos_ == "VERB" else (tok.head if tok.dep_ == "dobj" else None)
    return verb is not None and verb.dep_ in ("advcl", "xcomp") and verb.head.lemma_.lower() in _JOURNEY_VERBS \
        and any(c.lower_ == "to" and c.dep_ == "aux" for c in verb.children)


def moved_online(doc) -> bool:
    """The sentence says a meeting was taken online, and names no year (which would date it for itself)."""
    return bool(ONLINE_MOVE.search(doc.text)) and not re.search(r"\b(?:19|20)\d\d\b", doc.text)
