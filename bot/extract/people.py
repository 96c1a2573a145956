"""Who is who in one article: full canonical names from surnames, titles and spelling variants."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.extract.gazetteer import Gazetteer
from bot.names import PATRONYMIC, fathers_names, name_key

TITLES = (
    "President", "Vice President", "Prime Minister", "Premier", "Chancellor", "King", "Queen", "Emperor",
    "Crown Prince", "Prince", "Sultan", "Emir", "Sheikh", "General Secretary", "Leader",
    "Foreign Minister", "Defence Minister", "Defense Minister", "Minister", "Secretary of State",
    "Secretary", "Secretary-General", "Secretary General", "Ambassador", "Envoy", "Special Envoy",
    "President-elect", "Vice Premier", "Supreme Leader", "Governor", "Senator", "Speaker",
    "Adviser", "Advisor",  # "National Security Adviser Ajit Doval"
    "counterpart",  # "his Nepali counterpart K P Sharma Oli"
    "State Councilor", "State Councillor", "Councilor", "Councillor",
)
# Roles that make a person a diplomatic actor (a head of state/government, minister, envoy).
OFFICIAL_WORDS = {
    "president", "prime", "premier", "chancellor", "king", "queen", "emperor", "prince", "sultan", "emir",
    "sheikh", "leader", "minister", "secretary", "ambassador", "envoy", "envoys", "representative",
    "elect", "counterpart", "adviser", "advisor", "diplomat", "dictator",
}

_NAME = (r"(?:[A-Z]\.?[^\S\n]?(?=[A-Z]))?(?:[A-Z]\.?[^\S\n]+)?[A-Z](?:[^\W\d_]|['’\-])+(?:[^\S\n]+(?:(?:bin|al|el|da|de|van|von|der|le|la|du)[^\S\n]+)?"
         r"(?:[A-Z]\.|Jr\.|[A-Z](?:[^\W\d_]|['’\-])+)){0,3}")  # any letters ("Schröder"); a period only after an initial or "Jr"
# Every match starts with a capital (the adjective's or the title's): the lookahead says so up front,
# which lets the scan skip other positions without trying the pattern there (about 3x faster).
_TITLE_RE = re.compile(
    r"(?=[A-Z])(?P<adj>(?:[A-Z][a-z]+(?:['’]s)?[^\S\n]+){0,2}?)(?P<title>"
    + "|".join(sorted(map(re.escape, TITLES), key=len, reverse=True))
    + r")[^\S\n]+(?P<name>" + _NAME + r")")  # a name never runs across a line break (captions, headlines)
# Offices of a head of state or government.
LEADER_TITLES = {"president", "prime minister", "premier", "chancellor", "king", "queen", "emperor", "leader",
                 "supreme leader", "sultan", "emir", "general secretary", "president-elect"}
_TITLE_WORDS = {w.lower() for t in TITLES for w in t.split()} | OFFICIAL_WORDS | {"crown", "vice", "supreme"}
_NOT_NAMES = {"the", "a", "an", "of", "and", "said", "on", "in", "has", "will", "is", "was", "who", "for"}
# Verbs a title-case headline puts right after a name, which spaCy reads as part of it ("Macron Says ...").
_HEADLINE_VERBS = {"says", "meets", "visits", "hosts", "calls", "urges", "tells", "warns", "arrives", "heads",
                   "invites", "welcomes", "holds", "vows", "seeks", "to", "set", "due", "expected", "plans"}
# Forms of address and abbreviated titles before a name, never part of it ("Dr. S. Jaishankar", "Datuk Seri Anwar
# Ibrahim", "Tan Sri", "PM Starmer", "FM Qureshi", "Gen. Munir").
_HONORIFIC = re.compile(r"^(?:(?:Dr|Mr|Mrs|Ms|Mme|Sir|Dame|H\.\s?E|His Excellency|Her Excellency|"
                        r"(?:PM|FM|VP|DPM|EAM)(?=\s)|(?:Pres|Gen|Lt\.?\s?Gen|Maj\.?\s?Gen|Sen|Rep|Amb|Sec|Adm)(?=\.)|"
                        r"(?:The\s+|the\s+)?(?:Rt\.?\s+|Right\s+)?(?:Hon|Honourable|Honorable))\.?\s+|"
                        r"(?:Datuk|Dato'?|Tun|Tan(?=\s+Sri))\s+(?:Seri\s+|Sri\s+)?)+")


# The titles of an office named in the plural (other offices: the singular, "presidents" -> "president").
_OFFICE_TITLES = {"premiers": {"premier", "prime minister"},
                  "defence ministers": {"defence minister", "defense minister"},
                  "defense ministers": {"defence minister", "defense minister"}}
# A royal's title and given name are the name outlets use ("King Charles", "Queen Camilla", "Pope Francis").
_ROYAL = {"king", "queen", "prince", "princess", "emperor", "empress", "pope", "sultan", "emir", "sheikh", "crown"}
_QUOTED_NICK = re.compile(r"\s*[\"“”]([A-Z][\w'-]+)[\"“”]\s*")
# 'Pushpa Kamal Dahal "Prachanda"', 'Joko "Jokowi" Widodo': a name with a nickname in quotes inside or after it
_NICK_IN_NAME = re.compile(r"((?:[A-Z][\w'-]+[^\S\n]+){1,3})[\"“]([A-Z][\w-]+)[\"”](?:[^\S\n]+([A-Z][\w'-]+))?")


@dataclass
class Person:
    name: str
    country: str | None = None
    official: bool = False
    mentions: int = 0
    titles: set[str] = field(default_factory=set)


@dataclass
class PeopleIndex:
    """Names seen in one article, and how their short forms map to them."""

    gazetteer: Gazetteer
    hygiene: bool = True  # the 'name forms' family: honorifics, headline verbs, nicknames, transliterations
    people: dict[str, Person] = field(default_factory=dict)  # canonical -> Person
    by_token: dict[str, str] = field(default_factory=dict)  # name_key(surname or given) -> canonical
    keys: dict[str, str] = field(default_factory=dict)  # canonical -> name_key(canonical), computed once
    # resolve()'s and _known()'s answers until the next new person: the rules ask about the same words many times.
    _resolved: dict[str, str | None] = field(default_factory=dict, repr=False)
    _known_forms: dict[str, str | None] = field(default_factory=dict, repr=False)
    _squashed: dict[str, str] = field(default_factory=dict, repr=False)  # name_key without spaces -> canonical
    _words: dict[str, tuple[list[str], set[str]]] = field(default_factory=dict, repr=False)  # words, fathers

    def add(self, raw: str, *, official: bool = False, country: str | None = None,
            title: str | None = None) -> str | None:
        """Register a full name (or variant) and return its canonical form."""
        if self.hygiene:  # 'Joko "Jokowi" Widodo': the name without the nickname the text quotes in it
            raw = _QUOTED_NICK.sub(" ", raw)
        raw = " ".join(raw.replace("’", "'").split()).strip(" ,.'")
        if self.hygiene:
            raw = raw.split("'s ")[0]  # "Keizo Obuchi's Visit" as spaCy's PERSON: the name is the owner
        if raw.endswith("'s"):
            raw = raw[:-2]
        raw = _HONORIFIC.sub("", raw + " ").strip() if self.hygiene else raw  # "Dr" alone: no name left
        words = raw.split()
        while words and (words[0].lower() in _NOT_NAMES or (len(words) > 2 and (
                words[0].lower() in _TITLE_WORDS or self.gazetteer.country(words[0])))):
            words = words[1:]  # "Qatari Emir Tamim bin Hamad Al Thani" as spaCy's PERSON: the name is the rest
        while words and (words[-1].lower() in _NOT_NAMES or self.hygiene and len(words) > 1
                         and words[-1].lower() in _HEADLINE_VERBS):
            words = words[:-1]
        if not words or all(w.lower() in _TITLE_WORDS for w in words):
            return None  # "the Secretary General of the Council": an office, nobody's name
        if self.hygiene and len(words) == 2 and words[0].lower() in _TITLE_WORDS - _ROYAL:
            # "Prince Mohammad", "Councilor Wang": a title and one name, of someone the article or gazetteer knows
            known = self._known(words[1]) or self.gazetteer.person(words[1], self.hygiene)
            if known and name_key(words[1]) not in fathers_names(name_key(known).split()):
                words = known.split()
        raw = " ".join(words)
        canonical = self._known(raw) or self.gazetteer.person(raw, self.hygiene) or raw
        person = self.people.get(canonical)
        if person is None:
            person = Person(canonical, country=self.gazetteer.person_country.get(canonical))
            self.people[canonical] = person
            self._forget()
            self.keys[canonical] = ckey = name_key(canonical)
            self._squashed.setdefault(ckey.replace(" ", ""), canonical)
            cwords = ckey.split()
            self._words[canonical] = (cwords, fathers_names(cwords))
            for key in (raw, canonical):
                parts = name_key(key).split()
                if len(parts) >= 2:
                    if not PATRONYMIC & set(parts[1:-1]):  # "Mohammed bin Salman": his father's name
                        self.by_token.setdefault(parts[-1], canonical)
                    self.by_token.setdefault(parts[0], canonical)  # Korean/Chinese family name first
                    if len(parts) >= 3:
                        self.by_token.setdefault(" ".join(parts[-2:]), canonical)
        person.official = person.official or official or canonical in self.gazetteer.person_country
        if title:
            person.titles.add(title.lower())
        person.country = person.country or country
        person.mentions += 1
        return canonical

    def _forget(self) -> None:
        """Drop the remembered answers of resolve() and _known(): a new name or short form may change them."""
        self._resolved.clear()
        self._known_forms.clear()

    def add_short_form(self, form: str, canonical: str) -> None:
        """A word that names a known person ('Prachanda' for Pushpa Kamal Dahal), unless it names someone already."""
        self.by_token.setdefault(name_key(form), canonical)
        self._forget()

    def _known(self, raw: str) -> str | None:
        """An already-seen person that this form names: 'Lee' or 'Lee Jae Myung' -> 'Lee Jae-myung'."""
        if raw in self._known_forms:
            return self._known_forms[raw]
        self._known_forms[raw] = found = self._find_known(raw)
        return found

    def _find_known(self, raw: str) -> str | None:
        key = name_key(raw)
        hit = self._squashed.get(key.replace(" ", ""))  # the name itself, spaced another way
        if hit:
            return hit
        words = key.split()
        if len(words) == 1:
            hit = self.by_token.get(words[0])
            if hit:
                return hit
        if self.hygiene:
            for canonical, (cwords, _) in self._words.items():
                if len(cwords) >= 2 and len(words) == len(cwords) + 1 and words[:-1] == cwords \
                        and min(map(len, words)) >= 2:
                    return canonical  # "Pushpa Kamal Dahal Prachanda": the name, and a nickname after it
        for canonical, (cwords, fathers) in self._words.items():
            if len(words) < len(cwords) and all(w in cwords for w in words) and not set(words) <= fathers:
                return canonical
        return None

    def resolve(self, mention: str) -> str | None:
        """Canonical name for a mention in running text, or None when unknown."""
        if mention in self._resolved:
            return self._resolved[mention]
        form = mention.strip(" ,.'")
        if form.endswith("'s"):
            form = form[:-2]
        hit = self._known(form) or self.gazetteer.person(form, self.hygiene) or None
        self._resolved[mention] = hit
        return hit

    def by_country(self, country: str, title: str | None = None) -> str | None:
        """The official of a country a title names ('the U.S. president'): the holder of that office when
        the article gives one, else its most-mentioned official ('his Russian counterpart')."""
        officials = [p for p in self.people.values() if p.country == country and p.official]
        holders = [p for p in officials if title and title.lower() in p.titles]
        best = max(holders or officials, key=lambda p: p.mentions, default=None)
        return best.name if best else None

    def leader_of(self, country: str) -> str | None:
        """The one head of state or government of a country that this article names, if exactly one
        ("the two Koreas' leaders" -> Moon Jae-in and Kim Jong-un)."""
        officials = [p for p in self.people.values() if p.official and p.country == country]
        titled = [p for p in officials if p.titles & LEADER_TITLES]
        pool = titled or [p for p in officials if not p.titles]
        return pool[0].name if len(pool) == 1 else None

    def official_of(self, country: str, office: str) -> str | None:
        """The one person of a country the article names in an office given in the plural ('leaders',
        'foreign ministers', 'heads of state'), or None when none or several."""
        wanted = LEADER_TITLES if office.startswith(("leader", "head")) else _OFFICE_TITLES.get(office, {office[:-1]})
        holders = [p for p in self.people.values() if p.country == country and p.titles & wanted]
        return holders[0].name if len(holders) == 1 else None

    def by_title(self, title: str, besides: frozenset[str] = frozenset()) -> str | None:
        """The article's one official with this office ('the premier' -> 'Li Qiang'), else None; besides: holders
        it cannot be."""
        title = title.lower()
        holders = [p for p in self.people.values() if title in p.titles and p.name not in besides]
        if not holders:
            return None
        holders.sort(key=lambda p: -p.mentions)
        if len(holders) > 1 and holders[0].mentions == holders[1].mentions:
            return None
        return holders[0].name

    def is_official(self, name: str) -> bool:
        p = self.people.get(name)
        return bool(p and p.official) or name in self.gazetteer.person_country  # the gazetteer's leaders


def scan_nicknames(text: str, index: PeopleIndex) -> None:
    """Register each name given with a quoted nickname, and the nickname as a short form of it."""
    for m in _NICK_IN_NAME.finditer(text):
        full = " ".join(m.group(1).split() + ([m.group(3)] if m.group(3) else []))
        if len(full.split()) < 2 or full.split()[0].lower() in _NOT_NAMES | _TITLE_WORDS:
            continue
        canonical = index.add(full)
        if canonical:
            index.add_short_form(m.group(2), canonical)


def scan_titles(text: str, index: PeopleIndex) -> None:
    """Register every 'Chinese President Xi Jinping'-style mention in the text, with country and office."""
    g = index.gazetteer
    for m in _TITLE_RE.finditer(text):
        name = m.group("name")
        words = name.split()
        # Drop trailing words that are not part of a name ("Xi Jinping In" never happens, but "Lee Said" might).
        while len(words) > 1 and words[-1].lower() in _NOT_NAMES:
            words.pop()
        if not words or words[0] in ("The", "Of"):
            continue
        country = None
        adj = re.sub(r"['’]s$", "", m.group("adj").strip())  # "Kosovo's Prime Minister Albin Kurti"
        if adj:
            country = g.country(adj)
        index.add(" ".join(words), official=True, country=country, title=m.group("title"))
    if g.people_pattern is not None:
        for m in g.people_pattern.finditer(text):
            index.add(m.group(0), official=True)
