"""/healthz on the Slack HTTP server: the database answers and the scheduler ticks (injected clock)."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime, timedelta, timezone

import aiohttp

from adapters.slack import SlackAdapter
from bot.clock import FixedClock
from bot.commands import Commands, Services
from bot.config import Settings
from bot.health import HealthCheck
from bot.scheduler import SummitScheduler
from bot.store import Store
from tests.conftest import summitbot_run, wait_for_log
from tests.fake_slack import FakeSlack
from tests.test_slack import _free_port

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
        adapter.health = HealthCheck(store, scheduler, clock, settings.tick_seconds)
        try:
            await adapter.start()
            url = f"http://127.0.0.1:{adapter.port}/healthz"
            status, body = await get(url)
            assert status == 503 and body["problems"] == ["scheduler: not started"] and body["database"] == "ok"
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
