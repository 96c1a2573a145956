"""Who the sentence names: people (through the article's people index), states acting as parties, groups."""

from __future__ import annotations

import re

from bot.extract.context import ArticleContext
from bot.extract.patterns import (
    BARE_TITLE, CAPITALISED, COUNTED_GROUP, GROUP_REF, INVITATION, LEADERS_OF, NUMBERS, OFFICE_HEADS, OFFICE_SUBJECT,
    OFFICIALS_OF, REPORTING, SPOUSE, STATE_GROUPS, TITLE_REF,
)
from bot.extract.people import LEADER_TITLES, OFFICIAL_WORDS
from bot.extract.syntax import is_institution, is_scene, is_venue, token_at, unique

# Office words that only a head of state or government holds ("the president" is no foreign minister).
LEADER_HEADS = frozenset({"president", "premier", "chancellor", "leader", "king", "queen", "monarch", "emir", "sultan"})


class Participants:
    """The people and states a sentence names, and who a pronoun, a title or a group stands for."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def register(self, doc) -> None:
        for ent in self.ctx.ents:
            if ent.label_ == "PERSON" and len(ent) <= 5 and not is_institution(doc, ent) \
                    and not self.ctx.g.summit_pattern.search(ent.text):  # "BRICS Set to Welcome ..." in a headline
                title_words = {t.lower_ for t in doc[max(0, ent.start - 3):ent.start]}
                official = bool(title_words & OFFICIAL_WORDS)
                if len(ent) >= 2 or self.ctx.people.resolve(ent.text) is None:
                    if len(ent) >= 2 or official:
                        self.ctx.people.add(ent.text, official=official)

    def note_subject(self, sentence: str) -> None:
        """The first known person a sentence names: who a following 'he' or 'she' most likely is."""
        pronoun = re.search(r"\b(?:he|she|He|She)\b", sentence)
        office = OFFICE_SUBJECT.search(sentence[:120]) if self.ctx.on("office subjects") else None
        for m in CAPITALISED.finditer(sentence[:120]):
            if pronoun and pronoun.start() < m.start():
                return  # "There, he plans to meet Anwar": still the same person
            if office and office.start() < m.start():
                # "The foreign minister will then meet Rex Tillerson": the same person as well, unless the
                # article has one holder of the office named ("The Prime Minister will ...")
                title = BARE_TITLE.match(sentence, office.start())
                who = self.ctx.people.by_title(title.group(1)) if title else None
                self.ctx.last_named = who or self.ctx.last_named
                return
            who = self.ctx.people.resolve(m.group(0))
            if who and (self.ctx.people.is_official(who) or m.start() == 0):  # "Tillerson is on a working visit."
                self.ctx.last_named = who
                return

    def person_mentions(self, doc) -> list[tuple[int, int, str, int]]:
        """(start_char, end_char, canonical, token index) for every person the sentence names."""
        out = []
        taken = set()
        for ent in self.ctx.ents:
            if ent.label_ in ("PERSON", "ORG", "NORP", "GPE") and ent.label_ != "GPE":
                if is_institution(doc, ent):
                    continue
                if SPOUSE.search(self.ctx.sentence_text[max(0, ent.start_char - 25):ent.start_char]):
                    taken.update(range(ent.start, ent.end))
                    continue  # "Yoon and first lady Kim Keon Hee will depart": she travels, she does not negotiate
                canonical = self.ctx.people.resolve(ent.text)
                if canonical is None and ent.label_ == "PERSON" and len(ent) >= 2 \
                        and not self.ctx.g.summit_pattern.search(ent.text):  # "BRICS Set to Welcome ..."
                    canonical = self.ctx.people.add(ent.text)
                if canonical:
                    out.append((ent.start_char, ent.end_char, canonical, ent.root.i))
                    taken.update(range(ent.start, ent.end))
        # Names spaCy missed or mislabelled ("Trump" as ORG, "Xi" unlabelled): known surnames.
        for tok in doc:
            if tok.i in taken or not tok.text[:1].isupper() or tok.pos_ not in ("PROPN", "NOUN", "ADJ", "VERB") \
                    or tok.ent_type_ in ("DATE", "TIME", "GPE", "NORP", "ORG") and tok.pos_ != "PROPN":
                continue
            canonical = self.ctx.people.resolve(tok.text)
            if canonical:
                out.append((tok.idx, tok.idx + len(tok.text), canonical, tok.i))
        # "the Chinese president", "his Russian counterpart" with no name after it.
        for m in TITLE_REF.finditer(self.ctx.sentence_text):
            after = self.ctx.sentence_text[m.end():m.end() + 40]
            if re.match(r"\s*,?\s*[A-Z][a-z]+", after) and self.ctx.people.resolve(after.strip(" ,").split()[0]):
                continue
            country = self.ctx.g.country(m.group(1).strip())
            if country:
                who = self.ctx.people.by_country(country, m.group(2))
                if who:
                    tok = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                    out.append((m.start(), m.end(), who, tok.root.i if tok is not None else 0))
        # "the premier", "the Prime Minister": the article's one holder of that office.
        for m in BARE_TITLE.finditer(self.ctx.sentence_text):
            who = self.ctx.people.by_title(m.group(1), self._titled_here(m.group(1), out))
            if who and not any(a <= m.start() < b for a, b, _, _ in out):
                tok = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
                if tok is not None:
                    out.append((m.start(1), m.end(1), who, tok.root.i))
        out.sort()
        return out

    def _titled_here(self, title: str, named: list[tuple[int, int, str, int]]) -> frozenset[str]:
        """'The Prime Minister will hold talks with Prime Minister X': whom the sentence itself names with the
        title is not who the bare title stands for, but another holder of it."""
        if not self.ctx.on("office subjects"):
            return frozenset()
        text = self.ctx.sentence_text
        titled = re.compile("(?i:" + re.escape(title) + r")[^\S\n]+(?:[A-Z][\w.'’-]*[^\S\n]+){0,2}$")
        return frozenset(who for start, _, who, _ in named if titled.search(text, max(0, start - 60), start))

    def country_mentions(self, doc) -> list[tuple[int, int, str, int]]:
        """States named as actors (GPE entities the gazetteer knows), in the shape of person mentions."""
        out = []
        for ent in self.ctx.ents:
            if ent.label_ == "GPE" and not is_scene(ent.root) and not is_venue(ent.root):
                country = self.ctx.g.country(ent.text)
                if country and not (ent.end < len(doc) and doc[ent.end].lower_ in ("'s", "’s")):
                    out.append((ent.start_char, ent.end_char, country, ent.root.i))
        return out

    def office_subject(self, subj, objects: list[str]) -> str | None:
        """'The visiting minister will meet X', 'the Indian official is to hold talks with X': a subject naming
        nobody but an office, 'the' one, is the traveller of the trip the text reported last, else the person the
        text is about (the one a 'he' would be), unless a country it names is not that person's, or is a
        counterpart's."""
        if not any(c.dep_ == "det" and c.lower_ == "the" for c in subj.children) or subj.tag_ not in ("NN", "NNP"):
            return None  # "the two diplomats" are no one person
        head = subj.lemma_.lower()
        if head not in OFFICE_HEADS or head == "general" and not (subj.i > 0 and subj.nbor(-1).text == "-"):
            return None
        if any(c.dep_ in ("prep", "nummod") for c in subj.children) \
                or not any(self.ctx.people.is_official(o) for o in objects):
            return None  # "the president of the chamber"; a meeting with an official
        named = {self.ctx.g.country(w.text) for w in subj.subtree if w.i < subj.i and w.text[:1].isupper()} - {None}
        for who in (self.ctx.traveller, self.ctx.last_named):
            if who is None or who in objects or who != self.ctx.traveller and not self.ctx.people.is_official(who):
                continue
            person = self.ctx.people.people.get(who)
            titles = person.titles if person is not None else set()
            if titles and head in LEADER_HEADS and not titles & LEADER_TITLES:
                continue  # "the progressive leader" is not the foreign minister who travelled before him
            if any(self.party(who) not in (None, country) or any(self.party(o) == country for o in objects)
                   for country in named):
                continue  # "the British prime minister" is no Australian's office
            return who
        return None

    def is_speaker(self, doc, i: int) -> bool:
        """A person who reports (subject of 'said'), or is quoted as a source ('according to X')."""
        if not self.ctx.on("speaker filter"):
            return False
        tok = doc[i]
        if any(a.lower_ == "according" for a in tok.ancestors):
            return True  # "according to another official", however long the phrase
        span = self.ctx.ent_at(i)
        if span is not None and span.label_ == "PERSON" and (
                span.end < len(doc) and doc[span.end].lemma_.lower() in REPORTING and doc[span.end].tag_ in (
                    "VBD", "VBZ", "VBP")
                or span.start > 0 and doc[span.start - 1].lower_ in ("spokesperson", "spokesman", "spokeswoman")):
            return True  # "..., foreign ministry spokesperson Hua Chunying announced on Friday" (however parsed)
        cur = tok
        for _ in range(4):
            if cur.dep_ in ("nsubj", "nsubjpass") and cur.head.lemma_.lower() in REPORTING:
                return True
            if cur.dep_ in ("compound", "poss", "appos", "conj") or cur.dep_ in ("pobj",) and cur.head.lower_ == "of":
                cur = cur.head
                continue
            if cur.dep_ == "pobj" and cur.head.lower_ == "to" and cur.head.head.lower_ == "according":
                return True
            break
        return False

    def leaders_of_states(self, doc, tok) -> list[str]:
        """'the two Koreas' leaders', 'the leaders of the two countries': the states' leaders the article names."""
        local = self.ctx.local_tokens(doc, tok)
        m = next((m for m in LEADERS_OF.finditer(self.ctx.sentence_text) if token_at(doc, m.start()) in local), None)
        if m is None:
            return []
        group = (m.group("group") or m.group("group2") or "").lower()
        if group in STATE_GROUPS:
            states = list(STATE_GROUPS[group])
        elif group:
            states = unique([c for _, _, c, _ in self.country_mentions(doc)])
        else:
            states = unique([c for w in re.findall(r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?", m.group(0))
                             if (c := self.ctx.g.country(w))])
        if len(states) != 2:
            return []
        leaders = [self.ctx.people.leader_of(state) for state in states]
        return leaders if all(leaders) else []

    def officials_of_states(self, doc, tok) -> list[str]:
        """'The leaders of Germany, France and Britain will meet', 'the Serbian and Kosovar leaders', 'the
        foreign ministers of Russia and Ukraine': for each state listed, the one official of that office the
        article names; nobody unless at least two are found."""
        local = self.ctx.local_tokens(doc, tok)
        for m in OFFICIALS_OF.finditer(self.ctx.sentence_text):
            office_i = token_at(doc, m.end() - 1)
            office_tok = doc[office_i] if office_i is not None else None
            subject = office_tok is not None and office_tok.dep_ in ("nsubj", "nsubjpass") \
                and office_tok.head.i in (tok.i, tok.head.i)  # "... foreign ministers will hold talks"
            if token_at(doc, m.start()) not in local and office_i not in local and not subject:
                continue
            items = re.split(r",\s*|\s+and\s+", m.group("states") or m.group("states2"))
            states = unique([c for item in items
                             if (c := self.ctx.g.country(re.sub(r"^[Tt]he\s+|['’]s?$", "", item.strip())))])
            office = (m.group("office") or m.group("office2")).lower()
            found = unique([o for state in states if (o := self.ctx.people.official_of(state, office))])
            if len(found) >= 2:
                return found
        return []

    def host(self, people, visitor: str) -> str | None:
        """The person a visit is made at the invitation of ('at the invitation of Uzbek President Shavkat
        Mirziyoyev', 'as a guest of ...'), when the sentence names one."""
        m = INVITATION.search(self.ctx.sentence_text)
        if m is None:
            return None
        after = [p for p in people if m.end() <= p[0] <= m.end() + 80 and p[2] != visitor
                 and not self.ctx.g.is_state(p[2])]
        return after[0][2] if after else None

    def group_ref(self, doc, tok) -> bool:
        """'The two leaders, now set to meet', 'They will meet': a group the trigger's people are. A 'their'
        outside the trigger's clause is someone else's ('Kim could visit Seoul, as agreed at their summit')."""
        local = self.ctx.local_tokens(doc, tok)
        return any(m.group(0).lower() != "their" or token_at(doc, m.start()) in local
                   for m in GROUP_REF.finditer(self.ctx.sentence_text))

    def group(self, text: str) -> list[str]:
        """Who a group reference names: the last participants, or for "the three leaders" the last meeting
        of three."""
        counted = COUNTED_GROUP.search(text)
        if counted:
            n = NUMBERS[counted.group(1).lower()]
            if len(self.ctx.last_participants) != n:
                earlier = next((list(m.participants) for m in reversed(self.ctx.mentions) if len(m.participants) == n),
                               None)
                if earlier is None and len(self.ctx.recent_people) == n:
                    # "he would present his plan to Biden during a visit ... the two leaders would meet"
                    earlier = list(self.ctx.recent_people)
                return earlier or []
        return list(self.ctx.last_participants)

    def party(self, name: str) -> str | None:
        """The state a participant stands for: the state itself, or a person's country."""
        if self.ctx.g.is_state(name):
            return self.ctx.g.country(name)
        person = self.ctx.people.people.get(name)
        return person.country if person is not None else None

    def quoted_speaker(self, doc, tok, at: dict[int, str]) -> str | None:
        """Who says the quote this token is in: the 'I' of '"... I ...," Obama said'."""
        cur = tok
        for _ in range(6):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.lemma_.lower() in REPORTING:
                names = [at[t.i] for c in cur.children if c.dep_ == "nsubj" for t in c.subtree if t.i in at]
                return names[-1] if names else None
        return None

    def reporter(self, doc, tok, at: dict[int, str]) -> str | None:
        """The person who says the clause this token is in: the antecedent of its 'he'."""
        if tok.head.dep_ == "relcl" and self.ctx.on("office subjects"):
            # "Lavrov will be in Cuba, where he will meet X, the spokeswoman said": the 'he' of a clause on a
            # place is whoever the clause holding the place is about, not the one who reports it
            cur = tok.head.head
            for _ in range(4):
                subject = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subject is not None:
                    if subject.i in at:
                        return at[subject.i]
                    break
                if cur.head.i == cur.i:
                    break
                cur = cur.head
        cur = tok.head
        for _ in range(6):
            if cur.lemma_.lower() in REPORTING or cur.lemma_.lower() in ("announce", "promise", "vow", "pledge"):
                between = doc[min(tok.i, cur.i):max(tok.i, cur.i)].text
                if '"' in between or "”" in between or "“" in between:
                    return None  # '"... he is going to meet Kishida," Matsuno said': a speaker is not 'he'
                for child in cur.children:
                    if child.dep_ in ("nsubj",):
                        names = [at[t.i] for t in child.subtree if t.i in at]
                        if names:
                            return names[-1]
            if cur.head.i == cur.i:
                break
            cur = cur.head
        # "Modi will embark on a visit on Friday during which he will hold discussions": a 'he' in a
        # subordinate clause is the person the governing clause is about.
        cur = tok.head
        for _ in range(6):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                subject = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i), None)
                if subject is not None:
                    if subject.i in at or tok.head.dep_ not in ("advcl", "relcl"):
                        return at.get(subject.i)  # a person, not "the Moon-Kim call"
                    # "The leaders of Britain and France will call Trump before he has a conversation with
                    # Putin": states are no 'he'; the person named last before it is
                    before = [at[i] for i in sorted(at) if subject.i < i < tok.i]
                    return before[-1] if before else None
        return None
