"""The resolver's TIMEX3 values on TempEval-3 training news (tests/data/tbaq_timex.tsv, TimeBank + AQUAINT):
a floor under the value accuracy bench/timex_accuracy.py reports, so a change that loses ground shows."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import timex_accuracy  # noqa: E402

FLOOR = 0.83  # 0.838 on 2026-12-07, third round (0.829 that morning, 0.798 on 2026-12-06); before the TIMEX values: 0.559


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
