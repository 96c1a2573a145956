"""One article's extraction: which sentences spaCy parses, the rules over each parsed sentence, the merge.

The rules live in one module per decision (see bot/extract/__init__.py); this module wires them together
around one shared ArticleContext.
"""

from __future__ import annotations

import logging
from datetime import datetime

from bot.extract.assembly import Assembler
from bot.extract.carry import Carry
from bot.extract.context import ArticleContext, Mention
from bot.extract.dates import Dates
from bot.extract.gazetteer import Gazetteer
from bot.extract.kinds import Kinds
from bot.extract.names import SummitNames
from bot.extract.participants import Participants
from bot.extract.patterns import DATELINE, EMBED_STAMP, WIRE_DATELINE
from bot.extract.people import scan_nicknames, scan_titles
from bot.extract.places import Places, dateline_place
from bot.extract.reading import SentenceReader
from bot.extract.roles import Roles
from bot.extract.sentences import MAX_SENTENCE_CHARS, Prefilter, blank, split_sentences
from bot.extract.status import Status
from bot.extract.tense import Tenses
from bot.extract.triggers import TriggerFinder
from bot.models import Meeting


log = logging.getLogger(__name__)

__all__ = ["ArticleExtraction", "Mention", "split_sentences"]


class ArticleExtraction:
    """The extraction of one article: prepare() the sentences to parse, finish() with their parses."""

    def __init__(self, text: str, published: datetime, gazetteer: Gazetteer, nlp, *, prefilter: bool = True,
                 summit_lookup=None, disabled: frozenset[str] = frozenset()):
        self.text = text
        self.nlp = nlp
        self.prefilter = prefilter
        self.ctx = ArticleContext(text, published, gazetteer, summit_lookup=summit_lookup, disabled=disabled)
        ctx = self.ctx
        participants = Participants(ctx)
        dates = Dates(ctx)
        self.carry = Carry(ctx, participants, dates)
        self.reader = SentenceReader(ctx, TriggerFinder(ctx), participants, Roles(ctx, participants),
                                     SummitNames(ctx), Kinds(ctx), Places(ctx), Tenses(ctx), dates,
                                     Status(ctx, dates), self.carry)
        self.participants = participants
        self.assembler = Assembler(ctx)
        self._sentences: list[tuple[int, str]] = []
        self._parse: list[bool] = []
        self._held: list[int] = []  # meeting sentences the cheap prefilter did not keep (held_back, admit)

    def run(self) -> list[Meeting]:
        return self.finish(list(self.nlp.pipe(self.prepare(), batch_size=32)))

    def prepare(self) -> list[str]:
        """The sentences spaCy must parse (none when the article cannot hold a meeting)."""
        self.ctx.dateline = dateline_place(self.text, self.ctx.g)
        text = DATELINE.sub(blank, self.text, count=1)
        text = WIRE_DATELINE.sub(blank, text)
        text = EMBED_STAMP.sub(blank, text)
        self._sentences = split_sentences(text)
        scan_titles(text, self.ctx.people)
        if self.ctx.on("name forms"):
            scan_nicknames(text, self.ctx.people)
        if self.prefilter and self.ctx.on("prefilter"):
            prefilter = Prefilter(self.ctx)
            self._parse = prefilter.select([s for _, s in self._sentences])
            # Held back for the classifier's second look: only in an article the cascade kept a sentence of.
            # Where nothing dates, names or cancels a meeting, most news, the look admits nothing the rules
            # can read (dev and train gain the same without it, train one false meeting fewer) and would cost
            # a classifier read of every meeting sentence of every such article.
            self._held = [i for i, (keep, candidate) in enumerate(zip(self._parse, prefilter.candidates))
                          if candidate and not keep] if any(self._parse) else []
        else:
            self._parse = [len(s) < MAX_SENTENCE_CHARS for _, s in self._sentences]
        return self.planned()

    def planned(self) -> list[str]:
        """The sentences to parse, in order (what prepare() returned, with the sentences admit() added)."""
        return [s for (_, s), keep in zip(self._sentences, self._parse) if keep]

    @property
    def sentence_count(self) -> int:
        """How many sentences the article has (after prepare())."""
        return len(self._sentences)

    def held_back(self) -> list[str]:
        """The sentences with a meeting word that the cheap prefilter did not keep (none too long to parse, none when
        the prefilter is off or kept nothing): the sentence classifier may admit() some of them (bot.extract.Extractor)."""
        return [self._sentences[i][1] for i in self._held]

    def admit(self, which: list[bool]) -> None:
        """Parse the held-back sentences marked True (in held_back()'s order) after all."""
        for i, yes in zip(self._held, which):
            if yes:
                self._parse[i] = True

    def finish(self, docs) -> list[Meeting]:
        """Apply the rules to the parsed sentences (in the order prepare() gave them)."""
        if not any(self._parse):
            return []
        docs = iter(docs)
        for index, ((_, sentence), parse) in enumerate(zip(self._sentences, self._parse)):
            if not parse:
                self.carry.light_context(sentence)
                self.participants.note_subject(sentence)  # "Tillerson is on a two-day visit. He is also expected to meet"
                continue
            doc = next(docs)
            self.ctx.read(doc)
            self.participants.register(doc)
            try:
                self.reader.read(doc, index, True)
            except Exception:  # a parse we did not foresee never loses the article
                log.exception("sentence rules failed: %r", sentence[:200])
        return self.assembler.merge()
