"""TIMEX3 values, vague references, locales and `summitbot when --timex` (bot.temporal)."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from click.testing import CliRunner

from bot.temporal import Resolved, find_dates, locale_for, resolve, timex_value, when_json

FRI = date(2025, 10, 24)


@pytest.mark.parametrize("phrase, tense, value, unit, mod", [
    ("Oct. 30", "future", "2025-10-30", "day", None),
    ("next week", None, "2025-W44", "week", None),
    ("this weekend", None, "2025-W43-WE", "week", None),
    ("Q3 2025", None, "2025-Q3", "quarter", None),
    ("the second half of 2025", None, "2025-H2", "half", None),
    ("summer 2025", None, "2025-SU", "season", None),
    ("the 1990s", None, "199X", "decade", None),
    ("the late 1990s", None, "199X", "decade", "end"),
    ("the 20th century", None, "19XX", "century", None),
    ("early October 2025", None, "2025-10", "month", "start"),
    ("mid-2026", None, "2026", "year", "mid"),
    ("by June", "future", "2026-06", "month", "before"),
    ("since 2019", "past", "2019", "year", "after"),
    ("Tuesday at 3 p.m.", "future", "2025-10-28T15:00", "instant", None),
    ("Oct. 31 and Nov. 1", "future", "2025-10-31/2025-11-01", "day", None),
    ("around Oct. 30", "future", "2025-10-30", "day", "approx"),
    ("sometime in 2026", None, "2026", "year", "approx"),
])
def test_timex_value_grain_and_mod(phrase, tense, value, unit, mod):
    r = resolve(phrase, FRI, tense)
    assert (r.timex, r.timex_unit, r.mod) == (value, unit, mod)


@pytest.mark.parametrize("phrase, value", [
    ("now", "PRESENT_REF"), ("currently", "PRESENT_REF"), ("recently", "PAST_REF"), ("in the past", "PAST_REF"),
    ("in the future", "FUTURE_REF"), ("soon", "FUTURE_REF"),
])
def test_vague_references_are_no_date(phrase, value):
    r = resolve(phrase, FRI)
    assert (r.vague, r.timex, r.timex_unit) == (value, value, None)
    assert when_json(phrase, FRI)["vague"] == value


def test_find_dates_leaves_vague_out_unless_asked_and_marks_them():
    text = ("Talks are currently stalled but will resume soon, on Oct. 30, as soon as the envoys land, or as soon as "
            "possible.")
    assert [f.value.text for f in find_dates(text, FRI, "future")] == ["Oct. 30"]
    got = [(f.value.text, f.value.vague) for f in find_dates(text, FRI, "future", vague=True)]
    assert got == [("currently", "PRESENT_REF"), ("soon", "FUTURE_REF"), ("Oct. 30", None),
                   ("as soon as possible", "FUTURE_REF")]


@pytest.mark.parametrize("text", [
    "The board meets once a year.", "Once the deal closes, shares will trade.", "He left at once.",
    "the once and future king", "a once in a generation vote", "Once upon a time",
])
def test_once_is_formerly_only_before_the_adjective_it_dates(text):
    assert [f.value.vague for f in find_dates(text, FRI, "past", vague=True)] in ([], ["FUTURE_REF"])
    assert [f.value.vague for f in find_dates("a once " + "mighty party", FRI, None, vague=True)] == ["PAST_REF"]


def test_vague_is_not_an_anchor():
    text = "Officials met on Oct. 20. They spoke again recently and met the following day."
    got = {f.value.text: f.value.start for f in find_dates(text, FRI, "past", vague=True)}
    assert got["the following day"] == date(2025, 10, 21)


def test_old_callers_build_resolved_positionally():
    r = Resolved(date(2025, 10, 27), date(2025, 11, 2), "week", "next week")
    assert r.timex == "2025-W44" and r.vague is None and r.zone is None
    assert r.to_json() == {"text": "next week", "start": "2025-10-27", "end": "2025-11-02", "grain": "week"}


def test_timex_value_of_odd_spans():
    assert timex_value(date(2019, 1, 1), date(2020, 12, 31)) == "2019/2020"
    assert timex_value(date(2025, 7, 1), date(2025, 8, 31)) == "2025-07/2025-08"
    assert timex_value(date(2025, 10, 28), date(2025, 10, 28), part_of_day="EV") == "2025-10-28TEV"


def test_locale_for_country():
    assert locale_for("US").dayfirst is False and locale_for("US").fiscal_month == 10
    assert locale_for("GB").dayfirst is True and locale_for("GB").zone == "Europe/London"
    assert locale_for(None).dayfirst is None
    assert locale_for("US", dayfirst=True).dayfirst is True


def test_cli_when_timex():
    import bot.cli

    result = CliRunner().invoke(bot.cli.cli, ["when", "--ref", "2025-10-24T09:00:00+09:00", "--tense", "future",
                                              "--timex", "next week", "now"])
    assert result.exit_code == 0, result.output
    week, now = (json.loads(line) for line in result.output.splitlines())
    assert week["timex"] == {"value": "2025-W44", "grain": "week", "mod": None, "start": "2025-10-27",
                             "end": "2025-11-02"}
    assert now["vague"] == "PRESENT_REF" and now["timex"]["value"] == "PRESENT_REF"


def test_approx_keeps_the_span_and_text_in_running_text():
    (f,) = find_dates("They will meet around Oct. 30 in Seoul.", FRI, "future")
    assert (f.value.text, f.value.start, f.value.mod) == ("Oct. 30", date(2025, 10, 30), "approx")


def test_clock_time_with_zone_is_an_instant_with_its_offset():
    r = resolve("9 p.m. Paris time", FRI, "future")
    assert (r.time, r.zone, r.timex_unit) == ("21:00", "Europe/Paris", "instant")
    assert r.instant().isoformat() == "2025-10-24T21:00:00+02:00"
    assert r.utc() == "2025-10-24T19:00:00Z"
    assert r.to_json(timex=True)["timex"]["instant"] == "2025-10-24T21:00:00+02:00"
    winter = resolve("1000 GMT Thursday", date(2025, 12, 1), "future")
    assert (winter.start, winter.utc()) == (date(2025, 12, 4), "2025-12-04T10:00:00Z")
    assert resolve("noon local time", FRI, locale=locale_for("KR")).utc() == "2025-10-24T03:00:00Z"
    assert resolve("noon local time", FRI).zone is None  # the outlet's country unknown: no zone made up


def test_part_of_day():
    assert resolve("Tuesday evening", FRI, "future").timex == "2025-10-28TEV"
    assert resolve("tonight", FRI).timex == "2025-10-24TNI"
    assert resolve("Tuesday evening at 7 p.m.", FRI, "future").timex == "2025-10-28T19:00"


def test_numeric_dates_follow_the_outlets_country_or_are_refused():
    text = "The accord dated 05/06/2025 was signed in Geneva."
    assert find_dates(text, FRI) == []
    (gb,) = find_dates(text, FRI, locale=locale_for("GB"))
    (us,) = find_dates(text, FRI, locale=locale_for("US"))
    assert (gb.value.start, us.value.start) == (date(2025, 6, 5), date(2025, 5, 6))
    assert find_dates("on 17/05/2025", FRI)[0].value.start == date(2025, 5, 17)  # clear by its parts anywhere


def test_cli_when_country_and_dayfirst():
    import bot.cli

    runner = CliRunner()
    gb = runner.invoke(bot.cli.cli, ["when", "--ref", "2025-10-24", "--country", "GB", "05/06/2025"])
    us = runner.invoke(bot.cli.cli, ["when", "--ref", "2025-10-24", "--monthfirst", "05/06/2025"])
    assert json.loads(gb.output)["start"] == "2025-06-05" and json.loads(us.output)["start"] == "2025-05-06"


@pytest.mark.parametrize("sentence, expected", [
    # a date as the determiner of a noun: the preposition before it is about the noun, not the date
    ("a deal before next week's EU summit looks unlikely", ("next week", "2019-10-14", "2019-10-20", None)),
    ("the talks since last month's summit", ("last month", "2019-09-01", "2019-09-30", None)),
    ("by Monday's deadline", ("Monday", "2019-10-14", "2019-10-14", None)),
    # and without the possessive it keeps its meaning
    ("He will leave before next week.", ("before next week", "2019-10-09", "2019-10-13", "before")),
])
def test_possessive_date_is_not_governed_by_the_preposition(sentence, expected):
    found = find_dates(sentence, datetime(2019, 10, 9), "future", None)
    v = found[0].value
    assert (v.text, v.start.isoformat(), v.end.isoformat(), v.mod) == expected


@pytest.mark.parametrize("sentence", [
    "Leaders endorsed the 2050 Strategy for the Blue Pacific Continent.",
    "The ministers reaffirmed the 2030 Agenda for Sustainable Development.",
])
def test_a_year_that_names_a_plan_is_no_date(sentence):
    assert find_dates(sentence, datetime(2025, 8, 14), "future", None) == []


def test_a_year_before_a_meeting_name_is_still_its_year():
    found = find_dates("He offered to host the 2027 Pacific Islands Forum leaders' meeting.", datetime(2025, 8, 14),
                       "future", None)
    assert [(f.value.start, f.value.end) for f in found] == [(date(2027, 1, 1), date(2027, 12, 31))]


def _parts(sentence: str, ref: date, tense: str | None) -> list[list[tuple[str, str]]]:
    """Each found span's dates, as (the text at the part's offsets, its TIMEX value)."""
    return [[(sentence[p.start_char:p.end_char], p.value.timex) for p in f.parts]
            for f in find_dates(sentence, ref, tense)]


def test_a_joined_span_gives_each_date_it_joins_with_its_own_offsets_and_value():
    """TIMEX3 marks each date of a range or a list; the resolver's span keeps them (Found.parts), each placed as the
    span placed it: the year a later date gives an earlier one, a year after the list, a range's end from its start."""
    assert _parts("Prices fell from 1994 to 1997 .", FRI, "past") == [[("1994", "1994"), ("1997", "1997")]]
    assert _parts("The summit is on Oct. 31 and Nov. 1, 2026.", FRI, None) == [
        [("Oct. 31", "2026-10-31"), ("Nov. 1, 2026", "2026-11-01")]]
    assert _parts("The vote is due in March or April next year.", FRI, None) == [
        [("March", "2026-03"), ("April", "2026-04")]]
    assert _parts("The fair runs from Sept. 14 to Monday.", date(2025, 9, 10), "future") == [
        [("Sept. 14", "2025-09-14"), ("Monday", "2025-09-15")]]
    assert _parts("Monday, Tuesday and Wednesday", FRI, "future") == [
        [("Monday", "2025-10-27"), ("Tuesday", "2025-10-28"), ("Wednesday", "2025-10-29")]]
    assert _parts("The talks resume Wednesday.", FRI, "future") == [[]]  # one date: no parts


def test_a_list_keeps_its_dates_on_the_tenses_side_of_the_reference():
    """A past-tense list does not carry a weekday past the reference to follow the one before it (a range does)."""
    said = find_dates("The ministers met Friday and Thursday.", FRI, "past")
    assert [(f.value.start, f.value.end) for f in said] == [(date(2025, 10, 23), date(2025, 10, 24))]
    assert _parts("The ministers met Friday and Thursday.", FRI, "past")[0][1] == ("Thursday", "2025-10-23")
    ahead = find_dates("The ministers will meet Friday and Thursday.", FRI, "future")
    assert [(f.value.start, f.value.end) for f in ahead] == [(date(2025, 10, 24), date(2025, 10, 30))]


def test_a_date_that_determines_a_noun_after_to_closes_no_range():
    found = find_dates("It made a revision Friday to December's figures.", date(2026, 2, 6), "past")
    assert [(f.value.text, f.value.timex) for f in found] == [("Friday", "2026-02-06"), ("December", "2025-12")]
