"""The extractor on written articles: summits and meetings of bodies, their names, and the meetings
on their sidelines."""

from datetime import date

import pytest

from tests.extract_helpers import extract, upcoming


def test_on_the_sidelines_means_the_summit_the_article_is_about(extractor):
    text = ("Australian Prime Minister Anthony Albanese will attend the G20 summit in Rio de Janeiro on Nov. 18 "
            "and 19, his office said. Canberra is also arranging for Albanese to hold talks with Chinese President "
            "Xi Jinping on the sidelines, officials said.")
    ms = upcoming(extract(extractor, text, published="2024-11-08T09:00:00+00:00"))
    talks = [m for m in ms if set(m.participants) == {"Anthony Albanese", "Xi Jinping"}]
    assert len(talks) == 1
    assert (talks[0].start, talks[0].end) == (date(2024, 11, 18), date(2024, 11, 19))
    assert talks[0].location == "Rio de Janeiro"


def test_a_bodys_leaders_meeting_is_that_bodys_summit(extractor):
    text = ("Chilean President Gabriel Boric leaves Santiago on Wednesday for Jakarta, where ASEAN leaders will meet "
            "on Friday and Saturday.")
    ms = upcoming(extract(extractor, text))
    summit = [m for m in ms if m.kind == "multilateral"]
    assert len(summit) == 1 and "ASEAN" in summit[0].name
    assert (summit[0].start, summit[0].end) == (date(2024, 3, 8), date(2024, 3, 9))


def test_a_title_case_headline_names_no_summit(extractor):
    text = ("Kerry, Lavrov to Hold Bilateral Meeting in Belgrade This Week\n\n"
            "Secretary of State John Kerry and Foreign Minister Sergei Lavrov will meet in Belgrade on Thursday.")
    ms = upcoming(extract(extractor, text))
    assert ms and all(m.name is None for m in ms)


def test_an_acronym_in_brackets_still_names_the_summit(extractor):
    text = ("Finland's President Alexander Stubb is arranging with Swedish Prime Minister Ulf Kristersson to hold "
            "a meeting on the margins of the North Atlantic Treaty Organization (NATO) summit, which will take "
            "place in The Hague from the 24th to the 25th.")
    ms = upcoming(extract(extractor, text, published="2025-06-18T09:00:00+00:00"))
    summit = [m for m in ms if m.kind == "multilateral"]
    assert [(m.name, m.start, m.end) for m in summit] == [("NATO summit", date(2025, 6, 24), date(2025, 6, 25))]
    assert any(set(m.participants) == {"Alexander Stubb", "Ulf Kristersson"} for m in ms if m.kind == "bilateral")


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
    pairs = {frozenset(m.participants): m for m in ms if m.kind == "bilateral"}
    for other in ("Xi Jinping", "Kassym-Jomart Tokayev"):
        m = pairs[frozenset({"Narendra Modi", other})]
        assert (m.start, m.end) == (date(2025, 10, 6), date(2025, 10, 8))


def test_a_forum_without_a_name_or_a_leader_is_not_a_summit(extractor):
    text = "The chamber of commerce will hold a forum on regional trade in Mombasa on Friday, organisers said."
    assert upcoming(extract(extractor, text, "2025-09-22")) == []


def test_a_summit_held_by_video_is_a_summit_and_its_sherpas_meeting_another(extractor):
    text = ("Leaders of the G20 will hold an extraordinary virtual summit by video conference on Thursday, "
            "Saudi Arabia said on Monday. It will be preceded by a G20 sherpa video conference on Tuesday.")
    ms = upcoming(extract(extractor, text, "2020-03-23"))
    by_day = {m.start: m for m in ms}
    assert by_day[date(2020, 3, 26)].kind == "multilateral"
    assert by_day[date(2020, 3, 24)].kind == "multilateral"
    assert "sherpa" in by_day[date(2020, 3, 24)].name
    assert len(ms) == 2


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


def test_a_bodys_leaders_meeting_are_that_body_not_the_last_two_leaders(extractor):
    text = ("Ukrainian President Volodymyr Zelensky will meet U.S. President Joe Biden at the White House on "
            "Tuesday, the White House said on Sunday. In Brussels, EU leaders meet on Thursday and Friday for a "
            "summit at which they are due to decide on membership talks with Ukraine.")
    ms = upcoming(extract(extractor, text, "2023-12-11"))
    summit = next(m for m in ms if m.kind == "multilateral")
    assert summit.name == "European Council (EU summit)"
    assert "Joe Biden" not in summit.participants
    assert (summit.start, summit.end) == (date(2023, 12, 14), date(2023, 12, 15))


@pytest.mark.parametrize("text, name", [
    ("The G7 finance ministers will meet in Niigata on Thursday and Friday.", "G7 finance ministers meeting"),
    ("The ASEAN Economic Ministers meeting opens in Kuala Lumpur on Tuesday.", "ASEAN Economic Ministers meeting"),
])
def test_a_bodys_ministers_meeting_is_named_as_such_not_as_its_summit(extractor, text, name):
    ms = upcoming(extract(extractor, text, "2025-06-02"))
    assert [m.name for m in ms] == [name]


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


def test_a_body_spelled_out_is_that_body_and_its_name_is_no_place(extractor):
    text = ("Foreign ministers will discuss the Organization for Security and Cooperation in Europe meeting "
            "scheduled for the 12th and 13th, officials said on Thursday.")
    ms = upcoming(extract(extractor, text, "2021-12-30"))
    assert [(m.name, m.location, m.start, m.end) for m in ms] == [
        ("OSCE summit", None, date(2022, 1, 12), date(2022, 1, 13))]


def test_leaders_meeting_for_a_body_are_its_summit_but_two_leaders_meeting_at_it_are_theirs(extractor):
    ms = upcoming(extract(extractor, "Commonwealth leaders will meet for the CHOGM in Kigali on Friday.",
                          "2022-06-20"))
    assert [(m.kind, m.name) for m in ms] == [("multilateral", "Commonwealth Heads of Government Meeting (CHOGM)")]
    ms = upcoming(extract(extractor, "U.S. President Joe Biden will meet Chinese President Xi Jinping at APEC "
                          "in San Francisco on Wednesday.", "2023-11-10"))
    assert any(m.kind == "bilateral" and set(m.participants) == {"Joe Biden", "Xi Jinping"} for m in ms)


def test_a_bodys_leaders_who_gather_are_its_summit(extractor):
    text = "The leaders of the Group of Seven will gather in Kananaskis, Alberta, June 15-17, officials said."
    ms = upcoming(extract(extractor, text, "2025-06-03"))
    assert [(m.kind, m.name, m.location, m.start, m.end) for m in ms] == [
        ("multilateral", "G7 summit", "Kananaskis", date(2025, 6, 15), date(2025, 6, 17))]
    assert upcoming(extract(extractor, "Fans will gather in Kananaskis on June 15.", "2025-06-03")) == []


def test_a_bodys_ministers_named_after_the_body_name_its_meeting(extractor):
    text = ("Foreign ministers of the Association of Southeast Asian Nations will convene in Kuala Lumpur on "
            "July 8-11, Malaysia's foreign ministry said.")
    ms = upcoming(extract(extractor, text, "2025-07-01"))
    assert [(m.name, m.location) for m in ms] == [("ASEAN foreign ministers meeting", "Kuala Lumpur")]


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


def test_who_travels_for_a_summit_attends_it_when_the_body_is_spelled_out(extractor):
    text = ("U.S. President Joe Biden will travel to Indonesia next week for the Group of 20 summit in Bali on "
            "Nov. 15-16, the White House said on Thursday.")
    ms = upcoming(extract(extractor, text, "2022-11-10"))
    assert [(m.name, m.participants, m.location) for m in ms] == [("G20 summit", ["Joe Biden"], "Bali")]


def test_talks_named_by_their_number_of_parties_are_a_named_meeting(extractor):
    text = ("Foreign Minister Wang Yi said the four-party peace talks on the Korean peninsula will reopen in Geneva "
            "on Monday.")
    ms = upcoming(extract(extractor, text))
    assert [(m.name, m.start, m.location) for m in ms] == [("four-party peace talks", date(2024, 3, 11), "Geneva")]


def test_counted_talks_take_one_name_however_the_count_is_put(extractor):
    text = "Six-nation talks on the nuclear dispute will begin in Beijing on March 12, diplomats said."
    ms = upcoming(extract(extractor, text))
    assert [(m.name, m.start) for m in ms] == [("six-party talks", date(2024, 3, 12))]


def test_the_talks_after_counted_talks_are_those_talks(extractor):
    text = ("The three-way talks on water sharing broke down in January. The three countries - Egypt, Sudan and "
            "Ethiopia - have agreed to resume the talks on April 2.")
    ms = upcoming(extract(extractor, text))
    assert [(m.name, m.start) for m in ms] == [("three-party talks", date(2024, 4, 2))]


def test_a_count_of_states_that_does_not_name_the_talks_names_nothing(extractor):
    text = "Foreign Minister Wang Yi said the two countries will hold talks in Cairo on Monday."
    assert all(m.name is None for m in extract(extractor, text))
