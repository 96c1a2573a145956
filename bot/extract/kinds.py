"""What kind of meeting a trigger is (bilateral, phone call, talks, visit, multilateral) and whether it is diplomacy."""

from __future__ import annotations

import re

from bot.extract.context import ArticleContext
from bot.extract.patterns import (
    COUNTERPART, DELEGATES, DIPLOMATIC_CONTEXT, NON_DIPLOMATIC, PHONE, THE_GATHERING, TRIP_NOUNS,
)
from bot.extract.syntax import titles_name, tok_head_lemma


class Kinds:
    """The kind of a trigger's meeting and whether it is diplomacy at all."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def kind(self, doc, trig, names, name, text) -> str | None:
        lemma = trig.lemma
        seg = doc[max(0, trig.i - 6):min(len(doc), trig.i + 8)].text
        if name and lemma != "call" and "call" not in trig.kind_hint and trig.lemma not in ("talk", "speak") \
                and (self.ctx.g.summit(name) or any(self.ctx.g.summit(w) for w in re.split(r"[\s\-–]+", name))):
            return "multilateral"  # "a G20 leaders' summit through video-conference": a summit held online
        if PHONE.search(seg) or lemma == "call" or "call" in trig.kind_hint:
            return "phone_call"
        if lemma in ("speak", "talk") and doc[trig.i].pos_ == "VERB" and not any(
                doc[i].ent_type_ in ("GPE", "LOC", "FAC") for i in self.ctx.local_tokens(doc, doc[trig.i])):
            return "phone_call"  # leaders who "will speak with" each other, nowhere in particular, do so by phone
        if lemma == "conversation" and self.ctx.phone_seen and doc[trig.i].pos_ == "NOUN" and any(
                c.lower_ in ("the", "this", "that", "their") for c in doc[trig.i].children) and not any(
                doc[i].ent_type_ in ("GPE", "LOC", "FAC") for i in self.ctx.local_tokens(doc, doc[trig.i])):
            return "phone_call"  # "the conversation between Trump and Putin" after "to speak by phone"
        if name:
            first_word = name.split()[0]
            sides = [w for w in re.split(r"[-–]", first_word) if w]
            if len(sides) == 2 and all(self.ctx.g.country(w) for w in sides) and not self.ctx.g.summit(name):
                return "bilateral"  # "the India-Japan Annual Summit"
            return "multilateral"
        if doc[trig.i].pos_ != "VERB" and any(c.lower_ == "bilateral" for c in doc[trig.i].children):
            return "bilateral"  # "bilateral meetings with the leaders of Fiji, Samoa and Tonga": one with each
        if re.search(r"\b(?:multilateral|trilateral|three-way|regional|world leaders|leaders' summit|leaders of)\b", seg,
                     re.I):
            return "multilateral"
        local = " ".join(doc[i].text for i in sorted(self.ctx.local_tokens(doc, doc[trig.i])))
        if len(names) >= 2 and any(not titles_name(local, d) for d in DELEGATES.finditer(local)) \
                and lemma in ("meet", "talk", "talks", "meeting"):
            return "talks"  # "when Lula meets two US envoys: ..."
        if lemma in TRIP_NOUNS:
            others = [n for n in names]
            return "visit" if len(others) <= 1 else "bilateral"
        if lemma in ("talks", "talk", "negotiation", "negotiations", "dialogue") or "talk" in trig.kind_hint:
            officials = [n for n in names if self.ctx.people.is_official(n)]
            if len(officials) >= 2 and not re.search(r"\b(?:envoys?|delegations?|working-level|officials|negotiators)\b",
                                                     text, re.I):
                return "bilateral"
            return "talks"
        if lemma in ("host", "convene", "gathering", "session", "forum", "conference", "dinner", "ministerial"):
            return "multilateral" if len(names) != 2 else "bilateral"
        return "bilateral"

    def diplomatic(self, doc, trig, names, name, text, kind=None, occasion=None) -> bool:
        if name and NON_DIPLOMATIC.search(name):
            return False  # "the APEC CEO Summit": a body's side event, not its summit
        if name and (self.ctx.g.summit(name) or self.ctx.g.summit_pattern.search(name)
                     or any(self.ctx.g.summit(w) for w in re.split(r"[\s\-–]+", name))):
            return True
        if name in self.ctx.named_summits and THE_GATHERING.match(text):
            return True  # "The summit runs from January 15 to 19": the summit this article just named
        officials = [n for n in names if self.ctx.people.is_official(n)]
        if name:
            # A summit the gazetteer does not know: diplomatic only in a diplomatic context.
            return not NON_DIPLOMATIC.search(text) and bool(DIPLOMATIC_CONTEXT.search(text) or len(officials) >= 2)
        if NON_DIPLOMATIC.search(doc[max(0, trig.i - 8):min(len(doc), trig.i + 10)].text) and not (
                len(officials) >= 2 and doc[trig.i].pos_ == "VERB" and kind == "bilateral"):
            # "will meet with Biden, members of Congress and US business leaders": two leaders still meet
            return False
        if trig.lemma in TRIP_NOUNS:
            local = " ".join(doc[i].text for i in sorted(self.ctx.local_tokens(doc, doc[trig.i])))
            if NON_DIPLOMATIC.search(local):
                return False
        if kind in ("bilateral", "talks", "phone_call") and len(names) < 2 and not any(
                c.lower_ == "bilateral" for c in doc[trig.i].children) and (re.search(
                r"\b(?:other|fellow|several|many|all|the)\s+(?!two\b)(?:\w+\s+)?(?:leaders|presidents|heads of state|"
                r"prime ministers)\b", text, re.I) or any(  # "to come and have talks with BRICS leaders"
                start >= trig.end_char and text.startswith(" leaders", end) for start, end, _ in self.ctx.summit_spans)):
            # "at the Mercosur summit, Lula will have breakfast with other presidents. Following the meal, the
            # presidents ... will hold a meeting": the summit's own session, not a meeting of two
            return False
        if kind in ("bilateral", "talks", "phone_call") and len(names) < 2 and not occasion:
            # One named side: the other must at least be described ("his Russian counterpart", "envoys").
            after = doc[trig.i:min(len(doc), trig.i + 15)].text
            if not COUNTERPART.search(after):
                return False
        if tok_head_lemma(doc[trig.i]) == "chair" and not name:
            return False  # "Putin will chair a meeting of the Security Council": his own government
        if trig.lemma in TRIP_NOUNS:
            return bool(officials)
        if name:
            return True
        if len(names) >= 2 and officials:
            return True
        if len(names) >= 2 and all(self.ctx.g.country(n) for n in names):
            return True  # states meeting as states: "a trilateral summit with China and South Korea"
        if officials and re.search(r"\b(?:counterpart|leaders?|president|prime minister|premier|envoys?|"
                                   r"foreign ministers?|heads? of state)\b", text, re.I):
            return True
        return False
