"""Helpers shared by the Discord tests: the adapter logged in against tests/fake_discord.py with a fresh
database, a meeting in it, and the checks that nothing posted can ping anyone."""

from __future__ import annotations

import asyncio
import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

from adapters.discord import DiscordAdapter
from bot.clock import FixedClock
from bot.commands import Commands, Context, Services
from bot.config import Settings
from bot.models import Meeting
from bot.store import Store
from fake_discord import FakeDiscord

NOW = datetime(2025, 10, 24, 0, 0, tzinfo=timezone.utc)
PING = re.compile(r"@(everyone|here)|<@[!&]?\d", re.IGNORECASE)
WEBHOOK = r"/webhooks/{app}/{token}"


def run(coro) -> Any:
    """Run one scenario on a fresh loop; the timeout only bounds a hung test."""
    return asyncio.run(asyncio.wait_for(coro, 25))


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
