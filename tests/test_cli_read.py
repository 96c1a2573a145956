"""The CLI's read-only commands: upcoming, next, search and show read an existing database and never create one."""

from __future__ import annotations

import json

from click.testing import CliRunner

from bot.cli import cli
from tests.conftest import SEEDS

NOW = {"SUMMITBOT_NOW": "2025-10-24T00:00:00+00:00"}


def _seeded(tmp_path) -> str:
    db = str(tmp_path / "s.db")
    out = CliRunner().invoke(cli, ["--db", db, "ingest", "--quiet", str(SEEDS)], env=NOW)
    assert out.exit_code == 0, out.output
    return db


def test_search_and_next_answer_as_text_and_as_json(tmp_path):
    db = _seeded(tmp_path)
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", db, "search", "APEC"], env=NOW)
    assert out.exit_code == 0 and "APEC summit" in out.output
    out = runner.invoke(cli, ["--db", db, "next", "Xi", "Jinping", "--json"], env=NOW)
    assert out.exit_code == 0, out.output
    [row] = [json.loads(line) for line in out.output.splitlines()]
    assert ("Xi Jinping" in row["participants"], row["start"]) == (True, "2025-10-30")
    rows = [json.loads(line) for line in runner.invoke(cli, ["--db", db, "upcoming", "--json"], env=NOW).output.splitlines()]
    assert any(r["name"] == "APEC summit" and (r["start"], r["end"]) == ("2025-10-31", "2025-11-01") for r in rows)


def test_a_bad_argument_gets_a_usage_line_and_exit_status_1(tmp_path):
    db = _seeded(tmp_path)
    out = CliRunner().invoke(cli, ["--db", db, "next", "Nobody", "Atall"], env=NOW)
    assert out.exit_code == 1 and "search" in out.output  # it suggests a search


def test_read_only_commands_never_create_a_database(tmp_path):
    missing = tmp_path / "new" / "dir" / "x.db"
    for args in (["upcoming"], ["search", "APEC"], ["next", "Xi"], ["show", "1"]):
        out = CliRunner().invoke(cli, ["--db", str(missing), *args], env=NOW)
        assert out.exit_code == 2 and "no database" in out.output, (args, out.output)
    assert not (tmp_path / "new").exists()
    not_db = tmp_path / "notes.txt"
    not_db.write_text("hello")
    out = CliRunner().invoke(cli, ["--db", str(not_db), "upcoming"], env=NOW)
    assert out.exit_code == 2 and "not a summitbot database" in out.output
