"""Score extracted meetings against gold annotations, per the rules of shared/eval/SCHEMA.md.

Matching, per article:

* targets are the gold meetings with ``tense: upcoming``; predictions are the predicted
  meetings whose ``tense`` is ``upcoming`` or absent (a past meeting labelled past costs nothing);
* a prediction can match a gold meeting when their dates overlap (a gold meeting without
  dates accepts any date; an undated prediction overlaps only an undated gold meeting) and
  (a) they share two participants, (b) both are named and the names match, or (c) they share
  one participant, have the same kind and one of the two lists names a single participant;
* each gold meeting matches at most one prediction and vice versa: the assignment is a
  maximum-cardinality matching (Hungarian algorithm), ties broken by the total quality of
  the pairs (exact dates, then same kind, then right location, then shared participants);
* every prediction left unmatched is a false positive, whether it resembles a past or
  cancelled gold meeting (noted in the verbose report) or nothing at all.

Predictions for article ids that are not in the gold file are ignored.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable

from bot.names import name_key

# Words that do not distinguish one summit name from another (SCHEMA.md).
_SUMMIT_STOPWORDS = frozenset({"the", "summit", "meeting", "leaders", "of", "annual"})
# Words too common to make two locations the same place ("the White House" vs "the Blue House").
_LOCATION_STOPWORDS = frozenset({"the", "of", "and", "de"})

# Pair quality: a match outweighs any sum of tie-break points, so the matching has maximum size first.
_MATCH_WEIGHT = 1_000_000
_EXACT_DATE_POINTS = 1000
_KIND_POINTS = 100
_LOCATION_POINTS = 10


@dataclass
class Score:
    """Precision/recall of upcoming meetings and the attribute accuracy of the matched pairs."""

    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    exact_date: float
    location: float
    kind: float
    matched: int
    certainty: float = 0.0  # share of matched pairs whose certainty is the gold one (not in SCHEMA.md's figures)
    per_article: list[dict] = field(default_factory=list)
    negatives: int = 0  # articles with no upcoming gold meeting
    negatives_flagged: int = 0  # upcoming meetings predicted in those articles

    @property
    def false_per_100_negatives(self) -> float:
        return 100 * _ratio(self.negatives_flagged, self.negatives)

    def to_json(self) -> dict:
        """All figures and the per-article details as a JSON-ready dict."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "exact_date": round(self.exact_date, 4),
            "location": round(self.location, 4),
            "kind": round(self.kind, 4),
            "certainty": round(self.certainty, 4),
            "matched": self.matched,
            "negatives": self.negatives,
            "negatives_flagged": self.negatives_flagged,
            "per_article": self.per_article,
        }


# ---------------------------------------------------------------------------- names


def _words(text: str | None) -> list[str]:
    """The normalised words of a name (see ``bot.store.name_key``)."""
    return name_key(text).split() if text else []


def same_person(a: str, b: str) -> bool:
    """True when the two names' words are equal or one's words are all in the other's."""
    wa, wb = set(_words(a)), set(_words(b))
    if not wa or not wb:
        return False
    return wa <= wb or wb <= wa


def _summit_words(name: str) -> set[str]:
    """Words of a summit name: possessive 's dropped and 'G 7' joined back into 'g7'."""
    text = re.sub(r"['\u2019]s\b", "", name)
    words = _words(text)
    joined: list[str] = []
    for word in words:
        if joined and word.isdigit() and len(joined[-1]) == 1 and joined[-1].isalpha():
            joined[-1] += word
        else:
            joined.append(word)
    return set(joined)


def same_summit_name(a: str | None, b: str | None) -> bool:
    """True when one summit name's words, generic words aside, are all in the other's."""
    # A name made only of generic words ("Annual Leaders' Meeting") is compared with all its words
    # instead, and only when it has two or more, so that it does not match every named summit.
    if not a or not b:
        return False
    wa, wb = _summit_words(a), _summit_words(b)
    ca, cb = wa - _SUMMIT_STOPWORDS, wb - _SUMMIT_STOPWORDS
    if ca and cb:
        return ca <= cb or cb <= ca
    generic, other = (wa, wb) if not ca else (wb, wa)
    return len(generic) >= 2 and generic <= other


def _shared_participants(a: list[str], b: list[str]) -> int:
    """How many people the two lists share, each name used once (maximum bipartite matching)."""
    owner: dict[int, int] = {}

    def augment(i: int, seen: set[int]) -> bool:
        """Find a free or re-assignable name in b for a[i] (augmenting path)."""
        for j, name in enumerate(b):
            if j in seen or not same_person(a[i], name):
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    return sum(1 for i in range(len(a)) if augment(i, set()))


# ---------------------------------------------------------------------------- dates and places


def _as_date(value: Any) -> date | None:
    """An ISO string, date or datetime as a date; None when absent or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _span(meeting: dict) -> tuple[date, date] | None:
    """The meeting's (start, end), a missing bound taking the other's value; None when undated."""
    start, end = _as_date(meeting.get("start")), _as_date(meeting.get("end"))
    if start is None and end is None:
        return None
    start = start or end
    end = end or start
    assert start is not None and end is not None
    return (start, end) if start <= end else (end, start)


def _dates_overlap(gold: dict, pred: dict) -> bool:
    """SCHEMA overlap: an undated gold meeting accepts any date; an undated prediction needs undated gold."""
    g = _span(gold)
    if g is None:
        return True
    p = _span(pred)
    if p is None:
        return False
    return p[0] <= g[1] and g[0] <= p[1]


def _exact_dates(gold: dict, pred: dict) -> bool:
    """Start and end both exactly right (both null counts as right)."""
    return (_as_date(gold.get("start")) == _as_date(pred.get("start"))
            and _as_date(gold.get("end")) == _as_date(pred.get("end")))


def _place_words(place: str | None) -> set[str]:
    """Distinctive normalised words of a place name."""
    return set(_words(place)) - _LOCATION_STOPWORDS


def _location_right(gold: dict, pred: dict) -> bool:
    """The predicted location shares a word with the gold location or an alt location, or both are null."""
    g_loc, p_loc = gold.get("location") or None, pred.get("location") or None
    if p_loc is None:
        return g_loc is None
    p_words = _place_words(p_loc)
    places = [g_loc, *(gold.get("alt_locations") or [])]
    return any(p_words & _place_words(place) for place in places if place)


def _participants(meeting: dict) -> list[str]:
    """The meeting's participant names (non-empty strings only)."""
    return [p for p in (meeting.get("participants") or []) if isinstance(p, str) and p.strip()]


# ---------------------------------------------------------------------------- matching


def _rule(gold: dict, pred: dict) -> str | None:
    """Which SCHEMA rule lets the prediction match the gold meeting ('a', 'b', 'c'), or None."""
    if not _dates_overlap(gold, pred):
        return None
    gp, pp = _participants(gold), _participants(pred)
    shared = _shared_participants(gp, pp)
    if shared >= 2:
        return "a"
    if same_summit_name(gold.get("name"), pred.get("name")):
        return "b"
    if shared >= 1 and gold.get("kind") == pred.get("kind") and (len(gp) == 1 or len(pp) == 1):
        return "c"
    return None


def _quality(gold: dict, pred: dict) -> int:
    """Tie-break points of a matching pair: exact dates, then kind, then location, then shared people."""
    points = _MATCH_WEIGHT
    if _exact_dates(gold, pred):
        points += _EXACT_DATE_POINTS
    if gold.get("kind") == pred.get("kind"):
        points += _KIND_POINTS
    if _location_right(gold, pred):
        points += _LOCATION_POINTS
    points += min(_shared_participants(_participants(gold), _participants(pred)), 9)
    return points


def _max_weight_assignment(weights: list[list[int]]) -> list[tuple[int, int]]:
    """Pairs (row, column) of positive weight maximising the total weight (Hungarian algorithm)."""
    n_rows = len(weights)
    n_cols = len(weights[0]) if weights else 0
    if n_rows == 0 or n_cols == 0:
        return []
    n = max(n_rows, n_cols)
    top = max(max(row) for row in weights)
    # Square cost matrix (minimisation); padding cells cost as much as a non-match.
    cost = [[top - (weights[i][j] if i < n_rows and j < n_cols else 0) for j in range(n)] for i in range(n)]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (n + 1)
    col_row = [0] * (n + 1)  # col_row[j] = row (1-based) assigned to column j
    way = [0] * (n + 1)
    for i in range(1, n + 1):
        col_row[0] = i
        j0 = 0
        minv = [inf] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[j0] = True
            i0 = col_row[j0]
            delta = inf
            j1 = 0
            for j in range(1, n + 1):
                if used[j]:
                    continue
                cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j] = cur
                    way[j] = j0
                if minv[j] < delta:
                    delta = minv[j]
                    j1 = j
            for j in range(n + 1):
                if used[j]:
                    u[col_row[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if col_row[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            col_row[j0] = col_row[j1]
            j0 = j1
    pairs = []
    for j in range(1, n + 1):
        i = col_row[j] - 1
        if i < n_rows and j - 1 < n_cols and weights[i][j - 1] > 0:
            pairs.append((i, j - 1))
    return sorted(pairs)


def _is_prediction(meeting: dict) -> bool:
    """A predicted meeting counts when its tense is upcoming or absent."""
    tense = meeting.get("tense")
    return tense is None or tense == "upcoming"


def _score_article(article: dict, predicted: list[dict]) -> dict:
    """Match one article's predictions to its gold meetings; the per-article details."""
    gold_all = [m for m in (article.get("meetings") or []) if isinstance(m, dict)]
    targets = [m for m in gold_all if m.get("tense") == "upcoming"]
    others = [m for m in gold_all if m.get("tense") != "upcoming"]
    preds = [m for m in predicted if isinstance(m, dict) and _is_prediction(m)]
    weights = [[_quality(g, p) if _rule(g, p) else 0 for p in preds] for g in targets]
    pairs = _max_weight_assignment(weights)
    matched_gold = {i for i, _ in pairs}
    matched_pred = {j for _, j in pairs}
    matched = []
    for i, j in pairs:
        g, p = targets[i], preds[j]
        matched.append({
            "gold": g,
            "predicted": p,
            "rule": _rule(g, p),
            "exact_date": _exact_dates(g, p),
            "location": _location_right(g, p),
            "kind": g.get("kind") == p.get("kind"),
            "certainty": g.get("certainty") == p.get("certainty"),
        })
    false_positives = []
    for j, p in enumerate(preds):
        if j in matched_pred:
            continue
        resembles = next((o for o in others if _rule(o, p)), None)
        false_positives.append({"predicted": p, "matches_gold_tense": resembles.get("tense") if resembles else None,
                                "matches_gold": resembles})
    misses = [g for i, g in enumerate(targets) if i not in matched_gold]
    return {
        "id": str(article.get("id")),
        "title": article.get("title", ""),
        "tp": len(pairs),
        "fp": len(false_positives),
        "fn": len(misses),
        "misses": misses,
        "false_positives": false_positives,
        "matched": matched,
    }


def _ratio(num: int, den: int) -> float:
    """num/den, 0.0 when den is 0."""
    return num / den if den else 0.0


def score(gold: list[dict], predicted: dict[str, list[dict]]) -> Score:
    """Score predictions (article id -> meeting dicts) against gold articles."""
    by_id = {str(key): value for key, value in predicted.items()}
    per_article = [_score_article(article, list(by_id.get(str(article.get("id"))) or [])) for article in gold]
    tp = sum(a["tp"] for a in per_article)
    fp = sum(a["fp"] for a in per_article)
    fn = sum(a["fn"] for a in per_article)
    pairs = [pair for a in per_article for pair in a["matched"]]
    negatives = [a for a in per_article if a["tp"] + a["fn"] == 0]
    precision = _ratio(tp, tp + fp)
    recall = _ratio(tp, tp + fn)
    f1 = _ratio(2 * tp, 2 * tp + fp + fn)
    return Score(
        tp=tp,
        fp=fp,
        fn=fn,
        precision=precision,
        recall=recall,
        f1=f1,
        exact_date=_ratio(sum(p["exact_date"] for p in pairs), len(pairs)),
        location=_ratio(sum(p["location"] for p in pairs), len(pairs)),
        kind=_ratio(sum(p["kind"] for p in pairs), len(pairs)),
        certainty=_ratio(sum(p.get("certainty", False) for p in pairs), len(pairs)),
        matched=len(pairs),
        per_article=per_article,
        negatives=len(negatives),
        negatives_flagged=sum(a["fp"] for a in negatives),
    )


# ---------------------------------------------------------------------------- ablation


@dataclass
class AblationRow:
    """The scores with one rule family switched off, and their change from the run with every family on."""

    family: str
    description: str
    f1: float
    delta_f1: float
    delta_precision: float
    delta_recall: float
    delta_places: int = 0  # matched meetings with the right place, without the family minus with it
    delta_exact: int = 0  # matched meetings with exactly the right dates, likewise


def _right(s: Score) -> tuple[int, int]:
    """How many matched meetings have the right place, and how many exactly the right dates."""
    return round(s.location * s.tp), round(s.exact_date * s.tp)


def ablate(gold: list[dict], predict: Callable[[frozenset[str]], dict[str, list[dict]]],
           families: Iterable[tuple[str, str]]) -> tuple[Score, list[AblationRow]]:
    """Score the gold articles with every family on, then once with each family (name, description) off.

    predict(disabled) returns the predictions (article id -> meeting dicts) made with those families
    switched off. The rows come sorted by the change in F1, the family whose loss costs most first; among
    equal changes, by the places and exact dates of matched meetings lost (a family of places or dates moves
    those, not whether a meeting matches)."""
    base = score(gold, predict(frozenset()))
    places, exact = _right(base)
    rows = []
    for name, description in families:
        s = score(gold, predict(frozenset({name})))
        p, e = _right(s)
        rows.append(AblationRow(name, description, s.f1, s.f1 - base.f1, s.precision - base.precision,
                                s.recall - base.recall, p - places, e - exact))
    rows.sort(key=lambda r: (round(r.delta_f1, 6), r.delta_places + r.delta_exact, r.family))
    return base, rows


def format_ablation(base: Score, rows: list[AblationRow]) -> str:
    """The ablation as a Markdown table, under a line with the scores of the run with every family on.

    Δ places and Δ exact dates count matched meetings whose place (dates) are right without the family, minus
    with it: a family that pays in places or dates has a negative count there."""
    places, exact = _right(base)
    lines = [f"All rule families on: P {base.precision:.3f} R {base.recall:.3f} F1 {base.f1:.3f} "
             f"(tp {base.tp}, fp {base.fp}, fn {base.fn}; right places {places}, exact dates {exact})", "",
             "| family | description | F1 without | ΔF1 | ΔP | ΔR | Δ places | Δ exact dates |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        description = r.description.replace("|", "\\|")
        lines.append(f"| {r.family} | {description} | {r.f1:.3f} | {r.delta_f1:+.3f} | {r.delta_precision:+.3f} "
                     f"| {r.delta_recall:+.3f} | {r.delta_places:+d} | {r.delta_exact:+d} |")
    return "\n".join(lines)


# ---------------------------------------------------------------------------- files and report


def load_gold(path: str | Path) -> list[dict]:
    """Gold articles from a JSONL file, or a .json file holding a list of articles or one article."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        data = json.loads(text)
        return data if isinstance(data, list) else [data]
    articles = []
    for lineno, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            articles.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{lineno}: not valid JSON: {exc}") from exc
    return articles


def _describe(meeting: dict) -> str:
    """One line about a meeting: kind, name, participants, dates, location."""
    people = ", ".join(_participants(meeting)) or "-"
    start, end = meeting.get("start"), meeting.get("end")
    when = "no date" if not start and not end else (str(start) if start == end else f"{start}..{end}")
    parts = [str(meeting.get("kind") or "?")]
    if meeting.get("name"):
        parts.append(f"'{meeting['name']}'")
    parts.append(f"[{people}]")
    parts.append(when)
    parts.append(f"@ {meeting.get('location') or '-'}")
    if meeting.get("tense") and meeting.get("tense") != "upcoming":
        parts.append(f"({meeting['tense']})")
    return " ".join(parts)


def format_report(score: Score, verbose: bool = False) -> str:
    """A human-readable report: the figures, and with ``verbose`` every miss and false positive."""
    s = score
    lines = [
        f"articles: {len(s.per_article)}, gold upcoming meetings: {s.tp + s.fn}, predicted: {s.tp + s.fp}",
        f"upcoming meetings: P {s.precision:.2f} R {s.recall:.2f} F1 {s.f1:.2f} (tp {s.tp}, fp {s.fp}, fn {s.fn})"
        f" | exact dates {s.exact_date:.2f} | location {s.location:.2f} | kind {s.kind:.2f}"
        f" | certainty {s.certainty:.2f}",
        f"articles with no upcoming meeting: {s.negatives}, upcoming meetings reported in them: {s.negatives_flagged}"
        f" ({s.false_per_100_negatives:.0f} per 100)",
    ]
    if not verbose:
        return "\n".join(lines)
    for art in s.per_article:
        wrong = [m for m in art["matched"] if not (m["exact_date"] and m["location"] and m["kind"])]
        if not (art["misses"] or art["false_positives"] or wrong):
            continue
        lines.append("")
        lines.append(f"== {art['id']}: {art.get('title', '')}".rstrip(": "))
        for miss in art["misses"]:
            lines.append(f"  MISS  {_describe(miss)}")
        for fp in art["false_positives"]:
            note = f"  (matches a {fp['matches_gold_tense']} gold meeting)" if fp["matches_gold_tense"] else ""
            lines.append(f"  FP    {_describe(fp['predicted'])}{note}")
        for pair in wrong:
            bad = [k.replace("_", " ") for k in ("exact_date", "location", "kind") if not pair[k]]
            lines.append(f"  WRONG {', '.join(bad)}: predicted {_describe(pair['predicted'])}")
            lines.append(f"        gold      {_describe(pair['gold'])}")
    return "\n".join(lines)

