"""No statement a command (or a fold) runs scans a table that grows with history (issue 21).

Every statement is captured with a sqlite3 trace callback while the commands run against a real
database file (the scale bench's generator, in the project's schema), then explained.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from bench.bench_scale import NOW, generate
from bot.commands import Commands, Context, Services
from bot.config import Settings
from bot.merge import _candidates, fold_meeting
from tests.conftest import make_meeting

# Tables that grow with history; the channels' and subscriptions' own tables stay small.
GROWING = {"meetings", "people", "aliases", "meeting_people", "participations", "changes", "sources", "articles"}
_TABLE = re.compile(r"\b(?:FROM|JOIN)\s+\[?(\w+)\]?(?:\s+(?:AS\s+)?(?!WHERE|JOIN|ON|LEFT|ORDER|GROUP|LIMIT)(\w+))?",
                    re.I)


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("plans") / "plans.db", 2000)


def _traced(store, run) -> list[str]:
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        run()
    finally:
        store.db.conn.set_trace_callback(None)
    return [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]


def _full_scans(store, sql: str, growing: set[str] = GROWING) -> list[str]:
    tables = {}
    for table, alias in _TABLE.findall(sql):
        tables[table.lower()] = table.lower()
        if alias:
            tables[alias.lower()] = table.lower()
    scans = []
    for _id, _parent, _unused, detail in store.db.execute("EXPLAIN QUERY PLAN " + sql).fetchall():
        m = re.match(r"SCAN (\w+)", detail)
        if m and "VIRTUAL TABLE" not in detail and tables.get(m.group(1).lower(), m.group(1).lower()) in growing:
            scans.append(detail)
    return scans


COMMANDS = ["/summits upcoming", "/summits upcoming days:365", "/summits upcoming who:{busiest}",
            "/summits upcoming days:7 who:{busiest}", "/summits next {busiest}", "/summits next Nobody Atall",
            "/summits search NATO summit Brussels", "/summits search {busiest} page:2", "/summits search nosuchword",
            "/summits show 17", "/summits show 999999", "/summits subscriptions",
            # misspelt names: the 'did you mean' candidates come through indexes, a bounded number of them
            "/summits next {typo}", "/summits upcoming who:{typo}", "/summits search {typo}", "/summits next Zi Jinpnig"]


@pytest.mark.parametrize("statistics", [True, False], ids=["analyzed", "no-statistics"])
def test_no_command_scans_a_growing_table(database, statistics):
    store = database["store"]
    if not statistics:
        saved = store.db.execute("SELECT tbl, idx, stat FROM sqlite_stat1").fetchall()
        with store.db.conn:
            store.db.execute("DELETE FROM sqlite_stat1")
        store.db.execute("ANALYZE sqlite_schema")  # reload the (now empty) statistics
    try:
        commands = Commands(Services(store=store, settings=Settings(now=NOW)))
        ctx = Context(platform="slack", workspace="T1", channel="C1", user="U1")
        busiest = database["busiest"]
        typo = busiest[:4] + busiest[5] + busiest[4] + busiest[6:]  # two letters swapped
        texts = [t.format(busiest=busiest, typo=typo) for t in COMMANDS]
        statements = _traced(store, lambda: [commands.handle(t, ctx) for t in texts])
        assert len(statements) >= len(texts)
        problems = {sql: scans for sql in statements if (scans := _full_scans(store, sql))}
        assert not problems, problems
    finally:
        if not statistics:
            with store.db.conn:
                store.db.conn.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", saved)
            store.db.execute("ANALYZE sqlite_schema")


def test_a_fold_scans_no_growing_table(database):
    store = database["store"]

    def fold():
        with store.db.atomic():
            for m in (make_meeting(participants=[database["busiest"], "Xi Jinping"]),
                      make_meeting(kind="multilateral", name="NATO summit", participants=[database["busiest"]],
                                   start=date(2025, 6, 24), end=date(2025, 6, 25), tense="past")):
                # (A meeting without a date may match any record of its participants, so it still reads them all.)
                fold_meeting(store, m, article_id=1, asof="2025-10-24")

    statements = _traced(store, fold)
    problems = {sql: scans for sql in statements if (scans := _full_scans(store, sql))}
    assert not problems, problems


def test_a_folds_lookups_by_meeting_id_use_the_meeting_index(tmp_path):
    """Given a list of meeting ids and the people, SQLite must look the ids up: ANALYZE's average rows per
    person would have it walk all of the people's participations instead (the busiest leader's 61,550 at
    1M meetings: 16-48 ms a lookup). Here 150 year-long records overlap the fold's dates."""
    info = generate(tmp_path / "long.db", 2000)
    store = info["store"]
    with store.db.conn:
        store.db.execute("""INSERT INTO meetings (kind, name, summit_key, location, alt_locations, start, "end",
                            precision, certainty, status, asof, first_seen, updated)
                            SELECT kind, NULL, NULL, location, '[]', '2025-01-01', '2025-12-31', 'year', certainty,
                                   status, asof, first_seen, updated FROM meetings WHERE id <= 150""")
        store.db.execute("INSERT INTO meeting_people (meeting_id, person_id) SELECT id, 1 FROM meetings WHERE id > 2000")
    m = make_meeting(kind="multilateral", name="NATO summit", participants=[info["busiest"], "Xi Jinping"],
                     start=date(2025, 6, 24), end=date(2025, 6, 25), tense="past")
    statements = [sql for sql in _traced(store, lambda: _candidates(store, m)) if re.search(r"meeting_id IN \(\d", sql)]
    assert len(statements) == 2 and all(sql.count(",") >= 149 for sql in statements)
    for sql in statements:
        plan = [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql)]
        assert any("(meeting_id=?" in detail for detail in plan), (sql, plan)


def test_an_incremental_plan_scans_no_growing_table(database):
    """After the first pass, a quiet tick and a tick after one change read only what changed. (A pass that plans
    a meeting still resolves the subscriptions' `who:` filters against every name once: people is allowed there.)"""
    from datetime import timedelta

    from bot.delivery import plan_deliveries

    store = database["store"]
    plan_deliveries(store, Settings(), NOW)
    growing = GROWING | {"deliveries", "plan_log"}
    quiet = _traced(store, lambda: plan_deliveries(store, Settings(), NOW + timedelta(seconds=30)))
    problems = {sql: scans for sql in quiet if (scans := _full_scans(store, sql, growing))}
    assert not problems, problems
    mid = store.db.execute("SELECT id FROM meetings WHERE status = 'upcoming' AND start > ? ORDER BY start LIMIT 1",
                           [NOW.date().isoformat()]).fetchone()[0]
    soon = NOW.date() + timedelta(days=3)
    with store.db.conn:  # moved into the horizon: planned for every channel that follows it
        store.update_meeting(mid, {"start": soon, "end": soon, "precision": "day", "certainty": "confirmed"})
    results = []
    busy = _traced(store, lambda: results.append(plan_deliveries(store, Settings(), NOW + timedelta(seconds=60))))
    assert results[0].incremental and results[0].meetings == 1
    problems = {sql: scans for sql in busy if (scans := _full_scans(store, sql, growing - {"people"}))}
    assert not problems, problems
    # The rows of the channels and meetings in scope are read by their own indexes, not through every
    # reminder still ahead (the index on kind and due).
    scoped = [sql for sql in busy if "FROM deliveries" in sql and " IN (" in sql]
    assert scoped
    for sql in scoped:
        details = " ".join(row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + sql))
        assert "kind_due" not in details, details
