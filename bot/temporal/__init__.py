"""Resolve English news time expressions ("on Wednesday", "Oct. 31 and Nov. 1", "later this year")
against a publication date into inclusive calendar-date ranges.

Approach (pure stdlib, one pass per rule, O(len(text)) per rule):

1. **Atoms.** A table of precompiled regexes (``@_rule``), each mapped to a small handler that turns
   a match into a date range (``_Val``) or rejects it (context checks such as "May" the modal verb,
   "the 24th summit", "2,000 troops").  Every rule scans the (1:1 normalised, ASCII-only) text; all
   accepted matches are candidates, and the longest non-overlapping ones win.
2. **Composition.** Adjacent atoms are glued left to right: a clock time attaches to its day
   ("Tuesday at 3 p.m.", "Monday at 9 a.m. ET"), a weekday that agrees confirms its date ("Oct. 29,
   Wednesday"), a year completes a yearless date before or after it ("November next year", "May of
   last year", "next year's first quarter"), two dates joined by "and / or / to / through / -" become
   one span ("Oct. 31 and Nov. 1", "July or August") that keeps each date it joins with its own offsets
   and value (``Found.parts``: TIMEX3 marks each), and a preceding modifier shapes the result
   ("by June" -> ref..June 30, "since 2019" -> 2019..ref, "as early as Thursday").  A range's end is read
   from its start; a list ("Friday and Thursday") never carries a date across the reference against the
   tense; a date that determines a noun after "to" ("a revision to December's figures") closes no range.
3. **Inference.** A date missing its year (or week, for weekdays) is placed by tense: "future" ->
   next occurrence on/after ref, "past" -> latest on/before ref, None -> the nearest (months,
   dates) or the coming one (weekdays); a weekday written with the date picks the year ("Fri, Jul
   18").  The tense given to find_dates is the sentence's: a yearless date a past-tense sentence would put
   most of a year back while it falls weeks ahead is the one ahead ("was extended to Nov. 16", the near-date
   rule); resolve(), and find_dates(own_tense=True) for a date read with its own verb, keep the tense binding.
   Anaphora ("the following day", "two days later") resolve against the last date found earlier in the
   text, else ``anchor``, else ref.  Within one text, a bare weekday listed after a
   later date follows it ("Japan on Oct. 29 and Malaysia on Friday"; not after "moved to", "said"
   or "although"), and in a past-tense text a yearless day or month told after a written-out year
   follows that year ("in June 2018 ..., then in February" -> February 2019).

Vague expressions become honest ranges: "early/mid/late" are thirds of the month (1-10, 11-20,
21-end), of the year (Jan-Apr, May-Aug, Sep-Dec) or of the week (Mon-Wed, Tue-Thu, Thu-Sun); "in
the coming weeks" is ref..ref+28; "a few days ago" is ref-7..ref-1 and "days later" anchor+1..+7;
"the rest of the year" is ref..Dec 31; "the first/second/last week of June" are 7-day blocks of
the month.  "in two weeks" / "a year ago" are the single day that far away, with the grain of the
unit named (a fortnight counts in weeks, hours in whole days).

Values.  Each result also carries a TIMEX3-style value (``Resolved.timex``: 2025-10-28, 2025-W44,
2025-W43-WE, 2025-11, 2025-Q3, 2025-H2, 2025-SU, 2025, 199X, 19XX, FY2026, 2025-10-28T21:00 with an IANA
``zone``, 2025-10-28TEV for a part of day, a/b for other ranges), its TIMEX grain (``timex_unit``) and a
modifier (start/mid/end for early/mid/late, before for by/until, after for since).  "Now", "currently",
"recently", "in the past", "soon", "in the future", "once" dating an adjective ("a once-mighty party") are vague
(PRESENT_REF, PAST_REF, FUTURE_REF): no date; find_dates leaves them out unless asked (``vague=True``), and then
marks them.

Locale.  Numeric a/b/yyyy dates are read by their parts when one is above 12, else by the day-first
policy of the outlet's or dateline's country (``locale_for("GB")``; the US and the Philippines write the
month first), and refused when the country is unknown.  The country also gives the fiscal year's first
month (US October, UK/India/Japan April, Australia July; else January) and "local time".  An underspecified
"the end of the year" follows the tense: ahead, the end still to come from now on; back, the one just passed.
News conventions of company reports: a yearless quarter looking ahead starts from the last quarter reported
("expects third-quarter profit" in October is this year's), a figure set against "a year ago/earlier" is
the year-ago quarter, "for the year" is the reference's year, and a past-tense "this quarter" said in the first
weeks of a quarter (results season) is the quarter just reported, as "the quarter" is.

Limits: no holidays beyond Christmas, New Year, US Thanksgiving, Western Easter and US Election Day (no lunar
calendars); abbreviated weekdays ("Mon."), yearless a/b dates ("3/14"), bare halves ("the second half") and
centuries resolve only as whole phrases (``resolve``), never inside running text; seasons are northern-hemisphere
and meteorological (winter = Dec-Feb); zones come from a small table of abbreviations and capitals.

Layout.  values (the public types, TIMEX3 formatting), locales, lexicon (words and regex fragments),
calendar_math, rules (the rule table and inference by tense); the rules by family: numeric, named_dates,
holidays, years, relative, spans, counted, clock; compose (gluing atoms) and finder (the scan and the
entry points).
"""

from __future__ import annotations

from .finder import _matches, find_dates, resolve, when_json  # noqa: F401 (_matches: the bench clears its cache)
from .locales import Locale, locale_for
from .values import Found, Resolved, Unresolvable, timex_value

__all__ = ["Found", "Locale", "Resolved", "Unresolvable", "find_dates", "locale_for", "resolve", "timex_value",
           "when_json"]
