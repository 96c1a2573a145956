"""The summit a trigger names ('the G20 summit', 'the 15th India-Japan Annual Summit') and the summit it is
held at ('on the sidelines of the G20 summit').
"""

from __future__ import annotations

import re

from bot.extract.context import ArticleContext
from bot.extract.patterns import MINISTERIAL, NAMED_AFTER, OCCASION, TIERS, TRIP_NOUNS
from bot.extract.syntax import body_named, tidy_name


class SummitNames:
    """The summit a trigger names and the summit it is held at."""

    def __init__(self, ctx: ArticleContext):
        self.ctx = ctx

    def summit_name(self, doc, trig, summits, lo, hi) -> tuple[str | None, str | None]:
        """The summit this trigger names (a gazetteer body or a proper-noun phrase), and an occasion it is held at."""
        tok = doc[trig.i]
        left = self.ctx.sentence_text[max(0, trig.start_char - 70):trig.start_char]
        occasion = None
        # "on the sidelines of the G20 summit": the meeting is held at that summit.
        for s_start, s_end, canonical in summits:
            pre = self.ctx.sentence_text[max(0, s_start - 45):s_start]
            if OCCASION.search(pre) and (s_start > trig.end_char or s_end < trig.start_char):
                occasion = canonical
                if MINISTERIAL.match(self.ctx.sentence_text, s_end):  # "the sidelines of the OSCE ministerial"
                    occasion = canonical.removesuffix(" summit") + " ministerial"
        if occasion is None:  # "on the sidelines of the Eastern Economic Forum": a summit named by its own words
            for named in self.ctx.named_summits:
                at = self.ctx.sentence_text.find(named)
                if at >= 0 and (at > trig.end_char or at + len(named) < trig.start_char) \
                        and OCCASION.search(self.ctx.sentence_text[max(0, at - 45):at]):
                    occasion = named
        # "On the margins of the summit": the summit the article is about.
        if occasion is None and self.ctx.recent_summit and re.search(
                r"\b(?:(?:sidelines|margins|fringes|on the occasion) of (?:the|this|that) (?:summit|gathering|meeting)"
                r"|(?:on|at) the (?:sidelines|margins|fringes)(?! of))\b", self.ctx.sentence_text, re.I):
            occasion = self.ctx.recent_summit
        # "Commonwealth leaders will meet for the CHOGM", "gather at the G20": the body's summit.
        if tok.pos_ == "VERB" and trig.lemma in ("meet", "gather", "convene") and not any(
                c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ == "with" for c in tok.children):
            for c in tok.children:  # (but "Biden will meet Xi at APEC" is their meeting there)
                named = body_named(c, ("for", "at"), summits)
                if named:
                    return named, None
        # "APEC leaders will meet on Friday": a body's leaders meeting as that body.
        if tok.pos_ == "VERB" and trig.lemma in ("meet", "gather", "convene"):
            subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.lemma_.lower() in ("leader", "minister", "head", "member"):
                span = doc[subject.left_edge.i:subject.right_edge.i + 1]
                for s_start, s_end, canonical in summits:
                    if span.start_char <= s_start and s_end <= span.end_char:
                        if subject.lemma_.lower() == "minister":  # "G7 finance ministers will meet": not the summit
                            # "G7 finance ministers", "Foreign ministers of ASEAN": the ministers' own words
                            words = " ".join(t.text if t.pos_ == "PROPN" else t.lower_
                                             for t in [*subject.lefts, subject] if t.dep_ not in (
                                                 "det", "poss", "punct") and not s_start <= t.idx < s_end)
                            return tidy_name(f"{canonical.removesuffix(' summit')} {words} meeting"), occasion
                        return canonical, occasion
        if trig.lemma in TRIP_NOUNS:
            return None, occasion  # "a State Visit", "the Official Visit": a journey, however capitalised, is no summit
        headline = self.ctx.headline  # "Kerry, Lavrov to Hold Bilateral Meeting": capitals name nothing
        # A capitalised trigger named by what follows it: "a Summit of the Future", "the Summit for Democracy".
        if tok.pos_ != "VERB" and tok.text[:1].isupper() and tok.i > 0 and not headline:
            after = NAMED_AFTER.match(self.ctx.sentence_text, trig.end_char)
            if after and not self.ctx.people.resolve(after.group(1).split()[-1]):
                return tidy_name(tok.text + after.group(0)), occasion
        # A capitalised name ending in the trigger: "the 15th India-Japan Annual Summit".
        if tok.pos_ != "VERB" and tok.text[:1].isupper() and tok.i > 0 and not headline:
            before = self.ctx.sentence_text[max(0, trig.start_char - 80):trig.end_char]
            m = re.search(r"((?:(?:[A-Z][\w'’.-]*|of|and|the|for|on|de)\s+){0,7}[A-Z][\w'’.-]*\s+)" + re.escape(tok.text) + "$",
                          before)
            if m:
                words = (m.group(1) + tok.text).split()
                while words and (words[0].lower() in ("the", "of", "and", "for", "on", "a", "an") or words[0][:1].isdigit()
                                 or re.fullmatch(r"\d+(?:st|nd|rd|th)", words[0])):
                    words = words[1:]
                if len(words) >= 2 and not any(self.ctx.people.resolve(w) for w in words[:-1]):
                    return tidy_name(" ".join(words)), occasion
        # A body right before the trigger noun: "the NATO summit", "the Group of 7 summit".
        if tok.pos_ != "VERB":
            for s_start, s_end, canonical in summits:
                if s_start <= trig.start_char < s_end:
                    return canonical, None  # the alias itself names the meeting: "the NATO summit"
                gap = self.ctx.sentence_text[s_end:trig.start_char]
                if 0 <= trig.start_char - s_end <= 40 and re.fullmatch(r"\)?[\s\w'’-]*", gap) and len(gap.split()) <= 4:
                    extra = [w for w in re.findall(r"[\w'’]+", gap) if w.lower() not in (
                        "leaders", "leaders'", "summit", "the", "annual", "s", "heads", "of", "state", "government")]
                    if extra and (trig.lemma in ("dinner", "session", "conference", "forum", "gathering")
                                  or {w.lower() for w in extra} & TIERS):  # "the ASEAN Economic Ministers meeting"
                        short = canonical.replace(" summit", "")
                        phrase = self.ctx.sentence_text[s_start:trig.end_char]
                        return tidy_name(short + self.ctx.sentence_text[s_end:trig.end_char] if phrase else None), None
                    if trig.lemma == "ministerial" and MINISTERIAL.match(self.ctx.sentence_text, s_end):
                        return canonical.removesuffix(" summit") + " ministerial", None  # its ministers' meeting
                    if trig.lemma in ("summit", "meeting", "talks", "talk", "session", "dinner", "gathering",
                                      "conference", "forum"):
                        return canonical, None
            # "the gathering of European Union leaders (European Council)": the body after the trigger noun
            if trig.lemma in ("gathering", "summit", "meeting", "conference", "session"):
                for c in tok.children:
                    named = body_named(c, ("of",), summits)
                    if named:  # "the annual high-level meeting of the U.N. General Assembly": the body's own meeting
                        return named, None
                    if c.dep_ == "prep" and c.lower_ == "of" and any(
                            t.lemma_.lower() in ("leader", "head", "minister") for t in c.subtree):
                        # "... of European Union heads at the European Council in Brussels"
                        lo_char, hi_char = c.idx, tok.right_edge.idx + len(tok.right_edge.text) + 2
                        named = [canonical for s_start, s_end, canonical in summits
                                 if lo_char <= s_start and s_end <= hi_char]
                        if named:
                            return named[0], None
            # "the multilateral gathering", "the summit" when the sentence names exactly one body.
            if trig.lemma in ("summit", "gathering") and len({c for _, _, c in summits}) == 1 and occasion is None:
                if re.search(r"\b(?:multilateral|the)\s+$", left) or trig.lemma == "summit":
                    only = summits[0][2]
                    if not any(doc[t].ent_type_ == "PERSON" for t in range(tok.i + 1, min(len(doc), tok.i + 4))):
                        return only, None
            # A proper-noun phrase: "the 15th India-Japan Annual Summit", "the Engaging Fiji Meeting".
            words = [t for t in tok.lefts if t.dep_ in ("compound", "amod", "nmod", "nummod", "poss", "npadvmod")]
            if words and not headline and trig.lemma in ("summit", "meeting", "session", "dinner", "forum", "conference",
                                                         "dialogue"):
                start = min(w.left_edge.i for w in words)
                span = doc[start:tok.i + 1]
                propn = [t for t in span if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i != span.start)]
                institution = sum(1 for t in span if t.pos_ == "PROPN") >= 3 and not any(
                    t.ent_type_ in ("GPE", "NORP", "PERSON") for t in span)  # "the North Atlantic Council meeting"
                if propn and tok.text[:1].isupper() or sum(1 for t in span if t.pos_ == "PROPN") >= 2 and (
                        tok.text[:1].isupper() or "-" in span.text) or institution:
                    clean = [t for t in span if t.dep_ not in ("det",) and t.ent_type_ != "ORDINAL" and t.pos_ != "DET"
                             and t.lower_ not in ("first", "second", "third", "next", "upcoming", "planned")]
                    if clean and not any(t.ent_type_ == "PERSON" for t in clean):
                        return tidy_name(doc[clean[0].i:tok.i + 1].text), occasion
        venue_named = any(c.dep_ == "compound" and c.ent_type_ in ("GPE", "LOC") for c in tok.children)
        if tok.pos_ != "VERB" and self.ctx.recent_summit and occasion is None and venue_named and trig.lemma in (
                "talks", "talk", "meeting", "summit", "gathering") \
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            return self.ctx.recent_summit, None  # "the Johannesburg talks" after "a G20 summit in South Africa"
        if tok.pos_ != "VERB" and trig.lemma in ("summit", "gathering") and self.ctx.recent_summit and occasion is None \
                and any(c.dep_ == "poss" or c.dep_ == "det" and c.lower_ not in ("a", "an") for c in tok.children) \
                and not any(doc[t].ent_type_ == "PERSON" for t in range(max(0, tok.i - 3), min(len(doc), tok.i + 4))):
            return self.ctx.recent_summit, None  # "the summit", "its next summit": the one the article named
        return None, occasion

    def summit_mentions(self, doc) -> list[tuple[int, int, str]]:
        return [(start, end, canonical) for start, end, text in self.ctx.summit_spans
                if (canonical := self.ctx.g.summit(text))]
