"""The learned choice of a meeting's place: which of the places the article offers is where the meeting is held.

The rules (bot.extract.places, carry, assembly) give a meeting the most recent place its sentences claim, then prefer a
city to its state. They go wrong in a few recurring ways: the state where the text also names the city (or the
reverse), the traveller's home, the place of another meeting of the article, a region, no place where a neighbouring
sentence gives one. This model looks at every candidate a meeting has: the places of its own sentences (with the
word that introduces each), of the article's other meeting sentences, the dateline city, the legs of its
participants' trips, a named summit's known place, the rules' choice and alternatives, and no place at all; and
scores each by WHY it could be the meeting's place (how near it is told, how it is introduced, city or state, the
participants' home, the dateline, how often the article names it, whether the rules chose it), never by which place
it is.

It is a conditional logit (a softmax over each meeting's candidates of a linear score over standardised features,
with an L2 penalty, fitted by Newton's method in numpy; stored as bot.extract.vetting's model with no bias): out of
fold on train's region rows it placed 0.764 of the matched meetings right (margin 0) where a logistic regression per
candidate placed 0.715 and the rules 0.690; on dev the two models gained 0.016 and 0.003 at best.
It is fitted on the train split's matched meetings (``python -m bot.learn_places train``, a step of ``make
train`` after the meeting model: it chooses among the places of the meetings that decision keeps) and committed as a
small JSON with the SHA-256 of the train split. Where the rules read no place for a meeting, the best candidate is
its place when the model prefers it to no place by ``Thresholds.place`` (set on dev); where they read one, theirs
stands (``pick`` says why). The switch is the learned decision ``learned place``. Filling only, it places 0.751 of
dev's matched meetings right against the rules' 0.741, and 0.746 against 0.690 on train's region rows out of fold;
dev gains little because the place rules were written on it. Much of what stays wrong on dev is a place the text
ties to a summit or trip in another clause than the meeting's (which the candidates' features, read per sentence,
do not see) and gold's null where a place is named nearby.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.extract.context import ArticleContext
from bot.extract.patterns import REGIONS
from bot.extract.syntax import unique
from bot.extract.vetting import MeetingModel, read_model
from bot.models import KINDS, Meeting
from bot.names import name_key

PLACE_MODEL_PATH = Path(__file__).resolve().parent / "model_places.json"
# How a sentence introduces a place (bot.extract.places.Places.find), in groups that say the same thing.
RELATIONS = {"in": "in", "inside": "in", "at": "at", "to": "to", "toward": "to", "towards": "to", "for": "for",
             "of": "of", "venue": "venue", "host": "host", "hosts": "host", "hosted": "host", "hosting": "host",
             "visit": "visit", "visiting": "visit", "visits": "visit", "list": "list"}
RELATION_NAMES = ("in", "at", "to", "for", "of", "venue", "host", "visit", "list", "other")
FAR = 12  # sentences: a place told further from every sentence of the meeting is as good as not near it


@dataclass
class PlaceCandidate:
    """One place a meeting could be held in, with what the article says of it (None: no place)."""

    text: str | None
    rules: bool = False  # the rules' choice
    alternative: bool = False  # among the rules' alternatives
    own: set[str] = field(default_factory=set)  # how the meeting's own (best) sentence introduces it
    group: set[str] = field(default_factory=set)  # ... the other sentences merged into the meeting
    distance: int | None = None  # sentences between it and the nearest sentence of the meeting (None: not told)
    before: bool = False  # its nearest telling comes before the meeting's sentences
    dateline: bool = False
    leg: bool = False  # a place a participant's trip goes to
    summit: bool = False  # the place the article gives the meeting's named summit
    sentences: int = 0  # how many of the article's meeting sentences name it
    first: float = 1.0  # where the article first names it (share of its sentences)
    scope: str = "unknown"  # "city" | "state" | "region" | "unknown" (the gazetteer does not know it)
    home: bool = False  # the home state of a participant (or a city in it)
    holds_city: bool = False  # a state, and another candidate is a city in it
    in_state: bool = False  # a city, and another candidate is its state
    read: bool = False  # the rules read it as the place of a meeting told in one of the meeting's sentences
    elsewhere: bool = False  # ... of a meeting told in another sentence
    named: int = 0  # how many times the article's text names it


def meeting_features(meeting: Meeting, candidates: list[PlaceCandidate]) -> list[float]:
    """What every candidate of a meeting shares: the meeting's kind, how many candidates it has, whether the rules
    gave it a place at all, whether it is in a building, whether its sentences name a place and how near the
    nearest place is told, whether it has a summit's name."""
    told = [c.distance for c in candidates if c.distance is not None]
    return ([float(meeting.kind == k) for k in KINDS]
            + [math.log1p(len(candidates)), float(meeting.location is None), float(meeting.building),
               float(any(c.own for c in candidates)), float(any(c.group for c in candidates)),
               math.log1p(min(min(told, default=FAR), FAR)), float(bool(meeting.name))])


# The features' names: a place candidate's own, what its meeting shares (read by the no-place candidate only), and
# the rules' choice crossed with how it is told.
SCOPES = ("city", "state", "region", "unknown")
PER_CANDIDATE = (["rules", "alternative", "in_own", "in_group", "near", "log_distance", "far", "before", "dateline",
                  "leg", "summit", "log_sentences", "first", "home", "holds_city", "in_state", "read", "elsewhere",
                  "log_named"]
                 + [f"own_{r}" for r in RELATION_NAMES] + [f"group_{r}" for r in RELATION_NAMES]
                 + [f"scope_{s}" for s in SCOPES])
SHARED = [f"kind_{k}" for k in KINDS] + ["log_candidates", "rules_none", "building", "any_own", "any_group",
                                         "log_nearest", "named_summit"]
RULES_CROSSED = ("in_own", "near", "dateline", "home", "holds_city", "state")


def feature_names() -> list[str]:
    """The names of the features, in the order ``features`` gives them."""
    return PER_CANDIDATE + ["none"] + [f"none_{n}" for n in SHARED] + [f"rules_{n}" for n in RULES_CROSSED]


def _relations(preps: set[str]) -> list[float]:
    return [float(any(RELATIONS.get(p, "other") == r for p in preps)) for r in RELATION_NAMES]


def features(c: PlaceCandidate, shared: list[float]) -> list[float]:
    """One candidate as numbers (``feature_names`` names them); shared: ``meeting_features`` of its meeting, which
    only the no-place candidate reads (whether a meeting has a place at all depends on the meeting)."""
    if c.text is None:
        return [0.0] * len(PER_CANDIDATE) + [1.0] + shared + [0.0] * len(RULES_CROSSED)
    told = c.distance is not None
    near = told and c.distance <= 1
    per = ([float(c.rules), float(c.alternative), float(bool(c.own)), float(bool(c.group)), float(near),
            math.log1p(min(c.distance, FAR)) if told else math.log1p(FAR), float(not told or c.distance > FAR),
            float(c.before), float(c.dateline), float(c.leg), float(c.summit), math.log1p(c.sentences), c.first,
            float(c.home), float(c.holds_city), float(c.in_state), float(c.read), float(c.elsewhere),
            math.log1p(c.named)]
           + _relations(c.own) + _relations(c.group)
           + [float(c.scope == s) for s in SCOPES])
    rules = [float(c.rules and bool(c.own)), float(c.rules and near), float(c.rules and c.dateline),
             float(c.rules and c.home), float(c.rules and c.holds_city), float(c.rules and c.scope == "state")]
    return per + [0.0] + [0.0] * len(shared) + rules


def _scope(ctx: ArticleContext, place: str) -> str:
    if name_key(place) in REGIONS:
        return "region"
    if ctx.g.is_state(place):
        return "state"
    return "city" if ctx.g.country(place) or ctx.g.venue_city(place) else "unknown"


def candidates(meeting: Meeting, ctx: ArticleContext, sentences: int) -> list[PlaceCandidate]:
    """Every place the article offers a meeting (the rules' choice first, no place last); sentences: how many
    sentences the article has."""
    orders = ctx.meeting_orders.get(id(meeting)) or [meeting.order]
    found: dict[str, PlaceCandidate] = {}

    def add(text: str | None) -> PlaceCandidate | None:
        if not text:
            return None
        key = name_key(text)
        if key not in found:
            found[key] = PlaceCandidate(text)
        return found[key]

    if meeting.location:
        add(meeting.location).rules = True
    for alt in meeting.alt_locations:
        if alt:
            add(alt).alternative = True
    for order, places in sorted(ctx.sentence_places.items()):
        for text, prep in places:
            c = add(text)
            if order == meeting.order:
                c.own.add(prep)
            elif order in orders:
                c.group.add(prep)
            gap = min(abs(order - o) for o in orders)
            if c.distance is None or gap < c.distance:
                c.distance, c.before = gap, order < min(orders)
            if c.sentences == 0:
                c.first = order / max(sentences, 1)
            c.sentences += 1
    if ctx.dateline:
        add(ctx.dateline).dateline = True
    people = set(meeting.participants)
    for m in ctx.mentions:
        if m.kind == "visit" and m.tense in ("upcoming", "unknown") and people & set(m.participants):
            for loc in m.locations:
                add(loc).leg = True
        for loc in m.locations:
            if m.order in orders:
                add(loc).read = True
            else:
                add(loc).elsewhere = True
    if meeting.name and ctx.summit_places.get(meeting.name):
        add(ctx.summit_places[meeting.name]).summit = True
    homes = {name_key(p.country) for n in meeting.participants
             if (p := ctx.people.people.get(n)) is not None and p.country}
    out = list(found.values())
    for c in out:
        c.scope = _scope(ctx, c.text)
        c.named = ctx.text.count(c.text)
        state = ctx.g.country(c.text)
        c.home = bool(state) and name_key(state) in homes
        if c.scope == "state":
            c.holds_city = any(o.scope == "city" and ctx.g.country(o.text) == state for o in out)
        elif c.scope == "city":
            c.in_state = any(o.scope == "state" and ctx.g.country(o.text) == state for o in out)
    return out + [PlaceCandidate(None, rules=not meeting.location)]  # "" too: one candidate is always the rules'


@lru_cache(maxsize=1)
def load_place_model() -> MeetingModel | None:
    """The committed place model, or None (and a warning) when it is missing or was made for other features."""
    return read_model(PLACE_MODEL_PATH, feature_names(), "place")


def fit_ranking(rows, labels, meetings, l2: float = 10.0, steps: int = 30) -> MeetingModel:
    """The conditional logit: weights w maximising, over the meetings, the log of the share softmax(x @ w) gives
    its right candidates, less l2/2 |w|^2. rows: one per candidate; labels: 1 for a right one; meetings: the index
    of each candidate's meeting (every meeting with at least one right candidate)."""
    x, y, owner = np.asarray(rows, dtype=float), np.asarray(labels, dtype=float), np.asarray(meetings)
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    w = np.zeros(z.shape[1])
    groups = [np.flatnonzero(owner == k) for k in np.unique(owner)]
    for _ in range(steps):
        s = z @ w
        grad, hess = l2 * w, np.eye(len(w)) * (l2 + 1e-9)
        for idx in groups:
            p = np.exp(s[idx] - s[idx].max())
            p /= p.sum()
            zi = z[idx]
            grad = grad + zi.T @ (p - y[idx] / y[idx].sum())
            mid = p @ zi
            hess += (zi * p[:, None]).T @ zi - np.outer(mid, mid)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return MeetingModel(feature_names(), mean, scale, w, 0.0)


def shares(model: MeetingModel, rows, meetings) -> np.ndarray:
    """Each candidate's share of its meeting (a softmax of the model's scores over the meeting's candidates)."""
    s, owner = model.logits(rows), np.asarray(meetings)
    p = np.zeros(len(s))
    for k in np.unique(owner):
        i = owner == k
        e = np.exp(s[i] - s[i].max())
        p[i] = e / e.sum()
    return p


def rows_of(meeting: Meeting, options: list[PlaceCandidate]) -> list[list[float]]:
    """The feature rows of a meeting's candidates."""
    shared = meeting_features(meeting, options)
    return [features(c, shared) for c in options]


def pick(p: np.ndarray, rules: int, rules_place: str | None, margin: float) -> int | None:
    """The candidate the model gives the meeting, or None to keep the rules' place: the best-scored one, when the
    rules gave no place and it beats no place by ``margin``. Where the rules read a place they keep it: tried as
    an override of any rules' choice (2026-12-07), the model gained a little more on dev and train but moved
    places the text states plainly ("will travel to Luanda to meet X and discuss projects in Mozambique" to
    Mozambique; a summit "in Russia" that a later sentence puts in Kazan back to Russia)."""
    best = int(np.argmax(p))
    if rules_place is not None or best == rules or p[best] - p[rules] < margin:
        return None
    return best


def choose(meeting: Meeting, options: list[PlaceCandidate], p: np.ndarray, margin: float) -> None:
    """Give the meeting the candidate ``pick`` chooses, if any."""
    rules = next(i for i, c in enumerate(options) if c.rules)
    best = pick(p, rules, meeting.location, margin)
    if best is None:
        return
    old, new = meeting.location, options[best].text
    meeting.location = new
    meeting.building = False
    meeting.alt_locations = unique([a for a in [old, *meeting.alt_locations]
                                    if a and name_key(a) != name_key(new or "")])


def place(batch: list[tuple[Meeting, ArticleContext, int]], model: MeetingModel, margin: float) -> None:
    """The learned choice of place for each upcoming meeting of the batch the rules left unplaced (meeting, its
    article's context, the article's sentence count; ``pick`` keeps every place the rules read, so the others are
    not scored); the candidates of the whole batch go through the model in one product."""
    work = [(m, candidates(m, ctx, n)) for m, ctx, n in batch if m.tense == "upcoming" and m.location is None]
    rows = [row for m, options in work for row in rows_of(m, options)]
    if not rows:
        return
    p = shares(model, rows, [k for k, (_, options) in enumerate(work) for _ in options])
    k = 0
    for m, options in work:
        choose(m, options, p[k:k + len(options)], margin)
        k += len(options)
