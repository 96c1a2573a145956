"""Slack's buttons, pages, subscribe modal and App Home tab: the real Bolt app against tests/fake_slack.py."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import date, datetime, timedelta, timezone

from adapters.slack.render import render_reply
from adapters.slack.views import SUBSCRIBE_CALLBACK
from bot.models import Article, Meeting
from bot.store import Store
from tests.slack_helpers import add_meeting, slack_bot
from tests.test_inert import TEXT, TITLE, assert_slack_inert

run = asyncio.run
NOW = datetime(2025, 10, 20, tzinfo=timezone.utc)


def fill(store: Store, count: int = 23) -> None:
    """``count`` dated summits from 25 Oct 2025 on, a day apart (the bots' clock says 24 Oct)."""
    for i in range(count):
        day = date(2025, 10, 25) + timedelta(days=i)
        store.insert_meeting(Meeting(participants=["Donald Trump", f"Leader {i:02d}"], kind="bilateral",
                                     location=f"City {i:02d}", start=day, end=day, certainty="confirmed",
                                     sentence="They will meet."), article_id=None, asof=None, now=NOW)


def buttons(body: dict) -> dict[str, list[dict]]:
    """The buttons of a message or view, by label."""
    found: dict[str, list[dict]] = {}
    for block in body.get("blocks") or []:
        if block["type"] == "actions":
            for element in block["elements"]:
                found.setdefault(element["text"]["text"], []).append(element)
    return found


def headings(body: dict) -> list[str]:
    return [b["text"]["text"].split("\n")[0] for b in body.get("blocks") or []
            if b["type"] == "section" and b["text"]["text"].startswith("*#")]


async def click(bot, button: dict, **kw) -> tuple[int, str]:
    started = time.monotonic()
    status, body = await bot.fake.send_interaction(bot.events_url, bot.fake.block_action(button, **kw))
    assert time.monotonic() - started < 1.5  # acknowledged at once; the answer follows
    return status, body


def test_every_summit_has_buttons_and_pages_go_forward_and_back(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            fill(bot.store)
            await bot.fake.send_slash_command(bot.events_url, "upcoming")
            first = (await bot.fake.wait_for_call("response_url")).body
            assert len(headings(first)) == 10
            found = buttons(first)
            for label in ("Details", "Sources", "Add to calendar", "Subscribe to its leaders"):
                assert len(found[label]) == 10, label
            assert "Previous" not in found and len(found["Next"]) == 1

            status, body = await click(bot, found["Next"][0])
            assert (status, body) == (200, "")
            second = (await bot.fake.wait_for_call("response_url", 2)).body
            assert second["replace_original"] is True  # the list itself turns the page
            assert headings(second)[0].startswith("*#11 ") and len(headings(second)) == 10
            await click(bot, buttons(second)["Next"][0])
            third = (await bot.fake.wait_for_call("response_url", 3)).body
            assert len(headings(third)) == 3 and "Next" not in buttons(third)
            await click(bot, buttons(third)["Previous"][0])
            back = (await bot.fake.wait_for_call("response_url", 4)).body
            assert headings(back) == headings(second)
            await click(bot, buttons(back)["Previous"][0])
            again = (await bot.fake.wait_for_call("response_url", 5)).body
            assert headings(again) == headings(first)
            assert all(c.ok for c in bot.fake.calls_to("response_url"))  # every message within Slack's limits

    run(scenario())


def test_details_sources_calendar_and_subscribe_buttons(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path, admins=("U0ADMIN",)) as bot:
            article = bot.store.add_article(Article(text="Trump will meet Lee.", title="Trump to meet Lee",
                                                    url="https://news.example/a", outlet="Wire", published=NOW))
            add_meeting(bot.store, article_id=article.id)
            await bot.fake.send_slash_command(bot.events_url, "upcoming")
            listed = buttons((await bot.fake.wait_for_call("response_url")).body)

            await click(bot, listed["Details"][0])
            detail = (await bot.fake.wait_for_call("response_url", 2)).body
            assert detail["replace_original"] is False and detail["response_type"] == "ephemeral"
            assert "*When:*" in json.dumps(detail) and "Details" not in buttons(detail)

            await click(bot, listed["Sources"][0])
            sources = (await bot.fake.wait_for_call("response_url", 3)).body
            assert "<https://news.example/a|Trump to meet Lee (news.example)>" in json.dumps(sources)

            await click(bot, listed["Add to calendar"][0])
            calendar = buttons((await bot.fake.wait_for_call("response_url", 4)).body)
            assert calendar["Google Calendar"][0]["url"].startswith("https://calendar.google.com/calendar/render?")
            assert calendar["Outlook"][0]["url"].startswith("https://outlook.live.com/calendar/0/deeplink/compose?")
            status, _ = await click(bot, calendar["Google Calendar"][0])  # a link: acknowledged, nothing else
            assert status == 200

            await click(bot, listed["Subscribe to its leaders"][0])  # a plain member
            refused = (await bot.fake.wait_for_call("response_url", 5)).body
            assert refused["response_type"] == "ephemeral" and "Only admins" in refused["text"]
            await click(bot, listed["Subscribe to its leaders"][0], user="U0ADMIN")
            done = (await bot.fake.wait_for_call("response_url", 6)).body
            assert done["response_type"] == "in_channel" and "now follows the leaders of #1" in done["text"]
            assert len(bot.fake.calls_to("response_url")) == 6  # the link button answered nothing

    run(scenario())


def test_a_page_of_a_channel_message_is_turned_with_chat_update(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            fill(bot.store, 12)
            reply = bot.commands.handle("/summits upcoming", bot.ctx())
            [message] = render_reply(reply)
            posted = await bot.adapter.client.chat_postMessage(channel="C0CHAN", **message.payload())
            stored = bot.fake.delivered("C0CHAN")[0]
            await click(bot, buttons(stored)["Next"][0], message={"ts": posted["ts"]}, ephemeral=False)
            update = await bot.fake.wait_for_call("chat.update")
            assert update.ok and update.body["ts"] == posted["ts"]
            assert [h[:5] for h in headings(bot.fake.delivered("C0CHAN")[0])] == ["*#11 ", "*#12 "]

    run(scenario())


def test_stale_and_forged_buttons_get_a_clear_answer(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            fake = bot.fake
            gone = {"action_id": "summitbot.details.0", "text": {"type": "plain_text", "text": "Details"},
                    "value": "sb1:d:999"}
            status, _ = await click(bot, gone)
            assert status == 200
            answer = (await fake.wait_for_call("response_url")).body
            assert answer["response_type"] == "ephemeral" and "There is no summit #999" in answer["text"]
            for forged in ("sb1:p:upcoming:1:who=x&rm=1", "<!channel>", "sb9:d:1"):
                await click(bot, {**gone, "value": forged})
            answers = [c.body["text"] for c in [await fake.wait_for_call("response_url", n) for n in (2, 3, 4)]]
            assert all(a.startswith(":warning: That button is not one of summitbot's") for a in answers), answers

    run(scenario())


def test_the_subscribe_modal_opens_validates_and_subscribes(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path, admins=("U0ADMIN",)) as bot:
            fake = bot.fake
            add_meeting(bot.store)
            await fake.send_slash_command(bot.events_url, "subscribe")  # a plain member: refused, no form
            refused = (await fake.wait_for_call("response_url")).body
            assert "Only admins" in refused["text"] and not fake.views

            await fake.send_slash_command(bot.events_url, "subscribe", user="U0ADMIN")
            opened = await fake.wait_for_call("views.open")
            assert opened.ok, opened.answer
            [view] = fake.views
            assert view["callback_id"] == SUBSCRIBE_CALLBACK and view["private_metadata"] == "C0CHAN"
            blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
            assert set(blocks) == {"who", "country", "kind", "min", "lead"} - {"country"}  # no country known yet
            assert [o["value"] for o in blocks["who"]["element"]["options"]] == ["Donald Trump", "Lee Jae-myung"]
            assert [o["value"] for o in blocks["lead"]["element"]["initial_options"]] == ["7d", "1d"]

            # A member who is not an admin cannot submit it (a form passed on, or admin rights taken away).
            status, body = await fake.send_interaction(
                bot.events_url, fake.view_submission(view, {"who": "Lee Jae-myung"}, user="U0USER"))
            assert status == 200 and "Only workspace admins" in json.loads(body)["errors"]["who"]
            # Values the menus never offered are refused beside their menu.
            status, body = await fake.send_interaction(bot.events_url, fake.view_submission(
                view, {"who": "Nobody", "kind": "coup", "lead": ["5y"]}, user="U0ADMIN"))
            errors = json.loads(body)["errors"]
            assert json.loads(body)["response_action"] == "errors" and set(errors) == {"who", "kind", "lead"}

            submit = fake.view_submission(view, {"who": "Lee Jae-myung", "min": "planned", "lead": ["3d", "2h"]},
                                          user="U0ADMIN")
            status, body = await fake.send_interaction(bot.events_url, submit)
            assert (status, body) == (200, "")  # the modal closes
            post = await fake.wait_for_call("chat.postMessage")
            assert post.ok and post.body["channel"] == "C0CHAN" and post.body["text"].startswith("Subscribed")
            listed = bot.commands.handle("/summits subscriptions", bot.ctx())
            assert ("#1", "who:Lee Jae-myung min:planned lead:3d,2h") in listed.rows

            status, body = await fake.send_interaction(bot.events_url, submit)  # the same again
            assert "already has that subscription" in json.loads(body)["errors"]["who"]

    run(scenario())


def test_the_app_home_tab_shows_coming_summits_and_subscriptions(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            fake = bot.fake
            fill(bot.store)
            assert bot.commands.handle("/summits subscribe who:Leader 03 lead:1d", bot.ctx(is_admin=True)).kind \
                != "error"
            status, _ = await fake.send_event(bot.events_url, {"type": "app_home_opened", "user": "U0USER",
                                                               "channel": "D0HOME", "tab": "home"})
            assert status == 200
            published = await fake.wait_for_call("views.publish")
            assert published.ok, published.answer
            home = fake.homes["U0USER"]
            text = json.dumps(home)
            assert len(headings(home)) == 10 and "<#C0CHAN>" in text and "who:Leader 03 lead:1d" in text
            found = buttons(home)
            assert "Subscribe to its leaders" not in found and len(found["Details"]) == 10

            await click(bot, found["Next"][0], view=home)
            await fake.wait_for_call("views.publish", 2)
            assert headings(fake.homes["U0USER"])[0].startswith("*#11 ")
            await click(bot, buttons(fake.homes["U0USER"])["Previous"][0], view=fake.homes["U0USER"])
            await fake.wait_for_call("views.publish", 3)
            assert headings(fake.homes["U0USER"]) == headings(home)

            await click(bot, found["Details"][0], view=home)  # opens a modal with the answer
            opened = await fake.wait_for_call("views.open")
            assert opened.ok, opened.answer
            assert "*When:*" in json.dumps(fake.views[-1])
            await fake.send_event(bot.events_url, {"type": "app_home_opened", "user": "U0USER", "tab": "messages"})
            assert len(fake.calls_to("views.publish")) == 3  # the Messages tab is not ours to draw

    run(scenario())


def test_a_click_over_socket_mode(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path, socket_mode=True) as bot:
            fill(bot.store, 12)
            reply = bot.commands.handle("/summits upcoming", bot.ctx())
            [message] = render_reply(reply)
            await bot.fake.wait_for_socket()
            envelope = await bot.fake.send_envelope("interactive",
                                                    bot.fake.block_action(buttons(message.payload())["Next"][0]))
            assert await bot.fake.wait_for_ack(envelope) == {"envelope_id": envelope}
            answer = (await bot.fake.wait_for_call("response_url")).body
            assert answer["replace_original"] is True and headings(answer)[0].startswith("*#11 ")

    run(scenario())


def test_article_text_in_buttons_modals_and_the_home_tab_is_inert(tmp_path, extractor):
    from bot.pipeline import Ingestor

    async def scenario():
        async with slack_bot(tmp_path, admins=("U0ADMIN",)) as bot:
            fake = bot.fake
            report = Ingestor(bot.store, extractor).ingest_article(Article(
                text=TEXT, title=TITLE, url="https://news.example/hostile", outlet="**Wire** @here", published=NOW))
            [mid] = report.meeting_ids
            bot.store.person_id("<!channel> *Boss*")  # a hostile name among the leaders
            bot.store.db.execute("INSERT INTO meeting_people (meeting_id, person_id) SELECT ?, id FROM people "
                                 "WHERE name = ?", [mid, "<!channel> *Boss*"])
            await fake.send_slash_command(bot.events_url, "upcoming days:3660")
            listed = (await fake.wait_for_call("response_url")).body
            for label in ("Details", "Sources", "Add to calendar"):
                await click(bot, buttons(listed)[label][0])
            bodies = [listed] + [(await fake.wait_for_call("response_url", n)).body for n in (2, 3, 4)]
            await fake.send_slash_command(bot.events_url, "subscribe", user="U0ADMIN")
            await fake.wait_for_call("views.open")
            await fake.send_event(bot.events_url, {"type": "app_home_opened", "user": "U0USER", "tab": "home"})
            await fake.wait_for_call("views.publish")
            await click(bot, buttons(fake.homes["U0USER"])["Details"][0], view=fake.homes["U0USER"])
            await fake.wait_until(lambda: len(fake.views) == 2)
            return bodies, fake.views, fake.homes["U0USER"]

    bodies, views, home = run(scenario())
    for body in bodies + views:
        assert_slack_inert(body)
    assert_slack_inert({"blocks": [b for b in home["blocks"] if "<#C" not in json.dumps(b)]})
    leaders = [o["value"] for b in views[0]["blocks"] if b.get("block_id") == "who" for o in b["element"]["options"]]
    assert "<!channel> *Boss*" not in leaders and leaders  # a name that could read as markup is not offered
