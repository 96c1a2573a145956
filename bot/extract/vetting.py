"""The learned meeting-level decision: is a proposed upcoming meeting, as a whole, a true one?

The sentence classifier (bot.extract.classifier) judges a sentence, not the meeting the rules read in it: a sentence
that tells of an upcoming meeting can also carry a wrong proposal (a speaker taken for a participant, the date of a
statement, a second meeting read into a list). This model looks at the whole proposal: the sentence classifier's
scores, what the rules made of it (kind, certainty, how many participants, a name, a place, how it was dated and
found), its date (precision, span, how far ahead), where its sentence stands and how many meetings the article
proposes. Nothing in it ties to a name or a phrase.

It is a logistic regression over standardised features, fitted in numpy on the train split's extraction
(``python -m bot.learn_meetings``, a step of ``make train``) and committed as a small JSON with the SHA-256 of the
train split it saw. ``Thresholds.vet`` (set on dev) is how sure it must be that a meeting is not a true upcoming one
to drop it; the switch is the learned decision ``learned not-a-meeting``.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.extract.classifier import STATUS_LABELS, label_shares
from bot.models import CERTAINTIES, KINDS, Meeting

log = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).resolve().parent / "model_meetings.json"
PRECISIONS = ("day", "week", "month", "quarter", "year", "range", "unknown")


@dataclass(frozen=True)
class ArticleFacts:
    """What a meeting's features need to know of its article."""

    published: date
    sentences: int  # how many sentences the article has
    proposed: int  # how many upcoming meetings the article proposes (after the sentence decisions)
    behind: int = 0  # how many past or cancelled ones
    best_upcoming: float = 0.0  # the highest chance of telling of an upcoming meeting among its meetings' sentences


def _one_hot(value, values) -> list[float]:
    return [float(value == v) for v in values]


def feature_names() -> list[str]:
    """The names of the features, in the order ``features`` gives them."""
    return ([f"p_{s.lower()}" for s in STATUS_LABELS] + [f"learned_kind_{k}" for k in KINDS]
            + [f"learned_cert_{c}" for c in CERTAINTIES] + ["kinds_agree", "certainties_agree", "learned_rule_kind", "learned_rule_cert"]
            + [f"kind_{k}" for k in KINDS] + [f"cert_{c}" for c in CERTAINTIES]
            + ["participants_0", "participants_1", "participants_2", "participants_3+", "one_word_names", "named", "placed",
               "building", "has_time", "dated_by_context", "found_by_classifier", "date_in_sentence",
               "log_mentions"]
            + [f"precision_{p}" for p in PRECISIONS]
            + ["log_span_days", "log_days_ahead", "under_way", "lead_sentence", "position", "log_order",
               "log_proposed", "log_same_sentence", "log_sentence_chars", "log_behind", "best_upcoming",
               "below_best_upcoming"])


def features(meeting: Meeting, cats: dict[str, float], facts: ArticleFacts, same_sentence: int) -> list[float]:
    """One proposed meeting as numbers (``feature_names`` names them); same_sentence: how many of the article's
    proposed meetings come from its sentence."""
    status = label_shares(cats, STATUS_LABELS)
    kinds = label_shares(cats, [f"KIND_{k}" for k in KINDS])
    certs = label_shares(cats, [f"CERT_{c}" for c in CERTAINTIES])
    people = len(meeting.participants)
    if meeting.start is not None:
        end = meeting.end or meeting.start
        span = (end - meeting.start).days
        ahead = (meeting.start - facts.published).days
    else:
        span, ahead = 0, 0
    order = max(meeting.order, 0)
    return (status + kinds + certs
            + [float(KINDS[int(np.argmax(kinds))] == meeting.kind),
               float(CERTAINTIES[int(np.argmax(certs))] == meeting.certainty),
               kinds[KINDS.index(meeting.kind)] if meeting.kind in KINDS else 0.0,
               certs[CERTAINTIES.index(meeting.certainty)] if meeting.certainty in CERTAINTIES else 0.0]
            + _one_hot(meeting.kind, KINDS) + _one_hot(meeting.certainty, CERTAINTIES)
            + _one_hot(min(people, 3), (0, 1, 2, 3))
            + [sum(len(p.split()) == 1 for p in meeting.participants) / max(people, 1)]
            + [float(bool(meeting.name)), float(bool(meeting.location)), float(meeting.building),
               float(bool(meeting.time)), float(meeting.dated_by == "context"), float(meeting.found_by == "classifier"),
               float(meeting.date_in_sentence), math.log1p(meeting.mentions)]
            + _one_hot(meeting.precision if meeting.precision in PRECISIONS else "unknown", PRECISIONS)
            + [math.log1p(max(span, 0)), math.log1p(max(ahead, 0)), float(ahead < 0), float(order == 0),
               order / max(facts.sentences, 1), math.log1p(order), math.log1p(facts.proposed),
               math.log1p(same_sentence), math.log1p(len(meeting.sentence)), math.log1p(facts.behind),
               facts.best_upcoming, facts.best_upcoming - status[STATUS_LABELS.index("UPCOMING")]])


class MeetingModel:
    """A logistic regression over standardised features: ``p_true(rows)`` is each row's chance of being a true
    upcoming meeting."""

    def __init__(self, names: list[str], mean, scale, weights, bias: float):
        self.names = list(names)
        self.mean = np.asarray(mean, dtype=float)
        self.scale = np.asarray(scale, dtype=float)
        self.weights = np.asarray(weights, dtype=float)
        self.bias = float(bias)

    def logits(self, rows) -> np.ndarray:
        x = (np.asarray(rows, dtype=float).reshape(-1, len(self.mean)) - self.mean) / self.scale
        return x @ self.weights + self.bias

    def p_true(self, rows) -> np.ndarray:
        return 1.0 / (1.0 + np.exp(-self.logits(rows)))

    def to_json(self, **extra) -> dict:
        return {"features": self.names, "mean": self.mean.round(6).tolist(), "scale": self.scale.round(6).tolist(),
                "weights": self.weights.round(6).tolist(), "bias": round(self.bias, 6), **extra}

    @classmethod
    def from_json(cls, data: dict) -> "MeetingModel":
        return cls(data["features"], data["mean"], data["scale"], data["weights"], data["bias"])


def fit(rows, labels, l2: float = 1.0, steps: int = 50) -> MeetingModel:
    """A logistic regression with an L2 penalty (on the weights, not the bias) over standardised features,
    fitted by Newton's method (the problem is small and convex: a few dozen features)."""
    x = np.asarray(rows, dtype=float)
    y = np.asarray(labels, dtype=float)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0  # a constant feature: left as it is (its weight goes to 0)
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(z @ w)))
        grad = z.T @ (p - y) + penalty * w
        hess = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return MeetingModel(feature_names(), mean, scale, w[:-1], w[-1])


def read_model(path: Path, names: list[str], what: str) -> MeetingModel | None:
    """A committed model of this shape (the meeting model, the place model), or None (and a warning) when it is
    missing, unreadable (not JSON, fields missing or of the wrong length) or was made for other features than
    ``names``."""
    if not path.exists():
        log.warning("no trained %s model in %s: run `make train`", what, path)
        return None
    try:
        model = MeetingModel.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as e:
        log.warning("the %s model in %s cannot be read (%s): run `make train`", what, path, e)
        return None
    if model.mean.shape != model.scale.shape or model.weights.shape != (len(model.names),) \
            or model.mean.shape != (len(model.names),):
        log.warning("the %s model in %s is damaged (its arrays do not match its features): run `make train`",
                    what, path)
        return None
    if model.names != names:
        log.warning("the %s model in %s has other features: run `make train`", what, path)
        return None
    return model


@lru_cache(maxsize=1)
def load_meeting_model() -> MeetingModel | None:
    """The committed meeting model, or None (and a warning) when it is missing or was made for other features."""
    return read_model(MODEL_PATH, feature_names(), "meeting")


def features_of(pairs: list[tuple[Meeting, dict]], facts: ArticleFacts) -> list[tuple[Meeting, list[float]]]:
    """The article's upcoming meetings (after the sentence decisions: (meeting, its sentence's scores)) with their
    features; past and cancelled ones need no decision of this kind."""
    ahead = [(m, cats) for m, cats in pairs if m.tense == "upcoming"]
    per_sentence: dict[str, int] = {}
    for m, _ in ahead:
        per_sentence[m.sentence] = per_sentence.get(m.sentence, 0) + 1
    return [(m, features(m, cats, facts, per_sentence[m.sentence])) for m, cats in ahead]


def vet(articles: list[tuple[list[tuple[Meeting, dict]], ArticleFacts]], model: MeetingModel,
        threshold: float) -> list[list[Meeting]]:
    """Each article's meetings (after the sentence decisions: (meeting, its sentence's scores), with the article's
    facts) without the upcoming ones the model is at least ``threshold`` sure are not true; the meetings of the
    whole batch go through the model in one product."""
    rows = [features_of(pairs, facts) for pairs, facts in articles]
    flat = [(m, x) for article in rows for m, x in article]
    p_true = model.p_true([x for _, x in flat]) if flat else []
    dropped = {id(m) for (m, _), p in zip(flat, p_true) if 1.0 - p >= threshold}
    return [[m for m, _ in pairs if id(m) not in dropped] for pairs, _ in articles]
