"""A hostile article, ingested for real, leaves every Slack and Discord message it causes inert.

The article's title and its meeting sentence hold a masked link, ``**@everyone**``, ``<@&1>``,
``<!channel>`` and mrkdwn. The real Bolt app and discord.py client, against the stand-ins, answer
a ``show`` command and post the new-summit alert, the daily digest and the reminder it causes.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import datetime, timezone

from bot.models import Article
from bot.pipeline import Ingestor
from bot.scheduler import SummitScheduler
from bot.clock import FixedClock
from tests.discord_helpers import discord_bot, strings
from tests.slack_helpers import slack_bot

UTC = timezone.utc
TITLE = "[Click here](https://evil.example/phish) **@everyone** <@&1> summit news"
TEXT = ("SEOUL, Oct 24 -- President Lee Jae-myung will hold a summit with Donald Trump in Gyeongju on Oct. 29, "
        "officials said, adding **@everyone** <@&1> should read [the plan](https://evil.example/phish) "
        "<!channel> *now* _today_ ~maybe~ `code`.")
SOURCE = "https://news.example/hostile"

# Our own constructs: Slack date tokens and links to the stored source (naming its host).
SLACK_OURS = re.compile(r"<(?:!date\^\d+\^[^|>]*\|[^<>]*|https://news\.example/hostile\|[^<>]* \(news\.example\))>")
DISCORD_OURS = re.compile(r"\]\(https://news\.example/hostile\)")


OUR_LABELS = {"Details", "Sources", "Add to calendar", "Subscribe to its leaders", "Previous", "Next",
              "Google Calendar", "Outlook", ".ics file"}


def assert_slack_inert(payload: dict) -> None:
    for block in payload.get("blocks") or []:
        if block["type"] == "actions":  # buttons: our own labels, as plain text
            for element in block["elements"]:
                assert element["type"] == "button" and element["text"]["type"] == "plain_text"
                assert element["text"]["text"] in OUR_LABELS, element
            continue
        if block["type"] in ("header", "input"):  # plain_text: Slack shows it as written
            continue
        for obj in [block.get("text")] + block.get("elements", []):
            if obj:
                assert obj["type"] == "mrkdwn" and obj["verbatim"] is True  # no auto-links, no auto-mentions
    for text in strings({k: v for k, v in payload.items() if k in ("text", "blocks")}):
        rest = SLACK_OURS.sub("", text)
        assert "<" not in rest, text  # no <!channel>, <@&1>, <url|text> but ours
        for live in ("**", "*now*", "_today_", "~maybe~", "`code`"):
            assert live not in text, (live, text)


def assert_discord_inert(body: dict) -> None:
    assert body["allowed_mentions"] == {"parse": []}
    for text in strings(body.get("components") or []):  # labels are plain text: only pings matter
        assert not re.search(r"@(everyone|here)|<@[!&]?\d", text), text
    for text in strings(body.get("embeds") or []):
        assert not re.search(r"@(everyone|here)|<@[!&]?\d", text), text
        rest = re.sub(r"`\d{4}-\d\d-\d\d \d\d:\d\d`", "", _our_links_removed(text))  # our history stamps
        assert not re.search(r"(?<!\\)\*\*|(?<!\\)\[|(?<!\\)`", rest), text  # no live bold, masked link, code
        assert not re.search(r"https?://evil", text), text  # a bare URL would be linked: it reads https\://


def _our_links_removed(text: str) -> str:
    """The text without our own masked links '[label (news.example)](https://news.example/hostile)'."""
    return re.sub(r"\[(?:[^\[\]\\]|\\.)* \(news\.example\)\]\(https://news\.example/hostile\)", "", text)


def test_a_hostile_article_leaves_every_slack_and_discord_message_inert(tmp_path, extractor):
    async def scenario():
        async with slack_bot(tmp_path) as sbot, discord_bot(tmp_path) as dbot:
            store = sbot.store  # both bots use the same database file
            for bot, ctx in ((sbot, sbot.ctx(is_admin=True)), (dbot, dbot.ctx(is_admin=True))):
                for command in ("/summits subscribe lead:1d", "/summits digest daily 08:00"):
                    assert bot.commands.handle(command, ctx).kind != "error"
            report = Ingestor(store, extractor).ingest_article(Article(
                text=TEXT, title=TITLE, url=SOURCE, outlet="**Wire** @here",
                published=datetime(2025, 10, 24, tzinfo=UTC)))
            [mid] = report.meeting_ids

            # Replies: /summits show on both platforms.
            await sbot.fake.send_slash_command(sbot.events_url, f"show {mid}")
            slack_messages = [(await sbot.fake.wait_for_call("response_url")).body]
            payload, _ = await dbot.interact("show", {"id": mid})
            discord_messages = [await dbot.followup(payload)]

            # The new-summit alert, the daily digest and the reminder, through the scheduler.
            clock = FixedClock(datetime(2025, 10, 24, 0, 5, tzinfo=UTC))
            sched = SummitScheduler(store, sbot.settings, clock, {"slack": sbot.adapter.transport,
                                                                 "discord": dbot.adapter.transport}, owner="t")
            sent = []
            try:
                for moment in (datetime(2025, 10, 24, 0, 5), datetime(2025, 10, 24, 8, 0, 30),
                               datetime(2025, 10, 28, 9, 0, 30)):
                    clock.set(moment.replace(tzinfo=UTC))
                    sent.append((await sched.run_once()).sent)
            finally:
                await sched.shutdown()
            assert sent == [2, 2, 4]  # per platform: the alert; a digest; the next day's digest and the reminder
            slack_messages += [c.body for c in sbot.fake.posts()]
            discord_messages += [c.body for c in dbot.fake.channel_posts()]
            return slack_messages, discord_messages

    slack_messages, discord_messages = asyncio.run(scenario())
    assert len(slack_messages) == len(discord_messages) == 5
    for body in slack_messages:
        assert_slack_inert(body)
    for body in discord_messages:
        assert_discord_inert(body)
    slack_text = json.dumps(slack_messages, ensure_ascii=False)
    discord_text = json.dumps(discord_messages, ensure_ascii=False)
    # The article's words are all there, shown as written; the only links are to the stored source.
    assert "&lt;@&amp;1&gt;" in slack_text and "&lt;!channel&gt;" in slack_text and "@everyone" in slack_text
    assert "[Click here](https://evil.example/phish)" in slack_text.replace("\u2217", "*")
    assert "\\\\[Click here\\\\](https\\\\://evil.example/phish)" in discord_text
    assert "New summit" in slack_text and "Daily digest" in slack_text and "starts tomorrow" in slack_text
    assert "New summit" in discord_text and "Daily digest" in discord_text and "starts tomorrow" in discord_text
    assert "<https://news.example/hostile|" in slack_text and "](https://news.example/hostile)" in discord_text
