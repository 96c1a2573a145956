"""Rules over spaCy's parse: meeting mentions in sentences, merged into one list per article."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.extract.gazetteer import Gazetteer
from bot.extract.people import OFFICIAL_WORDS, PeopleIndex, scan_titles
from bot.models import Meeting, certainty_rank
from bot.store import name_key, summit_name_words
from bot.temporal import Found, Resolved, Unresolvable, find_dates, resolve

log = logging.getLogger(__name__)

# A sentence can hold a meeting only if it has one of these words: the cheap prefilter.
CANDIDATE = re.compile(
    r"\b(?:meet(?:s|ing|ings)?|met|summit(?:s|ry)?|talks?|talked|call(?:s|ed)?|phone|telephone|video[- ]?conference|"
    r"visit(?:s|ed|ing)?|host(?:s|ed|ing)?|gathering|session|dialogue|negotiations?|conversation|dinner|discussions|"
    r"sidelines|margins|conference|convene[sd]?|forum|ministerial|tour|trip|speak(?:s|ing)?|spoken?|gather(?:s|ing)?|"
    r"envoys?|delegations?|sit down|signing ceremony|receiv(?:e|es|ed|ing))\b",
)  # matched against the lowercased sentence: several times faster than re.I on every sentence
# Travel words make a candidate only with a country or capital the gazetteer knows in the sentence.
TRAVEL = re.compile(r"\b(?:travel(?:s|led|ling)?|fl(?:y|ies|ew)|head(?:s|ed|ing)? to|land(?:s|ed)?|"
                    r"arriv(?:e|es|ed|ing))\b")  # on the lowercased sentence, like CANDIDATE
_BOUNDARY = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z(\"“])"
                       r"|(?<=[A-Za-z][a-z][.!?])(?=[A-Z](?:[a-z]|\s))")  # a lost space: "trip.The", "July.A"
# A period after these is not a sentence end ("U.S. President", "Oct. 31", "Mr. Lee").
_ABBREVIATIONS = {"u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun",
                  "jul", "aug", "sep", "sept", "oct", "nov", "dec", "gen", "lt", "col", "sen", "rep", "gov", "no",
                  "vs", "jr", "sr", "prof", "a.m", "p.m", "gov", "corp", "inc", "co", "mt", "ft", "capt", "adm"}

MEET_VERBS = {"meet", "talk", "speak", "visit", "host", "convene", "confer", "gather", "sit", "call", "attend",
              "receive"}
MEET_NOUNS = {
    "summit", "meeting", "talk", "talks", "call", "conversation", "visit", "gathering", "session",
    "dialogue", "negotiation", "negotiations", "conference", "videoconference", "dinner", "forum", "summitry",
    "ministerial",
    "discussions",
    "trip", "tour",
}
TRIP_NOUNS = {"visit", "trip", "tour", "journey"}  # a traveller's own movement, not a meeting with anyone
_PAIR = r"\b([A-Z][\w.]*(?:\s*[-–]\s*[A-Z][\w.]*)+)"  # "UK-EU", "US-Korea-Japan": sides joined by dashes
_PAIR_BEFORE = re.compile(_PAIR + r"\s+$")  # just before the trigger "summit"
_PAIR_SUMMIT = re.compile(_PAIR + r"\s+[Ss]ummit")
_PAIRED = re.compile(r"[\w.][-–]\S|\S[-–][\w.]")  # a name joined to another by a hyphen or dash
_SEQUENCE = {"after", "before", "following", "ahead"}  # "after the call with Putin": another meeting
_RECEIVING = {"welcome", "invite", "receive", "host"}  # "welcome X to <place>": the guest comes there
_JOURNEYS = {"travel", "fly", "head", "go", "come"}  # "travel to Moscow for the summit": the summit is there
PHONE = re.compile(r"\b(?:phone|telephone|video ?calls?|video[- ]?conferences?|videoconferences?|virtual(?:ly)?|video links?|by video|"
                   r"video (?:talks|summits?|meetings?)|online (?:talks|summits?|meetings?))\b", re.I)
REPORTING = {"say", "tell", "announce", "report", "add", "note", "confirm", "state", "quote", "write", "tweet",
             "reiterate", "declare", "indicate", "explain", "disclose", "insist", "brief", "cite", "predict"}
SPOUSE = re.compile(r"\b(?:first lady|first gentleman|wife|husband|spouse)\s*,?\s*$", re.I)
# Occasions of saying something: "during a television appearance Friday" dates the appearance.
STATEMENTS = {"appearance", "interview", "briefing", "statement", "broadcast", "remarks", "speech", "tweet",
              "announcement", "teleconference"}
# Not diplomacy: a business "summit", a rate meeting, a match, a court date, shareholders, unions.
NON_DIPLOMATIC = re.compile(
    r"\b(?:CEOs?|business(?:es)?|investors?|investment|tech(?:nology)?|startups?|crypto(?:currency)?|AI|"
    r"artificial intelligence|sales|marketing|shareholders?|board of directors|board meeting|"
    r"central bank|Federal Reserve|Fed|FOMC|rate[- ]setting|interest rates?|monetary policy|"
    r"final(?!\s+(?:meetings?|summits?|talks?|rounds?|sessions?|days?|weeks?|hours|stops?|legs?|visits?|trips?|push|phase|stage|deal|agreement|communiqu\w*|declaration|statement|calls?|dinner))|semi-?finals?|quarter-?finals?|match(?:es)?|tournament|league|playoffs?|championship|season|"
    r"football|soccer|cricket|rugby|basketball|baseball|hockey|athletes?|FIFA|UEFA|Olympic committees?|"
    r"court|judge|hearing|trial|jury|union|strike|wage|labou?r|employers?|cabinet meeting|cabinet|"
    r"governors?|premiers|party congress|caucus|hospital|earnings|fans?|concert|festival|organi[sz]ers|attendees|"
    r"exhibitors|registrations?|conferences|congressional|lawmakers|senators|mayors|students|teachers|schools?|"
    r"Security Council meeting|national security council|executives|chief executives|heads of (?:major )?(?:U\.S\. )?"
    r"(?:technology |tech )?(?:firms|companies))\b")
ADMIN_MODIFIERS = {"cabinet", "board", "shareholder", "shareholders", "party", "staff", "committee",
                   "caucus", "governors", "premiers", "investor", "business", "ceo", "tech", "ai", "crypto",
                   "sales", "policy", "rate", "fomc", "fed", "press", "news", "union", "family", "fan", "team",
                   "industry", "general", "club", "school"}
CANCEL = re.compile(r"\b(?:cancel(?:l?ed|s|ling)?|call(?:ed|s)? off|scrap(?:ped|s)?|scuttled?|"
                    r"postponed indefinitely|indefinitely postponed|shelved|is off|are off|was off|called it off|"
                    r"pulled out of|withdr[ae]w from|skip(?:s|ped|ping)?|boycott(?:s|ed|ing)?|"
                    r"will not (?:attend|take place|go ahead)|won't (?:attend|take place)|"
                    r"no longer (?:attend|take place|go ahead)|put on hold|on ice|had been (?:due|scheduled|planned|set|expected|slated|"
                    r"supposed)|had (?:intended|planned|hoped|wanted) to|was to have|were to have|collapsed|broke down|"
                    r"ended without|no (?:immediate |current |further )?plans? (?:for [^.,;]{1,40}? )?to "
                    r"(?:meet|hold|visit|travel|host|attend|speak|talk))\b", re.I)
# Someone staying away from a summit: the summit itself still takes place.
ABSENT = re.compile(r"\b(?:(?:will|would|does|did|do) not|won't|no longer|not to) (?:attend|go to|travel to|take part in|"
                    r"participate in|join)|pull(?:s|ed|ing)? out of|withdr[ae]w from|withdraws? from|"
                    r"skip(?:s|ped|ping)?|boycott(?:s|ed|ing)?|stay(?:s|ing)? away from", re.I)
POSTPONE = re.compile(r"\b(?:postpone[sd]?|postponing|delay(?:ed|s)?|push(?:ed)? back|reschedul(?:ed|e)|"
                      r"put off|moved? (?:to|from))\b", re.I)
# "may" the modal, never "May" the month; in a title-case headline, "May" before a verb ("Xi May Visit Russia")
_MAY = r"(?-i:may|May(?=\s+(?:Be|Not|Visit|Meet|Hold|Host|Attend|Travel|Skip|Join|Go|Come|Speak|Talk|Sign|Call)\b))"
POSSIBLE = re.compile(r"\b(?:could|" + _MAY + r"|might|possibl[ey]|possibility|speculat\w*|consider(?:ing|s|ed)?|"
                      r"mull(?:ing|s)?|explor(?:ing|e)|if held|hopes? to|would like|not ruled? out|potential(?:ly)?|"
                      r"floated|weighing|cited as)\b", re.I)
PLANNED = re.compile(r"\b(?:expect(?:ed|s)?|plan(?:s|ned|ning)?|likely|arrang\w*|aim(?:s|ing)? to|intend\w*|"
                     r"prepar\w*|invit\w*|to meet|to hold|to visit|to attend|working to|seek(?:s|ing)? to|"
                     r"proposed|tentative\w*|is due|are due)\b", re.I)
CONFIRMED = re.compile(r"\b(?:will|shall|scheduled|set (?:for|to)|slated|confirm(?:ed|s)|announc\w*|"
                       r"is to|are to|agreed to)\b", re.I)
FUTURE = re.compile(r"\b(?:will|shall|'ll|going to|is to|are to|to (?:meet|hold|visit|attend|host|talk|speak|have|"
                    r"convene|travel|take part|participate|sit down)|set (?:for|to)|scheduled|slated|due to|upcoming|"
                    r"planned|forthcoming|expected|plans?|next|could|" + _MAY + r"|might|would|hopes? to|intends? to|aims? to)\b",
                    re.I)
OCCASION = re.compile(r"\b(?:sidelines|margins|on the occasion of|occasions?|during|at the|ahead of|while attending)\b",
                      re.I)
CONTINUATION = re.compile(r"^(?:There|Then|Later|Afterwards|After that|From there|As part of (?:the|his|her|that) (?:visit|trip)|Furthermore|Moreover|In addition|Additionally|While there|While in|During (?:the|his|her|that)(?: [\w-]+)? "
                          r"(?:visit|trip|stay)|On the same day|That (?:day|evening|afternoon|morning)|He|She|They)\b")
_ON_THE_TRIP = re.compile(r"^(?:There|While there|(?:As part of|During|On) (?:the|his|her|this|that) "
                          r"(?:visit|trip|tour|stay)),?\b")  # "As part of the visit, he will meet ...": where it goes
GROUP_REF = re.compile(r"\b(?:the (?:two|three|four) (?:state )?(?:leaders|presidents|prime ministers|sides|men|heads of state)|"
                       r"both (?:leaders|men|sides)|the leaders|the pair|they|their)\b", re.I)
_COUNTED_GROUP = re.compile(r"\b(two|three|four|five|six)\s+(?:state\s+)?(?:leaders|presidents|prime ministers|sides|"
                            r"men|heads of state|heads of government)\b", re.I)
# The leaders of two states, named only as such; "Koreas" names its two states itself.
LEADERS_OF = re.compile(
    r"\b(?:(?:the\s+)?(?:two|both)\s+(?P<group>Koreas|countries|nations|states|governments)['’]?\s*"
    r"(?:top\s+)?(?:leaders|heads of state|presidents)"
    r"|(?:leaders|heads of state|presidents) of (?:the\s+)?(?:two|both)\s+(?P<group2>Koreas|countries|nations|states)"
    r"|(?:leaders|heads of state|presidents) of [A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)? and (?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?"
    r"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)? and [A-Z][a-z]+(?:\s+[A-Z][a-z]+)? leaders)\b")
TOUR_REF = re.compile(r"\b(?:the|this|his|her|its|their)\s+(?:\w+\s+)?(?:tour|trip|journey|itinerary)\b", re.I)
STATE_GROUPS = {"koreas": ("South Korea", "North Korea")}
TITLE_REF = re.compile(r"\b(?:[Tt]he|[Hh]is|[Hh]er|[Ii]ts)\s+((?:(?:[A-Z][a-z]+|U\.S\.|U\.K\.|US|UK)\s+){1,2})(president|prime minister|"
                       r"premier|leader|chancellor|counterpart|foreign minister|king)\b")
_DATELINE = re.compile(r"^\s*(?:date|published|posted|updated)\s*:?\s*\d{4}-\d{2}-\d{2}(?:[T ][\d:+.Z-]+)?", re.I)
BARE_TITLE = re.compile(r"\b(?:the|The)\s+(president|prime minister|premier|chancellor|foreign minister|"
                        r"secretary of state|President|Prime Minister|Premier|Chancellor|Foreign Minister)\b(?!\s+[A-Z])")
# Verbs whose tense is the meeting's own ("held talks", "met"), unlike "renamed the meeting".
HAPPENING = {"hold", "have", "meet", "take", "attend", "host", "convene", "conclude", "end", "finish", "talk",
             "speak", "call", "visit", "sit", "begin", "start", "wrap", "open", "close", "stage", "chair", "join",
             "go", "travel", "arrive", "complete", "discuss", "agree", "sign", "be"}
# The signature of an embedded post: "— Narendra Modi (@narendramodi) May 10, 2018" dates the post.
_EMBED_STAMP = re.compile(r"\(@\w{1,30}\)\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}")
_WIRE_DATELINE = re.compile(r"(?m)^\s*[A-Z][A-Z .'’-]{2,40}(?:,\s+[A-Z][A-Za-z0-9 .]{2,30})?(?:(?:\s*\([^)\n]{1,30}\))?"
                            r"\s*(?:--|[-—–:]|\(AP\)\s*[-—–])|\s*\([^)\n]{1,80}\b(?:19|20)\d\d\))\s+(?=[A-Z])")
# the second form: "TOKYO (UrduPoint News / Sputnik - 28th April, 2022) The summit ..."
COUNTERPART = re.compile(r"\b(?:counterparts?|leaders?|presidents?|prime ministers?|premiers?|kings?|envoys?|delegations?|"
                         r"foreign ministers?|heads? of (?:state|government)|chancellors?|emir|sultan|monarch|"
                         r"secretary of state|ministers?)\b", re.I)
DIPLOMATIC_CONTEXT = re.compile(r"\b(?:leaders|heads? of (?:state|government)|foreign ministers?|bilateral|nations|"
                                r"prime ministers?|presidents?|premiers?|chancellors?|kings?|"
                                r"countries|states|diplomat\w*|presidents|prime ministers|summit of|allies|alliance|"
                                r"bloc|member states|delegations)\b", re.I)
NEAR_ANCHOR = 2  # sentences around a dated/named meeting sentence that are parsed too
NEAR_ALSO = 4  # how far after one a sentence that "also" meets someone is parsed
_ALSO = re.compile(r"\balso\b")
# A meeting placed at an occasion the article dates elsewhere: "on the sidelines of the three-way summit",
# "during the trilateral event".
_AT_GATHERING = re.compile(r"\b(?:(?:sidelines|margins|fringes|side) of (?:the|this|that|their)|during (?:the|their)) "
                           r"(?:[\w-]+ ){0,3}(?:summit|gathering|meeting|event|conference|forum)\b", re.I)
OCCASION_REF = re.compile(r"\b(?:sidelines|margins|fringes?|on the side)\b|\bduring the\b[^.;]{0,40}?\b(?:summit|event|"
                          r"visit|trip|forum|gathering|conference|meeting)\b", re.I)
ACTOR = re.compile(r"\b(?:President|Prime Minister|Premier|Chancellor|King|Queen|Emperor|Crown Prince|Sultan|Emir|"
                   r"Sheikh|[Ff]oreign [Mm]inisters?|[Mm]inisters?|Secretary of State|[Ee]nvoys?|[Aa]mbassador|"
                   r"[Ll]eaders?|[Pp]resident|[Pp]rime [Mm]inister|[Pp]remier|[Cc]ounterparts?|[Dd]elegations?|"
                   r"[Hh]eads? of (?:state|government)|[Dd]iplomat\w*)\b")
_NAME = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_COORDINATED = re.compile(rf"\b({_NAME}(?:\s*,\s*(?:the\s+)?{_NAME})*\s*,?\s+and\s+(?:the\s+)?{_NAME})\s+$")
_FOREIGN_MINISTERS = re.compile(r"\bforeign ministers\b|\btop diplomats\b", re.I)
_LEGISLATURES = {"congress", "parliament", "senate", "legislature", "diet", "knesset", "bundestag", "duma",
                 "lawmakers", "legislators", "cabinet"}
_NAMED_AFTER = re.compile(r" (?:of|for) (?:the )?(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|"
                          r"Sat|Sun)[a-z]*\b)((?:[A-Z][\w'’-]+)(?: (?:[A-Z][\w'’-]+|and|of|the))*)(?<! and)(?<! of)(?<! the)")
_OPENING = re.compile(r"\b(?:open(?:s|ed|ing)?|begin(?:s|ning)?|beg[au]n|start(?:s|ed|ing)?|convene[sd]?|held|"
                      r"take place|takes place|kick(?:s|ed)? off|conclude[sd]?|close[sd]?)\b")  # lowercased text
_OPENS = {"open", "begin", "start", "convene", "close", "conclude", "kick", "run"}  # what a summit does
_MINISTERIAL = re.compile(r"\)?\s*ministerial\b")  # after a body's name: "the (OSCE) ministerial"
SUMMIT_WORD = re.compile(r"\b[Ss]ummits?\b")
# A sentence about the gathering just named: "The forum runs from January 15 to 19."
_GATHERINGS = "forum|conference|gathering|meeting|summit"
_THE_GATHERING = re.compile(rf"\s*The (?:{_GATHERINGS})\b")
_THE_EVENT = re.compile(rf"\s*The (?:{_GATHERINGS}|visit|trip|talks)\b")  # any of the article's meetings
_CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'-]+")
BEFORE = re.compile(r"\b(?:ahead of|before|prior to|in the run-up to)\b", re.I)
ENVOYS = {"envoy", "envoys", "delegation", "delegations", "emissary", "emissaries", "negotiator", "negotiators"}
DELEGATES = re.compile(r"\b(?:envoys?|delegations?|officials|negotiators|advisers|advisors|emissaries|"
                       r"working-level|technical teams)\b", re.I)
_NAMED_CAPITAL = re.compile(r"\b(in|to|at|for|visit|visiting|visits)\s+the\s+((?:[A-Z][\w'.-]+\s+){1,2})capital\b"
                            r"(?!\s*,?\s*[A-Z])")
_PLACE_NOUNS = frozenset({"city", "capital", "town", "island", "village", "resort", "port"})
WATERS = re.compile(r"\b(?:Sea|Ocean|Strait|Straits|River|Channel)\b")
# Verbs whose "to" complement is still ahead even when they are in the past tense
_SCHEDULING = {"schedule", "set", "slate", "plan", "fix", "arrange", "earmark", "pencil"}
_CALLED_OFF = {"cancel", "scrap", "postpone", "delay", "shelve", "scuttle", "call"}  # "call off"
COMMIT = {"agree", "decide", "promise", "pledge", "vow", "offer", "invite", "resolve", "commit"}
PROPOSE = {"propose", "suggest", "offer", "want", "hope", "agree", "plan", "urge", "insist", "demand", "ask",
           "request", "recommend", "expect"}
REGIONS = {"africa", "asia", "europe", "the middle east", "middle east", "latin america", "south america",
           "north america", "the americas", "americas", "the pacific", "pacific", "the caribbean", "caribbean",
           "central asia", "southeast asia", "east asia", "the gulf", "gulf", "the west", "west africa",
           "east africa", "the region", "asia pacific", "the arctic", "arctic", "oceania", "the balkans"}


@dataclass
class Mention:
    """One meeting as one sentence tells it."""

    participants: list[str]
    kind: str
    name: str | None
    location: str | None
    locations: list[str]
    dates: Resolved | None
    tense: str
    certainty: str
    sentence: str
    order: int
    occasion: str | None = None  # summit name this meeting is held at
    building: bool = False  # its place is a building ("the White House"), not a city or country
    leg: int | None = None  # its place in a listed itinerary ("will visit Japan, South Korea and India")
    lemma: str = ""  # the trigger's lemma
    extent: int | None = None  # days it lasts, when the sentence says ("the two-day summit")
    ends: bool = False  # its date is the day it ends ("the summit will end on June 17")
    at_gathering: bool = False  # held at an unnamed gathering the article spoke of ("on the sidelines of the summit")


@dataclass
class _Trigger:
    i: int  # token index
    kind_hint: str
    text: str
    start_char: int
    end_char: int
    lemma: str


_HEADLINE_LOWER = {"with", "from", "into", "over", "after", "upon", "onto", "than", "that", "amid"}


def _headline(text: str) -> bool:
    """A title-case line ("Kerry, Lavrov to Hold Bilateral Meeting in Belgrade This Week"): every longer
    word is capitalised, so capitals do not mark proper names there."""
    words = re.findall(r"[A-Za-z][\w'’-]{3,}", text)
    caps = sum(1 for w in words if w[0].isupper())
    return caps >= 4 and all(w[0].isupper() or w.lower() in _HEADLINE_LOWER for w in words)


def _blank(m: re.Match) -> str:
    """A match blanked out with its offsets kept, and its line breaks too (they still end a headline)."""
    return re.sub(r"[^\n]", " ", m.group(0))


def split_sentences(text: str) -> list[tuple[int, str]]:
    """Sentences with their offsets: a regex split that is good enough to choose what spaCy parses."""
    out: list[tuple[int, str]] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        dot = m.start() - 1 if m.end() == m.start() else m.start()
        if text[dot] == "." and "\n\n" not in m.group(0):
            word = re.search(r"([\w.]+)$", text[max(0, dot - 12):dot])
            if word and (word.group(1).lower() in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Za-z]\.)*[A-Za-z]", word.group(1))):
                continue  # "Mr.", "U.S.", initials: "J. Smith", "J.D. Vance"
        end = m.end()
        piece = text[start:end].strip()
        if piece:
            out.append((start, piece))
        start = end
    tail = text[start:].strip()
    if tail:
        out.append((start, tail))
    return out


class ArticleExtraction:
    """The extraction of one article (state shared across its sentences)."""

    def __init__(self, text: str, published: datetime, gazetteer: Gazetteer, nlp, *, prefilter: bool = True,
                 summit_lookup=None):
        self.summit_lookup = summit_lookup  # (name, around: date) -> (start, end, place) | None: what the database knows
        self.text = text
        self.published = published
        self.ref_date = published.date()
        self.g = gazetteer
        self.nlp = nlp
        self.prefilter = prefilter
        self.people = PeopleIndex(gazetteer)
        self.mentions: list[Mention] = []
        self.summit_dates: dict[str, tuple[Resolved, str | None]] = {}  # summit name -> (dates, place)
        self.summit_places: dict[str, str] = {}  # summit name -> its place, when a mention gives one
        self.last_date: date | None = None
        self.last_dates: Resolved | None = None
        self.last_location: str | None = None
        self.last_participants: list[str] = []
        self.named_summits: dict[str, None] = {}  # summits named so far, in order (a set that keeps it)
        self.recent_summit: str | None = None
        self.phone_seen = False  # the article spoke of a phone call: a later "the call" is one too
        self._doc = None  # the sentence being read, its text and entities (see _read)
        self._text, self._ents, self._headline = "", (), False
        self._local_doc, self._local_cache = None, {}  # clause tokens per trigger, for the current sentence
        self.last_named: str | None = None  # the official the text was last about (for "he", "she")
        self.recent_people: list[str] = []  # the people the last sentence with a meeting word named
        self.last_gathering: Mention | None = None  # the latest unnamed multilateral meeting
        # This sentence's dates whose own verb has a tense: "it would happen before Christmas" -> future,
        # "said after his meeting with Xi on Oct. 30" -> past.
        self._date_tense: dict[Resolved, str] = {}

    # -- driver -------------------------------------------------------------------

    def run(self) -> list[Meeting]:
        return self.finish(list(self.nlp.pipe(self.prepare(), batch_size=32)))

    def prepare(self) -> list[str]:
        """The sentences spaCy must parse (none when the article cannot hold a meeting)."""
        text = _DATELINE.sub(_blank, self.text, count=1)
        text = _WIRE_DATELINE.sub(_blank, text)
        text = _EMBED_STAMP.sub(_blank, text)
        self._sentences = split_sentences(text)
        scan_titles(text, self.people)
        self._parse = [(not self.prefilter or self._candidate(s)) and len(s) < 2000 for _, s in self._sentences]
        if self.prefilter:
            # Parse a meeting sentence only near one that dates, names or cancels a meeting: the rest
            # can only repeat who and where, and most news has no such sentence at all.
            anchors: list[int] = []
            actor_seen = False  # an earlier meeting sentence named someone who conducts diplomacy
            for i, ((_, s), keep) in enumerate(zip(self._sentences, self._parse)):
                if not keep:
                    continue
                actor = self._names_actor(s)
                if self._anchor(s, follows_diplomacy=bool(anchors), actor=actor) or actor_seen \
                        and _THE_EVENT.match(s) and find_dates(s, self.published, None, None):
                    anchors.append(i)  # "The visit, his first since taking office, will run from Saturday ..."
                actor_seen = actor_seen or actor
            near = {j for i in anchors for j in range(i - NEAR_ANCHOR, i + NEAR_ANCHOR + 1)}
            # "He is also scheduled to meet with ...": a further meeting of the same trip reaches further
            further = {j for i in anchors for j in range(i + NEAR_ANCHOR + 1, i + NEAR_ALSO + 1)}
            self._parse = [keep and (i in near or i in further and _ALSO.search(s))
                           for i, (keep, (_, s)) in enumerate(zip(self._parse, self._sentences))]
        return [s for (_, s), keep in zip(self._sentences, self._parse) if keep]

    def finish(self, docs) -> list[Meeting]:
        """Apply the rules to the parsed sentences (in the order prepare() gave them)."""
        if not any(self._parse):
            return []
        docs = iter(docs)
        for index, ((_, sentence), parse) in enumerate(zip(self._sentences, self._parse)):
            if not parse:
                self._light_context(sentence)
                self._note_subject_text(sentence)  # "Tillerson is on a two-day visit. He is also expected to meet"
                continue
            doc = next(docs)
            self._read(doc)
            self._register_people(doc)
            try:
                self._sentence(doc, index, True)
            except Exception:  # a parse we did not foresee never loses the article
                log.exception("sentence rules failed: %r", sentence[:200])
        return self._merge()

    def _candidate(self, sentence: str) -> bool:
        """A sentence that may hold a meeting (cheap: regexes only)."""
        low = sentence.lower()
        if CANDIDATE.search(low):
            return True
        if _OPENING.search(low) and self.g.summit_pattern.search(sentence):
            return True  # "The CHOGM will be formally declared open on Friday"
        return bool(TRAVEL.search(low)) and any(self.g.country(w) for w in _CAPITALISED.findall(sentence))

    def _names_actor(self, sentence: str) -> bool:
        """Whether a sentence names an official by title or a leader the gazetteer knows."""
        return bool(ACTOR.search(sentence) or self.g.people_pattern.search(sentence))

    def _anchor(self, sentence: str, follows_diplomacy: bool = False, actor: bool | None = None) -> bool:
        """A sentence that can date or name a meeting on its own (cheap: regexes only).

        follows_diplomacy: an earlier sentence of the article was an anchor, so "the summit" here
        is most likely the diplomats' one ("The summit runs from Oct. 26 to 28"). actor: what
        _names_actor says of the sentence, when the caller already asked."""
        if self.g.summit_pattern.search(sentence):
            return True
        words = _CAPITALISED.findall(sentence)
        if not ((self._names_actor(sentence) if actor is None else actor)
                or any(self.people.resolve(w) for w in words)
                or len({self.g.country(w) for w in words if self.g.is_state(w) or self.g.is_capital(w)}) >= 2
                or any(self.g.country(side) for m in _PAIR_SUMMIT.finditer(sentence)
                       for side in _sides(m.group(1)))  # "the EU-China summit"
                or follows_diplomacy and (SUMMIT_WORD.search(sentence) or _THE_GATHERING.match(sentence))):
            # nobody who conducts diplomacy, neither an official nor two states: a rate meeting,
            # a final, a trial, a tech "summit", a mountain's summit
            return False
        return bool(CANCEL.search(sentence) or OCCASION_REF.search(sentence)
                    or find_dates(sentence, self.published, None, None))

    def _light_context(self, sentence: str) -> None:
        """Keep the running date and place from a sentence spaCy does not parse (for 'There, he ...')."""
        tense = "future" if FUTURE.search(sentence) else None
        found = [f for f in find_dates(sentence, self.published, tense, self.last_date)
                 if f.value.start >= self.ref_date and not _duration(sentence, f)]
        if found:
            last = found[-1].value
            self.last_dates = last
            self.last_date = last.start
            tour = TOUR_REF.search(sentence)
            spans = [f.value for f in found if tour and 0 <= f.start_char - tour.end() <= 40
                     and f.value.start < f.value.end]
            if spans:
                self._date_legs(spans[0])  # "the tour runs from June 13 to 20"
        for m in re.finditer(r"\b(?:in|to|for|at)\s+(?:the\s+)?([A-Z][\w.'-]+(?:\s+[A-Z][\w.'-]+){0,2})", sentence):
            if self.g.country(m.group(1)):
                self.last_location = m.group(1).strip(" .,;:")
        self._note_subject_text(sentence)

    def _date_legs(self, tour: Resolved) -> None:
        """'the tour runs from June 13 to 20' dates the legs of the itinerary just listed, when they
        had no date or a vaguer one ('this week')."""
        legs = [m for m in self.mentions[-6:] if m.leg is not None and m.tense == "upcoming"]
        for m in legs:
            if m.dates is None or m.dates.grain != "day" or (m.dates.start <= tour.start and tour.end <= m.dates.end):
                m.dates = tour

    def _note_subject_text(self, sentence: str) -> None:
        """The first known person a sentence names: who a following 'he' or 'she' most likely is."""
        pronoun = re.search(r"\b(?:he|she|He|She)\b", sentence)
        for m in _CAPITALISED.finditer(sentence[:120]):
            if pronoun and pronoun.start() < m.start():
                return  # "There, he plans to meet Anwar": still the same person
            who = self.people.resolve(m.group(0))
            if who and (self.people.is_official(who) or m.start() == 0):  # "Tillerson is on a working visit."
                self.last_named = who
                return

    def _register_people(self, doc) -> None:
        for ent in self._ents:
            if ent.label_ == "PERSON" and len(ent) <= 5 and not _institution(doc, ent) \
                    and not self.g.summit_pattern.search(ent.text):  # "BRICS Set to Welcome ..." in a headline
                title_words = {t.lower_ for t in doc[max(0, ent.start - 3):ent.start]}
                official = bool(title_words & OFFICIAL_WORDS)
                if len(ent) >= 2 or self.people.resolve(ent.text) is None:
                    if len(ent) >= 2 or official:
                        self.people.add(ent.text, official=official)

    # -- one sentence -----------------------------------------------------------------

    def _ent_at(self, i: int):
        """The entity of the sentence being read that holds token i, if any."""
        return next((e for e in self._ents if e.start <= i < e.end), None)

    def _read(self, doc) -> None:
        """Make doc the sentence being read. Doc.text and Doc.ents are rebuilt on every access,
        so they are taken once here."""
        self._doc, self._text, self._ents = doc, doc.text, doc.ents
        self._headline = _headline(self._text)
        # (start, end, text) of every summit or body name in the sentence: one scan for every rule that asks
        self._summit_spans = [(m.start(), m.end(), m.group(0)) for m in self.g.summit_pattern.finditer(self._text)]
        for tok in (doc if "ummit" in self._text else ()):
            if tok.lower_ in ("summit", "summits") and tok.pos_ == "VERB" and not any(
                    c.dep_ in ("aux", "nsubj") for c in tok.children):
                tok.pos_ = "NOUN"  # "will attend the G7 and NATO summits": a tagger slip, no verb

    def _sentence(self, doc, order: int, contiguous: bool) -> None:
        if self._doc is not doc:
            self._read(doc)
        text = self._text
        try:
            self._read_sentence(doc, order, contiguous)
        finally:
            self._note_subject_text(text)

    def _read_sentence(self, doc, order: int, contiguous: bool) -> None:
        text = self._text
        self.phone_seen = self.phone_seen or bool(PHONE.search(text))
        triggers = self._triggers(doc)
        if not triggers:
            self._light_context(text)
            return
        tense_cache: dict[int, str | None] = {}
        people = self._person_mentions(doc)
        summits = self._summit_mentions(doc)
        places = self._places(doc)
        cues = [m.start() for m in CANCEL.finditer(text) if not self._aside(doc, m.start(), triggers)
                and not _NEGATED.search(text, max(0, m.start() - 24), m.start())]
        # Dates: resolve once per tense direction of each trigger.
        sentence_found: list[Found] = []
        for trig in triggers:
            tense_cache[trig.i] = self._verb_tense(doc, trig)
        clause_tense = self._sentence_tense(doc)
        if self._headline and not text.rstrip().endswith("."):
            # "Phone Call ... Scheduled This Afternoon": a headline drops its auxiliaries
            tense_cache = {i: (None if t == "past" else t) for i, t in tense_cache.items()}
            clause_tense = None if clause_tense == "past" else clause_tense
        for key, value in tense_cache.items():
            if value is None:
                tense_cache[key] = clause_tense
        main_tense = next((t for t in tense_cache.values() if t), None)
        anchor = self.last_date
        sentence_found = [f for f in find_dates(text, self.published, main_tense, anchor)
                          if not self._reporting_date(doc, f) and not _duration(text, f) and not _since(doc, f)]
        sentence_found = self._retense(doc, sentence_found, main_tense, anchor)
        # "a final meeting with the U.S. president, who leaves office on Jan. 20": not the meeting's date
        sentence_found = [f for f in sentence_found if not self._aside(doc, f.start_char, triggers, about_person=True)]
        if main_tense == "future":
            sentence_found = _weekdays_in_order(sentence_found)
        made: list[Mention] = []
        by_trigger: dict[int, list[Mention]] = {}
        named_first = sorted(range(len(triggers)), key=lambda j: 0 if self._summit_name(
            doc, triggers[j], summits, 0, len(text))[0] else 1)
        for k in named_first:
            trig = triggers[k]
            lo = triggers[k - 1].end_char if k > 0 else 0
            hi = triggers[k + 1].start_char if k + 1 < len(triggers) else len(text)
            mention = self._mention(doc, trig, k, triggers, people, summits, places, sentence_found,
                                    tense_cache[trig.i], self._cancelled(triggers, k, cues), order, lo, hi,
                                    contiguous)
            if mention is not None:
                for m in mention:
                    m.extent, m.ends = _extent(text, trig, hi), _ends(doc[trig.i])
                made.extend(mention)
                by_trigger[k] = mention
        self._where_clauses(doc, triggers, by_trigger, sentence_found)
        self._open_start(made, sentence_found)
        self.recent_people = _unique([p[2] for p in people])
        self.mentions.extend(made)
        self._note_context(doc, made, sentence_found, places)

    def _open_start(self, made: list[Mention], found: list[Found]) -> None:
        """'Asean-related meetings ... next month. He will travel to Japan ... from Nov 3 before heading to
        Vietnam for the APEC summit': a journey that starts on a day and has no end runs, with every stop
        after it, from that day to the end of the span the article gave (Nov 3 to 30)."""
        start = next((f.value.start for f in found if f.value.start == f.value.end
                      and f.value.text.lower().startswith("from ")), None)
        if start is None:
            return
        span = self.last_dates
        for m in made:
            d = m.dates
            if d is None or m.tense != "upcoming":
                continue
            if d.start == d.end == start and d.text.lower().startswith("from ") and span is not None \
                    and span.start <= start < span.end:
                m.dates = Resolved(start, span.end, "day", d.text)
            elif d.start < start <= d.end:
                m.dates = Resolved(start, d.end, "day", d.text)

    @staticmethod
    def _where_clauses(doc, triggers, by_trigger: dict[int, list[Mention]], found: list[Found]) -> None:
        """'a NATO summit in Brussels on June 14, where he will also meet Erdogan': a meeting in a 'where' or
        'when' clause is held when and where the meeting the clause hangs from is, unless it dates itself."""
        index = {t.i: j for j, t in enumerate(triggers)}
        for k, mentions in by_trigger.items():
            tok = doc[triggers[k].i]
            if tok.dep_ != "relcl" or not any(c.dep_ == "advmod" and c.lower_ in ("where", "when") for c in tok.children):
                continue
            span = doc[tok.left_edge.i:tok.right_edge.i + 1]
            if any(span.start_char <= f.start_char < span.end_char for f in found):
                continue  # "..., where he will meet Erdogan on Tuesday"
            cur, host = tok.head, None
            for _ in range(4):
                if cur.i in index and index[cur.i] != k:
                    host = index[cur.i]
                    break
                # "attend a NATO summit in Brussels on June 14, where ...": the date hangs from the verb
                objects = [index[c.i] for c in cur.children if c.dep_ == "dobj" and c.i in index] \
                    if cur.pos_ == "VERB" else []
                if objects:
                    host = objects[0]
                    break
                if cur.head.i == cur.i:
                    break
                cur = cur.head
            held = [m for m in by_trigger.get(host, []) if m.dates is not None] if host is not None else []
            if not held:
                continue
            for m in mentions:
                m.dates = held[0].dates
                if held[0].locations:
                    m.locations, m.location = list(held[0].locations), held[0].location
                if held[0].name and held[0].kind == "multilateral":
                    m.occasion = held[0].name

    def _note_context(self, doc, made, found=None, places=None) -> None:
        found = [f for f in (found or []) if f.value.start >= self.ref_date]
        if found:
            last = found[-1].value
            self.last_date = last.start
            self.last_dates = last
        dated = [m for m in (made or []) if m.dates is not None and m.tense == "upcoming"]
        if dated:
            self.last_dates = dated[-1].dates
        past_only = bool(made) and all(m.tense == "past" for m in made)
        if places and not past_only:  # where they met before is not where the next meeting is
            self.last_location = places[-1][2]
        gatherings = [m for m in (made or []) if m.kind == "multilateral" and not m.name and m.lemma != "ceremony"]
        if gatherings:
            self.last_gathering = gatherings[-1]
        located = [m for m in (made or []) if m.location and m.tense != "past"]
        if located:
            self.last_location = located[-1].location
        if made:
            with_people = [m for m in made if len(m.participants) >= 1]
            if with_people:
                self.last_participants = with_people[-1].participants

    # -- triggers ----------------------------------------------------------------------

    def _triggers(self, doc) -> list[_Trigger]:
        phone = bool(PHONE.search(self._text))
        # One pass over the tokens; the triggers keep the order of the four kinds, each in token order.
        words, trips, ceremonies, envoys = [], [], [], []
        for tok in doc:
            pos = tok.pos_
            if pos not in ("VERB", "NOUN", "PROPN"):
                continue
            lemma = tok.lemma_.lower() if tok.lower_ != "summits" else "summit"  # "the East Asia Summits": PROPN
            found = self._word_trigger(tok, pos, lemma, tok.lower_, phone)
            if found is not None:
                words.append(found)
            if pos == "VERB" and lemma in ("travel", "fly", "head", "land", "arrive"):
                found = self._trip_trigger(tok, lemma)
                if found is not None:
                    trips.append(found)
            elif pos == "NOUN":
                if lemma == "ceremony" and any(c.lower_ == "signing" for c in tok.children):
                    # "a signing ceremony with the deal's other guarantors: Egypt, Qatar and Turkey"
                    ceremonies.append(_Trigger(tok.i, "ceremony", tok.text, tok.idx, tok.idx + len(tok.text),
                                               "ceremony"))
                if lemma in ("stop", "stopover", "leg") and any(
                        c.dep_ == "prep" and c.lower_ == "in" and any(
                            g.dep_ == "pobj" and g.ent_type_ == "GPE" for g in c.children) for c in tok.children):
                    # "a trip that includes stops in New Zealand, Australia and Malaysia"
                    ceremonies.append(_Trigger(tok.i, "visit", tok.text, tok.idx, tok.idx + len(tok.text), "visit"))
                if lemma in ENVOYS and tok.dep_ == "dobj" and tok.head.lemma_.lower() in ("send", "dispatch",
                                                                                         "despatch"):
                    envoys.append(_Trigger(tok.i, "envoy", tok.text, tok.idx, tok.idx + len(tok.text), "envoy"))
        if not any(doc[t.i].pos_ != "VERB" for t in words):
            words += self._summit_subjects(doc)
        return self._keep_triggers(doc, words + trips + ceremonies + envoys)

    def _summit_subjects(self, doc) -> list[_Trigger]:
        """'The CHOGM will be formally declared open in Port-of-Spain on Friday', 'the G20 opens in Rio on
        Monday': a summit named only by its body, which opens, is held or takes place."""
        out = []
        subjects = [(start, end) for start, end, _ in self._summit_spans]
        if self.recent_summit and (m := _THE_GATHERING.match(self._text)):
            subjects.append((m.end() - len(m.group(0).split()[-1]), m.end()))  # "The forum runs from ..."
        for start, end in subjects:
            span = doc.char_span(start, end, alignment_mode="expand")
            root = span.root if span is not None else None
            if root is None or root.dep_ not in ("nsubj", "nsubjpass"):
                continue
            verb = root.head
            lemma = verb.lemma_.lower()
            if any(c.dep_ == "dobj" for c in verb.children) and lemma != "take":
                continue  # "NATO will open a liaison office": the body does something, it does not meet
            if lemma in _OPENS or (lemma == "hold" and root.dep_ == "nsubjpass") or (
                    lemma == "take" and any(c.lower_ == "place" for c in verb.children)) or any(
                    c.lemma_.lower() in _OPENS for c in verb.children if c.dep_ in ("oprd", "xcomp", "acomp")):
                out.append(_Trigger(root.i, "summit", root.text, root.idx, root.idx + len(root.text), "summit"))
        return out

    def _word_trigger(self, tok, pos: str, lemma: str, low: str, phone: bool) -> _Trigger | None:
        """A meeting verb or noun ("meet", "talks", "summit"), unless its context says otherwise."""
        if pos == "VERB" and lemma in MEET_VERBS:
            if lemma == "call" and _calls_on(tok):
                # "will later call on President Droupadi Murmu": a courtesy call, a meeting in person
                return _Trigger(tok.i, "meet", tok.text, tok.idx, tok.idx + len(tok.text), "meet")
            if lemma == "call" and not phone and not any(
                    c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in tok.children):
                return None
            if lemma == "call" and any(c.lower_ in ("for", "on") for c in tok.children):
                return None
            if lemma in ("talk", "speak") and not (phone or any(
                    c.lower_ == "with" for c in tok.children)):
                return None
            if lemma == "host" and not any(c.dep_ in ("dobj",) and (c.lower_ in MEET_NOUNS or c.ent_type_ in (
                    "PERSON", "NORP", "GPE") or c.lower_ in ("him", "her")) for c in tok.children):
                return None
            if lemma == "receive" and not any(c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in tok.children):
                return None  # "will receive Zelenskiy": an audience; "received a letter": nothing
            if lemma == "attend" and not any(c.lower_ in MEET_NOUNS or c.ent_type_ == "ORG" for c in tok.subtree):
                return None
            if lemma in ("gather", "sit") and not any(c.lower_ in ("down", "with", "for") for c in tok.children) \
                    and not (lemma == "gather" and self._body_leaders(tok)):
                return None
            if lemma == "visit" and _sightseeing(tok):
                return None  # "she will also visit the shrine in Ajmer": sightseeing on a visit, not a visit
            return _Trigger(tok.i, lemma, tok.text, tok.idx, tok.idx + len(tok.text), lemma)
        if pos in ("NOUN", "PROPN") and (lemma in MEET_NOUNS or low in MEET_NOUNS):
            if low in ("call", "calls") and not (phone or self.phone_seen or any(
                    c.lower_ in ("with", "between") or (c.dep_ in ("compound", "poss") and c.pos_ == "PROPN")
                    for c in tok.children)):
                return None
            if low in ("calls",) and any(c.lower_ == "for" for c in tok.children):
                return None
            mods = {c.lower_ for c in tok.children if c.dep_ in ("compound", "amod", "poss", "nmod")}
            if mods & ADMIN_MODIFIERS and not self._has_body(tok):
                return None
            if lemma in ("trip", "tour") and not any(c.lower_ in ("to",) for c in tok.children):
                return None
            if low == "ministerial" and tok.dep_ in ("compound", "amod"):
                return None  # "the Ministerial Council meeting": the meeting is the trigger
            if lemma in ("meeting", "session") and any(
                    c.lower_ == "of" and any(o.dep_ == "pobj" and o.lower_ in _LEGISLATURES for o in c.children)
                    for c in tok.children):
                return None  # "will address a joint meeting of Congress": a legislature sits, no leaders meet
            if lemma == "visit" and _sightseeing(tok):
                return None  # "a visit by Biden to a Samsung semiconductor plant": a stop on a visit
            if lemma in ("dialogue", "summitry", "diplomacy") and not any(
                    c.dep_ in ("det", "poss", "nummod") for c in tok.children) and tok.head.lemma_.lower() not in (
                    "hold", "have", "resume", "start", "launch", "open", "begin", "conduct"):
                return None  # "no substitute for direct leader to leader dialogue": dialogue in general
            if lemma in ("conference", "forum", "session", "dinner", "gathering") and not (
                    self._has_body(tok) or PHONE.search(tok.sent.text) or "leader" in tok.sent.text.lower()
                    or _brings_together(tok)
                    or pos == "PROPN" and tok.text[:1].isupper() and DIPLOMATIC_CONTEXT.search(tok.sent.text)):
                # "the Eastern Economic Forum" in a sentence about presidents: a forum that has a name
                return None
            return _Trigger(tok.i, lemma, tok.text, tok.idx, tok.idx + len(tok.text), lemma)
        return None

    def _trip_trigger(self, tok, lemma: str) -> _Trigger | None:
        """A journey to a country, or to any city for talks: a visit."""
        if any(t.lemma_.lower() in MEET_NOUNS and not _under_verb(t, c) for c in tok.children if c.dep_ == "prep"
               for t in c.subtree):
            # "travel to Vienna for talks": the talks are the meeting; "to join talks": a trip and talks.
            # But "travel to Japan from Nov 3 before heading to Vietnam for the summit": a trip, then the summit.
            return None
        into = ("in",) if lemma in ("land", "arrive") else ("to",)
        to = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ in into), None)
        dest = next((t for t in (to.children if to is not None else []) if t.dep_ == "pobj"), None)
        purpose = any(t.lemma_.lower() in MEET_NOUNS and not _sightseeing(t) for t in tok.subtree if t.i != tok.i)
        if dest is not None and dest.ent_type_ == "GPE" and (purpose or self.g.country(
                next((e.text for e in self._ents if e.start <= dest.i < e.end), dest.text))):
            # A country, or any city when the trip is for talks ("to Vienna ... to join negotiations")
            return _Trigger(tok.i, "visit", tok.text, tok.idx, tok.idx + len(tok.text), "visit")
        return None

    def _keep_triggers(self, doc, out: list[_Trigger]) -> list[_Trigger]:
        """The triggers that name a meeting of their own, adjacent nouns joined."""
        # "hold talks", "have a meeting": the noun carries the meeting; drop a verb trigger whose object is one.
        nouns = {t.i for t in out if doc[t.i].pos_ != "VERB"}
        keep = []
        for t in out:
            tok = doc[t.i]
            if tok.pos_ == "VERB" and any(c.i in nouns for c in tok.children) and not (
                    t.lemma in ("meet", "visit") and any(c.dep_ == "dobj" and c.ent_type_ in ("PERSON", "GPE")
                                                         for c in tok.children)):
                continue  # but "will meet Trump at the White House on Tuesday, his first visit": both
            if tok.pos_ == "VERB" and t.lemma in ("attend", "host", "convene") and any(
                    c.i in nouns for c in tok.subtree):
                continue
            named_object = any(c.dep_ == "dobj" and c.ent_type_ == "PERSON" for c in tok.children)
            if tok.pos_ == "VERB" and any(g.i in nouns and g.dep_ == "pobj" for c in tok.children
                                          if c.dep_ == "prep" and not (c.lower_ in _SEQUENCE and named_object)
                                          for g in c.children):
                # "leaders will gather in Washington ... for a summit": the summit is the meeting; but "will call
                # Zelenskiy after the call with Putin" is a meeting of its own
                continue
            keep.append(t)
        # Adjacent noun triggers ("phone talks", "summit meeting") are one.
        merged: list[_Trigger] = []
        for t in keep:
            if merged and t.i == merged[-1].i + 1 and doc[t.i].pos_ != "VERB" and doc[merged[-1].i].pos_ != "VERB":
                prev = merged[-1]
                merged[-1] = _Trigger(t.i, prev.kind_hint + "+" + t.kind_hint, prev.text + " " + t.text,
                                      prev.start_char, t.end_char, t.lemma)
            else:
                merged.append(t)
        return merged

    def _body_leaders(self, verb) -> bool:
        """'G7 leaders will gather', 'the leaders of the Group of Seven gather': a body's leaders or
        ministers are the subject."""
        return any(c.dep_ == "nsubj" and c.lemma_.lower() in ("leader", "minister", "head")
                   and self.g.summit_pattern.search(_subtree_text(c)) for c in verb.children)

    def _has_body(self, tok) -> bool:
        span_text = " ".join(t.text for t in tok.subtree if t.i <= tok.i + 1)
        left = tok.doc[max(0, tok.i - 8):tok.i + 1].text
        return bool(self.g.summit_pattern.search(span_text) or self.g.summit_pattern.search(left))

    # -- pieces --------------------------------------------------------------------------

    def _person_mentions(self, doc) -> list[tuple[int, int, str, int]]:
        """(start_char, end_char, canonical, token index) for every person the sentence names."""
        out = []
        taken = set()
        for ent in self._ents:
            if ent.label_ in ("PERSON", "ORG", "NORP", "GPE") and ent.label_ != "GPE":
                if _institution(doc, ent):
                    continue
                if SPOUSE.search(self._text[max(0, ent.start_char - 25):ent.start_char]):
                    taken.update(range(ent.start, ent.end))
                    continue  # "Yoon and first lady Kim Keon Hee will depart": she travels, she does not negotiate
                canonical = self.people.resolve(ent.text)
                if canonical is None and ent.label_ == "PERSON" and len(ent) >= 2 \
                        and not self.g.summit_pattern.search(ent.text):  # "BRICS Set to Welcome ..."
                    canonical = self.people.add(ent.text)
                if canonical:
                    out.append((ent.start_char, ent.end_char, canonical, ent.root.i))
                    taken.update(range(ent.start, ent.end))
        # Names spaCy missed or mislabelled ("Trump" as ORG, "Xi" unlabelled): known surnames.
        for tok in doc:
            if tok.i in taken or not tok.text[:1].isupper() or tok.pos_ not in ("PROPN", "NOUN", "ADJ", "VERB") \
                    or tok.ent_type_ in ("DATE", "TIME", "GPE", "NORP", "ORG") and tok.pos_ != "PROPN":
                continue
            canonical = self.people.resolve(tok.text)
            if canonical:
                out.append((tok.idx, tok.idx + len(tok.text), canonical, tok.i))
        # "the Chinese president", "his Russian counterpart" with no name after it.
        for m in TITLE_REF.finditer(self._text):
            after = self._text[m.end():m.end() + 40]
            if re.match(r"\s*,?\s*[A-Z][a-z]+", after) and self.people.resolve(after.strip(" ,").split()[0]):
                continue
            country = self.g.country(m.group(1).strip())
            if country:
                who = self.people.by_country(country, m.group(2))
                if who:
                    tok = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                    out.append((m.start(), m.end(), who, tok.root.i if tok is not None else 0))
        # "the premier", "the Prime Minister": the article's one holder of that office.
        for m in BARE_TITLE.finditer(self._text):
            who = self.people.by_title(m.group(1))
            if who and not any(a <= m.start() < b for a, b, _, _ in out):
                tok = doc.char_span(m.start(1), m.end(1), alignment_mode="expand")
                if tok is not None:
                    out.append((m.start(1), m.end(1), who, tok.root.i))
        out.sort()
        return out

    def _leaders_of_states(self, doc, tok) -> list[str]:
        """'the two Koreas' leaders', 'the leaders of the two countries': the states' leaders the article names."""
        local = self._local_tokens(doc, tok)
        m = next((m for m in LEADERS_OF.finditer(self._text) if self._token_at(doc, m.start()) in local), None)
        if m is None:
            return []
        group = (m.group("group") or m.group("group2") or "").lower()
        if group in STATE_GROUPS:
            states = list(STATE_GROUPS[group])
        elif group:
            states = _unique([c for _, _, c, _ in self._country_mentions(doc)])
        else:
            states = _unique([c for w in re.findall(r"[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?", m.group(0))
                              if (c := self.g.country(w))])
        if len(states) != 2:
            return []
        leaders = [self.people.leader_of(state) for state in states]
        return leaders if all(leaders) else []

    def _group_ref(self, doc, tok) -> bool:
        """'The two leaders, now set to meet', 'They will meet': a group the trigger's people are. A 'their'
        outside the trigger's clause is someone else's ('Kim could visit Seoul, as agreed at their summit')."""
        local = self._local_tokens(doc, tok)
        return any(m.group(0).lower() != "their" or self._token_at(doc, m.start()) in local
                   for m in GROUP_REF.finditer(self._text))

    def _group(self, text: str) -> list[str]:
        """Who a group reference names: the last participants, or for "the three leaders" the last meeting
        of three."""
        counted = _COUNTED_GROUP.search(text)
        if counted:
            n = _NUMBERS[counted.group(1).lower()]
            if len(self.last_participants) != n:
                earlier = next((list(m.participants) for m in reversed(self.mentions) if len(m.participants) == n),
                               None)
                if earlier is None and len(self.recent_people) == n:
                    # "he would present his plan to Biden during a visit ... the two leaders would meet"
                    earlier = list(self.recent_people)
                return earlier or []
        return list(self.last_participants)

    def _country_mentions(self, doc) -> list[tuple[int, int, str, int]]:
        """States named as actors (GPE entities the gazetteer knows), in the shape of person mentions."""
        out = []
        for ent in self._ents:
            if ent.label_ == "GPE" and not _scene(ent.root) and not _venue(ent.root):
                country = self.g.country(ent.text)
                if country and not (ent.end < len(doc) and doc[ent.end].lower_ in ("'s", "’s")):
                    out.append((ent.start_char, ent.end_char, country, ent.root.i))
        return out

    def _summit_mentions(self, doc) -> list[tuple[int, int, str]]:
        return [(start, end, canonical) for start, end, text in self._summit_spans
                if (canonical := self.g.summit(text))]

    def _places(self, doc) -> list[tuple[int, int, str, str]]:
        """(start, end, place text, preposition) for places introduced by in/at/to/of or a venue word."""
        out = []
        for ent in self._ents:
            if ent.label_ not in ("GPE", "LOC") or _scene(ent.root):  # a city or country; buildings are details
                continue
            first = ent.start
            while first > 0 and not doc[first - 1].whitespace_ and (doc[first - 1].is_alpha or doc[first - 1].text == "-"):
                first -= 1  # "in Port-of-Spain", where the model takes "Spain" alone
            whole = doc[first:ent.end].text if first < ent.start and "-" in doc[first:ent.start].text else None
            prev = doc[first - 1] if first > 0 else None
            prev2 = doc[first - 2] if first > 1 else None
            # "South Korean President", "the U.S. president": adjectives of people, not venues.
            if ent.end < len(doc) and doc[ent.end].lower_ in ("president", "prime", "premier", "leader", "officials",
                                                                "'s", "’s", "minister", "government", "-"):
                continue
            if doc[ent.end - 1].lower_ in ("'s", "’s"):
                continue  # "in South Africa's Johannesburg": the city that follows is the place
            if self.g.summit_pattern.search(ent.text) or WATERS.search(ent.text):
                continue  # a summit's name, or "the South China Sea" (a subject, not a venue)
            if ent.root.dep_ == "compound" and ent.root.head.pos_ == "NOUN":
                if ent.root.head.lemma_.lower() in MEET_NOUNS and not _PAIRED.search(
                        self._text[max(0, ent.start_char - 2):ent.end_char + 2]):
                    # "the Johannesburg talks": named by its venue; but "the UK-EU summit" names its sides
                    out.append((ent.start_char, ent.end_char, ent.text.strip(" .,;:"), "venue"))
                continue  # "the Nuevo Leon state government palace": a modifier, not the venue
            prep = prev.lower_ if prev is not None else ""
            if prep == "the" and prev2 is not None:
                prep = prev2.lower_
            if prep in ("'s", "’s") and prev2 is not None and prev2.ent_type_ == "GPE":
                # "in South Africa's Johannesburg", "in China's Qingdao"
                owner = self._ent_at(prev2.i)
                if owner is not None and owner.start > 0:
                    prep = doc[owner.start - 1].lower_
            if prep == "," and prev2 is not None and prev2.ent_type_ in ("FAC", "ORG", "GPE", "LOC"):
                # "at Pragati Maidan, New Delhi", "at San Borja, Lima": the city of the venue or district before
                venue = self._ent_at(prev2.i)
                city = self.g.country(ent.text) and not self.g.is_state(ent.text)
                if venue is not None and venue.start > 0 and doc[venue.start - 1].lower_ in ("at", "in") and (
                        venue.label_ in ("FAC", "ORG") or city):
                    prep = doc[venue.start - 1].lower_
            if prep in _PLACE_NOUNS:  # "in capital Ankara", "in the Russian port city Vladivostok"
                for back in range(ent.start - 2, max(ent.start - 6, -1), -1):
                    if doc[back].lower_ in ("in", "at", "to"):
                        prep = doc[back].lower_
                        break
                    if doc[back].pos_ in ("VERB", "AUX", "PUNCT", "ADP"):
                        break
            if prep == "to" and prev2 is not None and prev2.lower_ == "according":
                continue  # "according to Kishida"
            if prep == "to" and prev is not None and prev.head.lemma_.lower() in PROPOSE | REPORTING | {"write", "speak",
                                                                                                 "talk", "explain"}:
                continue  # "Seoul proposed to Pyongyang": the addressee, not the venue
            if prep == "of" and not (prev2 is not None and prev2.lower_ in _PLACE_NOUNS | {"province", "state"}):
                continue
            if prep in ("in", "at", "to", "of", "for", "host", "hosts", "hosted", "venue", "visit", "visiting",
                        "visits", "toward", "towards", "inside"):
                text = whole or ent.text.strip(" .,;:")
                if text.lower().startswith("the ") and ent.label_ == "GPE" and not text.startswith("The "):
                    text = text[4:]  # "the United States"; but "in The Hague": a capital "The" is the name's own
                out.append((doc[first].idx, ent.end_char, text, prep))
        out.extend(self._listed_places(doc, out))
        taken = {i for e in self._ents if e.label_ in ("GPE", "LOC", "FAC") for i in range(e.start, e.end)}
        out.extend(self._unlabelled_venues(doc, taken))
        for m in _NAMED_CAPITAL.finditer(self._text):  # "gather in the Ethiopian capital this weekend"
            city = self.g.capital_of(m.group(2).strip())
            if city and not any(a <= m.end() and m.start() <= b for a, b, _, _ in out):
                out.append((m.start(2), m.end(), city, m.group(1).lower()))
        out = [p for p in out if not any(a <= p[0] and p[1] <= b for a, b, name in self._summit_spans
                                         if " " in name)]  # "Co-operation in Europe": in a body's name
        out.sort()
        return out

    def _listed_places(self, doc, places) -> list[tuple[int, int, str, str]]:
        """The rest of a list of places after a place: 'visit Japan, South Korea and India'
        (marked 'list': only a visit goes to each of them)."""
        covered = {t.i for start, end, _, _ in places for t in doc.char_span(start, end, alignment_mode="expand") or []}
        out = []
        for ent in self._ents:
            if ent.label_ != "GPE" or ent.root.dep_ != "conj" or ent.root.head.i not in covered:
                continue
            text = ent.text.strip(" .,;:")
            out.append((ent.start_char, ent.end_char, text[4:] if text.lower().startswith("the ") else text, "list"))
            covered.update(range(ent.start, ent.end))
        return out

    def _unlabelled_venues(self, doc, taken: set[int]) -> list[tuple[int, int, str, str]]:
        """'will take place in Vilnius' when spaCy took Vilnius for a person or a company."""
        out = []
        for tok in doc:
            if tok.i in taken or tok.pos_ != "PROPN" or tok.dep_ != "pobj":
                continue
            prep = tok.head
            if prep.lower_ == "of" and prep.head.lower_ in ("city", "capital", "town", "port", "resort", "village") \
                    and prep.head.dep_ == "pobj":
                prep = prep.head.head  # "in the northern industrial city of Monterrey"
            if prep.lower_ not in ("in", "at", "for"):
                continue
            governor = prep.head
            if not (governor.lemma_.lower() in ("take", "hold", "set", "meet", "convene", "gather", "host")
                    or governor.lemma_.lower() in MEET_NOUNS):
                continue
            if governor.lemma_.lower() == "take" and not any(c.lower_ == "place" for c in governor.children):
                continue
            span = self._ent_at(tok.i)
            start, end = (span.start, span.end) if span is not None else (tok.i, tok.i + 1)
            text = doc[start:end].text.strip(" .,;:")
            if any(self.people.resolve(w) for w in text.split()) or self.g.summit(text) or (
                    span is not None and span.label_ in (
                    "DATE", "TIME", "NORP", "MONEY", "CARDINAL", "ORDINAL", "EVENT")):
                continue
            out.append((doc[start].idx, doc[end - 1].idx + len(doc[end - 1].text), text, tok.head.lower_))
        return out

    def _retense(self, doc, found: list[Found], tense: str | None, anchor) -> list[Found]:
        """Re-resolve a date whose own verb has another tense than the sentence's meeting.

        "No date for the visit has been decided yet, but it would happen before Christmas":
        the visit's clause is past, "before Christmas" hangs from "would happen".
        """
        out = []
        self._date_tense = {}
        by_tense: dict[str | None, dict[tuple[int, int], Found]] = {}  # the sentence re-read once per tense
        for f in found:
            own = self._phrase_tense(doc, f)
            present = own == "present"
            if present:  # "the trip to Camp David in June is off": no direction of its own
                own = None if tense == "past" else tense
            if own != tense:
                if own not in by_tense:
                    by_tense[own] = {(g.start_char, g.end_char): g
                                     for g in find_dates(self._text, self.published, own, anchor)}
                f = by_tense[own].get((f.start_char, f.end_char), f)
            if own is not None or present:
                self._date_tense[f.value] = "present" if present else own
            out.append(f)
        return out

    @staticmethod
    def _phrase_tense(doc, f: Found) -> str | None:
        """The tense of the verb a date phrase hangs from: 'would happen before Christmas' -> future."""
        span = doc.char_span(f.start_char, f.end_char, alignment_mode="expand")
        if span is None:
            return None
        cur = span.root
        for _ in range(6):
            if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("aux", "auxpass"):
                break
            if cur.pos_ in ("NOUN", "PROPN") and any(c.dep_ in ("amod", "compound") and c.lower_ in (
                    "planned", "scheduled", "upcoming", "forthcoming", "proposed") for c in cur.children):
                return "future"  # "canceled his planned early September summit": the plan's date is ahead
            if _called_off(cur):
                return "future"  # "Trump cancelled the June 12 summit"
            if cur.head.i == cur.i:
                return None
            cur = cur.head
        else:
            return None
        if cur.pos_ not in ("VERB", "AUX"):
            return None
        kids = list(cur.children)
        shared = list(cur.head.children) if cur.dep_ == "conj" else []  # "will chair ... and host ... in May"
        if any(c.tag_ == "MD" and c.lower_ in ("will", "would", "shall", "'ll") for c in kids + shared):
            return "future"
        if cur.tag_ == "VBN" and cur.lemma_.lower() in _SCHEDULING and any(c.dep_ == "auxpass" for c in kids):
            return "future"  # "has been scheduled for Sept. 4": what was scheduled is ahead
        if cur.tag_ == "VBD" or (cur.tag_ == "VBN" and any(c.lower_ in ("has", "have", "had") for c in kids)):
            return "past"
        if cur.tag_ in ("VBZ", "VBP") and cur.dep_ in ("ROOT", "ccomp", "conj"):
            return "present"
        return None

    def _reporting_date(self, doc, found: Found) -> bool:
        """A date that dates a statement ('the White House said Thursday'), not a meeting."""
        span = doc.char_span(found.start_char, found.end_char, alignment_mode="expand")
        if span is None:
            return False
        head = span.root.head
        for _ in range(3):
            if (head.lemma_.lower() in REPORTING or head.lemma_.lower() in STATEMENTS) and not any(
                    c.dep_ == "oprd" for c in head.children) and (  # "will be declared open on Friday"
                    head.i < span.start or all(t.pos_ == "ADP" for t in doc[:span.start]) or any(
                        c.dep_ == "nsubj" and c.i < span.start and span.end <= head.i for c in head.children)):
                # "the White House said Thursday", "On the 8th, Kyodo reported that ...", "Modi on Sunday said"
                return True
            if head.dep_ == "prep" or head.dep_ == "nsubj" and all(t.pos_ == "ADP" for t in doc[:span.start]):
                head = head.head  # "On the 8th, Japan's Kyodo News ... reported": hung on the subject
            else:
                break
        return False

    def _sentence_tense(self, doc) -> str | None:
        """The main clause's tense: 'The summit ended on Sunday' is past, 'will open' future."""
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        if root is None:
            return None
        if any(c.tag_ == "MD" and c.lower_ in ("will", "would", "shall", "'ll", "could", "may", "might")
               for c in root.children):
            return "future"
        if root.lemma_.lower() in REPORTING:
            # "X said (that) Y will ...": the reported clause carries the tense.
            for child in root.children:
                if child.dep_ == "ccomp":
                    if any(c.tag_ == "MD" and c.lower_ in ("will", "would", "could", "may", "might", "shall")
                           for c in child.children):
                        return "future"
                    if child.tag_ == "VBD":
                        return "past"
            return None
        if root.tag_ == "VBD" or (root.tag_ == "VBN" and (any(c.lower_ in ("has", "have", "had")
                                                             for c in root.children)
                                                         or not any(c.dep_ in ("aux", "auxpass")
                                                                    for c in root.children))):
            return "past"
        if root.tag_ in ("VBZ", "VBP") and any(c.dep_ == "xcomp" or c.lower_ == "to" for c in root.children):
            return "future"
        return None

    def _verb_tense(self, doc, trig: _Trigger) -> str | None:
        """'future' or 'past' from the verb that governs the trigger, None when unclear."""
        tok = doc[trig.i]
        chain = [tok]
        cur = tok
        for _ in range(5):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            chain.append(cur)
            if cur.pos_ in ("VERB", "AUX") and cur.dep_ not in ("xcomp", "aux", "auxpass", "acl", "relcl", "advcl", "conj"):
                break
        window = doc[max(0, tok.i - 8):tok.i + 1].text
        top = chain[-1]
        if _called_off(tok):
            return "future"  # "Trump cancelled the June 12 summit": what is called off was still ahead
        if top.dep_ == "ccomp" and top.head.lemma_.lower() in PROPOSE:
            return "future"  # "Seoul proposed that the two sides hold talks this week"
        if tok.pos_ != "VERB":
            for child in tok.children:
                if child.dep_ in ("relcl", "acl") and child.lemma_.lower() not in REPORTING and not any(
                        g.dep_ == "xcomp" for g in child.children) and (  # "the summit set to be held"
                        child.tag_ == "VBD" or (child.tag_ == "VBN" and any(
                            c.dep_ == "nsubj" for c in child.children))):
                    return "past"  # "the summit they held at the White House"
        for below, c in zip(chain, chain[1:]):
            if c.lemma_.lower() in COMMIT and below.dep_ == "xcomp" and below.tag_ == "VB" and any(
                    a.lower_ == "to" for a in below.children):
                return "future"  # "agreed on Tuesday to hold a summit later this month": what was agreed is ahead
        for c in chain:
            for child in list(c.children) + [c]:
                low = child.lower_
                if low in ("will", "'ll", "shall", "would", "could", "may", "might") and child.tag_ == "MD":
                    return "future"
            if c.lemma_ in ("plan", "expect", "schedule", "set", "slate", "due", "aim", "hope", "intend", "prepare",
                            "arrange", "propose", "invite", "seek", "want", "agree") and c.tag_ in (
                    "VBZ", "VBP", "VBN", "VBG", "JJ", "NNS"):
                return "future"
        if re.search(r"\b(?:upcoming|planned|forthcoming|next|expected|proposed|possible|potential|prospective)\b",
                     window, re.I):
            return "future"
        for c in chain:
            if c.i != tok.i and c.lemma_.lower() not in HAPPENING:
                continue
            if c.tag_ == "VBD":
                return "past"
            if c.tag_ in ("VBD", "VBN") and any(ch.lower_ in ("has", "have", "had") for ch in c.children):
                return "past"
            if c.tag_ == "VBN" and c.dep_ == "ROOT" and not any(ch.dep_ in ("aux", "auxpass") for ch in c.children):
                return "past"  # "The summit ended on Sunday", tagged as a participle
        if tok.tag_ == "VBD":
            return "past"
        if tok.pos_ == "VERB" and tok.tag_ in ("VBZ", "VBP") and any(ch.dep_ == "nsubj" for ch in tok.children):
            return None
        return None

    # -- one trigger ---------------------------------------------------------------------

    def _mention(self, doc, trig, k, triggers, people, summits, places, found, tense, cancelled, order, lo, hi,
                 contiguous) -> list[Mention] | None:
        text = self._text
        tok = doc[trig.i]
        if trig.lemma == "envoy":
            return self._envoys(doc, tok, found, triggers, k, cancelled, order, places)
        # Participants: the clause's subject side (before the first trigger) is shared; each trigger
        # takes the people between it and the next trigger.
        first = triggers[0]
        agents = [p for p in people if p[1] <= first.start_char and not self._is_speaker(doc, p[3])]
        counter = [p for p in people if trig.start_char <= p[0] < hi and not self._is_speaker(doc, p[3])]
        if k > 0:
            between = [p for p in people if lo <= p[0] < trig.start_char and not self._is_speaker(doc, p[3])]
            counter = between + counter if not counter else counter
        # Summit name and the occasion it gives.
        name, occasion = self._summit_name(doc, trig, summits, lo, hi)
        pair = re.fullmatch(r"([A-Z][\w'’]+)\s*[-–]\s*([A-Z][\w'’]+)\s+\w+", name or "")
        if pair and all(self.people.resolve(w) for w in pair.groups()):
            name = None  # "a Biden-Xi summit": the two leaders' meeting, which has no name of its own
        syn_agents, syn_counter = self._syntactic_people(doc, tok, people)
        together = False  # several counterparts met at once, not one bilateral each
        delegates = False  # the states' ministers, not their leaders, meet
        between = next((c for c in tok.children if c.dep_ == "prep" and c.lower_ == "between"), None)
        person_at = {p[3] for p in people}
        if between is not None and tok.pos_ == "NOUN" and not any(t.i in person_at for t in between.subtree):
            # "Biden plans to preview the talks between the U.S. and Russia": the parties are the states named
            span = doc[between.left_edge.i:between.right_edge.i + 1]
            states = _unique([c for a, _, c, _ in self._country_mentions(doc)
                              if span.start_char <= a < span.end_char])
            if len(states) >= 2:
                syn_agents, syn_counter = [], states
        if not (syn_agents or syn_counter) and trig.lemma in ("summit", "talks", "talk", "meeting",
                                                                              "negotiation", "negotiations", "dialogue",
                                                                              "ceremony"):
            # No person named: the states themselves ("Japan postponed a summit with China and South Korea").
            syn_agents, syn_counter = self._syntactic_people(doc, tok, self._country_mentions(doc))
            if len(set(syn_agents + syn_counter)) < 2:
                syn_agents, syn_counter = [], []
        if not (syn_agents or syn_counter) and (tok.pos_ == "VERB" or tok.dep_ == "dobj"):
            # "The U.S. and Russian foreign and defense ministers will sit down in Washington", "the Thai and
            # Cambodian prime ministers agreed to hold talks": their states
            subject = _acting_subject(tok)
            if subject is not None and subject.lemma_.lower() in _DELEGATE_NOUNS and subject.tag_ == "NNS":
                states = _unique([c for t in subject.subtree if t.i != subject.i and (
                                  t.ent_type_ in ("GPE", "NORP") or t.pos_ in ("PROPN", "ADJ"))
                                  and (c := self.g.country(t.text))])
                if len(states) >= 2:
                    syn_agents, delegates = states, True
        elif len(syn_agents) == 1 and not syn_counter and trig.lemma in ("meeting", "talks", "bilateral", "meet"):
            # "Modi will hold bilateral meetings with counterparts of Mauritius and Bangladesh", "Lavrov could
            # meet with his counterparts from Germany, France and Ukraine": the states stand for their
            # leaders (by name when the article names them)
            partners = {t.i for c in tok.children if c.dep_ == "prep" and c.lower_ == "with"
                        or tok.pos_ == "VERB" and c.dep_ == "dobj" and c.lemma_.lower() in ("counterpart", "leader")
                        for t in c.subtree}
            named = [(e.start, e.text) for e in self._ents if e.root.i in partners] + [
                (t.i, t.text) for t in doc if t.i in partners and t.pos_ == "PROPN" and not t.ent_type_]
            states = _unique([c for _, text in sorted(named) if (c := self.g.country(text))])
            leaders = {c: self.people.leader_of(c) for c in states}
            syn_counter = [leaders[c] or c for c in states if leaders[c] not in syn_agents and c not in syn_agents]
            together = tok.pos_ == "VERB" and len(syn_counter) >= 2  # "meet with his counterparts from"
        if trig.lemma == "summit" and tok.tag_ == "NN" and not any(
                c.lower_ in ("bilateral", "separate", "individual") for c in tok.children):
            together = True  # "Germany will host a summit with France and Poland": one summit of three
        if syn_agents or syn_counter:
            agent_names = _unique(syn_agents)
            counter_names = [n for n in _unique(syn_counter) if n not in agent_names]
            if not agent_names and counter_names and k > 0 and tok.pos_ == "VERB" and _acting_subject(tok) is None:
                # "Guterres will attend the BRICS summit ..., and is expected to meet Putin on the sidelines":
                # a later verb with no subject of its own shares the first one's
                agent_names = [n for n in _unique([p[2] for p in agents]) if n not in counter_names]
            if counter_names:
                # "will speak with Putin on Saturday as well as Merkel and Hollande" (a list the parse lost)
                later = [p[2] for p in counter if re.search(r"\bas well as\b", text[trig.end_char:p[0]])]
                # "a bilateral meeting with UK counterpart Rishi Sunak, and Japanese PM Fumio Kishida", the
                # last name misparsed as a conjunct of the verb
                verb = tok if tok.pos_ == "VERB" else tok.head
                later += [p[2] for p in counter if p[0] > trig.end_char and doc[p[3]].dep_ == "conj"
                          and doc[p[3]].head.i == verb.i and verb.pos_ == "VERB"]
                counter_names = _unique(counter_names + [n for n in later if n not in agent_names])
            if not counter_names and tok.pos_ == "VERB":
                # "when Lula meets two US envoys: Jake Sullivan and Juan Gonzalez" (a list the parse lost)
                listed = [p for p in counter if ":" in text[trig.end_char:p[0]]]
                counter_names = [n for n in _unique([p[2] for p in listed]) if n not in agent_names]
        elif name is not None:
            agent_names, counter_names = [], []
        else:
            agent_names = _unique([p[2] for p in agents])
            counter_names = [n for n in _unique([p[2] for p in counter]) if n not in agent_names]
        names = _unique(agent_names + counter_names)
        if len(names) < 2 and name is None:
            names = _unique(names + self._leaders_of_states(doc, tok))
        if len(names) < 2 and name is None and self._group_ref(doc, tok) and (
                len(self.last_participants) >= 2 or len(self.recent_people) >= 2):
            names = _unique(names + self._group(text))
        definite = tok.pos_ != "VERB" and any(c.lower_ in ("the", "this", "that") for c in tok.children
                                              if c.dep_ == "det")
        if definite and name is None and trig.lemma in ("meeting", "talks", "talk") and not people \
                and not self._country_mentions(doc):
            # '"We are working on organizing a meeting of the foreign ministers of Russia and Ukraine" ...
            # He added that it is possible to hold the meeting in the next two weeks': that meeting
            planned = next((m for m in reversed(self.mentions) if m.tense in ("upcoming", "unknown")
                            and m.dates is None and len(m.participants) >= 2 and m.kind in ("bilateral", "talks")
                            and order - m.order <= NEAR_ANCHOR), None)
            if planned is not None:
                names = list(planned.participants)
                agent_names, counter_names = names[:1], names[1:]
        gathering = None
        if not names and name is None and definite and trig.lemma in ("summit", "gathering") \
                and self.last_gathering is not None:
            gathering = self.last_gathering  # "the summit" after "a gathering of world leaders"
            names = list(gathering.participants)
        elif not names and name is None and definite and len(self.last_participants) >= 2:
            names = list(self.last_participants)  # "The meeting will be held in Mexico City"
            if trig.lemma in TRIP_NOUNS:
                names = names[:1]
        kind = "multilateral" if gathering is not None else self._kind(doc, trig, names, name, text)
        if kind is None:
            return None
        if delegates and kind == "bilateral":
            kind = "talks"  # ministers of two states who "sit down": talks between the states
        if name is None and kind == "multilateral" and not names:
            return None
        if kind in ("bilateral", "talks") and len(names) == 1 and tok.pos_ == "NOUN":
            names = names + self._state_modifier(tok, names[0])  # "Trump calls off North Korea summit"
        # What is not diplomacy.
        if gathering is None and not self._diplomatic(doc, trig, names, name, text, kind, occasion):
            return None

        if cancelled and kind == "multilateral" and name and ABSENT.search(text, lo, trig.start_char):
            # "Arafat said he will not attend the Arab League summit": he stays away, the summit goes ahead
            cancelled = False
            names = [n for n in names if n not in agent_names]
        elif cancelled and kind == "multilateral" and name and not CANCEL.search(ABSENT.sub(_blank, text)):
            cancelled = False  # "A G20 summit will bring leaders ..., but Trump has ordered a boycott"

        # Dates: the closest date in this trigger's segment; else the occasion's; else the context's.
        dates = self._date_for(trig, found, lo, hi, triggers, k, tense)
        moved_to = self._moved_to(text, found)
        if moved_to is not None:
            dates = moved_to
        at = text.find(dates.text, trig.end_char) if dates is not None else -1
        if dates is not None and dates.start > self.ref_date and at > 0 and BEFORE.search(text[trig.end_char:at]):
            # "to meet Biden ahead of his inauguration in January": some time before that date
            dates = Resolved(self.ref_date, dates.start - timedelta(days=1), "day", dates.text)
        if tense == "past" and dates is not None and self._date_tense.get(dates) == "future":
            tense = "future"  # "no date for the visit has been decided, but it would happen before Christmas"
        if dates is not None and tense == "past" and dates.start > self.ref_date \
                and self._date_tense.get(dates) != "present":  # not "the trip ... in June is off"
            # The sentence was read as future ("will compare notes ... after the summit they held on April 11").
            try:
                dates = resolve(dates.text, self.published, "past")
            except Unresolvable:
                pass
        if dates is None and len({(f.value.start, f.value.end) for f in found}) == 1 and self._fronted(doc, found[0]):
            dates = found[0].value  # "Following the talks on Wednesday, Trump will ...": the date frames the clause
        own = self._local_tokens(doc, tok)
        named_here = _unique([c for a, _, c in summits if self._token_at(doc, a) in own])
        if dates is None and occasion is None and name is None and kind in ("bilateral", "talks") \
                and len(named_here) == 1 and named_here[0] in self.summit_dates:
            occasion = named_here[0]  # "bilateral meetings with BRICS counterparts"
        if dates is None and occasion and occasion not in self.summit_dates and self.summit_lookup is not None:
            known = self.summit_lookup(occasion, self.ref_date)
            if known:
                start, end, place = known
                self.summit_dates[occasion] = (Resolved(start, end, "day", occasion), place)
        if dates is None and occasion and occasion in self.summit_dates:
            dates = self.summit_dates[occasion][0]
        occasions = _unique([c for _, _, c in summits if c in self.summit_dates])
        if dates is None and name is None and kind in ("bilateral", "talks") and len(names) >= 2 and occasions \
                and re.search(r"\b(?:occasions?|sidelines|margins|on the fringes)\b", text, re.I):
            # "The G7 summit ... and the NATO summit ... are cited as occasions for Lee and Trump to meet."
            tense_label = "cancelled" if cancelled else "upcoming"
            return [self._make(names, kind, None, self.summit_dates[c][1],
                               [self.summit_dates[c][1]] if self.summit_dates[c][1] else [],
                               self.summit_dates[c][0], tense_label, self._certainty(text, tense_label, None),
                               text, order, c) for c in occasions]
        inherited = False
        also = self._also_there(tok, names) if dates is None and not found else None
        if also is not None:
            dates, inherited = also.dates, True
        elif dates is None and contiguous and CONTINUATION.match(text) and self.last_dates is not None:
            dates = self.last_dates
            inherited = True
        # "for a three-day visit" stretches a start day into a range ("the three-day summit will end on
        # June 17": back from its last day).
        n = _extent(text, trig, hi)
        trip = _during_trip(tok) if n is None else None
        stay = None
        if trip is not None:  # "a two-day visit ..., during which he will hold talks": as long as the visit
            stay = _EXTENT.search(text, max(0, trip.idx - 30), trip.idx + len(trip.text))
        elif n is None and inherited:  # "left on Monday ... During his four-day stay, he is expected to meet"
            stay = _DURING_STAY.match(text)
        if stay:
            n = _NUMBERS.get(stay.group(1).lower())
        if trip is not None and n:
            # "will depart next Wednesday for a three-day visit, during which the president will attend a
            # summit of APEC": the visit's own day starts it, over the vaguer "next week" of the summit
            j = next((index for index, t in enumerate(triggers) if t.i == trip.i), None)
            own = self._date_for(triggers[j], found, lo, hi, triggers, j, tense) if j is not None else None
            if own is not None and own.start == own.end and (dates is None or dates.start < dates.end):
                dates = own
        if dates is not None and n and dates.start == dates.end:
            if _ends(tok):
                dates = Resolved(dates.start - timedelta(days=n - 1), dates.start, "day", dates.text, dates.time)
            else:
                dates = Resolved(dates.start, dates.start + timedelta(days=n - 1), "day", dates.text, dates.time)

        # Place.
        local = self._local_tokens(doc, tok)
        seg_places = [p for p in places if self._token_at(doc, p[0]) in local]
        host = tok.head if tok.dep_ == "dobj" and tok.head.lemma_.lower() == "host" else None
        host_state = None
        if host is not None:
            subject = next((c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is None and host.dep_ == "xcomp":
                subject = next((c for c in host.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.ent_type_ in ("GPE", "LOC"):
                span = self._ent_at(subject.i)
                if span is not None and not self.g.is_state(span.text):  # a host city, not a host country
                    seg_places = [(span.start_char, span.end_char, span.text, "host")]
                elif span is not None:
                    host_state = (span.start_char, span.end_char, self.g.country(span.text), "host")
        if not seg_places:
            seg_places = [p for p in places if lo <= p[0] < hi and not local]
        if not seg_places and kind == "multilateral":
            seg_places = sorted(places, key=lambda p: abs(p[0] - trig.start_char))[:1]
        if not seg_places and tok.dep_ == "conj" and tok.pos_ == "VERB" and not any(
                c.dep_ in ("aux", "auxpass", "nsubj") for c in tok.children):
            # "will attend the forum in Davos next week and meet President Amherd": there too
            sibling = {t.i for t in tok.head.subtree} - {t.i for t in tok.subtree}
            seg_places = [p for p in places if self._token_at(doc, p[0]) in sibling]
        if not seg_places and name is None:
            seg_places = [p for p in places if p[0] < first.start_char]
        if not seg_places and occasion and occasion in self.summit_dates and _overlap(
                dates, self.summit_dates[occasion][0]):  # a dinner days "ahead of" the summit is not there
            occ_place = self.summit_dates[occasion][1] or self.summit_places.get(occasion)
            seg_places = [(0, 0, occ_place, "at")] if occ_place else []
        if not seg_places and also is not None and also.location:
            seg_places = [(0, 0, also.location, "in")]
        elif not seg_places and (inherited or _ON_THE_TRIP.match(text)) and self.last_location:
            seg_places = [(0, 0, self.last_location, "in")]
        if not seg_places:
            # No city or country: a named building still says where ("at the White House").
            local_ids = self._local_tokens(doc, tok)
            seg_places = [(e.start_char, e.end_char, re.sub(r"^the\s+", "", e.text.strip(" .,;:"), flags=re.I), "at")
                          for e in self._ents if (e.label_ == "FAC" or (e.root.dep_ == "pobj" or e.root.dep_ == "dobj"
                              and e.root.head.lemma_.lower() == "visit") and self.g.venue_city(e.text))
                          and e.root.i in local_ids  # "to the White House", "visit the White House": an organisation
                          and not self.g.summit_pattern.search(e.text)]
            building = bool(seg_places)
            if not seg_places and host_state and not any(p[3] != "list" for p in places):
                seg_places = [host_state]  # "Japan will host a trilateral summit": in Japan, no place given
        else:
            building = False
        if kind == "visit" and len({p[2] for p in seg_places}) >= 2 and any(p[3] == "list" for p in seg_places):
            itinerary = _unique([p[2] for p in seg_places])  # one visit to each place of the list
        else:
            itinerary = []
            # one place of a list: the one the clause is about ("Shanghai and Beijing, where he will meet Xi")
            seg_places = [p for p in seg_places if p[3] != "list"] or [p for p in seg_places if p[3] == "list"][-1:]
        locs = _unique([p[2] for p in seg_places])
        location = locs[-1] if locs else None
        tense_label = self._status(doc, trig, dates, tense, cancelled, text)
        certainty = self._certainty(text, tense_label, name)
        if name and dates is not None and kind == "multilateral":
            self.summit_dates.setdefault(name, (dates, location))
        if name and location and kind == "multilateral" and tense_label != "past":
            self.summit_places.setdefault(name, location)  # "will travel to Kazan to attend the BRICS summit"
        if name and kind == "multilateral":
            self.recent_summit = name
            self.named_summits.setdefault(name)

        # "on the sidelines of the three-way summit": an unnamed summit the article dates elsewhere
        at_gathering = dates is None and occasion is None and name is None and kind in ("bilateral", "talks") \
            and bool(_AT_GATHERING.search(text))
        mentions = []
        if kind in ("bilateral", "phone_call") and len(agent_names) == 1 and len(counter_names) >= 2 \
                and not name and not together:
            own_dates = self._respective_dates(counter_names, people, found, trig, hi) or [dates] * len(counter_names)
            for other, when in zip(counter_names, own_dates):
                when = when or dates
                mentions.append(self._make([agent_names[0], other], kind, name, location, locs, when,
                                           tense_label, certainty, text, order, occasion))
                mentions[-1].at_gathering = at_gathering
            return mentions
        if kind in ("bilateral", "talks", "multilateral") and not name and len(agent_names) >= 2 \
                and len(counter_names) == 1 and (trig.lemma == "bilateral" or any(
                    c.lower_ in ("separate", "bilateral", "individual", "respective") for c in tok.children)):
            # "Li and Kishida will also hold separate bilateral talks with Yoon": one meeting each
            return [self._make([agent, counter_names[0]], "bilateral", name, location, locs, dates, tense_label,
                               certainty, text, order, occasion) for agent in agent_names]
        if itinerary:
            legs = [self._make(names, kind, name, place, [place], dates, tense_label, certainty, text, order,
                               occasion) for place in itinerary]
            for index, leg in enumerate(legs):
                leg.leg = index
            return legs
        if kind == "bilateral" and len(names) >= 3 and not name:
            kind = "multilateral"
        several = self._coordinated_summits(trig) if kind == "multilateral" else []
        out = []
        for one in several or [name]:
            made = self._make(names, kind, one, location, locs, dates, tense_label, certainty, text, order, occasion)
            made.building = building
            made.lemma = trig.lemma
            made.at_gathering = at_gathering
            out.append(made)
        return out

    def _respective_dates(self, others, people, found, trig, hi) -> list[Resolved | None] | None:
        """'will meet Xi on July 15 and Premier Li the following day': each counterpart named after the
        trigger takes the date between it and the next one, when at least two of them have their own."""
        firsts = []
        for other in others:
            at = min((start for start, _, who, _ in people if who == other and start > trig.end_char), default=None)
            if at is None:
                return None
            firsts.append(at)
        if firsts != sorted(firsts):
            return None
        own = []
        for start, end in zip(firsts, firsts[1:] + [hi]):
            inside = [f.value for f in found if start < f.start_char < end]
            own.append(inside[0] if inside else None)
        if len({d for d in own if d is not None}) < 2:
            return None
        for j in range(len(own) - 2, -1, -1):
            own[j] = own[j] or own[j + 1]  # "Xi and Li on Monday, Wang on Tuesday": Xi on Monday
        return own

    def _party(self, name: str) -> str | None:
        """The state a participant stands for: the state itself, or a person's country."""
        if self.g.is_state(name):
            return self.g.country(name)
        person = self.people.people.get(name)
        return person.country if person is not None else None

    def _state_modifier(self, tok, who: str) -> list[str]:
        """The other state a meeting noun names as its modifier ('the North Korea summit'), when it is not
        the named side's own."""
        own = self._party(who)
        for child in tok.children:
            ent = self._ent_at(child.i) if child.dep_ in ("compound", "nmod") else None
            if ent is not None and ent.label_ == "GPE" and self.g.is_state(ent.text) \
                    and (state := self.g.country(ent.text)) and state != own:
                return [state]
        return []

    def _coordinated_summits(self, trig) -> list[str]:
        """'the G7 and NATO summits', 'the Asean-US and East Asia Summits': one summit for each name."""
        if not trig.text.lower().endswith("s"):
            return []
        m = _COORDINATED.search(self._text, 0, trig.start_char)
        if m is None:
            return []
        words = "Summit" if trig.text[:1].isupper() else "summit"
        out = []
        for part in re.split(r"\s*,\s*(?:and\s+)?|\s+and\s+", m.group(1).strip()):
            part = re.sub(r"^the\s+", "", part)
            out.append(self.g.summit(part) or self.g.summit(f"{part} {words}") or f"{part} {words}")
        return _unique(out) if len(out) >= 2 else []

    def _also_there(self, tok, names: list[str]) -> Mention | None:
        """'Netanyahu said he is also scheduled to meet with Vance, Rubio ...': the last dated upcoming meeting
        of the one who also meets others (its dates and place are those of this one: the same trip)."""
        if len(names) < 2:
            return None
        verbs = [tok]  # "will also meet", "is also scheduled to meet", "will also hold talks with"
        while verbs[-1].dep_ in ("xcomp", "dobj") and len(verbs) < 3:
            verbs.append(verbs[-1].head)
        if not any(c.lower_ == "also" and c.dep_ == "advmod" for t in verbs for c in t.children):
            return None
        found = next((m for m in reversed(self.mentions) if names[0] in m.participants and m.dates is not None
                      and m.tense == "upcoming" and m.kind != "multilateral"), None)
        if found is None:  # "Japan, China and South Korea will hold a summit ... Li will also hold talks with Yoon"
            sides = {names[0], self._party(names[0])} - {None}
            found = next((m for m in reversed(self.mentions) if m.kind == "multilateral" and m.dates is not None
                          and m.tense == "upcoming" and sides & set(m.participants)), None)
        return found

    def _syntactic_people(self, doc, tok, people) -> tuple[list[str], list[str]]:
        """(subject side, object side) of a trigger from the parse: 'Trump plans to have talks with Lee'."""
        at: dict[int, str] = {}
        for start, end, canonical, _ in people:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None:
                for t in span:
                    at[t.i] = canonical

        def persons(tokens) -> list[str]:
            return _unique([at[t.i] for t in tokens if t.i in at and not self._is_speaker(doc, t.i)
                            and not _sender(doc[t.i])])

        objects: list[str] = []
        if tok.pos_ == "VERB":
            for child in tok.children:
                if child.dep_ in ("dobj", "dative", "attr") or (child.dep_ == "prep" and child.lower_ in (
                        "with", "between", "among")) or (child.dep_ == "prep" and child.lower_ == "on" and _calls_on(tok)):
                    objects += persons(child.subtree)
            verb = tok
        else:
            objects = persons(t for t in tok.subtree if t.i != tok.i)
            verb = None
            if tok.dep_ in ("dobj", "attr", "oprd"):
                verb = tok.head
            elif tok.dep_ == "pobj" and tok.head.dep_ in ("prep", "agent"):
                verb = tok.head.head
                if verb.pos_ == "PROPN" and verb.dep_ == "pobj" and verb.head.dep_ == "prep":
                    verb = verb.head.head  # "travel ... for the Group of 20 summit": the name's head hangs there
            elif tok.dep_ == "conj" and tok.head.dep_ in ("dobj",):
                verb = tok.head.head
            elif tok.dep_ == "conj" and tok.head.pos_ == "VERB" and tok.head.lemma_.lower() in ("attend", "join"):
                verb = tok.head  # "will attend the G7 and NATO summits", parsed as two things he does
            if _brings_together(tok):  # "The gathering will bring together Abe, Li and Moon"
                objects += [p for c in tok.head.children if c.dep_ == "dobj" for p in persons(c.subtree)]
            for child in (verb.children if verb is not None else []):
                if child.dep_ == "prep" and child.lower_ in ("with", "between"):
                    objects += persons(child.subtree)
                elif child.dep_ == "dobj" and child.i != tok.i and tok.dep_ == "pobj" and verb.lemma_.lower() in (
                        "host", "invite", "welcome", "receive", "meet", "join"):
                    objects += persons(child.subtree)  # "Biden will host Ruto ... for talks"
        subjects: list[str] = []
        voice = None  # a subject that is no person: "U.S. officials did not rule out a meeting with Xi"
        cur = verb
        for _ in range(6):
            if cur is None:
                break
            if (verb is None or cur.i != verb.i) and cur.lemma_.lower() in _ARRANGING:
                # "Kishida is coordinating with Yoon to hold a summit meeting": the partner of the arranging
                for child in cur.children:
                    if child.dep_ == "prep" and child.lower_ == "with":
                        objects += persons(child.subtree)
            subs = [c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass", "csubj")]
            if not subs and cur.pos_ == "NOUN" and cur.dep_ in ("ccomp", "ROOT", "conj"):
                # "Trump plans to ...", misparsed as a compound noun.
                subs = [c for c in cur.children if c.dep_ == "compound" and c.i in at]
            if subs and subs[0].lower_ in ("what", "which", "that") and cur.head.i != cur.i:
                cur = cur.head  # "hold what is expected to be a final meeting": the subject is the holder's
                continue
            if subs:
                # "PM Narendra Modi will hold": a title the parse makes a second subject
                subj = next((c for c in subs if persons(c.subtree)), subs[0])
                subjects = persons(subj.subtree)
                voice = subj
                if any(t.lower_ == "i" for t in subj.subtree):
                    # '"Michelle and I look forward to meeting with President Bush," Obama said'
                    speaker = self._quoted_speaker(doc, subj, at)
                    if speaker:
                        # "Michelle and I": the speaker's family is not a party to the meeting
                        surname = speaker.split()[-1]
                        subjects = _unique([speaker] + [p for p in subjects if p.split()[-1] != surname])
                low = subj.lower_
                pronoun = next((t for t in subj.subtree if t.lower_ in ("he", "she")), None)
                if subjects and pronoun is not None:
                    # "he and Japanese Prime Minister Shigeru Ishiba will hold ..."
                    reporter = self._reporter(doc, subj, at)
                    extra = reporter or (self.last_participants[0] if self.last_participants else None)
                    if extra:
                        subjects = _unique([extra] + subjects)
                if not subjects and low in ("he", "she"):
                    reporter = self._reporter(doc, subj, at)
                    if reporter and self.last_named and reporter != self.last_named and subj.i == 0 and any(
                            at.get(t.i) == reporter for t in doc[subj.i:] if t.dep_ == "nsubj"):
                        # "She will later call on President Murmu, Momen said.": a sentence that opens with
                        # 'she' continues the previous one; the speaker named after it is someone else
                        reporter = None
                    if reporter:
                        subjects = [reporter]
                    elif self.last_named:
                        subjects = [self.last_named]
                    elif self.last_participants:
                        subjects = [self.last_participants[0]]
                elif not subjects and re.search(r"\b(?:two|both) (?:sides|countries|nations|governments|Koreas)\b",
                                                " ".join(t.text for t in subj.subtree)):
                    states = _unique([c for _, _, c, _ in self._country_mentions(doc)])
                    if len(states) == 2:
                        subjects = states  # "Seoul proposed to Pyongyang that the two sides hold talks"
                    elif len(self.last_participants) >= 2:
                        subjects = list(self.last_participants)
                elif not subjects and not any(c.dep_ in ("compound", "amod", "nmod") for c in subj.children) and (
                        low in ("they", "leaders", "sides", "both") or GROUP_REF.search(
                        " ".join(t.text for t in subj.subtree))) and len(self.last_participants) >= 2:
                    subjects = self._group(" ".join(t.text for t in subj.subtree))
                break
            if (cur.dep_ in ("xcomp", "conj", "acl", "advcl", "pcomp", "prep", "acomp", "relcl")
                    or cur.dep_ == "advmod" and cur.pos_ == "ADV") and cur.head.i != cur.i:  # "depart ... ahead of a meeting"
                if cur.dep_ == "relcl" and cur.head.dep_ not in ("dobj", "pobj"):
                    break
                if cur.dep_ in ("acl", "relcl") and cur.head.dep_ in ("dobj", "pobj") and cur.head.head.i != cur.head.i:
                    # "he would attend a forum to be held in Vladivostok ... and have a meeting with Putin":
                    # past the forum to whoever attends it
                    cur = cur.head.head
                    if cur.dep_ == "prep" and cur.head.i != cur.i:
                        cur = cur.head
                else:
                    cur = cur.head
            else:
                break
        if not objects and tok.pos_ == "VERB" and tok.lemma_.lower() in _RECEIVING and self.last_named \
                and self.last_named not in subjects and any(
                    c.dep_ == "dobj" and c.lower_ in ("him", "her") for c in tok.children):
            objects = [self.last_named]  # "Trump is expected to host him for a dinner": the guest named before
        if not subjects and tok.pos_ != "VERB" and len(objects) == 1 and voice is not None \
                and voice.lemma_.lower() in _SPOKESPEOPLE and self.last_named and self.last_named not in objects:
            subjects = [self.last_named]  # the meeting the officials speak of is their principal's
        if not subjects and tok.pos_ != "VERB" and any(c.dep_ == "poss" and c.lower_ in ("his", "her")
                                                        for c in tok.children):
            # "Trump said after his meeting with Xi": the owner is the person named before, speaker or not
            before = [at[i] for i in sorted(at) if i < tok.i]
            owner = before[-1] if before else self.last_named
            if owner and owner not in objects:
                subjects = [owner]
        return subjects, objects

    def _envoys(self, doc, tok, found, triggers, k, cancelled, order, places) -> list[Mention] | None:
        """'Seoul will send special envoys to Pyongyang on Wednesday': talks between envoys and the host."""
        verb = tok.head
        dest = None
        for child in verb.children:
            if child.dep_ == "prep" and child.lower_ == "to":
                obj = next((t for t in child.children if t.dep_ == "pobj"), None)
                if obj is not None:
                    span = next((e for e in self._ents if e.start <= obj.i < e.end and e.label_ in ("GPE", "LOC")), None)
                    dest = span.text if span is not None else None
        if dest is None:
            return None
        words = [t.text for t in tok.subtree if t.i <= tok.i and t.dep_ not in ("det", "nummod", "poss")
                 and t.pos_ != "NUM"]
        sender = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        country = self.g.country(sender.text) if sender is not None else None
        adjective = next((a for a, c in self.g.adjectives.items() if c == country), None) if country else None
        group = " ".join(words)
        if adjective and adjective not in group.lower():
            group = f"{adjective.title()} {group}"
        host = self.g.country(dest) or dest
        tense = self._verb_tense(doc, _Trigger(verb.i, "send", verb.text, verb.idx, verb.idx + len(verb.text),
                                               "send")) or self._sentence_tense(doc)
        dates = self._date_for(triggers[k], found, 0, len(self._text), triggers, k, tense)
        status = self._status(doc, triggers[k], dates, tense, cancelled, self._text)
        if dates is None:
            return None
        return [self._make([group, host], "talks", None, dest, [dest], dates, status,
                           self._certainty(self._text, status, None), self._text, order, None)]

    def _make(self, names, kind, name, location, locs, dates, tense, certainty, text, order, occasion) -> Mention:
        return Mention(list(names), kind, name, location, list(locs), dates, tense, certainty, text, order,
                       occasion=occasion)

    @staticmethod
    def _token_at(doc, char: int) -> int | None:
        span = doc.char_span(char, char + 1, alignment_mode="expand")
        return span.start if span is not None else None

    def _local_tokens(self, doc, tok) -> set[int]:
        """The trigger's own clause, computed once per token of the sentence being read."""
        if self._local_doc is not doc:
            self._local_doc, self._local_cache = doc, {}
        if tok.i not in self._local_cache:
            self._local_cache[tok.i] = self._clause_tokens(doc, tok)
        return self._local_cache[tok.i]

    @staticmethod
    def _clause_tokens(doc, tok) -> set[int]:
        """Tokens that belong to the trigger's own clause: its subtree (minus other clauses) and the
        modifiers of the verbs that govern it ('will take place in Busan', 'hold a summit in Seoul')."""
        skip = ("relcl", "advcl", "ccomp", "parataxis") if tok.pos_ == "VERB" else ("relcl", "advcl", "ccomp",
                                                                                  "parataxis")
        out: set[int] = set()

        def add(node, first=False):
            if not first and node.dep_ in skip:
                return
            if not first and node.dep_ == "conj" and node.pos_ == "VERB":
                return
            if not first and node.dep_ == "prep" and node.lower_ in ("before", "after") and any(
                    c.dep_ == "pcomp" for c in node.children):
                return  # "will meet Sisi before flying to Addis Ababa": another leg of the trip
            out.add(node.i)
            for child in node.children:
                add(child)

        def add_place(head):  # the whole name: "Addis Ababa", not only its head word
            j = head.i
            while j > 0 and doc[j].ent_iob_ == "I":
                j -= 1
            out.update(range(j, head.i + 1))

        def antecedent(clause):  # "will visit Chongqing, Shanghai and Beijing, where he will meet Xi": Beijing
            listed = [t for t in clause.head.subtree if t.i < clause.left_edge.i and t.ent_type_ in ("GPE", "LOC")
                      and (t.i == clause.head.i or t.dep_ == "conj")]
            return max(listed, key=lambda t: t.i) if listed else clause.head

        add(tok, True)
        trip = _during_trip(tok)
        if trip is not None:  # "a two-day visit to Nepal on Friday, during which he will hold talks with Oli"
            for child in trip.children:
                if child.dep_ == "prep" and child.lower_ == "to":
                    add(child)
        cur = tok
        for _ in range(5):
            if cur.dep_ == "relcl" and cur.head.ent_type_ in ("GPE", "LOC"):
                add_place(antecedent(cur))  # "in Japan, where he and Ishiba will hold the summit"
                break
            if cur.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass", "attr", "xcomp", "prep", "acl") and cur.head.i != cur.i:
                cur = cur.head
                for child in cur.children:
                    if child.dep_ == "prep" and child.i not in out and (child.lower_ in ("in", "at") or (
                            child.lower_ == "to" and cur.lemma_.lower() in TRIP_NOUNS | _RECEIVING | _JOURNEYS)):
                        # "a visit to Berlin for talks with Merkel": the talks are in Berlin; "will welcome
                        # Ruto to the White House for a state visit": the visit is there
                        add(child)
                if cur.dep_ == "relcl" and cur.head.ent_type_ in ("GPE", "LOC") and any(
                        c.lower_ == "where" for c in cur.children):
                    add_place(antecedent(cur))  # "flying to Addis Ababa, where he will hold talks with Abiy"
                    break
                if cur.pos_ == "VERB" and cur.dep_ not in ("xcomp", "aux", "prep"):
                    break
            else:
                break
        return out

    def _quoted_speaker(self, doc, tok, at: dict[int, str]) -> str | None:
        """Who says the quote this token is in: the 'I' of '"... I ...," Obama said'."""
        cur = tok
        for _ in range(6):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.lemma_.lower() in REPORTING:
                names = [at[t.i] for c in cur.children if c.dep_ == "nsubj" for t in c.subtree if t.i in at]
                return names[-1] if names else None
        return None

    def _reporter(self, doc, tok, at: dict[int, str]) -> str | None:
        """The person who says the clause this token is in: the antecedent of its 'he'."""
        cur = tok.head
        for _ in range(6):
            if cur.lemma_.lower() in REPORTING or cur.lemma_.lower() in ("announce", "promise", "vow", "pledge"):
                between = doc[min(tok.i, cur.i):max(tok.i, cur.i)].text
                if '"' in between or "”" in between or "“" in between:
                    return None  # '"... he is going to meet Kishida," Matsuno said': a speaker is not 'he'
                for child in cur.children:
                    if child.dep_ in ("nsubj",):
                        names = [at[t.i] for t in child.subtree if t.i in at]
                        if names:
                            return names[-1]
            if cur.head.i == cur.i:
                break
            cur = cur.head
        # "Modi will embark on a visit on Friday during which he will hold discussions": a 'he' in a
        # subordinate clause is the person the governing clause is about.
        cur = tok.head
        for _ in range(6):
            if cur.head.i == cur.i:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                subject = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i), None)
                if subject is not None:
                    if subject.i in at or tok.head.dep_ not in ("advcl", "relcl"):
                        return at.get(subject.i)  # a person, not "the Moon-Kim call"
                    # "The leaders of Britain and France will call Trump before he has a conversation with
                    # Putin": states are no 'he'; the person named last before it is
                    before = [at[i] for i in sorted(at) if subject.i < i < tok.i]
                    return before[-1] if before else None
        return None

    def _moved_to(self, text: str, found: list[Found]) -> Resolved | None:
        """'postponed ... to May 21': the new date of a moved meeting ('may be moved to Monday': either)."""
        cue = POSTPONE.search(text)
        if not cue:
            return None
        hedged = re.search(r"\b(?:" + _MAY + r"|might|could|possibly)\b[^.]{0,20}$", text[:cue.start()], re.I)
        for f in found:
            new = None
            # "planned for next Thursday, to May 21" reads as a range; the part after "to" is the new date.
            parts = re.split(r",?\s+(?:to|until|till)\s+", f.value.text)
            if f.start_char > cue.start() and len(parts) == 2 and "," in f.value.text:
                new = self._resolve_plain(parts[1])
            elif f.start_char > cue.start() and re.search(r"\b(?:to|until|till|for)\s+(?:the\s+)?$",
                                                          text[max(0, f.start_char - 12):f.start_char]):
                new = self._resolve_plain(f.value.text) or f.value
            if new is None:
                continue
            if hedged:
                before = [g.value for g in found if g.end_char <= cue.start()]
                if before:
                    old = before[-1]
                    return Resolved(min(old.start, new.start), max(old.end, new.end), "day", f.value.text)
            return new
        return None

    def _resolve_plain(self, phrase: str) -> Resolved | None:
        try:
            return resolve(phrase, self.published, "future")
        except Unresolvable:
            return None

    def _fronted(self, doc, f: Found) -> bool:
        """Whether a date sits in a phrase before the main clause's subject."""
        root = next((t for t in doc if t.dep_ == "ROOT"), None)
        if root is None:
            return False
        subjects = [t for t in doc if t.dep_ in ("nsubj", "nsubjpass") and t.i > 0]
        first_subject = min((t.i for t in subjects), default=root.i)
        span = doc.char_span(f.start_char, f.end_char, alignment_mode="expand")
        return span is not None and span.end <= first_subject

    def _is_speaker(self, doc, i: int) -> bool:
        """A person who reports (subject of 'said'), or is quoted as a source ('according to X')."""
        tok = doc[i]
        if any(a.lower_ == "according" for a in tok.ancestors):
            return True  # "according to another official", however long the phrase
        span = self._ent_at(i)
        if span is not None and span.label_ == "PERSON" and (
                span.end < len(doc) and doc[span.end].lemma_.lower() in REPORTING and doc[span.end].tag_ in (
                    "VBD", "VBZ", "VBP")
                or span.start > 0 and doc[span.start - 1].lower_ in ("spokesperson", "spokesman", "spokeswoman")):
            return True  # "..., foreign ministry spokesperson Hua Chunying announced on Friday" (however parsed)
        cur = tok
        for _ in range(4):
            if cur.dep_ in ("nsubj", "nsubjpass") and cur.head.lemma_.lower() in REPORTING:
                return True
            if cur.dep_ in ("compound", "poss", "appos", "conj") or cur.dep_ in ("pobj",) and cur.head.lower_ == "of":
                cur = cur.head
                continue
            if cur.dep_ == "pobj" and cur.head.lower_ == "to" and cur.head.head.lower_ == "according":
                return True
            break
        return False

    def _summit_name(self, doc, trig, summits, lo, hi) -> tuple[str | None, str | None]:
        """The summit this trigger names (a gazetteer body or a proper-noun phrase), and an occasion it is held at."""
        tok = doc[trig.i]
        left = self._text[max(0, trig.start_char - 70):trig.start_char]
        occasion = None
        pair = _PAIR_BEFORE.search(left) if trig.lemma == "summit" else None
        sides = _sides(pair.group(1)) if pair else []
        if sides and not any(self.people.resolve(p) for p in sides) and any(
                self.g.country(p) or self.g.summit(p) or self.g.summit_pattern.fullmatch(p) for p in sides):
            # "the first UK-EU summit", "an EU-China summit": the two sides name it, not one side's body
            return _tidy_name(f"{pair.group(1)} {tok.text}"), None
        # "on the sidelines of the G20 summit": the meeting is held at that summit.
        for s_start, s_end, canonical in summits:
            pre = self._text[max(0, s_start - 45):s_start]
            if OCCASION.search(pre) and (s_start > trig.end_char or s_end < trig.start_char):
                occasion = canonical
                if _MINISTERIAL.match(self._text, s_end):  # "the sidelines of the OSCE ministerial"
                    occasion = canonical.removesuffix(" summit") + " ministerial"
        if occasion is None:  # "on the sidelines of the Eastern Economic Forum": a summit named by its own words
            for named in self.named_summits:
                at = self._text.find(named)
                if at >= 0 and (at > trig.end_char or at + len(named) < trig.start_char) \
                        and OCCASION.search(self._text[max(0, at - 45):at]):
                    occasion = named
        # "On the margins of the summit": the summit the article is about.
        if occasion is None and self.recent_summit and re.search(
                r"\b(?:(?:sidelines|margins|fringes|on the occasion) of (?:the|this|that) (?:summit|gathering|meeting)"
                r"|(?:on|at) the (?:sidelines|margins|fringes)(?! of))\b", self._text, re.I):
            occasion = self.recent_summit
        # "Commonwealth leaders will meet for the CHOGM", "gather at the G20": the body's summit.
        if tok.pos_ == "VERB" and trig.lemma in ("meet", "gather", "convene") and not any(
                c.dep_ == "dobj" or c.dep_ == "prep" and c.lower_ == "with" for c in tok.children):
            for c in tok.children:  # (but "Biden will meet Xi at APEC" is their meeting there)
                named = _body_named(c, ("for", "at"), summits)
                if named:
                    return named, None
        # "APEC leaders will meet on Friday": a body's leaders meeting as that body.
        if tok.pos_ == "VERB" and trig.lemma in ("meet", "gather", "convene"):
            subject = next((c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject.lemma_.lower() in ("leader", "minister", "head", "member"):
                span = doc[subject.left_edge.i:subject.right_edge.i + 1]
                for s_start, s_end, canonical in summits:
                    if span.start_char <= s_start and s_end <= span.end_char:
                        if subject.lemma_.lower() == "minister":  # "G7 finance ministers will meet": not the summit
                            # "G7 finance ministers", "Foreign ministers of ASEAN": the ministers' own words
                            words = " ".join(t.text if t.pos_ == "PROPN" else t.lower_
                                             for t in [*subject.lefts, subject] if t.dep_ not in (
                                                 "det", "poss", "punct") and not s_start <= t.idx < s_end)
                            return _tidy_name(f"{canonical.removesuffix(' summit')} {words} meeting"), occasion
                        return canonical, occasion
        headline = self._headline  # "Kerry, Lavrov to Hold Bilateral Meeting": capitals name nothing
        # A capitalised trigger named by what follows it: "a Summit of the Future", "the Summit for Democracy".
        if tok.pos_ != "VERB" and tok.text[:1].isupper() and tok.i > 0 and not headline:
            after = _NAMED_AFTER.match(self._text, trig.end_char)
            if after and not self.people.resolve(after.group(1).split()[-1]):
                return _tidy_name(tok.text + after.group(0)), occasion
        # A capitalised name ending in the trigger: "the 15th India-Japan Annual Summit".
        if tok.pos_ != "VERB" and tok.text[:1].isupper() and tok.i > 0 and not headline:
            before = self._text[max(0, trig.start_char - 80):trig.end_char]
            m = re.search(r"((?:(?:[A-Z][\w'’.-]*|of|and|the|for|on|de)\s+){0,7}[A-Z][\w'’.-]*\s+)" + re.escape(tok.text) + "$",
                          before)
            if m:
                words = (m.group(1) + tok.text).split()
                while words and (words[0].lower() in ("the", "of", "and", "for", "on", "a", "an") or words[0][:1].isdigit()
                                 or re.fullmatch(r"\d+(?:st|nd|rd|th)", words[0])):
                    words = words[1:]
                if len(words) >= 2 and not any(self.people.resolve(w) for w in words[:-1]):
                    return _tidy_name(" ".join(words)), occasion
        # A body right before the trigger noun: "the NATO summit", "the Group of 7 summit".
        if tok.pos_ != "VERB":
            for s_start, s_end, canonical in summits:
                if s_start <= trig.start_char < s_end:
                    return canonical, None  # the alias itself names the meeting: "the NATO summit"
                gap = self._text[s_end:trig.start_char]
                if 0 <= trig.start_char - s_end <= 40 and re.fullmatch(r"\)?[\s\w'’-]*", gap) and len(gap.split()) <= 4:
                    extra = [w for w in re.findall(r"[\w'’]+", gap) if w.lower() not in (
                        "leaders", "leaders'", "summit", "the", "annual", "s", "heads", "of", "state", "government")]
                    if extra and (trig.lemma in ("dinner", "session", "conference", "forum", "gathering")
                                  or {w.lower() for w in extra} & _TIERS):  # "the ASEAN Economic Ministers meeting"
                        short = canonical.replace(" summit", "")
                        phrase = self._text[s_start:trig.end_char]
                        return _tidy_name(short + self._text[s_end:trig.end_char] if phrase else None), None
                    if trig.lemma == "ministerial" and _MINISTERIAL.match(self._text, s_end):
                        return canonical.removesuffix(" summit") + " ministerial", None  # its ministers' meeting
                    if trig.lemma in ("summit", "meeting", "talks", "talk", "session", "dinner", "gathering",
                                      "conference", "forum"):
                        return canonical, None
            # "the gathering of European Union leaders (European Council)": the body after the trigger noun
            if trig.lemma in ("gathering", "summit", "meeting", "conference", "session"):
                for c in tok.children:
                    named = _body_named(c, ("of",), summits)
                    if named:  # "the annual high-level meeting of the U.N. General Assembly": the body's own meeting
                        return named, None
                    if c.dep_ == "prep" and c.lower_ == "of" and any(
                            t.lemma_.lower() in ("leader", "head", "minister") for t in c.subtree):
                        # "... of European Union heads at the European Council in Brussels"
                        lo_char, hi_char = c.idx, tok.right_edge.idx + len(tok.right_edge.text) + 2
                        named = [canonical for s_start, s_end, canonical in summits
                                 if lo_char <= s_start and s_end <= hi_char]
                        if named:
                            return named[0], None
            # "the multilateral gathering", "the summit" when the sentence names exactly one body.
            if trig.lemma in ("summit", "gathering") and len({c for _, _, c in summits}) == 1 and occasion is None:
                if re.search(r"\b(?:multilateral|the)\s+$", left) or trig.lemma == "summit":
                    only = summits[0][2]
                    if not any(doc[t].ent_type_ == "PERSON" for t in range(tok.i + 1, min(len(doc), tok.i + 4))):
                        return only, None
            # A proper-noun phrase: "the 15th India-Japan Annual Summit", "the Engaging Fiji Meeting".
            words = [t for t in tok.lefts if t.dep_ in ("compound", "amod", "nmod", "nummod", "poss", "npadvmod")]
            if words and not headline and trig.lemma in ("summit", "meeting", "session", "dinner", "forum", "conference",
                                                         "dialogue"):
                start = min(w.left_edge.i for w in words)
                span = doc[start:tok.i + 1]
                propn = [t for t in span if t.pos_ == "PROPN" or (t.text[:1].isupper() and t.i != span.start)]
                institution = sum(1 for t in span if t.pos_ == "PROPN") >= 3 and not any(
                    t.ent_type_ in ("GPE", "NORP", "PERSON") for t in span)  # "the North Atlantic Council meeting"
                if propn and tok.text[:1].isupper() or sum(1 for t in span if t.pos_ == "PROPN") >= 2 and (
                        tok.text[:1].isupper() or "-" in span.text) or institution:
                    clean = [t for t in span if t.dep_ not in ("det",) and t.ent_type_ != "ORDINAL" and t.pos_ != "DET"
                             and t.lower_ not in ("first", "second", "third", "next", "upcoming", "planned")]
                    if clean and not any(t.ent_type_ == "PERSON" for t in clean):
                        return _tidy_name(doc[clean[0].i:tok.i + 1].text), occasion
        venue_named = any(c.dep_ == "compound" and c.ent_type_ in ("GPE", "LOC") for c in tok.children)
        if tok.pos_ != "VERB" and self.recent_summit and occasion is None and venue_named and trig.lemma in (
                "talks", "talk", "meeting", "summit", "gathering") \
                and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children):
            return self.recent_summit, None  # "the Johannesburg talks" after "a G20 summit in South Africa"
        if tok.pos_ != "VERB" and trig.lemma in ("summit", "gathering") and self.recent_summit and occasion is None \
                and any(c.dep_ == "poss" or c.dep_ == "det" and c.lower_ not in ("a", "an") for c in tok.children) \
                and not any(doc[t].ent_type_ == "PERSON" for t in range(max(0, tok.i - 3), min(len(doc), tok.i + 4))):
            return self.recent_summit, None  # "the summit", "its next summit": the one the article named
        return None, occasion

    def _kind(self, doc, trig, names, name, text) -> str | None:
        lemma = trig.lemma
        seg = doc[max(0, trig.i - 6):min(len(doc), trig.i + 8)].text
        if name and lemma != "call" and "call" not in trig.kind_hint and trig.lemma not in ("talk", "speak") \
                and (self.g.summit(name) or any(self.g.summit(w) for w in re.split(r"[\s\-–]+", name))):
            return "multilateral"  # "a G20 leaders' summit through video-conference": a summit held online
        if PHONE.search(seg) or lemma == "call" or "call" in trig.kind_hint:
            return "phone_call"
        if lemma in ("speak", "talk") and doc[trig.i].pos_ == "VERB" and not any(
                doc[i].ent_type_ in ("GPE", "LOC", "FAC") for i in self._local_tokens(doc, doc[trig.i])):
            return "phone_call"  # leaders who "will speak with" each other, nowhere in particular, do so by phone
        if lemma == "conversation" and self.phone_seen and doc[trig.i].pos_ == "NOUN" and any(
                c.lower_ in ("the", "this", "that", "their") for c in doc[trig.i].children) and not any(
                doc[i].ent_type_ in ("GPE", "LOC", "FAC") for i in self._local_tokens(doc, doc[trig.i])):
            return "phone_call"  # "the conversation between Trump and Putin" after "to speak by phone"
        if name:
            first_word = name.split()[0]
            sides = [w for w in re.split(r"[-–]", first_word) if w]
            if len(sides) == 2 and all(self.g.country(w) for w in sides) and not self.g.summit(name):
                return "bilateral"  # "the India-Japan Annual Summit"
            return "multilateral"
        if doc[trig.i].pos_ != "VERB" and any(c.lower_ == "bilateral" for c in doc[trig.i].children):
            return "bilateral"  # "bilateral meetings with the leaders of Fiji, Samoa and Tonga": one with each
        if re.search(r"\b(?:multilateral|trilateral|three-way|regional|world leaders|leaders' summit|leaders of)\b", seg,
                     re.I):
            return "multilateral"
        local = " ".join(doc[i].text for i in sorted(self._local_tokens(doc, doc[trig.i])))
        if len(names) >= 2 and any(not _titles_name(local, d) for d in DELEGATES.finditer(local)) \
                and lemma in ("meet", "talk", "talks", "meeting"):
            return "talks"  # "when Lula meets two US envoys: ..."
        if lemma in TRIP_NOUNS:
            others = [n for n in names]
            return "visit" if len(others) <= 1 else "bilateral"
        if lemma in ("talks", "talk", "negotiation", "negotiations", "dialogue") or "talk" in trig.kind_hint:
            officials = [n for n in names if self.people.is_official(n)]
            if len(officials) >= 2 and not re.search(r"\b(?:envoys?|delegations?|working-level|officials|negotiators)\b",
                                                     text, re.I):
                return "bilateral"
            return "talks"
        if lemma in ("host", "convene", "gathering", "session", "forum", "conference", "dinner", "ceremony",
                     "ministerial"):
            return "multilateral" if len(names) != 2 else "bilateral"
        return "bilateral"

    def _diplomatic(self, doc, trig, names, name, text, kind=None, occasion=None) -> bool:
        if name and (self.g.summit(name) or self.g.summit_pattern.search(name)
                     or any(self.g.summit(w) for w in re.split(r"[\s\-–]+", name))):
            return True
        sides = _sides(name.rsplit(" ", 1)[0]) if name else []
        if len(sides) >= 2 and any(self.g.country(p) for p in sides):
            return True  # "the EU-China summit": two sides, one of them a state
        if name in self.named_summits and _THE_GATHERING.match(text):
            return True  # "The summit runs from January 15 to 19": the summit this article just named
        officials = [n for n in names if self.people.is_official(n)]
        if name:
            # A summit the gazetteer does not know: diplomatic only in a diplomatic context.
            return not NON_DIPLOMATIC.search(text) and bool(DIPLOMATIC_CONTEXT.search(text) or len(officials) >= 2)
        if NON_DIPLOMATIC.search(doc[max(0, trig.i - 8):min(len(doc), trig.i + 10)].text) and not (
                len(officials) >= 2 and doc[trig.i].pos_ == "VERB" and kind == "bilateral"):
            # "will meet with Biden, members of Congress and US business leaders": two leaders still meet
            return False
        if trig.lemma in TRIP_NOUNS:
            local = " ".join(doc[i].text for i in sorted(self._local_tokens(doc, doc[trig.i])))
            if NON_DIPLOMATIC.search(local):
                return False
        if kind in ("bilateral", "talks", "phone_call") and len(names) < 2 and not any(
                c.lower_ == "bilateral" for c in doc[trig.i].children) and (re.search(
                r"\b(?:other|fellow|several|many|all|the)\s+(?!two\b)(?:\w+\s+)?(?:leaders|presidents|heads of state|"
                r"prime ministers)\b", text, re.I) or any(  # "to come and have talks with BRICS leaders"
                start >= trig.end_char and text.startswith(" leaders", end) for start, end, _ in self._summit_spans)):
            # "at the Mercosur summit, Lula will have breakfast with other presidents. Following the meal, the
            # presidents ... will hold a meeting": the summit's own session, not a meeting of two
            return False
        if kind in ("bilateral", "talks", "phone_call") and len(names) < 2 and not occasion:
            # One named side: the other must at least be described ("his Russian counterpart", "envoys").
            after = doc[trig.i:min(len(doc), trig.i + 15)].text
            if not COUNTERPART.search(after):
                return False
        if tok_head_lemma(doc[trig.i]) == "chair" and not name:
            return False  # "Putin will chair a meeting of the Security Council": his own government
        if trig.lemma in TRIP_NOUNS:
            return bool(officials)
        if name:
            return True
        if len(names) >= 2 and officials:
            return True
        if len(names) >= 2 and all(self.g.country(n) for n in names):
            return True  # states meeting as states: "a trilateral summit with China and South Korea"
        if officials and re.search(r"\b(?:counterpart|leaders?|president|prime minister|premier|envoys?|"
                                   r"foreign ministers?|heads? of state)\b", text, re.I):
            return True
        return False

    def _date_for(self, trig, found: list[Found], lo, hi, triggers, k, tense: str | None = None) -> Resolved | None:
        if not found:
            return None
        # Each date belongs to the trigger it attaches to in the parse, else to its nearest trigger.
        def nearest(f: Found) -> int:
            owner = self._date_owner(f, triggers)
            if owner is not None:
                return owner
            return min(range(len(triggers)), key=lambda j: _gap(triggers[j], f))
        mine = [f for f in found if nearest(f) == k]
        if not mine:
            return self._shared_date(trig, found, triggers, k, nearest)
        # "depart on Sunday, ahead of a meeting with Trump the next day": the date the parse gives it first
        # "arrives on Wednesday for his meeting with Trump at the White House on Thursday": the date the
        # trigger itself governs before one of the verb it is the purpose of
        mine.sort(key=lambda f: (self._date_owner(f, triggers) != k, not self._governs(trig, f), _gap(trig, f)))
        if tense == "future" and mine[0].value.end < self.ref_date and self._date_tense.get(mine[0].value) != "past":
            # "will travel to China next week for a state visit postponed last month"
            ahead = [f for f in found if f.value.end >= self.ref_date]
            if ahead:
                return min(ahead, key=lambda f: _gap(trig, f)).value
        return mine[0].value

    def _aside(self, doc, char: int, triggers, about_person: bool = False) -> bool:
        """Whether a word sits in a relative clause about a noun that is no trigger: 'will travel to
        Beijing this weekend, rescheduling a trip that was called off in February'; with about_person,
        only about a person: 'with the U.S. president, who leaves office on Jan. 20'."""
        i = self._token_at(doc, char)
        if i is None:
            return False
        trigger_ids = {t.i for t in triggers}
        cur = doc[i]
        for _ in range(8):
            if cur.i in trigger_ids or cur.head.i == cur.i:
                return False
            head = cur.head
            if cur.dep_ in ("relcl", "acl") and head.pos_ in ("NOUN", "PROPN") and head.i not in trigger_ids and (
                    not about_person or head.ent_type_ == "PERSON" or head.lower_ in OFFICIAL_WORDS):
                return True
            cur = head
        return False

    @staticmethod
    def _cancelled(triggers, k: int, cues: list[int]) -> bool:
        """Whether a cancellation cue in the sentence is about this trigger (the one nearest to it)."""
        for at in cues:
            nearest = min(range(len(triggers)), key=lambda j: min(abs(triggers[j].start_char - at),
                                                                    abs(triggers[j].end_char - at)))
            if nearest == k:
                return True
        return False

    def _shared_date(self, trig, found: list[Found], triggers, k, nearest) -> Resolved | None:
        """'will attend the APEC meeting in Lima and pay a state visit to Peru from Nov. 13 to 17': a date
        after two coordinated verbs dates both; so does one inside the first, when the second has no subject
        or auxiliary of its own."""
        doc = self._doc
        if doc is None:
            return None

        def governor(tok):
            for _ in range(4):
                if tok.pos_ == "VERB" or tok.head.i == tok.i:
                    return tok
                tok = tok.head
            return tok

        mine = governor(doc[trig.i])
        for f in found:
            j = nearest(f)
            span = doc.char_span(f.start_char, f.end_char, alignment_mode="expand")
            if j == k or span is None:
                continue
            theirs = governor(doc[triggers[j].i])
            if f.start_char < max(trig.end_char, triggers[j].end_char) and not (
                    mine.dep_ == "conj" and mine.head.i == theirs.i and span.end <= mine.i and not any(
                    c.dep_ in ("aux", "auxpass", "nsubj") for c in mine.children)):
                # but "will attend the forum in Davos next week and meet President Amherd": one subject, one
                # auxiliary, one time for both verbs
                continue
            if mine.pos_ == "VERB" and theirs.pos_ == "VERB" and mine.i != theirs.i and governor(span.root).i == theirs.i \
                    and (theirs.dep_ == "conj" and theirs.head.i == mine.i or mine.dep_ == "conj" and mine.head.i == theirs.i):
                return f.value
        return None

    def _governs(self, trig, f: Found) -> bool:
        """Whether the date hangs from the trigger itself, with no verb between them."""
        span = self._doc.char_span(f.start_char, f.end_char, alignment_mode="expand") if self._doc is not None else None
        if span is None:
            return False
        cur = span.root
        for _ in range(6):
            if cur.i == trig.i:
                return True
            if cur.pos_ in ("VERB", "AUX") or cur.head.i == cur.i:
                return False
            cur = cur.head
        return False

    def _date_owner(self, f: Found, triggers) -> int | None:
        """The trigger a date hangs from: 'hold his summit with Kim in Vietnam on Feb. 27' -> summit."""
        doc = self._doc
        if doc is None:
            return None
        span = doc.char_span(f.start_char, f.end_char, alignment_mode="expand")
        if span is None:
            return None
        index = {t.i: j for j, t in enumerate(triggers)}
        cur = span.root
        for _ in range(6):
            if cur.i in index:
                return index[cur.i]
            objects = [index[c.i] for c in cur.children if c.i in index and c.dep_ in ("dobj", "nsubj", "nsubjpass")]
            objects += [index[g.i] for c in cur.children if c.dep_ == "prep" for g in c.children
                        if g.i in index and g.dep_ == "pobj"]
            if cur.pos_ in ("VERB", "AUX") and objects:
                return objects[0]
            if cur.lemma_.lower() in REPORTING or cur.head.i == cur.i:
                return None
            cur = cur.head
        return None

    def _status(self, doc, trig, dates: Resolved | None, tense: str | None, cancelled: bool, text: str) -> str:
        if self._moved_to(text, [Found(0, 0, dates)] if dates else []) is not None:
            return "upcoming"
        if cancelled:
            return "cancelled"
        if dates is not None:
            if dates.end < self.ref_date or dates.text.lower().startswith("earlier "):
                return "past"  # "during Hu's state visit to Washington earlier this year"
            if dates.start > self.ref_date:
                return "upcoming"
        if tense == "past":
            return "past"
        if tense == "future":
            return "upcoming"
        if dates is not None:
            return "upcoming"
        return "unknown"

    def _certainty(self, text: str, status: str, name: str | None) -> str:
        if status == "past":
            return "confirmed"
        if POSSIBLE.search(text):
            return "possible"
        if PLANNED.search(text):
            return "planned"
        if CONFIRMED.search(text):
            return "confirmed"
        return "planned"

    # -- across sentences -----------------------------------------------------------------

    def _merge(self) -> list[Meeting]:
        groups: list[list[Mention]] = []
        for m in self.mentions:
            if m.tense == "unknown" and m.dates is None:
                m.tense = "upcoming"
            target = None
            for g in groups:
                if _compatible(g, m, self.g) or self._same_parties(g, m):
                    target = g
                    break
                if _zone_twin(g, m):
                    # "Monday evening" in Washington is "the morning of Nov. 16 Beijing time": both days
                    days = [x.dates for x in g] + [m.dates]
                    both = Resolved(min(d.start for d in days), max(d.end for d in days), "day", m.dates.text)
                    for x in [*g, m]:
                        x.dates = both
                    target = g
                    break
            if target is None:
                groups.append([m])
            else:
                target.append(m)
        self._date_from_trip(groups)
        self._date_from_sidelines(groups)
        self._date_from_gathering(groups)
        self._order_legs(groups)
        meetings, seen = [], set()
        for g in groups:
            meeting = self._combine(g)
            if meeting is None:
                continue
            key = (meeting.kind, tuple(sorted(meeting.participants)), meeting.name, meeting.start, meeting.end,
                   meeting.location, meeting.tense)
            if key not in seen:  # two readings that came out the same ("Sri Lankan president" = Rajapaksa)
                seen.add(key)
                meetings.append(meeting)
        return _drop_covered_visits(meetings, self.g)

    def _leader_named(self, state: str, group: list[Mention]) -> str | None:
        """'bilateral meetings with counterparts of Mauritius ... Mauritius Prime Minister Pravind Kumar
        Jugnauth': a state met as a state is its one head of state or government the article names."""
        if not self.g.is_state(state):
            return None
        country = self.g.country(state)
        if any(_FOREIGN_MINISTERS.search(m.sentence) for m in group):
            # "a meeting of the foreign ministers of Russia and Ukraine": Lavrov and Kuleba, when named
            ministers = [p.name for p in self.people.people.values() if p.country == country
                         and any("foreign" in t for t in p.titles)]
            return ministers[0] if len(ministers) == 1 else None
        return self.people.leader_of(country)

    def _named_extent(self, name: str | None) -> int | None:
        """'delegations arrived ahead of the two-day summit': how long a named summit lasts, said in any
        sentence about it (one that is itself undated or told in the past tense included)."""
        if not name:
            return None
        return max((m.extent for m in self.mentions if m.extent and m.name == name), default=None)

    def _same_parties(self, group: list[Mention], m: Mention) -> bool:
        """A meeting of states and one of their leaders: 'Japan will host a trilateral summit with China and
        South Korea on Wednesday. The gathering will bring together Abe, Li and Moon'."""
        g0 = group[0]
        if m.kind != g0.kind or m.tense != g0.tense or m.name or any(x.name for x in group) \
                or not all(_overlap(x.dates, m.dates) for x in group):
            return False

        def parties(names: list[str]) -> set[str] | None:
            out = set()
            for n in names:
                party = self._party(n)
                if party is None:
                    return None
                out.add(party)
            return out if len(out) >= 2 else None

        everyone = m.participants + [p for x in group for p in x.participants]
        if not any(self.g.is_state(n) for n in everyone):
            return False  # people named on both sides: meetings with Trump and with Rubio are two meetings
        mine = parties(m.participants)
        theirs = parties([p for x in group for p in x.participants])
        return mine is not None and mine == theirs

    @staticmethod
    def _order_legs(groups: list[list[Mention]]) -> None:
        """Legs of an itinerary in the order listed: with one leg dated by its own meeting, the legs before
        it end when it starts and those after start when it ends ('stops in New Zealand, Australia and
        Malaysia' from June 13 to 20, in Australia from Saturday to Tuesday)."""
        tours: dict[tuple, list[list[Mention]]] = {}
        for g in groups:
            if g[0].leg is not None and g[0].dates is not None:
                tours.setdefault((g[0].order, tuple(g[0].participants)), []).append(g)
        for (_, who), legs in tours.items():
            legs.sort(key=lambda g: g[0].leg)
            places = [name_key(g[0].location or "") for g in legs]
            fixed: dict[int, Resolved] = {}
            for other in groups:
                if other[0].leg is not None or other[0].tense != "upcoming" or not set(who) & set(other[0].participants):
                    continue
                dated = [m.dates for m in other if m.dates is not None]
                here = {name_key(loc) for m in other for loc in m.locations}
                for i, place in enumerate(places):
                    if place in here and dated and legs[i][0].dates.start <= dated[0].start <= legs[i][0].dates.end:
                        fixed[i] = dated[0]
            if not fixed:
                continue
            for i, leg in enumerate(legs):
                if i in fixed:
                    continue
                span = leg[0].dates
                start = max([fixed[j].end for j in fixed if j < i], default=span.start)
                end = min([fixed[j].start for j in fixed if j > i], default=span.end)
                if span.start <= start <= end <= span.end:
                    for m in leg:
                        m.dates = Resolved(start, end, "day", span.text)

    @staticmethod
    def _date_from_sidelines(groups: list[list[Mention]]) -> None:
        """A named summit the text does not date is on when the meetings the same sentence puts on its
        sidelines are: 'will meet on the sidelines of the G20 meeting in Argentina on November 30'
        dates the G20 too (the earliest such day or span)."""
        for group in groups:
            if group[0].kind != "multilateral" or not group[0].name or any(m.dates for m in group) \
                    or any(m.tense != "upcoming" for m in group):
                continue
            key, orders = name_key(group[0].name), {m.order for m in group}
            held = [m.dates for other in groups if other is not group for m in other
                    if m.occasion and name_key(m.occasion) == key and m.order in orders  # the same sentence
                    and m.dates is not None and m.tense == "upcoming"]
            if held:
                first = min(held, key=lambda d: (d.start, d.end))
                for m in group:
                    m.dates = first

    def _date_from_gathering(self, groups: list[list[Mention]]) -> None:
        """An undated meeting 'on the sidelines of the three-way summit', an unnamed summit the article dates
        elsewhere, is held when and where that summit is: the one upcoming gathering that one of its people attends."""
        for group in groups:
            if group[0].kind not in ("bilateral", "talks") or any(m.dates for m in group) \
                    or not any(m.at_gathering for m in group) or any(m.tense != "upcoming" for m in group):
                continue
            people = {name_key(p) for m in group for p in m.participants}
            held = [g for g in groups if g is not group and g[0].kind == "multilateral"
                    and all(m.tense == "upcoming" for m in g) and any(m.dates for m in g)
                    and people & {name_key(p) for m in g for p in m.participants}]
            if len(held) != 1:
                continue
            summit = self._combine(held[0])
            if summit is None or summit.start is None:
                continue
            for m in group:
                m.dates = Resolved(summit.start, summit.end, "day", "the summit")
                if not m.locations and summit.location:
                    m.locations, m.location = [summit.location], summit.location

    @staticmethod
    def _date_from_trip(groups: list[list[Mention]]) -> None:
        """An undated meeting of a traveller just after the dated trip: 'Kerry will travel to Vienna on
        Saturday to join the negotiations. Kerry will meet Iranian Foreign Minister Zarif.' takes the trip's
        date and, when it names none, its place."""
        # A trip is told by a visit mention, alone or folded into the talks it is for ("will travel to North
        # Korea next week for talks with Ri ... will leave on Monday for a three-day visit").
        trips = [[m for m in g if m.kind == "visit" and len(m.participants) == 1 and m.dates] for g in groups
                 if all(m.tense == "upcoming" for m in g)]
        trips = [t for t in trips if t]
        for group in groups:
            if any(m.dates for m in group) or group[0].kind not in ("bilateral", "talks") \
                    or any(m.tense != "upcoming" for m in group):
                continue
            first = min(m.order for m in group)
            people = {name_key(p) for m in group for p in m.participants}
            if len(people) < 2:
                continue  # "the Chinese president's attendance at the summit": nobody to meet
            before = [t for t in trips if name_key(t[0].participants[0]) in people
                      and 0 <= first - max(m.order for m in t) <= 2 * NEAR_ANCHOR]
            if len(before) != 1:
                continue
            trip = max(before[0], key=lambda m: m.order)
            for m in group:
                m.dates = trip.dates
                if not m.locations and trip.locations:
                    m.locations, m.location = list(trip.locations), trip.location

    def _combine(self, group: list[Mention]) -> Meeting | None:
        dated = [m for m in group if m.dates is not None]
        if not dated:
            # No date anywhere: only past/cancelled records or named summits are worth keeping.
            if not any(m.tense == "cancelled" for m in group):
                return None
        # the most precise date; among equals the sentence that says the meeting moved ("postponed to May 21"),
        # which the record's history needs, then the latest
        best = min(dated, key=lambda m: ((m.dates.end - m.dates.start).days, not POSTPONE.search(m.sentence),
                                         -m.order)) if dated else group[-1]
        participants = _unique([p for m in group for p in m.participants])
        represented = {person.country for n in participants if (person := self.people.people.get(n)) is not None}
        participants = [p for p in participants  # "Russia" beside Lavrov says no more
                        if not (self.g.is_state(p) and self.g.country(p) in represented)] or participants
        if {m.kind for m in group} <= {"bilateral", "phone_call"}:
            participants = _unique([self._leader_named(p, group) or p for p in participants])
        kinds = [m.kind for m in group]
        kind = best.kind
        if "bilateral" in kinds and kind in ("talks", "visit") and len(participants) == 2:
            kind = "bilateral"
        names = [m.name for m in group if m.name]
        name = names[0] if names else None
        # Location: the most recent claim; earlier different claims are alternates.
        claims = [loc for m in group if not m.building for loc in m.locations] or [
            loc for m in group for loc in m.locations]  # a building only when no city or country is given
        specific = [c for c in claims if name_key(c) not in REGIONS]
        claims = specific or claims  # "held in Africa" says less than "in Johannesburg"
        location = claims[-1] if claims else None
        alts = _unique([c for c in claims if c != location and name_key(c) != name_key(location or "")])
        if kind == "bilateral" and location and len(claims) > 1:
            specific = [c for c in claims if not self.g.is_state(c)]
            if specific and location not in specific:
                location = specific[-1]
                alts = _unique([c for c in claims if c != location])
        elif location and self.g.is_state(location):
            inside = [c for c in claims if not self.g.is_state(c) and self.g.country(c) in (
                self.g.country(location), None) and name_key(c) not in REGIONS]
            if inside:  # "in Moscow", later "in Russia": the city says more
                location = inside[-1]
                alts = _unique([c for c in claims if c != location and name_key(c) != name_key(location)])
        tenses = [m.tense for m in group]
        if "cancelled" in tenses:
            tense = "cancelled" if tenses[-1] == "cancelled" or best.tense == "cancelled" else best.tense
        else:
            tense = best.tense
        certainty = max((m.certainty for m in group), key=certainty_rank)
        if tense == "unknown":
            tense = "upcoming"
        d = _stretch(group, best, self._named_extent(best.name))
        if d is not None and tense == "upcoming" and d.start < self.ref_date <= d.end:
            d = Resolved(self.ref_date, d.end, d.grain, d.text, d.time)  # "this week" said on Tuesday
        in_building = bool(location) and all(m.building for m in group if location in m.locations)
        if location:
            city = self.g.venue_city(location)
            if city and name_key(city) not in name_key(location):
                location = f"{re.sub(r'^the ', '', location, flags=re.I)}, {city}"  # "Oval Office, Washington"
        return Meeting(
            building=in_building,
            participants=participants,
            kind=kind,
            name=name,
            location=location,
            start=d.start if d else None,
            end=d.end if d else None,
            tense=tense,
            certainty=certainty,
            alt_locations=alts,
            precision=(d.grain if d and d.start != d.end else "day") if d else "unknown",
            time=d.time if d else None,
            sentence=best.sentence[:1000],
        )


_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "2": 2, "3": 3, "4": 4, "5": 5,
            "6": 6, "7": 7}


_DURATION = re.compile(r"^in (?:a|an|\d+|two|three|four|five|six|seven|eight|nine|ten|several|many) "
                       r"(?:years?|decades?|months?)$", re.I)


_BARE_WEEKDAY = re.compile(r"(?i)^(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day"
                           r"(?:\s+(?:morning|afternoon|evening|night))?$")


def _weekdays_in_order(found: list[Found]) -> list[Found]:
    """'dinner on Thursday evening ... talks on Friday': a later weekday in a plan comes after the earlier one."""
    out: list[Found] = []
    for f in found:
        prev = out[-1].value if out else None
        v = f.value
        if prev is not None and _BARE_WEEKDAY.match(v.text.strip()) and prev.grain == "day" and v.start < prev.start:
            shift = timedelta(days=7)
            v = Resolved(v.start + shift, v.end + shift, v.grain, v.text, v.time)
            f = Found(f.start_char, f.end_char, v)
        out.append(f)
    return out


def _duration(text: str, f: Found) -> bool:
    """'the first summit in 12 years', 'since 2018', 'in the past 10 years': a span of time, not a
    meeting's date (no meeting, however vaguely dated, spans more than a year)."""
    if (f.value.end - f.value.start).days > 366:
        return True
    if re.match(r"(?i)since\b", f.value.text.strip()) or re.search(r"(?i)\bsince\s+$", text[:f.start_char]):
        return True
    return bool(_DURATION.match(f.value.text.strip()) and re.search(
        r"\b(?:first|time|since|longest|only)\b", text[max(0, f.start_char - 80):f.start_char], re.I))


_ARRANGING = {"coordinate", "arrange", "agree", "negotiate", "consult", "work", "plan", "liaise", "cooperate"}

_INSTITUTION_NEXT = {"official", "officials", "spokesman", "spokeswoman", "spokesperson", "office", "statement",
                     "source", "sources", "ministry", "government", "administration", "aides", "said"}


_SCENES = {"war", "conflict", "fighting", "crisis", "violence", "hostility", "famine", "bloodshed", "turmoil",
           "unrest", "situation", "invasion", "occupation", "offensive", "ceasefire", "election", "disaster"}


def _body_named(prep, words: tuple[str, ...], summits) -> str | None:
    """The summit whose body a preposition's object names: 'for the CHOGM', 'of the U.N. General Assembly'."""
    if prep.lower_ not in words:
        return None
    body = next((o for o in prep.children if o.dep_ == "pobj"), None)
    return next((canonical for start, end, canonical in summits if body is not None and start <= body.idx < end),
                None)


def _sightseeing(tok) -> bool:
    """'to visit a Toyota battery plant', 'a visit to the shrine': a place visited, not a state or a leader."""
    if tok.lemma_.lower() != "visit":
        return False
    if tok.pos_ == "VERB":
        return any(c.dep_ == "dobj" and c.pos_ == "NOUN" and c.lemma_.lower() not in _LANDS for c in tok.children)
    return any(c.lower_ == "to" and any(o.dep_ == "pobj" and o.pos_ == "NOUN" and o.lemma_.lower() not in _LANDS
                                        for o in c.children) for c in tok.children)


def _since(doc, found: Found) -> bool:
    """'his first trip abroad since taking office on Tuesday': a date in a 'since' clause is gone by."""
    span = doc.char_span(found.start_char, found.end_char, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    for _ in range(4):
        if tok.lower_ == "since" and tok.dep_ in ("prep", "mark"):
            return True
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return False


def _titles_name(text: str, match: re.Match) -> bool:
    """'U.S. Mideast envoy Steve Witkoff': the delegate word is one named person's title, not a delegation."""
    return match.group(0)[-1] != "s" and bool(re.match(r"\s+[A-Z][a-z]", text[match.end():]))


def _scene(tok) -> bool:
    """A state named as where something happens, not as a party: 'the wars in Gaza, Ukraine and Sudan'."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in ("in", "over") and tok.head.head.lemma_.lower() in _SCENES


def _venue(tok) -> bool:
    """A state named as where the meeting is held, not as a party: 'to hold talks in Oman'."""
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    return tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at") and tok.head.head.lemma_.lower() in MEET_NOUNS


def _institution(doc, ent) -> bool:
    """'a Cheong Wa Dae official': a name used for an institution, not a person who meets."""
    nxt = doc[ent.end] if ent.end < len(doc) else None
    return nxt is not None and nxt.lower_ in _INSTITUTION_NEXT and nxt.lower_ != "said" and ent.start > 0 \
        and doc[ent.start - 1].lower_ in ("a", "an", "the", "another", "one", "two", "three")


def _sender(tok) -> bool:
    """'Trump's special envoy Steve Witkoff': Trump sends, the envoy meets."""
    root = tok
    while root.dep_ in ("compound", "flat") and root.head.i != root.i:
        root = root.head
    return root.dep_ == "poss" and root.head.lemma_.lower() in (
        "envoy", "representative", "adviser", "advisor", "aide", "spokesman", "spokeswoman", "spokesperson",
        "minister", "secretary", "negotiator", "emissary", "ambassador", "office", "government", "administration")


def tok_head_lemma(tok) -> str:
    return tok.head.lemma_.lower() if tok.head.i != tok.i else ""


def _gap(trig: _Trigger, f: Found) -> int:
    if f.start_char >= trig.end_char:
        return f.start_char - trig.end_char
    if f.end_char <= trig.start_char:
        return (trig.start_char - f.end_char) + 5  # a date after its trigger is the likelier reading
    return 0


def _unique(items) -> list:
    seen, out = set(), []
    for x in items:
        key = name_key(x) if isinstance(x, str) else x
        if x and key not in seen:
            seen.add(key)
            out.append(x)
    return out


def _tidy_name(text: str | None) -> str | None:
    if not text:
        return None
    text = re.sub(r"^(?:the|a|an)\s+", "", text.strip(), flags=re.I)
    # "Leaders of the Pacific Islands Forum will meet": the forum is the name, its leaders are who meet
    text = re.sub(r"^(?:leaders|heads of (?:state|government)|members|(?:foreign )?ministers)\s+of\s+(?:the\s+)?",
                  "", text, flags=re.I)
    return text.strip(" ,.") or None


_EXTENT = re.compile(r"\b(two|three|four|five|six|seven|2|3|4|5|6|7)-day\b", re.I)
_DURING_STAY = re.compile(r"During (?:the|his|her|that) (two|three|four|five|six|seven|2|3|4|5|6|7)-day "
                          r"(?:visit|trip|stay|tour)\b", re.I)
_LASTS = re.compile(r"\b(?:lasts?|lasting|runs?|running|will last|will run)\s+(?:for\s+)?"
                    r"(two|three|four|five|six|seven|2|3|4|5|6|7)\s+days\b", re.I)


def _sides(pair: str) -> list[str]:
    """The sides a dashed pair names: 'UK-EU' -> ['UK', 'EU']."""
    return re.split(r"\s*[-–]\s*", pair)


def _called_off(tok) -> bool:
    """A meeting noun that is cancelled or put off ('cancelled the June 12 summit'): it was still ahead."""
    return tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "nsubjpass") and tok.head.i != tok.i \
        and tok.head.lemma_.lower() in _CALLED_OFF


def _subtree_text(tok) -> str:
    """The text of a token's subtree."""
    return tok.doc[tok.left_edge.i:tok.right_edge.i + 1].text


def _acting_subject(tok):
    """Who does what the trigger names: its verb's subject, up through the verb that holds it
    ("ministers agreed to hold talks")."""
    cur = tok
    for _ in range(3):
        subject = next((c for c in cur.children if c.dep_ == "nsubj"), None)
        if subject is not None or cur.dep_ not in ("dobj", "xcomp") or cur.head.i == cur.i:
            return subject
        cur = cur.head
    return None


_DELEGATE_NOUNS = {"minister", "official", "delegation", "envoy", "negotiator", "diplomat", "leader"}
_LANDS = {"country", "capital", "nation", "city", "region", "state", "kingdom", "republic", "island", "islands",
          "province", "territory", "continent", "neighbour", "neighbor", "ally"}
_SPOKESPEOPLE = {"official", "source", "aide", "diplomat", "spokesman", "spokeswoman", "spokesperson"}
_NEGATED = re.compile(r"\b(?:none|nothing|not|n't|never)\s+(?:\w+\s+)?$", re.I)  # "none had been scheduled"


def _calls_on(tok) -> bool:
    """'call on President Murmu' (a courtesy call), not 'call on Russia to withdraw' (an appeal)."""
    if tok.lemma_.lower() != "call" or any(c.dep_ in ("xcomp", "ccomp") for c in tok.children):
        return False
    return any(c.dep_ == "prep" and c.lower_ == "on" and any(
        g.dep_ == "pobj" and (g.ent_type_ == "PERSON" or g.pos_ == "PROPN" and any(
            t.lower_ in OFFICIAL_WORDS for t in g.subtree)) and not any(x.dep_ in ("xcomp", "acl", "relcl") for x in g.children)
        for g in c.children) for c in tok.children)


def _during_trip(tok):
    """The trip noun whose 'during which' clause holds this token: 'a three-day visit to San Francisco,
    during which the president will attend a summit' (spaCy hangs the clause on the main verb)."""
    cur = tok
    for _ in range(4):
        if cur.pos_ in ("VERB", "AUX"):
            break
        if cur.head.i == cur.i:
            return None
        cur = cur.head
    if cur.pos_ not in ("VERB", "AUX"):
        return None
    if not any(c.dep_ == "prep" and c.lower_ in ("during", "in") and any(g.lower_ == "which" for g in c.children)
               for c in cur.children):
        return None
    trips = [t for t in tok.doc[:cur.i] if t.lemma_.lower() in TRIP_NOUNS | {"stay"} and t.pos_ == "NOUN"]
    return trips[-1] if trips else None


def _under_verb(tok, top) -> bool:
    """A verb lies between tok and its ancestor top ("before heading to Vietnam for the summit")."""
    cur = tok
    while cur.i != top.i and cur.head.i != cur.i:
        cur = cur.head
        if cur.pos_ == "VERB" and cur.i != top.i:
            return True
    return False


def _brings_together(tok) -> bool:
    """The meeting is the subject of who it gathers: 'the gathering will bring together Abe, Li and Moon'."""
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in ("bring", "gather", "include", "involve", "unite") and any(
        c.dep_ == "dobj" for c in tok.head.children)


def _extent(text: str, trig, hi: int) -> int | None:
    """How many days the meeting lasts: 'the two-day summit', 'which starts on Tuesday and lasts for two days'."""
    found = _EXTENT.search(text, max(0, trig.start_char - 30), hi) or _LASTS.search(text, trig.end_char, hi)
    return _NUMBERS.get(found.group(1).lower()) if found else None


def _ends(tok) -> bool:
    """The meeting is the subject of its ending: 'the summit will end on June 17'."""
    ending = ("end", "conclude", "close", "wrap")
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_.lower() in ending:
        return True
    # "during the four-day visit, which ends next Saturday" ("the visit to Japan, which ends": the same)
    nodes = [tok, *(g for c in tok.children if c.dep_ == "prep" for g in c.children if g.dep_ == "pobj")]
    return any(c.dep_ == "relcl" and c.lemma_.lower() in ending
               and any(g.dep_ in ("nsubj", "nsubjpass") and g.lower_ in ("which", "that") for g in c.children)
               for n in nodes for c in n.children)


def _stretch(group: list[Mention], best: Mention, named_extent: int | None = None) -> Resolved | None:
    """The best date, widened to the whole meeting when the article says how long it lasts or when it
    ends: 'to be held on Sunday' ... 'the three-day summit will end on June 17' is Sunday to June 17.
    named_extent: how long the article says the summit of that name lasts, wherever it says so."""
    d = best.dates
    if d is None or d.start != d.end:
        return d
    spans = [m.dates for m in group if m.extent and m.dates is not None and m.dates.start <= d.start <= m.dates.end
             and (m.dates.end - m.dates.start).days == m.extent - 1 > 0]
    if spans:  # "starts on Tuesday and lasts for two days" ... "the Council meeting on June 25": its second day
        return spans[0]
    days = [m for m in group if m is not best and m.dates is not None and m.dates.start == m.dates.end]
    extent = max((m.extent for m in group if m.extent), default=named_extent)
    if best.ends:
        starts = [m.dates.start for m in days if not m.ends and 0 < (d.start - m.dates.start).days <= 14]
        if starts:
            return Resolved(max(starts), d.end, "day", d.text, d.time)
        return Resolved(d.start - timedelta(days=extent - 1), d.end, "day", d.text, d.time) if extent else d
    ends = [m.dates.end for m in days if m.ends and 0 < (m.dates.end - d.start).days <= 14]
    if ends:
        return Resolved(d.start, min(ends), "day", d.text, d.time)
    return Resolved(d.start, d.start + timedelta(days=extent - 1), "day", d.text, d.time) if extent else d


def _overlap(a: Resolved | None, b: Resolved | None) -> bool:
    if a is None or b is None:
        return True
    return a.start <= b.end and b.start <= a.end


def _same_summit_days(group: list[Mention], m: Mention) -> bool:
    """'The G7 summit opens on Sunday' and 'the G7 summit will end on June 17': days of one summit."""
    if m.kind != "multilateral" or not m.name or m.dates is None or m.tense != "upcoming" \
            or not (m.ends or any(x.ends for x in group)):
        return False
    words = summit_name_words(m.name)
    return all(x.kind == "multilateral" and x.name and x.tense == "upcoming" and summit_name_words(x.name) == words
               and (x.dates is None or abs((x.dates.start - m.dates.start).days) <= 14) for x in group)


_ZONE = re.compile(r"\b(?:[A-Z][a-z]+|local|GMT|UTC|EST|EDT|PST|PDT|KST|JST)\s+time\b")


def _state_key(g: Gazetteer, place: str) -> str:
    """The state a place is in, for comparing places: "Lima" is in "Peru", "Vientiane" in "Laos"."""
    return name_key(g.country(place) or place)


def _zone_twin(group: list[Mention], m: Mention) -> bool:
    """The same upcoming meeting dated a day apart because one report gives another time zone's day."""
    g0 = group[0]
    if m.kind != g0.kind or m.tense != "upcoming" or any(x.tense != "upcoming" for x in group) or m.dates is None:
        return False
    if any(x.dates is None or x.dates.grain != "day" for x in group) or m.dates.grain != "day":
        return False
    if {name_key(p) for p in m.participants} != {name_key(p) for x in group for p in x.participants}:
        return False
    if not any(_ZONE.search(x.sentence) for x in [*group, m]):
        return False
    return all(abs((m.dates.start - x.dates.start).days) == 1 and m.dates.start == m.dates.end
               and x.dates.start == x.dates.end for x in group)


def _compatible(group: list[Mention], m: Mention, g: Gazetteer) -> bool:
    """Whether a mention tells of the same meeting as a group of earlier mentions."""
    g0 = group[0]
    if (m.kind == "phone_call") != (g0.kind == "phone_call"):
        return False
    if m.kind == "visit" and (m.leg is not None or any(x.leg is not None for x in group)) and not (
            {name_key(p) for p in m.locations} & {name_key(p) for x in group for p in x.locations}):
        return False  # another leg of the tour
    if (m.tense == "past") != (g0.tense == "past") and m.tense != "unknown" and g0.tense != "unknown":
        return False
    if not all(_overlap(x.dates, m.dates) for x in group) and not _same_summit_days(group, m):
        return False
    if m.kind == "visit" and g0.kind == "visit" and m.locations and any(x.locations for x in group) \
            and m.dates is not None and g0.dates is not None and m.dates != g0.dates \
            and not {_state_key(g, p) for p in m.locations} & {_state_key(g, p) for x in group for p in x.locations}:
        return False  # Peru from Nov. 13 to 17, then Brazil from Nov. 17 to 21: two visits
    if (m.kind == "multilateral") != (g0.kind == "multilateral") and (
            m.at_gathering or any(x.at_gathering for x in group)):
        return False  # a meeting on the sidelines of a summit is not the summit
    gnames = {x.name for x in group if x.name}
    if bool(m.name) != bool(gnames) and (m.kind == "multilateral" or g0.kind == "multilateral"):
        return False
    if m.name and gnames:
        if m.name in gnames or any((summit_name_words(m.name) <= summit_name_words(n)
                                    or summit_name_words(n) <= summit_name_words(m.name))
                                   and _tier(m.name) == _tier(n) for n in gnames):
            return True  # "the G20 summit" again, but not "a G20 sherpa video conference"
        same_day = m.dates is not None and all(x.dates is not None and x.dates == m.dates for x in group)
        return same_day and any(summit_name_words(m.name) & summit_name_words(n) for n in gnames)
    gpeople = {name_key(p) for x in group for p in x.participants}
    mpeople = {name_key(p) for p in m.participants}
    if m.occasion and g0.occasion and m.occasion != g0.occasion and m.dates is not None and g0.dates is not None:
        return False
    if len(mpeople) >= 2 and len(gpeople) >= 2:
        return mpeople <= gpeople or gpeople <= mpeople
    if m.name is None and not gnames and mpeople and mpeople == gpeople and m.kind == g0.kind:
        return True
    if m.name is None and not gnames and len(mpeople) == 1 and mpeople <= gpeople and m.kind == g0.kind \
            and m.dates is not None and all(x.dates is not None for x in group):
        return True  # "Tuesday's call ... at Macron's initiative" is the Macron-Putin call
    if m.name is None and not gnames and len(gpeople) == 1 and gpeople <= mpeople and m.kind == g0.kind \
            and all(x.order == m.order for x in group):
        return True  # "Putin will meet with his Turkish counterpart, Recep Tayyip Erdogan": one meeting, read twice
    if m.kind == "visit" and len(mpeople) == 1 and mpeople <= gpeople and not m.locations \
            and g0.kind == "bilateral" and m.dates is not None and m.tense == g0.tense:
        return True  # "to meet Biden ahead of the inauguration ... the visit would happen before Christmas"
    return False



_TIERS = {"sherpa", "sherpas", "ministerial", "ministers", "minister", "officials", "deputies", "envoys"}


def _tier(name: str) -> set[str]:
    """Who meets at a body's meeting, when not its leaders: 'G20 sherpa meeting', 'NATO ministerial'."""
    return summit_name_words(name) & _TIERS


_STATE_VISIT = re.compile(r"\b(?:state|official|bilateral) visit\b", re.I)


def _drop_covered_visits(meetings: list[Meeting], g: Gazetteer) -> list[Meeting]:
    """A visit whose visitor also meets someone there at that time is that meeting, not a second record.
    The talks that cover a visit and name no place of their own are held where the visit goes."""
    out = []
    for m in meetings:
        if m.kind == "visit" and m.start is not None:
            # a leg of a tour ("will visit South Korea and Japan") is covered only by a meeting placed there
            tour = len({_state_key(g, v.location) for v in meetings if v.kind == "visit" and v.location
                        and set(v.participants) & set(m.participants)}) >= 2
            state_visit = bool(_STATE_VISIT.search(m.sentence or ""))
            covering = [
                o for o in meetings
                if o is not m and o.kind != "visit" and o.start is not None and o.tense == m.tense
                and not (state_visit and o.kind == "multilateral")  # "attend APEC in Lima and pay a state visit to Peru"
                and set(m.participants) & set(o.participants)
                and o.start <= m.end + timedelta(days=2) and m.start <= o.end + timedelta(days=2)
                and (m.location is None or (o.location is None and not tour) or name_key(m.location) in REGIONS
                     or (o.location and (o.start, o.end) == (m.start, m.end)
                         and name_key(o.location).endswith(name_key(m.location)))  # "White House, Washington"
                     or _state_key(g, m.location) in {_state_key(g, a) for a in [o.location, *o.alt_locations] if a})]
            if covering:
                # "will visit Berlin for talks with Merkel": the talks held during the stay are held there
                if m.location and name_key(m.location) not in REGIONS:
                    for o in covering:
                        if o.kind in ("bilateral", "talks") and o.location is None and m.start <= o.start and o.end <= m.end:
                            o.location = m.location
                continue
        out.append(m)
    return out
