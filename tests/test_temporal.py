"""Table-driven tests for bot.temporal: resolve() on phrases, find_dates() on news sentences."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

from bot.temporal import Found, Resolved, Unresolvable, find_dates, resolve, when_json

D = date.fromisoformat
FRI = D("2025-10-24")      # Friday; the APEC seed article
THU = D("2025-06-05")      # Thursday; the Lee-Trump phone call seed
TUE = D("2022-05-03")      # Tuesday
WED = D("2022-11-09")      # Wednesday
DEC30 = D("2025-12-30")    # Tuesday, year end
NYE = D("2025-12-31")      # Wednesday, last day of the year
SUN = D("2025-10-26")      # Sunday
MON = D("2025-10-27")      # Monday
JAN31 = D("2025-01-31")    # Friday, month end
LEAP = D("2024-02-29")     # Thursday, leap day
MAR1 = D("2026-03-01")     # Sunday, day after a short February
SAT = D("2025-10-25")      # Saturday
MIDWINTER = D("2026-01-15")

# (phrase, ref, tense, start, end, grain) — written from the rules in the module docstring.
CASES = [
    # -- absolute dates, ranges, year inference
    ("Oct. 31 and Nov. 1", FRI, None, "2025-10-31", "2025-11-01", "day"),
    ("Oct. 31 and Nov. 1", FRI, "past", "2024-10-31", "2024-11-01", "day"),
    ("Oct. 31-Nov. 1", FRI, None, "2025-10-31", "2025-11-01", "day"),
    ("15-17 June", FRI, "future", "2026-06-15", "2026-06-17", "day"),
    ("15-17 June", FRI, "past", "2025-06-15", "2025-06-17", "day"),
    ("June 15 to 17", FRI, "future", "2026-06-15", "2026-06-17", "day"),
    ("June 15-17", THU, "future", "2025-06-15", "2025-06-17", "day"),
    ("from June 13", THU, "future", "2025-06-13", "2025-06-13", "day"),
    ("between June 13 and 15", THU, None, "2025-06-13", "2025-06-15", "day"),
    ("between 13 and 15 June", THU, None, "2025-06-13", "2025-06-15", "day"),
    ("June 13 to June 15", THU, None, "2025-06-13", "2025-06-15", "day"),
    ("Dec. 3", FRI, None, "2025-12-03", "2025-12-03", "day"),
    ("December 3rd", FRI, "future", "2025-12-03", "2025-12-03", "day"),
    ("December 3rd", FRI, "past", "2024-12-03", "2024-12-03", "day"),
    ("the 3rd", FRI, "future", "2025-11-03", "2025-11-03", "day"),
    ("the 3rd", FRI, "past", "2025-10-03", "2025-10-03", "day"),
    ("the 3rd", FRI, None, "2025-11-03", "2025-11-03", "day"),
    ("on the 24th", FRI, None, "2025-10-24", "2025-10-24", "day"),
    ("on the 24th", THU, "future", "2025-06-24", "2025-06-24", "day"),
    ("on the 24th", THU, "past", "2025-05-24", "2025-05-24", "day"),
    ("on the 31st", D("2025-06-10"), "future", "2025-07-31", "2025-07-31", "day"),
    ("29 October 2025", FRI, None, "2025-10-29", "2025-10-29", "day"),
    ("October 29, 2025", WED, "past", "2025-10-29", "2025-10-29", "day"),
    ("2025-10-29", FRI, None, "2025-10-29", "2025-10-29", "day"),
    ("Sept 5", FRI, "past", "2025-09-05", "2025-09-05", "day"),
    ("Sept. 5", FRI, "future", "2026-09-05", "2026-09-05", "day"),
    ("Sept. 5", FRI, None, "2025-09-05", "2025-09-05", "day"),
    ("in June 2018", FRI, None, "2018-06-01", "2018-06-30", "month"),
    ("June 2018", FRI, "future", "2018-06-01", "2018-06-30", "month"),
    ("May of 2019", FRI, None, "2019-05-01", "2019-05-31", "month"),
    ("in 2027", FRI, None, "2027-01-01", "2027-12-31", "year"),
    ("2027", FRI, None, "2027-01-01", "2027-12-31", "year"),
    ("in February", FRI, None, "2026-02-01", "2026-02-28", "month"),
    ("in February", FRI, "past", "2025-02-01", "2025-02-28", "month"),
    ("July", FRI, "past", "2025-07-01", "2025-07-31", "month"),
    ("July", FRI, "future", "2026-07-01", "2026-07-31", "month"),
    ("August", FRI, None, "2025-08-01", "2025-08-31", "month"),
    ("in October", FRI, "future", "2025-10-01", "2025-10-31", "month"),
    ("in May", FRI, None, "2025-05-01", "2025-05-31", "month"),
    ("in May", FRI, "future", "2026-05-01", "2026-05-31", "month"),
    ("next March", FRI, None, "2026-03-01", "2026-03-31", "month"),
    ("last December", FRI, None, "2024-12-01", "2024-12-31", "month"),
    ("July 11-12", WED, "future", "2023-07-11", "2023-07-12", "day"),
    ("July 11-12", WED, "past", "2022-07-11", "2022-07-12", "day"),
    ("Jan. 5", DEC30, None, "2026-01-05", "2026-01-05", "day"),
    ("Jan. 5", DEC30, "past", "2025-01-05", "2025-01-05", "day"),
    ("Dec. 28", DEC30, "future", "2026-12-28", "2026-12-28", "day"),
    ("Feb. 29", FRI, "future", "2028-02-29", "2028-02-29", "day"),
    ("Feb. 29", LEAP, None, "2024-02-29", "2024-02-29", "day"),
    ("March 1, 2026", FRI, "past", "2026-03-01", "2026-03-01", "day"),
    ("5 May 2026", FRI, None, "2026-05-05", "2026-05-05", "day"),
    ("05 Jun. 2025", FRI, None, "2025-06-05", "2025-06-05", "day"),
    ("the 24th of October", FRI, None, "2025-10-24", "2025-10-24", "day"),
    ("Wednesday, Oct. 29", FRI, None, "2025-10-29", "2025-10-29", "day"),
    ("Dec. 30 to Jan. 2", FRI, "future", "2025-12-30", "2026-01-02", "day"),
    ("Dec. 30 to Jan. 2", FRI, None, "2025-12-30", "2026-01-02", "day"),
    ("from Dec. 28 to Jan. 3", D("2026-01-10"), "past", "2025-12-28", "2026-01-03", "day"),
    ("Oct. 30 and 31, 2026", FRI, None, "2026-10-30", "2026-10-31", "day"),
    ("Oct. 31 and Nov. 1, 2026", FRI, None, "2026-10-31", "2026-11-01", "day"),
    ("June 15 2018", FRI, None, "2018-06-15", "2018-06-15", "day"),
    ("in 2019", FRI, None, "2019-01-01", "2019-12-31", "year"),
    ("since 2019", FRI, None, "2019-01-01", "2025-10-24", "year"),
    ("by 2030", FRI, None, "2025-10-24", "2030-12-31", "year"),
    ("between 2019 and 2021", FRI, None, "2019-01-01", "2021-12-31", "year"),
    ("from 2019 to 2021", FRI, None, "2019-01-01", "2021-12-31", "year"),
    ("in the 1990s", FRI, None, "1990-01-01", "1999-12-31", "year"),
    ("Christmas", FRI, None, "2025-12-25", "2025-12-25", "day"),
    ("Christmas Eve", DEC30, None, "2025-12-24", "2025-12-24", "day"),
    ("New Year's Day", DEC30, None, "2026-01-01", "2026-01-01", "day"),
    ("New Year's Eve", NYE, None, "2025-12-31", "2025-12-31", "day"),
    ("before Christmas", FRI, None, "2025-10-24", "2025-12-24", "day"),
    # -- weekdays, tense-aware
    ("as early as Thursday", THU, "future", "2025-06-05", "2025-06-05", "day"),
    ("as early as Thursday", THU, None, "2025-06-05", "2025-06-05", "day"),
    ("on Tuesday", TUE, "future", "2022-05-03", "2022-05-03", "day"),
    ("on Tuesday", TUE, "past", "2022-05-03", "2022-05-03", "day"),
    ("Wednesday", FRI, "future", "2025-10-29", "2025-10-29", "day"),
    ("Monday", FRI, "future", "2025-10-27", "2025-10-27", "day"),
    ("Wednesday", FRI, "past", "2025-10-22", "2025-10-22", "day"),
    ("Friday", FRI, "past", "2025-10-24", "2025-10-24", "day"),
    ("Thursday", FRI, "past", "2025-10-23", "2025-10-23", "day"),
    ("Thursday", FRI, None, "2025-10-30", "2025-10-30", "day"),
    ("late Tuesday", FRI, "future", "2025-10-28", "2025-10-28", "day"),
    ("Tuesday night", FRI, "past", "2025-10-21", "2025-10-21", "day"),
    ("Wednesday evening", THU, "past", "2025-06-04", "2025-06-04", "day"),
    ("Friday night", FRI, "future", "2025-10-24", "2025-10-24", "day"),
    ("on Sunday morning", FRI, "future", "2025-10-26", "2025-10-26", "day"),
    ("early Monday", SUN, "future", "2025-10-27", "2025-10-27", "day"),
    ("this Tuesday", FRI, "future", "2025-10-28", "2025-10-28", "day"),
    ("this Tuesday", FRI, "past", "2025-10-21", "2025-10-21", "day"),
    ("this Saturday", FRI, None, "2025-10-25", "2025-10-25", "day"),
    ("next Tuesday", FRI, None, "2025-10-28", "2025-10-28", "day"),
    ("next Tuesday", MON, None, "2025-11-04", "2025-11-04", "day"),
    ("next Friday", FRI, None, "2025-10-31", "2025-10-31", "day"),
    ("next Sunday", SUN, None, "2025-11-02", "2025-11-02", "day"),
    ("next Thursday", THU, None, "2025-06-12", "2025-06-12", "day"),
    ("last Tuesday", FRI, None, "2025-10-21", "2025-10-21", "day"),
    ("last Friday", FRI, None, "2025-10-17", "2025-10-17", "day"),
    ("last Sunday", MON, None, "2025-10-26", "2025-10-26", "day"),
    ("this coming Monday", MON, None, "2025-11-03", "2025-11-03", "day"),
    ("Tuesday next week", FRI, None, "2025-10-28", "2025-10-28", "day"),
    ("Wednesday of last week", FRI, None, "2025-10-15", "2025-10-15", "day"),
    ("Monday", SUN, "future", "2025-10-27", "2025-10-27", "day"),
    ("Sunday", SUN, "future", "2025-10-26", "2025-10-26", "day"),
    ("Saturday", SUN, "past", "2025-10-25", "2025-10-25", "day"),
    ("Thursday", NYE, "future", "2026-01-01", "2026-01-01", "day"),
    # -- days relative to the reference
    ("today", FRI, None, "2025-10-24", "2025-10-24", "day"),
    ("tonight", FRI, "future", "2025-10-24", "2025-10-24", "day"),
    ("this morning", FRI, "past", "2025-10-24", "2025-10-24", "day"),
    ("this afternoon", FRI, None, "2025-10-24", "2025-10-24", "day"),
    ("this evening", FRI, None, "2025-10-24", "2025-10-24", "day"),
    ("tomorrow", NYE, None, "2026-01-01", "2026-01-01", "day"),
    ("yesterday", MAR1, None, "2026-02-28", "2026-02-28", "day"),
    ("the day after tomorrow", NYE, None, "2026-01-02", "2026-01-02", "day"),
    ("the day before yesterday", FRI, None, "2025-10-22", "2025-10-22", "day"),
    ("tomorrow morning", FRI, None, "2025-10-25", "2025-10-25", "day"),
    ("last night", FRI, None, "2025-10-23", "2025-10-23", "day"),
    ("later today", FRI, None, "2025-10-24", "2025-10-24", "day"),
    # -- weeks, weekends, months, years
    ("this weekend", FRI, None, "2025-10-25", "2025-10-26", "week"),
    ("this weekend", SUN, None, "2025-10-26", "2025-10-26", "week"),
    ("this weekend", MON, "future", "2025-11-01", "2025-11-02", "week"),
    ("next weekend", FRI, None, "2025-11-01", "2025-11-02", "week"),
    ("last weekend", MON, None, "2025-10-25", "2025-10-26", "week"),
    ("over the weekend", MON, "past", "2025-10-25", "2025-10-26", "week"),
    ("this week", SUN, None, "2025-10-20", "2025-10-26", "week"),
    ("next week", SUN, None, "2025-10-27", "2025-11-02", "week"),
    ("next week", FRI, None, "2025-10-27", "2025-11-02", "week"),
    ("next week", DEC30, None, "2026-01-05", "2026-01-11", "week"),
    ("last week", MON, None, "2025-10-20", "2025-10-26", "week"),
    ("the week after next", FRI, None, "2025-11-03", "2025-11-09", "week"),
    ("this month", JAN31, None, "2025-01-01", "2025-01-31", "month"),
    ("next month", DEC30, None, "2026-01-01", "2026-01-31", "month"),
    ("next month", JAN31, None, "2025-02-01", "2025-02-28", "month"),
    ("last month", DEC30, None, "2025-11-01", "2025-11-30", "month"),
    ("last month", JAN31, None, "2024-12-01", "2024-12-31", "month"),
    ("this year", NYE, None, "2025-01-01", "2025-12-31", "year"),
    ("next year", NYE, None, "2026-01-01", "2026-12-31", "year"),
    ("next year", DEC30, "future", "2026-01-01", "2026-12-31", "year"),
    ("last year", FRI, None, "2024-01-01", "2024-12-31", "year"),
    ("this quarter", FRI, None, "2025-10-01", "2025-12-31", "quarter"),
    ("next quarter", DEC30, None, "2026-01-01", "2026-03-31", "quarter"),
    # -- counted and rolling spans
    ("in two weeks", FRI, None, "2025-11-07", "2025-11-07", "week"),
    ("in 10 days", FRI, None, "2025-11-03", "2025-11-03", "day"),
    ("in two weeks' time", FRI, None, "2025-11-07", "2025-11-07", "week"),
    ("in a month", JAN31, None, "2025-02-28", "2025-02-28", "month"),
    ("within two weeks", FRI, None, "2025-10-24", "2025-11-07", "week"),
    ("within 10 days", NYE, None, "2025-12-31", "2026-01-10", "day"),
    ("within a month", JAN31, None, "2025-01-31", "2025-02-28", "month"),
    ("within the week", FRI, None, "2025-10-24", "2025-10-26", "week"),
    ("in the coming days", FRI, None, "2025-10-24", "2025-10-31", "week"),
    ("in the coming weeks", FRI, None, "2025-10-24", "2025-11-21", "week"),
    ("in the coming months", FRI, None, "2025-10-24", "2026-01-24", "month"),
    ("in the next few days", FRI, None, "2025-10-24", "2025-10-31", "week"),
    ("in the days ahead", FRI, None, "2025-10-24", "2025-10-31", "week"),
    ("over the next two weeks", FRI, None, "2025-10-24", "2025-11-07", "week"),
    ("over the past two weeks", FRI, None, "2025-10-10", "2025-10-24", "week"),
    ("the past week", FRI, None, "2025-10-17", "2025-10-24", "week"),
    ("three weeks ago", FRI, None, "2025-10-03", "2025-10-03", "week"),
    ("a year ago", FRI, None, "2024-10-24", "2024-10-24", "year"),
    ("two days ago", MAR1, None, "2026-02-27", "2026-02-27", "day"),
    ("a week from now", FRI, None, "2025-10-31", "2025-10-31", "week"),
    ("two days later", FRI, None, "2025-10-26", "2025-10-26", "day"),
    ("this time next year", FRI, None, "2026-10-24", "2026-10-24", "year"),
    # -- anaphora with no earlier date: against ref
    ("the following day", FRI, None, "2025-10-25", "2025-10-25", "day"),
    ("the next day", FRI, None, "2025-10-25", "2025-10-25", "day"),
    ("the day after", FRI, None, "2025-10-25", "2025-10-25", "day"),
    ("the previous day", FRI, None, "2025-10-23", "2025-10-23", "day"),
    ("the day before", FRI, None, "2025-10-23", "2025-10-23", "day"),
    ("that evening", FRI, None, "2025-10-24", "2025-10-24", "day"),
    ("that day", FRI, None, "2025-10-24", "2025-10-24", "day"),
    ("the same day", FRI, None, "2025-10-24", "2025-10-24", "day"),
    ("later that week", FRI, None, "2025-10-24", "2025-10-26", "week"),
    # -- vague spans
    ("later this month", FRI, None, "2025-10-24", "2025-10-31", "month"),
    ("later this month", JAN31, None, "2025-01-31", "2025-01-31", "month"),
    ("early next month", FRI, None, "2025-11-01", "2025-11-10", "month"),
    ("early next month", DEC30, None, "2026-01-01", "2026-01-10", "month"),
    ("early next year", FRI, None, "2026-01-01", "2026-04-30", "year"),
    ("mid-July", FRI, "future", "2026-07-11", "2026-07-20", "month"),
    ("mid July", FRI, "past", "2025-07-11", "2025-07-20", "month"),
    ("late July", FRI, "future", "2026-07-21", "2026-07-31", "month"),
    ("end of July", THU, None, "2025-07-21", "2025-07-31", "month"),
    ("the end of July", THU, "future", "2025-07-21", "2025-07-31", "month"),
    ("early July", THU, None, "2025-07-01", "2025-07-10", "month"),
    ("late February", LEAP, "past", "2024-02-21", "2024-02-29", "month"),
    ("late this year", FRI, None, "2025-09-01", "2025-12-31", "year"),
    ("earlier this month", FRI, None, "2025-10-01", "2025-10-24", "month"),
    ("earlier this year", FRI, None, "2025-01-01", "2025-10-24", "year"),
    ("later this week", FRI, None, "2025-10-24", "2025-10-26", "week"),
    ("early next week", FRI, None, "2025-10-27", "2025-10-29", "week"),
    ("late next week", FRI, None, "2025-10-30", "2025-11-02", "week"),
    ("this summer", FRI, None, "2025-06-01", "2025-08-31", "quarter"),
    ("this summer", MAR1, "future", "2026-06-01", "2026-08-31", "quarter"),
    ("next spring", FRI, None, "2026-03-01", "2026-05-31", "quarter"),
    ("this fall", THU, None, "2025-09-01", "2025-11-30", "quarter"),
    ("this autumn", FRI, None, "2025-09-01", "2025-11-30", "quarter"),
    ("this winter", FRI, None, "2025-12-01", "2026-02-28", "quarter"),
    ("this winter", MIDWINTER, None, "2025-12-01", "2026-02-28", "quarter"),
    ("in the summer of 2026", FRI, None, "2026-06-01", "2026-08-31", "quarter"),
    ("by the end of the year", FRI, None, "2025-10-24", "2025-12-31", "year"),
    ("by the end of this year", FRI, None, "2025-10-24", "2025-12-31", "year"),
    ("by year-end", FRI, None, "2025-10-24", "2025-12-31", "year"),
    ("before the end of the year", FRI, None, "2025-10-24", "2025-12-31", "year"),
    ("by the end of the month", FRI, None, "2025-10-24", "2025-10-31", "month"),
    ("by June", FRI, None, "2025-10-24", "2026-06-30", "month"),
    ("before the end of June", FRI, None, "2025-10-24", "2026-06-30", "month"),
    ("the first half of next year", FRI, None, "2026-01-01", "2026-06-30", "year"),
    ("the second half of 2026", FRI, None, "2026-07-01", "2026-12-31", "year"),
    ("first quarter", FRI, None, "2026-01-01", "2026-03-31", "quarter"),
    ("the first quarter", FRI, "past", "2025-01-01", "2025-03-31", "quarter"),
    ("Q3 2026", FRI, None, "2026-07-01", "2026-09-30", "quarter"),
    ("the fourth quarter of next year", FRI, None, "2026-10-01", "2026-12-31", "quarter"),
    ("early 2027", FRI, None, "2027-01-01", "2027-04-30", "year"),
    ("mid-2026", FRI, None, "2026-05-01", "2026-08-31", "year"),
    ("late 2026", FRI, None, "2026-09-01", "2026-12-31", "year"),
    ("later this year", FRI, None, "2025-10-24", "2025-12-31", "year"),
    ("the end of the year", FRI, None, "2025-09-01", "2025-12-31", "year"),
    ("the beginning of next month", FRI, None, "2025-11-01", "2025-11-10", "month"),
    ("the middle of next year", FRI, None, "2026-05-01", "2026-08-31", "year"),
    ("the last week of June", THU, None, "2025-06-24", "2025-06-30", "month"),
    # -- modifiers and combinations
    ("as soon as next week", FRI, None, "2025-10-27", "2025-11-02", "week"),
    ("no later than Nov. 15", FRI, None, "2025-10-24", "2025-11-15", "day"),
    ("until Friday", MON, None, "2025-10-27", "2025-10-31", "day"),
    ("since June", FRI, None, "2025-06-01", "2025-10-24", "month"),
    ("since Monday", FRI, "future", "2025-10-20", "2025-10-24", "day"),
    ("July or August", FRI, None, "2025-07-01", "2025-08-31", "month"),
    ("July or August", FRI, "future", "2026-07-01", "2026-08-31", "month"),
    ("Tuesday or Wednesday", FRI, "future", "2025-10-28", "2025-10-29", "day"),
    ("from Monday to Wednesday", FRI, "future", "2025-10-27", "2025-10-29", "day"),
    ("Monday through Friday", MON, "future", "2025-10-27", "2025-10-31", "day"),
    ("Friday to Monday", SAT, "future", "2025-10-31", "2025-11-03", "day"),
    ("between Monday and Wednesday", FRI, None, "2025-10-27", "2025-10-29", "day"),
    ("Tuesday and Wednesday", FRI, "past", "2025-10-21", "2025-10-22", "day"),
    ("at 3 p.m.", FRI, None, "2025-10-24", "2025-10-24", "day"),
    ("Tuesday at 3 p.m.", FRI, "future", "2025-10-28", "2025-10-28", "day"),
    ("at 10:30 a.m. on Wednesday", FRI, "future", "2025-10-29", "2025-10-29", "day"),
    ("Nov. 1 at 15:00", FRI, None, "2025-11-01", "2025-11-01", "day"),
    ("Tuesday, Wednesday and Thursday", FRI, "future", "2025-10-28", "2025-10-30", "day"),
    ("Dec. 31, 2025 to Jan. 2", FRI, None, "2025-12-31", "2026-01-02", "day"),
    ("on or before Nov. 30", FRI, None, "2025-10-24", "2025-11-30", "day"),
    ("starting Monday", FRI, None, "2025-10-27", "2025-10-27", "day"),
    ("until next year", FRI, None, "2025-10-24", "2026-12-31", "year"),
    ("around Christmas", FRI, None, "2025-12-25", "2025-12-25", "day"),
    ("Thanksgiving", FRI, None, "2025-11-27", "2025-11-27", "day"),
    ("Mon., Oct. 27", FRI, None, "2025-10-27", "2025-10-27", "day"),
    ("the 27th of next month", FRI, None, "2025-11-27", "2025-11-27", "day"),
    ("the week of June 15", FRI, "future", "2026-06-15", "2026-06-21", "week"),
    ("within days", FRI, None, "2025-10-24", "2025-10-31", "week"),
    ("end-June", THU, None, "2025-06-21", "2025-06-30", "month"),
    ("midweek", FRI, None, "2025-10-21", "2025-10-23", "week"),
    ("H2 2026", FRI, None, "2026-07-01", "2026-12-31", "quarter"),
    ("Q4", FRI, None, "2025-10-01", "2025-12-31", "quarter"),
    ("in the fall", FRI, "future", "2025-09-01", "2025-11-30", "quarter"),
    ("next fall", FRI, None, "2026-09-01", "2026-11-30", "quarter"),
    ("last summer", FRI, None, "2025-06-01", "2025-08-31", "quarter"),
    ("a couple of days later", FRI, None, "2025-10-26", "2025-10-26", "day"),
    ("later in the year", FRI, None, "2025-10-24", "2025-12-31", "year"),
]

# (phrase, ref, tense, anchor, start, end, grain): anaphora against the last date the text mentioned.
ANCHORED = [
    ("the following day", FRI, "future", "2025-10-29", "2025-10-30", "2025-10-30", "day"),
    ("two days later", FRI, None, "2025-10-29", "2025-10-31", "2025-10-31", "day"),
    ("a week later", FRI, None, "2025-10-29", "2025-11-05", "2025-11-05", "week"),
    ("that evening", FRI, None, "2025-10-29", "2025-10-29", "2025-10-29", "day"),
    ("the previous day", FRI, None, "2026-01-01", "2025-12-31", "2025-12-31", "day"),
    ("later that week", FRI, None, "2025-10-29", "2025-10-29", "2025-11-02", "week"),
    ("the following week", FRI, None, "2025-10-29", "2025-11-03", "2025-11-09", "week"),
    ("at 3 p.m.", FRI, None, "2025-10-29", "2025-10-29", "2025-10-29", "day"),
    ("the following Tuesday", FRI, None, "2025-10-29", "2025-11-04", "2025-11-04", "day"),
    ("two days earlier", FRI, None, "2025-10-29", "2025-10-27", "2025-10-27", "day"),
    ("the day before", FRI, None, "2025-03-01", "2025-02-28", "2025-02-28", "day"),
    ("that week", FRI, None, "2025-10-29", "2025-10-27", "2025-11-02", "week"),
    ("the same day", FRI, "past", "2025-06-04", "2025-06-04", "2025-06-04", "day"),
]

TIMES = [
    ("at 3 p.m.", FRI, None, "2025-10-24", "15:00"),
    ("Tuesday at 3 p.m.", FRI, "future", "2025-10-28", "15:00"),
    ("at 10:30 a.m. on Wednesday", FRI, "future", "2025-10-29", "10:30"),
    ("Nov. 1 at 15:00", FRI, None, "2025-11-01", "15:00"),
    ("at noon Tuesday", FRI, "future", "2025-10-28", "12:00"),
    ("Monday at 12 a.m.", FRI, "future", "2025-10-27", "00:00"),
    ("at 9pm", FRI, None, "2025-10-24", "21:00"),
]

JUNK = ["blah", "", "   ", "the fox jumped over the dog", "$350 billion", "100 percent", "2,000 troops",
        "Theresa May said", "second", "next Tuesday and some other words", "Tuesday, next month",
        "Feb. 30", "June 32", "13:99"]


def _check(phrase, ref, tense, anchor, start, end, grain) -> bool:
    try:
        got = resolve(phrase, ref, tense, D(anchor) if anchor else None)
    except Unresolvable:
        return False
    return (got.start, got.end, got.grain) == (D(start), D(end), grain)


@pytest.mark.parametrize("phrase,ref,tense,start,end,grain", CASES, ids=[f"{c[0]}|{c[1]}|{c[2]}" for c in CASES])
def test_resolve_table(phrase, ref, tense, start, end, grain):
    got = resolve(phrase, ref, tense)
    assert (got.start.isoformat(), got.end.isoformat(), got.grain) == (start, end, grain)
    assert got.text == phrase.strip()


@pytest.mark.parametrize("phrase,ref,tense,anchor,start,end,grain", ANCHORED, ids=[c[0] for c in ANCHORED])
def test_resolve_anchored(phrase, ref, tense, anchor, start, end, grain):
    got = resolve(phrase, ref, tense, anchor=D(anchor))
    assert (got.start.isoformat(), got.end.isoformat(), got.grain) == (start, end, grain)


@pytest.mark.parametrize("phrase,ref,tense,day,hhmm", TIMES, ids=[c[0] for c in TIMES])
def test_clock_times(phrase, ref, tense, day, hhmm):
    got = resolve(phrase, ref, tense)
    assert (got.start.isoformat(), got.end.isoformat(), got.time) == (day, day, hhmm)


def test_no_time_unless_clock_given():
    assert resolve("late Tuesday", FRI, "future").time is None
    assert resolve("Wednesday evening", FRI, "future").time is None


def test_table_accuracy():
    rows = [(p, r, t, None, s, e, g) for p, r, t, s, e, g in CASES] + ANCHORED
    assert len(rows) >= 180
    passed = sum(_check(*row) for row in rows)
    assert passed / len(rows) >= 0.95, f"{passed}/{len(rows)}"


@pytest.mark.parametrize("phrase", JUNK)
def test_junk_is_unresolvable(phrase):
    with pytest.raises(Unresolvable):
        resolve(phrase, FRI)


def test_when_json():
    assert when_json("next week", FRI) == {"text": "next week", "start": "2025-10-27", "end": "2025-11-02",
                                           "grain": "week"}
    assert when_json("Tuesday at 3 p.m.", FRI, "future")["time"] == "15:00"
    bad = when_json("the fox jumped", FRI)
    assert bad["text"] == "the fox jumped" and "error" in bad
    json.dumps(bad)


def test_tz_aware_ref_uses_its_local_date():
    late_in_new_york = datetime(2025, 10, 24, 23, 30, tzinfo=timezone(timedelta(hours=-4)))  # 03:30 UTC on the 25th
    assert resolve("tomorrow", late_in_new_york).start == D("2025-10-25")
    early_in_seoul = datetime(2025, 10, 25, 1, 0, tzinfo=timezone(timedelta(hours=9)))  # still the 24th in UTC
    assert resolve("tomorrow", early_in_seoul).start == D("2025-10-26")


# -- find_dates on news sentences ------------------------------------------------------------------

def _found(text, ref, tense=None, anchor=None):
    out = find_dates(text, ref, tense, anchor)
    for f in out:
        assert text[f.start_char:f.end_char] == f.value.text
    return [(f.value.text, f.value.start.isoformat(), f.value.end.isoformat()) for f in out]


SENTENCES = [
    ("White House Press Secretary Karoline Leavitt said that Trump plans to have talks with Lee on Wednesday, "
     "and meet Xi the following day", FRI, "future",
     [("Wednesday", "2025-10-29", "2025-10-29"), ("the following day", "2025-10-30", "2025-10-30")]),
    ("Korea will host the multilateral gathering on Oct. 31 and Nov. 1.", FRI, "future",
     [("Oct. 31 and Nov. 1", "2025-10-31", "2025-11-01")]),
    ("For the forthcoming Asia trip, Trump will depart Washington for Malaysia on Friday night. He is set to "
     "arrive in the Southeast Asian country on Sunday morning.", FRI, "future",
     [("Friday night", "2025-10-24", "2025-10-24"), ("Sunday morning", "2025-10-26", "2025-10-26")]),
    ("President Lee Jae-myung is expected to hold a phone call with U.S. President Donald Trump as early as "
     "Thursday, according to diplomatic sources.", THU, "future",
     [("as early as Thursday", "2025-06-05", "2025-06-05")]),
    ("Trump will arrive in Tokyo on Monday, meet Takaichi the next day and fly to Busan two days later.",
     FRI, "future",
     [("Monday", "2025-10-27", "2025-10-27"), ("the next day", "2025-10-28", "2025-10-28"),
      ("two days later", "2025-10-30", "2025-10-30")]),
    ("Trump held three in-person meetings with Kim during his first term -- the first in Singapore in June "
     "2018, the second in Hanoi in February 2019 and the third at Panmunjom in June 2019.", FRI, "past",
     [("June 2018", "2018-06-01", "2018-06-30"), ("February 2019", "2019-02-01", "2019-02-28"),
      ("June 2019", "2019-06-01", "2019-06-30")]),
    ("The meeting will follow a bilateral framework trade deal struck in July.", FRI, "past",
     [("July", "2025-07-01", "2025-07-31")]),
    ("Since March, officials have met twice.", FRI, None, [("Since March", "2025-03-01", "2025-10-24")]),
    ("The G20 summit is set for Nov. 22-23 in Johannesburg.", FRI, "future",
     [("Nov. 22-23", "2025-11-22", "2025-11-23")]),
    ("He will visit Seoul from Dec. 30 to Jan. 2.", FRI, "future",
     [("from Dec. 30 to Jan. 2", "2025-12-30", "2026-01-02")]),
    ("Published: 05 Jun. 2025, 08:54", THU, None, [("05 Jun. 2025", "2025-06-05", "2025-06-05")]),
    ("The summit, first held in 2019, returns in June 2026.", FRI, None,
     [("2019", "2019-01-01", "2019-12-31"), ("June 2026", "2026-06-01", "2026-06-30")]),
    ("Talks were held on Oct. 30, 2025, and again two days later.", D("2025-11-05"), "past",
     [("Oct. 30, 2025", "2025-10-30", "2025-10-30"), ("two days later", "2025-11-01", "2025-11-01")]),
    ("Leaders are expected to meet later this year, possibly in the coming weeks.", FRI, "future",
     [("later this year", "2025-10-24", "2025-12-31"), ("in the coming weeks", "2025-10-24", "2025-11-21")]),
    ("The two sides agreed to hold talks by the end of the year.", FRI, None,
     [("by the end of the year", "2025-10-24", "2025-12-31")]),
    ("The ministers will meet\u00a0Oct.\u00a031\u2013Nov.\u00a01 in Gyeongju.", FRI, "future",
     [("Oct.\u00a031\u2013Nov.\u00a01", "2025-10-31", "2025-11-01")]),
    # a year after a yearless date completes it
    ("Seoul hosted the previous meeting in November last year.", FRI, "past",
     [("November last year", "2024-11-01", "2024-11-30")]),
    ("Lula is likely to meet Biden before his inauguration in January next year.", D("2022-12-01"), None,
     [("January next year", "2023-01-01", "2023-01-31")]),
    # a story told in the past: a yearless month follows the written-out year before it
    ("Trump met Kim in Singapore in June 2018, in Hanoi in February and at Panmunjom in June 2019.", FRI, "past",
     [("June 2018", "2018-06-01", "2018-06-30"), ("February", "2019-02-01", "2019-02-28"),
      ("June 2019", "2019-06-01", "2019-06-30")]),
    ("Talks were held on Oct. 30, 2025, and again in February.", D("2025-11-05"), "past",
     [("Oct. 30, 2025", "2025-10-30", "2025-10-30"), ("February", "2025-02-01", "2025-02-28")]),
    ("The summit, first held in 2019, returns in June.", FRI, "future",
     [("2019", "2019-01-01", "2019-12-31"), ("June", "2026-06-01", "2026-06-30")]),
    # a bare weekday listed after a later date follows it
    ("Trump will visit Japan on Oct. 27, South Korea on Oct. 29 and Malaysia on Friday.", FRI, "future",
     [("Oct. 27", "2025-10-27", "2025-10-27"), ("Oct. 29", "2025-10-29", "2025-10-29"),
      ("Friday", "2025-10-31", "2025-10-31")]),
    ("Lee will meet Trump on Tuesday, Nov. 4, before flying home Friday.", FRI, "future",
     [("Tuesday, Nov. 4", "2025-11-04", "2025-11-04"), ("Friday", "2025-11-07", "2025-11-07")]),
    # ... but not when it is a move, a report or a contrast
    ("Sharm el-Sheikh is expected to host the summit Tuesday morning, although sources say it may be moved "
     "to Monday.", D("2025-10-10"), "future",
     [("Tuesday morning", "2025-10-14", "2025-10-14"), ("Monday", "2025-10-13", "2025-10-13")]),
    ("The summit on Nov. 20 was confirmed, officials said Monday.", FRI, "future",  # said Monday: the one past
     [("Nov. 20", "2025-11-20", "2025-11-20"), ("Monday", "2025-10-20", "2025-10-20")]),
    ("The meeting, planned for next Thursday, was postponed to May 21.", FRI, "past",
     [("next Thursday", "2025-10-30", "2025-10-30"), ("May 21", "2025-05-21", "2025-05-21")]),
    ("Turnout was high on election day in Brazil.", FRI, "past", []),  # any election's day, not the US one
    ("The meeting was moved from Tuesday to Thursday.", FRI, "past",
     [("from Tuesday to Thursday", "2025-10-21", "2025-10-23")]),
    # confirming weekdays, time zones, numeric dates, year ranges, weekday + day number
    ("He arrives Oct. 29, Wednesday, and leaves Oct. 31.", FRI, "future",
     [("Oct. 29, Wednesday", "2025-10-29", "2025-10-29"), ("Oct. 31", "2025-10-31", "2025-10-31")]),
    ("Xi will arrive Thursday 9 a.m. local time and leave at 3 p.m. ET on Friday, Oct. 31.", FRI, "future",
     [("Thursday 9 a.m. local time", "2025-10-30", "2025-10-30"),
      ("at 3 p.m. ET on Friday, Oct. 31", "2025-10-31", "2025-10-31")]),
    ("India chaired the council in 2022-23; the filing is dated 10/29/2025.", FRI, None,
     [("2022-23", "2022-01-01", "2023-12-31"), ("10/29/2025", "2025-10-29", "2025-10-29")]),
    ("Leaders will gather on Thursday the 30th, after talks later Monday.", FRI, "future",
     [("Thursday the 30th", "2025-10-30", "2025-10-30"), ("later Monday", "2025-10-27", "2025-10-27")]),
    ("Americans vote on the first Tuesday in November.", FRI, "future",
     [("the first Tuesday in November", "2025-11-04", "2025-11-04")]),
    ("The bloc met a few days ago and will meet again within 48 hours, then for the rest of the year.", FRI, None,
     [("a few days ago", "2025-10-17", "2025-10-23"), ("within 48 hours", "2025-10-24", "2025-10-26"),
      ("the rest of the year", "2025-10-24", "2025-12-31")]),
    ("Talks are set for Jan. 10 and a council meeting is scheduled for the 12th and 13th.", D("2025-12-30"),
     "future", [("Jan. 10", "2026-01-10", "2026-01-10"), ("the 12th and 13th", "2026-01-12", "2026-01-13")]),
    # a reported figure against "a year ago/earlier" is the same period a year before: the quarter last reported
    ("Profit rose to $93.3 million from $81.2 million a year earlier.", FRI, "past",
     [("a year earlier", "2024-07-01", "2024-09-30")]),
    ("It earned 41 cents a share, a year ago 38 cents, and 2.1 billion yen a year earlier.", D("2026-02-10"), "past",
     [("a year ago", "2024-10-01", "2024-12-31"), ("a year earlier", "2024-10-01", "2024-12-31")]),
    ("The leaders met a year earlier in Lima.", FRI, "past", [("a year earlier", "2024-10-24", "2024-10-24")]),
    ("Profit for the fiscal year ended Sept. 30 rose; for the fiscal year, sales fell.", FRI, "past",
     [("Sept. 30", "2025-09-30", "2025-09-30"), ("the fiscal year", "2025-01-01", "2025-12-31")]),
]


@pytest.mark.parametrize("text,ref,tense,expected", SENTENCES, ids=[s[0][:40] for s in SENTENCES])
def test_find_dates_sentences(text, ref, tense, expected):
    assert _found(text, ref, tense) == expected


NEGATIVES = [
    "South Korea's $350 billion investment pledge under a bilateral framework",
    "Theresa May said the talks may meet resistance",
    "Trump threatened an additional 100 percent tariff on Chinese goods",
    "Some 2,000 troops were deployed to the border",
    "a total of 2000 troops",
    "Protesters plan to march on the embassy; a march drew thousands",
    "The 24th summit of the bloc drew leaders from the region",
    "He was the second leader to arrive",
    "The fall of the government surprised analysts",
    "the Arab Spring uprisings",
    "guests at Mar-a-Lago",
    "Article 5 of the treaty",
    "He was in his 50s when he took office",
    "The deal is expected in the second half, officials said",
    "The troops march first to the border",
    "The talks may second the motion",
    "The document is dated 05/06/2025 and version 1.5.2003 is current",
    "Now the leaders say they are ready",
    "the 21st century challenges",
    "the second in Hanoi",
    "Mon and Sat are abbreviations",
    "He voted for the 12th and 13th amendments",
    "She ran for the 12th time",
    "Modi will travel for the 22nd India-Russia annual summit",
    "The delegation left for the 3rd Plenum of the party",
    "Leaders set goals for the year ahead and named him person of the year",
    "a force of 1500 men crossed the river",  # history's years reach back to 1000: counts stay counts
    "the city stood for 1800 years; between 1200-1800 troops held it",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_find_dates_negatives(text):
    assert find_dates(text, FRI, "future") == []


def test_find_dates_uses_anchor_then_ref():
    text = "They will meet again the following day."
    assert _found(text, FRI, "future", anchor=D("2025-10-29")) == [("the following day", "2025-10-30", "2025-10-30")]
    assert _found(text, FRI, "future") == [("the following day", "2025-10-25", "2025-10-25")]


def test_find_dates_clock_time_attaches_to_day():
    out = find_dates("He met Xi at 3 p.m. on Thursday and flew home the following day.", FRI, "past")
    assert [(f.value.text, f.value.start.isoformat(), f.value.time) for f in out] == [
        ("at 3 p.m. on Thursday", "2025-10-23", "15:00"), ("the following day", "2025-10-24", None)]


def test_find_dates_returns_found_objects():
    (f,) = find_dates("on Wednesday", FRI, "future")
    assert isinstance(f, Found) and isinstance(f.value, Resolved)
    assert (f.start_char, f.end_char) == (3, 12)
    assert f.value.to_json() == {"text": "Wednesday", "start": "2025-10-29", "end": "2025-10-29", "grain": "day"}


def test_longest_match_wins_and_no_overlap():
    out = find_dates("the day after tomorrow, next week, then late next week", FRI)
    assert [f.value.text for f in out] == ["the day after tomorrow", "next week", "late next week"]
    spans = [(f.start_char, f.end_char) for f in out]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_moved_to_date_resolves_alone():
    """The extractor splits "planned for Tuesday, to May 21" and resolves the part after "to"."""
    assert resolve("to May 21", FRI, "future").start == D("2026-05-21")
    assert resolve("May 21", FRI, "future").start == D("2026-05-21")
    assert resolve("to Thursday", FRI, "future").start == D("2025-10-30")


def test_bad_tense_is_a_programming_error():
    with pytest.raises(ValueError):
        find_dates("Tuesday", FRI, "someday")
