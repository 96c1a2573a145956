"""The extractor on written articles: calls, visits and trips, and what is no diplomatic meeting at all."""

from datetime import date

import pytest

from tests.extract_helpers import extract, upcoming


def test_a_listed_itinerary_is_one_visit_per_country(extractor):
    text = ("U.S. Secretary of State Antony Blinken will visit Japan, South Korea and India next week, the State "
            "Department said.")
    ms = upcoming(extract(extractor, text))
    assert sorted(m.location for m in ms) == ["India", "Japan", "South Korea"]
    assert all(m.kind == "visit" and m.participants == ["Antony Blinken"] for m in ms)
    assert {(m.start, m.end) for m in ms} == {(date(2024, 3, 11), date(2024, 3, 17))}


def test_video_talks_are_a_call(extractor):
    text = "Japanese Prime Minister Fumio Kishida and U.S. President Joe Biden will hold video talks on Friday."
    ms = upcoming(extract(extractor, text))
    assert [(m.kind, m.start) for m in ms] == [("phone_call", date(2024, 3, 8))]


def test_the_conversation_after_a_phone_call_is_that_call(extractor):
    text = ("President Donald Trump and Russian President Vladimir Putin are expected to speak by phone on Saturday. "
            "Kellyanne Conway indicated during a television appearance Friday that the conversation between Trump "
            "and Putin would cover Syria.")
    ms = upcoming(extract(extractor, text, published="2017-01-27T09:00:00+00:00"))
    assert [(m.kind, m.start) for m in ms] == [("phone_call", date(2017, 1, 28))]


def test_each_leg_of_a_tour_stays_unless_a_meeting_is_placed_there(extractor):
    text = ("Prime Minister Narendra Modi will visit Ghana and Namibia from July 2 to 9. In Namibia he will "
            "meet President Netumbo Nandi-Ndaitwah on July 9.")
    ms = upcoming(extract(extractor, text, published="2025-06-27T09:00:00+00:00"))
    assert "Ghana" in {m.location for m in ms if m.kind == "visit"}


def test_calls_listed_with_as_well_as_are_one_call_each(extractor):
    text = ("A spokesman said Friday that Trump will speak with Vladimir Putin on Saturday as well as British Prime "
            "Minister Keir Starmer and French President Emmanuel Macron.")
    ms = upcoming(extract(extractor, text, published="2025-03-14T09:00:00+00:00"))
    assert sorted(tuple(sorted(m.participants)) for m in ms) == [
        ("Donald Trump", "Emmanuel Macron"), ("Donald Trump", "Keir Starmer"), ("Donald Trump", "Vladimir Putin")]


def test_calling_on_a_president_is_a_meeting_and_calling_on_him_to_act_is_not(extractor):
    text = ("Prime Minister Anthony Albanese will hold talks with Prime Minister Narendra Modi in New Delhi on "
            "Tuesday. He will later call on President Droupadi Murmu, officials said.")
    ms = upcoming(extract(extractor, text, published="2025-03-03T09:00:00+00:00"))
    assert ["Anthony Albanese", "Droupadi Murmu"] in [sorted(m.participants) for m in ms]
    text = "The G7 called on President Vladimir Putin to withdraw his troops on Tuesday."
    assert upcoming(extract(extractor, text, published="2025-03-03T09:00:00+00:00")) == []


def test_visiting_a_shrine_is_not_a_visit(extractor):
    text = ("Prime Minister Sheikh Hasina will pay a four-day official visit to India from Monday. She will also "
            "visit the shrine of Sufi saint Khwaja Moinuddin Chishti in Ajmer on the last day.")
    ms = upcoming(extract(extractor, text, published="2022-09-01T09:00:00+00:00"))
    assert [m.location for m in ms if m.kind == "visit"] == ["India"]


def test_visits_to_two_states_on_touching_days_are_two_visits(extractor):
    text = ("Chinese President Xi Jinping will pay a state visit to Peru from Nov. 13 to 17, the ministry said. "
            "Xi will then pay a state visit to Brazil from Nov. 17 to 21.")
    ms = upcoming(extract(extractor, text, published="2024-11-08T09:00:00+00:00"))
    assert sorted((m.kind, m.location, m.start, m.end) for m in ms) == [
        ("visit", "Brazil", date(2024, 11, 17), date(2024, 11, 21)),
        ("visit", "Peru", date(2024, 11, 13), date(2024, 11, 17))]


def test_a_trip_before_heading_on_to_a_summit_is_a_trip_of_its_own(extractor):
    text = ("President Ramaphosa will travel to Kenya, Ethiopia and Egypt from March 3 before heading to Brazil "
            "for the BRICS summit.")
    ms = upcoming(extract(extractor, text, published="2025-02-20T09:00:00+00:00"))
    visits = sorted(m.location for m in ms if m.kind == "visit")
    assert visits == ["Egypt", "Ethiopia", "Kenya"]
    assert all(m.start == date(2025, 3, 3) for m in ms if m.kind == "visit")


def test_a_stop_at_a_plant_during_a_visit_is_not_a_visit_of_its_own(extractor):
    text = ("Chancellor Friedrich Merz will hold talks with Indian Prime Minister Narendra Modi in New Delhi on "
            "Feb. 12, the government said. Berlin was also considering a visit by Merz to a Siemens turbine "
            "plant in Pune.")
    ms = upcoming(extract(extractor, text, "2026-02-02"))
    assert [m.location for m in ms if m.kind == "visit"] == []
    assert any(set(m.participants) == {"Friedrich Merz", "Narendra Modi"} for m in ms)


def test_a_state_visit_paid_around_a_summit_in_that_country_is_a_visit_of_its_own(extractor):
    text = ("Chinese President Xi Jinping will attend the APEC summit in Lima on Nov. 15 and 16 and pay a state visit "
            "to Peru from Nov. 13 to 17, the foreign ministry said on Friday.")
    ms = upcoming(extract(extractor, text, "2024-11-08"))
    assert {m.kind for m in ms} == {"multilateral", "visit"}
    visit = next(m for m in ms if m.kind == "visit")
    # in the one city of Peru the article names ('city of the state'), Peru itself the alternative
    assert (visit.location, visit.alt_locations) == ("Lima", ["Peru"])
    assert (visit.start, visit.end) == (date(2024, 11, 13), date(2024, 11, 17))


def test_a_leader_at_a_business_summit_is_still_no_diplomatic_meeting(extractor):
    text = "Prime Minister Mark Carney will meet CEOs at a business summit in Toronto on Thursday, his office said."
    assert upcoming(extract(extractor, text, "2025-05-27")) == []


def test_a_visit_on_the_day_of_a_meeting_at_the_white_house_is_that_meeting(extractor):
    text = ("U.S. President Donald Trump will meet Ukrainian President Volodymyr Zelensky at the White House on "
            "Friday, October 17. Zelensky said he would travel to Washington on October 17 at Trump's invitation.")
    ms = upcoming(extract(extractor, text, "2025-10-14"))
    assert [m.kind for m in ms] == ["bilateral"]


def test_addressing_a_legislature_and_touring_a_factory_are_not_meetings(extractor):
    text = ("Prime Minister Fumio Kishida will address a joint meeting of Congress on Thursday, before travelling "
            "to North Carolina to visit a Toyota battery plant.")
    assert upcoming(extract(extractor, text, "2024-04-08")) == []


def test_a_leader_who_receives_another_meets_him_but_receiving_a_thing_is_no_meeting(extractor):
    ms = upcoming(extract(extractor, "Chinese President Xi Jinping will receive U.S. President Donald Trump in "
                                     "Beijing in April, officials said.", "2025-11-20"))
    assert [(set(m.participants), m.location) for m in ms] == [({"Xi Jinping", "Donald Trump"}, "Beijing")]
    assert upcoming(extract(extractor, "President Biden will receive his annual physical at Walter Reed on Friday.",
                            "2025-02-10")) == []


def test_a_call_after_another_call_is_a_call_of_its_own(extractor):
    text = ("U.S. President Donald Trump will speak by phone with Russian President Vladimir Putin on Tuesday "
            "morning, the White House said on Monday. Trump said he would also call Ukrainian President Volodymyr "
            "Zelenskiy after the call with Putin.")
    ms = upcoming(extract(extractor, text, "2025-03-17"))
    assert sorted((m.kind, m.participants[1], m.start) for m in ms) == [
        ("phone_call", "Vladimir Putin", date(2025, 3, 18)), ("phone_call", "Volodymyr Zelensky", date(2025, 3, 18))]


def test_a_known_bodys_business_summit_is_no_summit_of_the_body(extractor):
    # "APEC" is a body the gazetteer knows; its CEO summit is business all the same
    text = "The APEC CEO Summit will be held in Lima on November 13, organisers said."
    assert upcoming(extract(extractor, text)) == []


CO_CHAIR = ("Defence Minister Richard Marles will co-chair the annual defence dialogue with his counterpart Gen "
            "Nakatani on Thursday.")


def test_a_sentence_the_rules_cannot_read_is_proposed_to_the_classifier(extractor, learned_extractor):
    # No trigger reads 'co-chair ... with': the sentence's two people make a meeting only the classifier can keep.
    assert extract(extractor, CO_CHAIR) == []
    ms = upcoming(extract(learned_extractor, CO_CHAIR, "2025-05-12T09:00:00+00:00"))
    assert [(set(m.participants), m.start, m.found_by) for m in ms] == [
        ({"Richard Marles", "Gen Nakatani"}, date(2025, 5, 15), "classifier")]


@pytest.mark.parametrize("text", [
    "Defence Minister Richard Marles co-chaired the annual defence dialogue with his counterpart Gen Nakatani "
    "last Thursday.",
    "Defence Minister Richard Marles praised his counterpart Gen Nakatani on Thursday for the new agreement.",
])
def test_the_classifier_keeps_no_past_or_idle_sentence(learned_extractor, text):
    assert upcoming(extract(learned_extractor, text, "2025-05-12T09:00:00+00:00")) == []


def test_a_sentence_the_classifier_keeps_has_the_place_it_names(learned_extractor):
    text = CO_CHAIR.replace(" on Thursday", " in Tokyo on Thursday")
    ms = upcoming(extract(learned_extractor, text, "2025-05-12T09:00:00+00:00"))
    assert [(m.location, m.found_by) for m in ms] == [("Tokyo", "classifier")]


def test_a_capitalised_state_visit_is_a_visit_not_a_summit_named_state_visit(extractor):
    text = ("President Droupadi Murmu will begin a three-day State Visit to Portugal on Monday, the Ministry of "
            "External Affairs said.")
    ms = upcoming(extract(extractor, text))
    assert ms and all(m.kind == "visit" and m.name is None for m in ms)
    assert [m.participants for m in ms] == [["Droupadi Murmu"]]
