"""The rule families of the extractor, by name: each can be switched off for one extraction (an ablation).

A family is checked with ``ctx.on(name)`` at its entry point (bot.extract.context.ArticleContext.on);
switched off, exactly that code path is skipped. ``summitbot eval --ablate`` scores the gold file once with
every family on and once with each family off (bot.evaluate.ablate).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """A named group of rules that decide one thing together."""

    name: str
    description: str
    module: str  # where its entry points are (bot/extract/<module>.py)


FAMILIES: tuple[Family, ...] = (
    # which sentences
    Family("prefilter", "parse only meeting sentences near one that dates, names or cancels a meeting, and those the "
                        "sentence classifier is sure enough tell of a meeting", "mentions"),
    Family("trip scenes", "a meeting sentence set on a trip ('In Riga, she will meet X', 'While in the country, he "
                          "will hold talks with X', 'then flies on to Oslo, where he will meet X') is parsed however "
                          "far it stands from the dated sentences; one set in a place the traveller's dated tour goes "
                          "to takes that leg's dates, over the leg told last ('will travel to Vietnam and Sri Lanka "
                          "this week ... fly to Sri Lanka on Tuesday ... In Vietnam, he will meet X') and over a date "
                          "off that leg's days ('In Brussels, he will meet X to prepare the summit in July' on an "
                          "April trip)", "sentences"),
    # triggers
    Family("travel visits", "travelling to a country, or to a city for talks, is a visit", "triggers"),
    Family("meetings during a trip", "'During the visit, he will call on President X': a meeting of its own within "
                                      "the trip, not the trip again", "triggers"),
    Family("invitation hosts", "'will visit Uzbekistan at the invitation of President Mirziyoyev': a visit with "
                               "the host it is made at the invitation of is a meeting of the two", "reading"),
    Family("speaker filter", "who reports a meeting ('..., X said', 'according to X') is not a party to it",
           "participants"),
    Family("name forms", "a name without its form of address ('Dr.', 'Datuk Seri') or a headline verb ('Macron "
                         "Says'), a nickname after a known name, and a known leader's given name spelt another way "
                         "('Binyamin Netanyahu')", "context"),
    Family("titled names", "a name right after a title word is that title's person, however the parse hangs it "
                           "('talks with his Turkish counterpart Recep Tayyip Erdogan')", "roles"),
    Family("leaders of states", "'the leaders of the two countries', 'the leaders of Germany, France and Britain', "
                                "'the Chilean and Peruvian foreign ministers': the states' officials the article names",
           "roles"),
    Family("office subjects", "'the visiting minister will meet X', 'the Indian official will hold talks with X': "
                              "a subject naming only an office is the traveller of the last trip, else the person the "
                              "text is about; such a sentence keeps that person for the next 'he'; the 'he' of "
                              "'will be in Cuba, where he will meet X, a spokeswoman said' is the one in Cuba; "
                              "'the Prime Minister' is never the holder the same sentence names with the title ('the "
                              "Prime Minister will hold talks with Prime Minister X'), but another",
           "roles"),
    Family("several hosts", "'will hold talks with President X and Prime Minister Y': a visitor's talks with several "
                            "named officials are a bilateral meeting with each; so are the meetings of a visitor the "
                            "sentence leaves unnamed ('the head of the agency will meet X and Y', 'the programme "
                            "includes meetings with X and Y'): one with each of them, not theirs with each other, "
                            "dated as a meeting of two; whose a meeting noun is ('Putin's talks with Presidents A "
                            "and B') is the one who meets the others; 'A and B will each meet Y' is a meeting of "
                            "each; the officials of states a visitor meets ('will meet with the presidents of both "
                            "countries') are met one by one", "reading"),
    Family("group references", "'the two leaders', 'they': the people of the meeting the text spoke of before",
           "roles"),
    Family("non-diplomatic filter", "drop what is no diplomacy: business, sport, court, party or cabinet meetings",
           "reading"),
    Family("named gatherings", "a named intergovernmental gathering ('the Sixth WTO Ministerial Conference') that the "
                               "learned gathering classifier says the sentence reports", "gatherings"),
    Family("counted-party talks", "talks named by how many parties sit at them ('the six-party talks', 'four-party "
                                  "peace talks', 'the two-plus-two dialogue') are a named meeting", "reading"),
    Family("cancellations", "a cancellation cue near a trigger makes its meeting cancelled, as does the meeting "
                            "itself said not to happen ('the summit would not go ahead', 'will not be held', 'will "
                            "no longer host the summit', 'decided not to host it'; not 'X will not attend it')",
           "reading"),
    Family("unfulfilled plans", "a meeting told as a plan in the past perfect ('had been due to visit', 'had "
                                "planned to meet', 'the talks that had been set for May 3') or as what it was meant "
                                "to be ('was meant to discuss', 'were supposed to meet') is off, not ahead", "status"),
    Family("open postponements", "a meeting put off with no new date ('was postponed to a later date', 'deferred', "
                                 "'suspended until a date still to be set', 'put off a trip planned for this month': "
                                 "the date it was planned for is no new one) is cancelled for now", "reading"),
    # dates within a sentence
    Family("statement dates", "a date of a statement ('the White House said Thursday') is no meeting's date",
           "reading"),
    Family("date tense", "a date hanging from a verb of another tense is resolved in that verb's tense", "reading"),
    Family("gatherings during a trip", "an undated gathering the traveller of a dated trip attends ('The Secretary "
                                        "will also co-chair the U.S.-EU Energy Council') takes the trip's dates",
           "assembly"),
    Family("departure dates", "'departs Thursday for New Zealand to attend the APEC summit': a gathering the trip "
                              "is for is on that day or in the few days after it", "dates"),
    Family("moved-to dates", "'postponed ... to May 21': a moved meeting's new date (and it is upcoming)", "dates"),
    Family("journey purpose", "a meeting a journey is for ('arrived on Tuesday for talks with X') is ahead of "
                              "the journey, whatever the journey's tense", "tense"),
    Family("ahead-of dates", "'to meet Biden ahead of his inauguration in January': some day before that date",
           "dates"),
    Family("under way", "a meeting whose days, as the text gives them, began before the article was published is "
                        "under way, not ahead ('is being held from August 22 to 24', said on the 24th)", "assembly"),
    Family("stated length", "a day stretched over the meeting's length as the sentence gives it ('a three-day visit', "
                            "'the summit will end on June 17', 'for three days from Monday', 'a week-long visit', "
                            "'two days of talks'), a named gathering's included ('a two-day meeting of the Joint "
                            "Commission will open on March 21')", "carry"),
    # dates and places from other sentences
    Family("occasion dates", "a meeting at a summit the article (or the database) dates takes the summit's dates; "
                             "one at a summit the article places ('on the sidelines of the BRICS summit' ... 'the "
                             "summit will take place in Kazan') is held there when it names no place of its own or "
                             "only that place's state", "dates"),
    Family("also-meets sharing", "'he will also meet X': the date and place of the person's last dated meeting",
           "carry"),
    Family("continuation", "'There, he will meet ...': the running date and place of the sentences before; 'will be "
                           "held here', 'arrived here for the summit': the city of the article's dateline", "carry"),
    Family("itinerary legs", "'will visit Japan, South Korea and India': one visit per place, dated by the tour "
                             "and by its dated legs", "places"),
    # places
    Family("places of a state", "'in Montego Bay, Jamaica', the town read as a facility: the place is the town and its "
                                "state, not the state alone", "places"),
    Family("city of the state", "a meeting placed in a state whose one city the article names as a place (a capital "
                                "the gazetteer knows: 'leaves for New Delhi on a state visit to India') is in that "
                                "city", "assembly"),
    Family("journey destinations", "'will travel to Vilnius on Sunday to meet X', 'flew into Abuja for talks with X', "
                                   "'reached Seoul and was to hold talks with X', 'will meet X during his visit to Y': "
                                   "a meeting a journey is for is held where the journey goes (a name there is a "
                                   "place whatever the entity recogniser took it for), unless its own words place it",
           "places"),
    Family("host places", "'Samoa will host the Commonwealth summit', 'hosted by Japan', 'Kenya is expected to host', "
                          "'will chair the bloc and host its summit': who hosts a gathering is where it is held, when "
                          "no other place is given", "places"),
    # merging the mentions of one article
    Family("trip dates", "an undated meeting of a traveller just after a dated trip takes the trip's date",
           "assembly"),
    Family("running date", "an undated meeting between named sides takes the date the story was telling of "
                           "when it named it (the reference time carried from sentence to sentence)", "assembly"),
    Family("sentence fallback", "a sentence the rules read no meeting in, naming two people, is proposed as their "
                                "meeting for the sentence classifier to confirm", "reading"),
    Family("one record per meeting", "two records of an article that are one meeting told twice (the same people or "
                                     "some of them, or the same gathering by name, on overlapping days, in one place) "
                                     "are one record, the one naming more people and the narrower days", "assembly"),
    Family("drop covered visits", "a visit covered by a meeting of the visitor there is that meeting, not a second "
                                  "record", "assembly"),
)

BY_NAME: dict[str, Family] = {f.name: f for f in FAMILIES}


# The learned decisions after the rules (bot.extract.classifier, vetting, screening, placing), which an extraction
# can switch off by name as it does a family (their thresholds, set to None, switch them off for good).
LEARNED_DECISIONS = ("learned not-a-meeting", "learned status", "learned certainty", "learned kind",
                     "learned article screen", "learned place")


def check_names(names) -> frozenset[str]:
    """The names as a frozenset, after checking that each is a family or a learned decision (ValueError naming
    the unknown ones)."""
    names = frozenset(names)
    unknown = sorted(names - BY_NAME.keys() - set(LEARNED_DECISIONS))
    if unknown:
        raise ValueError(f"unknown rule families: {', '.join(unknown)} (known: {', '.join(sorted(BY_NAME))}; "
                         f"learned decisions: {', '.join(LEARNED_DECISIONS)})")
    return names
