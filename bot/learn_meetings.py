"""Training the meeting-level decision (bot.extract.vetting) on the train split; a step of ``make train``.

``python -m bot.learn_meetings train`` extracts corpus/train.jsonl with the current code (the sentence classifier
must be trained first: its scores are features), labels each proposed upcoming meeting by whether it matches an
upcoming gold meeting under SCHEMA.md's rules (bot.evaluate._score_article), fits the logistic regression and
writes bot/extract/model_meetings.json with the SHA-256 of the train split. ``cv`` compares, in cross-validation
over the train split's articles, the regression at several penalties with gradient-boosted stumps. ``sweep GOLD
[REGION]`` prints, per threshold, the scores of dev (with the committed model) and of the train split's rows in
REGION with out-of-fold probabilities (a model never judges the articles it was fitted on).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from bot.corpus import file_hash, read_jsonl
from bot.learn import CORPUS
from bot.evaluate import _score_article, load_gold, score
from bot.extract import Extractor
from bot.extract.vetting import MODEL_PATH, fit, load_meeting_model
from bot.sources import article_from_record

TRAIN = CORPUS / "train.jsonl"
L2 = 10.0  # the penalty; `cv` compares 0.1 .. 1000 (the place model's too)
FOLDS = 5  # folds by article for out-of-fold figures (the place model's too)
THRESHOLDS = (0.5, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)


def collect(rows: list[dict]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[list[dict]]]:
    """(features, labels, the row index of each meeting's article, each article's proposed meetings as dicts):
    a meeting is labelled 1 when it matches an upcoming gold meeting of its article."""
    articles = [article_from_record(r, str(r["id"])) for r in rows]
    feats, labels, owner, predicted = [], [], [], []
    for i, (row, proposed) in enumerate(zip(rows, Extractor().proposals(articles))):
        dicts = [m.to_json() for m, _ in proposed]
        matched = {id(pair["predicted"]) for pair in _score_article(row, dicts)["matched"]}
        for d, (_, x) in zip(dicts, proposed):
            feats.append(x)
            labels.append(float(id(d) in matched))
            owner.append(i)
        predicted.append(dicts)
    width = len(feats[0]) if feats else 0
    return (np.asarray(feats, dtype=float).reshape(-1, width), np.asarray(labels), np.asarray(owner, dtype=int),
            predicted)


def folds(owner: np.ndarray, k: int = FOLDS) -> np.ndarray:
    """The fold of each meeting: by article, so that one article's meetings are never on both sides."""
    return owner % k


def out_of_fold(x: np.ndarray, y: np.ndarray, fold: np.ndarray, fitter) -> np.ndarray:
    """Each row's score (a meeting's chance of being true, an article's log-odds) from a model fitted on the other
    folds."""
    p = np.zeros(len(y))
    for f in np.unique(fold):
        test = fold == f
        p[test] = fitter(x[~test], y[~test])(x[test])
    return p


def boosted_stumps(x: np.ndarray, y: np.ndarray, rounds: int = 300, rate: float = 0.1, lam: float = 1.0):
    """Gradient-boosted depth-one trees on the logistic loss (a comparison for `cv`, not shipped): a predictor."""
    cuts = [np.unique(np.quantile(x[:, j], np.linspace(0.05, 0.95, 19))) for j in range(x.shape[1])]
    base = np.log((y.mean() + 1e-6) / (1 - y.mean() + 1e-6))
    f = np.full(len(y), base)
    model = []
    for _ in range(rounds):
        p = 1 / (1 + np.exp(-f))
        g, h = p - y, p * (1 - p)
        best = None
        for j, cs in enumerate(cuts):
            for c in cs:
                left = x[:, j] <= c
                gl, hl = g[left].sum(), h[left].sum()
                gr, hr = g.sum() - gl, h.sum() - hl
                gain = gl * gl / (hl + lam) + gr * gr / (hr + lam)
                if best is None or gain > best[0]:
                    best = (gain, j, c, -gl / (hl + lam), -gr / (hr + lam))
        _, j, c, vl, vr = best
        model.append((j, c, rate * vl, rate * vr))
        f += np.where(x[:, j] <= c, rate * vl, rate * vr)

    def predict(z: np.ndarray) -> np.ndarray:
        out = np.full(len(z), base)
        for j, c, vl, vr in model:
            out += np.where(z[:, j] <= c, vl, vr)
        return 1 / (1 + np.exp(-out))
    return predict


def logistic(l2: float):
    return lambda x, y: fit(x, y, l2).p_true


def auc(y: np.ndarray, p: np.ndarray) -> float:
    """The area under the ROC curve (the chance a true meeting scores above a false one)."""
    order = np.argsort(p)
    ranks = np.empty(len(p))
    ranks[order] = np.arange(1, len(p) + 1)
    pos = y == 1
    return float((ranks[pos].sum() - pos.sum() * (pos.sum() + 1) / 2) / (pos.sum() * (~pos).sum()))


def log_loss(y: np.ndarray, p: np.ndarray) -> float:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


def train() -> None:
    """Extract the train split, fit on all of it, write the model with the split's hash."""
    x, y, _, _ = collect(read_jsonl(TRAIN))
    write_model(MODEL_PATH, fit(x, y, L2), meetings=len(y), true=int(y.sum()))
    print(f"train: {len(y)} proposed upcoming meetings, {int(y.sum())} true -> {MODEL_PATH}")


def write_model(path: Path, model, **facts) -> None:
    """A fitted model (bot.extract.vetting.MeetingModel) as the committed JSON, with its penalty, the facts given
    and the SHA-256 of the train split it was fitted on (tests/test_corpus.py checks it against the corpus)."""
    path.write_text(json.dumps(model.to_json(l2=L2, **facts, corpus_sha256=file_hash(TRAIN)), indent=1) + "\n",
                    encoding="utf-8")


def cv() -> None:
    """Out-of-fold AUC and log loss on the train split: the regression at several penalties, boosted stumps."""
    x, y, owner, _ = collect(read_jsonl(TRAIN))
    fold = folds(owner)
    print(f"train: {len(y)} proposed upcoming meetings, {int(y.sum())} true; {FOLDS}-fold by article")
    for name, fitter in [*((f"logistic l2={l2:g}", logistic(l2)) for l2 in (0.1, 1, 10, 100, 1000)),
                         ("boosted stumps 300x0.1", lambda a, b: boosted_stumps(a, b))]:
        p = out_of_fold(x, y, fold, fitter)
        print(f"  {name:24s} AUC {auc(y, p):.4f}  log loss {log_loss(y, p):.4f}")


def _sweep_rows(gold: list[dict], predicted: list[list[dict]], p: np.ndarray, label: str) -> None:
    """The scores of the predictions with the meetings of p_false >= T dropped, for each threshold."""
    print(f"{label}: T, tp, fp, P, R, F1, upcoming meetings in articles without one (per 100)")
    for t in (None, *THRESHOLDS):
        out, k = {}, 0
        for row, dicts in zip(gold, predicted):
            keep = [d for j, d in enumerate(dicts) if t is None or 1 - p[k + j] < t]
            k += len(dicts)
            out[str(row["id"])] = keep
        s = score(gold, out)
        print(f"  {'off' if t is None else t:>5} tp {s.tp:4d} fp {s.fp:4d} P {s.precision:.3f} R {s.recall:.3f} "
              f"F1 {s.f1:.4f}  negatives {s.negatives_flagged:3d}/{s.negatives} "
              f"({s.false_per_100_negatives:.1f} per 100)")


def sweep(gold_path: str, region_path: str | None = None) -> None:
    """Dev with the committed model; the train rows of REGION with out-of-fold probabilities."""
    gold = load_gold(gold_path)
    x, y, _, predicted = collect(gold)
    model = load_meeting_model() or sys.exit("no meeting model: python -m bot.learn_meetings train")
    p = model.p_true(x)
    print(f"{gold_path}: {len(y)} proposed, {int(y.sum())} true, AUC {auc(y, p):.4f}")
    _sweep_rows(gold, predicted, p, gold_path)
    if region_path:
        train_rows = read_jsonl(TRAIN)
        x, y, owner, predicted = collect(train_rows)
        p = out_of_fold(x, y, folds(owner), logistic(L2))
        print(f"train out of fold: AUC {auc(y, p):.4f}")
        wanted = {str(r["id"]) for r in load_gold(region_path)}
        keep = [i for i, r in enumerate(train_rows) if str(r["id"]) in wanted]
        starts = np.concatenate([[0], np.cumsum([len(d) for d in predicted])])
        sel = np.concatenate([np.arange(starts[i], starts[i + 1]) for i in keep]).astype(int)
        _sweep_rows([train_rows[i] for i in keep], [predicted[i] for i in keep], p[sel],
                    f"{region_path} (out of fold)")


def run_commands(usage: str, **commands) -> None:
    """The command line of a ``python -m bot.learn_...`` module: ``COMMAND [ARGS]`` runs ``commands[COMMAND]``, a
    (function, the numbers of arguments it takes); anything else exits with the usage."""
    command, args = sys.argv[1:2], sys.argv[2:]
    function, counts = commands.get(command[0], (None, ())) if command else (None, ())
    if function is None or len(args) not in counts:
        sys.exit(usage)
    function(*args)


if __name__ == "__main__":
    run_commands("usage: python -m bot.learn_meetings train | cv | sweep GOLD [REGION_ROWS_OF_TRAIN]",
                 train=(train, (0,)), cv=(cv, (0,)), sweep=(sweep, (1, 2)))
