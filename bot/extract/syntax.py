"""Small questions about spaCy tokens and text that several rules ask ('is this token a venue?')."""

from __future__ import annotations

import re

from bot.extract.patterns import (
    CALLED_OFF, HEADLINE_LOWER, INSTITUTION_NEXT, JOURNEYS, LANDS, MEET_NOUNS, RECEIVING, SCENES, TRIP_NOUNS,
)
from bot.extract.people import OFFICIAL_WORDS
from bot.names import name_key


def is_headline(text: str) -> bool:
    """A title-case line ("Kerry, Lavrov to Hold Bilateral Meeting in Belgrade This Week"): every longer
    word is capitalised, so capitals do not mark proper names there."""
    words = re.findall(r"[A-Za-z][\w'’-]{3,}", text)
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= 4 and all(w[0].isupper() or w.lower() in HEADLINE_LOWER for w in words)


def brings_together(tok) -> bool:
    """The meeting is the subject of who it gathers: 'the gathering will bring together Abe, Li and Moon'."""
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in ("bring", "gather", "include", "involve", "unite") and any(
        c.dep_ == "dobj" for c in tok.head.children)


def under_verb(tok, top) -> bool:
    """A verb lies between tok and its ancestor top ("before heading to Vietnam for the summit")."""
    cur = tok
    while cur.i != top.i and cur.head.i != cur.i:
        cur = cur.head
        if cur.pos_ == "VERB" and cur.i != top.i:
            return True
    return False


def during_trip(tok):
    """The trip noun whose 'during which' clause holds this token: 'a three-day visit to San Francisco,
    during which the president will attend a summit' (spaCy hangs the clause on the main verb)."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX"):
            break
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    if cur.pos_ not in ("VERB", "AUX"):
        return None
    if not any(c.dep_ == "prep" and c.lower_ in ("during", "in") and any(g.lower_ == "which" for g in c.children)
               for c in cur.children):
        return None
    trips = [t for t in tok.doc[:cur.i] if t.lemma_.lower() in TRIP_NOUNS | {"stay"} and t.pos_ == "NOUN"]
    return trips[-1] if trips else None


def calls_on(tok) -> bool:
    """'call on President Murmu' (a courtesy call), not 'call on Russia to withdraw' (an appeal)."""
    if tok.lemma_.lower() != "call" or any(c.dep_ in ("xcomp", "ccomp") for c in tok.children):
        return False
    return any(c.dep_ == "prep" and c.lower_ == "on" and any(
        g.dep_ == "pobj" and (g.ent_type_ == "PERSON" or g.pos_ == "PROPN" and any(
            t.lower_ in OFFICIAL_WORDS for t in g.subtree)) and not any(x.dep_ in ("xcomp", "acl", "relcl") for x in g.children)
        for g in c.children) for c in tok.children)


def acting_subject(tok):
    """Who does what the trigger names: its verb's subject, up through the verb that holds it
    ("ministers agreed to hold talks")."""
    cur = tok
    for _ in range(3):
        subject = next((c for c in cur.children if c.dep_ == "nsubj"), None)
        if subject is not None or cur.dep_ not in ("dobj", "xcomp") or cur.head.i == cur.i:
            return subject
        cur = cur.head
    return None


def subtree_text(tok) -> str:
    """The text of a token's subtree."""
    return tok.doc[tok.left_edge.i:tok.right_edge.i + 1].text


def is_called_off(tok) -> bool:
    """A meeting noun that is cancelled or put off ('cancelled the June 12 summit'): it was still ahead."""
    return tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubjpass") and tok.head.i != tok.i \
        and tok.head.lemma_.lower() in CALLED_OFF


def tidy_name(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
    # "Leaders of the Pacific Islands Forum will meet": the forum is the name, its leaders are who meet
    text = re.sub(r"^(?:leaders|heads of (?:state|government)|members|(?:foreign )?ministers)\s+of\s+(?:the\s+)?",
                  "", text, flags=re.I)
    return text.strip(" ,.") or None


def unique(items) -> list:
    seen, out = set(), []
    for x in items:
        key = name_key(x) if isinstance(x, str) else x
        if x and key not in seen:
            seen.add(key)
            out.append(x)
    return out


def tok_head_lemma(tok) -> str:
    return tok.head.lemma_.lower() if tok.head.i != tok.i else ""


def is_sender(tok) -> bool:
    """'Trump's special envoy Steve Witkoff': Trump sends, the envoy meets."""
    root = tok
    while root.dep_ in ("compound", "flat") and root.head.i != root.i:
        root = root.head
    return root.dep_ == "poss" and root.head.lemma_.lower() in (
        "envoy", "representative", "adviser", "advisor", "aide", "spokesman", "spokeswoman", "spokesperson",
        "minister", "secretary", "negotiator", "emissary", "ambassador", "office", "government", "administration")


def is_institution(doc, ent) -> bool:
    """'a Cheong Wa Dae official': a name used for an institution, not a person who meets."""
    nxt = doc[ent.end] if ent.end < len(doc) else None
    return nxt is not None and nxt.lower_ in INSTITUTION_NEXT and nxt.lower_ != "said" and ent.start > 0 \
        and doc[ent.start - 1].lower_ in ("a", "an", "the", "another", "one", "two", "three")


def is_venue(tok) -> bool:
    """A state named as where the meeting is held, not as a party: 'to hold talks in Oman'."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at") and tok.head.head.lemma_.lower() in MEET_NOUNS


def is_scene(tok) -> bool:
    """A state named as where something happens, not as a party: 'the wars in Gaza, Ukraine and Sudan'."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in ("in", "over") and tok.head.head.lemma_.lower() in SCENES


def titles_name(text: str, match: re.Match) -> bool:
    """'U.S. Mideast envoy Steve Witkoff': the delegate word is one named person's title, not a delegation."""
    return match.group(0)[-1] != "s" and bool(re.match(r"\s+[A-Z][a-z]", text[match.end():]))


def is_sightseeing(tok) -> bool:
    """'to visit a Toyota battery plant', 'a visit to the shrine': a place visited, not a state or a leader."""
    if tok.lemma_.lower() != "visit":
        return False
    if tok.pos_ == "VERB":
        return any(c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lemma_.lower() not in LANDS for c in tok.children)
    return any(c.lower_ == "to" and any(o.dep_ == "pobj" and o.pos_ == "NOUN" and o.lemma_.lower() not in LANDS
                                        for o in c.children) for c in tok.children)


def body_named(prep, words: tuple[str, ...], summits) -> str | None:
    """The summit whose body a preposition's object names: 'for the CHOGM', 'of the U.N. General Assembly'."""
    if prep.lower_ not in words:
        return None
    body = next((o for o in prep.children if o.dep_ == "pobj"), None)
    return next((canonical for start, end, canonical in summits if body is not None and start <= body.idx < end),
                None)


def token_at(doc, char: int) -> int | None:
    """The index of the token at a character offset."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None else None


def clause_tokens(doc, tok) -> set[int]:
    """Tokens that belong to the trigger's own clause: its subtree (minus other clauses) and the
    modifiers of the verbs that govern it ('will take place in Busan', 'hold a summit in Seoul')."""
    skip = ("relcl", "advcl", "ccomp", "parataxis") if tok.pos_ == "VERB" else ("relcl", "advcl", "ccomp",
                                                                              "parataxis")
    out: set[int] = set()

    def add(node, first=False):
        if not first and node.dep_ in skip:
            return
        if not first and node.dep_ == "conj" and node.pos_ == "VERB":
            return
        if not first and node.dep_ == "prep" and node.lower_ in ("before", "after") and any(
                c.dep_ == "pcomp" for c in node.children):
            return  # "will meet Sisi before flying to Addis Ababa": another leg of the trip
        out.add(node.i)
        for child in node.children:
            add(child)

    def add_place(head):  # the whole name: "Addis Ababa", not only its head word
        j = head.i
        while j > 0 and doc[j].ent_iob_ == "I":
            j -= 1
        out.update(range(j, head.i + 1))

    def antecedent(clause):  # "will visit Chongqing, Shanghai and Beijing, where he will meet Xi": Beijing
        listed = [t for t in clause.head.subtree if t.i < clause.left_edge.i and t.ent_type_ in ("GPE", "LOC")
                  and (t.i == clause.head.i or t.dep_ == "conj")]
        return max(listed, key=lambda t: t.i) if listed else clause.head

    add(tok, True)
    trip = during_trip(tok)
    if trip is not None:  # "a two-day visit to Nepal on Friday, during which he will hold talks with Oli"
        for child in trip.children:
            if child.dep_ == "prep" and child.lower_ == "to":
                add(child)
    cur = tok
    for _ in range(5):
        if cur.dep_ == "relcl" and cur.head.ent_type_ in ("GPE", "LOC"):
            add_place(antecedent(cur))  # "in Japan, where he and Ishiba will hold the summit"
            break
        if cur.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "xcomp", "prep", "acl") and cur.head.i != cur.i:
            cur = cur.head
            for child in cur.children:
                if child.dep_ == "prep" and child.i not in out and (child.lower_ in ("in", "at") or (
                        child.lower_ == "to" and cur.lemma_.lower() in TRIP_NOUNS | RECEIVING | JOURNEYS)):
                    # "a visit to Berlin for talks with Merkel": the talks are in Berlin; "will welcome
                    # Ruto to the White House for a state visit": the visit is there
                    add(child)
            if cur.dep_ == "relcl" and cur.head.ent_type_ in ("GPE", "LOC") and any(
                    c.lower_ == "where" for c in cur.children):
                add_place(antecedent(cur))  # "flying to Addis Ababa, where he will hold talks with Abiy"
                break
            if cur.pos_ == "VERB" and cur.dep_ not in ("xcomp", "aux", "prep"):
                break
        else:
            break
    return out
