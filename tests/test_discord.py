"""The Discord adapter: pure rendering, then the real discord.py client against tests/fake_discord.py."""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import aiohttp
import discord
import pytest
from hypothesis import given, settings as hsettings, strategies as st

from adapters.discord import DiscordAdapter
from adapters.discord.render import (
    CHARS_PER_MESSAGE,
    DESCRIPTION_LIMIT,
    EMBEDS_PER_MESSAGE,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    FIELDS_PER_EMBED,
    TITLE_LIMIT,
    ZWSP,
    clean,
    discord_when,
    masked_link,
    render_reply,
    units,
)
from adapters.discord.slash import needs_admin, who_suggestions, zone_suggestions
from adapters.discord.transport import delivery_nonce
from bot.clock import FixedClock
from bot.commands import Commands, Context, Services
from bot.config import Settings
from bot.feeds import get_feed
from bot.fetch import Fetcher
from bot.models import Article, Change, Meeting, Source
from bot.reply import Reply
from bot.store import Store
from bot.transport import ChannelGone, ChannelRef, TransientSendError
from fake_discord import ADMINISTRATOR, MANAGE_GUILD, FakeDiscord
from tests.conftest import make_record as record, summitbot_run
from tests.http_fixtures import http_server  # noqa: F401

NOW = datetime(2025, 10, 24, 0, 0, tzinfo=timezone.utc)
PING = re.compile(r"@(everyone|here)|<@[!&]?\d", re.IGNORECASE)
WEBHOOK = r"/webhooks/{app}/{token}"


@pytest.fixture(autouse=True)
def _restore_discord_endpoints():
    """The adapter points discord.py's class-level endpoints at the stand-in; put them back afterwards."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


def run(coro) -> Any:
    """Run one scenario on a fresh loop; the timeout only bounds a hung test."""
    return asyncio.run(asyncio.wait_for(coro, 25))


# -- records for the pure tests ------------------------------------------------------------------


def noon_utc(d: date) -> int:
    return int(datetime(d.year, d.month, d.day, 12, tzinfo=timezone.utc).timestamp())


def assert_within_limits(messages: list[list[discord.Embed]]) -> None:
    assert messages
    for embeds in messages:
        assert 1 <= len(embeds) <= EMBEDS_PER_MESSAGE
        total = 0
        for embed in embeds:
            data = embed.to_dict()
            assert units(data.get("title", "")) <= TITLE_LIMIT
            assert units(data.get("description", "")) <= DESCRIPTION_LIMIT
            assert len(data.get("fields", [])) <= FIELDS_PER_EMBED
            for f in data.get("fields", []):
                assert 0 < units(f["name"]) <= FIELD_NAME_LIMIT
                assert 0 < units(f["value"]) <= FIELD_VALUE_LIMIT
                total += units(f["name"]) + units(f["value"])
            total += units(data.get("title", "")) + units(data.get("description", ""))
        assert total <= CHARS_PER_MESSAGE


def strings(value: Any):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def assert_no_pings(body: dict) -> None:
    assert body["allowed_mentions"] == {"parse": []}
    for text in strings(body):
        assert not PING.search(text), text


# -- rendering (pure) -----------------------------------------------------------------------------


def test_untrusted_text_is_escaped_and_cannot_mention():
    text = clean("@everyone **breaking** <@123> <@&456> @here [click](https://evil.example)\x1b[31m\n# head")
    assert not PING.search(text)
    assert "@" + ZWSP + "everyone" in text and "@" + ZWSP + "here" in text
    assert "\\*\\*breaking\\*\\*" in text and "\\[click\\]" in text
    assert "\x1b" not in text and "\n" not in text
    assert clean("# Title").startswith("\\#") and clean("1. one").startswith("1\\.")


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=30), st.sampled_from(
    ["@everyone", "@here", "<@123>", "<@!5>", "<@&7>", "@", "<", "\\", "*", "\n", "\x00", "@Everyone"])),
    max_size=12))
def test_clean_never_leaves_a_mention_or_control_character(parts):
    text = clean("".join(parts))
    assert not PING.search(text)
    assert all(ch.isprintable() or ch == ZWSP for ch in text)


def test_masked_links_only_for_stored_http_urls():
    assert masked_link("Reuters [wire]", "https://ex.com/a_(b)") == "[Reuters \\[wire\\] (ex.com)](https://ex.com/a_%28b%29)"
    assert masked_link("t", "http://ex.com/x") == "[t (ex.com)](http://ex.com/x)"  # the reader sees the host
    # Article text never becomes a link: masked links are escaped, bare URLs broken.
    assert clean("[bank](https://evil.example/x) **bold**") == \
        "\\[bank\\](https\\://evil.example/x) \\*\\*bold\\*\\*"
    for bad in ("javascript:alert(1)", "data:text/html,x", "/relative", "ftp://ex.com/f", "https://ex.com/a b", None):
        assert masked_link("plain", bad) == "plain"


def test_dates_are_discord_timestamps_only_for_instants():
    day = record(start=date(2025, 10, 29), end=date(2025, 10, 29))
    assert discord_when(day) == "Wed 29 Oct 2025"  # a timestamp would show UTC+13/+14 readers the next day
    timed = record(time="14:30", tz="Asia/Seoul")
    exact = int(datetime(2025, 10, 29, 5, 30, tzinfo=timezone.utc).timestamp())
    assert discord_when(timed) == f"<t:{exact}:F> (<t:{exact}:R>)"
    assert discord_when(record(time="14:30")) == "Wed 29 Oct 2025, 14:30 local time"
    span = record(precision="range", start=date(2025, 10, 31), end=date(2025, 11, 1))
    assert discord_when(span) == "31 Oct – 1 Nov 2025"
    month = record(precision="month", start=date(2025, 11, 1), end=date(2025, 11, 30))
    assert discord_when(month) == "November 2025"
    assert discord_when(record(start=None, end=None)) == "date not known"


def test_meeting_list_embed():
    reply = Reply(kind="meetings", text="Upcoming summits in the next 30 days:",
                  meetings=[record(), record(2, status="cancelled", name="APEC_Leaders")])
    [[embed]] = render_reply(reply)
    data = embed.to_dict()
    assert data["description"] == "Upcoming summits in the next 30 days:"
    first, second = data["fields"]
    assert first["name"] == "#1 Bilateral meeting: Donald Trump – Lee Jae-myung"
    assert first["value"] == "Wed 29 Oct 2025 · Gyeongju · confirmed"
    assert second["name"] == "#2 Bilateral meeting: APEC\\_Leaders" and second["value"].endswith("**CANCELLED**")


def test_long_lists_split_into_messages_within_every_limit():
    many = [record(i, name=f"Summit {i} " + "x" * 240, location="L" * 900) for i in range(1, 121)]
    messages = render_reply(Reply(kind="meetings", text="t" * 5000, meetings=many))
    assert len(messages) > 1
    assert_within_limits(messages)
    names = [f["name"] for embeds in messages for e in embeds for f in e.to_dict().get("fields", [])]
    assert [n.split(" ")[0] for n in names] == [f"#{i}" for i in range(1, 121)]
    descriptions = "".join(e.description or "" for embeds in messages for e in embeds)
    assert descriptions.count("t") == 5000


def test_detail_embed_with_sources_history_and_limits():
    sources = [Source(i, f"Story {i} @everyone", f"https://news.example/{i}", "Wire", "2025-10-20T08:00:00",
                      "Trump will meet Lee " + "y" * 400) for i in range(60)]
    sources.append(Source(99, "No link", "javascript:alert(1)", None, None, ""))
    changes = [Change("2025-10-20T08:00:00", "created", None, "x", 1, None, "Story 1"),
               Change("2025-10-21T08:00:00", "location", "Seoul", "Gyeongju", 2, None, "Story 2")]
    rec = record(sources=sources, changes=changes, alt_locations=["Busan"])
    messages = render_reply(Reply(kind="detail", text="Summit #1", meetings=[rec]))
    assert_within_limits(messages)
    first = messages[0][0].to_dict()
    assert first["title"] == "#1 Bilateral meeting: Donald Trump – Lee Jae-myung"
    fields = {f["name"]: f["value"] for embeds in messages for e in embeds for f in e.to_dict().get("fields", [])}
    assert fields["Where"] == "Gyeongju\nalso reported: Busan"
    first_source = "[Story 0 @" + ZWSP + "everyone (news.example)](https://news.example/0) (Wire · 2025-10-20)"
    assert fields["Sources (61)"].startswith(first_source)
    assert "Sources (61) (continued)" in fields
    everything = "\n".join(fields.values())
    assert "No link" in everything and "javascript" not in everything
    assert "location: Seoul → Gyeongju — Story 2" in fields["History"]


def test_help_and_error_replies():
    [[help_embed]] = render_reply(Reply(kind="help", text="summitbot tracks…", rows=[("/summits help", "Show.")],
                                        ephemeral=True))
    assert help_embed.title == "summitbot help" and help_embed.fields[0].name == "/summits help"
    [[error]] = render_reply(Reply.error("There is no summit #9."))
    assert error.description == "⚠️ There is no summit #9." and error.colour.value == 0xED4245


def test_autocomplete_suggestions():
    names = ["Donald Trump", "Lee Jae-myung", "Leo XIV", "Xi Jinping"] + [f"Lee {i}" for i in range(40)]
    assert who_suggestions(names, "jae") == ["Lee Jae-myung"]
    assert who_suggestions(names, "lee jae") == ["Lee Jae-myung"]
    assert len(who_suggestions(names, "le")) == 25
    assert who_suggestions(["x" * 101, "Xi Jinping"], "x") == ["Xi Jinping"]
    assert "Asia/Seoul" in zone_suggestions("seoul")
    assert zone_suggestions("america/new")[0] == "America/New_York"
    assert len(zone_suggestions("")) == 25


def test_settings_commands_need_admin():
    assert needs_admin("subscribe", {}) and needs_admin("unsubscribe", {"_": "1"}) and needs_admin("digest", {})
    assert needs_admin("timezone", {"_": "Asia/Seoul"}) and not needs_admin("timezone", {"_": ""})
    assert not needs_admin("upcoming", {}) and not needs_admin("subscriptions", {})
    assert needs_admin("ingest", {"_": "https://news.example/1"}) and needs_admin("feeds", {"_": "add https://x.test/"})
    assert needs_admin("feeds", {"_": "remove 1"}) and needs_admin("feeds", {"_": "resume 1"})
    assert not needs_admin("feeds", {"_": "list"})


def test_delivery_nonce_is_stable_short_and_per_message():
    a = delivery_nonce("reminder:1:2:2025-10-28T09:00:00Z")
    assert a == delivery_nonce("reminder:1:2:2025-10-28T09:00:00Z") and len(a) <= 25
    assert a != delivery_nonce("reminder:1:2:2025-10-28T09:00:00Z", 1) != delivery_nonce("other")


# -- end to end: discord.py against the stand-in ---------------------------------------------------


@dataclass
class Bot:
    fake: FakeDiscord
    adapter: DiscordAdapter
    store: Store
    clock: FixedClock
    settings: Settings
    commands: Commands
    ready_calls: list = field(default_factory=list)

    @property
    def client(self):
        return self.adapter.client

    async def interact(self, sub: str, options: dict | None = None, **kw) -> tuple[dict, dict]:
        """Send an INTERACTION_CREATE; return it and the body of its callback."""
        payload = self.fake.interaction(sub, options, **kw)
        await self.fake.dispatch("INTERACTION_CREATE", payload)
        call = await self.fake.wait_for_call("POST", rf"/interactions/{payload['id']}/{payload['token']}/callback")
        return payload, call.body

    async def followup(self, payload: dict, count: int = 1) -> dict:
        path = WEBHOOK.format(app=self.fake.app_id, token=re.escape(payload["token"]))
        return (await self.fake.wait_for_call("POST", path, count)).body

    def ctx(self, **kw) -> Context:
        return Context(platform="discord", workspace=self.fake.guild_id, channel=self.fake.channel_id, **kw)


@contextlib.asynccontextmanager
async def discord_bot(tmp_path: Path, *, guild_sync: bool = True, token: str | None = None):
    """The adapter, logged in and ready, against a fresh stand-in and a fresh database."""
    fake = FakeDiscord()
    await fake.start()
    store = Store(tmp_path / "summitbot.db")
    clock = FixedClock(NOW)
    settings = Settings(db=str(tmp_path / "summitbot.db"), discord_admins=("777",))
    commands = Commands(Services(store=store, settings=settings, clock=clock))
    bot = Bot(fake, None, store, clock, settings, commands)  # type: ignore[arg-type]

    async def on_ready_once() -> None:
        bot.ready_calls.append(clock.now())

    env = fake.env(DISCORD_GUILD_ID=fake.guild_id) if guild_sync else fake.env()
    if token is not None:
        env["DISCORD_TOKEN"] = token
    bot.adapter = DiscordAdapter(commands, settings, env, on_ready_once=on_ready_once, guild_ready_timeout=0)

    async def no_identify_pause(shard_id, *, initial=False) -> None:
        """discord.py waits 5 s before a re-IDENTIFY (Discord's identify rate limit); not against a stand-in."""

    bot.adapter.client.before_identify_hook = no_identify_pause  # type: ignore[method-assign]
    try:
        await bot.adapter.start()
        await bot.client.wait_ready_count(1)
        yield bot
    finally:
        await bot.adapter.stop()
        await fake.close()


def add_meeting(store: Store, **kw) -> int:
    values = dict(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral", location="Gyeongju",
                  start=date(2025, 10, 29), end=date(2025, 10, 29), certainty="confirmed",
                  sentence="Trump will meet Lee on Wednesday.")
    article = kw.pop("article", None)
    values.update(kw)
    article_id = store.add_article(article).id if article else None
    return store.insert_meeting(Meeting(**values), article_id=article_id, asof=None, now=NOW)


def test_login_gateway_heartbeat_and_guild_command_sync(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            fake = bot.fake
            paths = [(c.method, c.path) for c in fake.calls]
            assert paths[:3] == [("GET", "/users/@me"), ("GET", "/oauth2/applications/@me"),
                                 ("PUT", f"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands")]
            assert all(c.headers["Authorization"] == f"Bot {fake.token}" for c in fake.calls)
            identify = fake.ops(2)
            assert len(identify) == 1
            assert identify[0]["d"]["intents"] == discord.Intents(guilds=True).value  # no privileged intent
            assert fake.heartbeat_acks >= 1 and math.isfinite(bot.client.latency)
            assert bot.ready_calls == [NOW] and bot.client.ready_count == 1
            [summits] = fake.commands[fake.guild_id]
            assert summits["name"] == "summits" and summits["type"] == 1 and summits["dm_permission"] is False
            subs = {o["name"]: o for o in summits["options"]}
            assert set(subs) == {"upcoming", "next", "search", "show", "subscribe", "unsubscribe",
                                 "subscriptions", "digest", "timezone", "calendar", "feeds", "ingest", "help"}
            feeds = {o["name"]: o for o in subs.pop("feeds")["options"]}  # a subcommand group (type 2)
            assert set(feeds) == {"list", "add", "remove", "resume"}
            assert all(o["type"] == 1 and o["description"] for o in [*subs.values(), *feeds.values()])
            assert [p["name"] for p in feeds["add"]["options"]] == ["url", "every"]
            assert feeds["remove"]["options"][0]["name"] == "id" and feeds["remove"]["options"][0]["required"]
            opts = {name: {p["name"]: p for p in o["options"]} for name, o in subs.items()}
            assert opts["ingest"]["url"]["required"] is True
            assert opts["upcoming"]["days"]["type"] == 4 and opts["upcoming"]["who"]["autocomplete"] is True
            assert set(opts["subscribe"]) == {"who", "country", "kind", "min", "lead"}
            assert [c["value"] for c in opts["subscribe"]["min"]["choices"]] == ["possible", "planned", "confirmed"]
            assert opts["timezone"]["zone"]["autocomplete"] is True and opts["show"]["id"]["required"] is True
            assert opts["calendar"]["rotate"]["type"] == 5 and not opts["calendar"]["rotate"].get("required")
            shards, url, _ = await bot.client.http.get_bot_gateway()  # answered, though Client never asks
            assert (shards, url) == (1, fake.gateway_url)
            async with aiohttp.ClientSession() as http:  # the stand-in's JSON is typed exactly as Discord's
                async with http.get(fake.base_url + "/users/@me",
                                    headers={"Authorization": f"Bot {fake.token}"}) as resp:
                    assert resp.headers["Content-Type"] == "application/json"

    run(scenario())


def test_global_sync_without_a_guild_and_bad_token_raises(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path, guild_sync=False) as bot:
            assert bot.fake.find_calls("PUT", rf"/applications/{bot.fake.app_id}/commands")
            assert not bot.fake.find_calls("PUT", r"/applications/\d+/guilds/\d+/commands")
        with pytest.raises(discord.LoginFailure):
            async with discord_bot(tmp_path / "bad", token="wrong-token"):
                pass

    run(scenario())


def test_upcoming_defers_then_follows_up_with_embeds_and_no_mentions(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            add_meeting(bot.store)
            payload, callback = await bot.interact("upcoming", {"days": 7})
            assert callback == {"type": 5, "data": {"flags": 64}}  # deferred privately, before the database
            body = await bot.followup(payload)
            assert_no_pings(body)
            [embed] = body["embeds"]
            assert embed["description"] == "Upcoming summits in the next 7 days:"
            assert embed["fields"] == [{"name": "#1 Bilateral meeting: Donald Trump – Lee Jae-myung",
                                        "value": "Wed 29 Oct 2025 · Gyeongju · confirmed",
                                        "inline": False}]
            assert body["flags"] == 64  # a lookup is seen by whoever asked only

            payload, _ = await bot.interact("search", {"query": "Gyeongju"})
            assert (await bot.followup(payload))["embeds"][0]["description"].startswith("Summits matching")

            payload, callback = await bot.interact("help")  # no database: answered at once, privately
            assert callback["type"] == 4 and callback["data"]["flags"] == 64
            assert callback["data"]["embeds"][0]["title"] == "summitbot help"

    run(scenario())


def test_a_long_answer_is_one_page_within_every_limit(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            for i in range(40):
                add_meeting(bot.store, name=f"Summit {i:02d} " + "n" * 200, location="L" * 200)
            payload, callback = await bot.interact("upcoming", {"days": 365})
            assert callback == {"type": 5, "data": {"flags": 64}}
            body = await bot.followup(payload)
            assert_no_pings(body)
            assert len(body["embeds"]) <= EMBEDS_PER_MESSAGE
            assert sum(len(e.get("description", "")) + sum(len(f["name"]) + len(f["value"]) for f in e["fields"])
                       for e in body["embeds"]) <= CHARS_PER_MESSAGE
            names = [f["name"] for e in body["embeds"] for f in e["fields"]]
            found = [re.match(r"#(\d+) Bilateral meeting: Summit (\d\d)", n).groups() for n in names]
            assert found == [(str(i + 1), f"{i:02d}") for i in range(10)]  # one page of ten, in order
            path = WEBHOOK.format(app=bot.fake.app_id, token=re.escape(payload["token"]))
            assert len(bot.fake.find_calls("POST", path)) == 1  # one message, not eleven

    run(scenario())


def test_an_error_after_deferring_is_sent_privately(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            payload, callback = await bot.interact("show", {"id": 99})
            assert callback == {"type": 5, "data": {"flags": 64}}
            body = await bot.followup(payload)
            assert body["flags"] == 64 and "There is no summit #99" in body["embeds"][0]["description"]
            # A settings change is deferred in public; its error is removed from there and sent privately.
            payload, callback = await bot.interact("digest", {"schedule": "hourly"}, permissions=MANAGE_GUILD)
            assert callback == {"type": 5}
            body = await bot.followup(payload)
            assert body["flags"] == 64 and "hourly" in body["embeds"][0]["description"]
            assert bot.fake.find_calls("DELETE", WEBHOOK.format(app=bot.fake.app_id, token=payload["token"])
                                       + "/messages/@original")

    run(scenario())


def test_settings_command_refused_without_manage_server(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            _, callback = await bot.interact("subscribe", {"lead": "1d"}, permissions=1 << 11)
            assert callback["type"] == 4 and callback["data"]["flags"] == 64
            assert "Manage Server" in callback["data"]["embeds"][0]["description"]
            listing = bot.commands.handle("/summits subscriptions", bot.ctx())
            assert listing.text.startswith("This channel has no subscriptions")

            for perms, user in ((MANAGE_GUILD, "4242"), (ADMINISTRATOR, "4243"), (0, "777")):
                payload, callback = await bot.interact("subscribe", {"lead": "1d"}, permissions=perms, user_id=user)
                assert callback == {"type": 5}, (perms, user)
                body = await bot.followup(payload)
                assert re.match(r"Subscribed this channel|This channel already has that subscription",
                                body["embeds"][0]["description"])
            assert "1 subscription" in bot.commands.handle("/summits subscriptions", bot.ctx()).text

    run(scenario())


def test_help_lists_exactly_the_subcommands_registered(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            [summits] = bot.fake.commands[bot.fake.guild_id]
            registered = {option["name"] for option in summits["options"]}
            _, callback = await bot.interact("help")
            listed = [f["name"].split()[1] for embed in callback["data"]["embeds"] for f in embed["fields"]]
            assert sorted(listed) == sorted(registered)
            # ... and that is every command of the command layer, as in Slack and the console.
            assert registered == {spec.name for spec in Commands.specs()}

    run(scenario())


ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Macron to meet Merz</title>
<meta property="article:published_time" content="2025-10-23T08:00:00+00:00"></head><body><article>
<h1>Macron to meet Merz</h1><p>President Emmanuel Macron will meet Chancellor Friedrich Merz in Berlin next
Tuesday. Officials in both capitals confirmed the plan on Thursday, and aides said the leaders are expected
to discuss defence spending, energy prices and trade.</p></article></body></html>"""


class NoMeetings:
    """An extractor that finds nothing (what is extracted is tested elsewhere)."""

    def extract(self, article) -> list[Meeting]:
        return []


def test_feeds_and_ingest_need_manage_server(tmp_path, http_server):
    article = http_server.page("/news/1", ARTICLE)
    feed = "https://news.example/world.xml"

    async def scenario():
        async with discord_bot(tmp_path) as bot:
            bot.commands.services.extra.update(extractor=NoMeetings(),
                                               fetcher=Fetcher(Settings(allow_private_urls=True)))
            for sub, options in (("feeds add", {"url": feed}), ("feeds remove", {"id": 1}),
                                 ("feeds resume", {"id": 1}), ("ingest", {"url": article})):
                _, callback = await bot.interact(sub, options, permissions=1 << 11)
                assert callback["type"] == 4 and callback["data"]["flags"] == 64, sub
                assert "Manage Server" in callback["data"]["embeds"][0]["description"], sub
            assert http_server.paths() == [] and bot.store.db["feeds"].count == 0

            payload, callback = await bot.interact("feeds add", {"url": feed, "every": "30m"},
                                                   permissions=MANAGE_GUILD)
            assert callback == {"type": 5}
            body = await bot.followup(payload)
            assert body["embeds"][0]["description"].startswith("Following feed #1, polled every 30m")
            assert get_feed(bot.store, 1).channel == ChannelRef("discord", bot.fake.guild_id, bot.fake.channel_id)

            payload, callback = await bot.interact("feeds list")  # for everyone, privately
            assert callback == {"type": 5, "data": {"flags": 64}}
            [embed] = (await bot.followup(payload))["embeds"]
            assert embed["description"] == "1 feed:"
            assert feed.replace("://", "\\://") in embed["fields"][0]["value"]  # shown, not linked

            payload, callback = await bot.interact("ingest", {"url": article}, permissions=MANAGE_GUILD)
            assert callback == {"type": 5}
            body = await bot.followup(payload)
            assert body["embeds"][0]["description"] == "Read 1 new article: 0 new summits, 0 updated."
            assert http_server.paths() == ["/news/1"]

    run(scenario())


def test_autocomplete_for_who_and_timezone(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            add_meeting(bot.store)
            _, callback = await bot.interact("next", {"who": "jae"}, focused="who")
            assert callback == {"type": 8, "data": {"choices": [{"name": "Lee Jae-myung", "value": "Lee Jae-myung"}]}}
            _, callback = await bot.interact("timezone", {"zone": "seoul"}, focused="zone", permissions=MANAGE_GUILD)
            assert {"name": "Asia/Seoul", "value": "Asia/Seoul"} in callback["data"]["choices"]

    run(scenario())


def test_transport_posts_once_per_delivery_with_a_nonce(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            add_meeting(bot.store)
            reply = bot.commands.handle("/summits upcoming", bot.ctx())
            ref = ChannelRef("discord", bot.fake.guild_id, bot.fake.channel_id)
            first = await bot.adapter.transport.send(ref, reply, idempotency_key="reminder:7")
            again = await bot.adapter.transport.send(ref, reply, idempotency_key="reminder:7")  # a retry
            posts = bot.fake.channel_posts()
            assert len(posts) == 2 and first == again
            assert len(bot.fake.messages[bot.fake.channel_id]) == 1  # Discord kept one message
            for post in posts:
                assert post.body["nonce"] == delivery_nonce("reminder:7") and post.body["enforce_nonce"] is True
                assert_no_pings(post.body)
                assert post.headers["Authorization"] == f"Bot {bot.fake.token}"  # the bot token, not a webhook
            assert not bot.fake.find_calls("POST", r"/webhooks/.*")

    run(scenario())


def test_a_post_accepted_then_dropped_and_retried_is_kept_once_by_its_nonce(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            add_meeting(bot.store)
            reply = bot.commands.handle("/summits upcoming", bot.ctx())
            ref = ChannelRef("discord", bot.fake.guild_id, bot.fake.channel_id)
            bot.fake.fail_next(bot.fake.channel_id, drop=True, accept=True)  # taken, then the answer is lost
            try:
                first = await bot.adapter.transport.send(ref, reply, idempotency_key="reminder:8")
            except TransientSendError:
                first = await bot.adapter.transport.send(ref, reply, idempotency_key="reminder:8")  # next attempt
            assert len(bot.fake.channel_posts()) == 2
            [kept] = bot.fake.messages[bot.fake.channel_id]
            assert first == kept["id"] and kept["nonce"] == delivery_nonce("reminder:8")

    run(scenario())


def test_transport_maps_failures(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            fake, send = bot.fake, bot.adapter.transport.send
            ref = ChannelRef("discord", fake.guild_id, fake.channel_id)
            reply = Reply(text="hello")
            fake.fail_next(fake.channel_id, 403, "Missing Access", 50001)
            with pytest.raises(ChannelGone):
                await send(ref, reply, idempotency_key="a")
            fake.fail_next(fake.channel_id, 404, "Unknown Channel", 10003)
            with pytest.raises(ChannelGone):
                await send(ref, reply, idempotency_key="b")
            fake.fail_next(fake.channel_id, 429, body={"message": "You are being rate limited.", "retry_after": 60.0,
                                                       "global": False}, headers={"Via": "1.1 google"})
            with pytest.raises(TransientSendError) as limited:
                await send(ref, reply, idempotency_key="c")
            assert limited.value.retry_after == 60.0
            fake.fail_next(fake.channel_id, 503, "Service Unavailable")
            with pytest.raises(TransientSendError):
                await send(ref, reply, idempotency_key="d")
            fake.fail_next(fake.channel_id, drop=True)
            with pytest.raises(TransientSendError):
                await send(ref, reply, idempotency_key="e")
            with pytest.raises(ChannelGone):
                await send(ChannelRef("discord", fake.guild_id, "general"), reply, idempotency_key="f")
            assert await send(ref, reply, idempotency_key="g")  # and it still works afterwards

    run(scenario())


def test_reconnect_resumes_and_a_new_session_does_not_rerun_on_ready_once(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            fake = bot.fake
            await fake.reconnect()
            resume = await fake.wait_for_op(6)
            assert resume["d"]["session_id"] == fake.session_id and resume["d"]["seq"] == 2
            await fake.wait_until(lambda: any(p.get("t") == "RESUMED" for p in fake.gateway_sent))
            payload, callback = await bot.interact("help")  # served on the resumed connection
            assert len(fake.connections) == 2 and callback["type"] == 4
            assert len(fake.ops(2)) == 1 and bot.client.ready_count == 1 and len(bot.ready_calls) == 1

            await fake.invalidate_session()  # not resumable: IDENTIFY again, READY again, on_ready again
            await fake.wait_for_op(2, count=2)
            await bot.client.wait_ready_count(2)
            assert len(bot.ready_calls) == 1

    run(scenario())


def test_everyone_in_an_article_never_pings(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            article = Article(text="@everyone breaking: Trump and Lee meet.", published=NOW,
                              title="@everyone breaking", url="https://news.example/everyone", outlet="@here wire")
            mid = add_meeting(bot.store, name="@everyone breaking <@123> <@&456>", article=article)
            payload, _ = await bot.interact("show", {"id": mid})
            body = await bot.followup(payload)
            assert_no_pings(body)
            text = json.dumps(body, ensure_ascii=False)
            assert "@" + ZWSP + "everyone breaking" in text and "[@" + ZWSP + "everyone breaking (news.example)]" in text

            reply = bot.commands.handle(f"/summits show {mid}", bot.ctx())
            ref = ChannelRef("discord", bot.fake.guild_id, bot.fake.channel_id)
            await bot.adapter.transport.send(ref, reply, idempotency_key="alert:1")
            [post] = bot.fake.channel_posts()
            assert_no_pings(post.body)

    run(scenario())


def test_a_due_reminder_is_posted_once_even_across_a_resume(tmp_path):
    from bot.scheduler import SummitScheduler

    async def scenario():
        async with discord_bot(tmp_path) as bot:
            add_meeting(bot.store, name="@everyone summit")  # 29 Oct, date only
            subscribed = bot.commands.handle("/summits subscribe lead:1d", bot.ctx(is_admin=True))
            assert subscribed.kind != "error", subscribed.text
            sched = SummitScheduler(bot.store, bot.settings, bot.clock, {"discord": bot.adapter.transport},
                                    owner="test")
            try:
                bot.clock.set(datetime(2025, 10, 28, 9, 0, 30, tzinfo=timezone.utc))  # 1 day before, 09:00 UTC
                await sched.run_once()
                [post] = bot.fake.channel_posts()
                assert post.body["enforce_nonce"] is True and post.body["nonce"]
                assert_no_pings(post.body)
                assert "Donald Trump – Lee Jae-myung" not in json.dumps(post.body)  # it has a name
                assert "@" + ZWSP + "everyone summit" in json.dumps(post.body, ensure_ascii=False)

                await bot.fake.reconnect()
                await bot.fake.wait_for_op(6)
                await bot.fake.wait_until(lambda: any(p.get("t") == "RESUMED" for p in bot.fake.gateway_sent))
                bot.clock.advance(minutes=1)
                await sched.run_once()
                assert len(bot.fake.channel_posts()) == 1 and len(bot.ready_calls) == 1
            finally:
                await sched.shutdown()

    run(scenario())


def test_summitbot_run_serves_slash_commands(tmp_path):
    async def scenario():
        fake = FakeDiscord()
        await fake.start()
        try:
            async with summitbot_run(tmp_path / "run.db", tmp_path / "run.log", **fake.env()):
                await fake.wait_for_call("PUT", rf"/applications/{fake.app_id}/commands", timeout=20)
                await fake.wait_until(lambda: any(p.get("t") == "READY" for p in fake.gateway_sent), timeout=20)
                payload = fake.interaction("upcoming")
                await fake.dispatch("INTERACTION_CREATE", payload)
                callback = await fake.wait_for_call(
                    "POST", rf"/interactions/{payload['id']}/{payload['token']}/callback", timeout=10)
                assert callback.body == {"type": 5, "data": {"flags": 64}}
                body = (await fake.wait_for_call("POST", WEBHOOK.format(app=fake.app_id, token=payload["token"]),
                                                 timeout=10)).body
                assert body["embeds"][0]["description"] == "No summits in the next 30 days."
        finally:
            await fake.close()

    run(scenario())
