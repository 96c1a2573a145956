"""The extractor on hostile or odd input: never an exception, always bounded."""

import time
from datetime import datetime, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.models import Article

PUBLISHED = datetime(2025, 10, 24, 9, 0, tzinfo=timezone.utc)
WORDS = ["President", "Xi", "Jinping", "will", "meet", "Trump", "on", "Tuesday", "summit", "G20", "in", "Seoul",
         "next", "week", "the", "following", "day", "cancelled", "talks", "phone", "call", "May", "10-12", ",", ".",
         "\n\n", "-", "(", ")", "“", "”", "as", "early", "as", "July", "or", "August", "he", "they", "visit"]


def test_other_languages_give_a_clean_empty_result(extractor):
    french = "Le président Emmanuel Macron rencontrera le chancelier allemand mardi prochain à Berlin."
    korean = "이재명 대통령은 다음 주 수요일 도널드 트럼프 대통령과 정상회담을 할 예정이다."
    for text in (french, korean):
        meetings = extractor.extract(Article(text=text, published=PUBLISHED))
        assert all(m.tense in ("upcoming", "past", "cancelled") for m in meetings)


def test_a_megabyte_of_news_is_bounded(extractor):
    paragraph = ("President Emmanuel Macron will meet Chancellor Friedrich Merz in Berlin on Tuesday, "
                 "officials said. Markets were calm. ")
    text = (paragraph * (1_000_000 // len(paragraph)))[:1_000_000]
    start = time.process_time()
    meetings = extractor.extract(Article(text=text, published=PUBLISHED))
    assert time.process_time() - start < 120
    assert meetings and meetings[0].participants


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=400))
def test_arbitrary_text_never_raises(extractor, text):
    for m in extractor.extract(Article(text=text, published=PUBLISHED)):
        assert m.start is None or m.end is None or m.start <= m.end


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(WORDS), max_size=60))
def test_news_like_word_salad_never_raises(extractor, words):
    for m in extractor.extract(Article(text=" ".join(words), published=PUBLISHED)):
        assert m.kind in ("bilateral", "phone_call", "multilateral", "visit", "talks")
        assert m.start is None or m.start <= m.end
