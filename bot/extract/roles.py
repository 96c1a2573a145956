"""Who meets whom for one trigger: its subject and object sides from the parse, pronouns and speakers resolved."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.extract.context import ArticleContext, Trigger
from bot.extract.participants import Participants
from bot.extract.people import OFFICIAL_WORDS
from bot.extract.patterns import ARRANGING, GROUP_REF, RECEIVING, SPOKESPEOPLE
from bot.extract.syntax import acting_subject, brings_together, calls_on, is_sender, unique


@dataclass
class Cast:
    """Who meets at one trigger."""

    agents: list[str]  # the subject side ("Trump" in "Trump will meet Xi")
    counterparts: list[str]  # the object side
    names: list[str]  # everyone, in order
    together: bool  # several counterparts meet at once, not one bilateral each


class Roles:
    """Who meets whom for one trigger."""

    def __init__(self, ctx: ArticleContext, participants: Participants):
        self.ctx = ctx
        self.participants = participants

    def sides(self, doc, tok, people) -> tuple[list[str], list[str]]:
        """(subject side, object side) of a trigger from the parse: 'Trump plans to have talks with Lee'."""
        at: dict[int, str] = {}
        for start, end, canonical, _ in people:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                for t in span:
                    at[t.i] = canonical

        titled = self.ctx.on("titled names")

        def persons(tokens) -> list[str]:
            tokens = list(tokens)
            if titled:  # "with his Turkish counterpart Recep Tayyip Erdogan", the name parsed as the verb's
                tokens += [doc[t.i + 1] for t in tokens if t.lower_ in OFFICIAL_WORDS and t.i + 1 < len(doc)]
            return unique([at[t.i] for t in tokens if t.i in at and not self.participants.is_speaker(doc, t.i)
                           and not is_sender(doc[t.i])])

        objects: list[str] = []
        owner: list[str] = []  # whose meeting a meeting noun is ("Putin's talks with ...")
        if tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ in ("dobj", "dative", "attr") or (child.dep_ == "prep" and child.lower_ in (
                        "with", "between", "among")) or (child.dep_ == "prep" and child.lower_ == "on" and calls_on(tok)):
                    objects += persons(child.subtree)
            verb = tok
        else:
            objects = persons(t for t in tok.subtree if t.i != tok.i)
            if self.ctx.on("several hosts"):
                # "Putin's talks with Presidents A and B", "the minister's meetings with X and Y": whose the meetings
                # are is the one who meets the others, not one of those met
                owner = [n for c in tok.children if c.dep_ == "poss" for n in persons(c.subtree)]
                objects = [n for n in objects if n not in owner]
            verb = None
            if tok.dep_ in ("dobj", "attr", "oprd"):
                verb = tok.head
            elif tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent"):
                verb = tok.head.head
                if verb.pos_ == "PROPN" and verb.dep_ == "pobj" and verb.head.dep_ == "prep":
                    verb = verb.head.head  # "travel ... for the Group of 20 summit": the name's head hangs there
            elif tok.dep_ == "conj" and tok.head.dep_ in ("dobj",):
                verb = tok.head.head
            elif tok.dep_ == "conj" and tok.head.pos_ == "VERB" and tok.head.lemma_.lower() in ("attend", "join"):
                verb = tok.head  # "will attend the G7 and NATO summits", parsed as two things he does
            if brings_together(tok):  # "The gathering will bring together Abe, Li and Moon"
                objects += [p for c in tok.head.children if c.dep_ == "dobj" for p in persons(c.subtree)]
            for child in (verb.children if verb is not None else []):
                if child.dep_ == "prep" and child.lower_ in ("with", "between"):
                    objects += persons(child.subtree)
                elif child.dep_ == "dobj" and child.i != tok.i and tok.dep_ == "pobj" and verb.lemma_.lower() in (
                        "host", "invite", "welcome", "receive", "meet", "join"):
                    objects += persons(child.subtree)  # "Biden will host Ruto ... for talks"
        subjects: list[str] = []
        voice = None  # a subject that is no person: "U.S. officials did not rule out a meeting with Xi"
        cur = verb
        for _ in range(6):
            if cur is None:
                break
            if (verb is None or cur.i != verb.i) and cur.lemma_.lower() in ARRANGING:
                # "Kishida is coordinating with Yoon to hold a summit meeting": the partner of the arranging
                for child in cur.children:
                    if child.dep_ == "prep" and child.lower_ == "with":
                        objects += persons(child.subtree)
            subs = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
            if not subs and cur.pos_ == "NOUN" and cur.dep_ in ("ccomp", "ROOT", "conj"):
                # "Trump plans to ...", misparsed as a compound noun.
                subs = [c for c in cur.children if c.dep_ == "compound" and c.i in at]
            if subs and subs[0].lower_ in ("what", "which", "that") and cur.head.i != cur.i:
                cur = cur.head  # "hold what is expected to be a final meeting": the subject is the holder's
                continue
            if subs:
                # "PM Narendra Modi will hold": a title the parse makes a second subject
                subj = next((c for c in subs if persons(c.subtree)), subs[0])
                subjects = persons(subj.subtree)
                voice = subj
                if any(t.lower_ == "i" for t in subj.subtree):
                    # '"Michelle and I look forward to meeting with President Bush," Obama said'
                    speaker = self.participants.quoted_speaker(doc, subj, at)
                    if speaker:
                        # "Michelle and I": the speaker's family is not a party to the meeting
                        surname = speaker.split()[-1]
                        subjects = unique([speaker] + [p for p in subjects if p.split()[-1] != surname])
                low = subj.lower_
                pronoun = next((t for t in subj.subtree if t.lower_ in ("he", "she")), None)
                if subjects and pronoun is not None:
                    # "he and Japanese Prime Minister Shigeru Ishiba will hold ..."
                    reporter = self.participants.reporter(doc, subj, at)
                    extra = reporter or (self.ctx.last_participants[0] if self.ctx.last_participants else None)
                    if extra:
                        subjects = unique([extra] + subjects)
                if not subjects and low in ("he", "she"):
                    reporter = self.participants.reporter(doc, subj, at)
                    if reporter and self.ctx.last_named and reporter != self.ctx.last_named and subj.i == 0 and any(
                            at.get(t.i) == reporter for t in doc[subj.i:] if t.dep_ == "nsubj"):
                        # "She will later call on President Murmu, Momen said.": a sentence that opens with
                        # 'she' continues the previous one; the speaker named after it is someone else
                        reporter = None
                    if reporter:
                        subjects = [reporter]
                    elif self.ctx.last_named:
                        subjects = [self.ctx.last_named]
                    elif self.ctx.last_participants:
                        subjects = [self.ctx.last_participants[0]]
                elif not subjects and objects and self.ctx.on("office subjects") and (
                        principal := self.participants.office_subject(subj, objects)):
                    subjects = [principal]  # "the visiting minister will also meet X"
                elif not subjects and re.search(r"\b(?:two|both) (?:sides|countries|nations|governments|Koreas)\b",
                                                " ".join(t.text for t in subj.subtree)):
                    states = unique([c for _, _, c, _ in self.participants.country_mentions(doc)])
                    if len(states) == 2:
                        subjects = states  # "Seoul proposed to Pyongyang that the two sides hold talks"
                    elif len(self.ctx.last_participants) >= 2:
                        subjects = list(self.ctx.last_participants)
                elif not subjects and not any(c.dep_ in ("compound", "amod", "nmod") for c in subj.children) and (
                        low in ("they", "leaders", "sides", "both") or GROUP_REF.search(
                        " ".join(t.text for t in subj.subtree))) and len(self.ctx.last_participants) >= 2 \
                        and self.ctx.on("group references"):
                    subjects = self.participants.group(" ".join(t.text for t in subj.subtree))
                break
            if (cur.dep_ in ("xcomp", "conj", "acl", "advcl", "pcomp", "prep", "acomp", "relcl")
                    or cur.dep_ == "advmod" and cur.pos_ == "ADV") and cur.head.i != cur.i:  # "depart ... ahead of a meeting"
                if cur.dep_ == "relcl" and cur.head.dep_ not in ("dobj", "pobj"):
                    break
                if cur.dep_ in ("acl", "relcl") and cur.head.dep_ in ("dobj", "pobj") and cur.head.head.i != cur.head.i:
                    # "he would attend a forum to be held in Vladivostok ... and have a meeting with Putin":
                    # past the forum to whoever attends it
                    cur = cur.head.head
                    if cur.dep_ == "prep" and cur.head.i != cur.i:
                        cur = cur.head
                else:
                    cur = cur.head
            else:
                break
        if not objects and tok.pos_ == "VERB" and tok.lemma_.lower() in RECEIVING and self.ctx.last_named \
                and self.ctx.last_named not in subjects and any(
                    c.dep_ == "dobj" and c.lower_ in ("him", "her") for c in tok.children):
            objects = [self.ctx.last_named]  # "Trump is expected to host him for a dinner": the guest named before
        if owner and not subjects:
            subjects = owner
        elif owner:  # "The minister will host Tillerson's visit": whose it is is met by the clause's subject
            objects = unique(owner + objects)
        if not subjects and tok.pos_ != "VERB" and len(objects) == 1 and voice is not None \
                and voice.lemma_.lower() in SPOKESPEOPLE and self.ctx.last_named and self.ctx.last_named not in objects:
            subjects = [self.ctx.last_named]  # the meeting the officials speak of is their principal's
        if not subjects and tok.pos_ != "VERB" and any(c.dep_ == "poss" and c.lower_ in ("his", "her")
                                                        for c in tok.children):
            # "Trump said after his meeting with Xi": the owner is the person named before, speaker or not
            before = [at[i] for i in sorted(at) if i < tok.i]
            his = before[-1] if before else self.ctx.last_named
            if his and his not in objects:
                subjects = [his]
        return subjects, objects

    def cast(self, doc, trig: Trigger, k: int, triggers: list[Trigger], people, name: str | None, lo: int,
             hi: int) -> Cast:
        """Who meets at one trigger: the sides the parse gives, else the states, the leaders of the states
        named, or the group the text refers to."""
        text = self.ctx.sentence_text
        tok = doc[trig.i]
        # Participants: the clause's subject side (before the first trigger) is shared; each trigger
        # takes the people between it and the next trigger.
        first = triggers[0]
        agents = [p for p in people if p[1] <= first.start_char and not self.participants.is_speaker(doc, p[3])]
        counter = [p for p in people if trig.start_char <= p[0] < hi and not self.participants.is_speaker(doc, p[3])]
        if k > 0:
            between = [p for p in people if lo <= p[0] < trig.start_char
                       and not self.participants.is_speaker(doc, p[3])]
            counter = between + counter if not counter else counter
        syn_agents, syn_counter = self.sides(doc, tok, people)
        together = False  # several counterparts met at once, not one bilateral each
        if trig.lemma == "summit" and tok.tag_ == "NN" and not any(
                c.lower_ in ("bilateral", "separate", "individual") for c in tok.children):
            together = True  # "Germany will host a summit with France and Poland": one summit of three
        if syn_agents or syn_counter:
            agent_names = unique(syn_agents)
            counter_names = [n for n in unique(syn_counter) if n not in agent_names]
            if not agent_names and counter_names and k > 0 and tok.pos_ == "VERB" and acting_subject(tok) is None:
                # "Guterres will attend the BRICS summit ..., and is expected to meet Putin on the sidelines":
                # a later verb with no subject of its own shares the first one's
                agent_names = [n for n in unique([p[2] for p in agents]) if n not in counter_names]
            if counter_names:
                # "will speak with Putin on Saturday as well as Merkel and Hollande" (a list the parse lost)
                later = [p[2] for p in counter if re.search(r"\bas well as\b", text[trig.end_char:p[0]])]
                # "a bilateral meeting with UK counterpart Rishi Sunak, and Japanese PM Fumio Kishida", the
                # last name misparsed as a conjunct of the verb
                verb = tok if tok.pos_ == "VERB" else tok.head
                later += [p[2] for p in counter if p[0] > trig.end_char and doc[p[3]].dep_ == "conj"
                          and doc[p[3]].head.i == verb.i and verb.pos_ == "VERB"]
                counter_names = unique(counter_names + [n for n in later if n not in agent_names])
            if not counter_names and tok.pos_ == "VERB":
                # "when Lula meets two US envoys: Jake Sullivan and Juan Gonzalez" (a list the parse lost)
                listed = [p for p in counter if ":" in text[trig.end_char:p[0]]]
                counter_names = [n for n in unique([p[2] for p in listed]) if n not in agent_names]
        elif name is not None:
            agent_names, counter_names = [], []
        else:
            agent_names = unique([p[2] for p in agents])
            counter_names = [n for n in unique([p[2] for p in counter]) if n not in agent_names]
        names = unique(agent_names + counter_names)
        if len(names) < 2 and name is None and self.ctx.on("leaders of states"):
            officials = self.participants.leaders_of_states(doc, tok)
            if len(unique(names + officials)) < 2:
                officials = self.participants.officials_of_states(doc, tok)
            names = unique(names + officials)
            if len(agent_names) == 1 and not counter_names and self.ctx.on("several hosts"):
                # "he will meet with the presidents of both countries": the officials are whom he meets
                counter_names = [n for n in officials if n not in agent_names]
        if len(names) < 2 and name is None and self.ctx.on("group references") \
                and self.participants.group_ref(doc, tok) and (
                len(self.ctx.last_participants) >= 2 or len(self.ctx.recent_people) >= 2):
            names = unique(names + self.participants.group(text))
        return Cast(agent_names, counter_names, names, together)
