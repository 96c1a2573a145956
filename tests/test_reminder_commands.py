"""The subscription commands through the platform-neutral layer, and the `reminders`/`say` CLI commands."""

from __future__ import annotations

import json
from datetime import date
from types import SimpleNamespace

import click
import pytest
from click.testing import CliRunner

from bot.clock import FixedClock
from bot.commands import Commands, Context, Services
from bot.config import Settings, parse_now
from bot.models import Meeting
from bot.store import Store
from bot.subscriptions import get_channel, subscriptions
from bot.transport import ChannelRef

NOW = parse_now("2025-10-24T00:00+09:00")
USAGE = "/summits subscribe [who:NAME] [country:NAME] [kind:KIND] [min:planned] [lead:7d,1d]"


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(str(tmp_path / "cmd.db"))
    s.insert_meeting(Meeting(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral", location="Gyeongju",
                             start=date(2025, 10, 29), end=date(2025, 10, 29), certainty="confirmed"),
                     article_id=None, asof=None, now=NOW)
    return s


@pytest.fixture
def commands(store) -> Commands:
    return Commands(Services(store=store, settings=Settings(timezone="Europe/Berlin", lead="7d,1d"),
                             clock=FixedClock(NOW)))


ADMIN = Context(platform="slack", workspace="T1", channel="C1", user="U1", is_admin=True)
USER = Context(platform="slack", workspace="T1", channel="C1", user="U2", is_admin=False)
OTHER = Context(platform="slack", workspace="T1", channel="C2", user="U1", is_admin=True)


def say(commands: Commands, text: str, ctx: Context = ADMIN):
    return commands.handle(text, ctx)


# -- subscribe ---------------------------------------------------------------------------------------------


def test_subscribe_with_every_filter(commands, store):
    reply = say(commands, "/summits subscribe who:Lee Jae-myung country:Korea kind:summit min:planned lead:6h, 1d")
    assert reply.kind == "message" and "Subscribed this channel (#1)" in reply.text
    assert ("subscription", "who:Lee Jae-myung country:Korea kind:multilateral min:planned lead:1d,6h") in reply.rows
    assert ("time zone", "Europe/Berlin") in reply.rows  # the configured default
    [sub] = subscriptions(store, get_channel(store, ChannelRef("slack", "T1", "C1")).id)
    assert (sub.who, sub.country, sub.kind, sub.min_certainty, sub.lead) == (
        "Lee Jae-myung", "Korea", "multilateral", "planned", "1d,6h")


def test_subscribe_defaults_and_duplicates(commands, store):
    reply = say(commands, "/summits subscribe")
    assert ("subscription", "all summits lead:7d,1d") in reply.rows
    again = say(commands, "/summits subscribe all")
    assert again.kind == "message" and "already has that subscription (#1)" in again.text
    assert say(commands, "/summits subscribe kind:call").text.startswith("Subscribed this channel (#2)")


def test_a_duplicate_is_the_same_filters_and_lead_in_the_same_channel_still_active(commands, store):
    say(commands, "/summits subscribe who:trump kind:call lead:1d")
    assert "already has that subscription (#1)" in say(commands, "/summits subscribe who:trump kind:call lead:1d").text
    for text in ("/summits subscribe who:trump kind:call lead:2d", "/summits subscribe who:trump lead:1d",
                 "/summits subscribe kind:call lead:1d", "/summits subscribe who:trump kind:call min:planned lead:1d"):
        assert say(commands, text).text.startswith("Subscribed this channel"), text
    assert say(commands, "/summits subscribe who:trump kind:call lead:1d", OTHER).text.startswith("Subscribed")
    say(commands, "/summits unsubscribe 1")
    assert say(commands, "/summits subscribe who:trump kind:call lead:1d").text.startswith("Subscribed this channel")


def test_subscribe_unknown_person_is_allowed_with_a_warning(commands):
    reply = say(commands, "/summits subscribe who:Sanae Takaichi")
    assert reply.kind == "message"
    assert any(label == "warning" and "Sanae Takaichi" in value for label, value in reply.rows)
    known = say(commands, "/summits subscribe who:trump")
    assert not any(label == "warning" for label, _ in known.rows)
    assert ("matches", "Donald Trump") in known.rows


@pytest.mark.parametrize("text, problem", [
    ("/summits subscribe kind:dinner", "`dinner` is not a kind; use one of bilateral, phone_call"),
    ("/summits subscribe min:likely", "`likely` is not a certainty; use one of possible, planned, confirmed"),
    ("/summits subscribe lead:soon", "`soon` is not a lead time"),
    ("/summits subscribe lead:400d", "too far ahead"),
    ("/summits subscribe trump", "I don't understand `trump`"),
])
def test_subscribe_bad_arguments_explain_and_show_usage(commands, text, problem):
    reply = say(commands, text)
    assert reply.kind == "error"
    assert problem in reply.text
    assert f"Usage: `{USAGE}`" in reply.text


def test_subscribe_unknown_option(commands):
    reply = say(commands, "/summits subscribe place:Seoul")
    assert reply.kind == "error" and "no `place:` option" in reply.text and USAGE in reply.text


def test_non_admins_cannot_change_settings(commands, store):
    for text in ("/summits subscribe", "/summits unsubscribe all", "/summits digest daily 08:00",
                 "/summits timezone Asia/Seoul"):
        reply = say(commands, text, USER)
        assert reply.kind == "error" and "admin" in reply.text.lower(), text
    assert get_channel(store, ChannelRef("slack", "T1", "C1")) is None
    # Reading is for everyone.
    assert say(commands, "/summits subscriptions", USER).kind == "message"
    assert say(commands, "/summits timezone", USER).text == "This channel's time zone is Europe/Berlin."


# -- unsubscribe and listing -----------------------------------------------------------------------------------


def test_unsubscribe_one_all_and_mistakes(commands, store):
    say(commands, "/summits subscribe who:Lee")
    say(commands, "/summits subscribe kind:visit")
    say(commands, "/summits subscribe", OTHER)  # #3 belongs to another channel
    listing = say(commands, "/summits subscriptions")
    assert listing.text == "This channel has 2 subscriptions:"
    assert [label for label, _ in listing.rows][:2] == ["#1", "#2"]
    assert say(commands, "/summits unsubscribe 3").kind == "error"  # not this channel's
    assert "no subscription #3" in say(commands, "/summits unsubscribe #3").text
    assert say(commands, "/summits unsubscribe #1").text == "Removed subscription #1."
    assert say(commands, "/summits unsubscribe 1").kind == "error"  # already gone
    bad = say(commands, "/summits unsubscribe lee")
    assert bad.kind == "error" and "Usage: `/summits unsubscribe ID|all`" in bad.text
    missing = say(commands, "/summits unsubscribe")
    assert missing.kind == "error" and "Usage: `/summits unsubscribe ID|all`" in missing.text
    assert say(commands, "/summits unsubscribe all").text == "Removed all 1 subscription of this channel."
    assert say(commands, "/summits unsubscribe all").kind == "error"
    assert say(commands, "/summits subscriptions").text.startswith("This channel has no subscriptions")
    assert say(commands, "/summits subscriptions", OTHER).text == "This channel has 1 subscription:"


def test_unsubscribe_in_a_channel_never_seen(commands):
    assert say(commands, "/summits unsubscribe 1").text == "This channel has no subscriptions."


def test_subscriptions_takes_no_arguments(commands):
    reply = say(commands, "/summits subscriptions please")
    assert reply.kind == "error" and "Usage: `/summits subscriptions`" in reply.text


# -- digest ------------------------------------------------------------------------------------------------------


def test_digest_daily_weekly_off(commands, store):
    reply = say(commands, "/summits digest daily 08:00")
    assert reply.text.startswith("Digest set: every day at 08:00 Europe/Berlin time, covering the next 7 days")
    assert "no subscriptions, so the digest covers every summit" in reply.text
    assert ("digest", "daily at 08:00") in reply.rows
    reply = say(commands, "/summits digest weekly mon 8:30")
    assert ("digest", "weekly on Mon at 08:30") in reply.rows
    ch = get_channel(store, ChannelRef("slack", "T1", "C1"))
    assert (ch.digest, ch.digest_day, ch.digest_time) == ("weekly", "mon", "08:30")
    assert ("digest", "weekly on Fri at 09:00") in say(commands, "/summits digest weekly friday").rows
    assert ("digest", "daily at 09:00") in say(commands, "/summits digest daily").rows  # config delivery_time
    assert say(commands, "/summits digest off").text == "Digest switched off for this channel."
    assert get_channel(store, ChannelRef("slack", "T1", "C1")).digest == "off"


@pytest.mark.parametrize("text, problem", [
    ("/summits digest", "Daily, weekly or off?"),
    ("/summits digest hourly", "`hourly` is not daily, weekly or off"),
    ("/summits digest daily 25:00", "`25:00` is not a time of day"),
    ("/summits digest weekly someday 08:00", "`someday` is not a weekday"),
    ("/summits digest off now", "`off` takes nothing after it"),
    ("/summits digest daily 08:00 09:00", "`daily` takes one time"),
])
def test_digest_bad_arguments(commands, text, problem):
    reply = say(commands, text)
    assert reply.kind == "error" and problem in reply.text
    assert "Usage: `/summits digest daily 8am | weekly mon 08:00 | off`" in reply.text


# -- timezone -----------------------------------------------------------------------------------------------------


def test_timezone_show_set_and_reject(commands, store):
    assert say(commands, "/summits timezone").text == "This channel's time zone is Europe/Berlin."
    reply = say(commands, "/summits timezone asia/seoul")
    assert reply.text.startswith("Time zone set to Asia/Seoul.")
    assert say(commands, "/summits tz").text == "This channel's time zone is Asia/Seoul."
    reply = say(commands, "/summits timezone America/New_York 07:30")
    assert ("date-only reminders at", "07:30") in reply.rows
    bad = say(commands, "/summits timezone Mars/Olympus")
    assert bad.kind == "error" and "IANA" in bad.text and "Usage: `/summits timezone [ZONE] [TIME]`" in bad.text
    assert say(commands, "/summits timezone Asia/Seoul 25:00").kind == "error"
    assert say(commands, "/summits timezone Asia/Seoul 08:00 extra").kind == "error"
    assert get_channel(store, ChannelRef("slack", "T1", "C1")).tz == "America/New_York"
    assert ("date-only reminders at", "12:00") in say(commands, "/summits timezone Asia/Seoul noon").rows


@pytest.mark.parametrize("typed, zone", [("seoul", "Asia/Seoul"), ("KST", "Asia/Seoul"), ("Korea", "Asia/Seoul"),
                                          ("Japan", "Asia/Tokyo"), ("kenya", "Africa/Nairobi"),
                                          ("new_york", "America/New_York")])
def test_a_zone_by_city_country_or_abbreviation(commands, typed, zone):
    assert say(commands, f"/summits timezone {typed}").text.startswith(f"Time zone set to {zone}.")


def test_an_ambiguous_abbreviation_names_its_choices(commands):
    reply = say(commands, "/summits timezone IST")
    assert reply.kind == "error" and "Asia/Kolkata" in reply.text and "Asia/Jerusalem" in reply.text


def test_help_lists_the_channel_commands(commands):
    rows = dict(say(commands, "/summits help").rows)
    assert USAGE in rows and "(admins)" in rows[USAGE]
    assert "/summits subscriptions" in rows and "/summits timezone [ZONE] [TIME]" in rows


def test_typed_arguments_as_discord_would_send_them(commands, store):
    reply = commands.run("subscribe", {"who": "Lee", "kind": "bilateral", "lead": "1d"}, ADMIN)
    assert reply.kind == "message"
    assert subscriptions(store)[0].describe() == "who:Lee kind:bilateral lead:1d"


# -- the CLI ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def cli_group(tmp_path):
    from bot.cli_reminders import register

    @click.group()
    @click.option("--db", "db_path")
    @click.option("--now", "now")
    @click.pass_context
    def group(ctx, db_path, now):
        ctx.obj = SimpleNamespace(settings=Settings(now=parse_now(now) if now else None), db_path=db_path)

    register(group)
    return group


def test_cli_say_then_reminders_preview(cli_group, store, tmp_path):
    db = str(tmp_path / "cmd.db")
    runner = CliRunner()
    base = ["--db", db, "--now", "2025-10-24T00:00+09:00"]
    out = runner.invoke(cli_group, [*base, "say", "--channel", "seoul", "/summits timezone Asia/Seoul"])
    assert out.exit_code == 0, out.output
    assert "Time zone set to Asia/Seoul." in out.output
    out = runner.invoke(cli_group, [*base, "say", "--channel", "seoul", "/summits", "subscribe", "lead:1d"])
    assert out.exit_code == 0 and "Subscribed this channel (#1)" in out.output
    bad = runner.invoke(cli_group, [*base, "say", "--channel", "seoul", "/summits subscribe kind:dinner"])
    assert bad.exit_code == 1 and "not a kind" in bad.output
    out = runner.invoke(cli_group, [*base, "reminders", "--json"])
    assert out.exit_code == 0, out.output
    msgs = json.loads(out.output)
    assert [(m["channel"], m["kind"], m["due_local"], m["due_utc"], m["meeting_id"]) for m in msgs] == [
        ("console:local:seoul", "reminder", "2025-10-28T09:00:00+09:00", "2025-10-28T00:00:00+00:00", 1)]
    assert "tomorrow" in msgs[0]["text"]
    text = runner.invoke(cli_group, [*base, "reminders", "--from", "2025-10-27", "--to", "2025-10-29"])
    assert text.exit_code == 0
    assert "2025-10-28 00:00 UTC | 2025-10-28 09:00 +0900 Asia/Seoul | console:local:seoul | reminder" in text.output
    empty = runner.invoke(cli_group, [*base, "reminders", "--to", "2025-10-25"])
    assert "Nothing would be posted" in empty.output
    wrong = runner.invoke(cli_group, [*base, "reminders", "--from", "yesterday"])
    assert wrong.exit_code == 2 and "not an ISO date" in wrong.output


def test_real_cli_registers_reminders_and_say(store, tmp_path):
    cli_module = pytest.importorskip("bot.cli")
    db = str(tmp_path / "cmd.db")
    env = {"SUMMITBOT_NOW": "", "SUMMITBOT_DB": "", "SUMMITBOT_TIMEZONE": "", "SUMMITBOT_CONFIG": ""}
    runner = CliRunner()
    out = runner.invoke(cli_module.cli, ["--db", db, "--now", "2025-10-24T00:00+09:00", "say", "--channel", "x",
                                         "/summits subscriptions"], env=env)
    assert out.exit_code == 0, out.output
    assert "This channel has no subscriptions" in out.output
    out = runner.invoke(cli_module.cli, ["--db", db, "--now", "2025-10-24T00:00+09:00", "reminders", "--json"],
                        env=env)
    assert out.exit_code == 0 and json.loads(out.output) == []
