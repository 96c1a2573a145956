"""Hostile requests and answers on Slack: a clear 4xx or a logged refusal, never a 500 or a crash."""

from __future__ import annotations

import hashlib
import hmac
import time

import aiohttp
import pytest

from tests.slack_helpers import run, slack_bot


def signed(fake, body: bytes, timestamp: str) -> dict[str, str]:
    digest = hmac.new(fake.signing_secret.encode(), b"v0:" + timestamp.encode() + b":" + body,
                      hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": f"v0={digest}",
            "Content-Type": "application/x-www-form-urlencoded"}


async def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body, headers=headers) as resp:
            return resp.status, await resp.text()


@pytest.mark.parametrize("timestamp", ["yesterday", "", "12.5", "-1", "１７０００００００", "9" * 5000, "0x10"])
def test_a_non_numeric_request_timestamp_gets_401(tmp_path, timestamp):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            body = b"command=%2Fsummits&text=help&user_id=U0USER&channel_id=C0CHAN&team_id=T0TEAM"
            headers = signed(bot.fake, body, timestamp)
            if not timestamp:
                del headers["X-Slack-Request-Timestamp"]
            status, _ = await post(bot.events_url, body, headers)
            assert status == 401
            status, _, _ = await bot.fake.send_slash_command(bot.events_url, "help")  # still serving
            assert status == 200
            await bot.fake.wait_for_call("response_url")
            assert len(bot.fake.calls_to("response_url")) == 1  # nothing ran for the refused one

    run(scenario())


@pytest.mark.parametrize("sign", [True, False])
def test_a_non_utf8_body_gets_400(tmp_path, sign):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            body = b"command=%2Fsummits&text=\xff\xfe\xfd&user_id=U0USER&channel_id=C0CHAN"
            headers = signed(bot.fake, body, str(int(time.time())))
            if not sign:
                headers["X-Slack-Signature"] = "v0=deadbeef"
            status, text = await post(bot.events_url, body, headers)
            assert status == 400 and "UTF-8" in text
            status, _, _ = await bot.fake.send_slash_command(bot.events_url, "help")
            assert status == 200

    run(scenario())


@pytest.mark.parametrize("raw_body, content_type, status", [
    ("<html><body>502 Bad Gateway</body></html>", "text/html", 502),
    ("{not json", "application/json", 200),
    ("", "application/json", 500),
])
def test_a_non_json_error_body_from_slack_does_not_crash_the_admin_check(tmp_path, caplog, raw_body, content_type,
                                                                         status):
    async def scenario():
        async with slack_bot(tmp_path) as bot:
            bot.fake.add_user("U0ADMIN", admin=True)
            bot.fake.fail("users.info", raw_body=raw_body, content_type=content_type, status=status)
            assert await bot.adapter.admins.is_admin("T0TEAM", "U0ADMIN") is False  # Slack could not tell us
            assert await bot.adapter.admins.is_admin("T0TEAM", "U0ADMIN") is True  # asked again: not cached

            bot.fake.fail("users.info", raw_body=raw_body, content_type=content_type, status=status)
            await bot.fake.send_slash_command(bot.events_url, "subscribe lead:1d", user="U0OTHER")
            refused = await bot.fake.wait_for_call("response_url")
            assert "Only admins" in refused.body["text"]  # the command was answered, as a non-admin's

    with caplog.at_level("WARNING", logger="adapters.slack.admins"):
        run(scenario())
    assert any("users.info for U0ADMIN failed" in r.getMessage() for r in caplog.records)
