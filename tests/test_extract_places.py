"""The extractor on written articles: where a meeting takes place."""

from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

from bot.extract import Extractor
from bot.models import Article
from tests.extract_helpers import extract, upcoming


def test_a_city_beats_its_country_as_the_venue(extractor):
    text = ("U.S. special envoy Steve Witkoff is expected to travel to Moscow on Wednesday for talks with Russian "
            "President Vladimir Putin. Witkoff will meet Putin in Russia on Wednesday, officials said.")
    ms = upcoming(extract(extractor, text))
    assert [m.location for m in ms if "Vladimir Putin" in m.participants] == ["Moscow"]


def test_each_leg_of_a_trip_keeps_its_own_city(extractor):
    text = ("Brazilian President Luiz Inacio Lula da Silva arrives in Cairo on Wednesday and will meet Egyptian "
            "President Abdel Fattah al-Sisi on Thursday before flying to Addis Ababa, where he will hold talks with "
            "Ethiopian Prime Minister Abiy Ahmed on Friday.")
    ms = upcoming(extract(extractor, text))  # published Wednesday 2024-03-06
    by_day = {m.start: m.location for m in ms if m.kind != "visit"}
    assert by_day == {date(2024, 3, 7): "Cairo", date(2024, 3, 8): "Addis Ababa"}


def test_a_capital_named_by_its_state(extractor):
    text = ("African heads of state will gather in the Ethiopian capital this weekend for the African Union's annual "
            "summit, with the wars in Sudan and eastern Congo high on the agenda.")
    ms = upcoming(extract(extractor, text))
    assert [(m.name, m.location) for m in ms] == [("African Union summit", "Addis Ababa")]


def test_a_meeting_in_a_building_of_power_is_placed_in_its_city(extractor):
    text = "President Joe Biden will meet Kenyan President William Ruto in the Oval Office on Thursday."
    ms = upcoming(extract(extractor, text))
    assert [m.location for m in ms] == ["Oval Office, Washington"]


def test_talks_on_a_visit_are_held_at_its_destination(extractor):
    text = ("French President Emmanuel Macron is to pay a visit to Berlin on Friday for talks with Chancellor "
            "Angela Merkel, the German government announced.")
    ms = upcoming(extract(extractor, text, published="2021-06-15T09:00:00+00:00"))
    assert [(sorted(m.participants), m.location) for m in ms] == [(["Angela Merkel", "Emmanuel Macron"], "Berlin")]


def test_where_they_met_before_is_not_where_they_meet_next(extractor):
    text = ("Australian Prime Minister Anthony Albanese will meet Japanese Prime Minister Shigeru Ishiba in "
            "Canberra on Friday. The two leaders met in Lima in November at the APEC summit. Albanese will also "
            "meet New Zealand Prime Minister Christopher Luxon on Saturday during the trip.")
    ms = upcoming(extract(extractor, text, published="2025-03-04T09:00:00+00:00"))
    luxon = [m for m in ms if "Christopher Luxon" in m.participants]
    assert luxon and all(m.location != "Lima" for m in luxon)


def test_the_city_after_a_venue_is_the_place(extractor):
    text = "Peru will host the APEC summit at the Lima Convention Center at San Borja, Lima on November 15-16."
    ms = upcoming(extract(extractor, text, published="2024-11-01T09:00:00+00:00"))
    assert [m.location for m in ms if m.kind == "multilateral"] == ["Lima"]


def test_a_states_city_is_the_place_not_the_possessive(extractor):
    text = "The next G20 summit is due to be held in South Africa's Johannesburg from 22 to 23 November."
    ms = upcoming(extract(extractor, text, published="2025-06-20T09:00:00+00:00"))
    assert [m.location for m in ms] == ["Johannesburg"]


def test_talks_during_which_clause_of_a_visit_take_its_place_and_length(extractor):
    text = ("Prime Minister Narendra Modi will embark on a two-day visit to Nepal on Friday, during which he will "
            "hold talks with his Nepali counterpart K P Sharma Oli.")
    ms = upcoming(extract(extractor, text, published="2018-05-09T09:00:00+00:00"))
    talks = [m for m in ms if "K P Sharma Oli" in m.participants]
    assert [(m.location, m.start, m.end) for m in talks] == [("Nepal", date(2018, 5, 11), date(2018, 5, 12))]


def test_talks_held_during_a_visit_are_held_where_the_visit_goes(extractor):
    text = ("French President Emmanuel Macron will pay a visit to Berlin later this week for talks with Chancellor "
            "Angela Merkel, the German government said. The two leaders will meet for dinner on Friday evening.")
    ms = upcoming(extract(extractor, text, published="2021-06-15T09:00:00+00:00"))
    assert [(m.kind, m.start, m.location) for m in ms] == [("bilateral", date(2021, 6, 18), "Berlin")]


def test_a_city_introduced_by_capital_is_the_place(extractor):
    text = ("President Recep Tayyip Erdogan will meet the U.S. Secretary of State, Rex Tillerson, at the presidential "
            "complex in capital Ankara on Thursday.")
    ms = upcoming(extract(extractor, text, published="2018-02-13T09:00:00+00:00"))
    assert [(m.kind, m.location) for m in ms] == [("bilateral", "Ankara")]


def test_a_sideline_meeting_takes_the_summits_place_from_an_undated_mention(extractor):
    text = ("Prime Minister Narendra Modi will travel to the Russian city of Kazan to attend the BRICS summit, the "
            "ministry said. The summit, hosted by Russian President Vladimir Putin, runs from Oct. 22 to 24. "
            "Modi would hold bilateral meetings with BRICS counterparts, including Putin.")
    ms = upcoming(extract(extractor, text, published="2024-10-18T09:00:00+00:00"))
    putin = [m for m in ms if m.kind == "bilateral"]
    assert [(sorted(m.participants), m.location) for m in putin] == [(["Narendra Modi", "Vladimir Putin"], "Kazan")]


def test_a_hyphenated_city_is_the_whole_city(extractor):
    text = ("Prime Minister Gordon Brown will meet Prime Minister Patrick Manning at the National Academy for "
            "Performing Arts in Port-of-Spain on Friday, officials said.")
    ms = upcoming(extract(extractor, text, "2009-11-24"))
    assert [m.location for m in ms] == ["Port-of-Spain"]


def test_a_guest_welcomed_to_a_place_meets_there(extractor):
    text = ("U.S. President Joe Biden will welcome Kenyan President William Ruto to the White House for a state "
            "visit on May 23, the White House said on Friday.")
    ms = upcoming(extract(extractor, text, "2024-04-26"))
    assert [(set(m.participants), m.location, m.start) for m in ms] == [
        ({"Joe Biden", "William Ruto"}, "White House, Washington", date(2024, 5, 23))]


def test_where_refers_to_the_last_place_of_a_list(extractor):
    text = ("German Chancellor Olaf Scholz will pay a three-day visit to China in mid-April, a spokesperson said on "
            "Friday. He will visit Chongqing, Shanghai and Beijing, where he will meet President Xi Jinping on "
            "April 16.")
    ms = [m for m in upcoming(extract(extractor, text, "2024-03-22")) if "Xi Jinping" in m.participants]
    assert [(m.location, m.start) for m in ms] == [("Beijing", date(2024, 4, 16))]


def test_visiting_the_white_house_places_the_meeting_there(extractor):
    text = ("Israeli Prime Minister Benjamin Netanyahu is set to visit the White House on Feb. 4, becoming the first "
            "foreign leader to visit Trump in his second term.")
    ms = upcoming(extract(extractor, text, "2025-02-01"))
    assert [(m.location, m.start) for m in ms] == [("White House, Washington", date(2025, 2, 4))]


def test_the_hague_keeps_its_article(extractor):
    text = "The summit of NATO leaders will take place on 24-25 June in The Hague, the alliance said on Tuesday."
    assert [m.location for m in upcoming(extract(extractor, text, "2025-03-04"))] == ["The Hague"]


@pytest.mark.parametrize("text, place", [
    # a town the parse takes for a building keeps its state
    ("The Forty-Ninth Meeting of CARICOM Heads of Government will be held in Montego Bay, Jamaica, from July 6.",
     "Montego Bay, Jamaica"),
    # who hosts a gathering is where it is held ...
    ("Samoa will host the Commonwealth Heads of Government Meeting in October.", "Samoa"),
    ("The Government of Nepal is to host the Third Ministerial Meeting on Poverty Alleviation in 2026.", "Nepal"),
    ("The G7 summit, hosted by Italy, will open on June 13.", "Italy"),
    # ... unless the text names the city
    ("Japan will host the G7 summit in Hiroshima in May.", "Hiroshima"),
])
def test_the_place_of_a_gathering_from_its_host_or_its_town_and_state(extractor, sure_gatherings, text, place):
    ms = upcoming(extract(extractor, text, published="2025-06-01T09:00:00+00:00"))
    assert [m.location for m in ms] == [place]


def test_a_meeting_placed_in_a_state_is_in_the_one_city_of_it_the_article_names(extractor):
    text = ("Prime Minister Mahinda Rajapaksa leaves for New Delhi on Friday on a state visit to India. "
            "On Saturday he will hold talks with Prime Minister Narendra Modi in India.")
    ms = upcoming(extract(extractor, text))
    talks = [m for m in ms if "Narendra Modi" in m.participants]
    assert [m.location for m in talks] == ["New Delhi"]


def test_a_state_with_no_city_named_stays_the_place(extractor):
    text = ("President Lula will visit China next week, his office said. He will meet President Xi Jinping in China "
            "on Friday.")
    ms = upcoming(extract(extractor, text))
    assert [m.location for m in ms if "Xi Jinping" in m.participants] == ["China"]


@pytest.mark.parametrize("text, place", [
    # the purpose clause names another place, no venue: the journey's destination is
    ("President Marcelo Rebelo de Sousa will travel to Luanda on Friday to meet President Joao Lourenco and discuss "
     "energy projects in Mozambique.", "Luanda"),
    # the destination is the object of "reach", and the talks are in a clause joined to it
    ("Canadian Foreign Minister Melanie Joly reached Canberra on Monday morning and is scheduled to hold talks with "
     "Foreign Minister Penny Wong later that day.", "Canberra"),
    # "into": a journey's preposition the place rules did not read
    ("Kenyan President William Ruto flew into Lusaka on Monday for talks with President Hakainde Hichilema.", "Lusaka"),
    ("Chancellor Olaf Scholz will head to Vilnius on Wednesday for talks with President Gitanas Nauseda.", "Vilnius"),
])
def test_a_meeting_a_journey_is_for_is_held_where_the_journey_goes(extractor, text, place):
    article = Article(text=text, published=datetime(2025, 5, 12, 9, 0, tzinfo=timezone.utc), id="a")
    on = [m for m in extractor.extract_many([article])[0] if m.kind == "bilateral"]
    off = [m for m in extractor.extract_many([article], disabled={"journey destinations"})[0] if m.kind == "bilateral"]
    assert [m.location for m in on] == [place]
    assert [m.location for m in off] != [place]


@pytest.mark.parametrize("text", [
    "Foreign Minister Ana Costa will travel to Japan next week to meet Foreign Minister Takeshi Iwaya in Osaka.",
    "Foreign Minister Ana Costa will leave for Japan next week for talks with Foreign Minister Takeshi Iwaya, which "
    "will be held in Osaka.",
])
def test_the_meetings_own_place_beats_the_journeys_destination(extractor, text):
    ms = upcoming(extract(extractor, text, published="2025-05-12T09:00:00+00:00"))
    assert [m.location for m in ms if m.kind == "bilateral"] == ["Osaka"]


def test_a_journey_to_several_places_does_not_say_where_the_meeting_is(extractor):
    # which of the stops the meeting is at is not said: the journey gives the meeting none of them
    text = ("President Gustavo Petro will travel to Peru, Chile and Argentina next week to meet President Javier "
            "Milei and discuss mining projects in Bolivia.")
    article = Article(text=text, published=datetime(2025, 5, 12, 9, 0, tzinfo=timezone.utc), id="a")
    on = [m.to_json() for m in extractor.extract_many([article])[0]]
    assert on == [m.to_json() for m in extractor.extract_many([article], disabled={"journey destinations"})[0]]


def _located(extractor, text, published, disabled=frozenset()):
    """The rules' place of each upcoming meeting: the learned fill of places the rules leave open
    (bot.extract.placing, tests/test_placing.py) is off, so that a family switched off shows."""
    rules_only = Extractor(nlp=extractor.nlp, gazetteer=extractor.gazetteer,
                           thresholds=replace(extractor.thresholds, place=None))
    article = Article(text=text, published=datetime.fromisoformat(published), id="a")
    return {(m.kind, tuple(m.participants)): m.location for m in rules_only.extract_many([article], disabled=disabled)[0]
            if m.tense == "upcoming"}


def test_a_meeting_on_the_sidelines_of_a_summit_is_held_where_the_summit_is(extractor):
    # the summit's place is told a sentence after the meeting that is held at it
    text = ("President Lula will meet President Cyril Ramaphosa on October 23 on the sidelines of the BRICS summit. "
            "The BRICS summit will take place in Kazan from October 22 to 24.")
    pair = ("bilateral", ("Luiz Inácio Lula da Silva", "Cyril Ramaphosa"))
    assert _located(extractor, text, "2024-10-14T09:00:00+00:00")[pair] == "Kazan"
    assert _located(extractor, text, "2024-10-14T09:00:00+00:00", {"occasion dates"})[pair] is None


def test_a_meeting_at_a_summit_placed_in_a_state_is_in_the_summits_city(extractor):
    text = ("Prime Minister Narendra Modi will meet President Xi Jinping on the sidelines of the BRICS summit in Russia "
            "on October 23. The BRICS summit will take place in Kazan from October 22 to 24.")
    pair = ("bilateral", ("Narendra Modi", "Xi Jinping"))
    assert _located(extractor, text, "2024-10-14T09:00:00+00:00")[pair] == "Kazan"
    assert _located(extractor, text, "2024-10-14T09:00:00+00:00", {"occasion dates"})[pair] == "Russia"


@pytest.mark.parametrize("text, place, family", [
    # "here" on a meeting or journey word: the city of the dateline
    ("ACCRA, Ghana — The ECOWAS summit will be held here on Saturday, officials said.", "Accra", "continuation"),
    ("Accra, March 7 (GNA) - Leaders of West African states will gather here on Saturday for the ECOWAS summit.",
     "Accra", "continuation"),
    # who is to host a summit is where it is held
    ("Ghana is expected to host the ECOWAS summit next week.", "Ghana", "host places"),
    ("Ghana will take over the chair of ECOWAS this year and host the ECOWAS summit next week.", "Ghana",
     "host places"),
])
def test_a_summit_placed_by_here_or_by_its_host(extractor, text, place, family):
    assert _located(extractor, text, "2024-03-06T09:00:00+00:00") == {("multilateral", ()): place}
    assert _located(extractor, text, "2024-03-06T09:00:00+00:00", {family}) == {("multilateral", ()): None}


def test_here_where_a_statement_is_made_places_no_meeting(extractor):
    text = ("NAIROBI — President William Ruto told reporters here on Monday that he will meet President Yoweri "
            "Museveni on Friday.")
    assert _located(extractor, text, "2024-03-06T09:00:00+00:00") == {
        ("bilateral", ("William Ruto", "Yoweri Museveni")): None}


@pytest.mark.parametrize("text, city", [
    ("LUSAKA, Zambia — Leaders of the region meet on Friday.", "Lusaka"),
    ("Lusaka, March 7 (ZNBC) - Leaders of the region meet on Friday.", "Lusaka"),
    ("KIGALI, March 7. /TASS/. Leaders of the region meet on Friday.", "Kigali"),
    ("Tuesday, 7 March 2023\n\nLeaders of the region meet on Friday.", None),
    ("Leaders of the region meet on Friday in Lusaka.", None),
])
def test_the_dateline_city(extractor, text, city):
    from bot.extract.places import dateline_place

    assert dateline_place(text, extractor.gazetteer) == city
