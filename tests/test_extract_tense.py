"""The extractor on written articles: upcoming, past or cancelled, and how certain."""

from datetime import date, datetime

import pytest

from bot.models import Article

from tests.extract_helpers import extract, upcoming


def test_a_cancellation_in_a_relative_clause_is_about_its_own_noun(extractor):
    text = ("Indian Foreign Minister Subrahmanyam Jaishankar will travel to Ottawa next week, the ministry said, "
            "rescheduling a trip that was called off in January after a diplomatic row.")
    ms = extract(extractor, text)
    assert [(m.kind, m.tense, m.location) for m in ms] == [("visit", "upcoming", "Ottawa")]
    assert (ms[0].start, ms[0].end) == (date(2024, 3, 11), date(2024, 3, 17))


def test_a_past_meeting_named_in_a_sentence_about_a_future_trip(extractor):
    text = ("Trump said after his meeting with Chinese President Xi Jinping in Busan on Oct. 30 that he would travel "
            "to China in April.")
    ms = extract(extractor, text, published="2026-01-12T09:00:00+00:00")
    busan = [m for m in ms if m.location == "Busan"]
    assert len(busan) == 1
    assert set(busan[0].participants) == {"Donald Trump", "Xi Jinping"}
    assert (busan[0].start, busan[0].tense) == (date(2025, 10, 30), "past")


def test_a_summit_set_to_be_held_is_upcoming(extractor):
    text = ("Prime Minister Keir Starmer will hold several bilateral meetings on the sidelines of the G7 summit set "
            "to be held under Canada's presidency on June 15-17, officials said.")
    ms = extract(extractor, text, published="2025-06-10T09:00:00+00:00")
    summit = [m for m in ms if m.kind == "multilateral"]
    assert [(m.tense, m.start, m.end) for m in summit] == [("upcoming", date(2025, 6, 15), date(2025, 6, 17))]


def test_a_meeting_officials_do_not_rule_out_is_possible_and_their_principals(extractor):
    text = ("U.S. Secretary of State Marco Rubio will travel to New Delhi this weekend, the State Department said. "
            "U.S. officials did not rule out a meeting with Prime Minister Narendra Modi but said none had been "
            "scheduled.")
    ms = upcoming(extract(extractor, text, published="2025-03-04T09:00:00+00:00"))
    modi = [m for m in ms if "Narendra Modi" in m.participants]
    assert [(sorted(m.participants), m.tense, m.certainty) for m in modi] == [
        (["Marco Rubio", "Narendra Modi"], "upcoming", "possible")]


def test_a_cancelled_planned_summit_keeps_its_planned_date_ahead(extractor):
    text = ("The White House said on Wednesday that President Barack Obama canceled his planned early September "
            "summit in Moscow with Russian President Vladimir Putin.")
    ms = extract(extractor, text, published="2013-08-08T09:00:00+00:00")
    assert [(m.tense, m.start, m.location) for m in ms] == [("cancelled", date(2013, 9, 1), "Moscow")]


def test_a_headline_participle_is_not_a_past_tense(extractor):
    text = ("Phone Call Between President Biden, Chinese President Xi Jinping Scheduled This Afternoon\n\n"
            "President Biden will hold a phone conversation with Chinese President Xi Jinping this afternoon, "
            "the White House said.")
    ms = extract(extractor, text, published="2025-03-06T08:00:00+00:00")
    assert [(m.kind, m.tense) for m in ms] == [("phone_call", "upcoming")]


def test_a_leader_pulling_out_of_a_meeting_with_another_cancels_it(extractor):
    text = "U.S. President Donald Trump has pulled out of next week's meeting with Russian President Vladimir Putin."
    ms = extract(extractor, text, "2025-10-22")
    assert ms and all(m.tense == "cancelled" for m in ms)


def test_a_visit_earlier_this_year_is_past(extractor):
    text = ("Vice President Joe Biden will visit China from Aug 17 to 22. The visits were announced during Chinese "
            "President Hu Jintao's state visit to Washington earlier this year.")
    ms = extract(extractor, text, "2011-08-09")
    hu = [m for m in ms if m.participants == ["Hu Jintao"]]
    assert hu and all(m.tense == "past" for m in hu)


def test_a_month_in_a_present_tense_clause_is_ahead_even_when_the_sentence_tells_the_past(extractor):
    text = ("The trip to Camp David in June is off for world leaders: on Thursday, President Donald Trump "
            "converted the scheduled G7 summit into a video conference.")
    ms = [m for m in extract(extractor, text, "2020-03-19") if m.kind == "visit"]
    assert ms and all((m.start, m.end) == (date(2020, 6, 1), date(2020, 6, 30)) for m in ms)


def test_what_leaders_agreed_to_hold_is_ahead_though_the_agreement_is_past(extractor):
    text = ("Thai Prime Minister Phumtham Wechayachai and Cambodian Prime Minister Hun Manet agreed on Monday to "
            "hold talks in Kuala Lumpur later this month, officials said.")
    ms = extract(extractor, text, "2025-07-22")
    talks = [m for m in ms if m.location == "Kuala Lumpur"]
    assert talks and all(m.tense == "upcoming" for m in talks)
    assert (talks[0].start, talks[0].end) == (date(2025, 7, 22), date(2025, 7, 31))


def test_the_month_may_is_no_hedge_but_the_modal_is(extractor):
    ms = upcoming(extract(extractor, "G7 finance ministers will meet in Banff on May 20-22.", "2025-05-01"))
    assert [(m.name, m.certainty) for m in ms] == [("G7 finance ministers meeting", "confirmed")]
    ms = upcoming(extract(extractor, "Xi May Visit Russia In March\n\nChinese President Xi Jinping may visit Russia "
                          "in March, a Kremlin aide said.", "2025-02-01"))
    assert ms and all(m.certainty == "possible" for m in ms)


def test_no_plans_to_meet_after_a_summit_was_put_on_hold_leaves_it_off(extractor):
    text = ("A planned summit between President Donald Trump and Russian President Vladimir Putin in Budapest "
            "has been put on hold, an official said on Tuesday. Trump had said last week that he would meet Putin "
            "in the Hungarian capital within two weeks. There are no plans for Trump to meet Putin in the "
            "immediate future, the official said.")
    ms = [m for m in extract(extractor, text, "2025-10-21") if "Vladimir Putin" in m.participants]
    assert [m.tense for m in ms] == ["cancelled"]


def test_a_called_off_summit_was_ahead(extractor):
    text = ("Trump calls off June 12 North Korea summit in Singapore\n\nWASHINGTON — On Thursday morning, "
            "President Donald Trump cancelled the June 12 summit he had planned to hold with North Korean leader "
            "Kim Jong Un in Singapore.")
    ms = extract(extractor, text, "2018-05-24")
    assert [(set(m.participants), m.start, m.tense) for m in ms] == [
        ({"Donald Trump", "Kim Jong-un"}, date(2018, 6, 12), "cancelled")]


def test_a_second_verb_shares_the_first_ones_will(extractor):
    text = ("Southeast Asian leaders wrapped up their summit in Kuala Lumpur on Tuesday. The Philippines will chair "
            "ASEAN next year and host the leaders' summit in Manila in May.")
    ms = upcoming(extract(extractor, text, "2025-10-28"))
    assert [(m.location, m.start, m.end) for m in ms] == [("Manila", date(2026, 5, 1), date(2026, 5, 31))]


def test_a_fronted_date_of_a_past_sentence_looks_back(extractor):
    # The date frames the whole sentence; the talks in its "where" clause were held then, not next February.
    text = ("In early February, the president flew to Beijing, where President Lula held talks with President Xi "
            "Jinping and attended the opening of the Winter Olympics.")
    ms = extract(extractor, text, published="2022-12-30T09:00:00+00:00")
    assert ms and all(m.tense == "past" and m.start.year == 2022 for m in ms if m.start is not None)


@pytest.mark.parametrize("text, day", [
    ("Secretary of State Colin Powell reached Buenos Aires on Wednesday for a first meeting with President Nestor "
     "Kirchner.", date(2024, 3, 6)),
    ("Secretary of State Colin Powell arrived in Buenos Aires on Tuesday for talks with President Nestor Kirchner "
     "on Friday.", date(2024, 3, 8)),
])
def test_a_meeting_a_journey_is_for_is_ahead_of_the_journey(extractor, text, day):
    ms = upcoming(extract(extractor, text))  # published Wednesday 2024-03-06
    talks = [m for m in ms if set(m.participants) == {"Colin Powell", "Nestor Kirchner"}]
    assert talks and talks[0].start == day


def test_a_summit_whose_days_began_before_publication_is_under_way_not_ahead(extractor):
    text = "The summit of the African Union is being held in Addis Ababa from March 4 to 7."
    ms = extract(extractor, text, published="2024-03-06T09:00:00+00:00")
    assert ms and not upcoming(ms)
    assert [(m.tense, m.start, m.end) for m in ms] == [("past", date(2024, 3, 4), date(2024, 3, 7))]


def test_a_vague_span_said_within_it_still_starts_on_the_day_of_publication(extractor):
    text = "Prime Minister Narendra Modi will meet President Joe Biden this week."
    ms = upcoming(extract(extractor, text, published="2024-03-06T09:00:00+00:00"))
    assert [(m.start, m.end) for m in ms] == [(date(2024, 3, 6), date(2024, 3, 10))]


def test_a_summit_postponed_with_no_new_date_is_cancelled(extractor, sure_gatherings):
    text = ("The Nordic-Baltic summit that Latvia was to host in Riga on November 14 has been postponed, the "
            "government said on Monday.")
    ms = extract(extractor, text, published="2025-10-20T09:00:00+00:00")
    assert [(m.name, m.tense, m.start) for m in ms] == [("Nordic-Baltic summit", "cancelled", date(2025, 11, 14))]


def test_a_summit_postponed_to_a_new_date_stays_ahead_on_that_date(extractor, sure_gatherings):
    text = ("The Nordic-Baltic summit that Latvia was to host in Riga on November 14 has been postponed to "
            "December 5, the government said on Monday.")
    ms = extract(extractor, text, published="2025-10-20T09:00:00+00:00")
    assert [(m.tense, m.start) for m in ms] == [("upcoming", date(2025, 12, 5))]


def test_a_visit_deferred_to_a_convenient_date_is_cancelled(extractor):
    text = ("Prime Minister Mark Carney's visit to Oslo, planned for next week, has been deferred to a mutually "
            "convenient date, the foreign ministry said.")
    ms = extract(extractor, text, published="2025-10-20T09:00:00+00:00")
    assert [(m.kind, m.tense, m.location) for m in ms] == [("visit", "cancelled", "Oslo")]


def test_a_trip_postponed_before_is_no_cancellation_of_the_trip_ahead(extractor):
    text = ("Finnish President Alexander Stubb will make a state visit to Estonia on Thursday, a year after the "
            "trip was postponed because of a storm.")
    ms = extract(extractor, text, published="2025-10-20T09:00:00+00:00")
    assert [(m.kind, m.tense, m.start) for m in ms] == [("visit", "upcoming", date(2025, 10, 23))]


def _tenses(extractor, text, published, disabled=frozenset()):
    article = Article(text=text, published=datetime.fromisoformat(published))
    return [(m.kind, m.tense) for m in extractor.extract_many([article], disabled=set(disabled))[0]
            if m.kind == "bilateral"]


@pytest.mark.parametrize("text", [
    "Prime Minister Keir Starmer, who had planned to meet President William Ruto in Nairobi on June 20, will stay "
    "in London for the budget.",
    "President Lula, who had been expected to meet President Javier Milei in Brasilia on June 20, will stay in Rio.",
    "Prime Minister Mark Carney, who had been due to meet President Claudia Sheinbaum in Mexico City on June 20, "
    "will stay in Ottawa.",
])
def test_a_plan_told_in_the_past_perfect_is_off_not_ahead(extractor, text):
    # the cue sits in a clause about a person, which the cancellation cues leave aside; the plan's own verb does not
    published = "2024-06-14T09:00:00+00:00"
    assert _tenses(extractor, text, published) == [("bilateral", "cancelled")]
    assert _tenses(extractor, text, published, {"unfulfilled plans"}) == [("bilateral", "upcoming")]


@pytest.mark.parametrize("text", [
    "Prime Minister Keir Starmer is due to meet President William Ruto in Nairobi on June 20.",
    "Prime Minister Keir Starmer, who has planned to meet President William Ruto in Nairobi on June 20, will fly "
    "out on Wednesday.",
    "Prime Minister Keir Starmer, who had not planned to meet anyone else, will meet President William Ruto in "
    "Nairobi on June 20.",
    "Officials said Prime Minister Keir Starmer will meet President William Ruto in Nairobi on June 20.",
])
def test_a_plan_still_standing_stays_upcoming(extractor, text):
    assert _tenses(extractor, text, "2024-06-14T09:00:00+00:00") == [("bilateral", "upcoming")]


@pytest.mark.parametrize("text", [
    "President Lula said on Monday that his planned June 20 summit in Brasilia with President Javier Milei would "
    "not go ahead.",
    "The June 20 meeting between President Lula and President Javier Milei in Brasilia will not be going ahead, "
    "officials said.",
    "Uruguay will no longer host the Mercosur summit in Montevideo on June 20, President Yamandu Orsi said.",
    "The government has decided not to host the Mercosur summit in Montevideo on June 20, President Yamandu Orsi "
    "said.",
    "The Mercosur summit in Montevideo on June 20 will not be held, President Yamandu Orsi said.",
    "Prime Minister Keir Starmer will no longer visit Kenya on June 20, his office said.",
])
def test_a_meeting_said_not_to_happen_is_cancelled(extractor, text):
    ms = extract(extractor, text, published="2024-06-10T09:00:00+00:00")
    assert ms and all(m.tense == "cancelled" for m in ms)
    off = extractor.extract_many([Article(text=text, published=datetime(2024, 6, 10, 9))],
                                 disabled={"cancellations"})[0]
    assert any(m.tense == "upcoming" for m in off)


@pytest.mark.parametrize("text", [
    "Argentina will not take part in the Mercosur summit in Montevideo on June 20, President Javier Milei said.",
    "The Mercosur summit in Montevideo will not be held until June 20, President Yamandu Orsi said.",
    "President Javier Milei's health will not hold up his meeting with President Lula in Brasilia on June 20.",
    "The Mercosur summit in Montevideo on June 20 will go ahead as planned, President Yamandu Orsi said.",
])
def test_a_meeting_still_held_stays_upcoming(extractor, text):
    ms = extract(extractor, text, published="2024-06-10T09:00:00+00:00")
    assert any(m.tense == "upcoming" for m in ms)
    assert not any(m.tense == "cancelled" for m in ms)


def test_a_trip_put_off_with_only_the_date_it_was_planned_for_is_cancelled(extractor):
    text = ("The presidency said on Monday that President Gustavo Petro had put off a trip to Japan planned for "
            "later this month.")
    ms = extract(extractor, text, published="2024-06-10T09:00:00+00:00")
    assert [(m.kind, m.tense) for m in ms] == [("visit", "cancelled")]
    off = extractor.extract_many([Article(text=text, published=datetime(2024, 6, 10, 9))],
                                 disabled={"open postponements"})[0]
    assert [(m.kind, m.tense) for m in off] == [("visit", "upcoming")]


def test_a_meeting_put_off_and_now_set_for_a_date_is_upcoming_then(extractor):
    text = ("The talks between Foreign Minister Penny Wong and Foreign Minister Wang Yi in Canberra have been "
            "postponed and are now set for June 20, officials said.")
    ms = extract(extractor, text, published="2024-06-10T09:00:00+00:00")
    assert ms and all(m.tense == "upcoming" for m in ms)


def test_a_summit_meant_for_one_date_and_moved_to_another_is_ahead_then(extractor):
    text = ("A Gulf summit that was meant to take place in Washington in April has been postponed to September, "
            "officials said.")
    ms = extract(extractor, text, published="2018-04-04T09:00:00+00:00")
    assert [(m.tense, m.start) for m in ms] == [("upcoming", date(2018, 9, 1))]
