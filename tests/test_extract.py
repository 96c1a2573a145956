"""The extractor on articles written for these tests (not the eval sets): the basics, bad input,
and how an article is cut into sentences. Who, when, where, which kind and which tense each have a
module of their own (tests/test_extract_*.py)."""

from datetime import date, datetime

import pytest

from bot.models import Article
from tests.extract_helpers import extract, upcoming


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


def test_sentences_run_together_without_a_space_are_split(extractor):
    from bot.extract.mentions import split_sentences
    pieces = [s for _, s in split_sentences("He gave no details on his trip.The visit comes as talks stall with Xi.North "
                                            "Korea said so. Visit Reuters.com today.")]
    assert pieces == ["He gave no details on his trip.", "The visit comes as talks stall with Xi.",
                      "North Korea said so.", "Visit Reuters.com today."]


def test_initials_do_not_end_a_sentence(extractor):
    from bot.extract.mentions import split_sentences

    text = "He will meet Vice President J.D. Vance on Monday. Then he flies home."
    assert [s for _, s in split_sentences(text)] == ["He will meet Vice President J.D. Vance on Monday.",
                                                      "Then he flies home."]


def test_a_headline_stays_apart_from_the_wire_dateline_paragraph(extractor):
    text = ("EU leaders to hold two-day summit starting Thursday\n\nBRUSSELS (Reuters) - European Union leaders "
            "will hold a two-day summit in Brussels starting on Thursday, officials said on Monday.")
    ms = upcoming(extract(extractor, text, "2025-03-03"))
    assert [(m.location, m.start, m.end, m.certainty) for m in ms] == [
        ("Brussels", date(2025, 3, 6), date(2025, 3, 7), "confirmed")]


# Trip scenes: a meeting sentence set on a trip is parsed however far it stands from the trip's dated sentence
# (here three sentences of background stand between them).
@pytest.mark.parametrize("text, visitor, host, place, days", [
    ("Foreign Minister Anna Berg of Sweden will travel to Kenya and Ghana from June 2 to June 6. The trip is her "
     "first to the continent. Trade between the regions has grown fast. Farmers hope for new markets. In Ghana, "
     "she will meet President John Mahama.", "Anna Berg", "John Mahama", "Ghana", (date(2025, 6, 2), date(2025, 6, 6))),
    ("Prime Minister Lena Holm of Denmark landed in Chile on Monday for a three-day visit. It is the first such "
     "visit in a decade. Copper prices have fallen sharply. Salmon exports keep rising. While in the country, Holm "
     "is expected to hold talks with President Gabriel Boric.", "Lena Holm", "Gabriel Boric", "Chile",
     (date(2025, 5, 12), date(2025, 5, 14))),
    ("Foreign Minister Tomas Ruiz of Spain will arrive in Buenos Aires on Tuesday. The trip was planned last year. "
     "Wine exports keep rising. Beef prices have fallen. In the morning, Ruiz will meet Foreign Minister Diana "
     "Mondino.", "Tomas Ruiz", "Diana Mondino", "Buenos Aires", (date(2025, 5, 13), date(2025, 5, 13))),
])
def test_a_meeting_set_on_a_trip_is_read_far_from_the_trip(extractor, text, visitor, host, place, days):
    ms = upcoming(extract(extractor, text, "2025-05-12T09:00:00+00:00"))  # a Monday
    assert [(m.kind, set(m.participants), m.location, (m.start, m.end)) for m in ms if host in m.participants] == [
        ("bilateral", {visitor, host}, place, days)]
    without = upcoming(extractor.extract_many(
        [Article(text=text, published=datetime(2025, 5, 12, 9, 0))], disabled={"trip scenes"})[0])
    assert not any(host in m.participants for m in without)


@pytest.mark.parametrize("text", [
    # set on no trip: a month, a place where someone speaks
    "Prime Minister Lena Holm of Denmark will visit Chile on Monday. Copper prices have fallen sharply. Salmon "
    "exports keep rising. Wine sales are flat. In March, Holm met President Gabriel Boric.",
    "President Lula will meet President Milei in Brasilia on June 3. Trade has fallen. Farmers want lower tariffs. "
    "Exports are down. In Santiago, a minister said the talks would be useful.",
])
def test_a_sentence_set_on_no_trip_adds_no_meeting(extractor, text):
    ms = upcoming(extract(extractor, text, "2025-05-12T09:00:00+00:00"))
    assert not any("Gabriel Boric" in m.participants for m in ms)
    assert len(ms) == 1
