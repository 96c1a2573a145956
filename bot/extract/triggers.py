"""Triggers: the words that name a meeting in a parsed sentence ('meet', 'talks', 'summit', 'travel to')."""

from __future__ import annotations

from bot.extract.context import ArticleContext, Trigger
from bot.extract.patterns import (
    ADMIN_MODIFIERS, DIPLOMATIC_CONTEXT, LEGISLATURES, MEET_NOUNS, MEET_VERBS, PHONE, SEQUENCE,
)
from bot.extract.syntax import brings_together, calls_on, is_sightseeing, subtree_text, under_verb


class TriggerFinder:
    """The triggers of a parsed sentence: meeting verbs and nouns and journeys."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def find(self, doc) -> list[Trigger]:
        phone = bool(PHONE.search(self.ctx.sentence_text))
        # One pass over the tokens; the triggers keep the order of the three kinds, each in token order.
        words, trips = [], []
        for tok in doc:
            pos = tok.pos_
            if pos not in ("VERB", "NOUN", "PROPN"):
                continue
            lemma = tok.lemma_.lower() if tok.lower_ != "summits" else "summit"  # "the East Asia Summits": PROPN
            found = self._word_trigger(tok, pos, lemma, tok.lower_, phone)
            if found is not None:
                words.append(found)
            if pos == "VERB" and lemma in ("travel", "fly", "head", "land", "arrive"):
                found = self._trip_trigger(tok, lemma) if self.ctx.on("travel visits") else None
                if found is not None:
                    trips.append(found)
        return self._keep_triggers(doc, words + trips)

    def _word_trigger(self, tok, pos: str, lemma: str, low: str, phone: bool) -> Trigger | None:
        """A meeting verb or noun ("meet", "talks", "summit"), unless its context says otherwise."""
        if pos == "VERB" and lemma in MEET_VERBS:
            if lemma == "call" and calls_on(tok):
                # "will later call on President Droupadi Murmu": a courtesy call, a meeting in person
                return Trigger(tok.i, "meet", tok.text, tok.idx, tok.idx + len(tok.text), "meet")
            if lemma == "call" and not phone and not any(
                    c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in tok.children):
                return None
            if lemma == "call" and any(c.lower_ in ("for", "on") for c in tok.children):
                return None
            if lemma in ("talk", "speak") and not (phone or any(
                    c.lower_ == "with" for c in tok.children)):
                return None
            if lemma == "host" and not any(c.dep_ in ("dobj",) and (c.lower_ in MEET_NOUNS or c.ent_type_ in (
                    "PERSON", "NORP", "GPE") or c.lower_ in ("him", "her")) for c in tok.children):
                return None
            if lemma == "receive" and not any(c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in tok.children):
                return None  # "will receive Zelenskiy": an audience; "received a letter": nothing
            if lemma == "attend" and not any(c.lower_ in MEET_NOUNS or c.ent_type_ == "ORG" for c in tok.subtree):
                return None
            if lemma in ("gather", "sit") and not any(c.lower_ in ("down", "with", "for") for c in tok.children) \
                    and not (lemma == "gather" and self._body_leaders(tok)):
                return None
            if lemma == "visit" and is_sightseeing(tok):
                return None  # "she will also visit the shrine in Ajmer": sightseeing on a visit, not a visit
            return Trigger(tok.i, lemma, tok.text, tok.idx, tok.idx + len(tok.text), lemma)
        if pos in ("NOUN", "PROPN") and (lemma in MEET_NOUNS or low in MEET_NOUNS):
            if low in ("call", "calls") and not (phone or self.ctx.phone_seen or any(
                    c.lower_ in ("with", "between") or (c.dep_ in ("compound", "poss") and c.pos_ == "PROPN")
                    for c in tok.children)):
                return None
            if low in ("calls",) and any(c.lower_ == "for" for c in tok.children):
                return None
            mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "poss", "nmod")
                    and not (self.ctx.on("counted-party talks") and any(n.dep_ == "nummod" for n in c.children))}
            if mods & ADMIN_MODIFIERS and not self._has_body(tok):
                return None
            if lemma in ("trip", "tour") and not any(c.lower_ in ("to",) for c in tok.children):
                return None
            if low == "ministerial" and tok.dep_ in ("compound", "amod"):
                return None  # "the Ministerial Council meeting": the meeting is the trigger
            if lemma in ("meeting", "session") and any(
                    c.lower_ == "of" and any(o.dep_ == "pobj" and o.lower_ in LEGISLATURES for o in c.children)
                    for c in tok.children):
                return None  # "will address a joint meeting of Congress": a legislature sits, no leaders meet
            if lemma == "visit" and is_sightseeing(tok):
                return None  # "a visit by Biden to a Samsung semiconductor plant": a stop on a visit
            if lemma in ("dialogue", "summitry", "diplomacy") and not any(
                    c.dep_ in ("det", "poss", "nummod") for c in tok.children) and tok.head.lemma_.lower() not in (
                    "hold", "have", "resume", "start", "launch", "open", "begin", "conduct"):
                return None  # "no substitute for direct leader to leader dialogue": dialogue in general
            if lemma in ("conference", "forum", "session", "dinner", "gathering") and not (
                    self._has_body(tok) or PHONE.search(tok.sent.text) or "leader" in tok.sent.text.lower()
                    or brings_together(tok)
                    or pos == "PROPN" and tok.text[:1].isupper() and DIPLOMATIC_CONTEXT.search(tok.sent.text)):
                # "the Eastern Economic Forum" in a sentence about presidents: a forum that has a name
                return None
            return Trigger(tok.i, lemma, tok.text, tok.idx, tok.idx + len(tok.text), lemma)
        return None

    def _trip_trigger(self, tok, lemma: str) -> Trigger | None:
        """A journey to a country, or to any city for talks: a visit."""
        if any(t.lemma_.lower() in MEET_NOUNS and not under_verb(t, c) for c in tok.children if c.dep_ == "prep"
               for t in c.subtree):
            # "travel to Vienna for talks": the talks are the meeting; "to join talks": a trip and talks.
            # But "travel to Japan from Nov 3 before heading to Vietnam for the summit": a trip, then the summit.
            return None
        into = ("in",) if lemma in ("land", "arrive") else ("to",)
        to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in into), None)
        dest = next((t for t in (to.children if to is not None else []) if t.dep_ == "pobj"), None)
        purpose = any(t.lemma_.lower() in MEET_NOUNS and not is_sightseeing(t) for t in tok.subtree if t.i != tok.i)
        if dest is not None and dest.ent_type_ == "GPE" and (purpose or self.ctx.g.country(
                next((e.text for e in self.ctx.ents if e.start <= dest.i < e.end), dest.text))):
            # A country, or any city when the trip is for talks ("to Vienna ... to join negotiations")
            return Trigger(tok.i, "visit", tok.text, tok.idx, tok.idx + len(tok.text), "visit")
        return None

    def _keep_triggers(self, doc, out: list[Trigger]) -> list[Trigger]:
        """The triggers that name a meeting of their own, adjacent nouns joined."""
        # "hold talks", "have a meeting": the noun carries the meeting; drop a verb trigger whose object is one.
        nouns = {t.i for t in out if doc[t.i].pos_ != "VERB"}
        keep = []
        for t in out:
            tok = doc[t.i]
            if tok.pos_ == "VERB" and any(c.i in nouns for c in tok.children) and not (
                    t.lemma in ("meet", "visit") and any(c.dep_ == "dobj" and c.ent_type_ in ("PERSON", "GPE")
                                                         for c in tok.children)):
                continue  # but "will meet Trump at the White House on Tuesday, his first visit": both
            if tok.pos_ == "VERB" and t.lemma in ("attend", "host", "convene") and any(
                    c.i in nouns for c in tok.subtree):
                continue
            named_object = any(c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in tok.children)
            if self.ctx.on("meetings during a trip") and (named_object or calls_on(tok)):
                within = SEQUENCE | {"during", "in", "on"}  # "During the visit, he will call on President X"
            else:
                within = SEQUENCE if named_object else set()
            if tok.pos_ == "VERB" and any(g.i in nouns and g.dep_ == "pobj" for c in tok.children
                                          if c.dep_ == "prep" and c.lower_ not in within for g in c.children):
                # "leaders will gather in Washington ... for a summit": the summit is the meeting; but "will call
                # Zelenskiy after the call with Putin" is a meeting of its own
                continue
            keep.append(t)
        # Adjacent noun triggers ("phone talks", "summit meeting") are one.
        merged: list[Trigger] = []
        for t in keep:
            if merged and t.i == merged[-1].i + 1 and doc[t.i].pos_ != "VERB" and doc[merged[-1].i].pos_ != "VERB":
                prev = merged[-1]
                merged[-1] = Trigger(t.i, prev.kind_hint + "+" + t.kind_hint, prev.text + " " + t.text,
                                     prev.start_char, t.end_char, t.lemma)
            else:
                merged.append(t)
        return merged

    def _body_leaders(self, verb) -> bool:
        """'G7 leaders will gather', 'the leaders of the Group of Seven gather': a body's leaders or
        ministers are the subject."""
        return any(c.dep_ == "nsubj" and c.lemma_.lower() in ("leader", "minister", "head")
                   and self.ctx.g.summit_pattern.search(subtree_text(c)) for c in verb.children)

    def _has_body(self, tok) -> bool:
        span_text = " ".join(t.text for t in tok.subtree if t.i <= tok.i + 1)
        left = tok.doc[max(0, tok.i - 8):tok.i + 1].text
        return bool(self.ctx.g.summit_pattern.search(span_text) or self.ctx.g.summit_pattern.search(left))
