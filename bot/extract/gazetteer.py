"""Known leaders, countries and summit names (config/gazetteer.toml), indexed for lookup."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz.fuzz import ratio

from bot.config import PROJECT_ROOT
from bot.names import PATRONYMIC, name_key

DEFAULT_GAZETTEER = PROJECT_ROOT / "config" / "gazetteer.toml"


@dataclass
class Gazetteer:
    people: dict[str, str] = field(default_factory=dict)  # name_key(alias) -> canonical
    person_country: dict[str, str] = field(default_factory=dict)  # canonical -> country
    countries: dict[str, str] = field(default_factory=dict)  # name_key(alias) -> country
    adjectives: dict[str, str] = field(default_factory=dict)  # name_key(adjective) -> country
    capitals: set[str] = field(default_factory=set)  # name_key(capital or seat of power), also in countries
    capital_city: dict[str, str] = field(default_factory=dict)  # country -> its capital as written first
    venues: dict[str, str] = field(default_factory=dict)  # name_key(building) -> the city it is in
    summits: dict[str, str] = field(default_factory=dict)  # name_key(alias) -> canonical summit name
    surnames: dict[str, str] = field(default_factory=dict)  # name_key(surname) -> canonical, when unambiguous
    summit_pattern: re.Pattern | None = None
    people_pattern: re.Pattern | None = None

    skeletons: dict[str, str] = field(default_factory=dict)  # skeleton(full name) -> canonical, when unambiguous

    def person(self, text: str, transliterations: bool = True) -> str | None:
        key = name_key(text)
        found = self.people.get(key) or self.surnames.get(key)
        if found is None and " " in key:
            found = self.skeletons.get(skeleton(key))  # "Mohammad bin Salman" ~ "Mohammed bin Salman"
        if found is None and " " in key and transliterations:
            found = self._transliterated(key)
        return found or None

    def _transliterated(self, key: str) -> str | None:
        """A leader whose surname this name shares, and whose given name it spells another way ('Binyamin
        Netanyahu', 'Sergey Lavrov'): same first letter, similar letters, the surname the leader's alone."""
        words = key.split()
        known = self.surnames.get(words[-1])
        if not known:
            return None
        given = name_key(known).split()[:-1]
        if len(given) != len(words) - 1 or not given:
            return None
        if all(a[0] == b[0] and ratio(a, b) >= 70 for a, b in zip(words[:-1], given)):
            return known
        return None

    def country(self, text: str) -> str | None:
        key = _country_key(text)
        return self.countries.get(key) or self.adjectives.get(key)

    def is_capital(self, text: str) -> bool:
        """The text names a capital, seat of government or building of power ("Moscow", "Seoul", "Kremlin").

        country() maps these to their country as well ("talks in Moscow" involve Russia), but as a
        meeting's venue a city is more specific than its country, so callers need to tell the two apart.
        """
        return _country_key(text) in self.capitals

    def is_state(self, text: str) -> bool:
        """The text names a state itself ("Russia", "ROK", "Republic of Korea"), not a place in it.

        True when country() finds it and it is not one of the capitals: a venue given as a state is less
        specific than one given as its capital, so e.g. "Moscow" should beat "Russia" as a location.
        """
        key = _country_key(text)
        return key not in self.capitals and self.country(text) is not None

    def capital_of(self, text: str) -> str | None:
        """The capital of the state a name or adjective refers to: "Ethiopian" -> "Addis Ababa"."""
        country = self.country(text)
        return self.capital_city.get(country) if country else None

    def venue_city(self, text: str) -> str | None:
        """The city a known building of power is in: "the Oval Office" -> "Washington"."""
        return self.venues.get(_country_key(text))

    def summit(self, text: str) -> str | None:
        return self.summits.get(name_key(text))


def _country_key(text: str) -> str:
    """The lookup key of a country, capital or adjective: name_key without a leading "the"."""
    key = name_key(text)
    return key[4:] if key.startswith("the ") else key


def skeleton(key: str) -> str:
    """A name without its vowels and doubled letters: transliterations of one name mostly agree on it
    (Mohammad/Mohammed/Muhammad, Zelensky/Zelenskyy, Hasina/Haseena)."""
    return " ".join(re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy]", "", w)) or w for w in key.replace("-", " ").split())


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def _phrases(words: list[str], end: str) -> re.Pattern:
    """Any of the words as a whole phrase ending before `end`.

    The lookahead on the words' first characters is redundant for what matches, but lets the scan
    reject most positions at once instead of trying every alternative there (about 3x faster).
    """
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    lead = f"(?=[{first}])" if first else ""
    return re.compile(lead + r"(?<![\w-])(?:" + _alternation(words) + ")" + end)


# Where the family name comes first, and news uses it alone: "Xi", "Yoon", "Lai"
_FAMILY_NAME_FIRST = {"China", "Taiwan", "North Korea", "South Korea"}


@lru_cache(maxsize=4)
def load_gazetteer(path: str | Path = DEFAULT_GAZETTEER) -> Gazetteer:
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    g = Gazetteer()
    person_forms = []
    for p in data.get("people", []):
        name = p["name"]
        for alias in [name, *p.get("aliases", [])]:
            g.people[name_key(alias)] = name
            if " " in name_key(alias):
                sk = skeleton(name_key(alias))
                g.skeletons[sk] = "" if g.skeletons.get(sk, name) != name else name  # "" marks a clash
            if " " in alias or len(alias) > 4:
                person_forms.append(alias)
        if p.get("country"):
            g.person_country[name] = p["country"]
        words = name_key(name).split()
        # The last word of the name as written: "Jong-un" is a given name's two halves, and "un" no surname
        # (it would make "the UN representative" Kim Jong-un).
        last = name_key(name.split()[-1])
        surnames = {last} if " " not in last and not (len(words) > 2 and words[-2] in PATRONYMIC) \
            else set()  # "Mohammed bin Salman": Salman is his father
        if p.get("country") in _FAMILY_NAME_FIRST and len(words) > 1:
            surnames.add(words[0])  # "Xi" for Xi Jinping, "Yoon" for Yoon Suk Yeol
        for surname in surnames:
            g.surnames[surname] = "" if surname in g.surnames else name  # "" marks a surname two leaders share
    for c in data.get("countries", []):
        for alias in [c["name"], *c.get("aliases", [])]:
            g.countries[_country_key(alias)] = c["name"]  # looked up without "the": "the North", "The Hague"
        if c.get("capitals"):
            g.capital_city[c["name"]] = c["capitals"][0]
        for capital in c.get("capitals", []):  # a capital still resolves to its country; is_capital tells it apart
            g.countries[_country_key(capital)] = c["name"]
            g.capitals.add(_country_key(capital))
        for adj in c.get("adjectives", []):
            g.adjectives[name_key(adj)] = c["name"]
    for v in data.get("venues", []):
        for name in v["names"]:
            g.venues[_country_key(name)] = v["city"]
    summit_forms = []
    for s in data.get("summits", []):
        for alias in [s["name"], *s.get("aliases", [])]:
            g.summits[name_key(alias)] = s["name"]
            summit_forms.append(alias)
    common = {"may", "march", "august", "june", "will", "rice", "young", "brown", "long", "little", "king", "bush",
              "love", "wong", "lee", "kim", "li", "wang", "park", "costa", "rutte", "lam", "moon", "han", "ma"}
    g.surnames = {k: v for k, v in g.surnames.items() if v and k not in g.people and k not in common}
    g.summit_pattern = _phrases(summit_forms, end=r"(?![\w])")
    g.people_pattern = _phrases(person_forms, end=r"(?![\w-])")
    return g
