"""The Slack adapter end to end: the real Bolt app against tests/fake_slack.py (signed requests, socket mode,
admins, reminders, escaping, rate limits, pacing, lost answers, `summitbot run`)."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest

from adapters.slack import SlackAdapter, SlackStartError
from adapters.slack.render import render_reply
from adapters.slack.transport import ChannelPacer, SlackTransport
from bot.commands import Commands, Services
from bot.config import Settings
from bot.models import Article
from bot.reply import Reply
from bot.store import Store
from bot.transport import ChannelGone, ChannelRef, TransientSendError
from tests.conftest import make_record as record, summitbot_run, wait_for_log
from tests.fake_slack import FakeSlack
from tests.slack_helpers import UTC, _free_port, add_meeting, assert_no_injection, run, slack_bot


# -- end to end: the real Bolt app against the stand-in -----------------------------------------------


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
