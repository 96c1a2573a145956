"""The extractor on written articles: who takes part (names, titles, pronouns, quotes, states)."""

from datetime import date

from tests.extract_helpers import extract, upcoming


def test_leaders_named_only_by_their_states(extractor):
    # "the two countries' leaders": the heads of state the article names elsewhere.
    text = ("Tokyo will send its foreign minister to Beijing on Monday to prepare next month's summit of the two "
            "countries' leaders, a spokesman said. Japanese Prime Minister Fumio Kishida last met Chinese "
            "President Xi Jinping in San Francisco in November.")
    ms = upcoming(extract(extractor, text))
    summit = [m for m in ms if set(m.participants) == {"Fumio Kishida", "Xi Jinping"}]
    assert len(summit) == 1
    assert (summit[0].start, summit[0].end) == (date(2024, 4, 1), date(2024, 4, 30))


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


def test_a_caption_line_does_not_run_into_the_next_name(extractor):
    text = ("Russia's Foreign Minister Sergei Lavrov and US Secretary of State John Kerry\n"
            "John Kerry and Sergei Lavrov are scheduled to meet in Belgrade on Thursday, an official said.")
    ms = upcoming(extract(extractor, text))
    assert [sorted(m.participants) for m in ms] == [["John Kerry", "Sergei Lavrov"]]


def test_a_counterpart_named_in_apposition_is_one_meeting(extractor):
    text = ("Russian President Vladimir Putin will meet with his Turkish counterpart, Recep Tayyip Erdogan on "
            "August 27, when the latter is on a visit to Russia, the Kremlin said.")
    ms = upcoming(extract(extractor, text, published="2019-08-23T09:00:00+00:00"))
    assert [(sorted(m.participants), m.start) for m in ms] == [
        (["Recep Tayyip Erdogan", "Vladimir Putin"], date(2019, 8, 27))]


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


def test_the_attendee_of_a_forum_holds_the_meeting_planned_there(extractor):
    text = ("Indonesian President Prabowo Subianto said on Tuesday he would attend an investment forum to be held "
            "in St Petersburg next week and have talks with Russian President Vladimir Putin.")
    ms = upcoming(extract(extractor, text, published="2025-06-10T09:00:00+00:00"))
    assert any(set(m.participants) == {"Prabowo Subianto", "Vladimir Putin"} for m in ms)


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


def test_a_quoted_speaker_is_not_the_he_of_the_quote(extractor):
    text = ("\"Chancellor Merz will visit Japan on May 12-14. As part of the visit, he is going to meet Prime "
            "Minister Shigeru Ishiba on May 13,\" Chief Cabinet Secretary Yoshimasa Hayashi said.")
    ms = upcoming(extract(extractor, text, published="2025-05-01T09:00:00+00:00"))
    talks = [m for m in ms if m.kind == "bilateral"]
    assert [(sorted(m.participants), m.start, m.location) for m in talks] == [
        (["Friedrich Merz", "Shigeru Ishiba"], date(2025, 5, 13), "Japan")]


def test_a_spokesperson_announcing_a_visit_is_not_in_it(extractor):
    text = ("BEIJING, Nov. 3 -- Chinese Premier Li Qiang will pay an official visit to Singapore from Nov. 10 to 12 "
            "at the invitation of President of the Republic of Singapore Tharman Shanmugaratnam, foreign ministry "
            "spokesperson Mao Ning announced "
            "on Monday.")
    ms = upcoming(extract(extractor, text, published="2025-11-03T09:00:00+00:00"))
    assert all("Mao Ning" not in m.participants for m in ms)
    assert all(m.start != date(2025, 11, 3) for m in ms)


def test_a_body_in_a_headline_is_no_person(extractor):
    text = ("BRICS Set to Welcome All African Leaders to Summit\n\nThe next BRICS summit is due to be held in "
            "Johannesburg from 22 to 24 August.")
    ms = extract(extractor, text, published="2023-06-20T09:00:00+00:00")
    assert all(not any("BRICS" in p for p in m.participants) for m in ms)


def test_the_i_of_a_quote_is_its_speaker_and_his_family_stays_out(extractor):
    text = ("\"Jill and I look forward to meeting with President Xi Jinping on Tuesday,\" Joe Biden said in a "
            "statement.")
    ms = upcoming(extract(extractor, text, published="2023-11-10T09:00:00+00:00"))
    assert [sorted(m.participants) for m in ms] == [["Joe Biden", "Xi Jinping"]]


def test_a_last_counterpart_after_a_comma_and_is_a_counterpart_too(extractor):
    text = ("On September 9, PM Narendra Modi will hold a bilateral meeting with UK counterpart Rishi Sunak, and "
            "Japanese PM Fumio Kishida.")
    ms = upcoming(extract(extractor, text, published="2023-09-08T09:00:00+00:00"))
    assert sorted(tuple(sorted(m.participants)) for m in ms) == [
        ("Fumio Kishida", "Narendra Modi"), ("Narendra Modi", "Rishi Sunak")]


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


def test_two_leaders_meet_even_when_business_leaders_are_also_on_the_list(extractor):
    text = ("Canadian Prime Minister Mark Carney will be in Tokyo on Wednesday and Thursday next week and meet "
            "with Japanese Prime Minister Shigeru Ishiba, lawmakers and Japanese business leaders, his office "
            "said on Tuesday.")
    ms = upcoming(extract(extractor, text, "2025-05-27"))
    m = next(m for m in ms if set(m.participants) == {"Mark Carney", "Shigeru Ishiba"})
    assert (m.start, m.end) == (date(2025, 6, 4), date(2025, 6, 5))


def test_the_two_leaders_are_the_two_people_the_last_sentence_named(extractor):
    text = ("Kenyan President William Ruto will attend the assembly, and said on Sunday he would present his plan "
            "to Biden during a visit to Washington later in the week. U.S. officials said the two leaders would "
            "meet at the White House on Sept. 26.")
    ms = upcoming(extract(extractor, text, "2024-09-16"))
    m = next(m for m in ms if m.kind == "bilateral")
    assert set(m.participants) == {"William Ruto", "Joe Biden"} and m.start == date(2024, 9, 26)


def test_an_office_is_nobodys_name(extractor):
    text = ("Secretary of State Condoleezza Rice will meet with the Foreign Minister of Saudi Arabia and the "
            "Secretary General of the Saudi National Security Council on Sunday.")
    ms = extract(extractor, text, "2006-07-21")
    assert all(p not in ("General", "Secretary General", "Foreign Minister") for m in ms for p in m.participants)
    assert any("Condoleezza Rice" in m.participants for m in ms)


def test_their_in_another_clause_does_not_add_the_last_two_leaders(extractor):
    text = ("North Korean leader Kim Jong Un met U.S. President Donald Trump in June. South Korean President Moon "
            "Jae-in told reporters that Kim could still visit Seoul before the end of the year, as agreed at their "
            "summit in Pyongyang in September.")
    ms = upcoming(extract(extractor, text, "2018-12-02"))
    seoul = next(m for m in ms if m.location == "Seoul")
    assert "Donald Trump" not in seoul.participants and "Kim Jong-un" in seoul.participants


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


def test_hosting_him_means_the_guest_just_named(extractor):
    text = ("Saudi Crown Prince Mohammed bin Salman will visit the White House on Nov. 18, a White House official "
            "said. President Donald Trump is expected to host him for a dinner that evening.")
    ms = upcoming(extract(extractor, text, "2025-11-10"))
    assert [(set(m.participants), m.start) for m in ms] == [
        ({"Donald Trump", "Mohammed bin Salman"}, date(2025, 11, 18))]


def test_the_officials_of_a_list_of_states_are_the_ones_the_article_names(extractor):
    # "the leaders of A, B and C", "the A and B foreign ministers": each state's official of that office named
    # anywhere in the article, names with diacritics whole.
    text = ("The leaders of Sweden, Norway and Finland will meet in Oslo on Friday to discuss energy. Swedish Prime "
            "Minister Ulf Kristersson, Norwegian Prime Minister Jonas Gahr Støre and Finnish President Alexander "
            "Stubb will also discuss defence.")
    ms = upcoming(extract(extractor, text, published="2025-03-04T09:00:00+00:00"))
    assert any(set(m.participants) == {"Ulf Kristersson", "Jonas Gahr Støre", "Alexander Stubb"}
               and m.start == date(2025, 3, 7) for m in ms)
    text = ("The Chilean and Peruvian foreign ministers will hold talks in Lima next Tuesday. Peru's Foreign "
            "Minister Elmer Schialer and Chile's Foreign Minister Alberto van Klaveren met briefly in January.")
    ms = upcoming(extract(extractor, text, published="2025-03-04T09:00:00+00:00"))
    assert any({"Elmer Schialer", "Alberto van Klaveren"} <= set(m.participants) and m.start == date(2025, 3, 11)
               for m in ms)


def test_two_officials_of_the_office_in_one_state_name_nobody(extractor):
    from bot.extract.gazetteer import load_gazetteer
    from bot.extract.people import PeopleIndex

    index = PeopleIndex(load_gazetteer())
    index.add("Ulf Kristersson", official=True, country="Sweden", title="prime minister")
    index.add("Magdalena Andersson", official=True, country="Sweden", title="prime minister")
    assert index.official_of("Sweden", "prime ministers") is None
    assert index.official_of("Sweden", "leaders") is None
    index.add("Tobias Billström", official=True, country="Sweden", title="foreign minister")
    assert index.official_of("Sweden", "foreign ministers") == "Tobias Billström"


def test_a_visit_at_someones_invitation_is_a_meeting_with_the_host(extractor):
    text = ("President Droupadi Murmu will visit Slovakia on April 9 and 10 at the invitation of Slovak President "
            "Peter Pellegrini.")
    ms = upcoming(extract(extractor, text, published="2025-04-04T09:00:00+00:00"))
    assert [(m.kind, m.participants, m.start, m.end) for m in ms] == [
        ("bilateral", ["Droupadi Murmu", "Peter Pellegrini"], date(2025, 4, 9), date(2025, 4, 10))]


def test_a_visitor_named_by_office_meets_each_host(extractor):
    # "the Norwegian minister": the traveller of the visit just reported, one bilateral meeting per host.
    text = ("Foreign Minister Helga Brandt of Norway will make a four-day official visit to Chile from March 11. "
            "During her stay, the Norwegian minister will hold bilateral meetings with President Gabriel Boric and "
            "Foreign Minister Alberto van Klaveren.")
    ms = upcoming(extract(extractor, text))
    assert sorted(tuple(m.participants) for m in ms if m.kind == "bilateral") == [
        ("Helga Brandt", "Alberto van Klaveren"), ("Helga Brandt", "Gabriel Boric")]
    assert all((m.start, m.end) == (date(2024, 3, 11), date(2024, 3, 14)) for m in ms)
    off = upcoming(extract(extractor, text, disabled={"office subjects"}))
    # without it the minister goes unnamed: still one meeting with each host, never the hosts' with each other
    assert sorted(tuple(m.participants) for m in off if m.kind == "bilateral") == [
        ("Alberto van Klaveren",), ("Gabriel Boric",)]


def test_an_office_of_another_country_is_not_the_visitor(extractor):
    # "The Chilean minister" is no Norwegian's office: Brandt is not put into a meeting she is not said to have.
    text = ("Norwegian Foreign Minister Helga Brandt will visit Chile on Monday. The Chilean minister will meet "
            "President Gabriel Boric on Tuesday.")
    ms = upcoming(extract(extractor, text))
    assert not any({"Helga Brandt", "Gabriel Boric"} <= set(m.participants) for m in ms)


def test_she_in_a_clause_on_the_place_is_the_traveller_not_the_spokeswoman(extractor):
    text = ("Foreign Minister Anna Berg will be in Lima on Tuesday, where she will meet President Dina Boluarte, "
            "ministry spokeswoman Clara Ruiz told reporters.")
    ms = upcoming(extract(extractor, text))
    assert [(m.kind, m.participants, m.start) for m in ms] == [
        ("bilateral", ["Anna Berg", "Dina Boluarte"], date(2024, 3, 12))]


def test_a_sentence_about_the_office_keeps_who_she_is(extractor):
    # "The foreign minister will first receive ... Tom Reyes": the next "she" is still Berg, not Reyes.
    text = ("Foreign Minister Anna Berg will visit Vietnam next week. The foreign minister will first receive "
            "Secretary of State Tom Reyes in Oslo on Friday. In Hanoi on Monday, she will meet Prime Minister "
            "Pham Minh Chinh.")
    ms = upcoming(extract(extractor, text))
    assert ["Anna Berg", "Pham Minh Chinh"] in [m.participants for m in ms]
    assert not any("Tom Reyes" in m.participants and "Pham Minh Chinh" in m.participants for m in ms)


def test_talks_with_several_officials_are_one_bilateral_each(extractor):
    text = ("Secretary of State Maria Lopez will travel to Ghana on Monday for talks with President John Mahama, "
            "Foreign Minister Samuel Ablakwa and other senior officials.")
    ms = upcoming(extract(extractor, text))
    assert sorted((m.kind, tuple(m.participants)) for m in ms) == [
        ("bilateral", ("Maria Lopez", "John Mahama")), ("bilateral", ("Maria Lopez", "Samuel Ablakwa"))]


def test_a_delegation_named_before_its_members_stays_one_meeting(extractor):
    # "two envoys: A and B" is one delegation-level meeting, not one meeting with each envoy.
    text = ("President Maria Silva will hold talks with two European envoys, Special Envoy Peter Lang and "
            "Special Envoy Ines Moreau, in Brasilia on Monday.")
    ms = upcoming(extract(extractor, text))
    assert len([m for m in ms if "Maria Silva" in m.participants]) == 1


def test_people_an_unnamed_visitor_meets_do_not_meet_each_other(extractor):
    # "The head of the World Health Organization" names nobody: Reis and Duarte are whom that person meets, one
    # meeting each, not a meeting of the two ministers with each other.
    text = ("The head of the World Health Organization is scheduled to meet Health Minister Paulo Reis and Foreign "
            "Minister Ana Duarte in Lisbon on Thursday.")
    ms = upcoming(extract(extractor, text))
    assert sorted((m.kind, tuple(m.participants), m.location, m.start) for m in ms) == [
        ("bilateral", ("Ana Duarte",), "Lisbon", date(2024, 3, 7)),
        ("bilateral", ("Paulo Reis",), "Lisbon", date(2024, 3, 7))]
    off = upcoming(extract(extractor, text, disabled={"several hosts"}))
    assert [tuple(m.participants) for m in off] == [("Paulo Reis", "Ana Duarte")]


def test_talks_of_an_unnamed_envoy_with_two_officials_are_one_meeting_each(extractor):
    text = ("The visiting envoy will hold talks with President Samuel Okoro and Foreign Minister Grace Adeyemi in "
            "Abuja on Friday.")
    ms = upcoming(extract(extractor, text))
    assert sorted((m.kind, tuple(m.participants), m.start) for m in ms) == [
        ("bilateral", ("Grace Adeyemi",), date(2024, 3, 8)), ("bilateral", ("Samuel Okoro",), date(2024, 3, 8))]


def test_a_meeting_between_two_named_leaders_stays_their_meeting(extractor):
    # "between" names the two sides themselves: no one else is meeting them.
    text = "The summit between President Ana Duarte and Prime Minister Paulo Reis will be held in Lisbon on Thursday."
    ms = upcoming(extract(extractor, text))
    assert [(m.kind, m.participants) for m in ms] == [("bilateral", ["Ana Duarte", "Paulo Reis"])]


def test_an_unnamed_visitors_meetings_take_the_running_date(learned_extractor):
    # Undated, each meeting with one named person still has two sides (the unnamed visitor is one), so it takes
    # the day the story is telling of, as a meeting of two named people would.
    text = ("Foreign Minister Ernesto Rios of Chile arrived in Abuja on Monday. His official programme continues on "
            "Wednesday. In the morning, the head of the UN refugee agency will meet President Samuel Okoro and "
            "Foreign Minister Grace Adeyemi.")
    ms = upcoming(extract(learned_extractor, text))
    assert sorted((tuple(m.participants), m.start) for m in ms) == [
        (("Grace Adeyemi",), date(2024, 3, 6)), (("Samuel Okoro",), date(2024, 3, 6))]


def test_the_bare_title_is_not_the_holder_the_sentence_names_with_it(extractor):
    # Sato is the most-mentioned prime minister, but "the Prime Minister" who holds talks with "Prime Minister
    # Kenji Sato" is the other one the article names: Holm meets Sato and Mori, Sato does not meet Mori.
    text = ("Prime Minister Lena Holm of Denmark will visit Japan from Monday at the invitation of Japanese Prime "
            "Minister Kenji Sato. Sato has pushed for closer ties with the Nordic countries. During the visit the "
            "Prime Minister will hold talks with Prime Minister Kenji Sato and Foreign Minister Aiko Mori.")
    ms = upcoming(extract(extractor, text))
    assert sorted(tuple(m.participants) for m in ms) == [("Lena Holm", "Aiko Mori"), ("Lena Holm", "Kenji Sato")]
    off = upcoming(extract(extractor, text, disabled={"office subjects"}))
    assert ("Kenji Sato", "Aiko Mori") in [tuple(m.participants) for m in off]


def test_the_owner_of_talks_with_several_leaders_meets_each_of_them(extractor):
    # "Lopez's talks with A and B": whose talks they are is the one who meets the others, one meeting each, not a
    # meeting of the three.
    text = ("Secretary of State Maria Lopez's talks with President John Mahama of Ghana and President Bola Tinubu of "
            "Nigeria will take place in Accra on Friday.")
    ms = upcoming(extract(extractor, text))
    assert sorted((m.kind, tuple(m.participants)) for m in ms) == [
        ("bilateral", ("Maria Lopez", "Bola Tinubu")), ("bilateral", ("Maria Lopez", "John Mahama"))]
    off = upcoming(extract(extractor, text, disabled={"several hosts"}))
    assert [len(m.participants) for m in off] == [3]


def test_leaders_who_each_meet_one_person_hold_one_meeting_each(extractor):
    text = ("Premier Chen Wei and Vice President Liu Fang will each meet French President Louis Martin in Beijing "
            "on Thursday.")
    ms = upcoming(extract(extractor, text))
    assert sorted(tuple(m.participants) for m in ms) == [("Chen Wei", "Louis Martin"), ("Liu Fang", "Louis Martin")]
    off = upcoming(extract(extractor, text, disabled={"several hosts"}))
    assert [len(m.participants) for m in off] == [3]


def test_the_presidents_of_the_states_a_visitor_meets_are_met_one_by_one(extractor):
    # "she will meet with the presidents of both countries": the officials the article names for those states are
    # whom she meets, one meeting each, not a meeting of the three.
    text = ("Chilean President Gabriel Boric and Peruvian President Dina Boluarte spoke by phone last month. "
            "Secretary of State Maria Lopez will travel next week to Chile and Peru, where she will meet with the "
            "presidents of both countries.")
    ms = upcoming(extract(extractor, text))
    met = sorted(tuple(m.participants) for m in ms if m.kind == "bilateral")
    assert met == [("Maria Lopez", "Dina Boluarte"), ("Maria Lopez", "Gabriel Boric")]
    assert not [m for m in ms if len(m.participants) > 2]
    off = upcoming(extract(extractor, text, disabled={"several hosts"}))
    assert [sorted(m.participants) for m in off if len(m.participants) > 1] == [
        ["Dina Boluarte", "Gabriel Boric", "Maria Lopez"]]
