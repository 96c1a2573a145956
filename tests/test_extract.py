"""The extractor on articles written for these tests (not the eval sets)."""

from datetime import date, datetime, timezone

import pytest

from bot.models import Article


def extract(extractor, text, published="2024-03-06T09:00:00+00:00"):
    return extractor.extract(Article(text=text, published=datetime.fromisoformat(published)))


def upcoming(meetings):
    return [m for m in meetings if m.tense == "upcoming"]


def test_phone_call_with_weekday_and_surname(extractor):
    text = ("German Chancellor Olaf Scholz will speak by phone with French President Emmanuel Macron on Friday, "
            "a government spokesman said on Wednesday. Scholz and Macron last met in Paris in January.")
    ms = upcoming(extract(extractor, text))  # published Wednesday 2024-03-06
    assert len(ms) == 1
    m = ms[0]
    assert m.kind == "phone_call"
    assert set(m.participants) == {"Olaf Scholz", "Emmanuel Macron"}
    assert (m.start, m.end) == (date(2024, 3, 8), date(2024, 3, 8))


def test_state_visit_and_bilateral_next_week(extractor):
    text = ("Indonesian President Joko Widodo will travel to Tokyo next week for talks with Japanese Prime Minister "
            "Fumio Kishida, the foreign ministry said. Widodo and Kishida are expected to discuss maritime "
            "security and investment.")
    ms = upcoming(extract(extractor, text))
    assert len(ms) == 1
    m = ms[0]
    assert set(m.participants) == {"Joko Widodo", "Fumio Kishida"}
    assert m.kind == "bilateral"
    assert (m.start, m.end) == (date(2024, 3, 11), date(2024, 3, 17))
    assert m.location == "Tokyo"


def test_named_summit_with_range_and_place(extractor):
    text = ("The G20 summit, scheduled for September 9 to 10 in New Delhi, will be attended by leaders of the "
            "world's largest economies, officials said on Monday.")
    ms = upcoming(extract(extractor, text, "2023-08-21"))
    summit = [m for m in ms if m.name]
    assert summit and summit[0].name == "G20 summit"
    assert summit[0].kind == "multilateral"
    assert (summit[0].start, summit[0].end) == (date(2023, 9, 9), date(2023, 9, 10))
    assert summit[0].location == "New Delhi"


def test_past_meeting_is_past(extractor):
    text = "Chinese President Xi Jinping met Brazilian President Luiz Inacio Lula da Silva in Beijing on Friday."
    ms = extract(extractor, text, "2023-04-16")
    assert ms and all(m.tense == "past" for m in ms)
    assert "Luiz Inácio Lula da Silva" in ms[0].participants


def test_cancelled_summit(extractor):
    text = ("President Joe Biden has called off his planned meeting with Australian Prime Minister Anthony "
            "Albanese in Sydney next week, the White House said on Tuesday.")
    ms = extract(extractor, text, "2023-05-16")
    assert ms and all(m.tense == "cancelled" for m in ms)


@pytest.mark.parametrize("text", [
    "The Global AI Summit will bring together technology executives in London next week, organisers said.",
    "The Federal Reserve meets next Wednesday and is expected to hold interest rates steady.",
    "Real Madrid will meet Liverpool in the Champions League final in Paris on Saturday.",
    "The shareholders' meeting of the company is scheduled for April 12 in Zurich.",
    "Former president Donald Trump will appear before a judge in Manhattan on Tuesday for a hearing.",
    "The union will hold talks with the employers' federation on Thursday over the wage dispute.",
    "President Emmanuel Macron will meet his cabinet on Wednesday to discuss the budget.",
])
def test_not_diplomatic_meetings(extractor, text):
    assert upcoming(extract(extractor, text)) == []


def test_text_without_dates_or_meetings(extractor):
    assert extract(extractor, "Rain is expected across the region. Temperatures will fall.") == []
    assert extract(extractor, "") == []


def test_article_without_date_is_refused(extractor):
    with pytest.raises(ValueError):
        extractor.extract(Article(text="Leaders will meet.", published=None))


def test_untrusted_long_article_is_bounded(extractor):
    text = ("Officials said nothing new. " * 40000)[:1_000_000]
    assert extract(extractor, text) == []


def test_a_later_weekday_in_a_plan_comes_after_the_earlier_one(extractor):
    text = ("Indian Prime Minister Narendra Modi will attend a dinner hosted by President Emmanuel Macron in Paris "
            "on Thursday evening, and the two leaders will hold formal talks on Friday, officials said Friday.")
    ms = upcoming(extract(extractor, text, "2024-03-08T09:00:00+00:00"))  # a Friday
    talks = [m for m in ms if m.start == date(2024, 3, 15)]
    assert talks and set(talks[0].participants) == {"Narendra Modi", "Emmanuel Macron"}


def test_leaders_named_only_by_their_states(extractor):
    # "the two countries' leaders": the heads of state the article names elsewhere.
    text = ("Tokyo will send its foreign minister to Beijing on Monday to prepare next month's summit of the two "
            "countries' leaders, a spokesman said. Japanese Prime Minister Fumio Kishida last met Chinese "
            "President Xi Jinping in San Francisco in November.")
    ms = upcoming(extract(extractor, text))
    summit = [m for m in ms if set(m.participants) == {"Fumio Kishida", "Xi Jinping"}]
    assert len(summit) == 1
    assert (summit[0].start, summit[0].end) == (date(2024, 4, 1), date(2024, 4, 30))


def test_a_date_takes_the_tense_of_its_own_verb(extractor):
    # The visit's clause is past ("has been decided"); "before Easter" hangs from "would happen".
    text = ("Kenyan President William Ruto is likely to meet French President Emmanuel Macron in the coming "
            "weeks, an aide said. No date for the visit has been decided yet, but it would happen "
            "before Easter, the aide added.")
    ms = upcoming(extract(extractor, text))
    assert len(ms) == 1
    assert set(ms[0].participants) == {"William Ruto", "Emmanuel Macron"}
    assert (ms[0].start, ms[0].end) == (date(2024, 3, 6), date(2024, 3, 30))  # Easter 2024: March 31


def test_meeting_verb_with_a_visit_in_apposition(extractor):
    # The parser hangs "his first visit" on "meet"; the meeting with the named person must survive.
    text = ("Qatari Emir Tamim bin Hamad Al Thani will meet President Joe Biden at the White House on Friday, his "
            "first visit to Washington in four years, officials said.")
    ms = upcoming(extract(extractor, text))
    assert [(m.kind, set(m.participants)) for m in ms] == [("bilateral", {"Tamim bin Hamad Al Thani", "Joe Biden"})]
    assert ms[0].start == date(2024, 3, 8)


def test_transliteration_variants_are_one_person(extractor):
    from bot.extract.gazetteer import load_gazetteer

    g = load_gazetteer()
    assert g.person("Mohammad bin Salman") == g.person("Muhammad bin Salman") == "Mohammed bin Salman"
    assert g.person("Volodymyr Zelenskyy") == "Volodymyr Zelensky"
    assert g.person("Kim Jong-nam") is None  # a different name is not pulled onto a known one


def test_a_cancellation_in_a_relative_clause_is_about_its_own_noun(extractor):
    text = ("Indian Foreign Minister Subrahmanyam Jaishankar will travel to Ottawa next week, the ministry said, "
            "rescheduling a trip that was called off in January after a diplomatic row.")
    ms = extract(extractor, text)
    assert [(m.kind, m.tense, m.location) for m in ms] == [("visit", "upcoming", "Ottawa")]
    assert (ms[0].start, ms[0].end) == (date(2024, 3, 11), date(2024, 3, 17))


def test_undated_meeting_takes_the_date_of_the_trip_before_it(extractor):
    text = ("British Foreign Secretary David Cameron will travel to Geneva on Friday to join talks with Iran on "
            "the nuclear programme. Cameron will meet Iranian Foreign Minister Hossein Amir-Abdollahian, the "
            "Foreign Office said.")
    ms = upcoming(extract(extractor, text))
    assert len(ms) == 1
    m = ms[0]
    assert set(m.participants) == {"David Cameron", "Hossein Amir-Abdollahian"}
    assert (m.start, m.location) == (date(2024, 3, 8), "Geneva")


def test_a_listed_itinerary_is_one_visit_per_country(extractor):
    text = ("U.S. Secretary of State Antony Blinken will visit Japan, South Korea and India next week, the State "
            "Department said.")
    ms = upcoming(extract(extractor, text))
    assert sorted(m.location for m in ms) == ["India", "Japan", "South Korea"]
    assert all(m.kind == "visit" and m.participants == ["Antony Blinken"] for m in ms)
    assert {(m.start, m.end) for m in ms} == {(date(2024, 3, 11), date(2024, 3, 17))}


def test_itinerary_legs_are_ordered_around_a_dated_meeting(extractor):
    text = ("Indian Prime Minister Narendra Modi will begin a tour next week that includes stops in Ghana, Brazil "
            "and Namibia. The tour runs from March 11 to 18, the foreign ministry said.\n\n"
            "In Brazil, Modi will meet President Luiz Inácio Lula da Silva in Brasilia from March 13 to 15.")
    ms = upcoming(extract(extractor, text))
    by_place = {m.location: m for m in ms}
    assert set(by_place) == {"Ghana", "Brasilia", "Namibia"}
    assert by_place["Brasilia"].kind == "bilateral"
    assert (by_place["Ghana"].start, by_place["Ghana"].end) == (date(2024, 3, 11), date(2024, 3, 13))
    assert (by_place["Namibia"].start, by_place["Namibia"].end) == (date(2024, 3, 15), date(2024, 3, 18))


def test_on_the_sidelines_means_the_summit_the_article_is_about(extractor):
    text = ("Australian Prime Minister Anthony Albanese will attend the G20 summit in Rio de Janeiro on Nov. 18 "
            "and 19, his office said. Canberra is also arranging for Albanese to hold talks with Chinese President "
            "Xi Jinping on the sidelines, officials said.")
    ms = upcoming(extract(extractor, text, published="2024-11-08T09:00:00+00:00"))
    talks = [m for m in ms if set(m.participants) == {"Anthony Albanese", "Xi Jinping"}]
    assert len(talks) == 1
    assert (talks[0].start, talks[0].end) == (date(2024, 11, 18), date(2024, 11, 19))
    assert talks[0].location == "Rio de Janeiro"


def test_video_talks_are_a_call(extractor):
    text = "Japanese Prime Minister Fumio Kishida and U.S. President Joe Biden will hold video talks on Friday."
    ms = upcoming(extract(extractor, text))
    assert [(m.kind, m.start) for m in ms] == [("phone_call", date(2024, 3, 8))]


def test_a_final_meeting_with_a_leader_named_by_title(extractor):
    # "final" here is no sports final; "the U.S. president" is the president the article names; the date in
    # the relative clause about him is not the meeting's.
    text = ("Japanese Prime Minister Shinzo Abe will visit Pearl Harbor in Hawaii later this month. The Japanese prime "
            "minister said on Monday that he would travel to Hawaii on Dec. 26 and 27 and hold what is expected to be "
            "a final meeting with the U.S. president, who leaves office on Jan. 20. The White House said President "
            "Barack Obama would accompany him.")
    ms = upcoming(extract(extractor, text, published="2016-12-06T09:00:00+00:00"))
    bilateral = [m for m in ms if m.kind == "bilateral"]
    assert [set(m.participants) for m in bilateral] == [{"Shinzo Abe", "Barack Obama"}]
    assert (bilateral[0].start, bilateral[0].end) == (date(2016, 12, 26), date(2016, 12, 27))


def test_states_at_war_are_not_parties_to_a_meeting(extractor):
    text = ("World leaders gather in New York next week for the U.N. General Assembly, where the wars in Gaza, "
            "Ukraine and Sudan will dominate talks.")
    ms = upcoming(extract(extractor, text))
    assert not any({"Ukraine", "Sudan"} <= set(m.participants) for m in ms)
    assert all(m.location != "Sudan" for m in ms)


def test_a_bodys_leaders_meeting_is_that_bodys_summit(extractor):
    text = ("Chilean President Gabriel Boric leaves Santiago on Wednesday for Jakarta, where ASEAN leaders will meet "
            "on Friday and Saturday.")
    ms = upcoming(extract(extractor, text))
    summit = [m for m in ms if m.kind == "multilateral"]
    assert len(summit) == 1 and "ASEAN" in summit[0].name
    assert (summit[0].start, summit[0].end) == (date(2024, 3, 8), date(2024, 3, 9))


def test_a_past_meeting_named_in_a_sentence_about_a_future_trip(extractor):
    text = ("Trump said after his meeting with Chinese President Xi Jinping in Busan on Oct. 30 that he would travel "
            "to China in April.")
    ms = extract(extractor, text, published="2026-01-12T09:00:00+00:00")
    busan = [m for m in ms if m.location == "Busan"]
    assert len(busan) == 1
    assert set(busan[0].participants) == {"Donald Trump", "Xi Jinping"}
    assert (busan[0].start, busan[0].tense) == (date(2025, 10, 30), "past")


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


def test_a_caption_line_does_not_run_into_the_next_name(extractor):
    text = ("Russia's Foreign Minister Sergei Lavrov and US Secretary of State John Kerry\n"
            "John Kerry and Sergei Lavrov are scheduled to meet in Belgrade on Thursday, an official said.")
    ms = upcoming(extract(extractor, text))
    assert [sorted(m.participants) for m in ms] == [["John Kerry", "Sergei Lavrov"]]


def test_a_title_case_headline_names_no_summit(extractor):
    text = ("Kerry, Lavrov to Hold Bilateral Meeting in Belgrade This Week\n\n"
            "Secretary of State John Kerry and Foreign Minister Sergei Lavrov will meet in Belgrade on Thursday.")
    ms = upcoming(extract(extractor, text))
    assert ms and all(m.name is None for m in ms)


def test_a_counterpart_named_in_apposition_is_one_meeting(extractor):
    text = ("Russian President Vladimir Putin will meet with his Turkish counterpart, Recep Tayyip Erdogan on "
            "August 27, when the latter is on a visit to Russia, the Kremlin said.")
    ms = upcoming(extract(extractor, text, published="2019-08-23T09:00:00+00:00"))
    assert [(sorted(m.participants), m.start) for m in ms] == [
        (["Recep Tayyip Erdogan", "Vladimir Putin"], date(2019, 8, 27))]


def test_the_conversation_after_a_phone_call_is_that_call(extractor):
    text = ("President Donald Trump and Russian President Vladimir Putin are expected to speak by phone on Saturday. "
            "Kellyanne Conway indicated during a television appearance Friday that the conversation between Trump "
            "and Putin would cover Syria.")
    ms = upcoming(extract(extractor, text, published="2017-01-27T09:00:00+00:00"))
    assert [(m.kind, m.start) for m in ms] == [("phone_call", date(2017, 1, 28))]


def test_sentences_run_together_without_a_space_are_split(extractor):
    from bot.extract.mentions import split_sentences
    pieces = [s for _, s in split_sentences("He gave no details on his trip.The visit comes as talks stall with Xi.North "
                                            "Korea said so. Visit Reuters.com today.")]
    assert pieces == ["He gave no details on his trip.", "The visit comes as talks stall with Xi.",
                      "North Korea said so.", "Visit Reuters.com today."]


def test_a_spouse_travelling_along_is_no_participant(extractor):
    text = ("South Korean President Yoon Suk Yeol and first lady Kim Keon Hee will depart next Wednesday for a "
            "three-day visit to San Francisco, where Yoon will meet Japanese Prime Minister Fumio Kishida.")
    ms = upcoming(extract(extractor, text, published="2023-11-08T09:00:00+00:00"))
    assert ms and all("Kim Keon Hee" not in m.participants for m in ms)


def test_he_in_a_subordinate_clause_is_the_traveller_and_initials_start_a_name(extractor):
    text = ("Prime Minister Narendra Modi will embark on a two-day State visit to Nepal on Friday during which he "
            "will hold discussions with his Nepali counterpart K P Sharma Oli.")
    ms = upcoming(extract(extractor, text, published="2018-05-09T09:00:00+00:00"))
    assert [(sorted(m.participants), m.location, m.start) for m in ms] == [
        (["K P Sharma Oli", "Narendra Modi"], "Nepal", date(2018, 5, 11))]


def test_an_embedded_posts_date_is_no_meeting_date(extractor):
    text = ("Prime Minister Narendra Modi will visit Nepal on Friday.\n"
            "I will be holding extensive talks with PM Oli on ways to deepen cooperation. "
            "— Narendra Modi (@narendramodi) May 10, 2018")
    ms = extract(extractor, text, published="2018-05-10T09:00:00+00:00")
    assert all(m.tense == "upcoming" for m in ms)
    assert date(2018, 5, 11) in {m.start for m in ms}


def test_talks_on_a_visit_are_held_at_its_destination(extractor):
    text = ("French President Emmanuel Macron is to pay a visit to Berlin on Friday for talks with Chancellor "
            "Angela Merkel, the German government announced.")
    ms = upcoming(extract(extractor, text, published="2021-06-15T09:00:00+00:00"))
    assert [(sorted(m.participants), m.location) for m in ms] == [(["Angela Merkel", "Emmanuel Macron"], "Berlin")]


def test_a_span_of_years_is_no_meeting_date(extractor):
    text = ("Indian Prime Minister Narendra Modi will meet Brazilian President Lula da Silva in Rome on June 3. "
            "\"Leaders will look at what was achieved in the past 10 years,\" an official said of the summit. "
            "There will be several bilateral meetings during the trip.")
    ms = upcoming(extract(extractor, text, published="2025-05-27T09:00:00+00:00"))
    assert all(m.start is None or m.start >= date(2025, 5, 27) for m in ms)
    assert [(m.start, m.location) for m in ms if any("Lula" in p for p in m.participants)] == [
        (date(2025, 6, 3), "Rome")]


def test_where_they_met_before_is_not_where_they_meet_next(extractor):
    text = ("Australian Prime Minister Anthony Albanese will meet Japanese Prime Minister Shigeru Ishiba in "
            "Canberra on Friday. The two leaders met in Lima in November at the APEC summit. Albanese will also "
            "meet New Zealand Prime Minister Christopher Luxon on Saturday during the trip.")
    ms = upcoming(extract(extractor, text, published="2025-03-04T09:00:00+00:00"))
    luxon = [m for m in ms if "Christopher Luxon" in m.participants]
    assert luxon and all(m.location != "Lima" for m in luxon)


def test_a_summit_is_dated_by_the_meeting_on_its_sidelines(extractor):
    text = ("Canadian Prime Minister Mark Carney and Indian Prime Minister Narendra Modi will meet on the "
            "sidelines of the G7 summit in Kananaskis on June 16, officials said Tuesday.")
    ms = upcoming(extract(extractor, text, published="2025-06-10T09:00:00+00:00"))
    assert sorted((m.kind, m.start) for m in ms) == [("bilateral", date(2025, 6, 16)),
                                                     ("multilateral", date(2025, 6, 16))]


def test_an_acronym_in_brackets_still_names_the_summit(extractor):
    text = ("Finland's President Alexander Stubb is arranging with Swedish Prime Minister Ulf Kristersson to hold "
            "a meeting on the margins of the North Atlantic Treaty Organization (NATO) summit, which will take "
            "place in The Hague from the 24th to the 25th.")
    ms = upcoming(extract(extractor, text, published="2025-06-18T09:00:00+00:00"))
    summit = [m for m in ms if m.kind == "multilateral"]
    assert [(m.name, m.start, m.end) for m in summit] == [("NATO summit", date(2025, 6, 24), date(2025, 6, 25))]
    assert any(set(m.participants) == {"Alexander Stubb", "Ulf Kristersson"} for m in ms if m.kind == "bilateral")


@pytest.mark.parametrize("text, published, statement_day", [
    # a date opening a report dates the report
    ("On Monday, Kyodo News reported that Prime Minister Shigeru Ishiba is seeking a meeting with "
     "South Korean President Lee Jae-myung.", "2025-06-10T09:00:00+00:00", date(2025, 6, 9)),
    # a date between speaker and verb dates the statement
    ("Prime Minister Mark Carney on Sunday said it is an honour that President Emmanuel Macron will be "
     "visiting the country.", "2025-06-01T09:00:00+00:00", date(2025, 6, 1)),
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


def test_the_attendee_of_a_forum_holds_the_meeting_planned_there(extractor):
    text = ("Indonesian President Prabowo Subianto said on Tuesday he would attend an investment forum to be held "
            "in St Petersburg next week and have talks with Russian President Vladimir Putin.")
    ms = upcoming(extract(extractor, text, published="2025-06-10T09:00:00+00:00"))
    assert any(set(m.participants) == {"Prabowo Subianto", "Vladimir Putin"} for m in ms)


def test_initials_do_not_end_a_sentence(extractor):
    from bot.extract.mentions import split_sentences

    text = "He will meet Vice President J.D. Vance on Monday. Then he flies home."
    assert [s for _, s in split_sentences(text)] == ["He will meet Vice President J.D. Vance on Monday.",
                                                      "Then he flies home."]


def test_a_summit_set_to_be_held_is_upcoming(extractor):
    text = ("Prime Minister Keir Starmer will hold several bilateral meetings on the sidelines of the G7 summit set "
            "to be held under Canada's presidency on June 15-17, officials said.")
    ms = extract(extractor, text, published="2025-06-10T09:00:00+00:00")
    summit = [m for m in ms if m.kind == "multilateral"]
    assert [(m.tense, m.start, m.end) for m in summit] == [("upcoming", date(2025, 6, 15), date(2025, 6, 17))]


def test_the_city_after_a_venue_is_the_place(extractor):
    text = "Peru will host the APEC summit at the Lima Convention Center at San Borja, Lima on November 15-16."
    ms = upcoming(extract(extractor, text, published="2024-11-01T09:00:00+00:00"))
    assert [m.location for m in ms if m.kind == "multilateral"] == ["Lima"]


def test_he_after_states_is_the_person_named_before_him(extractor):
    text = ("The leaders of Spain, Italy and Greece are planning to call German Chancellor Friedrich Merz before he has a "
            "phone conversation with French President Emmanuel Macron on Thursday.")
    ms = upcoming(extract(extractor, text, published="2025-05-19T09:00:00+00:00"))
    assert [(sorted(m.participants), m.start) for m in ms if m.start is not None] == [
        (["Emmanuel Macron", "Friedrich Merz"], date(2025, 5, 22))]


def test_a_meeting_with_a_state_and_one_with_its_leader_are_one_meeting(extractor):
    text = ("President Trump will hold a North Korea summit in Singapore on June 12. He will meet Kim Jong Un in "
            "Singapore on June 12.")
    ms = upcoming(extract(extractor, text, published="2025-05-20T09:00:00+00:00"))
    assert [(sorted(m.participants), m.start) for m in ms] == [(["Donald Trump", "Kim Jong-un"], date(2025, 6, 12))]


def test_he_is_the_person_the_previous_sentence_opens_with(extractor):
    text = ("President Emmanuel Macron met the U.S. Secretary of State, Marco Rubio, in Paris on Thursday. "
            "Rubio is on a three-day working visit. He is also expected to meet his French counterpart "
            "Jean-Noel Barrot on Friday.")
    ms = upcoming(extract(extractor, text, published="2025-04-17T09:00:00+00:00"))
    assert [sorted(m.participants) for m in ms] == [["Jean-Noel Barrot", "Marco Rubio"]]


def test_a_dateline_in_brackets_is_no_meeting_date(extractor):
    text = ("SEOUL (Asia News Service / Yonhap - 2nd March, 2025) The summit of Chinese Premier Li Qiang, Japanese "
            "Prime Minister Shigeru Ishiba and South Korean President Lee Jae-myung will be held in Seoul on March 20, "
            "officials said on Sunday.")
    ms = upcoming(extract(extractor, text, published="2025-03-02T09:00:00+00:00"))
    assert [m.start for m in ms] == [date(2025, 3, 20)]


def test_a_quoted_speaker_is_not_the_he_of_the_quote(extractor):
    text = ("\"Chancellor Merz will visit Japan on May 12-14. As part of the visit, he is going to meet Prime "
            "Minister Shigeru Ishiba on May 13,\" Chief Cabinet Secretary Yoshimasa Hayashi said.")
    ms = upcoming(extract(extractor, text, published="2025-05-01T09:00:00+00:00"))
    talks = [m for m in ms if m.kind == "bilateral"]
    assert [(sorted(m.participants), m.start, m.location) for m in talks] == [
        (["Friedrich Merz", "Shigeru Ishiba"], date(2025, 5, 13), "Japan")]


def test_each_leg_of_a_tour_stays_unless_a_meeting_is_placed_there(extractor):
    text = ("Prime Minister Narendra Modi will visit Ghana and Namibia from July 2 to 9. In Namibia he will "
            "meet President Netumbo Nandi-Ndaitwah on July 9.")
    ms = upcoming(extract(extractor, text, published="2025-06-27T09:00:00+00:00"))
    assert "Ghana" in {m.location for m in ms if m.kind == "visit"}


def test_a_spokesperson_announcing_a_visit_is_not_in_it(extractor):
    text = ("BEIJING, Nov. 3 -- Chinese Premier Li Qiang will pay an official visit to Singapore from Nov. 10 to 12 "
            "at the invitation of President of the Republic of Singapore Tharman Shanmugaratnam, foreign ministry "
            "spokesperson Mao Ning announced "
            "on Monday.")
    ms = upcoming(extract(extractor, text, published="2025-11-03T09:00:00+00:00"))
    assert all("Mao Ning" not in m.participants for m in ms)
    assert all(m.start != date(2025, 11, 3) for m in ms)


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


def test_calls_listed_with_as_well_as_are_one_call_each(extractor):
    text = ("A spokesman said Friday that Trump will speak with Vladimir Putin on Saturday as well as British Prime "
            "Minister Keir Starmer and French President Emmanuel Macron.")
    ms = upcoming(extract(extractor, text, published="2025-03-14T09:00:00+00:00"))
    assert sorted(tuple(sorted(m.participants)) for m in ms) == [
        ("Donald Trump", "Emmanuel Macron"), ("Donald Trump", "Keir Starmer"), ("Donald Trump", "Vladimir Putin")]


def test_a_gathering_of_leaders_at_a_body_is_that_body_and_a_dinner_ahead_of_it_is_elsewhere(extractor):
    text = ("German Chancellor Friedrich Merz is to visit Paris later this week for talks with President Emmanuel "
            "Macron. The two leaders will meet for dinner at the Elysee on Thursday evening ahead of the gathering "
            "of European Union heads at the European Council in Brussels on June 26 and 27.")
    ms = upcoming(extract(extractor, text, published="2025-06-23T09:00:00+00:00"))
    council = [m for m in ms if m.kind == "multilateral"]
    assert [(m.name, m.start, m.end, m.location) for m in council] == [
        ("European Council (EU summit)", date(2025, 6, 26), date(2025, 6, 27), "Brussels")]
    dinner = [m for m in ms if m.kind == "bilateral"]
    assert [(m.start, m.location) for m in dinner] and all(m.location != "Brussels" for m in dinner)


def test_a_body_in_a_headline_is_no_person(extractor):
    text = ("BRICS Set to Welcome All African Leaders to Summit\n\nThe next BRICS summit is due to be held in "
            "Johannesburg from 22 to 24 August.")
    ms = extract(extractor, text, published="2023-06-20T09:00:00+00:00")
    assert all(not any("BRICS" in p for p in m.participants) for m in ms)


def test_a_states_city_is_the_place_not_the_possessive(extractor):
    text = "The next G20 summit is due to be held in South Africa's Johannesburg from 22 to 23 November."
    ms = upcoming(extract(extractor, text, published="2025-06-20T09:00:00+00:00"))
    assert [m.location for m in ms] == ["Johannesburg"]


def test_a_meeting_asked_about_a_few_sentences_after_the_trip_takes_its_dates(extractor):
    text = ("Prime Minister Anthony Albanese will travel to Kuala Lumpur on Oct. 26-27 to attend the ASEAN summit, "
            "his office said on Friday. The summit, hosted by Malaysia, runs from Oct. 26 to 28. "
            "Officials said Albanese would hold several bilateral meetings. Asked whether Albanese would meet "
            "Chinese Premier Li Qiang, an official said the schedule was still being worked out.")
    ms = upcoming(extract(extractor, text, published="2025-10-17T09:00:00+00:00"))
    li = [m for m in ms if "Li Qiang" in m.participants]
    assert [(m.start, m.end) for m in li] == [(date(2025, 10, 26), date(2025, 10, 27))]


def test_the_i_of_a_quote_is_its_speaker_and_his_family_stays_out(extractor):
    text = ("\"Jill and I look forward to meeting with President Xi Jinping on Tuesday,\" Joe Biden said in a "
            "statement.")
    ms = upcoming(extract(extractor, text, published="2023-11-10T09:00:00+00:00"))
    assert [sorted(m.participants) for m in ms] == [["Joe Biden", "Xi Jinping"]]


def test_talks_during_which_clause_of_a_visit_take_its_place_and_length(extractor):
    text = ("Prime Minister Narendra Modi will embark on a two-day visit to Nepal on Friday, during which he will "
            "hold talks with his Nepali counterpart K P Sharma Oli.")
    ms = upcoming(extract(extractor, text, published="2018-05-09T09:00:00+00:00"))
    talks = [m for m in ms if "K P Sharma Oli" in m.participants]
    assert [(m.location, m.start, m.end) for m in talks] == [("Nepal", date(2018, 5, 11), date(2018, 5, 12))]


def test_a_meeting_officials_do_not_rule_out_is_possible_and_their_principals(extractor):
    text = ("U.S. Secretary of State Marco Rubio will travel to New Delhi this weekend, the State Department said. "
            "U.S. officials did not rule out a meeting with Prime Minister Narendra Modi but said none had been "
            "scheduled.")
    ms = upcoming(extract(extractor, text, published="2025-03-04T09:00:00+00:00"))
    modi = [m for m in ms if "Narendra Modi" in m.participants]
    assert [(sorted(m.participants), m.tense, m.certainty) for m in modi] == [
        (["Marco Rubio", "Narendra Modi"], "upcoming", "possible")]


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


def test_a_cancelled_planned_summit_keeps_its_planned_date_ahead(extractor):
    text = ("The White House said on Wednesday that President Barack Obama canceled his planned early September "
            "summit in Moscow with Russian President Vladimir Putin.")
    ms = extract(extractor, text, published="2013-08-08T09:00:00+00:00")
    assert [(m.tense, m.start, m.location) for m in ms] == [("cancelled", date(2013, 9, 1), "Moscow")]


def test_ministers_of_two_states_sitting_down_are_talks_between_the_states(extractor):
    text = ("The U.S. and Russian foreign and defense ministers will sit down in Washington later this week, "
            "Secretary of State Marco Rubio said.")
    ms = upcoming(extract(extractor, text, published="2025-08-05T09:00:00+00:00"))
    assert [(m.kind, sorted(m.participants), m.location) for m in ms] == [
        ("talks", ["Russia", "United States"], "Washington")]
    text = "Fans and players will sit down with the coach on Friday."
    assert upcoming(extract(extractor, text, published="2025-08-05T09:00:00+00:00")) == []


def test_a_headline_participle_is_not_a_past_tense(extractor):
    text = ("Phone Call Between President Biden, Chinese President Xi Jinping Scheduled This Afternoon\n\n"
            "President Biden will hold a phone conversation with Chinese President Xi Jinping this afternoon, "
            "the White House said.")
    ms = extract(extractor, text, published="2025-03-06T08:00:00+00:00")
    assert [(m.kind, m.tense) for m in ms] == [("phone_call", "upcoming")]


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


def test_a_meeting_during_a_trip_folded_into_talks_takes_the_trips_days(extractor):
    text = ("Indian Foreign Minister Subrahmanyam Jaishankar will travel to Japan next week for talks with his "
            "Japanese counterpart, Yoko Kamikawa, the ministry said Friday. Jaishankar will leave on Monday for a "
            "three-day visit, a spokesperson said. Exports rose in July.A source said Jaishankar could meet with "
            "Prime Minister Fumio Kishida during his stay in Tokyo.")
    ms = upcoming(extract(extractor, text, published="2024-03-01T09:00:00+00:00"))
    kishida = [m for m in ms if "Fumio Kishida" in m.participants]
    assert [(m.start, m.end, m.location) for m in kishida] == [(date(2024, 3, 4), date(2024, 3, 6), "Tokyo")]


def test_visits_to_two_states_on_touching_days_are_two_visits(extractor):
    text = ("Chinese President Xi Jinping will pay a state visit to Peru from Nov. 13 to 17, the ministry said. "
            "Xi will then pay a state visit to Brazil from Nov. 17 to 21.")
    ms = upcoming(extract(extractor, text, published="2024-11-08T09:00:00+00:00"))
    assert sorted((m.kind, m.location, m.start, m.end) for m in ms) == [
        ("visit", "Brazil", date(2024, 11, 17), date(2024, 11, 21)),
        ("visit", "Peru", date(2024, 11, 13), date(2024, 11, 17))]


def test_a_sideline_meeting_takes_the_summits_place_from_an_undated_mention(extractor):
    text = ("Prime Minister Narendra Modi will travel to the Russian city of Kazan to attend the BRICS summit, the "
            "ministry said. The summit, hosted by Russian President Vladimir Putin, runs from Oct. 22 to 24. "
            "Modi would hold bilateral meetings with BRICS counterparts, including Putin.")
    ms = upcoming(extract(extractor, text, published="2024-10-18T09:00:00+00:00"))
    putin = [m for m in ms if m.kind == "bilateral"]
    assert [(sorted(m.participants), m.location) for m in putin] == [(["Narendra Modi", "Vladimir Putin"], "Kazan")]


def test_one_call_dated_in_two_time_zones_is_one_call_over_both_days(extractor):
    text = ("U.S. President Joe Biden and Chinese President Xi Jinping will hold a video call on Monday evening, "
            "the White House said on Friday. China's foreign ministry confirmed the video call, saying it would "
            "take place on the morning of Nov. 16 Beijing time.")
    ms = upcoming(extract(extractor, text, published="2021-11-12T09:00:00+00:00"))
    assert [(m.kind, m.start, m.end) for m in ms] == [("phone_call", date(2021, 11, 15), date(2021, 11, 16))]
    text = ("Biden will speak by phone with Xi Jinping on Monday. Biden will speak by phone with Xi on Tuesday.")
    assert len(upcoming(extract(extractor, text, published="2021-11-12T09:00:00+00:00"))) == 2


def test_a_visit_which_ends_on_a_day_ends_that_day(extractor):
    text = ("Indonesian President Joko Widodo will lay a wreath at the memorial during his four-day visit to "
            "Japan, which ends next Saturday, the palace said.")
    ms = upcoming(extract(extractor, text, published="2024-03-06T09:00:00+00:00"))
    assert [(m.kind, m.start, m.end) for m in ms] == [("visit", date(2024, 3, 13), date(2024, 3, 16))]


def test_a_last_counterpart_after_a_comma_and_is_a_counterpart_too(extractor):
    text = ("On September 9, PM Narendra Modi will hold a bilateral meeting with UK counterpart Rishi Sunak, and "
            "Japanese PM Fumio Kishida.")
    ms = upcoming(extract(extractor, text, published="2023-09-08T09:00:00+00:00"))
    assert sorted(tuple(sorted(m.participants)) for m in ms) == [
        ("Fumio Kishida", "Narendra Modi"), ("Narendra Modi", "Rishi Sunak")]


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


def test_a_trip_before_heading_on_to_a_summit_is_a_trip_of_its_own(extractor):
    text = ("President Ramaphosa will travel to Kenya, Ethiopia and Egypt from March 3 before heading to Brazil "
            "for the BRICS summit.")
    ms = upcoming(extract(extractor, text, published="2025-02-20T09:00:00+00:00"))
    visits = sorted(m.location for m in ms if m.kind == "visit")
    assert visits == ["Egypt", "Ethiopia", "Kenya"]
    assert all(m.start == date(2025, 3, 3) for m in ms if m.kind == "visit")


def test_officials_an_envoy_also_meets_later_in_the_article_are_one_bilateral_each(extractor):
    text = ("Kenyan President William Ruto said on Monday that he will meet Donald Trump in Washington next week. "
            "The invitation came after a security pact was signed in Nairobi. "
            "Ruto called the pact a milestone for the region. "
            "Officials in Nairobi welcomed the news. "
            "Ruto said he is also scheduled to meet with Secretary of State Marco Rubio, Treasury Secretary "
            "Scott Bessent and U.S. Africa envoy Massad Boulos.")
    ms = upcoming(extract(extractor, text, "2025-06-02"))
    with_ruto = {frozenset(m.participants) - {"William Ruto"}: m for m in ms if "William Ruto" in m.participants}
    for other in ("Marco Rubio", "Scott Bessent", "Massad Boulos"):
        m = with_ruto[frozenset({other})]
        assert m.kind == "bilateral"
        assert (m.start, m.end) == (date(2025, 6, 9), date(2025, 6, 15))
        assert m.location == "Washington"


def test_a_stop_at_a_plant_during_a_visit_is_not_a_visit_of_its_own(extractor):
    text = ("Chancellor Friedrich Merz will hold talks with Indian Prime Minister Narendra Modi in New Delhi on "
            "Feb. 12, the government said. Berlin was also considering a visit by Merz to a Siemens turbine "
            "plant in Pune.")
    ms = upcoming(extract(extractor, text, "2026-02-02"))
    assert [m.location for m in ms if m.kind == "visit"] == []
    assert any(set(m.participants) == {"Friedrich Merz", "Narendra Modi"} for m in ms)


def test_a_leader_pulling_out_of_a_meeting_with_another_cancels_it(extractor):
    text = "U.S. President Donald Trump has pulled out of next week's meeting with Russian President Vladimir Putin."
    ms = extract(extractor, text, "2025-10-22")
    assert ms and all(m.tense == "cancelled" for m in ms)


def test_a_ministerial_of_a_body_is_a_multilateral_meeting_of_its_own(extractor):
    text = ("Secretary of State Antony Blinken and Ukrainian Foreign Minister Dmytro Kuleba will meet on the "
            "sidelines of the NATO ministerial, which takes place in Brussels on April 3-4, the State Department "
            "said on Monday.")
    ms = upcoming(extract(extractor, text, "2024-03-25"))
    ministerial = [m for m in ms if m.kind == "multilateral"]
    assert [m.name for m in ministerial] == ["NATO ministerial"]
    assert (ministerial[0].start, ministerial[0].end) == (date(2024, 4, 3), date(2024, 4, 4))
    assert ministerial[0].location == "Brussels"
    assert any(set(m.participants) == {"Antony Blinken", "Dmytro Kuleba"} for m in ms if m.kind == "bilateral")


def test_meetings_on_the_sidelines_of_a_named_forum_take_its_dates(extractor):
    text = ("Indian Prime Minister Narendra Modi will hold separate meetings with Chinese President Xi Jinping and "
            "Kazakh President Kassym-Jomart Tokayev on the sidelines of the Valdai Leaders Forum scheduled for "
            "October 6 to 8, officials said on Monday.")
    ms = upcoming(extract(extractor, text, "2025-09-22"))
    forum = [m for m in ms if m.kind == "multilateral"]
    assert [m.name for m in forum] == ["Valdai Leaders Forum"]
    pairs = {frozenset(m.participants): m for m in ms if m.kind == "bilateral"}
    for other in ("Xi Jinping", "Kassym-Jomart Tokayev"):
        m = pairs[frozenset({"Narendra Modi", other})]
        assert (m.start, m.end) == (date(2025, 10, 6), date(2025, 10, 8))


def test_a_forum_without_a_name_or_a_leader_is_not_a_summit(extractor):
    text = "The chamber of commerce will hold a forum on regional trade in Mombasa on Friday, organisers said."
    assert upcoming(extract(extractor, text, "2025-09-22")) == []


@pytest.mark.parametrize("text, names", [
    ("President Donald Trump will attend the G7 and NATO summits next month, the White House said on Monday.",
     {"G7 summit", "NATO summit"}),
    ("Prime Minister Anthony Albanese will attend the ASEAN-Australia and East Asia Summits in Kuala Lumpur "
     "next month, his office said on Monday.", {"ASEAN-Australia Summit", "East Asia Summit"}),
])
def test_summits_named_together_are_one_summit_each(extractor, text, names):
    ms = upcoming(extract(extractor, text, "2025-05-12"))
    summits = [m for m in ms if m.kind == "multilateral"]
    assert {m.name for m in summits} == names
    assert all((m.start, m.end) == (date(2025, 6, 1), date(2025, 6, 30)) for m in summits)


def test_a_summit_held_by_video_is_a_summit_and_its_sherpas_meeting_another(extractor):
    text = ("Leaders of the G20 will hold an extraordinary virtual summit by video conference on Thursday, "
            "Saudi Arabia said on Monday. It will be preceded by a G20 sherpa video conference on Tuesday.")
    ms = upcoming(extract(extractor, text, "2020-03-23"))
    by_day = {m.start: m for m in ms}
    assert by_day[date(2020, 3, 26)].kind == "multilateral"
    assert by_day[date(2020, 3, 24)].kind == "multilateral"
    assert "sherpa" in by_day[date(2020, 3, 24)].name
    assert len(ms) == 2


def test_a_state_visit_paid_around_a_summit_in_that_country_is_a_visit_of_its_own(extractor):
    text = ("Chinese President Xi Jinping will attend the APEC summit in Lima on Nov. 15 and 16 and pay a state visit "
            "to Peru from Nov. 13 to 17, the foreign ministry said on Friday.")
    ms = upcoming(extract(extractor, text, "2024-11-08"))
    assert {m.kind for m in ms} == {"multilateral", "visit"}
    visit = next(m for m in ms if m.kind == "visit")
    assert visit.location == "Peru" and (visit.start, visit.end) == (date(2024, 11, 13), date(2024, 11, 17))


def test_two_leaders_meet_even_when_business_leaders_are_also_on_the_list(extractor):
    text = ("Canadian Prime Minister Mark Carney will be in Tokyo on Wednesday and Thursday next week and meet "
            "with Japanese Prime Minister Shigeru Ishiba, lawmakers and Japanese business leaders, his office "
            "said on Tuesday.")
    ms = upcoming(extract(extractor, text, "2025-05-27"))
    m = next(m for m in ms if set(m.participants) == {"Mark Carney", "Shigeru Ishiba"})
    assert (m.start, m.end) == (date(2025, 6, 4), date(2025, 6, 5))


def test_a_leader_at_a_business_summit_is_still_no_diplomatic_meeting(extractor):
    text = "Prime Minister Mark Carney will meet CEOs at a business summit in Toronto on Thursday, his office said."
    assert upcoming(extract(extractor, text, "2025-05-27")) == []


def test_how_long_a_summit_lasts_said_in_another_sentence_stretches_its_day(extractor):
    text = ("The ECOWAS summit is set to open in Abuja on Sunday. "
            "Delegations arrived in the city on Friday ahead of the two-day summit.")
    ms = upcoming(extract(extractor, text, "2025-12-12"))
    summit = next(m for m in ms if m.name == "ECOWAS summit")
    assert (summit.start, summit.end) == (date(2025, 12, 14), date(2025, 12, 15))


def test_a_body_that_opens_an_office_is_no_summit(extractor):
    text = "NATO will open a liaison office in Tokyo on Friday, officials said."
    assert upcoming(extract(extractor, text, "2024-11-12")) == []


def test_the_presidents_meeting_at_a_summit_is_the_summit_not_a_bilateral(extractor):
    text = ("Today, at the Mercosur summit, President Luiz Inacio Lula da Silva will have breakfast with other "
            "presidents in Puerto Iguazu. Following the meal, the presidents and their ministers will hold a meeting.")
    ms = upcoming(extract(extractor, text, "2004-07-08"))
    assert [m.kind for m in ms] == ["multilateral"]


def test_bilateral_meetings_with_leaders_at_a_summit_are_kept(extractor):
    text = ("Prime Minister Narendra Modi will attend the SCO summit in Tianjin from August 31 to September 1. "
            "On the margins of the summit, the Prime Minister is expected to hold bilateral meetings with several "
            "of the leaders taking part.")
    ms = upcoming(extract(extractor, text, "2025-08-25"))
    assert any(m.kind == "bilateral" and m.participants == ["Narendra Modi"] for m in ms)


def test_a_visit_on_the_day_of_a_meeting_at_the_white_house_is_that_meeting(extractor):
    text = ("U.S. President Donald Trump will meet Ukrainian President Volodymyr Zelensky at the White House on "
            "Friday, October 17. Zelensky said he would travel to Washington on October 17 at Trump's invitation.")
    ms = upcoming(extract(extractor, text, "2025-10-14"))
    assert [m.kind for m in ms] == ["bilateral"]


def test_a_visit_from_a_day_with_no_span_around_it_starts_that_day(extractor):
    text = "Prime Minister Anthony Albanese will visit Japan from Nov 4, his office said on Monday."
    ms = upcoming(extract(extractor, text, "2025-10-13"))
    assert [(m.start, m.end) for m in ms] == [(date(2025, 11, 4), date(2025, 11, 4))]


def test_the_two_leaders_are_the_two_people_the_last_sentence_named(extractor):
    text = ("Kenyan President William Ruto will attend the assembly, and said on Sunday he would present his plan "
            "to Biden during a visit to Washington later in the week. U.S. officials said the two leaders would "
            "meet at the White House on Sept. 26.")
    ms = upcoming(extract(extractor, text, "2024-09-16"))
    m = next(m for m in ms if m.kind == "bilateral")
    assert set(m.participants) == {"William Ruto", "Joe Biden"} and m.start == date(2024, 9, 26)


def test_the_meeting_of_a_body_is_that_bodys_summit(extractor):
    text = ("More than 130 heads of state and government are expected in New York next week for the annual "
            "high-level meeting of the U.N. General Assembly.")
    ms = upcoming(extract(extractor, text, "2024-09-16"))
    assert [(m.kind, m.name, m.location) for m in ms] == [("multilateral", "UN General Assembly (UNGA)", "New York")]
    assert (ms[0].start, ms[0].end) == (date(2024, 9, 23), date(2024, 9, 29))


def test_a_summit_named_by_the_words_after_it_is_not_the_summit_named_before(extractor):
    text = ("World leaders will gather in New York next week for the U.N. General Assembly. "
            "A \"Summit of the Future\" on Sept. 22-23 will precede the debate.")
    ms = upcoming(extract(extractor, text, "2024-09-16"))
    future = next(m for m in ms if (m.start, m.end) == (date(2024, 9, 22), date(2024, 9, 23)))
    assert future.name == "Summit of the Future"


def test_a_date_in_a_since_clause_is_not_the_meetings(extractor):
    text = ("New Prime Minister Shigeru Ishiba will travel to Laos next week to attend summit meetings of the "
            "Association of Southeast Asian Nations, his first trip abroad since taking office on Tuesday, the "
            "government said Thursday.")
    ms = upcoming(extract(extractor, text, "2024-10-03"))
    assert ms and all((m.start, m.end) == (date(2024, 10, 7), date(2024, 10, 13)) for m in ms)


def test_a_bodys_leaders_meeting_are_that_body_not_the_last_two_leaders(extractor):
    text = ("Ukrainian President Volodymyr Zelensky will meet U.S. President Joe Biden at the White House on "
            "Tuesday, the White House said on Sunday. In Brussels, EU leaders meet on Thursday and Friday for a "
            "summit at which they are due to decide on membership talks with Ukraine.")
    ms = upcoming(extract(extractor, text, "2023-12-11"))
    summit = next(m for m in ms if m.kind == "multilateral")
    assert summit.name == "European Council (EU summit)"
    assert "Joe Biden" not in summit.participants
    assert (summit.start, summit.end) == (date(2023, 12, 14), date(2023, 12, 15))


def test_addressing_a_legislature_and_touring_a_factory_are_not_meetings(extractor):
    text = ("Prime Minister Fumio Kishida will address a joint meeting of Congress on Thursday, before travelling "
            "to North Carolina to visit a Toyota battery plant.")
    assert upcoming(extract(extractor, text, "2024-04-08")) == []


@pytest.mark.parametrize("text, name", [
    ("The G7 finance ministers will meet in Niigata on Thursday and Friday.", "G7 finance ministers meeting"),
    ("The ASEAN Economic Ministers meeting opens in Kuala Lumpur on Tuesday.", "ASEAN Economic Ministers meeting"),
])
def test_a_bodys_ministers_meeting_is_named_as_such_not_as_its_summit(extractor, text, name):
    ms = upcoming(extract(extractor, text, "2025-06-02"))
    assert [m.name for m in ms] == [name]


def test_an_office_is_nobodys_name(extractor):
    text = ("Secretary of State Condoleezza Rice will meet with the Foreign Minister of Saudi Arabia and the "
            "Secretary General of the Saudi National Security Council on Sunday.")
    ms = extract(extractor, text, "2006-07-21")
    assert all(p not in ("General", "Secretary General", "Foreign Minister") for m in ms for p in m.participants)
    assert any("Condoleezza Rice" in m.participants for m in ms)


def test_the_meeting_a_sentence_names_no_one_for_is_the_one_being_arranged(extractor):
    text = ("Egyptian Foreign Minister Badr Abdelatty said on Monday that he had spoken to Iranian Foreign "
            "Minister Abbas Araghchi and Israeli Foreign Minister Gideon Saar. \"We are working on organizing a "
            "meeting between Araghchi and Saar,\" Abdelatty told reporters. He added that it is "
            "possible to hold the meeting in the next two weeks.")
    ms = upcoming(extract(extractor, text, "2025-03-31"))
    assert [set(m.participants) for m in ms] == [{"Abbas Araghchi", "Gideon Saar"}]
    assert (ms[0].start, ms[0].end) == (date(2025, 3, 31), date(2025, 4, 14))


def test_a_day_of_a_summit_that_lasts_two_days_keeps_the_summits_two_days(extractor):
    text = ("The NATO summit, which starts on Tuesday in The Hague and lasts for two days, will be Mark Rutte's "
            "first as secretary general. The main focus is the North Atlantic Council meeting on June 25, at which "
            "heads of state will discuss defence spending.")
    ms = upcoming(extract(extractor, text, "2025-06-22"))
    assert [(m.name, m.start, m.end) for m in ms] == [("NATO summit", date(2025, 6, 24), date(2025, 6, 25))]


def test_a_meeting_named_by_an_institution_of_three_proper_nouns_is_named(extractor):
    text = ("Ministers will gather in Luxembourg for the Eastern Partnership Ministerial Council meeting on "
            "Monday, alongside foreign ministers of the member states.")
    ms = upcoming(extract(extractor, text, "2025-06-19"))
    assert [m.name for m in ms] == ["Eastern Partnership Ministerial Council meeting"]


def test_talks_of_one_leader_with_a_bodys_leaders_are_no_bilateral(extractor):
    text = ("The BRICS summit will be held in Johannesburg from 22 to 24 August. President Cyril Ramaphosa has "
            "invited all African leaders to come and have talks with BRICS leaders.")
    ms = upcoming(extract(extractor, text, "2023-07-20"))
    assert [m.kind for m in ms] == ["multilateral"]


def test_a_visit_earlier_this_year_is_past(extractor):
    text = ("Vice President Joe Biden will visit China from Aug 17 to 22. The visits were announced during Chinese "
            "President Hu Jintao's state visit to Washington earlier this year.")
    ms = extract(extractor, text, "2011-08-09")
    hu = [m for m in ms if m.participants == ["Hu Jintao"]]
    assert hu and all(m.tense == "past" for m in hu)


def test_a_body_spelled_out_is_that_body_and_its_name_is_no_place(extractor):
    text = ("Foreign ministers will discuss the Organization for Security and Cooperation in Europe meeting "
            "scheduled for the 12th and 13th, officials said on Thursday.")
    ms = upcoming(extract(extractor, text, "2021-12-30"))
    assert [(m.name, m.location, m.start, m.end) for m in ms] == [
        ("OSCE summit", None, date(2022, 1, 12), date(2022, 1, 13))]


def test_their_in_another_clause_does_not_add_the_last_two_leaders(extractor):
    text = ("North Korean leader Kim Jong Un met U.S. President Donald Trump in June. South Korean President Moon "
            "Jae-in told reporters that Kim could still visit Seoul before the end of the year, as agreed at their "
            "summit in Pyongyang in September.")
    ms = upcoming(extract(extractor, text, "2018-12-02"))
    seoul = next(m for m in ms if m.location == "Seoul")
    assert "Donald Trump" not in seoul.participants and "Kim Jong-un" in seoul.participants


def test_a_hyphenated_city_is_the_whole_city(extractor):
    text = ("Prime Minister Gordon Brown will meet Prime Minister Patrick Manning at the National Academy for "
            "Performing Arts in Port-of-Spain on Friday, officials said.")
    ms = upcoming(extract(extractor, text, "2009-11-24"))
    assert [m.location for m in ms] == ["Port-of-Spain"]


def test_leaders_meeting_for_a_body_are_its_summit_but_two_leaders_meeting_at_it_are_theirs(extractor):
    ms = upcoming(extract(extractor, "Commonwealth leaders will meet for the CHOGM in Kigali on Friday.",
                          "2022-06-20"))
    assert [(m.kind, m.name) for m in ms] == [("multilateral", "Commonwealth Heads of Government Meeting (CHOGM)")]
    ms = upcoming(extract(extractor, "U.S. President Joe Biden will meet Chinese President Xi Jinping at APEC "
                          "in San Francisco on Wednesday.", "2023-11-10"))
    assert any(m.kind == "bilateral" and set(m.participants) == {"Joe Biden", "Xi Jinping"} for m in ms)


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


def test_two_states_ministers_who_agreed_to_hold_talks_are_their_states(extractor):
    text = "Separately, the Thai and Cambodian prime ministers agreed to hold talks in Kuala Lumpur next week."
    ms = upcoming(extract(extractor, text, "2025-07-22"))
    assert [(set(m.participants), m.location) for m in ms] == [({"Thailand", "Cambodia"}, "Kuala Lumpur")]
    sport = "The Nigerian and Ghanaian football officials agreed to hold talks on the fixture on Tuesday."
    assert upcoming(extract(extractor, sport, "2025-07-22")) == []


def test_a_bodys_leaders_who_gather_are_its_summit(extractor):
    text = "The leaders of the Group of Seven will gather in Kananaskis, Alberta, June 15-17, officials said."
    ms = upcoming(extract(extractor, text, "2025-06-03"))
    assert [(m.kind, m.name, m.location, m.start, m.end) for m in ms] == [
        ("multilateral", "G7 summit", "Kananaskis", date(2025, 6, 15), date(2025, 6, 17))]
    assert upcoming(extract(extractor, "Fans will gather in Kananaskis on June 15.", "2025-06-03")) == []


def test_the_month_may_is_no_hedge_but_the_modal_is(extractor):
    ms = upcoming(extract(extractor, "G7 finance ministers will meet in Banff on May 20-22.", "2025-05-01"))
    assert [(m.name, m.certainty) for m in ms] == [("G7 finance ministers meeting", "confirmed")]
    ms = upcoming(extract(extractor, "Xi May Visit Russia In March\n\nChinese President Xi Jinping may visit Russia "
                          "in March, a Kremlin aide said.", "2025-02-01"))
    assert ms and all(m.certainty == "possible" for m in ms)


def test_a_bodys_ministers_named_after_the_body_name_its_meeting(extractor):
    text = ("Foreign ministers of the Association of Southeast Asian Nations will convene in Kuala Lumpur on "
            "July 8-11, Malaysia's foreign ministry said.")
    ms = upcoming(extract(extractor, text, "2025-07-01"))
    assert [(m.name, m.location) for m in ms] == [("ASEAN foreign ministers meeting", "Kuala Lumpur")]


def test_no_plans_to_meet_after_a_summit_was_put_on_hold_leaves_it_off(extractor):
    text = ("A planned summit between President Donald Trump and Russian President Vladimir Putin in Budapest "
            "has been put on hold, an official said on Tuesday. Trump had said last week that he would meet Putin "
            "in the Hungarian capital within two weeks. There are no plans for Trump to meet Putin in the "
            "immediate future, the official said.")
    ms = [m for m in extract(extractor, text, "2025-10-21") if "Vladimir Putin" in m.participants]
    assert [m.tense for m in ms] == ["cancelled"]


def test_each_counterpart_takes_the_date_said_after_it(extractor):
    text = ("Australian Prime Minister Anthony Albanese will meet President Xi Jinping in Beijing on July 15 and "
            "Premier Li Qiang the following day, his office said on Sunday.")
    ms = upcoming(extract(extractor, text, "2025-07-06"))
    assert sorted((m.participants[1], m.start) for m in ms) == [
        ("Li Qiang", date(2025, 7, 16)), ("Xi Jinping", date(2025, 7, 15))]
    text = ("Albanese will meet President Xi Jinping and Premier Li Qiang on Monday, and Foreign Minister Wang Yi "
            "on Tuesday.")
    ms = upcoming(extract(extractor, text, "2025-07-06"))
    assert sorted((m.participants[1], m.start.day) for m in ms) == [("Li Qiang", 7), ("Wang Yi", 8), ("Xi Jinping", 7)]


def test_a_guest_welcomed_to_a_place_meets_there(extractor):
    text = ("U.S. President Joe Biden will welcome Kenyan President William Ruto to the White House for a state "
            "visit on May 23, the White House said on Friday.")
    ms = upcoming(extract(extractor, text, "2024-04-26"))
    assert [(set(m.participants), m.location, m.start) for m in ms] == [
        ({"Joe Biden", "William Ruto"}, "White House, Washington", date(2024, 5, 23))]


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


def test_where_refers_to_the_last_place_of_a_list(extractor):
    text = ("German Chancellor Olaf Scholz will pay a three-day visit to China in mid-April, a spokesperson said on "
            "Friday. He will visit Chongqing, Shanghai and Beijing, where he will meet President Xi Jinping on "
            "April 16.")
    ms = [m for m in upcoming(extract(extractor, text, "2024-03-22")) if "Xi Jinping" in m.participants]
    assert [(m.location, m.start) for m in ms] == [("Beijing", date(2024, 4, 16))]


def test_a_headline_stays_apart_from_the_wire_dateline_paragraph(extractor):
    text = ("EU leaders to hold two-day summit starting Thursday\n\nBRUSSELS (Reuters) - European Union leaders "
            "will hold a two-day summit in Brussels starting on Thursday, officials said on Monday.")
    ms = upcoming(extract(extractor, text, "2025-03-03"))
    assert [(m.location, m.start, m.end, m.certainty) for m in ms] == [
        ("Brussels", date(2025, 3, 6), date(2025, 3, 7), "confirmed")]


def test_a_called_off_summit_was_ahead_and_a_state_that_names_it_is_its_other_side(extractor):
    text = ("Trump calls off June 12 North Korea summit in Singapore\n\nWASHINGTON — On Thursday morning, "
            "President Donald Trump cancelled the June 12 summit he had planned to hold with North Korean leader "
            "Kim Jong Un in Singapore.")
    ms = extract(extractor, text, "2018-05-24")
    assert [(set(m.participants), m.location, m.start, m.tense) for m in ms] == [
        ({"Donald Trump", "Kim Jong-un"}, "Singapore", date(2018, 6, 12), "cancelled")]


def test_separate_bilateral_talks_on_a_summits_occasion_are_one_meeting_each_then_and_there(extractor):
    text = ("Chinese Premier Li Qiang will travel to Seoul on May 26 for the first trilateral summit in more than four "
            "years, South Korea's presidential office said on Thursday. Li and Japanese Prime Minister Fumio Kishida "
            "will also hold separate bilateral talks with President Yoon Suk Yeol.")
    ms = [m for m in upcoming(extract(extractor, text, "2024-05-23")) if m.kind == "bilateral"]
    assert sorted((m.participants[0], m.participants[1], m.location, m.start, m.end) for m in ms) == [
        ("Fumio Kishida", "Yoon Suk Yeol", "Seoul", date(2024, 5, 26), date(2024, 5, 26)),
        ("Li Qiang", "Yoon Suk Yeol", "Seoul", date(2024, 5, 26), date(2024, 5, 26))]


def test_leaders_of_a_forum_are_not_its_name(extractor):
    text = ("Leaders of the Pacific Islands Forum will meet in Honiara, Solomon Islands, from Sept. 8 to 12, the "
            "forum secretariat said.")
    ms = upcoming(extract(extractor, text, "2025-08-20"))
    assert [(m.name, m.location) for m in ms] == [("Pacific Islands Forum", "Honiara")]


def test_an_adviser_named_after_the_title_is_a_person_who_meets(extractor):
    text = ("Chinese Foreign Minister Wang Yi will visit New Delhi on Monday and Tuesday for talks with his Indian "
            "counterpart S. Jaishankar and National Security Adviser Ajit Doval, the ministry said.")
    ms = upcoming(extract(extractor, text, "2025-08-15"))
    assert sorted(m.participants[1] for m in ms) == ["Ajit Doval", "S. Jaishankar"]


def test_a_later_verb_without_a_subject_shares_the_first_ones(extractor):
    text = ("United Nations Secretary-General Antonio Guterres will attend the BRICS summit in the Russian city of "
            "Kazan next week, his spokesman said on Friday, and is expected to meet President Vladimir Putin on the "
            "sidelines.")
    ms = [m for m in upcoming(extract(extractor, text, "2024-10-18")) if m.kind == "bilateral"]
    assert [set(m.participants) for m in ms] == [{"António Guterres", "Vladimir Putin"}]


def test_a_leader_who_receives_another_meets_him_but_receiving_a_thing_is_no_meeting(extractor):
    ms = upcoming(extract(extractor, "Chinese President Xi Jinping will receive U.S. President Donald Trump in "
                                     "Beijing in April, officials said.", "2025-11-20"))
    assert [(set(m.participants), m.location) for m in ms] == [({"Xi Jinping", "Donald Trump"}, "Beijing")]
    assert upcoming(extract(extractor, "President Biden will receive his annual physical at Walter Reed on Friday.",
                            "2025-02-10")) == []


def test_a_pair_of_leaders_names_their_meeting_and_what_was_scheduled_is_ahead(extractor):
    text = ("Officials from both countries are preparing for a Biden-Xi summit on the sidelines of the APEC meeting "
            "in San Francisco next month, a senior administration official said on Friday.")
    ms = [m for m in upcoming(extract(extractor, text, "2023-10-20")) if m.kind == "bilateral"]
    assert [(set(m.participants), m.name, m.location) for m in ms] == [
        ({"Joe Biden", "Xi Jinping"}, None, "San Francisco")]
    text = ("A meeting between Russian President Vladimir Putin and Turkish President Tayyip Erdogan has been "
            "scheduled for Sept. 4 in the Black Sea resort of Sochi, the Kremlin said.")
    ms = upcoming(extract(extractor, text, "2023-08-31"))
    assert [(m.location, m.start) for m in ms] == [("Sochi", date(2023, 9, 4))]


def test_visiting_the_white_house_places_the_meeting_there(extractor):
    text = ("Israeli Prime Minister Benjamin Netanyahu is set to visit the White House on Feb. 4, becoming the first "
            "foreign leader to visit Trump in his second term.")
    ms = upcoming(extract(extractor, text, "2025-02-01"))
    assert [(m.location, m.start) for m in ms] == [("White House, Washington", date(2025, 2, 4))]


def test_the_hague_keeps_its_article_and_a_visit_is_dated_by_the_next_sentence(extractor):
    text = "The summit of NATO leaders will take place on 24-25 June in The Hague, the alliance said on Tuesday."
    assert [m.location for m in upcoming(extract(extractor, text, "2025-03-04"))] == ["The Hague"]
    text = ("Kishida to visit Seoul\n\nJapanese Prime Minister Fumio Kishida will visit South Korea for talks with "
            "President Yoon Suk Yeol. The visit, his first since taking office, will run from Saturday through "
            "Monday, officials said.")
    ms = [m for m in upcoming(extract(extractor, text, "2023-05-03")) if m.kind == "visit"]
    assert [(m.start, m.end) for m in ms] == [(date(2023, 5, 6), date(2023, 5, 8))]


def test_who_travels_for_a_summit_attends_it_when_the_body_is_spelled_out(extractor):
    text = ("U.S. President Joe Biden will travel to Indonesia next week for the Group of 20 summit in Bali on "
            "Nov. 15-16, the White House said on Thursday.")
    ms = upcoming(extract(extractor, text, "2022-11-10"))
    assert [(m.name, m.participants, m.location) for m in ms] == [("G20 summit", ["Joe Biden"], "Bali")]


def test_a_call_after_another_call_is_a_call_of_its_own(extractor):
    text = ("U.S. President Donald Trump will speak by phone with Russian President Vladimir Putin on Tuesday "
            "morning, the White House said on Monday. Trump said he would also call Ukrainian President Volodymyr "
            "Zelenskiy after the call with Putin.")
    ms = upcoming(extract(extractor, text, "2025-03-17"))
    assert sorted((m.kind, m.participants[1], m.start) for m in ms) == [
        ("phone_call", "Vladimir Putin", date(2025, 3, 18)), ("phone_call", "Volodymyr Zelensky", date(2025, 3, 18))]


def test_a_second_verb_shares_the_first_ones_will(extractor):
    text = ("Southeast Asian leaders wrapped up their summit in Kuala Lumpur on Tuesday. The Philippines will chair "
            "ASEAN next year and host the leaders' summit in Manila in May.")
    ms = upcoming(extract(extractor, text, "2025-10-28"))
    assert [(m.location, m.start, m.end) for m in ms] == [("Manila", date(2026, 5, 1), date(2026, 5, 31))]


def test_hosting_him_means_the_guest_just_named(extractor):
    text = ("Saudi Crown Prince Mohammed bin Salman will visit the White House on Nov. 18, a White House official "
            "said. President Donald Trump is expected to host him for a dinner that evening.")
    ms = upcoming(extract(extractor, text, "2025-11-10"))
    assert [(set(m.participants), m.start) for m in ms] == [
        ({"Donald Trump", "Mohammed bin Salman"}, date(2025, 11, 18))]


def test_a_summit_named_by_its_two_sides_keeps_that_name_and_no_side_is_its_venue(extractor):
    text = ("British Prime Minister Keir Starmer will host European Commission President Ursula von der Leyen and "
            "European Council President Antonio Costa in London on May 19 for the first UK-EU summit since Brexit.")
    ms = upcoming(extract(extractor, text, "2025-05-12"))
    assert [(m.name, m.location) for m in ms] == [("UK-EU summit", "London")]
    ms = upcoming(extract(extractor, "The EU-China summit will be held in Beijing on July 24, officials said.",
                          "2025-07-10"))
    assert [(m.name, m.location, m.start) for m in ms] == [("EU-China summit", "Beijing", date(2025, 7, 24))]
