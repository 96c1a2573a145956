"""/healthz: the database answers, the scheduler ticks (injected clock) and each chat platform is connected;
on the Slack HTTP server, and on $PORT beside Socket Mode or Discord (the web calendar's port)."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime, timedelta, timezone

import aiohttp

from adapters.slack import SlackAdapter
from bot import health
from bot.clock import FixedClock
from bot.commands import Commands, Services
from bot.config import Settings
from bot.health import HealthCheck
from bot.scheduler import SummitScheduler
from bot.store import Store
from tests.conftest import summitbot_run, wait_for_log
from tests.discord_helpers import discord_bot
from tests.fake_discord import FakeDiscord
from tests.fake_slack import FakeSlack
from tests.slack_helpers import _free_port, slack_bot

T0 = datetime(2025, 10, 24, tzinfo=timezone.utc)


async def get(url: str) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session:
        async with session.get(url) as resp:
            return resp.status, json.loads(await resp.text())


def test_healthz_reports_the_database_and_the_last_tick(tmp_path):
    async def scenario():
        fake = await FakeSlack().start()
        db = tmp_path / "summitbot.db"
        store = Store(db)
        clock = FixedClock(T0)
        settings = Settings(db=str(db), slack_port=0, tick_seconds=30)
        scheduler = SummitScheduler(store, settings, clock, {})
        adapter = SlackAdapter(Commands(Services(store=store, settings=settings, clock=clock)), settings, fake.env(),
                               host="127.0.0.1")
        adapter.health = HealthCheck(store, scheduler, clock, settings.tick_seconds,
                                     platforms={"slack": adapter.connection_problem})
        try:
            await adapter.start()
            url = f"http://127.0.0.1:{adapter.port}/healthz"
            status, body = await get(url)
            assert status == 503 and body["problems"] == ["scheduler: not started"] and body["database"] == "ok"
            assert body["platforms"] == {"slack": "connected"}
            await scheduler.start()
            status, body = await get(url)
            assert status == 200 and body["status"] == "ok" and body["last_tick_at"] is None
            clock.advance(seconds=121)  # 3 ticks of 30s + 30s and no tick yet
            status, body = await get(url)
            assert status == 503 and "no tick in the 120s since it started" in body["problems"][0]
            await scheduler.run_once()
            status, body = await get(url)
            assert status == 200 and body["last_tick_age_seconds"] == 0.0
            assert body["last_tick_at"] == (T0 + timedelta(seconds=121)).isoformat()
            clock.advance(seconds=90)
            status, body = await get(url)
            assert status == 200 and body["last_tick_age_seconds"] == 90.0
            clock.advance(seconds=31)
            status, body = await get(url)
            assert status == 503 and body["problems"] == ["scheduler: last tick 121s ago (more than 120s)"]
            await scheduler.run_once()
            os.replace(db, tmp_path / "moved.db")  # the database file is gone
            status, body = await get(url)
            assert status == 503 and body["database"].startswith("OperationalError")
            assert body["problems"][0].startswith("database: ")
        finally:
            await scheduler.shutdown()
            await adapter.stop()
            await fake.close()

    asyncio.run(scenario())


def test_summitbot_run_serves_healthz_in_http_mode(tmp_path):
    async def scenario():
        fake = await FakeSlack().start()
        port = _free_port()
        log = tmp_path / "run.log"
        try:
            async with summitbot_run(tmp_path / "run.db", log, **fake.env(), PORT=str(port),
                                     SUMMITBOT_NOW="2025-10-24T00:00:00Z") as proc:
                await wait_for_log(proc, log, "slack adapter started")
                for _ in range(200):  # the scheduler starts just after the adapter
                    status, body = await get(f"http://127.0.0.1:{port}/healthz")
                    if body["problems"] != ["scheduler: not started"]:
                        break
                    await asyncio.sleep(0.05)
                assert status == 200 and body["database"] == "ok", body
        finally:
            await fake.close()

    asyncio.run(scenario())


async def until(check, done, tries: int = 400):
    """Call ``check`` until ``done(result)`` (the bot works in its own time; this waits for it, no timing)."""
    for _ in range(tries):
        result = await check()
        if done(result):
            return result
        await asyncio.sleep(0.05)
    return result


def test_a_platform_that_is_not_connected_fails_the_check(tmp_path):
    async def scenario():
        store = Store(tmp_path / "h.db")
        clock = FixedClock(T0)
        scheduler = SummitScheduler(store, Settings(tick_seconds=30), clock, {})

        async def connected():
            return None

        async def down():
            return "gateway disconnected (reconnecting)"

        async def hangs():
            await asyncio.Event().wait()

        async def broken():
            raise RuntimeError("boom")

        await scheduler.start()
        try:
            check = HealthCheck(store, scheduler, clock, 30, platforms={"slack": connected, "discord": down})
            ok, body = await check()
            assert not ok and body["platforms"] == {"slack": "connected",
                                                    "discord": "gateway disconnected (reconnecting)"}
            assert body["problems"] == ["discord: gateway disconnected (reconnecting)"]
            ok, body = await HealthCheck(store, scheduler, clock, 30, platforms={"slack": broken})()
            assert not ok and body["platforms"] == {"slack": "RuntimeError: boom"}
            health.PLATFORM_TIMEOUT, saved = 0.01, health.PLATFORM_TIMEOUT
            try:
                ok, body = await HealthCheck(store, scheduler, clock, 30, platforms={"discord": hangs})()
            finally:
                health.PLATFORM_TIMEOUT = saved
            assert not ok and body["platforms"]["discord"].startswith("no answer within")
        finally:
            await scheduler.shutdown()

    asyncio.run(scenario())


def test_slack_socket_mode_says_whether_its_websocket_is_up(tmp_path):
    async def scenario():
        async with slack_bot(tmp_path, socket_mode=True) as bot:
            await bot.fake.wait_for_socket()
            assert await until(bot.adapter.connection_problem, lambda p: p is None) is None
            await bot.adapter.stop()
            assert await bot.adapter.connection_problem() == "Socket Mode not connected"

    asyncio.run(scenario())


def test_discord_says_whether_its_gateway_is_up(tmp_path):
    async def scenario():
        async with discord_bot(tmp_path) as bot:
            assert await bot.adapter.connection_problem() is None
            await bot.adapter.stop()
            assert await bot.adapter.connection_problem() == "gateway not running"

    asyncio.run(scenario())


def test_summitbot_run_serves_healthz_on_port_beside_discord(tmp_path):
    async def scenario():
        fake = FakeDiscord()
        await fake.start()
        port = _free_port()
        log = tmp_path / "run.log"
        url = f"http://127.0.0.1:{port}/healthz"
        try:
            async with summitbot_run(tmp_path / "run.db", log, **fake.env(), PORT=str(port),
                                     SUMMITBOT_NOW="2025-10-24T00:00:00Z") as proc:
                await wait_for_log(proc, log, "web calendar on port")
                status, body = await until(lambda: get(url), lambda r: r[0] == 200)
                assert status == 200 and body["platforms"] == {"discord": "connected"}, body
                assert body["database"] == "ok" and body["problems"] == []
                for conn in fake.connections:
                    await conn.ws.close()
                await fake.close()  # Discord is gone: no reconnecting
                status, body = await until(lambda: get(url), lambda r: r[0] == 503)
                assert status == 503 and body["platforms"]["discord"] != "connected", body
                assert body["problems"] == [f"discord: {body['platforms']['discord']}"]
        finally:
            await fake.close()

    asyncio.run(scenario())
