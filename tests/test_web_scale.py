"""The web calendar reads only what a page shows: no page or feed scans a table that grows with history, and
windows, lists and filters stay exact where the index shortcuts apply (long spans, alternative venues)."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bench.bench_scale import NOW, generate
from bot.clock import FixedClock
from bot.config import Settings
from bot.web import make_app
from tests.test_query_plans import _full_scans, _traced
from tests.test_web import _add, _get

PAGES = ["/?month=2025-10", "/?month=2025-10&who={busiest}", "/?month=2025-10&country=Japan",
         "/?month=2025-10&kind=bilateral&certainty=confirmed", "/?month=2025-10&q=summit", "/list", "/list?page=3",
         "/list?from=2026-01-15", "/list?who={busiest}", "/list?country=Belgium", "/list?country=Atlantis",
         "/list?kind=visit", "/list?certainty=possible", "/list?q=nato+summit", "/list?q=nosuchword",
         "/summit/17", "/summit/17.ics", "/calendar.ics", "/calendar.ics?country=Japan", "/changes.atom",
         "/changes.atom?who={busiest}", "/changes.atom?country=Japan", "/changes.atom?q=summit"]
# Read whole on purpose: the people (a country's leaders; the leader list of the filter form), far fewer than
# meetings and growing far slower; the distinct venues come from their index by skipping from one venue to the next;
# a feed of changes walks back through at most CHANGE_SCAN of the newest changes (newest first, by id).
KNOWN = ("FROM people", "SELECT DISTINCT location FROM meetings", "FROM changes ORDER BY id DESC LIMIT")


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("webplans") / "web.db", 2000)


def test_no_page_scans_a_growing_table(database):
    store = database["store"]
    urls = [u.format(busiest=database["busiest"].replace(" ", "+")) for u in PAGES]

    async def visit():
        app = make_app(None, Settings(timezone="UTC"), clock=FixedClock(NOW), store=store)
        async with TestClient(TestServer(app)) as client:
            for url in urls:
                resp = await client.get(url)
                assert resp.status == 200, url

    statements = _traced(store, lambda: asyncio.run(visit()))
    assert len(statements) > len(urls)
    problems = {sql: scans for sql in statements
                if not any(k in " ".join(sql.split()) for k in KNOWN) and (scans := _full_scans(store, sql))}
    assert not problems, problems


def test_a_long_meeting_under_way_comes_first_and_spans_the_month(store):
    # Begun in April, it runs through October: longer than the 120 days the dates' index looks back.
    long = _add(store, "long", kind="visit", name="Long mission", precision="range",
                start=date(2025, 4, 1), end=date(2025, 10, 31))
    short = _add(store, "short", start=date(2025, 10, 20), end=date(2025, 10, 25))
    later = _add(store, "later", start=date(2025, 10, 28), end=date(2025, 10, 28))
    (_, _, month), (_, _, listed) = _get(store, "/?month=2025-10", "/list?from=2025-10-24")
    assert f'data-id="{long}" data-start="2025-04-01" data-end="2025-10-31"' in month
    assert 'class="bar c1 s7 r2 planned status-upcoming before after"' in month  # the grid's first week, all of it
    order = [int(c.split('data-id="')[1].split('"')[0]) for c in listed.split('<li class="summit ')[1:]]
    assert order == [long, short, later]


def test_a_country_is_matched_by_an_alternative_venue(store):
    mid = _add(store, "alt", participants=["Leader A", "Leader B"], location="Geneva",
               alt_locations=["Kuala Lumpur"])
    _add(store, "elsewhere", participants=["Leader C", "Leader D"], location="Geneva")
    [(_, _, body)] = _get(store, "/list?country=Malaysia")
    assert [int(c.split('data-id="')[1].split('"')[0]) for c in body.split('<li class="summit ')[1:]] == [mid]


def test_a_month_lists_at_most_fifty_summits_without_exact_dates(store):
    for n in range(52):
        _add(store, f"vague{n}", kind="visit", participants=[f"Leader {n}"], location="Paris",
             start=date(2025, 10, 1), end=date(2025, 10, 31), precision="month")
    [(_, _, body)] = _get(store, "/?month=2025-10")
    assert body.split('id="vague-h"')[1].count("<li>") == 50
    assert "And 2 more without exact dates" in body
