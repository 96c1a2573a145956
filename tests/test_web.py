"""The web calendar over HTTP (aiohttp's test server, a real SQLite file): pages, filters, feeds, safety."""

from __future__ import annotations

import asyncio
import json
import xml.etree.ElementTree as ET
from datetime import date, datetime, timedelta, timezone

import pytest
from aiohttp.test_utils import TestClient, TestServer
from icalendar import Calendar

from bot.clock import FixedClock
from bot.config import Settings
from bot.models import Article, Meeting
from bot.web import make_app

NOW = datetime(2025, 10, 24, 9, 0, tzinfo=timezone.utc)
HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'


def _add(store, text="a", url="https://news.example/a", **fields) -> int:
    defaults = dict(participants=["Donald Trump", "Xi Jinping"], kind="bilateral", location="Busan",
                    start=date(2025, 10, 30), end=date(2025, 10, 30), certainty="planned",
                    sentence="Trump will meet Xi in Busan on Thursday.")
    art = store.add_article(Article(text=f"{text} {fields}", published=NOW, title=f"Title {text}", outlet="The Herald",
                                    url=url), now=NOW)
    return store.insert_meeting(Meeting(**{**defaults, **fields}), article_id=art.id, asof=None, now=NOW)


def _bar(body: str, meeting_id: int) -> str:
    """The classes of the month view's bar for a meeting."""
    head = body.split(f'data-id="{meeting_id}" data-start')[0]
    return head.rsplit('<a class="bar ', 1)[1].split('"')[0]


def _get(store, *paths, method="GET"):
    """GET each path from the app over ``store``; (status, headers, body text) for each."""
    async def go():
        app = make_app(None, Settings(timezone="UTC"), clock=FixedClock(NOW), store=store)
        async with TestClient(TestServer(app)) as client:
            out = []
            for path in paths:
                resp = await client.request(method, path)
                out.append((resp.status, resp.headers, await resp.text()))
            return out
    return asyncio.run(go())


@pytest.fixture
def summits(store):
    ids = {
        "apec": _add(store, "apec", name="APEC summit", kind="multilateral", location="Gyeongju",
                     participants=["Donald Trump", "Xi Jinping", "Lee Jae-myung"],
                     start=date(2025, 10, 31), end=date(2025, 11, 1), certainty="confirmed"),
        "busan": _add(store, "busan"),
        "call": _add(store, "call", kind="phone_call", participants=["Lee Jae-myung", "Anwar Ibrahim"],
                     location=None, start=date(2025, 10, 27), end=date(2025, 10, 27), certainty="possible", time="10:00"),
        "off": _add(store, "off", participants=["Donald Trump", "Anwar Ibrahim"], location="Kuala Lumpur",
                    start=date(2025, 10, 26), end=date(2025, 10, 26)),
        "vague": _add(store, "vague", kind="visit", participants=["Sanae Takaichi"], location="Washington",
                      start=date(2025, 10, 1), end=date(2025, 10, 31), precision="month"),
    }
    store.update_meeting(ids["call"], {"tz": "Asia/Seoul"})
    store.update_meeting(ids["off"], {"status": "cancelled"})
    store.record_change(ids["off"], "status", "upcoming", "cancelled", None, "The visit was called off.")
    store.update_meeting(ids["busan"], {"start": "2025-10-29", "end": "2025-10-29"})
    store.record_change(ids["busan"], "start", "2025-10-30", "2025-10-29", None, "Moved a day earlier.")
    return ids


def test_month_view_draws_spans_certainty_and_cancellations(store, summits):
    [(status, headers, body)] = _get(store, "/?month=2025-10")
    assert status == 200 and "October 2025" in body
    # APEC: Fri 31 Oct in the last week (column 5) across two days, and it does not go on past Sunday
    assert f'class="bar c5 s2 r2 confirmed status-upcoming"' in body
    assert f'data-id="{summits["apec"]}" data-start="2025-10-31" data-end="2025-11-01"' in body
    assert _bar(body, summits["off"]).startswith("c7 s1 r2 planned status-cancelled")  # Sun 26 Oct
    assert "<del>Donald Trump – Anwar Ibrahim</del>" in body  # struck through
    assert _bar(body, summits["busan"]).startswith("c3 s1 ")  # moved to Wed 29 Oct
    assert _bar(body, summits["call"]).startswith("c1 s1 r2 possible")  # Mon 27 Oct
    assert "possible" in body and "Also this month, exact dates not yet known" in body  # the month-vague visit
    assert "Sanae Takaichi" in body
    assert '<a href="/?month=2025-09" rel="prev">' in body and '<a href="/?month=2025-11" rel="next">' in body


def test_list_filters_live_in_the_url_and_narrow(store, summits):
    pages = _get(store, "/list", "/list?who=Anwar", "/list?kind=multilateral", "/list?certainty=possible",
                 "/list?country=Malaysia", "/list?q=gyeongju")
    ids = [{int(chunk.split('data-id="')[1].split('"')[0]) for chunk in body.split('<li class="summit ')[1:]}
           for _, _, body in pages]
    assert ids[0] == set(summits.values())  # from today on: the cancelled one struck through, the vague one too
    assert ids[1] == {summits["call"], summits["off"]}
    assert ids[2] == {summits["apec"]}
    assert ids[3] == {summits["call"]}
    assert ids[4] == {summits["call"], summits["off"]}  # Anwar Ibrahim's country, Kuala Lumpur
    assert ids[5] == {summits["apec"]}
    body = pages[1][2]
    assert 'value="Anwar"' in body and 'href="/calendar.ics?who=Anwar"' in body and 'href="/changes.atom?who=Anwar"' in body


def test_instants_carry_their_zone_and_dates_stay_dates(store, summits):
    [(_, _, body)] = _get(store, "/list")
    assert '<time class="instant" datetime="2025-10-27T10:00:00+09:00">' in body  # the browser shows it locally
    assert "Mon 27 Oct 2025 10:00 (Asia/Seoul)" in body  # readable without JavaScript
    assert '<time datetime="2025-10-31">31 Oct – 1 Nov 2025</time>' in body


def test_summit_page_lists_sources_and_history(store, summits):
    [(status, _, body)] = _get(store, f"/summit/{summits['busan']}")
    assert status == 200
    assert "The Herald" in body and "2025-10-24" in body and "Trump will meet Xi in Busan on Thursday." in body
    assert "first reported" in body and "<strong>start</strong> changed from <q>2025-10-30</q> to <q>2025-10-29</q>" in body
    assert "calendar.google.com" in body and "outlook.live.com" in body
    assert f'href="/summit/{summits["busan"]}.ics"' in body


def test_feeds_parse(store, summits):
    (s1, h1, ics), (s2, h2, atom), (s3, _, one) = _get(
        store, "/calendar.ics?who=Xi", "/changes.atom?who=Anwar", f"/summit/{summits['busan']}.ics")
    assert s1 == 200 and h1["Content-Type"].startswith("text/calendar")
    uids = {str(e["UID"]) for e in Calendar.from_ical(ics).walk("VEVENT")}
    assert uids == {f"summit-{summits['apec']}@summitbot", f"summit-{summits['busan']}@summitbot"}
    [ev] = Calendar.from_ical(one).walk("VEVENT")
    assert int(ev["SEQUENCE"]) == 1
    assert s2 == 200 and h2["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = ET.fromstring(atom.encode()).findall("a:entry", ns)
    titles = [e.find("a:title", ns).text for e in entries]
    assert titles[0].startswith("Status changed") and len(entries) == 3  # newest first; two meetings of Anwar


def test_bad_parameters_are_400_pages_never_tracebacks(store, summits):
    for path in ("/?month=2025-13", "/?month=abc", "/list?kind=party", "/list?certainty=sure", "/list?page=0",
                 "/list?page=1001", "/list?page=x", "/list?from=2025-02-30", "/list?from=20251030", "/calendar.ics?kind=x", "/changes.atom?q=" + "x" * 200,
                 "/list?who=%00"):
        [(status, headers, body)] = _get(store, path)
        assert status == 400, path
        assert "Traceback" not in body and "<h1>Bad request</h1>" in body
        assert "script-src 'self'" in headers["Content-Security-Policy"]
    [(status, _, body)] = _get(store, "/summit/999999")
    assert status == 404 and "Traceback" not in body


def test_no_write_endpoints_and_headers_everywhere(store, summits):
    for method in ("POST", "PUT", "DELETE"):
        for status, headers, _ in _get(store, "/", "/list", f"/summit/{summits['apec']}", method=method):
            assert status == 405
            assert headers["X-Content-Type-Options"] == "nosniff"
    for status, headers, _ in _get(store, "/", "/static/style.css", "/static/local-time.js", "/healthz", "/nope"):
        assert headers["X-Content-Type-Options"] == "nosniff"
        csp = headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp


def test_pages_have_no_inline_script(store, summits):
    for _, _, body in _get(store, "/?month=2025-10", "/list", f"/summit/{summits['apec']}", "/list?kind=x"):
        assert body.count("<script") == 1 and '<script src="/static/local-time.js" defer></script>' in body
        assert " style=" not in body and "onclick" not in body


def test_article_text_is_escaped(store):
    mid = _add(store, "hostile", url="javascript:alert(3)", name=HOSTILE, location=HOSTILE,
               participants=[HOSTILE], sentence=HOSTILE)
    pages = _get(store, "/?month=2025-10", "/list", f"/summit/{mid}", "/changes.atom", f"/list?q={HOSTILE}")
    for status, _, body in pages:
        assert status in (200, 400)
        assert "<script>alert" not in body and "<img src=x" not in body
    summit = pages[2][2]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in summit
    assert "javascript:" not in summit  # a non-http source address is shown, not linked
    ET.fromstring(pages[3][2].encode())  # the feed stays well-formed


def test_list_pages_are_bounded(store):
    for day in range(1, 61):
        _add(store, f"m{day}", start=date(2025, 11, 1 + day % 28), end=date(2025, 11, 1 + day % 28))
    (s1, _, first), (s2, _, second) = _get(store, "/list", "/list?page=2")
    assert first.count('<li class="summit') == 50 and 'href="/list?page=2" rel="next"' in first
    assert second.count('<li class="summit') == 10 and 'href="/list?page=1" rel="prev"' in second


def test_a_busy_week_shows_eight_rows_and_links_the_rest(store):
    for n in range(12):
        _add(store, f"busy{n}", start=date(2025, 10, 30), end=date(2025, 10, 30))
    (_, _, month), (_, _, rest) = _get(store, "/?month=2025-10&who=Xi", "/list?from=2025-10-30&who=Xi")
    assert month.count('<a class="bar c4 s1') == 8
    assert '<a class="more c4" href="/list?who=Xi&amp;from=2025-10-30">+4 more' in month
    assert rest.count('<li class="summit') == 12 and "Summits from Thu 30 Oct 2025" in rest


def test_a_country_filter_pages_in_date_order(store):
    days = [date(2025, 12, 31) - timedelta(days=n) for n in range(60)]  # stored latest first
    for n, day in enumerate(days):
        _add(store, f"kl{n}", participants=["Anwar Ibrahim", "Lee Jae-myung"], location="Kuala Lumpur",
             start=day, end=day)
        _add(store, f"other{n}", participants=["Leader A", "Leader B"], location="Geneva", start=day, end=day)
    (_, _, first), (_, _, second) = _get(store, "/list?country=Malaysia", "/list?country=Malaysia&page=2")
    shown = [chunk.split('<time datetime="')[1][:10] for chunk in first.split('<li class="summit ')[1:]]
    later = [chunk.split('<time datetime="')[1][:10] for chunk in second.split('<li class="summit ')[1:]]
    assert len(shown) == 50 and len(later) == 10
    assert shown + later == sorted(d.isoformat() for d in days)


def test_healthz(store, summits):
    [(status, headers, body)] = _get(store, "/healthz")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    data = json.loads(body)
    assert data["status"] == "ok" and data["meetings"] == 5


def test_summitbot_run_serves_the_calendar_when_port_is_set(store, summits, tmp_path):
    """`summitbot run` with PORT set: the console and the web calendar in one process, on the one store."""
    import io
    import socket
    import urllib.request

    from adapters import runner
    from bot.store import database_file

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    seen = {}

    class Stdin(io.StringIO):
        """The console's input: while the bot runs, read the web calendar, then end the input."""

        def isatty(self):
            return False

        def readline(self, *args):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as resp:
                seen["healthz"] = json.loads(resp.read())
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/?month=2025-10", timeout=10) as resp:
                seen["month"] = resp.read().decode()
            return ""

    settings = Settings(db=database_file(store), timezone="UTC", now=NOW, env={"PORT": str(port)})
    asyncio.run(runner.run(settings, database_file(store), stdin=Stdin(), stdout=io.StringIO()))
    # /healthz is the bot's: database, scheduler and (here none) platforms
    assert seen["healthz"]["status"] == "ok" and seen["healthz"]["database"] == "ok"
    assert seen["healthz"]["platforms"] == {} and seen["healthz"]["problems"] == []
    assert "APEC summit" in seen["month"]


def test_summitbot_web_refuses_a_missing_database_without_creating_it(tmp_path):
    from click.testing import CliRunner

    from bot.cli import cli

    missing = tmp_path / "nowhere" / "x.db"
    result = CliRunner().invoke(cli, ["--db", str(missing), "web", "--port", "0"])
    assert result.exit_code == 2 and "no database" in result.output
    assert not missing.parent.exists()
