"""Property tests for bot.temporal: never crash on arbitrary text, ranges ordered and bounded."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.temporal import Unresolvable, find_dates, resolve, when_json

FAST = settings(max_examples=200, deadline=None)

refs = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
tenses = st.sampled_from([None, "past", "future"])
anchors = st.none() | st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))

WORDS = [
    "on", "in", "at", "by", "since", "from", "to", "and", "or", "between", "through", "until", "before",
    "as early as", "no later than", "the", "of", "this", "next", "last", "later", "earlier", "early", "mid",
    "mid-", "late", "end of", "the end of", "the first half of", "coming", "past", "following", "previous",
    "same", "that", "within", "ago", "from now", "over the", "the day after", "the day before",
    "January", "Feb.", "March", "May", "June", "July", "Sept.", "Oct.", "Nov.", "December", "may", "march",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Wed.",
    "today", "tonight", "tomorrow", "yesterday", "morning", "evening", "night",
    "day", "days", "week", "weeks", "weekend", "month", "months", "year", "years", "quarter", "Q3",
    "summer", "winter", "spring", "fall", "Christmas", "New Year's", "year-end",
    "1", "3rd", "15", "17", "24th", "29", "31", "32", "0", "2,000", "100 percent", "$350 billion",
    "a", "two", "three", "ten", "few", "several", "-", ",", ".", "3 p.m.", "10:30 a.m.", "15:00", "noon",
    "first", "second", "last", "fifth", "twenty-first", "day of", "week of", "weekend of", "rest of", "all",
    "fortnight", "hours", "recent", "ago", "later", "'s", "year's", "after next", "or next", "the week after",
    "Mon.", "Thu", "now", "ET", "local time", "half", "century", "/", "T10:00", "05/06", "29.10.", "10/29/",
]


@st.composite
def date_words(draw) -> str:
    """Random combinations of date words, with years near the reference."""
    ref = draw(refs)
    year = st.integers(ref.year - 10, ref.year + 10).map(str)
    words = st.sampled_from(WORDS) | year
    return " ".join(draw(st.lists(words, min_size=1, max_size=8))), ref


def _check_bounds(start: date, end: date, ref: date, years: int) -> None:
    assert start <= end
    assert abs(start.year - ref.year) <= years and abs(end.year - ref.year) <= years


@FAST
@given(st.text(), refs, tenses, anchors)
def test_find_dates_never_raises_on_any_text(text, ref, tense, anchor):
    found = find_dates(text, ref, tense, anchor)
    last = -1
    for f in found:
        assert last <= f.start_char < f.end_char <= len(text)
        assert text[f.start_char:f.end_char] == f.value.text
        _check_bounds(f.value.start, f.value.end, ref, 150)
        last = f.end_char


@FAST
@given(st.text(), refs, tenses)
def test_resolve_raises_only_unresolvable(text, ref, tense):
    try:
        got = resolve(text, ref, tense)
    except Unresolvable:
        return
    _check_bounds(got.start, got.end, ref, 150)


@FAST
@given(st.text(), refs, tenses)
def test_when_json_never_raises(text, ref, tense):
    out = when_json(text, ref, tense)
    assert out["text"] in (text, text.strip())
    assert ("error" in out) != ("start" in out)
    assert "internal error" not in out.get("error", "")


@FAST
@given(date_words(), tenses, anchors)
def test_date_word_soup(words_ref, tense, anchor):
    text, ref = words_ref
    # Years in the soup are within 10 of ref, and its largest count is 32 ("in 32 years"): 40 is a misreading.
    for f in find_dates(text, ref, tense, anchor if anchor and abs(anchor.year - ref.year) < 10 else None):
        _check_bounds(f.value.start, f.value.end, ref, 40)
        assert f.value.grain in ("day", "week", "month", "quarter", "year")
        assert f.value.time is None or (len(f.value.time) == 5 and f.value.time[2] == ":")
    try:
        got = resolve(text, ref, tense)
    except Unresolvable:
        return
    _check_bounds(got.start, got.end, ref, 40)


@FAST
@given(date_words(), tenses, st.integers(-12, 14), st.integers(0, 23))
def test_tz_aware_ref_matches_its_local_date(words_ref, tense, offset, hour):
    text, ref = words_ref
    aware = datetime(ref.year, ref.month, ref.day, hour, tzinfo=timezone(timedelta(hours=offset)))
    assert find_dates(text, aware, tense) == find_dates(text, ref, tense)
