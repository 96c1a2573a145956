"""Named gatherings: 'the Sixth WTO Ministerial Conference', 'the SAARC summit', 'the 32nd Ministerial Council
of the OSCE'. A grammar over capitalisation finds the names; a classifier trained on the corpus decides which
of them a sentence reports as an intergovernmental meeting (and not a tech summit, a rate meeting, a party
congress or a body named in passing).

The grammar is one family, not a list of phrasings: a run of capitalised words (acronyms, ordinals and
hyphenated pairs included, joined by 'of', 'for', 'and' ...) ending in a gathering noun ('Summit',
'Conference', 'Council', 'Talks' ...), or capitalised modifiers before a lower-case one ('the G20 foreign
ministers' meeting'), or a gathering noun followed by 'of the' and a capitalised body ('the 38th summit of the
Organisation of African Unity'); then an 'of ...' tail and an acronym in brackets. Words that only rank or
point at the gathering ('The', 'Next', 'Upcoming') are not part of its name; an ordinal is ('the 43rd Regular
Meeting'), as the text gives it.

The classifier (``make train``: config/gathering.cfg, bot/learn.py) reads the sentence with the name marked
and normalised like the sentence classifier's input, so that it learns the phrasing around names and the
words that make a name diplomatic, not the names of the articles it saw.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

from bot.extract.classifier import TextClassifier, load_committed, normalise
from bot.extract.context import ArticleContext, Mention, Trigger, make_mention
from bot.extract.dates import Dates, is_ending, stated_extent
from bot.extract.patterns import LEGISLATURES, NON_DIPLOMATIC
from bot.extract.places import Places
from bot.extract.status import Status
from bot.extract.tense import Tenses
from bot.names import summit_name_words
from bot.temporal import Found

log = logging.getLogger(__name__)

MODEL_DIR = Path(__file__).resolve().parent / "model_gathering"
LABEL = "GATHERING"
THRESHOLD = 0.7  # how sure the classifier must be that a sentence reports a meeting by the name (set on dev)

# Words that date or point at a gathering, never part of its name ("Monday's summit", "Today's summit").
_NOT_NAME_WORDS = (r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|"
                r"June|July|August|September|October|November|December|Today|Tomorrow|Yesterday|Tonight|This|That|"
                r"These|Those|Next|Last|Upcoming|Its|Their|His|Her|Our)\b")
# A capitalised word, an acronym with dots ("U.N."), a hyphenated pair ("EU-China"), an ordinal or number.
_WORD = rf"(?:(?!{_NOT_NAME_WORDS})(?:[A-Z]\.(?:[A-Z]\.)+|[A-Z][\w'’&+]*(?:-[\w'’&+]+)*)|\d+(?:st|nd|rd|th))"
_JOIN = r"(?:of(?:[ \t]+the)?|for|on|and|or|de|du|des|in|to|&)"  # "the" only after "of": not "Lima for the ..."
_ACRONYM = r"\([A-Z][\w&.+-]*\)"
# (a plural "Summits" names several: the coordinated-summits family splits them)
_HEAD = (r"(?:Summit|Conference|Meeting|Council|Forum|Dialogue|Assembly|Session|Talks|Ministerial|Congress|"
         r"Retreat|Consultations|Gathering|Negotiations)")
_HEAD_LOW = _HEAD.lower()
_HEAD_WORD = re.compile(_HEAD, re.I)
# "the G20 foreign ministers' meeting", "the SAARC heads of state summit": who meets, between body and noun
_TIER = (r"(?:(?:leaders|heads of (?:state|government)(?: and government)?|(?:foreign|finance|defen[cs]e|trade|"
         r"economy|economic|energy|health|agriculture|environment|interior|justice)[ \t]+ministers|ministerial|"
         r"ministers|senior officials|peace|nuclear|trade|climate|security)[’']?[ \t]+)?")
_CAPITAL_HEAD = rf"(?:{_WORD}[ \t]+(?:{_JOIN}[ \t]+)*){{0,8}}{_HEAD}\b"
_LOWER_HEAD = rf"{_WORD}(?:[ \t-]+(?:{_JOIN}[ \t]+)*{_WORD}){{0,5}}(?:[ \t]+{_ACRONYM})?[ \t-]+{_TIER}(?:{_HEAD_LOW})\b"
_HEAD_OF = rf"(?:{_HEAD_LOW})\b(?=[ \t]+of[ \t]+(?:the[ \t]+)?[A-Z])"
_CHAIN = rf"{_WORD}(?:(?:[’']s)?[ \t]+(?:{_JOIN}[ \t]+)*(?:{_WORD}|{_ACRONYM})){{0,14}}"
_TAIL = rf"(?:[ \t]+(?:of|on|for)[ \t]+(?:the[ \t]+)?{_CHAIN})?(?:[ \t]*{_ACRONYM})?"
GATHERING_NAME = re.compile(rf"\b(?:{_LOWER_HEAD}|{_CAPITAL_HEAD}|{_HEAD_OF}){_TAIL}")
_RANKING = re.compile(r"^(?:(?:The|A|An|This|That|Its|Their|His|Her|Next|Last|Upcoming)[ \t]+)+")
_TITLE_AFTER = re.compile(r"[ \t]*(?:Vice[ \t-]+)?(?:President|Chair(?:man|woman|person)?|Secretary|Secretariat|"
                          r"Commissioner|[Ss]pokes(?:man|woman|person)|[Oo]fficials?|[Mm]embers?)\b")
_DANGLING = re.compile(r"(?:[ \t]+(?:of|for|on|and|in|de|the|&|to))+$")


def gathering_names(sentence: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of each named gathering the grammar finds in a sentence."""
    out = []
    for m in GATHERING_NAME.finditer(sentence):
        if _TITLE_AFTER.match(sentence, m.end()):
            continue  # "European Council President Antonio Costa": a body in an officer's title
        raw = _DANGLING.sub("", m.group(0).rstrip(" \t,.;:’'"))
        name = _RANKING.sub("", raw)
        if len(name.split()) < 2 and not re.search(r"[A-Z]{2}", name):
            continue  # "Talks", "Summit": a capitalised noun at the start of a sentence names nothing
        start = m.start() + len(raw) - len(name)
        out.append((start, start + len(name), name))
    return out


def _legislature(name: str) -> bool:
    """A legislature's or a party's sitting ('a joint meeting of Congress'): domestic politics, however named."""
    return bool({w.lower() for w in re.findall(r"[\w']+", name)} & LEGISLATURES)


def marked(sentence: str, start: int, end: int) -> str:
    """What the classifier reads: the sentence normalised, the name between brackets of its own."""
    return normalise(f"{sentence[:start]} [[ {sentence[start:end]} ]] {sentence[end:]}")


@lru_cache(maxsize=1)
def load_gathering_classifier() -> TextClassifier | None:
    """The committed gathering classifier, or None when it is missing: no named gathering is then proposed."""
    return load_committed(MODEL_DIR, "gathering classifier")


def scored_names(ctx: ArticleContext, sentence: str) -> list[tuple[int, int, str, float]]:
    """(start, end, name, P(the sentence reports a meeting by it)) of the sentence's gathering names; [] without
    the model. Kept per article: the prefilter asks before spaCy parses, the proposer after."""
    if sentence not in ctx.gathering_scores:
        score_all([(ctx, [sentence])])
    return ctx.gathering_scores.setdefault(sentence, [])  # no name, or no model: nothing to score


def score_all(pending: list[tuple[ArticleContext, list[str]]]) -> None:
    """scored_names for many articles' sentences at once: the classifier reads every name in one batch (one
    small batch per sentence costs more in overhead than in reading); later calls find them kept."""
    todo = [(ctx, sentence, gathering_names(sentence)) for ctx, sentences in pending
            for sentence in dict.fromkeys(sentences) if sentence not in ctx.gathering_scores]
    todo = [item for item in todo if item[2]]
    classifier = load_gathering_classifier() if todo else None
    if classifier is None:
        return
    cats = iter(classifier.cats([marked(sentence, s, e) for _, sentence, names in todo for s, e, _ in names]))
    for ctx, sentence, names in todo:
        ctx.gathering_scores[sentence] = [(s, e, n, next(cats).get(LABEL, 0.0)) for s, e, n in names]


def reports_gathering(ctx: ArticleContext, sentence: str, threshold: float = THRESHOLD) -> bool:
    """Whether the classifier is sure that a sentence reports a meeting by a name the grammar finds in it."""
    return any(p >= threshold for _, _, _, p in scored_names(ctx, sentence))


def same_gathering(a: str | None, b: str | None) -> bool:
    """Two names of one gathering: the telling words of one contain the other's ('OSCE Ministerial Council')."""
    wa, wb = summit_name_words(a), summit_name_words(b)
    return bool(wa and wb) and (wa <= wb or wb <= wa)


class GatheringProposer:
    """A meeting for each named gathering a sentence reports (the classifier says so), where no trigger of the
    sentence already made one of that name: dated, placed and labelled by the same collaborators as a trigger's."""

    def __init__(self, ctx: ArticleContext, tenses: Tenses, dates: Dates, places: Places, status: Status,
                 threshold: float = THRESHOLD):
        self.ctx = ctx
        self.tenses = tenses
        self.dates = dates
        self.places = places
        self.status = status
        self.threshold = threshold

    def propose(self, doc, found: list[Found], made: dict[int, list[Mention]], cues: list[int],
                order: int) -> list[Mention]:
        """The meetings of the sentence's named gatherings. ``made``: the meetings its triggers made, by where
        each trigger is; a name around a trigger is that trigger's meeting (see _inside_trigger)."""
        if not self.ctx.on("named gatherings"):
            return []
        text = self.ctx.sentence_text
        names = []
        for start, end, name, p in scored_names(self.ctx, text):
            if self._inside_trigger(start, end, name, made):
                continue  # the trigger's meeting, under the fuller of the two names
            if not any(same_gathering(name, m.name) for ms in made.values() for m in ms):
                names.append((start, end, name, p))
        places = None
        out: list[Mention] = []
        for start, end, name, p in names:
            if p < self.threshold or any(same_gathering(name, m.name) for m in out) or (
                    self.ctx.on("non-diplomatic filter") and (NON_DIPLOMATIC.search(name) or _legislature(name))):
                continue  # "the ASEAN Business and Investment Summit": business, whatever body it names
            trig = self._head(doc, start, end)
            if trig is None:
                continue
            tense = self.tenses.verb_tense(doc, trig) or self.tenses.sentence_tense(doc)
            dates, tense = self.dates.own_date(doc, trig, 0, [trig], found, tense, 0, len(text))
            if places is None:
                places = [pl for pl in self.places.find(doc) if not (start <= pl[0] < end)]
            locs, location, _, _ = self.places.for_trigger(doc, doc[trig.i], trig, trig, places, "multilateral", name,
                                                           None, dates, None, False, 0, len(text))
            name = self.ctx.g.summit(name) or name  # "the Asia-Pacific Economic Cooperation summit": "APEC summit"
            cancelled = bool(cues) and self.status.cancelled([trig], 0, cues)
            label = self.status.label(doc, trig, dates, tense, cancelled, text)
            mention = make_mention([], "multilateral", name, location, locs, dates, label,
                                   self.status.certainty(text, label, name), text, order, None)
            mention.lemma = trig.lemma
            if self.ctx.on("stated length"):
                # "A two-day meeting of the Joint Commission will open on March 21": the named gathering's length
                mention.extent, mention.ends = stated_extent(text, start, end, len(text)), is_ending(doc[trig.i])
            out.append(mention)
            if dates is not None:
                self.ctx.summit_dates.setdefault(name, (dates, location))
            self.ctx.named_summits.setdefault(name)
        return out

    def _inside_trigger(self, start: int, end: int, name: str, made: dict[int, list[Mention]]) -> bool:
        """Whether a trigger inside the name made a meeting: then that meeting takes the grammar's name when it
        is the fuller form of the trigger's ('43rd Regular Meeting of ... (CARICOM) Conference of Heads of
        Government' for 'Meeting of the Caribbean Community's'), unless the gazetteer named it ('NATO summit')."""
        inside = [m for at, ms in made.items() if start <= at < end for m in ms]
        for mention in inside:
            if mention.name and not self.ctx.g.summit(mention.name) and same_gathering(name, mention.name) \
                    and len(summit_name_words(name)) > len(summit_name_words(mention.name)):
                mention.name = name
        return bool(inside)

    @staticmethod
    def _head(doc, start: int, end: int) -> Trigger | None:
        """The gathering noun of a name as a trigger: its first token that is one ('Council' in 'Ministerial
        Council of the OSCE')."""
        for tok in doc:
            if start <= tok.idx < end and _HEAD_WORD.fullmatch(tok.text):
                return Trigger(tok.i, tok.lower_, tok.text, tok.idx, tok.idx + len(tok.text), tok.lemma_.lower())
        return None
