"""The Slack adapter: Block Kit rendering, and the real Bolt app end to end against tests/fake_slack.py."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from adapters.slack import SlackAdapter, SlackStartError
from adapters.slack.app import api_url, command_text, response_type
from adapters.slack.render import (
    MAX_BLOCKS,
    MAX_FALLBACK,
    MAX_SECTION_TEXT,
    escape,
    link,
    render_reply,
    safe,
    safe_url,
    slack_when,
)
from adapters.slack.transport import ChannelPacer, SlackTransport
from bot.clock import FixedClock
from bot.commands import Commands, Context, Services
from bot.config import Settings
from bot.models import Article, Change, Meeting, Source
from bot.reply import Reply
from bot.store import Store
from bot.transport import ChannelGone, ChannelRef, TransientSendError
from tests.conftest import make_record as record, summitbot_run, wait_for_log
from tests.fake_slack import FakeSlack

ROOT = Path(__file__).resolve().parent.parent
UTC = timezone.utc
HOSTILE = ("<!channel>", "<!here>", "<!everyone>", "<@U123>", "<http://evil|x>", "<http://evil|bank>")
OUR_TOKENS = re.compile(r"<(?:!date\^\d+\^[^|>]*\|[^<>]*|https?://[^|<>\s]+\|[^<>]*)>")


def run(coro):
    return asyncio.run(coro)


def texts(obj) -> list[str]:
    """Every string in a JSON-like structure (block texts, fallbacks)."""
    if isinstance(obj, str):
        return [obj]
    if isinstance(obj, dict):
        return [t for v in obj.values() for t in texts(v)]
    if isinstance(obj, list):
        return [t for v in obj for t in texts(v)]
    return []


def assert_no_injection(payload) -> None:
    """No hostile construct anywhere, and every '<' left opens one of our own date tokens or links."""
    for text in texts(payload):
        for bad in HOSTILE:
            assert bad not in text, (bad, text)
        rest = re.sub(r"(?m)^>", "", OUR_TOKENS.sub("", text))  # a line-initial ">" is our blockquote
        assert "<" not in rest and ">" not in rest, text


def noon_utc(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=UTC).timestamp())


# -- rendering (pure) ----------------------------------------------------------------------------------


def test_article_text_is_escaped_everywhere():
    rec = record(name="<!channel> breaking <@U123>", location="<http://evil|bank>", participants=["<!here>", "A & B"],
                 alt_locations=["<!everyone>"], certainty="confirmed",
                 sources=[Source(1, "<!channel> breaking", "http://news.example/a?x=1&y=2", "<@U123> Times",
                                 "2025-10-20", "He said <http://evil|x> & more")],
                 changes=[Change("2025-10-20T10:00:00+00:00", "location", "<!here>", "<http://evil|x>", 1, None,
                                 "<!channel> breaking")])
    for kind in ("meetings", "detail"):
        reply = Reply(kind=kind, text="Search for “<!channel>”:", meetings=[rec],
                      rows=[("source", "<!channel> breaking http://evil"), ("<@U123>", "<http://evil|x>")])
        messages = render_reply(reply)
        payload = [m.payload() for m in messages]
        assert_no_injection(payload)
        dumped = json.dumps(payload, ensure_ascii=False)
        assert "&lt;!channel&gt; breaking &lt;@U123&gt;" in dumped
        assert "&lt;http://evil|bank&gt;" in dumped and "A &amp; B" in dumped
        assert "<http://news.example/a?x=1&amp;y=2|&lt;!channel&gt; breaking (news.example)>" in dumped
        for block in payload[0]["blocks"]:
            for obj in [block.get("text")] + block.get("elements", []):
                if obj:
                    assert obj["type"] == "mrkdwn" and obj["verbatim"] is True


def test_links_only_for_stored_http_urls():
    assert link("javascript:alert(1)", "click") == "click"
    assert link("ftp://files.example/x", "<!channel>") == "&lt;!channel&gt;"
    assert link("http://a.example/x y", "t") == "t"  # whitespace: not a URL we would build a link from
    assert link("https://a.example/p?q=1|<b>", "T") == "<https://a.example/p?q=1%7C%3Cb%3E|T (a.example)>"
    assert link("https://a.example/", None) == "<https://a.example/|a.example>"
    assert safe_url("http:///nohost") is None and safe_url(None) is None
    assert escape("a&<b>") == "a&amp;&lt;b&gt;"
    # Slack has no escape for mrkdwn: article text gets look-alikes; "_" inside a word formats nothing and stays.
    assert safe("*b* _i_ ~s~ `c` phone_call") == "\u2217b\u2217 \u02cdi\u02cd \u223cs\u223c \u02cbc\u02cb phone_call"


def test_dates_are_slack_date_tokens_only_for_instants():
    day = record()
    # A date is a date: a token would show it a day off to readers in UTC-11 or UTC+14.
    assert slack_when(day) == slack_when(day, "Asia/Seoul") == slack_when(day, "Pacific/Kiritimati") == "Wed 29 Oct 2025"
    timed = record(time="14:30", tz="Asia/Seoul")
    at = int(datetime(2025, 10, 29, 5, 30, tzinfo=UTC).timestamp())
    assert slack_when(timed) == f"<!date^{at}^{{date_long}} {{time}}|Wed 29 Oct 2025 14:30>"
    span = record(start=date(2025, 10, 31), end=date(2025, 11, 1), precision="range")
    assert slack_when(span) == "31 Oct – 1 Nov 2025"
    month = record(start=date(2025, 11, 1), end=date(2025, 11, 30), precision="month")
    assert slack_when(month) == "November 2025"
    assert slack_when(record(start=None, end=None)) == "date not known"
    assert "<!here>" not in slack_when(record(time="14:30<!here>"))


def test_one_section_per_meeting_with_sources_context():
    rec = record(name="APEC summit", sources=[Source(1, "Leaders to meet", "https://n.example/1", "Yonhap",
                                                     "2025-10-20T08:00:00", "x")])
    [message] = render_reply(Reply(kind="meetings", text="Upcoming summits in the next 30 days:", meetings=[rec]))
    lead, meeting, ctx = message.blocks
    assert lead == {"type": "section", "text": {"type": "mrkdwn", "text": "Upcoming summits in the next 30 days:",
                                                "verbatim": True}}
    text = meeting["text"]["text"]
    assert text.startswith("*#1 Bilateral meeting:* APEC summit\nWed 29 Oct 2025 · ")
    assert "· Gyeongju · confirmed" in text and "With Donald Trump, Lee Jae-myung" in text
    assert ctx["type"] == "context"
    assert ctx["elements"][0]["text"] == "Sources: <https://n.example/1|Leaders to meet (n.example)> (Yonhap, 2025-10-20)"
    assert message.text.startswith("Upcoming summits in the next 30 days:\n#1 Bilateral meeting: APEC summit")


def test_long_lists_split_within_slack_limits():
    many = [record(i, name="Summit " + "x" * 190, location="L" * 300, participants=["P" * 150] * 8,
                   sources=[Source(i, "t" * 300, "https://n.example/" + "a" * 500, "o", "2025-10-20", "")] * 8)
            for i in range(1, 131)]
    messages = render_reply(Reply(kind="meetings", text="Upcoming:", meetings=many))
    assert len(messages) == 5
    for m in messages:
        assert 0 < len(m.blocks) <= MAX_BLOCKS and 0 < len(m.text) <= MAX_FALLBACK
        for block in m.blocks:
            for obj in [block.get("text")] + block.get("elements", []):
                if obj:
                    assert len(obj["text"]) <= MAX_SECTION_TEXT
    shown = sum(1 for m in messages for b in m.blocks if b["type"] == "section" and b["text"]["text"].startswith("*#"))
    note = messages[-1].blocks[-1]
    assert note["type"] == "context" and f"and {130 - shown} more not shown" in note["elements"][0]["text"]
    assert messages[1].text.startswith("(continued)")
    # 30 meetings fit in two messages without a note
    two = render_reply(Reply(kind="meetings", text="Upcoming:", meetings=many[:30]))
    assert len(two) == 2 and sum(len(m.blocks) for m in two) == 1 + 30 * 2
    assert "more not shown" not in json.dumps([m.blocks for m in two])


def test_detail_help_error_and_rows():
    sources = [Source(i, f"Story {i}", f"https://n.example/{i}", "Wire", "2025-10-20", "s" * 400) for i in range(40)]
    rec = record(sources=sources, changes=[Change("2025-10-21T09:00:00+00:00", "start", "2025-10-28",
                                                  "2025-10-29", 2, None, "Moved")])
    messages = render_reply(Reply(kind="detail", text="Summit #1", meetings=[rec]))
    blocks = [b for m in messages for b in m.blocks]
    assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in blocks if b["type"] == "section")
    body = "\n".join(b["text"]["text"] for b in blocks if b["type"] == "section")
    assert "*Sources (40)*" in body and "*History*" in body and "start: 2025-10-28 → 2025-10-29 _(Moved)_" in body
    assert "<https://n.example/39|Story 39 (n.example)>" in body

    help_ = render_reply(Reply(kind="help", text="summitbot", rows=[("/summits upcoming [days:30]", "Soon.")],
                               ephemeral=True))[0]
    assert help_.blocks[1]["text"]["text"] == "`/summits upcoming [days:30]` — Soon."
    error = render_reply(Reply.error("Unknown command `<@U1>`."))[0]
    assert error.text == ":warning: Unknown command `&lt;@U1&gt;`." and len(error.blocks) == 1


def test_visibility_policy_and_input_decoding():
    import bot.commands.meetings  # noqa: F401  (commands register on import, as Commands() does)
    import bot.commands.subscriptions  # noqa: F401

    ok = Reply(text="done")
    assert response_type("upcoming days:7", Reply(kind="meetings", meetings=[record()])) == "ephemeral"
    assert response_type("help", Reply(kind="help", ephemeral=True)) == "ephemeral"
    assert response_type("subscribe lead:1d", ok) == "in_channel"
    assert response_type("sub who:Xi", ok) == "in_channel"
    assert response_type("digest daily", ok) == "in_channel"
    assert response_type("timezone Asia/Seoul", ok) == "in_channel"
    assert response_type("timezone", ok) == "ephemeral"
    assert response_type("subscribe", Reply.error("Only admins can use `/summits subscribe` here.")) == "ephemeral"
    assert command_text(" search A &amp; B &lt;x&gt; ") == "search A & B <x>"
    assert api_url({"SLACK_API_URL": "http://127.0.0.1:9/api"}) == "http://127.0.0.1:9/api/"
    assert api_url({}) == "https://slack.com/api/"
    assert SlackAdapter.enabled({"SLACK_BOT_TOKEN": "x", "SLACK_SIGNING_SECRET": "s"})
    assert SlackAdapter.enabled({"SLACK_BOT_TOKEN": "x", "SLACK_APP_TOKEN": "a"})
    assert not SlackAdapter.enabled({"SLACK_BOT_TOKEN": "x"}) and not SlackAdapter.enabled({"SLACK_APP_TOKEN": "a"})


def test_manifest_declares_the_command_scopes_and_socket_mode():
    manifest = (ROOT / "config" / "slack-manifest.yml").read_text(encoding="utf-8")
    assert "- command: /summits" in manifest and "should_escape: false" in manifest
    oauth, settings = manifest.split("oauth_config:")[1].split("\nsettings:")
    scopes = re.findall(r"^ {6}- ([a-z:.]+) ", oauth, re.M)
    assert scopes == ["commands", "chat:write", "chat:write.public", "users:read", "channels:history",
                      "groups:history"]
    assert "socket_mode_enabled: true" in manifest and "/slack/events" in manifest
    # Buttons and the subscribe form need interactivity; the Home tab, its event.
    assert re.search(r"interactivity:\n +is_enabled: true", settings)
    assert re.findall(r"^ {6}- ([a-z_]+)", settings, re.M) == ["app_home_opened"]
    assert "home_tab_enabled: true" in manifest
    assert "\t" not in manifest


@dataclass
class FakeTime:
    """An injected monotonic clock whose sleep returns at once and moves the clock."""

    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_pacer_spaces_posts_to_one_channel_only():
    async def scenario():
        t = FakeTime()
        pacer = ChannelPacer(1.0, monotonic=t.monotonic, sleep=t.sleep)
        await pacer.wait("a")
        pacer.posted("a")
        t.now += 0.25
        await pacer.wait("b")  # another channel: no wait
        pacer.posted("b")
        await pacer.wait("a")
        assert t.slept == [pytest.approx(0.75)]
        pacer.posted("a")
        t.now += 5
        await pacer.wait("a")
        assert len(t.slept) == 1

    run(scenario())


# -- end to end: the real Bolt app against the stand-in -----------------------------------------------


@dataclass
class Bot:
    fake: FakeSlack
    adapter: SlackAdapter
    store: Store
    commands: Commands
    settings: Settings
    clock: FixedClock
    time: FakeTime

    @property
    def events_url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}/slack/events"

    def ctx(self, **kw) -> Context:
        values = dict(platform="slack", workspace=self.fake.team_id, channel="C0CHAN", user="U0USER", is_admin=False)
        values.update(kw)
        return Context(**values)


def add_meeting(store: Store, *, name: str | None = None, location: str = "Gyeongju", article_id: int | None = None,
                participants=("Donald Trump", "Lee Jae-myung"), now: datetime | None = None,
                sentence: str = "Trump will meet Lee on Wednesday.") -> int:
    m = Meeting(participants=list(participants), kind="bilateral", name=name, location=location,
                start=date(2025, 10, 29), end=date(2025, 10, 29), certainty="confirmed", sentence=sentence)
    return store.insert_meeting(m, article_id=article_id, asof=None, now=now or datetime(2025, 10, 20, tzinfo=UTC))


@asynccontextmanager
async def slack_bot(tmp_path, *, socket_mode: bool = False, admins: tuple[str, ...] = (), **env_extra):
    fake = await FakeSlack().start()
    store = Store(tmp_path / "summitbot.db")
    clock = FixedClock(datetime(2025, 10, 24, tzinfo=UTC))
    settings = Settings(db=str(tmp_path / "summitbot.db"), slack_port=0, slack_admins=admins)
    commands = Commands(Services(store=store, settings=settings, clock=clock))
    t = FakeTime()
    adapter = SlackAdapter(commands, settings, fake.env(socket_mode=socket_mode, **env_extra), host="127.0.0.1",
                           sleep=t.sleep, monotonic=t.monotonic)
    try:
        await adapter.start()
        yield Bot(fake, adapter, store, commands, settings, clock, t)
    finally:
        await adapter.stop()
        await fake.close()


def test_signed_slash_command_over_http_is_acked_fast_and_answered(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path, trailing_slash=False) as bot:  # SLACK_API_URL without its slash
            assert bot.fake.calls[0].method == "auth.test" and bot.fake.calls[0].ok  # token checked at start
            add_meeting(bot.store)
            started = time.monotonic()
            status, body, payload = await bot.fake.send_slash_command(bot.events_url, "upcoming days:7")
            assert status == 200 and body == ""  # a bare ack; the answer follows on the response_url
            assert time.monotonic() - started < 1.5
            answer = await bot.fake.wait_for_call("response_url")
            assert answer.path == payload["response_url"].split(str(bot.fake.port), 1)[1]
            assert answer.body["response_type"] == "ephemeral" and answer.body["replace_original"] is False
            assert answer.body["text"].startswith("Upcoming summits in the next 7 days:")
            meeting = answer.body["blocks"][1]["text"]["text"]
            assert meeting.startswith("*#1 Bilateral meeting:* Donald Trump – Lee Jae-myung\n"
                                      "Wed 29 Oct 2025 · Gyeongju")
            assert not bot.fake.calls_to("chat.postMessage")

    run(scenario())


def test_bad_signature_and_stale_timestamp_get_401(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            status, _, _ = await bot.fake.send_slash_command(bot.events_url, "upcoming", secret="not-the-secret")
            assert status == 401
            status, _, _ = await bot.fake.send_slash_command(bot.events_url, "upcoming", signature="v0=deadbeef")
            assert status == 401
            stale = int(time.time()) - 6 * 60
            status, _, _ = await bot.fake.send_slash_command(bot.events_url, "upcoming", timestamp=stale)
            assert status == 401
            status, _, _ = await bot.fake.send_slash_command(bot.events_url, "help")  # still serving
            assert status == 200
            answer = await bot.fake.wait_for_call("response_url")
            assert answer.body["response_type"] == "ephemeral"
            assert len(bot.fake.calls_to("response_url")) == 1  # nothing was run for the rejected requests

    run(scenario())


def test_slash_command_over_socket_mode(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path, socket_mode=True) as bot:
            assert bot.adapter.port is None  # no HTTP server in Socket Mode
            assert [c.method for c in bot.fake.calls[:2]] == ["auth.test", "apps.connections.open"]
            assert bot.fake.calls[1].token == bot.fake.app_token
            add_meeting(bot.store)
            await bot.fake.wait_for_socket()
            envelope = await bot.fake.send_envelope("slash_commands", bot.fake.slash_payload("upcoming"))
            ack = await bot.fake.wait_for_ack(envelope)
            assert ack == {"envelope_id": envelope}
            answer = await bot.fake.wait_for_call("response_url")
            assert "Donald Trump – Lee Jae-myung" in answer.body["blocks"][1]["text"]["text"]
            assert answer.body["response_type"] == "ephemeral"

    run(scenario())


def test_settings_commands_only_for_admins(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path, admins=("U0LISTED",)) as bot:
            fake = bot.fake
            fake.add_user("U0USER")
            fake.add_user("U0ADMIN", admin=True)
            await fake.send_slash_command(bot.events_url, "subscribe lead:1d", user="U0USER")
            refused = await fake.wait_for_call("response_url", 1)
            assert refused.body["response_type"] == "ephemeral"
            assert "Only admins" in refused.body["text"]

            await fake.send_slash_command(bot.events_url, "subscribe lead:1d", user="U0ADMIN")
            done = await fake.wait_for_call("response_url", 2)
            assert done.body["response_type"] == "in_channel" and done.body["text"].startswith("Subscribed")

            await fake.send_slash_command(bot.events_url, "subscriptions", user="U0ADMIN")
            listed = await fake.wait_for_call("response_url", 3)
            assert listed.body["response_type"] == "ephemeral"
            assert len(fake.calls_to("users.info")) == 2  # the admin's answer was cached

            await fake.send_slash_command(bot.events_url, "digest daily 08:00", user="U0LISTED")
            digest = await fake.wait_for_call("response_url", 4)
            assert digest.body["text"].startswith("Digest set") and len(fake.calls_to("users.info")) == 2

    run(scenario())


def test_bad_bot_token_fails_at_start(tmp_path):
    async def scenario():
        fake = await FakeSlack().start()
        settings = Settings(db=str(tmp_path / "x.db"), slack_port=0)
        commands = Commands(Services(store=Store(tmp_path / "x.db"), settings=settings))
        adapter = SlackAdapter(commands, settings, fake.env(SLACK_BOT_TOKEN="xoxb-wrong"), host="127.0.0.1")
        try:
            with pytest.raises(SlackStartError, match="invalid_auth"):
                await adapter.start()
            assert adapter.port is None
        finally:
            await adapter.stop()
            await fake.close()

    run(scenario())


def test_a_due_reminder_is_posted_once_by_the_scheduler(tmp_path):
    from bot.scheduler import SummitScheduler

    async def scenario():
        async with slack_bot(tmp_path) as bot:
            add_meeting(bot.store)  # 29 Oct, date only
            subscribed = bot.commands.handle("/summits subscribe lead:1d", bot.ctx(is_admin=True))
            assert subscribed.kind != "error", subscribed.text
            sched = SummitScheduler(bot.store, bot.settings, bot.clock, {"slack": bot.adapter.transport}, owner="t")
            try:
                bot.clock.set(datetime(2025, 10, 28, 9, 0, 30, tzinfo=UTC))  # 1 day before, 09:00 UTC
                result = await sched.run_once()
                assert result.sent == 1
                bot.clock.set(datetime(2025, 10, 28, 9, 5, tzinfo=UTC))
                await sched.run_once()
            finally:
                await sched.shutdown()
            [post] = bot.fake.posts()
            assert len(bot.fake.calls_to("chat.postMessage")) == 1
            body = post.body
            assert body["channel"] == "C0CHAN" and body["unfurl_links"] is False
            assert body["text"] == ("Reminder: Donald Trump – Lee Jae-myung starts tomorrow: Wed 29 Oct 2025, Gyeongju.\n"
                                    "#1 Bilateral meeting: Donald Trump – Lee Jae-myung · Wed 29 Oct 2025 · "
                                    "Gyeongju · confirmed")
            assert body["blocks"] == [
                {"type": "section", "text": {"type": "mrkdwn", "verbatim": True,
                                             "text": "Reminder: Donald Trump – Lee Jae-myung starts tomorrow: Wed 29 Oct 2025, Gyeongju."}},
                {"type": "section", "text": {"type": "mrkdwn", "verbatim": True, "text": (
                    "*#1 Bilateral meeting:* Donald Trump – Lee Jae-myung\n"
                    "Wed 29 Oct 2025 · Gyeongju · confirmed")}},
            ]
            assert post.token == bot.fake.bot_token

    run(scenario())


def test_a_hostile_article_is_posted_escaped(tmp_path):
    from bot.scheduler import SummitScheduler

    async def scenario():
        async with slack_bot(tmp_path) as bot:
            subscribed = bot.commands.handle("/summits subscribe lead:1d", bot.ctx(is_admin=True))
            assert subscribed.kind != "error", subscribed.text
            article = bot.store.add_article(Article(
                text="<!channel> breaking: <@U123> and Lee will meet at <http://evil|x>.", title="<!channel> breaking",
                published=datetime(2025, 10, 24, tzinfo=UTC), url="http://news.example/a?b=1&c=<x>|y",
                outlet="<@U123> Wire"))
            add_meeting(bot.store, name="<@U123> summit <!here>", location="<http://evil|x>",
                        participants=("<!everyone>", "Lee Jae-myung"), article_id=article.id,
                        sentence="<!channel> said <@U123> will go to <http://evil|bank>.",
                        now=datetime(2025, 10, 24, 0, 1, tzinfo=UTC))
            sched = SummitScheduler(bot.store, bot.settings, bot.clock, {"slack": bot.adapter.transport}, owner="t")
            try:
                bot.clock.set(datetime(2025, 10, 24, 0, 2, tzinfo=UTC))
                result = await sched.run_once()
            finally:
                await sched.shutdown()
            assert result.sent == 1
            [post] = bot.fake.posts()
            raw = json.dumps(post.body, ensure_ascii=False)
            assert_no_injection(post.body)
            assert "New summit:" in post.body["text"]
            assert "&lt;!channel&gt; breaking" in raw and "&lt;@U123&gt; summit &lt;!here&gt;" in raw
            assert "&lt;http://evil|x&gt;" in raw and "&lt;http://evil|bank&gt;" in raw

    run(scenario())


def test_rate_limited_post_is_retried_after_retry_after_and_sent_once(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            ref = ChannelRef("slack", bot.fake.team_id, "C0CHAN")
            reply = Reply(kind="meetings", text="Reminder:", meetings=[record()])
            bot.fake.fail("chat.postMessage", "ratelimited", retry_after=7)
            ts = await bot.adapter.transport.send(ref, reply, idempotency_key="k1")
            attempts = bot.fake.calls_to("chat.postMessage")
            assert [c.status for c in attempts] == [429, 200]
            assert len(bot.fake.posts()) == 1 and ts == attempts[1].answer["ts"]
            assert len(bot.time.slept) == 1 and 7 <= bot.time.slept[0] < 8  # Retry-After honoured (injected sleep)

            # A long Retry-After is not slept here: the delivery layer reschedules with it.
            bot.fake.fail("chat.postMessage", "ratelimited", retry_after=120)
            with pytest.raises(TransientSendError) as info:
                await bot.adapter.transport.send(ChannelRef("slack", "T0TEAM", "C0OTHER"), reply, idempotency_key="k2")
            assert info.value.retry_after == 120 and len(bot.time.slept) == 1

    run(scenario())


def test_send_errors_map_to_channel_gone_or_transient(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            ref = ChannelRef("slack", bot.fake.team_id, "C0GONE")
            reply = Reply(text="hello")
            for error in ("channel_not_found", "not_in_channel", "is_archived"):
                bot.fake.fail("chat.postMessage", error)
                with pytest.raises(ChannelGone, match=error):
                    await bot.adapter.transport.send(ref, reply, idempotency_key=error)
            bot.fake.fail("chat.postMessage", "internal_error", status=500)
            with pytest.raises(TransientSendError, match="internal_error"):
                await bot.adapter.transport.send(ref, reply, idempotency_key="5xx")
            bot.fake.fail("chat.postMessage", "msg_too_long")
            with pytest.raises(TransientSendError, match="msg_too_long"):
                await bot.adapter.transport.send(ref, reply, idempotency_key="other")
            assert await bot.adapter.transport.send(ref, reply, idempotency_key="ok")
            assert len(bot.fake.posts()) == 1

    run(scenario())


def test_posts_to_one_channel_are_paced_and_a_retry_resumes_a_split_message(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            transport, t, fake = bot.adapter.transport, bot.time, bot.fake
            a, b = ChannelRef("slack", "T0TEAM", "C0A"), ChannelRef("slack", "T0TEAM", "C0B")
            await transport.send(a, Reply(text="one"), idempotency_key="1")
            await transport.send(b, Reply(text="two"), idempotency_key="2")
            assert t.slept == []  # a different channel does not wait
            await transport.send(a, Reply(text="three"), idempotency_key="3")
            assert t.slept == [pytest.approx(1.0)]  # the same channel waits out its second

            digest = Reply(kind="meetings", text="Digest:", meetings=[record(i) for i in range(1, 61)])
            assert len(render_reply(digest)) == 2
            t.now += 10
            fake.fail("chat.postMessage", "internal_error", status=500, after=1)  # part 2 fails
            with pytest.raises(TransientSendError):
                await transport.send(b, digest, idempotency_key="digest")
            assert t.slept[-1] == pytest.approx(1.0)  # the parts are paced too
            t.now += 60
            await transport.send(b, digest, idempotency_key="digest")  # the delivery layer's retry
            parts = [c.body["text"].split("\n")[0] for c in fake.posts("C0B")]
            assert parts == ["two", "Digest:", "(continued)"]  # part 1 was not posted twice

    run(scenario())


def test_a_post_accepted_then_dropped_is_not_retried_blindly_and_is_found_in_the_history(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            transport, fake = bot.adapter.transport, bot.fake
            ref = ChannelRef("slack", bot.fake.team_id, "C0CHAN")
            reply = Reply(kind="meetings", text="Reminder:", meetings=[record()])
            fake.fail("chat.postMessage", drop=True)  # Slack takes it; the answer never arrives
            with pytest.raises(TransientSendError):
                await transport.send(ref, reply, idempotency_key="sb-1")
            assert len(fake.calls_to("chat.postMessage")) == 1  # no connection-error retry of a post
            [message] = fake.delivered("C0CHAN")
            assert message["metadata"] == {"event_type": "summitbot_delivery",
                                           "event_payload": {"delivery_id": "sb-1", "part": 0}}
            # Before trying again, the channel's history is read (a dropped read is retried by the client).
            fake.fail("conversations.history", drop=True)
            assert await transport.find_delivered(ref, reply, idempotency_key="sb-1") == message["ts"]
            history = fake.calls_to("conversations.history")
            assert len(history) == 2 and history[-1].body["include_all_metadata"] in ("1", "true", "True")
            assert await transport.find_delivered(ref, reply, idempotency_key="sb-other") is None

            # A long digest whose second part was taken but not answered: only the rest is posted.
            digest = Reply(kind="meetings", text="Digest:", meetings=[record(i) for i in range(1, 61)])
            fake.fail("chat.postMessage", drop=True, after=1)
            with pytest.raises(TransientSendError):
                await transport.send(ref, digest, idempotency_key="sb-digest")
            restarted = SlackTransport(bot.adapter.client, pacer=ChannelPacer(monotonic=bot.time.monotonic,
                                                                              sleep=bot.time.sleep))
            assert await restarted.find_delivered(ref, digest, idempotency_key="sb-digest") is not None
            assert len(fake.delivered("C0CHAN")) == 3  # nothing posted twice

    run(scenario())


def test_the_stand_in_serves_history_as_slack_does(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            client = bot.adapter.client
            for i in range(3):
                await client.chat_postMessage(channel="C0H", text=f"m{i}", metadata={
                    "event_type": "summitbot_delivery", "event_payload": {"delivery_id": f"k{i}", "part": 0}})
            plain = await client.conversations_history(channel="C0H")
            assert [m["text"] for m in plain["messages"]] == ["m2", "m1", "m0"]  # newest first
            assert all("metadata" not in m for m in plain["messages"])  # only with include_all_metadata
            page = await client.conversations_history(channel="C0H", include_all_metadata=True, limit=2)
            assert [m["metadata"]["event_payload"]["delivery_id"] for m in page["messages"]] == ["k2", "k1"]
            assert page["has_more"] and page["response_metadata"]["next_cursor"]
            rest = await client.conversations_history(channel="C0H", include_all_metadata=True, limit=2,
                                                      cursor=page["response_metadata"]["next_cursor"])
            assert [m["text"] for m in rest["messages"]] == ["m0"] and not rest["has_more"]
            newer = await client.conversations_history(channel="C0H", oldest=page["messages"][1]["ts"])
            assert [m["text"] for m in newer["messages"]] == ["m2"]  # `oldest` is exclusive

    run(scenario())


def test_the_scheduler_checks_the_history_after_a_lost_answer_and_after_a_restart(tmp_path):
    from bot.delivery import open_delivery_store
    from bot.scheduler import SummitScheduler

    async def scenario():
        async with slack_bot(tmp_path) as bot:
            add_meeting(bot.store)  # 29 Oct, date only
            add_meeting(bot.store, participants=("Xi Jinping", "Lee Jae-myung"))
            assert bot.commands.handle("/summits subscribe lead:1d", bot.ctx(is_admin=True)).kind != "error"
            transports = {"slack": bot.adapter.transport}
            sched = SummitScheduler(bot.store, bot.settings, bot.clock, transports, owner="a", batch=1)
            bot.fake.fail("chat.postMessage", drop=True)
            try:
                bot.clock.set(datetime(2025, 10, 28, 9, 0, 30, tzinfo=UTC))
                first = await sched.run_once()
                assert first.retried == 1 and len(bot.fake.delivered("C0CHAN")) == 1
                bot.clock.set(datetime(2025, 10, 28, 9, 2, tzinfo=UTC))  # after the backoff
                second = await sched.run_once()
                assert second.found == 1 and second.sent == 1
                assert len(bot.fake.delivered("C0CHAN")) == 1  # recorded from the history, not posted again
            finally:
                await sched.shutdown()
            # The bot dies after Slack took the second reminder, before it was marked sent.
            store = open_delivery_store(str(tmp_path / "summitbot.db"))
            [row] = store.db.execute("SELECT id FROM deliveries WHERE status = 'pending'").fetchall()
            ts = await bot.adapter.transport.send(ChannelRef("slack", bot.fake.team_id, "C0CHAN"),
                                                  _reply_of(store, row[0]), idempotency_key=_key_of(store, row[0]))
            store.db.execute("UPDATE deliveries SET status = 'sending', owner = 'dead', attempts = 1 WHERE id = ?",
                             [row[0]])
            store.db.conn.commit()
            bot.clock.set(datetime(2025, 10, 28, 9, 5, tzinfo=UTC))
            restarted = SummitScheduler(bot.store, bot.settings, bot.clock, transports, owner="b")
            try:
                result = await restarted.run_once()
            finally:
                await restarted.shutdown()
            assert result.recovered == 1 and result.found == 1 and result.sent == 1
            assert len(bot.fake.delivered("C0CHAN")) == 2
            assert store.db.execute("SELECT message_id FROM deliveries WHERE id = ?", [row[0]]).fetchone()[0] == ts
            store.db.conn.close()

    run(scenario())


def _key_of(store: Store, delivery_id: int) -> str:
    from bot.delivery import Delivery

    cur = store.db.execute("SELECT * FROM deliveries WHERE id = ?", [delivery_id])
    return Delivery.from_row(dict(zip([c[0] for c in cur.description], cur.fetchone()))).key


def _reply_of(store: Store, delivery_id: int) -> Reply:
    from bot.delivery import Composer, Delivery

    cur = store.db.execute("SELECT * FROM deliveries WHERE id = ?", [delivery_id])
    d = Delivery.from_row(dict(zip([c[0] for c in cur.description], cur.fetchone())))
    reply, _, _ = Composer(store, Settings()).compose(d)
    return reply


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_summitbot_run_serves_signed_slash_commands(tmp_path):
    db = tmp_path / "run.db"
    add_meeting(Store(db))

    async def scenario():
        fake = await FakeSlack().start()
        port = _free_port()
        log = tmp_path / "run.log"
        try:
            async with summitbot_run(db, log, **fake.env(), PORT=str(port),
                                     SUMMITBOT_NOW="2025-10-24T00:00:00Z") as proc:
                await wait_for_log(proc, log, "slack adapter started")
                status, body, _ = await fake.send_slash_command(f"http://127.0.0.1:{port}/slack/events", "upcoming")
                assert status == 200
                answer = await fake.wait_for_call("response_url", timeout=10)
                assert answer.body["text"].startswith("Upcoming summits in the next 30 days:")
                assert "Donald Trump – Lee Jae-myung" in answer.body["blocks"][1]["text"]["text"]
        finally:
            await fake.close()

    run(scenario())
