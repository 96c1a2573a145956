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


# -- hostile input: each bad item gets its own error, the rest of the batch is read ---------------

GOOD = {"id": "ok", "published": "2025-01-02", "title": "T", "text": "Leaders meet."}


def test_deeply_nested_json_is_an_error_for_that_file_only(tmp_path):
    deep = "[" * 100_000 + "]" * 100_000
    (tmp_path / "a_deep.json").write_text(deep)
    (tmp_path / "b_deep_text.json").write_text('{"text": ' + deep + "}")
    (tmp_path / "c_good.json").write_text(json.dumps(GOOD))
    results = {r.origin.rsplit("/", 1)[-1]: r for r in read_articles([tmp_path])}
    assert "nested too deeply" in results["a_deep.json"].error
    assert "nested too deeply" in results["b_deep_text.json"].error
    assert results["c_good.json"].article.id == "ok"


def test_deeply_nested_jsonl_line_voids_only_that_line(tmp_path):
    deep = '{"text": "x", "title": ' + "[" * 100_000 + "]" * 100_000 + "}"
    lines = [json.dumps(dict(GOOD, id="first")), deep, json.dumps(dict(GOOD, id="last"))]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n")
    results = list(read_articles([tmp_path / "a.jsonl"]))
    assert [r.article.id if r.article else None for r in results] == ["first", None, "last"]
    assert results[1].origin.endswith("a.jsonl:2") and "nested too deeply" in results[1].error


def test_a_nul_line_in_jsonl_voids_only_that_line(tmp_path):
    data = (json.dumps(dict(GOOD, id="first")) + "\n" + "\x00" * 8 + '{"text": "x"}\n'
            + json.dumps(dict(GOOD, id="last")) + "\n")
    (tmp_path / "a.jsonl").write_bytes(data.encode())
    results = list(read_articles([tmp_path / "a.jsonl"]))
    assert [r.article.id if r.article else None for r in results] == ["first", None, "last"]
    assert "NUL" in results[1].error and results[1].origin.endswith(":2")


def test_a_nested_field_in_a_record_is_an_error_for_that_record(tmp_path):
    lines = [json.dumps(dict(GOOD, id="first", url={"href": "x"})), json.dumps(dict(GOOD, id="last"))]
    (tmp_path / "a.jsonl").write_text("\n".join(lines))
    results = list(read_articles([tmp_path / "a.jsonl"]))
    assert "`url` must be a string" in results[0].error and results[1].article.id == "last"


def test_a_fifo_given_as_an_article_is_refused_without_blocking(tmp_path):
    import os
    import threading

    fifo = tmp_path / "news.txt"
    os.mkfifo(fifo)
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    out: list = []
    reader = threading.Thread(target=lambda: out.extend(read_articles([fifo, tmp_path / "good.json"])), daemon=True)
    reader.start()
    reader.join(timeout=10)  # a blocked open() would never return: no writer ever comes
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert "FIFO" in out[0].error and out[1].article.id == "ok"


def test_a_device_given_as_an_article_is_refused(tmp_path):
    [result] = list(read_articles(["/dev/zero"]))
    assert "not a regular file" in result.error


class _NoMeetings:
    def extract(self, article):
        return []


class _Broken:
    def extract(self, article):
        raise RuntimeError("the model is missing")


def _ingest(tmp_path, monkeypatch, paths, extractor=_NoMeetings, *extra):
    from click.testing import CliRunner

    import bot.cli

    monkeypatch.setattr(bot.cli, "_extractor", extractor)
    return CliRunner().invoke(bot.cli.cli, ["--db", str(tmp_path / "x.db"), "ingest", *extra, *map(str, paths)],
                              env={"SUMMITBOT_NOW": ""})


def test_cli_ingest_exits_1_when_every_item_failed(tmp_path, monkeypatch):
    import os

    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    os.mkfifo(tmp_path / "pipe.txt")
    out = _ingest(tmp_path, monkeypatch, [tmp_path / "empty.txt", tmp_path / "deep.json", tmp_path / "pipe.txt"])
    assert out.exit_code == 1, out.output
    assert "0 new, 0 duplicate, 0 skipped, 3 failed" in out.output and "every item failed" in out.output
    assert "nested too deeply" in out.output and "FIFO" in out.output
    out = _ingest(tmp_path, monkeypatch, [tmp_path / "empty.txt"], _NoMeetings, "--json")
    assert out.exit_code == 1 and json.loads(out.output.splitlines()[0])["articles"]["failed"] == 1


def test_cli_ingest_exits_1_when_every_extraction_failed_and_0_when_one_item_was_read(tmp_path, monkeypatch):
    out = _ingest(tmp_path, monkeypatch, [SEEDS], _Broken)
    assert out.exit_code == 1 and "2 new, 0 duplicate, 0 skipped, 2 failed" in out.output
    (tmp_path / "empty.txt").write_text("")
    out = _ingest(tmp_path, monkeypatch, [tmp_path / "empty.txt", SEEDS])  # the seeds are duplicates now
    assert out.exit_code == 0 and "0 new, 2 duplicate, 0 skipped, 1 failed" in out.output
    (tmp_path / "nodate.txt").write_text("A title\n\nSome text without any date line.")
    out = _ingest(tmp_path, monkeypatch, [tmp_path / "nodate.txt", tmp_path / "missing.txt"])
    assert out.exit_code == 0 and "1 skipped, 1 failed" in out.output  # stored, waiting for a date: not a failure
