"""Training the learned choice of a meeting's place (bot.extract.placing) on the train split; a step of ``make train``.

``python -m bot.learn_places train`` extracts corpus/train.jsonl with the current code (the sentence classifier and
the meeting model first: the place is chosen among the meetings they keep), matches the upcoming meetings to gold
under SCHEMA.md's rules (bot.evaluate._score_article), labels each candidate place of a matched meeting by the
scorer's rule (it shares a word with the gold location or one of its alt_locations; no place is right when gold has
none), fits the conditional logit on the meetings with a right candidate and writes
bot/extract/model_places.json with the SHA-256 of the train split. ``sweep GOLD [REGION]`` prints, per margin, the
scores of GOLD (with the committed model) and of the train split's rows in REGION with out-of-fold scores (a model
never judges the articles it was fitted on).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import numpy as np

from bot.corpus import read_jsonl
from bot.evaluate import _location_right, _score_article, load_gold, score
from bot.extract import Extractor
from bot.extract.classifier import Thresholds
from bot.extract.placing import PLACE_MODEL_PATH, feature_names, fit_ranking, load_place_model, pick, rows_of, shares
from bot.learn_meetings import FOLDS, L2, TRAIN, run_commands, write_model
from bot.sources import article_from_record

MARGINS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


@dataclass
class Collected:
    """The candidates of a split's upcoming meetings, as rows, with what scoring them needs."""

    x: np.ndarray  # one row per candidate
    y: np.ndarray  # 1: the candidate is a right place for the meeting's gold match (0 for unmatched meetings)
    meeting: np.ndarray  # the index of each candidate's meeting
    article: np.ndarray  # the index of each meeting's article
    learnable: np.ndarray  # per meeting: matched, and one of its candidates is right
    texts: list[list[str | None]]  # per meeting, its candidates' places
    predicted: list[list[dict]]  # per article, its meetings as extract_many gives them (place decision off)
    rules: list[int]  # per meeting, the index of the rules' choice among its candidates


def collect(rows: list[dict]) -> Collected:
    """Extract the rows with the place decision off and label every candidate of every upcoming meeting."""
    articles = [article_from_record(r, str(r["id"])) for r in rows]
    extractor = Extractor(thresholds=Thresholds(place=None))
    x, y, owner, article, learnable, texts, predicted, rules = [], [], [], [], [], [], [], []
    for i, (row, pairs) in enumerate(zip(rows, extractor.place_candidates(articles))):
        dicts = [m.to_json() for m, _ in pairs]
        gold_of = {id(pair["predicted"]): pair["gold"] for pair in _score_article(row, dicts)["matched"]}
        for d, (m, options) in zip(dicts, pairs):
            gold = gold_of.get(id(d))
            labels = [float(gold is not None and _location_right(gold, {"location": c.text})) for c in options]
            k = len(texts)
            x.extend(rows_of(m, options))
            y.extend(labels)
            owner.extend([k] * len(options))
            article.append(i)
            learnable.append(gold is not None and any(labels))
            texts.append([c.text for c in options])
            rules.append(next(j for j, c in enumerate(options) if c.rules))
        predicted.append(dicts)
    width = len(feature_names())
    return Collected(np.asarray(x, dtype=float).reshape(-1, width), np.asarray(y), np.asarray(owner, dtype=int),
                     np.asarray(article, dtype=int), np.asarray(learnable, dtype=bool), texts, predicted, rules)


def training_rows(c: Collected, meetings: np.ndarray | None = None) -> np.ndarray:
    """The candidates the model learns from: those of the learnable meetings (of ``meetings`` when given)."""
    keep = c.learnable[c.meeting]
    if meetings is not None:
        keep &= np.isin(c.meeting, meetings)
    return keep


def out_of_fold(c: Collected, l2: float = L2, k: int = FOLDS) -> np.ndarray:
    """Each candidate's share of its meeting from a model fitted on the other folds (folds by article)."""
    fold = c.article[c.meeting] % k
    p = np.zeros(len(c.y))
    for f in range(k):
        train = training_rows(c) & (fold != f)
        model = fit_ranking(c.x[train], c.y[train], c.meeting[train], l2)
        p[fold == f] = shares(model, c.x[fold == f], c.meeting[fold == f])
    return p


def placed(c: Collected, p: np.ndarray, margin: float | None) -> list[list[dict]]:
    """Each article's meetings with the place the model chooses at this margin (None: the rules' places)."""
    out = [[dict(d) for d in dicts] for dicts in c.predicted]
    flat = [d for dicts in out for d in dicts]
    for k, d in enumerate(flat):
        if margin is None:
            continue
        best = pick(p[c.meeting == k], c.rules[k], d.get("location"), margin)
        if best is not None:
            d["location"] = c.texts[k][best]
    return out


def _sweep_rows(gold: list[dict], c: Collected, p: np.ndarray, label: str) -> None:
    print(f"{label}: margin, location accuracy of matched meetings, F1, tp, fp, places changed")
    base = placed(c, p, None)
    for margin in (None, *MARGINS):
        out = placed(c, p, margin)
        changed = sum(a["location"] != b["location"] for x, y in zip(base, out) for a, b in zip(x, y))
        s = score(gold, {str(row["id"]): dicts for row, dicts in zip(gold, out)})
        print(f"  {'off' if margin is None else margin:>5} location {s.location:.4f} F1 {s.f1:.4f} tp {s.tp:4d} "
              f"fp {s.fp:4d} changed {changed}")


def train() -> None:
    """Extract the train split, fit on its learnable meetings, write the model with the split's hash."""
    c = collect(read_jsonl(TRAIN))
    rows = training_rows(c)
    model = fit_ranking(c.x[rows], c.y[rows], c.meeting[rows], L2)
    write_model(PLACE_MODEL_PATH, model, meetings=int(c.learnable.sum()), candidates=int(rows.sum()))
    print(f"train: {int(c.learnable.sum())} matched meetings with a right candidate, {int(rows.sum())} candidates "
          f"-> {PLACE_MODEL_PATH}")


def sweep(gold_path: str, region_path: str | None = None) -> None:
    """GOLD with the committed model; the train rows of REGION with out-of-fold scores."""
    gold = load_gold(gold_path)
    c = collect(gold)
    model = load_place_model() or sys.exit("no place model: python -m bot.learn_places train")
    _sweep_rows(gold, c, shares(model, c.x, c.meeting), gold_path)
    if region_path:
        train_rows = read_jsonl(TRAIN)
        wanted = {str(r["id"]) for r in load_gold(region_path)}
        region = [r for r in train_rows if str(r["id"]) in wanted]
        c = collect(region)
        _sweep_rows(region, c, out_of_fold(c), f"{region_path} (out of fold)")


if __name__ == "__main__":
    run_commands("usage: python -m bot.learn_places train | sweep GOLD [REGION_ROWS_OF_TRAIN]",
                 train=(train, (0,)), sweep=(sweep, (1, 2)))
