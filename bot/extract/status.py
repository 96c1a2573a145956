"""Status and certainty: upcoming, past or cancelled, and how sure the text is of the meeting."""

from __future__ import annotations

from bot.extract.context import ArticleContext
from bot.extract.dates import Dates
from bot.extract.patterns import CONFIRMED, PLANNED, POSSIBLE
from bot.extract.people import OFFICIAL_WORDS
from bot.extract.syntax import token_at
from bot.temporal import Found, Resolved


class Status:
    """A meeting's status (upcoming, past, cancelled) and certainty."""

    def __init__(self, ctx: ArticleContext, dates: Dates):
        self.ctx = ctx
        self.dates = dates

    def label(self, doc, trig, dates: Resolved | None, tense: str | None, cancelled: bool, text: str) -> str:
        """upcoming, past, cancelled or unknown (merged as upcoming when nothing says otherwise)."""
        if self.ctx.on("moved-to dates") \
                and self.dates.moved_to(text, [Found(0, 0, dates)] if dates else []) is not None:
            return "upcoming"
        if cancelled or self.ctx.on("cancellations") and said_not_to_happen(doc[trig.i]):
            return "cancelled"
        if self.ctx.on("unfulfilled plans") and unfulfilled_plan(doc[trig.i]):
            return "cancelled"  # "had been due to hold talks with X on July 22": a plan that is off
        if dates is not None:
            if dates.end < self.ctx.ref_date or dates.text.lower().startswith("earlier "):
                return "past"  # "during Hu's state visit to Washington earlier this year"
            if dates.start > self.ctx.ref_date:
                return "upcoming"
        if tense == "past":
            return "past"
        if tense == "future":
            return "upcoming"
        if dates is not None:
            return "upcoming"
        return "unknown"

    def certainty(self, text: str, status: str, name: str | None) -> str:
        if status == "past":
            return "confirmed"
        if POSSIBLE.search(text):
            return "possible"
        if PLANNED.search(text):
            return "planned"
        if CONFIRMED.search(text):
            return "confirmed"
        return "planned"

    @staticmethod
    def cancelled(triggers, k: int, cues: list[int]) -> bool:
        """Whether a cancellation cue in the sentence is about this trigger (the one nearest to it)."""
        for at in cues:
            nearest = min(range(len(triggers)), key=lambda j: min(abs(triggers[j].start_char - at),
                                                                    abs(triggers[j].end_char - at)))
            if nearest == k:
                return True
        return False

    def aside(self, doc, char: int, triggers, about_person: bool = False) -> bool:
        """Whether a word sits in a relative clause about a noun that is no trigger: 'will travel to
        Beijing this weekend, rescheduling a trip that was called off in February'; with about_person,
        only about a person: 'with the U.S. president, who leaves office on Jan. 20'."""
        i = token_at(doc, char)
        if i is None:
            return False
        trigger_ids = {t.i for t in triggers}
        cur = doc[i]
        for _ in range(8):
            if cur.i in trigger_ids or cur.head.i == cur.i:
                return False
            head = cur.head
            if cur.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN") and head.i not in trigger_ids and (
                    not about_person or head.ent_type_ == "PERSON" or head.lower_ in OFFICIAL_WORDS):
                return True
            cur = head
        return False


_PLAN_WORDS = {"plan", "schedule", "due", "expect", "set", "slate", "mean", "suppose", "intend", "hope", "arrange",
               "aim"}


def unfulfilled_plan(tok) -> bool:
    """A meeting told as a plan in the past perfect ('had been due to visit', 'had planned to meet', 'a summit
    that had been set for January 18') or as what it was meant to be ('was meant to discuss', 'were supposed to
    meet'): a plan the writer looks back on, which is off or over, not one still ahead."""
    cur = tok
    for _ in range(6):
        if cur.lemma_.lower() in _PLAN_WORDS or cur.lower_ in ("meant", "supposed"):
            verb = cur.head if cur.dep_ == "acomp" else cur  # "had been due to": 'due' hangs from 'been'
            aux = [c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")]
            if "had" in aux or cur.lower_ in ("meant", "supposed") and any(a in ("was", "were") for a in aux):
                return not any(c.dep_ == "neg" for c in cur.children)
        if cur.head.i == cur.i or cur.dep_ not in ("xcomp", "acl", "relcl", "dobj", "pobj", "prep", "conj", "nsubjpass",
                                                      "advcl", "ccomp", "aux", "auxpass", "acomp") and cur is not tok:
            return False
        if cur.dep_ in ("relcl", "acl") and cur is not tok and cur.lemma_.lower() not in _PLAN_WORDS:
            return False
        cur = cur.head
    return False


# What a meeting does when it happens, by how the meeting stands to the verb: its subject ("the summit will go
# ahead", "take place", "happen"), its passive subject ("will be held", "convened") or its object ("host the
# summit", "hold talks"); a verb that is itself the meeting ("visit", "meet") only with "no longer" or a decision
# not to, since "will not visit X on March 23" may be a date being corrected.
_HAPPEN_SUBJECT = {"go": "ahead", "take": "place", "happen": None, "proceed": None, "occur": None}
_HAPPEN_PASSIVE = {"hold", "convene", "organise", "organize", "stage"}
_HAPPEN_OBJECT = {"host", "hold", "convene", "stage"}
_DECIDE = {"decide", "agree", "choose", "opt", "resolve"}


def said_not_to_happen(tok) -> bool:
    """The meeting itself is said not to happen: 'their summit would not go ahead', 'the meeting will not be going
    ahead', 'the traditional summit will not be held', 'Chile will no longer host the summit', 'has decided not to
    host the summit', 'will no longer visit Guyana'. Not a participant staying away ('X will not attend the
    summit': it is still held), nor a meeting put off ('will not be held until June', 'not before the election'),
    nor one not yet held ('has not yet taken place')."""
    if tok.pos_ == "VERB":
        verb = tok
        if tok.lemma_.lower() not in ("visit", "meet", "host", "hold"):
            return False
        strong = True  # only "no longer" or a decision not to
    elif tok.dep_ == "nsubj":
        verb, strong = tok.head, False
        word = _HAPPEN_SUBJECT.get(verb.lemma_.lower(), False)
        if word is False or word and not any(c.lower_ == word for c in verb.children):
            return False
    elif tok.dep_ == "nsubjpass":
        verb, strong = tok.head, False
        if verb.lemma_.lower() not in _HAPPEN_PASSIVE:
            return False
    elif tok.dep_ == "dobj":
        verb, strong = tok.head, False
        if verb.lemma_.lower() not in _HAPPEN_OBJECT:
            return False
    else:
        return False
    kids = list(verb.children)
    if any(c.dep_ == "prt" and c.lower_ not in ("ahead", "place") for c in kids):
        return False  # "his health will not hold up the meeting": another verb
    below = kids + [g for c in kids if c.dep_ == "advmod" for g in c.children]
    if any(c.lower_ in ("until", "till", "before", "unless", "without", "yet", "only") for c in below):
        return False  # put off, conditional or not yet: still ahead
    no_longer = any(c.lower_ == "longer" and any(g.lower_ == "no" for g in c.children) for c in kids)
    negated = any(c.dep_ == "neg" for c in kids)
    decided_not = negated and verb.dep_ == "xcomp" and verb.head.lemma_.lower() in _DECIDE
    if strong:
        return no_longer or decided_not
    return no_longer or negated
