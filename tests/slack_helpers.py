"""Helpers shared by the Slack tests: the real Bolt adapter started against tests/fake_slack.py with a fresh
database and an injected clock, a meeting in it, a free port, and the check that nothing posted can ping anyone
or render as a link we did not make."""

from __future__ import annotations

import asyncio
import re
import socket
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from adapters.slack import SlackAdapter
from bot.clock import FixedClock
from bot.commands import Commands, Context, Services
from bot.config import Settings
from bot.models import Meeting
from bot.store import Store
from tests.fake_slack import FakeSlack

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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
