"""The Discord adapter end to end: the real discord.py client against tests/fake_discord.py.
Rendering alone is tested in tests/test_discord_render.py."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone

import aiohttp
import discord
import pytest

from adapters.discord.render import CHARS_PER_MESSAGE, EMBEDS_PER_MESSAGE, ZWSP
from adapters.discord.transport import delivery_nonce
from bot.commands import Commands
from bot.config import Settings
from bot.feeds import get_feed
from bot.fetch import Fetcher
from bot.models import Article, Meeting
from bot.reply import Reply
from bot.transport import ChannelGone, ChannelRef, TransientSendError
from fake_discord import ADMINISTRATOR, MANAGE_GUILD, FakeDiscord
from tests.conftest import summitbot_run
from tests.discord_helpers import NOW, WEBHOOK, add_meeting, assert_no_pings, discord_bot, run
from tests.http_fixtures import http_server  # noqa: F401


@pytest.fixture(autouse=True)
def _restore_discord_endpoints():
    """The adapter points discord.py's class-level endpoints at the stand-in; put them back afterwards."""
    base, gateway = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    yield
    discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = base, gateway


# -- end to end: discord.py against the stand-in ---------------------------------------------------


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
