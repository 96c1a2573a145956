"""Reading articles from files: text with datelines, gold JSON/JSONL, HTML, and broken input."""

import json
from datetime import datetime

from bot.sources import parse_date_text, read_articles
from tests.conftest import SEEDS


def test_seed_datelines_are_found():
    results = list(read_articles([SEEDS]))
    assert len(results) == 2 and all(r.article for r in results)
    dates = sorted(r.article.published for r in results)
    assert dates[0] == datetime(2025, 6, 5, 8, 54)
    assert dates[1] == datetime(2025, 10, 24)
    # "date 2025-10-24 US President..." keeps the story text.
    later = [r.article for r in results if r.article.published.month == 10][0]
    assert later.text.startswith("US President Donald Trump")


def test_date_forms():
    assert parse_date_text("05 Jun. 2025, 08:54") == datetime(2025, 6, 5, 8, 54)
    assert parse_date_text("October 24, 2025") == datetime(2025, 10, 24)
    assert parse_date_text("2025-10-24T09:00:00+09:00").utcoffset().total_seconds() == 9 * 3600
    assert parse_date_text("01 December, 2022, 10:25 am") == datetime(2022, 12, 1, 10, 25)
    assert parse_date_text("sometime") is None


def test_jsonl_and_json_and_bad_lines(tmp_path):
    good = {"id": "a1", "published": "2025-01-02", "title": "T", "text": "Leaders meet."}
    (tmp_path / "a.jsonl").write_text(json.dumps(good) + "\n{broken\n" + json.dumps({"id": "x"}) + "\n")
    (tmp_path / "b.json").write_text(json.dumps(dict(good, id="b1")))
    results = list(read_articles([tmp_path]))
    ok = [r.article.id for r in results if r.article]
    bad = [r.error for r in results if r.error]
    assert ok == ["a1", "b1"] and len(bad) == 2


def test_broken_files_are_reported_not_raised(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "nodate.txt").write_text("A title\n\nSome text without any date line.")
    results = {r.origin.rsplit("/", 1)[-1]: r for r in read_articles([tmp_path, tmp_path / "missing.txt"])}
    assert results["empty.txt"].error == "empty file"
    assert "binary" in results["bin.txt"].error
    assert results["nodate.txt"].article.published is None
    assert results["missing.txt"].error == "no such file"


def test_html_article(tmp_path):
    html = """<html><head><title>Leaders to meet</title>
    <meta property="article:published_time" content="2025-03-01T10:00:00Z"></head>
    <body><article><h1>Leaders to meet</h1><p>President Emmanuel Macron will meet Chancellor Friedrich Merz
    in Berlin next Tuesday, the Elysee said on Saturday, in a visit prepared for weeks by both governments.</p>
    <p>The two leaders are expected to discuss defence spending and trade.</p></article></body></html>"""
    (tmp_path / "a.html").write_text(html)
    [result] = list(read_articles([tmp_path / "a.html"]))
    assert result.article is not None, result.error
    assert "Macron" in result.article.text
    assert result.article.published.date().isoformat() == "2025-03-01"


def test_an_empty_folder_is_reported(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    [result] = read_articles([tmp_path / "empty"])
    assert result.article is None and "no article files" in result.error


def test_cli_ingest_reports_bad_files_and_goes_on(tmp_path, monkeypatch):
    from click.testing import CliRunner

    import bot.cli

    class NoMeetings:
        def extract(self, article):
            return []

    monkeypatch.setattr(bot.cli, "_extractor", NoMeetings)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "folder").mkdir()
    paths = [str(tmp_path / name) for name in ("empty.txt", "bin.txt", "missing.txt", "folder")] + [str(SEEDS)]
    out = CliRunner().invoke(bot.cli.cli, ["--db", str(tmp_path / "x.db"), "ingest", *paths],
                             env={"SUMMITBOT_NOW": ""})
    assert out.exit_code == 0, out.output
    assert "articles: 2 new, 0 duplicate, 0 skipped, 4 failed" in out.output
    for name, reason in (("empty.txt", "empty file"), ("bin.txt", "binary file"), ("missing.txt", "no such file"),
                         ("folder", "no article files")):
        assert f"{name}: {reason}" in out.output
