"""The extractor's word lists and regular expressions: the knowledge the rules apply, kept as data."""

from __future__ import annotations

import re


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
BOUNDARY = re.compile(r"[.!?][\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z(\"“])"
                      r"|(?<=[A-Za-z][a-z][.!?])(?=[A-Z](?:[a-z]|\s))")  # a lost space: "trip.The", "July.A"
# A period after these is not a sentence end ("U.S. President", "Oct. 31", "Mr. Lee").
ABBREVIATIONS = {"u.s", "u.k", "u.n", "e.u", "mr", "mrs", "ms", "dr", "st", "jan", "feb", "mar", "apr", "jun",
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
PAIRED = re.compile(r"[\w.][-–]\S|\S[-–][\w.]")  # a name joined to another by a hyphen or dash
SEQUENCE = {"after", "before", "following", "ahead"}  # "after the call with Putin": another meeting
RECEIVING = {"welcome", "invite", "receive", "host"}  # "welcome X to <place>": the guest comes there
JOURNEYS = {"travel", "fly", "head", "go", "come"}  # "travel to Moscow for the summit": the summit is there
PHONE = re.compile(r"\b(?:phone|telephone|video ?calls?|video[- ]?conferences?|videoconferences?|virtual(?:ly)?|video links?|by video|"
                   r"video (?:talks|summits?|meetings?)|online (?:talks|summits?|meetings?))\b", re.I)
# A meeting taken online ('moved online', 'switched to a video conference'): the meeting is still ahead and
# still held, by video; the merge records a change of format, not a cancellation (bot/merge.py).
ONLINE = re.compile(r"\b(?:online|virtual(?:ly)?|by video|video[- ]?conferenc\w*|videoconferenc\w*|video[- ]?links?)\b",
                    re.I)
ONLINE_MOVE = re.compile(r"\b(?:mov|switch|shift|chang|turn|tak)\w*\b[^.;]{0,80}?\b(?:online|to (?:an? )?(?:virtual|video)"
                         r"\b|virtually|by video)", re.I)
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
_PUTTING_OFF = r"postpone[sd]?|postponing|delay(?:ed|s)?|push(?:ed)? back|put off"  # what both below match
POSTPONE = re.compile(r"\b(?:" + _PUTTING_OFF + r"|reschedul(?:ed|e)|moved? (?:to|from))\b", re.I)
# A meeting put off with no new date ('postponed', 'deferred to a mutually convenient date', 'suspended until a
# date still to be set'): called off for now (family 'open postponements'; with a new date it is 'moved-to dates').
PUT_OFF = re.compile(r"\b(?:" + _PUTTING_OFF + r"|defer(?:red|s)?|suspend(?:ed|s)?|(?:will|to) be rescheduled|"
                     r"rescheduled)\b", re.I)
# "may" the modal, never "May" the month; in a title-case headline, "May" before a verb ("Xi May Visit Russia")
MAY = r"(?-i:may|May(?=\s+(?:Be|Not|Visit|Meet|Hold|Host|Attend|Travel|Skip|Join|Go|Come|Speak|Talk|Sign|Call)\b))"
POSSIBLE = re.compile(r"\b(?:could|" + MAY + r"|might|possibl[ey]|possibility|speculat\w*|consider(?:ing|s|ed)?|"
                      r"mull(?:ing|s)?|explor(?:ing|e)|if held|hopes? to|would like|not ruled? out|potential(?:ly)?|"
                      r"floated|weighing|cited as)\b", re.I)
PLANNED = re.compile(r"\b(?:expect(?:ed|s)?|plan(?:s|ned|ning)?|likely|arrang\w*|aim(?:s|ing)? to|intend\w*|"
                     r"prepar\w*|invit\w*|to meet|to hold|to visit|to attend|working to|seek(?:s|ing)? to|"
                     r"proposed|tentative\w*|is due|are due)\b", re.I)
CONFIRMED = re.compile(r"\b(?:will|shall|scheduled|set (?:for|to)|slated|confirm(?:ed|s)|announc\w*|"
                       r"is to|are to|agreed to)\b", re.I)
FUTURE = re.compile(r"\b(?:will|shall|'ll|going to|is to|are to|to (?:meet|hold|visit|attend|host|talk|speak|have|"
                    r"convene|travel|take part|participate|sit down)|set (?:for|to)|scheduled|slated|due to|upcoming|"
                    r"planned|forthcoming|expected|plans?|next|could|" + MAY + r"|might|would|hopes? to|intends? to|aims? to)\b",
                    re.I)
OCCASION = re.compile(r"\b(?:sidelines|margins|on the occasion of|occasions?|during|at the|ahead of|while attending)\b",
                      re.I)
CONTINUATION = re.compile(r"^(?:There|Then|Later|Afterwards|After that|From there|As part of (?:the|his|her|that) (?:visit|trip)|Furthermore|Moreover|In addition|Additionally|While there|While in|During (?:the|his|her|that)(?: [\w-]+)? "
                          r"(?:visit|trip|stay)|On the same day|That (?:day|evening|afternoon|morning)|He|She|They)\b")
ON_THE_TRIP = re.compile(r"^(?:There|While there|(?:As part of|During|On) (?:the|his|her|this|that) "
                         r"(?:visit|trip|tour|stay)),?\b")  # "As part of the visit, he will meet ...": where it goes
GROUP_REF = re.compile(r"\b(?:the (?:two|three|four) (?:state )?(?:leaders|presidents|prime ministers|sides|men|heads of state)|"
                       r"both (?:leaders|men|sides)|the leaders|the pair|they|their)\b", re.I)
# The visitor named by office alone: "the visiting minister", "the Indian official", "the top diplomat".
_OFFICES = ("official", "minister", "diplomat", "guest", "visitor", "president", "premier", "chancellor", "leader",
            "secretary", "envoy", "prince", "king", "queen", "monarch", "dignitary")
OFFICE_HEADS = {*_OFFICES, "general", "emir", "sultan"}  # the parse's head word ("secretary-general" ends in "general")
OFFICE_SUBJECT = re.compile(r"\b[Tt]he\s+(?:[\w-]+\s+){0,3}?(?i:" + "|".join(_OFFICES + ("director-general",
                            "secretary-general")) + r")\s+(?!of\b|and\b|said\b|told\b)[a-z]")
COUNTED_GROUP = re.compile(r"\b(two|three|four|five|six)\s+(?:state\s+)?(?:leaders|presidents|prime ministers|sides|"
                           r"men|heads of state|heads of government)\b", re.I)
# The leaders of two states, named only as such; "Koreas" names its two states itself.
LEADERS_OF = re.compile(
    r"\b(?:(?:the\s+)?(?:two|both)\s+(?P<group>Koreas|countries|nations|states|governments)['’]?\s*"
    r"(?:top\s+)?(?:leaders|heads of state|presidents)"
    r"|(?:leaders|heads of state|presidents) of (?:the\s+)?(?:two|both)\s+(?P<group2>Koreas|countries|nations|states)"
    r"|(?:leaders|heads of state|presidents) of [A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)? and (?:the\s+)?[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)?"
    r"|[A-Z][a-z]+(?:\s+[A-Z][a-z]+)? and [A-Z][a-z]+(?:\s+[A-Z][a-z]+)? leaders)\b")
# "the leaders of Germany, France and Britain", "the Serbian and Kosovar leaders", "the foreign ministers of
# Russia and Ukraine": the officials of an office in a list of states (bot.extract.participants.officials_of_states)
_STATE_ITEM = r"(?:[Tt]he\s+)?[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}"
_STATE_LIST = _STATE_ITEM + r"(?:,\s*" + _STATE_ITEM + r")*,?\s+and\s+" + _STATE_ITEM
_OFFICES = (r"(?P<office>leaders|heads of state(?: and government)?|heads of government|presidents|prime ministers|"
            r"premiers|foreign ministers|defen[cs]e ministers)")
OFFICIALS_OF = re.compile(r"\b(?:(?:top\s+)?" + _OFFICES + r"\s+of\s+(?P<states>" + _STATE_LIST + r")"
                          r"|(?P<states2>" + _STATE_LIST + r")['’]?s?\s+(?:top\s+)?" + _OFFICES.replace("office", "office2")
                          + r")\b")
# A visit made at someone's invitation: the host, whom the visitor meets
INVITATION = re.compile(r"\b(?:at|on|upon) the (?:kind |personal |official )?invitation of\b|\binvited by\b|"
                        r"\bas (?:a |the )?guests? of\b")
TOUR_REF = re.compile(r"\b(?:the|this|his|her|its|their)\s+(?:\w+\s+)?(?:tour|trip|journey|itinerary)\b", re.I)
STATE_GROUPS = {"koreas": ("South Korea", "North Korea")}
TITLE_REF = re.compile(r"\b(?:[Tt]he|[Hh]is|[Hh]er|[Ii]ts)\s+((?:(?:[A-Z][a-z]+|U\.S\.|U\.K\.|US|UK)\s+){1,2})(president|prime minister|"
                       r"premier|leader|chancellor|counterpart|foreign minister|king)\b")
DATELINE = re.compile(r"^\s*(?:date|published|posted|updated)\s*:?\s*\d{4}-\d{2}-\d{2}(?:[T ][\d:+.Z-]+)?", re.I)
BARE_TITLE = re.compile(r"\b(?:the|The)\s+(president|prime minister|premier|chancellor|foreign minister|"
                        r"secretary of state|President|Prime Minister|Premier|Chancellor|Foreign Minister)\b(?!\s+[A-Z])")
# Verbs whose tense is the meeting's own ("held talks", "met"), unlike "renamed the meeting".
HAPPENING = {"hold", "have", "meet", "take", "attend", "host", "convene", "conclude", "end", "finish", "talk",
             "speak", "call", "visit", "sit", "begin", "start", "wrap", "open", "close", "stage", "chair", "join",
             "go", "travel", "arrive", "complete", "discuss", "agree", "sign", "be"}
# The signature of an embedded post: "— Narendra Modi (@narendramodi) May 10, 2018" dates the post.
EMBED_STAMP = re.compile(r"\(@\w{1,30}\)\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}")
WIRE_DATELINE = re.compile(r"(?m)^\s*[A-Z][A-Z .'’-]{2,40}(?:,\s+[A-Z][A-Za-z0-9 .]{2,30})?(?:(?:\s*\([^)\n]{1,30}\))?"
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
ALSO = re.compile(r"\balso\b")
# A sentence that opens by placing itself on a trip or in its day's programme: "In Wellington, ...", "While in the
# country, ...", "During his official visit, ...", "There, ...", "In the morning, ...", "Shortly afterwards, ...";
# or that sends someone to a place where he meets ("then goes on to Berlin, where he will see X", "a trip to Fiji,
# where he is expected to meet X"). PLACED_AT's place must be one the gazetteer knows.
PLACED_AT = re.compile(r"\s*[\"“]?(?:In|At) ((?:[A-Z][\w'-]+ ?){1,3}),")
ON_THE_TRIP = re.compile(
    r"\s*[\"“]?(?:(?:While|When) (?:in|there|visiting|on)\b"
    r"|During (?:the|his|her|their|this|that) (?:[\w-]+ ){0,3}(?:visit|trip|stay|tour|leg)\b"
    r"|(?:There|From there|Then|Later|Afterwards|(?:Shortly|Soon|Immediately) (?:after(?:wards)?|thereafter)|After that"
    r"|Thereafter|The (?:next|following) (?:day|morning)|On the (?:second|third|final|last|next|following) day"
    r"|(?:In|On) the (?:morning|afternoon|evening)|On (?:his|her|their) (?:arrival|return)),)"
    r"|\b(?:to|in) (?:the )?[A-Z][\w'-]+(?: [A-Z][\w'-]+)*,? where [^,.;]{0,40}?\b"
    r"(?:will|is (?:expected|due|set|scheduled) to)\b")
# A meeting placed at an occasion the article dates elsewhere: "on the sidelines of the three-way summit",
# "during the trilateral event".
AT_GATHERING = re.compile(r"\b(?:(?:sidelines|margins|fringes|side) of (?:the|this|that|their)|during (?:the|their)) "
                          r"(?:[\w-]+ ){0,3}(?:summit|gathering|meeting|event|conference|forum)\b", re.I)
OCCASION_REF = re.compile(r"\b(?:sidelines|margins|fringes?|on the side)\b|\bduring the\b[^.;]{0,40}?\b(?:summit|event|"
                          r"visit|trip|forum|gathering|conference|meeting)\b", re.I)
ACTOR = re.compile(r"\b(?:President|Prime Minister|Premier|Chancellor|King|Queen|Emperor|Crown Prince|Sultan|Emir|"
                   r"Sheikh|[Ff]oreign [Mm]inisters?|[Mm]inisters?|Secretary of State|[Ee]nvoys?|[Aa]mbassador|"
                   r"[Ll]eaders?|[Pp]resident|[Pp]rime [Mm]inister|[Pp]remier|[Cc]ounterparts?|[Dd]elegations?|"
                   r"[Hh]eads? of (?:state|government)|[Dd]iplomat\w*)\b")
LEGISLATURES = {"congress", "parliament", "senate", "legislature", "diet", "knesset", "bundestag", "duma",
                "lawmakers", "legislators", "cabinet"}
NAMED_AFTER = re.compile(r" (?:of|for) (?:the )?(?!(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Mon|Tue|Wed|Thu|Fri|"
                         r"Sat|Sun)[a-z]*\b)((?:[A-Z][\w'’-]+)(?: (?:[A-Z][\w'’-]+|and|of|the))*)(?<! and)(?<! of)(?<! the)")
OPENING = re.compile(r"\b(?:open(?:s|ed|ing)?|begin(?:s|ning)?|beg[au]n|start(?:s|ed|ing)?|convene[sd]?|held|"
                     r"take place|takes place|kick(?:s|ed)? off|conclude[sd]?|close[sd]?)\b")  # lowercased text
MINISTERIAL = re.compile(r"\)?\s*ministerial\b")  # after a body's name: "the (OSCE) ministerial"
SUMMIT_WORD = re.compile(r"\b[Ss]ummits?\b")
# A sentence about the gathering just named: "The forum runs from January 15 to 19."
GATHERINGS = "forum|conference|gathering|meeting|summit"
THE_GATHERING = re.compile(rf"\s*The (?:{GATHERINGS})\b")
THE_EVENT = re.compile(rf"\s*The (?:{GATHERINGS}|visit|trip|talks)\b")  # any of the article's meetings
CAPITALISED = re.compile(r"\b[A-Z][a-z][\w'-]+")
BEFORE = re.compile(r"\b(?:ahead of|before|prior to|in the run-up to)\b", re.I)
DELEGATES = re.compile(r"\b(?:envoys?|delegations?|officials|negotiators|advisers|advisors|emissaries|"
                       r"working-level|technical teams)\b", re.I)
NAMED_CAPITAL = re.compile(r"\b(in|to|at|for|visit|visiting|visits)\s+the\s+((?:[A-Z][\w'.-]+\s+){1,2})capital\b"
                           r"(?!\s*,?\s*[A-Z])")
PLACE_NOUNS = frozenset({"city", "capital", "town", "island", "village", "resort", "port"})
# A journey and how it names where it goes: "travel to X", "flew into X", "arrive in X", "reach X" (its object),
# "leave for X", "a visit to X"
DESTINATIONS = {"travel": ("to", "into"), "fly": ("to", "into"), "head": ("to", "into", "for"), "go": ("to",),
                "come": ("to",), "return": ("to",), "arrive": ("in", "at", "into"), "land": ("in", "at"),
                "reach": ("dobj",), "leave": ("for",), "depart": ("for",), "visit": ("to", "dobj"),
                "trip": ("to",), "journey": ("to",)}
# Verbs whose "in"/"at" place is where a meeting is: "talks, which will be held in Nara", "will take place in Oslo"
VENUE_VERBS = {"hold", "meet", "take", "convene", "host", "gather", "sit", "talk", "speak", "stage", "chair", "open"}
WATERS = re.compile(r"\b(?:Sea|Ocean|Strait|Straits|River|Channel)\b")
# Verbs whose "to" complement is still ahead even when they are in the past tense
SCHEDULING = {"schedule", "set", "slate", "plan", "fix", "arrange", "earmark", "pencil"}
CALLED_OFF = {"cancel", "scrap", "postpone", "delay", "shelve", "scuttle", "call"}  # "call off"
COMMIT = {"agree", "decide", "promise", "pledge", "vow", "offer", "invite", "resolve", "commit"}
PROPOSE = {"propose", "suggest", "offer", "want", "hope", "agree", "plan", "urge", "insist", "demand", "ask",
           "request", "recommend", "expect"}
REGIONS = {"africa", "asia", "europe", "the middle east", "middle east", "latin america", "south america",
           "north america", "the americas", "americas", "the pacific", "pacific", "the caribbean", "caribbean",
           "central asia", "southeast asia", "east asia", "the gulf", "gulf", "the west", "west africa",
           "east africa", "the region", "asia pacific", "the arctic", "arctic", "oceania", "the balkans"}
HEADLINE_LOWER = {"with", "from", "into", "over", "after", "upon", "onto", "than", "that", "amid"}
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "2": 2, "3": 3, "4": 4, "5": 5,
           "6": 6, "7": 7, "week": 7}
DURATION = re.compile(r"^in (?:a|an|\d+|two|three|four|five|six|seven|eight|nine|ten|several|many) "
                      r"(?:years?|decades?|months?)$", re.I)
BARE_WEEKDAY = re.compile(r"(?i)^(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day"
                          r"(?:\s+(?:morning|afternoon|evening|night))?$")
ARRANGING = {"coordinate", "arrange", "agree", "negotiate", "consult", "work", "plan", "liaise", "cooperate"}
INSTITUTION_NEXT = {"official", "officials", "spokesman", "spokeswoman", "spokesperson", "office", "statement",
                    "source", "sources", "ministry", "government", "administration", "aides", "said"}
SCENES = {"war", "conflict", "fighting", "crisis", "violence", "hostility", "famine", "bloodshed", "turmoil",
          "unrest", "situation", "invasion", "occupation", "offensive", "ceasefire", "election", "disaster"}
EXTENT = re.compile(r"\b(two|three|four|five|six|seven|2|3|4|5|6|7)-day\b", re.I)
DURING_STAY = re.compile(r"During (?:the|his|her|that) (two|three|four|five|six|seven|2|3|4|5|6|7)-day "
                         r"(?:visit|trip|stay|tour)\b", re.I)
# "for three days from Monday", "two days of talks", "a week-long state visit": a length told in other words
LENGTH_PHRASE = re.compile(r"\b(?:for|over)\s+(two|three|four|five|six|seven|2|3|4|5|6|7)\s+days\b"
                           r"|\b(two|three|four|five|six|seven|2|3|4|5|6|7)\s+days\s+of\b|\b(week)[- ]?long\b", re.I)
LASTS = re.compile(r"\b(?:lasts?|lasting|runs?|running|will last|will run)\s+(?:for\s+)?"
                   r"(two|three|four|five|six|seven|2|3|4|5|6|7)\s+days\b", re.I)
LANDS = {"country", "capital", "nation", "city", "region", "state", "kingdom", "republic", "island", "islands",
         "province", "territory", "continent", "neighbour", "neighbor", "ally"}
SPOKESPEOPLE = {"official", "source", "aide", "diplomat", "spokesman", "spokeswoman", "spokesperson"}
NEGATED = re.compile(r"\b(?:none|nothing|not|n't|never)\s+(?:\w+\s+)?$", re.I)  # "none had been scheduled"
TIERS = {"sherpa", "sherpas", "ministerial", "ministers", "minister", "officials", "deputies", "envoys"}
STATE_VISIT = re.compile(r"\b(?:state|official|bilateral) visit\b", re.I)

# Talks named by how many parties sit at them ('the six-party talks', 'four-party peace talks', 'the two-plus-two
# dialogue', 'three-way negotiations'): the count and any lower-case words between it and the talks noun
COUNTED_TALKS = re.compile(r"\b(?:[Tt]wo|[Tt]hree|[Ff]our|[Ff]ive|[Ss]ix|[Ss]even|[Ee]ight|[Nn]ine|[Tt]en|[2-9])-(?:party|parties|"
                           r"nations?|countries|country|way|sided|plus-(?:two|2))(?:[ \t]+[a-z][\w-]*){0,2}?[ \t]+$")
