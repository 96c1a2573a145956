"""Discord's buttons, menus, pages, "Post to channel" and autocomplete: discord.py against tests/fake_discord.py."""

from __future__ import annotations

import re
from datetime import date, timedelta

from icalendar import Calendar

from adapters.discord.buttons import VIEW_TIMEOUT
from bot.models import Article
from fake_discord import MANAGE_GUILD
from tests.discord_helpers import NOW, WEBHOOK, add_meeting, assert_no_pings, discord_bot, run
from tests.test_inert import TEXT, TITLE, assert_discord_inert

PRIVATE = 64


def fill(store, count: int = 23) -> None:
    for i in range(count):
        day = date(2025, 10, 25) + timedelta(days=i)
        add_meeting(store, participants=["Donald Trump", f"Leader {i:02d}"], location=f"City {i:02d}",
                    start=day, end=day)


def components(message: dict) -> dict[str, dict]:
    """A message's buttons by label and menus by placeholder."""
    out = {}
    for row in message.get("components") or []:
        for c in row["components"]:
            out[c.get("label") or c.get("placeholder")] = c
    return out


def field_names(message: dict) -> list[str]:
    return [f["name"] for e in message["embeds"] for f in e.get("fields", [])]


class Clicker:
    """Clicks components of messages the bot sent, as Discord would, and returns what the bot answered."""

    def __init__(self, bot):
        self.bot = bot

    async def __call__(self, message: dict, label: str, value: str | None = None, **kw) -> tuple[dict, dict]:
        fake = self.bot.fake
        component = components(message)[label]
        values = None
        if component["type"] == 3:  # a menu: the option whose label starts with `value`
            values = [next(o["value"] for o in component["options"] if o["label"].startswith(value))]
        payload = fake.component(message, component["custom_id"], values=values, **kw)
        await fake.dispatch("INTERACTION_CREATE", payload)
        call = await fake.wait_for_call("POST", rf"/interactions/{payload['id']}/{payload['token']}/callback")
        return payload, call.body

    async def answer(self, payload: dict) -> dict:
        """The message the bot sent after deferring: its followup (answer included)."""
        path = WEBHOOK.format(app=self.bot.fake.app_id, token=re.escape(payload["token"]))
        call = await self.bot.fake.wait_for_call("POST", path)
        body = call.body or {}
        return {**call.answer, "files": call.files, "flags": body.get("flags", 0),
                "allowed_mentions": body.get("allowed_mentions")}

    async def edited(self, payload: dict) -> dict:
        path = WEBHOOK.format(app=self.bot.fake.app_id, token=re.escape(payload["token"])) + "/messages/@original"
        return (await self.bot.fake.wait_for_call("PATCH", path)).answer


async def ask(bot, sub: str, options: dict | None = None, **kw) -> dict:
    payload, callback = await bot.interact(sub, options, **kw)
    return await Clicker(bot).answer(payload)


def test_pages_turn_forward_and_back_on_the_private_list(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            fill(bot.store)
            click = Clicker(bot)
            first = await ask(bot, "upcoming")
            assert first["flags"] == PRIVATE and len(field_names(first)) == 10
            found = components(first)
            assert {"Details…", "Sources…", "Add to calendar…", "Subscribe to its leaders…", "Next",
                    "Post to channel"} == set(found)
            assert len(found["Details…"]["options"]) == 10 and "Previous" not in found

            payload, callback = await click(first, "Next")
            assert callback == {"type": 6}  # the list itself will change
            second = await click.edited(payload)
            assert field_names(second)[0].startswith("#11 ") and {"Previous", "Next"} <= set(components(second))
            second["flags"] = PRIVATE
            payload, _ = await click(second, "Next")
            third = {**await click.edited(payload), "flags": PRIVATE}
            assert len(field_names(third)) == 3 and "Next" not in components(third)
            payload, _ = await click(third, "Previous")
            back = {**await click.edited(payload), "flags": PRIVATE}
            assert field_names(back) == field_names(second)
            payload, _ = await click(back, "Previous")
            assert field_names(await click.edited(payload)) == field_names(first)

    run(scenario())


def test_post_to_channel_shows_a_private_answer_to_everyone(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            add_meeting(bot.store)
            click = Clicker(bot)
            private = await ask(bot, "show", {"id": 1})
            assert private["flags"] == PRIVATE and "Post to channel" in components(private)
            payload, callback = await click(private, "Post to channel")
            assert callback == {"type": 5}  # deferred in public
            public = await click.answer(payload)
            assert not public["flags"] and public["embeds"][0]["title"].startswith("#1 Bilateral meeting")
            assert "Post to channel" not in components(public) and "Add to calendar" in components(public)
            assert_no_pings(public)

    run(scenario())


def test_details_sources_calendar_and_subscribe_from_the_menus(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            article = Article(text="Trump will meet Lee.", title="Trump to meet Lee", url="https://news.example/a",
                              outlet="Wire", published=NOW)
            add_meeting(bot.store, article=article)
            add_meeting(bot.store, participants=["Xi Jinping", "Lee Jae-myung"], location="Busan")
            click = Clicker(bot)
            listed = await ask(bot, "upcoming")

            payload, callback = await click(listed, "Details…", "#2 ")
            assert callback == {"type": 5, "data": {"flags": PRIVATE}}
            detail = await click.answer(payload)
            assert detail["flags"] == PRIVATE and detail["embeds"][0]["title"].startswith("#2 Bilateral meeting")

            payload, _ = await click(listed, "Sources…", "#1 ")
            sources = await click.answer(payload)
            assert "[Trump to meet Lee (news.example)](https://news.example/a)" in str(sources["embeds"])

            payload, _ = await click(listed, "Add to calendar…", "#1 ")
            calendar = await click.answer(payload)
            links = {c["label"]: c for row in calendar["components"] for c in row["components"]}
            assert links["Google Calendar"]["style"] == 5 and links["Google Calendar"]["url"].startswith(
                "https://calendar.google.com/")
            assert links["Outlook"]["url"].startswith("https://outlook.live.com/")
            [event] = Calendar.from_ical(calendar["files"]["summit-1.ics"]).walk("VEVENT")
            assert event["dtstart"].dt == date(2025, 10, 29)

            payload, _ = await click(listed, "Subscribe to its leaders…", "#2 ")  # no Manage Server
            refused = await click.answer(payload)
            assert refused["flags"] == PRIVATE and "Only admins" in refused["embeds"][0]["description"]
            payload, callback = await click(listed, "Subscribe to its leaders…", "#2 ", permissions=MANAGE_GUILD)
            assert callback == {"type": 5}  # a change of the channel's settings: in public
            done = await click.answer(payload)
            assert not done["flags"] and "now follows the leaders of #2" in done["embeds"][0]["description"]

    run(scenario())


def test_a_stale_button_gets_a_clear_answer_and_views_expire(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            add_meeting(bot.store)
            click = Clicker(bot)
            shown = await ask(bot, "next", {"who": "Lee Jae-myung"})
            assert {"Details", "Sources", "Add to calendar", "Subscribe to its leaders"} <= set(components(shown))
            bot.store.db.conn.commit()
            bot.store.db.execute("PRAGMA foreign_keys = OFF")  # the summit goes (as a merge removes one)
            bot.store.db.execute("DELETE FROM meetings WHERE id = 1")
            payload, _ = await click(shown, "Details")
            gone = await click.answer(payload)
            assert gone["flags"] == PRIVATE and "There is no summit #1" in gone["embeds"][0]["description"]
            payload, _ = await click(shown, "Sources")
            assert "no longer known" in (await click.answer(payload))["embeds"][0]["description"]

            # The view times out (called here, not waited for): its components leave the message.
            item = bot.client._connection._view_store._views[int(shown["id"])]
            view = next(iter(item.values())).view
            assert view.timeout == VIEW_TIMEOUT
            await view.on_timeout()
            path = WEBHOOK.format(app=bot.fake.app_id, token=r"[^/]+") + f"/messages/{shown['id']}"
            edit = await bot.fake.wait_for_call("PATCH", path)
            assert edit.body["components"] == []

    run(scenario())


def test_autocomplete_for_leaders_countries_kinds_and_zones(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            add_meeting(bot.store)
            bot.store.db.execute("UPDATE people SET country = 'South Korea' WHERE name = 'Lee Jae-myung'")
            bot.store.db.execute("UPDATE people SET country = 'United States' WHERE name = 'Donald Trump'")
            answers = {}
            for sub, option, typed in (("subscribe", "who", "trum"), ("subscribe", "country", "korea"),
                                       ("subscribe", "kind", "call"), ("upcoming", "who", "lee"),
                                       ("timezone", "zone", "seoul")):
                _, callback = await bot.interact(sub, {option: typed}, focused=option, permissions=MANAGE_GUILD)
                assert callback["type"] == 8
                answers[(sub, option)] = [c["value"] for c in callback["data"]["choices"]]
            assert answers[("subscribe", "who")] == ["Donald Trump"]
            assert answers[("subscribe", "country")] == ["South Korea"]
            assert answers[("subscribe", "kind")] == ["phone_call"]
            assert answers[("upcoming", "who")] == ["Lee Jae-myung"]
            assert "Asia/Seoul" in answers[("timezone", "zone")]
            payload, _ = await bot.interact("subscribe", {"kind": "phone_call", "country": "South Korea"},
                                            permissions=MANAGE_GUILD)
            body = await bot.followup(payload)
            assert body["embeds"][0]["fields"][0]["value"] == "country:South Korea kind:phone\\_call lead:7d,1d"

    run(scenario())


def test_article_text_in_menus_is_inert(tmp_path, extractor):
    from bot.pipeline import Ingestor

    async def scenario():
        async with discord_bot(tmp_path) as bot:
            report = Ingestor(bot.store, extractor).ingest_article(Article(
                text=TEXT, title=TITLE, url="https://news.example/hostile", outlet="**Wire** @here", published=NOW))
            [mid] = report.meeting_ids
            bot.store.update_meeting(mid, {"name": "@everyone <@&1> **summit**"})
            add_meeting(bot.store)  # two: a list, with menus naming each
            listed = await ask(bot, "upcoming", {"days": 3660})
            click = Clicker(bot)
            payload, _ = await click(listed, "Details…", f"#{mid} ")
            return [listed, await click.answer(payload)]

    for body in run(scenario()):
        assert_discord_inert(body)
