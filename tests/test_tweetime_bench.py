"""bench/tweetime_accuracy.py: reading TweeTIME's tab-separated tweets and scoring days as sets (on a made-up
file: the corpus itself is not kept in the repository)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import tweetime_accuracy  # noqa: E402


def test_reads_gold_and_their_days_and_scores_sets(tmp_path, capsys):
    lines = ["The fair runs July 2-3, come along\t2025-02-26\t2025-07-02,2025-07-03\t2025-07-03",
             "lunch tmrw with the team\t2025-07-15\t2025-07-16\t2025-07-16",
             "no date here at all\t2025-07-15\tNone\t2025-07-15",
             "a broken line without its columns"]
    path = tmp_path / "tweets.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = tweetime_accuracy.read(path)
    assert [r[2] for r in rows] == [frozenset({date(2025, 7, 2), date(2025, 7, 3)}), frozenset({date(2025, 7, 16)}),
                                    frozenset()]
    assert tweetime_accuracy.predict(rows[0][0], rows[0][1]) == rows[0][2]  # a range is each of its days
    tweetime_accuracy.main(path)
    out = capsys.readouterr().out
    assert "resolver 2/2 = 1.000, TweeTIME 1/2 = 0.500" in out  # TweeTIME named one day of the two
    assert "resolver 3/3 = 1.000, TweeTIME 1/3 = 0.333" in out  # and a date where the gold has none
