"""The web calendar in a real headless Chromium (Debian's `chromium`, driven by Playwright).

The seed articles are read with `summitbot ingest` into a temporary database and served by the
web app; pages are checked as a reader in UTC-11 and in UTC+14 sees them.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip("/usr/bin/chromium is missing: install Debian's chromium (`make test` does) to run the browser tests",
                allow_module_level=True)

from icalendar import Calendar  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.models import Article, Meeting  # noqa: E402
from bot.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOT = ROOT / "docs" / "month-view.png"
NOW = datetime(2025, 10, 24, 9, 0, tzinfo=timezone.utc)
ZONES = ["Pacific/Pago_Pago", "Pacific/Kiritimati"]  # UTC-11 and UTC+14
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def seeded_db(tmp_path_factory) -> Path:
    """The seed articles ingested by the `summitbot` command, plus one meeting with a time (23:30 UTC)."""
    db = tmp_path_factory.mktemp("web") / "summitbot.db"
    done = subprocess.run([sys.executable, "-m", "bot", "--db", str(db), "ingest", "--quiet", str(ROOT / "seeds")],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    store = Store(db)
    art = store.add_article(Article(text="A call at 23:30 UTC.", published=NOW, title="Call set", outlet="Wire",
                                    url="https://wire.example/call"), now=NOW)
    mid = store.insert_meeting(Meeting(participants=["Lee Jae-myung", "Xi Jinping"], kind="phone_call",
                                       start=date(2025, 10, 15), end=date(2025, 10, 15), time="23:30",
                                       sentence="Lee and Xi will speak by phone at 23:30 GMT on October 15."),
                               article_id=art.id, asof=None, now=NOW)
    store.update_meeting(mid, {"tz": "UTC"})
    store.db.conn.close()
    return db


@pytest.fixture(scope="module")
def server(seeded_db):
    """The web app on a free port, in a thread of its own, as `summitbot web` serves it."""
    from bot.web import make_app, start_site

    loop = asyncio.new_event_loop()
    started = threading.Event()
    state = {}

    async def main():
        app = make_app(str(seeded_db), Settings(db=str(seeded_db), timezone="UTC", now=NOW))
        state["runner"] = await start_site(app, "127.0.0.1", 0)
        state["port"] = state["runner"].addresses[0][1]
        started.set()

    thread = threading.Thread(target=lambda: (loop.run_until_complete(main()), loop.run_forever()), daemon=True)
    thread.start()
    assert started.wait(30)
    yield f"http://127.0.0.1:{state['port']}"
    asyncio.run_coroutine_threadsafe(state["runner"].cleanup(), loop).result(30)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


def _page(browser, zone="UTC", **options):
    context = browser.new_context(timezone_id=zone, locale="en-GB", accept_downloads=True, **options)
    return context.new_page()


def _columns_covered(page, bar) -> list[str]:
    """The dates of the day cells, in the bar's own week, whose middle lies under the bar."""
    return page.evaluate("""bar => {
        const box = bar.getBoundingClientRect();
        return [...bar.parentElement.querySelectorAll('.daynum')].filter(cell => {
            const r = cell.getBoundingClientRect(), mid = r.left + r.width / 2;
            return mid > box.left && mid < box.right;
        }).map(cell => cell.dataset.date);
    }""", bar)


@pytest.mark.parametrize("zone", ZONES)
def test_month_view_shows_the_seed_summits_on_their_days(browser, server, zone):
    page = _page(browser, zone, viewport={"width": 1200, "height": 900})
    page.goto(f"{server}/?month=2025-10")
    offset = page.evaluate("new Date('2025-10-31T12:00:00Z').getTimezoneOffset()")
    assert offset == {"Pacific/Pago_Pago": 660, "Pacific/Kiritimati": -840}[zone]  # the zone is really in use
    bars = page.locator("a.bar")
    assert bars.count() >= 8
    seen = {}
    for i in range(bars.count()):
        bar = bars.nth(i).element_handle()
        start, end = date.fromisoformat(bar.get_attribute("data-start")), date.fromisoformat(bar.get_attribute("data-end"))
        covered = [date.fromisoformat(d) for d in _columns_covered(page, bar)]
        week = [date.fromisoformat(d) for d in bar.evaluate(
            "b => [...b.parentElement.querySelectorAll('.daynum')].map(c => c.dataset.date)")]
        expected = [d for d in week if start <= d <= end]
        assert covered == expected, (bar.inner_text(), zone)
        seen[bars.nth(i).inner_text().split(",")[0].strip()] = covered
    assert seen["APEC summit"] == [date(2025, 10, 31), date(2025, 11, 1)]  # Fri-Sat, in UTC-11 and UTC+14 alike
    assert seen["Donald Trump – Sanae Takaichi"] == [date(2025, 10, 27), date(2025, 10, 28), date(2025, 10, 29)]
    assert seen["ASEAN leaders' working dinner"] == [date(2025, 10, 26)]
    # every bar shows its summit's certainty (which one each seed summit gets is the extractor's business)
    certainty = {"confirmed", "planned", "possible"}
    assert all(len(set(bars.nth(i).get_attribute("class").split()) & certainty) == 1 for i in range(bars.count()))
    if zone == "Pacific/Kiritimati":
        SCREENSHOT.parent.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.context.close()


@pytest.mark.parametrize("zone, day", [("Pacific/Pago_Pago", "15 Oct 2025, 12:30"), ("Pacific/Kiritimati", "16 Oct 2025, 13:30")])
def test_an_instant_is_shown_in_the_browser_zone_and_a_date_never_moves(browser, server, zone, day):
    page = _page(browser, zone)
    page.goto(f"{server}/?month=2025-10&q=phone")
    call = page.locator("a.bar", has_text="Lee Jae-myung – Xi Jinping")
    assert _columns_covered(page, call.element_handle()) == ["2025-10-15"]  # the venue's date in the grid
    call.click()
    instant = page.locator("time.instant")
    assert day in instant.inner_text() and "(your time)" in instant.inner_text()
    assert "Venue time: Wed 15 Oct 2025 23:30 (UTC)" == instant.get_attribute("title")
    page.goto(f"{server}/list")
    assert page.locator("li.summit", has_text="APEC summit").locator("time").inner_text() == "31 Oct – 1 Nov 2025"
    page.context.close()


def test_a_filter_narrows_the_list_and_survives_a_reload(browser, server):
    page = _page(browser)
    page.goto(f"{server}/list")
    everything = page.locator("li.summit").count()
    page.get_by_label("Leader").fill("Xi Jinping")
    page.get_by_label("Kind").select_option("bilateral")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/list?*who=Xi+Jinping*")
    assert "kind=bilateral" in page.url
    narrowed = page.locator("li.summit")
    assert 0 < narrowed.count() < everything
    for text in narrowed.all_inner_texts():
        assert "Xi Jinping" in text and "Bilateral meeting" in text
    page.reload()
    assert page.locator("li.summit").count() == narrowed.count()
    assert page.get_by_label("Leader").input_value() == "Xi Jinping"
    assert page.get_by_label("Kind").input_value() == "bilateral"
    page.context.close()


def test_a_summit_page_lists_its_sources_and_history(browser, server):
    page = _page(browser, viewport={"width": 390, "height": 844})  # a phone
    page.goto(f"{server}/?month=2025-10")
    page.locator("a.bar", has_text="APEC summit").focus()
    page.keyboard.press("Enter")  # reachable from the keyboard
    page.wait_for_url("**/summit/*")
    assert page.get_by_role("heading", level=1).inner_text() == "Summit: APEC summit"
    sources = page.locator("li.source")
    assert sources.count() >= 1
    first = sources.first.inner_text()
    assert "2025-10-" in first and "APEC" in sources.first.locator("blockquote").inner_text()
    assert sources.first.locator(".outlet").inner_text().strip()
    history = page.locator("li.change")
    assert history.count() >= 1 and "first reported" in history.first.inner_text()
    assert page.get_by_role("link", name="Google Calendar").get_attribute("href").startswith("https://calendar.google.com/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # no sideways scrolling on a phone
    page.context.close()


def test_the_ics_link_downloads_a_calendar_that_parses(browser, server, tmp_path):
    page = _page(browser)
    page.goto(f"{server}/list?who=Xi+Jinping")
    with page.expect_download() as info:
        page.get_by_role("link", name="iCalendar (.ics)").click()
    path = tmp_path / "summits.ics"
    info.value.save_as(path)
    assert info.value.suggested_filename == "summits.ics"
    events = list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert events and all("Xi Jinping" in str(ev["DESCRIPTION"]) for ev in events)
    apec = [ev for ev in events if "APEC summit" in str(ev["SUMMARY"])]
    assert apec and apec[0]["DTSTART"].dt == date(2025, 10, 31) and apec[0]["DTEND"].dt == date(2025, 11, 2)
    page.context.close()


def test_no_page_breaks_its_content_security_policy_and_the_keyboard_reaches_the_content(browser, server):
    page = _page(browser, "Pacific/Kiritimati")
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    for path in ("/?month=2025-10", "/list?who=Xi+Jinping", "/summit/7", "/?month=2025-13"):
        page.goto(server + path)
    page.goto(f"{server}/?month=2025-10&q=phone")
    page.locator("a.bar", has_text="Xi Jinping").click()
    assert "(your time)" in page.locator("time.instant").inner_text()  # the script ran under the policy
    assert [p for p in problems if "400" not in p] == []  # the bad month's 400 is the only error logged
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main", timeout=10_000)  # the fragment lands when the browser has followed the link
    assert page.url.endswith("#main")
    page.context.close()
