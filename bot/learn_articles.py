"""Training the article-level decision (bot.extract.screening) on the train split; a step of ``make train``.

``python -m bot.learn_articles train`` fits naive Bayes on corpus/train.jsonl (an article is labelled 1 when it
has an upcoming gold meeting) and writes bot/extract/model_articles.{npy,json}, the JSON naming the train split's
SHA-256. ``sweep GOLD [REGION]`` prints, per threshold, the scores of GOLD's extraction with the upcoming meetings
of articles under it dropped (the committed model's log-odds), and of the train rows in REGION with out-of-fold
log-odds (a model never judges the articles it was fitted on); both AUCs too.
"""

from __future__ import annotations

import sys

import numpy as np

from bot.corpus import file_hash, read_jsonl
from bot.evaluate import load_gold, score
from bot.extract import Extractor
from bot.extract.classifier import Thresholds
from bot.extract.screening import fit, feature_ids, load_article_model, write
from bot.learn_meetings import FOLDS, TRAIN, auc, out_of_fold, run_commands
from bot.sources import article_from_record

THRESHOLDS = (-30.0, -20.0, -15.0, -10.0, -6.0, -3.0, 0.0)


def labelled(rows: list[dict]) -> tuple[list[np.ndarray], np.ndarray]:
    """Each article's feature ids, and 1 for each article with an upcoming gold meeting."""
    return ([feature_ids(r.get("title"), r.get("text")) for r in rows],
            np.array([float(any(m["tense"] == "upcoming" for m in r.get("meetings") or [])) for r in rows]))


def train() -> None:
    ids, y = labelled(read_jsonl(TRAIN))
    write(fit(ids, y), articles=len(y), announcing=int(y.sum()), corpus_sha256=file_hash(TRAIN))
    print(f"train: {len(y)} articles, {int(y.sum())} with an upcoming meeting -> bot/extract/model_articles.*")


def _sweep_rows(rows: list[dict], odds: np.ndarray, label: str) -> None:
    """The extraction of rows without the article decision, then with it at each threshold."""
    extractor = Extractor(thresholds=Thresholds(article=None))
    found = extractor.extract_many([article_from_record(r, str(r["id"])) for r in rows])
    print(f"{label}: T, tp, fp, P, R, F1, upcoming meetings in articles without one")
    for t in (None, *THRESHOLDS):
        out = {str(r["id"]): [m.to_json() for m in ms if t is None or o >= t or m.tense != "upcoming"]
               for r, ms, o in zip(rows, found, odds)}
        s = score(rows, out)
        print(f"  {'off' if t is None else t:>5} tp {s.tp:4d} fp {s.fp:4d} P {s.precision:.3f} R {s.recall:.3f} "
              f"F1 {s.f1:.4f}  negatives {s.negatives_flagged:3d}/{s.negatives} "
              f"({s.false_per_100_negatives:.1f} per 100)")


def sweep(gold_path: str, region_path: str | None = None) -> None:
    """Dev with the committed model; the train rows of REGION with out-of-fold log-odds."""
    model = load_article_model() or sys.exit("no article model: python -m bot.learn_articles train")
    gold = load_gold(gold_path)
    ids, y = labelled(gold)
    odds = model.log_odds(ids)
    print(f"{gold_path}: {len(y)} articles, AUC {auc(y, odds):.4f}")
    _sweep_rows(gold, odds, gold_path)
    if region_path:
        rows = read_jsonl(TRAIN)
        ids, y = labelled(rows)
        by_article = np.empty(len(ids), dtype=object)  # one article's ids per cell, for out_of_fold's masks
        by_article[:] = ids
        oof = out_of_fold(by_article, y, np.arange(len(rows)) % FOLDS, lambda x, labels: fit(list(x), labels).log_odds)
        print(f"train out of fold: AUC {auc(y, oof):.4f}")
        wanted = {str(r["id"]) for r in load_gold(region_path)}
        keep = [i for i, r in enumerate(rows) if str(r["id"]) in wanted]
        _sweep_rows([rows[i] for i in keep], oof[keep], f"{region_path} (out of fold)")


if __name__ == "__main__":
    run_commands("usage: python -m bot.learn_articles train | sweep GOLD [REGION_ROWS_OF_TRAIN]",
                 train=(train, (0,)), sweep=(sweep, (1, 2)))
