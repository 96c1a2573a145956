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
        if cancelled:
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
