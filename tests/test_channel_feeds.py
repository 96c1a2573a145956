"""A channel's own feeds behind a secret token: what they hold, unknown and rotated tokens, the chat command
and the CLI that show the addresses (real SQLite files, aiohttp's test server)."""

from __future__ import annotations

import hashlib
import xml.etree.ElementTree as ET

from click.testing import CliRunner
from icalendar import Calendar

from bot.channel_feeds import feed_token, rotate_feed_token
from bot.cli import cli
from bot.commands import Commands, Context, Services
from bot.config import Settings
from bot.store import database_file
from bot.subscriptions import add_subscription, disable_channel, ensure_channel
from bot.transport import ChannelRef
from tests.test_web import NOW, _add, _get, summits  # noqa: F401  (the fixture)

REF = ChannelRef("slack", "T1", "C1")
ATOM = {"a": "http://www.w3.org/2005/Atom"}


def _channel(store, ref=REF, **sub):
    channel = ensure_channel(store, ref, Settings(), NOW)
    if sub:
        add_subscription(store, channel, lead="1d", now=NOW, **sub)
    return channel


def _uids(body: str) -> set[int]:
    return {int(str(e["UID"]).split("-")[1].split("@")[0]) for e in Calendar.from_ical(body).walk("VEVENT")}


def _atom_ids(body: str) -> list[int]:
    entries = ET.fromstring(body.encode()).findall("a:entry", ATOM)
    return [int(e.find("a:link", ATOM).get("href").rsplit("/", 1)[1]) for e in entries]


def test_a_channels_feeds_hold_what_its_subscriptions_follow(store, summits):  # noqa: F811
    channel = _channel(store, who="Anwar Ibrahim")
    ics_path, atom_path = feed_token(store, channel, NOW).paths()
    (s1, h1, ics), (s2, h2, atom) = _get(store, ics_path, atom_path)
    assert s1 == 200 and h1["Content-Type"].startswith("text/calendar")
    assert _uids(ics) == {summits["call"], summits["off"]}  # Anwar's two; the others are not followed
    assert s2 == 200 and h2["Content-Type"].startswith("application/atom+xml")
    assert set(_atom_ids(atom)) == {summits["call"], summits["off"]} and len(_atom_ids(atom)) == 3
    assert "Summits followed in slack channel C1" in ics and "slack channel C1" in atom
    for headers in (h1, h2):
        assert headers["Cache-Control"] == "private, max-age=300" and headers["X-Robots-Tag"] == "noindex"
        assert headers["Referrer-Policy"] == "no-referrer" and "default-src 'none'" in headers["Content-Security-Policy"]


def test_filters_without_a_leader_and_several_subscriptions(store, summits):  # noqa: F811
    with store.db.conn:
        store.db.execute("UPDATE people SET country = 'South Korea' WHERE name = 'Lee Jae-myung'")
    channel = _channel(store, country="korea")  # as reminders match it: Lee Jae-myung's country (APEC, the call)
    add_subscription(store, channel, lead="1d", now=NOW, kind="bilateral")  # Busan and the cancelled one
    [(status, _, ics)] = _get(store, feed_token(store, channel, NOW).paths()[0])
    assert status == 200 and _uids(ics) == {summits["apec"], summits["call"], summits["busan"], summits["off"]}
    add_subscription(store, channel, lead="1d", now=NOW, who="Sanae Takaichi")  # her visit has no day: not in .ics
    [(_, _, atom)] = _get(store, feed_token(store, channel, NOW).paths()[1])
    assert set(_atom_ids(atom)) == set(summits.values())
    empty = _channel(store, ChannelRef("slack", "T1", "C2"))  # no subscriptions: empty feeds, not an error
    (s1, _, ics), (s2, _, atom) = _get(store, *feed_token(store, empty, NOW).paths())
    assert (s1, s2) == (200, 200) and _uids(ics) == set() and _atom_ids(atom) == []


def test_unknown_malformed_rotated_and_gone_tokens_are_404(store, summits):  # noqa: F811
    channel = _channel(store, who="Xi")
    old = feed_token(store, channel, NOW)
    assert feed_token(store, channel, NOW) == old and len(old.token) >= 32  # made once, kept
    stored = store.db.execute("SELECT token_sha256 FROM channel_feeds").fetchone()[0]
    assert stored == hashlib.sha256(old.token.encode()).hexdigest()
    new = rotate_feed_token(store, channel, NOW)
    assert new.token != old.token and new.rotated
    wrong = old.token[:-1] + ("A" if old.token[-1] != "A" else "B")
    pages = _get(store, *old.paths(), new.paths()[0], f"/channel/{wrong}.ics", "/channel/short.ics",
                 "/channel/" + "x" * 200 + ".atom", f"/channel/{new.token}.json")
    assert [status for status, _, _ in pages] == [404, 404, 200, 404, 404, 404, 404]
    for status, headers, body in pages:
        assert status == 200 or ("There is no such page." in body and headers["X-Content-Type-Options"] == "nosniff")
    disable_channel(store, channel.id, "channel_not_found", NOW)
    [(status, _, _)] = _get(store, new.paths()[0])
    assert status == 404


def test_the_calendar_command_shows_and_rotates_the_addresses(store):
    settings = Settings(now=NOW, web_url="https://summits.example.org")
    commands = Commands(Services(store=store, settings=settings))
    member = Context(platform="slack", workspace="T1", channel="C1", user="U2", is_admin=False)
    first = commands.handle("/summits calendar", member)
    assert first.kind != "error" and first.ephemeral
    ics, atom = first.rows[0][1], first.rows[1][1]
    assert ics.startswith("https://summits.example.org/channel/") and ics.endswith(".ics") and atom.endswith(".atom")
    assert any("no subscriptions" in value for _, value in first.rows)
    assert commands.handle("/summits calendar", member).rows[0][1] == ics  # shown again, unchanged
    refused = commands.handle("/summits calendar rotate", member)
    assert refused.kind == "error" and "Only admins" in refused.text
    rotated = commands.handle("/summits calendar rotate", Context(platform="slack", workspace="T1", channel="C1"))
    assert rotated.kind != "error" and rotated.rows[0][1] != ics and "no longer work" in rotated.text
    assert commands.handle("/summits calendar now", member).kind == "error"
    paths = Commands(Services(store=store, settings=Settings(now=NOW))).handle("/summits calendar", member)
    assert paths.rows[0][1] == rotated.rows[0][1].removeprefix("https://summits.example.org")
    assert any("SUMMITBOT_WEB_URL" in value for _, value in paths.rows)


def test_the_cli_prints_a_channels_addresses(store):
    _channel(store, who="Xi")
    db = database_file(store)
    env = {"SUMMITBOT_WEB_URL": "https://summits.example.org/", "SUMMITBOT_NOW": NOW.isoformat()}
    runner = CliRunner()
    out = runner.invoke(cli, ["--db", db, "channel-feed", "--channel", "slack:T1:C1"], env=env)
    assert out.exit_code == 0, out.output
    ics, atom = out.output.split()
    assert ics.startswith("https://summits.example.org/channel/") and ics.endswith(".ics") and atom.endswith(".atom")
    again = runner.invoke(cli, ["--db", db, "channel-feed", "--channel", "slack:T1:C1", "--rotate"], env=env)
    assert again.exit_code == 0 and again.output.split()[0] != ics
    missing = runner.invoke(cli, ["--db", db, "channel-feed", "--channel", "slack:T1:C9"], env=env)
    assert missing.exit_code == 1 and "no channel slack:T1:C9 is known" in missing.output


def test_a_country_by_an_alternative_venue_and_a_minimum_certainty(store, summits):  # noqa: F811
    alt = _add(store, "alt", participants=["Leader A", "Leader B"], location="Geneva", alt_locations=["Malaysia"])
    channel = _channel(store, country="Malaysia")
    add_subscription(store, channel, lead="1d", now=NOW, min_certainty="confirmed")
    [(_, _, ics)] = _get(store, feed_token(store, channel, NOW).paths()[0])
    assert _uids(ics) == {alt, summits["apec"]}  # Kuala Lumpur has no word of "Malaysia" in it, as for reminders
