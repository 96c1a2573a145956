"""The learned article-level decision: does an article announce any upcoming meeting at all?

The sentence classifier and the meeting model (bot.extract.classifier, bot.extract.vetting) judge a sentence and a
proposed meeting; neither reads the article as a whole. An article on a business summit, a party congress, a
summit that has ended or a court hearing can still hold one sentence that reads like an announcement, and then a
meeting lands in someone's channel. What the whole article is about says more: its words and word pairs.

The model is multinomial naive Bayes over the article's hashed words and word pairs (title and text, lower case,
each counted once), as log-count ratios (Wang and Manning, "Baselines and bigrams", 2012): the sum of the ratios
of the article's features and a prior is the log-odds that it announces an upcoming meeting. It is fitted on the
train split by ``python -m bot.learn_articles train`` (a step of ``make train``), deterministic, and committed as a
weight vector (``model_articles.npy``, float16) with a JSON beside it naming the train split's SHA-256.
``Thresholds.article`` is the log-odds below which an article's upcoming meetings are dropped (past and cancelled
ones stay: they announce nothing); ``Thresholds.article = None`` turns it off. Naive Bayes
log-odds are sharper than probabilities (the features are not independent), so the threshold is a log-odds, set
where the train split's out-of-fold scores and dev agree.
"""

from __future__ import annotations

import json
import logging
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.models import Meeting

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "model_articles.json"
DIM = 1 << 18  # hashed feature buckets: 2^16 lost 0.003 of AUC on dev and out of fold
ALPHA = 1.0  # add-one smoothing of the counts
_TOKEN = re.compile(r"[a-z]+|\d+")


def feature_ids(title: str | None, text: str | None) -> np.ndarray:
    """The hashed buckets of an article's words and adjacent word pairs, each bucket once (two grams that hash
    to one bucket are one feature: ``fit`` counts a bucket once per article, so ``log_odds`` must too)."""
    tokens = _TOKEN.findall(f"{title or ''}\n{text or ''}".lower())
    grams = set(tokens)
    grams.update(map(" ".join, zip(tokens, tokens[1:])))
    return np.unique(np.fromiter((zlib.crc32(g.encode()) & (DIM - 1) for g in grams), dtype=np.int64,
                                 count=len(grams)))


@dataclass(frozen=True)
class ArticleModel:
    """Log-count ratios per bucket and the prior log-odds."""

    ratios: np.ndarray
    prior: float

    def log_odds(self, ids: list[np.ndarray]) -> np.ndarray:
        """For each article (its feature ids), the log-odds that it announces an upcoming meeting."""
        return np.array([float(self.ratios[x].sum()) + self.prior for x in ids])


def fit(ids: list[np.ndarray], labels: np.ndarray) -> ArticleModel:
    """Naive Bayes log-count ratios from articles' feature ids and whether each announces an upcoming meeting
    (ValueError unless both kinds of article are there: the prior would be infinite)."""
    labels = np.asarray(labels, dtype=float)
    if not 0 < labels.sum() < len(labels):
        raise ValueError(f"naive Bayes needs articles of both kinds ({int(labels.sum())} of {len(labels)} announce)")
    pos, neg = np.full(DIM, ALPHA), np.full(DIM, ALPHA)
    for x, y in zip(ids, labels):
        (pos if y else neg)[x] += 1
    share = float(np.mean(labels))
    return ArticleModel(np.log(pos / pos.sum()) - np.log(neg / neg.sum()), float(np.log(share / (1 - share))))


def write(model: ArticleModel, path: Path = MODEL_PATH, **facts) -> None:
    """The weights as float16 beside the JSON (the log ratios need no more) and the JSON of the prior and the
    facts given."""
    np.save(path.with_suffix(".npy"), model.ratios.astype(np.float16))
    path.write_text(json.dumps({"prior": model.prior, "dim": DIM, "alpha": ALPHA, **facts}, indent=1) + "\n",
                    encoding="utf-8")


def read_model(path: Path) -> ArticleModel | None:
    """The model written at ``path`` (its JSON; the weights beside it), or None (and a warning) when it is
    missing or damaged."""
    weights = path.with_suffix(".npy")
    if not path.exists() or not weights.exists():
        log.warning("no trained article model in %s: run `make train`", path)
        return None
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
        ratios = np.load(weights, allow_pickle=False).astype(np.float64)
        prior = float(meta["prior"])
    except (OSError, EOFError, ValueError, KeyError, TypeError, AttributeError) as e:  # EOFError: an empty .npy
        log.warning("the article model in %s cannot be read (%s): run `make train`", path, e)
        return None
    if ratios.shape != (DIM,) or meta.get("dim") != DIM or not np.isfinite(ratios).all() or not np.isfinite(prior):
        log.warning("the article model in %s is damaged (not %d finite weights): run `make train`", path, DIM)
        return None
    return ArticleModel(ratios, prior)


@lru_cache(maxsize=1)
def load_article_model() -> ArticleModel | None:
    """The committed article model, or None (and a warning) when it is missing or damaged."""
    return read_model(MODEL_PATH)


def screen(articles: list[tuple[str | None, str | None, list[Meeting]]], model: ArticleModel,
           threshold: float) -> list[list[Meeting]]:
    """Each article's meetings (title, text, meetings), without the upcoming ones of an article whose log-odds of
    announcing any is below ``threshold``. Only articles with an upcoming meeting are read."""
    todo = [i for i, (_, _, meetings) in enumerate(articles) if any(m.tense == "upcoming" for m in meetings)]
    odds = model.log_odds([feature_ids(articles[i][0], articles[i][1]) for i in todo]) if todo else []
    quiet = {i for i, o in zip(todo, odds) if o < threshold}
    return [[m for m in meetings if i not in quiet or m.tense != "upcoming"]
            for i, (_, _, meetings) in enumerate(articles)]
