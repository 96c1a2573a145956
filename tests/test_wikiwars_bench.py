"""bench/wikiwars_accuracy.py: reading inline TIMEX2 (nested tags too), choosing the scored values, the
values of the dates a joined span holds, and the article split (on a made-up article: the corpus itself is
not kept in the repository)."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import wikiwars_accuracy as ww  # noqa: E402

ARTICLE = """<DOC>
<DOCID>99_MadeUpWar</DOCID>
<TEXT>
Course of the war

On <TIMEX2 val="1862-04-06">April 6, 1862</TIMEX2>, the armies met. The siege lasted
<TIMEX2 val="P3M">three months</TIMEX2>; in <TIMEX2 val="1862-07" mod="START">early July</TIMEX2> it ended.
The war (<TIMEX2 val="1861">1861</TIMEX2>-<TIMEX2 val="1865">1865</TIMEX2>) changed
<TIMEX2 val="">the times</TIMEX2>, as in <TIMEX2 val="1863-SU">the summer of <TIMEX2 val="1863">1863</TIMEX2></TIMEX2>
&amp; later: <TIMEX2 val="1864-08">August</TIMEX2>-<TIMEX2 val="1864-09">September 1864</TIMEX2>.
</TEXT>
</DOC>
"""


def test_parse_keeps_offsets_nested_tags_and_the_corpus_date(tmp_path):
    text, dct, golds = ww.parse("99_MadeUpWar.key.xml", ARTICLE)
    assert dct == ww.DOWNLOADED  # no DATETIME: the download date the readme gives
    assert all(text[g.start:g.end] == g.text for g in golds)
    assert {g.text: g.value for g in golds} == {
        "April 6, 1862": "1862-04-06", "three months": "P3M", "early July": "1862-07", "1861": "1861",
        "1865": "1865", "the times": "", "the summer of 1863": "1863-SU", "1863": "1863",
        "August": "1864-08", "September 1864": "1864-09"}
    assert "& later" in text  # entities unescaped
    assert [g.text for g in golds if ww.scored(g)] == [  # durations and empty values are not scored
        "April 6, 1862", "early July", "1861", "1865", "1863", "the summer of 1863", "August", "September 1864"]


def test_predict_reads_the_narrative_year_and_splits_joined_spans():
    text, dct, golds = ww.parse("99_MadeUpWar.key.xml", ARTICLE)
    got = {g.text: v for g, v in ww.predict(text, dct, golds).items()}
    assert got["April 6, 1862"] == "1862-04-06"
    assert got["early July"] == "1862-07"  # the year the narrative told last
    assert (got["1861"], got["1865"]) == ("1861", "1865")  # "1861-1865" is one span here, two dates there
    assert ww.same(got["the summer of 1863"], "1863-SU") and got["1863"] == "1863"  # nested: its own value
    assert (got["August"], got["September 1864"]) == ("1864-08", "1864-09")  # a range without spaces


def test_normalisation_and_split():
    assert ww.same("-0490", "BC0490") and ww.same("194X", "194") and not ww.same("1941", "1942")
    assert ww.half("01_WW2") in ("dev", "test") and ww.half("01_WW2") == ww.half("01_WW2")
    years = type("V", (), {"start": date(1914, 1, 1), "end": date(1918, 12, 31), "unit": None, "grain": "year"})()
    assert (ww._part_value(years, True), ww._part_value(years, False)) == ("1914", "1918")


def test_reads_a_directory_of_key_files(tmp_path, capsys):
    (tmp_path / "99_MadeUpWar.key.xml").write_text(ARTICLE, encoding="utf-8")
    ww.main(tmp_path)
    out = capsys.readouterr().out
    assert "8 date-like TIMEX2 expressions" in out and "all : 8/8 = 1.000" in out
