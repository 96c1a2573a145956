"""The extractor on written articles: which dates a meeting takes, and which dates are not its own."""

from datetime import date, datetime

import pytest

from bot.models import Article
from tests.extract_helpers import extract, upcoming


def test_a_later_weekday_in_a_plan_comes_after_the_earlier_one(extractor):
    text = ("Indian Prime Minister Narendra Modi will attend a dinner hosted by President Emmanuel Macron in Paris "
            "on Thursday evening, and the two leaders will hold formal talks on Friday, officials said Friday.")
    ms = upcoming(extract(extractor, text, "2024-03-08T09:00:00+00:00"))  # a Friday
    talks = [m for m in ms if m.start == date(2024, 3, 15)]
    assert talks and set(talks[0].participants) == {"Narendra Modi", "Emmanuel Macron"}


def test_undated_meeting_takes_the_date_of_the_trip_before_it(extractor):
    text = ("British Foreign Secretary David Cameron will travel to Geneva on Friday to join talks with Iran on "
            "the nuclear programme. Cameron will meet Iranian Foreign Minister Hossein Amir-Abdollahian, the "
            "Foreign Office said.")
    ms = upcoming(extract(extractor, text))
    assert len(ms) == 1
    m = ms[0]
    assert set(m.participants) == {"David Cameron", "Hossein Amir-Abdollahian"}
    assert (m.start, m.location) == (date(2024, 3, 8), "Geneva")


ARRIVED = ("Foreign Minister Ernesto Araújo of Brazil arrived in Buenos Aires on Monday. His official programme "
           "continues on Wednesday. ")


def test_an_undated_meeting_takes_the_day_the_story_is_telling_of(extractor, learned_extractor):
    # Only when the sentence classifier says the sentence announces a meeting: the rules alone cannot tell.
    text = ARRIVED + "In the morning, Araújo will meet Argentine Foreign Minister Jorge Faurie."
    assert not [m for m in extract(extractor, text, "2025-05-12T09:00:00+00:00") if "Jorge Faurie" in m.participants]
    ms = upcoming(extract(learned_extractor, ARRIVED + "In the morning, Araújo will meet Argentine Foreign Minister Jorge "
                                               "Faurie at the Palacio San Martín.", "2025-05-12T09:00:00+00:00"))
    talks = [m for m in ms if "Jorge Faurie" in m.participants]
    assert len(talks) == 1
    assert (talks[0].start, talks[0].end) == (date(2025, 5, 14), date(2025, 5, 14))  # that Wednesday
    assert talks[0].dated_by == "context"  # no date of its own: the record says where its date came from


def test_an_undated_meeting_takes_the_place_the_story_is_in_with_its_day(learned_extractor):
    text = ("Foreign Minister Ernesto Araújo of Brazil will travel to Buenos Aires on Monday. His official programme "
            "continues on Wednesday. In the morning, Araújo will meet Argentine Foreign Minister Jorge Faurie.")
    ms = [m for m in upcoming(extract(learned_extractor, text, "2025-05-12T09:00:00+00:00"))
          if "Jorge Faurie" in m.participants]
    assert [(m.start, m.location, m.dated_by) for m in ms] == [(date(2025, 5, 14), "Buenos Aires", "context")]


@pytest.mark.parametrize("sentence", [
    "Araújo did not meet Argentine Foreign Minister Jorge Faurie during his last visit.",
    # a wish with no arrangement (SCHEMA.md: not a meeting); "would be open to a meeting" scores about even
    "Araújo says he remains open to talks with Argentine Foreign Minister Jorge Faurie.",
    "Faurie and Araújo met in Brasilia.",
])
def test_the_storys_day_dates_no_meeting_its_sentence_does_not_announce(learned_extractor, sentence):
    ms = extract(learned_extractor, ARRIVED + sentence, "2025-05-12T09:00:00+00:00")
    assert not [m for m in upcoming(ms) if "Jorge Faurie" in m.participants]


def test_itinerary_legs_are_ordered_around_a_dated_meeting(extractor):
    text = ("Indian Prime Minister Narendra Modi will visit Ghana, Brazil and Namibia on a tour next week. The tour runs from March 11 to 18, the foreign ministry said.\n\n"
            "In Brazil, Modi will meet President Luiz Inácio Lula da Silva in Brasilia from March 13 to 15.")
    ms = upcoming(extract(extractor, text))
    by_place = {m.location: m for m in ms}
    assert set(by_place) == {"Ghana", "Brasilia", "Namibia"}
    assert by_place["Brasilia"].kind == "bilateral"
    assert (by_place["Ghana"].start, by_place["Ghana"].end) == (date(2024, 3, 11), date(2024, 3, 13))
    assert (by_place["Namibia"].start, by_place["Namibia"].end) == (date(2024, 3, 15), date(2024, 3, 18))


def test_an_embedded_posts_date_is_no_meeting_date(extractor):
    text = ("Prime Minister Narendra Modi will visit Nepal on Friday.\n"
            "I will be holding extensive talks with PM Oli on ways to deepen cooperation. "
            "— Narendra Modi (@narendramodi) May 10, 2018")
    ms = extract(extractor, text, published="2018-05-10T09:00:00+00:00")
    assert all(m.tense == "upcoming" for m in ms)
    assert date(2018, 5, 11) in {m.start for m in ms}


def test_a_span_of_years_is_no_meeting_date(extractor):
    text = ("Indian Prime Minister Narendra Modi will meet Brazilian President Lula da Silva in Rome on June 3. "
            "\"Leaders will look at what was achieved in the past 10 years,\" an official said of the summit. "
            "There will be several bilateral meetings during the trip.")
    ms = upcoming(extract(extractor, text, published="2025-05-27T09:00:00+00:00"))
    assert all(m.start is None or m.start >= date(2025, 5, 27) for m in ms)
    assert [(m.start, m.location) for m in ms if any("Lula" in p for p in m.participants)] == [
        (date(2025, 6, 3), "Rome")]


@pytest.mark.parametrize("text, published, statement_day", [
    # a date opening a report dates the report
    ("On Monday, Kyodo News reported that Prime Minister Shigeru Ishiba is seeking a meeting with "
     "South Korean President Lee Jae-myung.", "2025-06-10T09:00:00+00:00", date(2025, 6, 9)),
    # a date between speaker and verb dates the statement
    ("Prime Minister Mark Carney on Sunday said it is an honour that President Emmanuel Macron will be "
     "visiting the country.", "2025-06-01T09:00:00+00:00", date(2025, 6, 1)),
    # a date inside the attribution, or hung on a briefing that opens the sentence
    ("According to the Defence Ministry in Seoul on Thursday, Defence Minister Shin Won-sik is scheduled to meet "
     "US Defense Secretary Lloyd Austin in Singapore.", "2024-05-30T09:00:00+00:00", date(2024, 5, 30)),
    ("Briefing the media on Thursday, spokesperson Meles Alem said Prime Minister Abiy Ahmed is expected to host "
     "President William Ruto.", "2024-02-08T09:00:00+00:00", date(2024, 2, 8)),
])
def test_a_statements_date_is_no_meeting_date(extractor, text, published, statement_day):
    ms = extract(extractor, text, published=published)
    assert all(m.start != statement_day for m in ms)


def test_how_long_a_summit_lasts_widens_its_day(extractor):
    text = ("The NATO summit, which opens in Vilnius on Thursday and lasts for two days, will focus on Ukraine, "
            "officials said.")
    ms = upcoming(extract(extractor, text, published="2025-07-21T09:00:00+00:00"))
    assert [(m.start, m.end) for m in ms if m.kind == "multilateral"] == [(date(2025, 7, 24), date(2025, 7, 25))]


def test_a_summit_opening_one_day_and_ending_another_is_one_summit(extractor):
    text = ("Leaders of the Group of 20 will gather for the G20 summit in Johannesburg on Saturday, the host "
            "government said. The two-day G20 summit will end on November 23.")
    ms = upcoming(extract(extractor, text, published="2025-11-17T09:00:00+00:00"))
    assert [(m.name, m.start, m.end) for m in ms if m.kind == "multilateral"] == [
        ("G20 summit", date(2025, 11, 22), date(2025, 11, 23))]


def test_a_dateline_in_brackets_is_no_meeting_date(extractor):
    text = ("SEOUL (Asia News Service / Yonhap - 2nd March, 2025) The summit of Chinese Premier Li Qiang, Japanese "
            "Prime Minister Shigeru Ishiba and South Korean President Lee Jae-myung will be held in Seoul on March 20, "
            "officials said on Sunday.")
    ms = upcoming(extract(extractor, text, published="2025-03-02T09:00:00+00:00"))
    assert [m.start for m in ms] == [date(2025, 3, 20)]


def test_a_meeting_ahead_of_which_someone_travels_takes_its_own_date(extractor):
    text = ("Prime Minister Keir Starmer will meet President Donald Trump in Washington next week, Downing Street "
            "said. Starmer is expected to fly to Washington on Sunday, ahead of a meeting with Trump at the White "
            "House the next day.")
    ms = upcoming(extract(extractor, text, published="2025-02-18T09:00:00+00:00"))
    assert [(sorted(m.participants), m.start, m.end) for m in ms if m.kind != "visit"] == [
        (["Donald Trump", "Keir Starmer"], date(2025, 2, 24), date(2025, 2, 24))]


def test_meetings_during_a_stay_of_n_days_span_the_stay(extractor):
    text = ("Indian External Affairs Minister S. Jaishankar left New Delhi on Sunday for Moscow for talks with "
            "Russian leaders.\nDuring his three-day stay in Moscow, Jaishankar is expected to meet with Foreign "
            "Minister Sergei Lavrov and First Deputy Prime Minister Denis Manturov.")
    ms = upcoming(extract(extractor, text, published="2025-08-17T09:00:00+00:00"))
    lavrov = [m for m in ms if "Sergei Lavrov" in m.participants]
    assert [(m.start, m.end, m.location) for m in lavrov] == [(date(2025, 8, 17), date(2025, 8, 19), "Moscow")]


def test_a_meeting_asked_about_a_few_sentences_after_the_trip_takes_its_dates(extractor):
    text = ("Prime Minister Anthony Albanese will travel to Kuala Lumpur on Oct. 26-27 to attend the ASEAN summit, "
            "his office said on Friday. The summit, hosted by Malaysia, runs from Oct. 26 to 28. "
            "Officials said Albanese would hold several bilateral meetings. Asked whether Albanese would meet "
            "Chinese Premier Li Qiang, an official said the schedule was still being worked out.")
    ms = upcoming(extract(extractor, text, published="2025-10-17T09:00:00+00:00"))
    li = [m for m in ms if "Li Qiang" in m.participants]
    assert [(m.start, m.end) for m in li] == [(date(2025, 10, 26), date(2025, 10, 27))]


def test_a_meeting_during_a_trip_folded_into_talks_takes_the_trips_days(extractor):
    text = ("Indian Foreign Minister Subrahmanyam Jaishankar will travel to Japan next week for talks with his "
            "Japanese counterpart, Yoko Kamikawa, the ministry said Friday. Jaishankar will leave on Monday for a "
            "three-day visit, a spokesperson said. Exports rose in July.A source said Jaishankar could meet with "
            "Prime Minister Fumio Kishida during his stay in Tokyo.")
    ms = upcoming(extract(extractor, text, published="2024-03-01T09:00:00+00:00"))
    kishida = [m for m in ms if "Fumio Kishida" in m.participants]
    assert [(m.start, m.end, m.location) for m in kishida] == [(date(2024, 3, 4), date(2024, 3, 6), "Tokyo")]


def test_a_visit_which_ends_on_a_day_ends_that_day(extractor):
    text = ("Indonesian President Joko Widodo will lay a wreath at the memorial during his four-day visit to "
            "Japan, which ends next Saturday, the palace said.")
    ms = upcoming(extract(extractor, text, published="2024-03-06T09:00:00+00:00"))
    assert [(m.kind, m.start, m.end) for m in ms] == [("visit", date(2024, 3, 13), date(2024, 3, 16))]


def test_a_summit_during_a_dated_visit_starts_on_the_visits_day(extractor):
    text = ("The presidential office said President Yoon Suk Yeol will depart next Wednesday for a three-day "
            "visit to San Francisco, during which the president will attend a summit of the APEC forum.")
    ms = upcoming(extract(extractor, text, published="2023-11-08T09:00:00+00:00"))
    apec = [m for m in ms if m.kind == "multilateral"]
    assert [(m.start, m.end, m.location) for m in apec] == [(date(2023, 11, 15), date(2023, 11, 17), "San Francisco")]


def test_a_date_hung_on_the_subject_of_a_report_dates_the_report(extractor):
    # The parser hangs "On the 20th" on the subject ("News"), not on "reported": still the report's day.
    text = ("President Lee Jae-myung is coordinating with Prime Minister Sanae Takaichi to hold talks on the "
            "sidelines of the APEC summit, which will be held in Gyeongju from the 31st to the 1st. "
            "On the 20th, South Korea's Yonhap News, citing government sources, reported that Lee is pushing for "
            "a meeting with Takaichi.")
    ms = upcoming(extract(extractor, text, published="2025-10-20T09:00:00+00:00"))
    assert [(m.start, m.end) for m in ms if m.kind == "bilateral"] == [(date(2025, 10, 31), date(2025, 11, 1))]


def test_how_long_a_summit_lasts_said_in_another_sentence_stretches_its_day(extractor):
    text = ("The ECOWAS summit is set to open in Abuja on Sunday. "
            "Delegations arrived in the city on Friday ahead of the two-day summit.")
    ms = upcoming(extract(extractor, text, "2025-12-12"))
    summit = next(m for m in ms if m.name == "ECOWAS summit")
    assert (summit.start, summit.end) == (date(2025, 12, 14), date(2025, 12, 15))


def test_a_visit_from_a_day_with_no_span_around_it_starts_that_day(extractor):
    text = "Prime Minister Anthony Albanese will visit Japan from Nov 4, his office said on Monday."
    ms = upcoming(extract(extractor, text, "2025-10-13"))
    assert [(m.start, m.end) for m in ms] == [(date(2025, 11, 4), date(2025, 11, 4))]


def test_a_date_in_a_since_clause_is_not_the_meetings(extractor):
    text = ("New Prime Minister Shigeru Ishiba will travel to Laos next week to attend summit meetings of the "
            "Association of Southeast Asian Nations, his first trip abroad since taking office on Tuesday, the "
            "government said Thursday.")
    ms = upcoming(extract(extractor, text, "2024-10-03"))
    assert ms and all((m.start, m.end) == (date(2024, 10, 7), date(2024, 10, 13)) for m in ms)


def test_a_day_of_a_summit_that_lasts_two_days_keeps_the_summits_two_days(extractor):
    text = ("The NATO summit, which starts on Tuesday in The Hague and lasts for two days, will be Mark Rutte's "
            "first as secretary general. The main focus is the North Atlantic Council meeting on June 25, at which "
            "heads of state will discuss defence spending.")
    ms = upcoming(extract(extractor, text, "2025-06-22"))
    assert [(m.name, m.start, m.end) for m in ms] == [("NATO summit", date(2025, 6, 24), date(2025, 6, 25))]


def test_an_ordinal_before_a_name_is_no_day_and_a_summit_travelled_to_is_there(extractor):
    text = ("Indian Prime Minister Narendra Modi will travel to Moscow on July 8-9 for the 22nd India-Russia annual "
            "summit with President Vladimir Putin, the foreign ministry said on Thursday.")
    ms = upcoming(extract(extractor, text, "2024-07-04"))
    assert [(m.location, m.start, m.end) for m in ms] == [("Moscow", date(2024, 7, 8), date(2024, 7, 9))]


def test_the_meeting_takes_its_own_date_not_the_arrivals(extractor):
    text = ("British Prime Minister Keir Starmer arrives in Washington on Wednesday for his first meeting with "
            "President Donald Trump at the White House on Thursday, Downing Street said.")
    ms = upcoming(extract(extractor, text, "2025-02-24"))
    assert [(m.kind, m.start) for m in ms] == [("bilateral", date(2025, 2, 27))]


@pytest.mark.parametrize("text, start, end", [
    ("Foreign Minister Penny Wong will travel to Fiji from May 3 to 5 to take part in the Pacific Islands Forum "
     "Foreign Ministers Meeting.", date(2024, 5, 3), date(2024, 5, 5)),
    ("President William Ruto will certainly visit Ethiopia next year to attend the IGAD Summit, his spokesman said.",
     date(2025, 1, 1), date(2025, 12, 31)),
])
def test_a_gathering_in_the_purpose_clause_of_a_dated_trip_takes_its_date(extractor, text, start, end):
    # the date hangs on the journey ('travel ... from May 3 to 5'); the gathering is what the journey is for
    named = [m for m in upcoming(extract(extractor, text)) if m.name]
    assert [(m.kind, m.start, m.end) for m in named] == [("multilateral", start, end)]


def test_a_gathering_the_traveller_attends_takes_the_trips_dates(extractor):
    text = ("Secretary of State Antony Blinken will travel to Brussels on April 3-4. Blinken will also attend the "
            "NATO foreign ministers' meeting there.")
    named = [m for m in upcoming(extract(extractor, text)) if m.name]
    assert [(m.kind, m.participants, m.start, m.end) for m in named] == [
        ("multilateral", ["Antony Blinken"], date(2024, 4, 3), date(2024, 4, 4))]


def test_a_gathering_the_trip_is_for_is_on_the_day_of_leaving_or_soon_after(extractor):
    # The day he leaves is not the summit's day: a flight, a stop, a time zone may lie between.
    text = "President Lula departs Thursday for New Zealand to attend the APEC summit in Auckland."
    ms = upcoming(extract(extractor, text, published="2025-03-04T09:00:00+00:00"))
    assert [(m.start, m.end) for m in ms] == [(date(2025, 3, 6), date(2025, 3, 9))]
    # "Heads of state meet": no one is leaving
    text = "Heads of state meet at the Andean Community summit in Lima from April 14 to 15."
    ms = upcoming(extract(extractor, text, published="2025-03-04T09:00:00+00:00"))
    assert [(m.start, m.end) for m in ms] == [(date(2025, 4, 14), date(2025, 4, 15))]


def test_the_day_a_statement_was_issued_is_not_the_meetings(extractor):
    text = ("The leaders of Germany, France and Britain will meet in Berlin, said a statement issued by the German "
            "government on Tuesday. German Chancellor Olaf Scholz, French President Emmanuel Macron and British Prime "
            "Minister Keir Starmer will also discuss trade.")
    ms = upcoming(extract(extractor, text, published="2024-05-30T09:00:00+00:00"))
    assert all(m.start != date(2024, 6, 4) for m in ms)


def test_a_meeting_set_at_a_leg_of_a_dated_tour_takes_the_tour_dates_not_a_later_month(extractor):
    # "In Helsinki, ..." comes after a September summit named in passing: the talks are on the tour to Finland.
    text = ("Secretary of State Maria Lopez will travel to Norway, Sweden and Finland from June 2 to June 6. The tour "
            "follows an election. Energy prices have fallen. Fishermen want new quotas. In Oslo, Lopez will meet "
            "Prime Minister Jonas Gahr Store. Later this year the summit in September will gather the alliance's "
            "leaders. In Helsinki, Lopez will hold talks with President Alexander Stubb.")
    ms = upcoming(extract(extractor, text, "2025-05-12T09:00:00+00:00"))
    talks = [m for m in ms if "Alexander Stubb" in m.participants]
    assert [(m.location, m.start, m.end) for m in talks] == [("Helsinki", date(2025, 6, 2), date(2025, 6, 6))]


@pytest.mark.parametrize("text, span", [
    # "for N days from" a day
    ("Foreign Minister Penny Wong will visit Indonesia for three days from Monday to hold talks with her "
     "counterpart Sugiono, her office said.", (date(2025, 5, 12), date(2025, 5, 14))),
    # a week told as a word
    ("Chilean President Gabriel Boric will begin a week-long state visit to China on Sunday, the foreign ministry "
     "said.", (date(2025, 5, 11), date(2025, 5, 17))),
    # "N days of" the meeting
    ("Prime Minister Mark Carney and President Emmanuel Macron will hold two days of talks from May 20, when "
     "Carney arrives in Paris.", (date(2025, 5, 20), date(2025, 5, 21))),
])
def test_a_length_told_in_words_stretches_the_day_it_starts(extractor, text, span):
    ms = upcoming(extract(extractor, text, "2025-05-07"))  # a Wednesday
    assert [(m.start, m.end) for m in ms] == [span]


def test_a_length_told_in_words_is_not_taken_from_a_past_span(extractor):
    text = ("Foreign Minister Penny Wong, who spent two days of talks in Jakarta last month, will meet her "
            "counterpart Sugiono in Canberra on Monday.")
    ms = upcoming(extract(extractor, text, "2025-05-07"))
    assert [(m.start, m.end) for m in ms] == [(date(2025, 5, 12), date(2025, 5, 12))]


def test_a_named_gathering_takes_the_length_its_own_sentence_gives(extractor, sure_gatherings):
    text = ("A two-day meeting of the India-Bangladesh Joint Consultative Commission will open in Dhaka on "
            "Tuesday, the foreign ministry said.")
    ms = upcoming(extract(extractor, text, "2025-05-07"))
    assert [(m.start, m.end) for m in ms if m.kind == "multilateral"] == [(date(2025, 5, 13), date(2025, 5, 14))]


def test_a_meeting_set_in_one_leg_of_a_tour_takes_that_legs_dates_not_the_last_legs(extractor):
    # "In Chile, ..." is set on the Chile leg ("this week"), not on the Peru leg told just before it.
    text = ("Swedish Foreign Minister Karin Lund will travel to Chile and Peru this week. Lund will fly to Peru on "
            "Tuesday for a two-day visit. In Chile, Lund will meet Chilean Foreign Minister Alberto van Klaveren.")
    ms = [m for m in upcoming(extract(extractor, text, "2024-03-04T09:00:00+00:00")) if m.kind == "bilateral"]
    assert len(ms) == 1 and set(ms[0].participants) == {"Karin Lund", "Alberto van Klaveren"}
    assert (ms[0].start, ms[0].end, ms[0].location) == (date(2024, 3, 4), date(2024, 3, 10), "Chile")
    off = extractor.extract_many([Article(text=text, published=datetime(2024, 3, 4, 9))], disabled={"trip scenes"})[0]
    assert [(m.start, m.end) for m in off if m.kind == "bilateral"] == [(date(2024, 3, 5), date(2024, 3, 6))]


def test_a_meeting_in_a_scene_of_a_dated_trip_does_not_take_another_events_date(extractor):
    # "the alliance summit in July" dates the summit, not the talks held in Brussels during the April trip.
    text = ("Australian Foreign Minister Mary Stone will travel to Brussels, Algiers and Rabat on April 8-12. In "
            "Brussels, Stone will meet NATO Secretary General Mark Rutte to discuss preparations for the alliance "
            "summit in July.")
    ms = upcoming(extract(extractor, text, "2024-03-04T09:00:00+00:00"))
    talks = [m for m in ms if set(m.participants) == {"Mary Stone", "Mark Rutte"}]
    assert len(talks) == 1 and (talks[0].start, talks[0].end) == (date(2024, 4, 8), date(2024, 4, 12))
    summits = [m for m in ms if m.kind == "multilateral"]
    assert all((m.start, m.end) == (date(2024, 7, 1), date(2024, 7, 31)) for m in summits)  # its own date kept
    off = extractor.extract_many([Article(text=text, published=datetime(2024, 3, 4, 9))], disabled={"trip scenes"})[0]
    assert [m.start for m in off if set(m.participants) == {"Mary Stone", "Mark Rutte"}] == [date(2024, 7, 1)]
