"""The resolver's TIMEX3 values on TempEval-3 training news (tests/data/tbaq_timex.tsv, TimeBank + AQUAINT):
a floor under the value accuracy bench/timex_accuracy.py reports, so a change that loses ground shows."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import timex_accuracy  # noqa: E402

FLOOR = 0.84  # 0.841 on 2026-12-08 (the dates of a joined span scored by their own values); 0.838 on 2026-12-07, third round (0.829 that morning, 0.798 on 2026-12-06); before the TIMEX values: 0.559


def test_table_is_whole():
    rows = timex_accuracy.load()
    assert len(rows) > 1700
    assert {r["type"] for r in rows} == {"DATE", "TIME", "DURATION", "SET"}
    for r in rows:
        start = int(r["offset"])
        assert r["context"][start:start + len(r["expression"])] == r["expression"], r
        assert len(r["context"].split()) <= len(r["expression"].split()) + 2 * timex_accuracy.CONTEXT_WORDS  # no sentence


def test_value_accuracy_on_dates_and_times():
    rows = [r for r in timex_accuracy.load() if r["type"] in ("DATE", "TIME")]
    hits = sum(timex_accuracy._norm(timex_accuracy.predict(r)) == timex_accuracy._norm(r["value"]) for r in rows)
    assert hits / len(rows) >= FLOOR, f"{hits}/{len(rows)}"


def test_a_date_inside_a_joined_span_is_scored_by_its_own_value():
    """TimeBank marks "Nov. 6" in "last Thursday, to Nov. 6": the bench takes that date's value from the span the
    resolver found (its parts), not from the date read alone (which, in the past tense, would be a year back)."""
    context = "last Thursday, to Nov. 6 ."
    row = {"doc": "d", "type": "DATE", "value": "1989-11-06", "expression": "Nov. 6", "dct": "1989-10-30",
           "tense": "past", "offset": str(context.index("Nov. 6")), "context": context}
    assert timex_accuracy.predict(row) == "1989-11-06"
    assert timex_accuracy.resolve("Nov. 6", date(1989, 10, 30), "past").timex == "1988-11-06"  # the old fallback
