"""One record per meeting in an article (bot.extract.assembly.fold_repeats): a meeting told twice is one record,
two meetings stay two."""

from __future__ import annotations

from datetime import date

import pytest

from bot.extract.assembly import fold_repeats
from bot.extract.gazetteer import load_gazetteer
from bot.models import Meeting


@pytest.fixture(scope="module")
def g():
    return load_gazetteer()


def _m(participants, kind="bilateral", start=(2025, 5, 20), end=None, name=None, location=None, order=0,
       tense="upcoming") -> Meeting:
    return Meeting(participants=list(participants), kind=kind, name=name, location=location, start=date(*start),
                   end=date(*(end or start)), tense=tense, order=order)


def test_some_of_the_people_on_overlapping_days_are_the_fuller_record(g):
    headline = _m(["Dina Boluarte"], start=(2025, 5, 19), end=(2025, 5, 25), order=0)
    body = _m(["Gabriel Boric", "Dina Boluarte"], location="Lima", order=2)
    assert fold_repeats([headline, body], g) == [body]


def test_the_same_pair_keeps_the_narrower_days(g):
    trip = _m(["Phan Van Khai", "Keizo Obuchi"], start=(1999, 3, 28), end=(1999, 3, 30), order=1)
    day = _m(["Phan Van Khai", "Keizo Obuchi"], start=(1999, 3, 29), order=3)
    assert fold_repeats([trip, day], g) == [day]


def test_a_gathering_named_twice_is_one_record_in_the_order_told(g):
    first = _m([], kind="multilateral", name="SCO summit", start=(2025, 8, 31), end=(2025, 9, 1), order=0)
    again = _m([], kind="multilateral", name="the SCO Summit", start=(2025, 9, 1), order=4)
    other = _m(["Narendra Modi", "Xi Jinping"], start=(2025, 8, 31), order=5)
    assert fold_repeats([first, again, other], g) == [again, other]


@pytest.mark.parametrize("second", [
    _m(["Gabriel Boric", "Luis Arce"]),  # another pair: another meeting
    _m(["Gabriel Boric"], kind="visit"),  # a visit is for drop_covered_visits to judge
    _m(["Gabriel Boric"], kind="phone_call"),  # a call is no meeting in person
    _m(["Gabriel Boric"], start=(2025, 6, 20)),  # another day
    _m(["Gabriel Boric"], location="Bolivia"),  # another state
    _m(["Gabriel Boric"], tense="past"),  # the last one, not this one
    _m(["Gabriel Boric"], kind="multilateral", name="Pacific Alliance summit"),  # a gathering he attends
])
def test_different_meetings_stay_apart(g, second):
    first = _m(["Gabriel Boric", "Dina Boluarte"], location="Peru")
    assert fold_repeats([first, second], g) == [first, second]


def test_two_gatherings_named_by_no_word_of_their_own_stay_apart(g):
    # "the summit" and "the meeting" name no gathering: two such records on one day are not one by name
    summit = _m([], kind="multilateral", name="the summit", order=0)
    meeting = _m([], kind="multilateral", name="the meeting", order=3)
    assert fold_repeats([summit, meeting], g) == [summit, meeting]


def test_a_record_without_an_end_is_its_first_day(g):
    pair = _m(["Gabriel Boric", "Dina Boluarte"], start=(2025, 5, 19), end=(2025, 5, 21))
    headline = Meeting(participants=["Dina Boluarte"], kind="bilateral", start=date(2025, 5, 20), end=None)
    later = Meeting(participants=["Dina Boluarte"], kind="bilateral", start=date(2025, 6, 20), end=None)
    assert fold_repeats([pair, headline, later], g) == [pair, later]
