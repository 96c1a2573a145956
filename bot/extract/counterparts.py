"""Learned counterparts: who else a sentence says the traveller or host meets.

The rules over the parse (bot/extract/roles.py) cast one counterpart per meeting word, and a visit
("will visit Portugal and Slovakia ...") has none; but a sentence that reports a meeting often names
several people met, in any phrasing ("will hold talks with President X, and meet Prime Minister Y",
"for talks with President A and Foreign Minister B", "where he is due to call on X"). A classifier trained
on the corpus (``make train``: config/participant.cfg, bot/learn.py) reads the sentence with one person's
name marked, normalised like the other classifiers' input ("... talks with president [[ x y ]] and ..."),
and says whether that person takes part in a meeting the sentence reports. It learns the phrasing around
names, not the names: the same decision for every phrasing of "meets".

Where it is sure about a person the rules left out of a sentence's person-to-person meeting, that person
gets a meeting of their own with the meeting's first party (a visit becomes a meeting with each person met
there); the visit itself is kept, since it is a meeting of its own in the text.
"""

from __future__ import annotations

import copy
from functools import lru_cache
from pathlib import Path

from bot.extract.classifier import TextClassifier, load_committed
from bot.extract.context import ArticleContext, Mention
from bot.extract.gatherings import marked
from bot.names import name_key

MODEL_DIR = Path(__file__).resolve().parent / "model_participant"
LABEL = "PARTICIPANT"
THRESHOLD = 0.8  # how sure the classifier must be that a person the rules left out takes part (set on dev)
_PERSONAL = ("visit", "bilateral", "phone_call")  # meetings of one person with another, which can have several


@lru_cache(maxsize=1)
def load_participant_classifier() -> TextClassifier | None:
    """The committed participant classifier, or None when it is missing: the rules' counterparts then stand."""
    return load_committed(MODEL_DIR, "participant classifier")


def _same(a: str, b: str) -> bool:
    wa, wb = set(name_key(a).split()), set(name_key(b).split())
    return bool(wa and wb) and (wa <= wb or wb <= wa)


class Counterparts:
    """Adds a meeting for each person the classifier is sure a sentence's person-to-person meeting is with."""

    def __init__(self, ctx: ArticleContext, threshold: float = THRESHOLD):
        self.ctx = ctx
        self.threshold = threshold

    def scored(self, people: list[tuple[int, int, str, int]]) -> list[tuple[str, float]]:
        """(canonical name, P(takes part in a meeting the sentence reports)) of each person mention."""
        classifier = load_participant_classifier() if people else None
        if classifier is None:
            return []
        text = self.ctx.sentence_text
        cats = classifier.cats([marked(text, start, end) for start, end, _, _ in people])
        return [(who, c.get(LABEL, 0.0)) for (_, _, who, _), c in zip(people, cats)]

    def more(self, people: list[tuple[int, int, str, int]], made: list[Mention]) -> list[Mention]:
        """The meetings the rules did not make: one per sure person with the first party of the sentence's
        unnamed person-to-person meeting (the first one, which the other meetings of the sentence share)."""
        if not self.ctx.on("learned counterparts"):
            return []
        base = next((m for m in made if m.kind in _PERSONAL and not m.name and m.participants), None)
        if base is None:
            return []
        scores = self.scored(people)
        taken = [p for m in made for p in m.participants]
        first = base.participants[0]
        out = []
        for who, p in scores:
            if p < self.threshold or any(_same(who, t) for t in taken):
                continue
            extra = copy.copy(base)
            extra.participants = [first, who]
            extra.locations = list(base.locations)
            extra.kind = "phone_call" if base.kind == "phone_call" else "bilateral"
            extra.leg = None
            out.append(extra)
            taken.append(who)
        return out
