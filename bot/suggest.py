"""'Did you mean …': the known leaders and countries nearest a misspelt name (rapidfuzz).

The people and aliases tables grow with the news, so they are never read whole: the candidates are the
people with a name word starting like one of the typed words (the names' full-text index) and the aliases
starting like one (the aliases' primary key), at most MAX_CANDIDATES rows per lookup. Countries come from
the gazetteer, a fixed list held in memory. A typo in the first three letters of every word is not found.
"""

from __future__ import annotations

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.fuzz import token_sort_ratio

from bot.names import name_key
from bot.store import Store
from bot.subscriptions import COUNTRY_ALIASES

MAX_CANDIDATES = 300  # rows read from each growing table per lookup
MAX_WORDS = 4  # typed words whose prefix proposes candidates
PREFIX = 3  # letters of a typed word a candidate must start a word with
CUTOFF = 80.0  # least similarity (0-100) for a suggestion
MAX_SUGGESTIONS = 3


def _prefixes(key: str) -> list[str]:
    words = [w for w in key.split() if len(w) >= 2][:MAX_WORDS]
    return sorted({w[:PREFIX] for w in words})


def score(typed: str, candidate: str, **_kwargs) -> float:
    """How alike two name keys are (0-100): the whole names with one swap, slip or missing letter costing
    little, the words in any order, or (for one typed word) the nearest word of the candidate ('putn')."""
    best = max(DamerauLevenshtein.normalized_similarity(typed, candidate) * 100, token_sort_ratio(typed, candidate))
    if " " not in typed:
        best = max([best, *(DamerauLevenshtein.normalized_similarity(typed, w) * 100 for w in candidate.split())])
    return best


def person_candidates(store: Store, typed: str) -> dict[str, str]:
    """name key -> canonical name, of the people and aliases proposed by the typed words' prefixes."""
    prefixes = _prefixes(name_key(typed))
    if not prefixes:
        return {}
    match = " OR ".join(f'"{p}"*' for p in prefixes)
    out: dict[str, str] = {}
    for (name,) in store.db.execute(
            "SELECT p.name FROM people_fts JOIN people p ON p.id = people_fts.rowid WHERE people_fts MATCH ? LIMIT ?",
            [match, MAX_CANDIDATES]):
        out[name_key(name)] = name
    per_prefix = max(1, MAX_CANDIDATES // len(prefixes))
    for prefix in prefixes:  # an alias key starts with its first word: a range of the primary key
        for alias, name in store.db.execute(
                "SELECT a.alias, p.name FROM aliases a JOIN people p ON p.id = a.person_id"
                " WHERE a.alias >= ? AND a.alias < ? LIMIT ?", [prefix, prefix + "\uffff", per_prefix]):
            out.setdefault(alias, name)
    return out


def country_candidates() -> dict[str, str]:
    """name key -> country, for every country, alias and capital in the gazetteer."""
    from bot.extract.gazetteer import load_gazetteer  # the gazetteer is read once, on the first suggestion

    return dict(load_gazetteer().countries)


def known_country(text: str) -> bool:
    """A country, capital or short form the gazetteer or the subscriptions' matching knows ('US', 'the UK')."""
    from bot.extract.gazetteer import load_gazetteer

    return load_gazetteer().country(text) is not None or name_key(text) in COUNTRY_ALIASES


def nearest(typed: str, candidates: dict[str, str]) -> list[str]:
    """The canonical names whose keys are nearest the typed text, best first, without repeats."""
    key = name_key(typed)
    if not key or not candidates:
        return []
    found = process.extract(key, list(candidates), scorer=score, score_cutoff=CUTOFF, limit=None)
    names: list[str] = []
    for candidate, _score, _index in sorted(found, key=lambda hit: (-hit[1], hit[0])):
        name = candidates[candidate]
        if name not in names and name_key(name) != key:
            names.append(name)
    return names[:MAX_SUGGESTIONS]


def did_you_mean(store: Store, typed: str, *, people: bool = True, countries: bool = False) -> list[str]:
    """Known names a misspelt leader (and, when asked, country) may have meant, best first."""
    candidates: dict[str, str] = {}
    if countries:
        candidates.update(country_candidates())
    if people:
        candidates.update(person_candidates(store, typed))
    return nearest(typed, candidates)


def either(names: list[str], first_slot: int = 0) -> str:
    """'{1}', '{1} or {2}', '{1}, {2} or {3}': slots for the names, which come from articles (the caller quotes them)."""
    slots = [f"{{{i}}}" for i in range(first_slot, first_slot + len(names))]
    return slots[0] if len(slots) == 1 else ", ".join(slots[:-1]) + " or " + slots[-1]
