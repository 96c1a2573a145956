"""Fault injection: do reminders arrive exactly once when the network lies and the bot is killed?

Run: python bench/fault_delivery.py [--channels 160] [--kills 8] [--seed 1]

The Slack and Discord stand-ins of tests/ run here on 127.0.0.1, with random faults on every post:
accepted-then-reset (the message is in the channel, the answer is lost), 429 with Retry-After,
and 5xx. A delivering subprocess (the real scheduler, slack_sdk's AsyncWebClient and discord.py's
HTTP client) is killed with SIGKILL at random moments and restarted; meanwhile this process holds
the database's write lock for longer than the worker's busy timeout, again and again. At the end
it counts, per platform, the reminders that arrived more than once and those that never arrived.
Bounded everywhere: a fixed number of kills, of runs and of ticks per run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The reminders fall due here: in the past, as the stand-in stamps messages with the real time and the
# history check looks for messages posted after the due time.
T0 = datetime(2025, 10, 28, 0, 0, tzinfo=timezone.utc)
RUN_GAP = timedelta(hours=2)  # each restart's clock starts this much later (past the dead sender's lease)
TICK_STEP = timedelta(minutes=2)  # the worker's injected clock moves this much per tick (past retry backoffs)
MAX_TICKS = 60  # per run
BATCH = 20  # sends per tick, so a run delivers over many ticks and a kill lands mid-delivery
WORKER_BUSY_MS = 100  # the worker's SQLite busy timeout; the lock below is held longer


def settings():
    from bot.config import Settings

    return Settings(delivery_time="00:00", grace_hours=24 * 30, max_attempts=12, lease_seconds=60,
                    tick_seconds=30)


# -- setup ------------------------------------------------------------------------------------------


def populate(db: str, channels: int, guild_id: str, discord_channels: list[str]) -> None:
    """One meeting tomorrow; ``channels`` Slack and Discord channels each following it with lead 1d."""
    from bot.delivery import plan_deliveries
    from bot.models import Meeting
    from bot.store import Store
    from bot.subscriptions import add_subscription, ensure_channel
    from bot.transport import ChannelRef

    store = Store(db)
    before = T0 - timedelta(days=3)
    store.insert_meeting(Meeting(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral",
                                 location="Gyeongju", start=(T0 + timedelta(days=1)).date(),
                                 end=(T0 + timedelta(days=1)).date(), sentence="Trump will meet Lee."),
                         article_id=None, asof=None, now=before)
    refs = [ChannelRef("slack", "T0TEAM", f"C{i:05d}") for i in range(channels)]
    refs += [ChannelRef("discord", guild_id, cid) for cid in discord_channels]
    for ref in refs:
        ch = ensure_channel(store, ref, settings(), before)
        add_subscription(store, ch, lead="1d", now=before)
    plan_deliveries(store, settings(), T0 - timedelta(days=2))
    store.db.conn.close()


# -- the delivering subprocess -------------------------------------------------------------------------


async def worker(db: str, run: int, slack_api: str, discord_api: str, token: str, unprotected: bool) -> None:
    """The real scheduler, Slack and Discord transports; ticks until nothing is pending (or MAX_TICKS).

    ``unprotected`` is the baseline: slack_sdk's default connection-error retry on posts, no history
    check, and Discord posts without a nonce, to show what the faults do without the protections.
    """
    import discord
    from slack_sdk.web.async_client import AsyncWebClient

    from adapters.discord.transport import DiscordTransport
    from adapters.slack.transport import ChannelPacer, SlackTransport, retry_handlers
    from bot.clock import FixedClock
    from bot.scheduler import SummitScheduler
    from bot.store import Store

    async def no_sleep(_seconds: float) -> None:
        await asyncio.sleep(0)

    fake_now = [0.0]

    def monotonic() -> float:
        return fake_now[0]

    discord.http.Route.BASE = discord_api
    client = discord.Client(intents=discord.Intents.none())
    await client.login(token)  # REST only: enough for channel posts
    handlers = retry_handlers(no_sleep)
    if unprotected:
        from slack_sdk.http_retry.builtin_async_handlers import AsyncConnectionErrorRetryHandler

        handlers = [AsyncConnectionErrorRetryHandler(), handlers[-1]]
    slack = AsyncWebClient(token="xoxb-test-token", base_url=slack_api, retry_handlers=handlers)
    transports = {"slack": SlackTransport(slack, pacer=ChannelPacer(monotonic=monotonic, sleep=no_sleep)),
                  "discord": DiscordTransport(client)}
    if unprotected:
        transports["slack"].find_delivered = None  # type: ignore[method-assign]
        original = discord.abc.Messageable.send

        async def send_without_nonce(self, *args, nonce=None, **kwargs):
            return await original(self, *args, **kwargs)

        discord.PartialMessageable.send = send_without_nonce  # type: ignore[method-assign]
    clock = FixedClock(T0 + RUN_GAP * run)
    sched = SummitScheduler(Store(db), settings(), clock, transports, owner=f"run{run}:{os.getpid()}", batch=BATCH)
    print("ready", flush=True)
    sched.store.db.execute(f"PRAGMA busy_timeout = {WORKER_BUSY_MS}")
    try:
        for _ in range(MAX_TICKS):
            result = await sched.run_once()
            fake_now[0] += 60.0
            print(json.dumps({"sent": result.sent, "found": result.found, "retried": result.retried,
                              "recovered": result.recovered, "failed": result.failed, "busy": result.busy}),
                  flush=True)
            left = sched.store.db.execute(
                "SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'sending')").fetchone()[0]
            if left == 0:
                break
            clock.advance(TICK_STEP)
    finally:
        await sched.shutdown()
        await client.close()


# -- faults ------------------------------------------------------------------------------------------


class Chaos:
    """Random faults on every post, with counts of what was injected."""

    def __init__(self, rng: random.Random, *, reset: float, limited: float, server: float):
        self.rng = rng
        self.reset, self.limited, self.server = reset, limited, server
        self.counts = {"slack": {"reset": 0, "429": 0, "5xx": 0}, "discord": {"reset": 0, "429": 0, "5xx": 0}}

    def _pick(self) -> str | None:
        r = self.rng.random()
        if r < self.reset:
            return "reset"
        if r < self.reset + self.limited:
            return "429"
        if r < self.reset + self.limited + self.server:
            return "5xx"
        return None

    def slack(self, method: str, body: dict):
        from tests.fake_slack import Failure

        if method != "chat.postMessage":
            return None
        fault = self._pick()
        if fault is None:
            return None
        self.counts["slack"][fault] += 1
        if fault == "reset":
            return Failure("dropped", drop=True)
        if fault == "429":
            return Failure("ratelimited", status=429, retry_after=0 if self.rng.random() < 0.5 else 30)
        return Failure("internal_error", status=500)

    def discord(self, channel: str, body: dict):
        from tests.fake_discord import Failure

        fault = self._pick()
        if fault is None:
            return None
        self.counts["discord"][fault] += 1
        if fault == "reset":
            return Failure(drop=True, accept=True)
        if fault == "429":
            return Failure(429, {"message": "You are being rate limited.", "retry_after": 0.01, "global": False},
                           {"Retry-After": "0.01", "X-RateLimit-Scope": "user"})
        return Failure(503, {"message": "Service Unavailable", "code": 0})


async def hold_locks(db: str, stop: asyncio.Event, held: list[int]) -> None:
    """Take the write lock for longer than the worker's busy timeout, again and again."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=0.05)
    try:
        while not stop.is_set():
            await asyncio.sleep(0.25)
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                continue
            held[0] += 1
            await asyncio.sleep(WORKER_BUSY_MS / 1000 * 3)
            conn.execute("COMMIT")
    finally:
        conn.close()


# -- the run -----------------------------------------------------------------------------------------


async def main(args: argparse.Namespace) -> int:
    from tests.fake_discord import FakeDiscord
    from tests.fake_slack import FakeSlack

    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp(prefix="summitbot-fault-")
    db = str(Path(tmp) / "summitbot.db")
    slack, disc = FakeSlack(), FakeDiscord()
    await slack.start()
    await disc.start()
    discord_channels = [disc.snowflake() for _ in range(args.channels)]
    populate(db, args.channels, disc.guild_id, discord_channels)
    chaos = Chaos(rng, reset=args.reset, limited=args.limited, server=args.server)
    slack.chaos, disc.chaos = chaos.slack, chaos.discord
    stop, held = asyncio.Event(), [0]
    locker = asyncio.create_task(hold_locks(db, stop, held))
    kills, runs, ticks, busy = 0, 0, 0, 0
    started = time.perf_counter()
    try:
        for run in range(args.kills + 10):  # bounded: the kills, then up to ten runs to finish
            runs += 1
            proc = await asyncio.create_subprocess_exec(
                sys.executable, __file__, "--worker", db, str(run), slack.api_url, disc.base_url,
                disc.token, "unprotected" if args.unprotected else "protected", stdout=asyncio.subprocess.PIPE, cwd=str(ROOT))
            assert proc.stdout is not None
            ready = await asyncio.wait_for(proc.stdout.readline(), 60)  # imports and login done
            kill_at = rng.uniform(0.05, 0.8) if kills < args.kills and ready.strip() == b"ready" else None
            try:
                await asyncio.wait_for(proc.wait(), kill_at if kill_at is not None else 300)
            except asyncio.TimeoutError:
                if kill_at is None:
                    proc.kill()
                    raise SystemExit("a worker ran for five minutes: giving up")
                os.kill(proc.pid, signal.SIGKILL)  # mid-tick, maybe mid-post
                await proc.wait()
                kills += 1
            out = (await proc.stdout.read()).decode().splitlines() if proc.stdout else []
            ticks += len(out)
            busy += sum(1 for line in out if line.startswith("{") and json.loads(line)["busy"])
            if proc.returncode not in (0, -signal.SIGKILL):
                raise SystemExit(f"worker run {run} failed with exit code {proc.returncode}")
            left = _left(db)
            if kill_at is None and proc.returncode == 0 and left == 0:
                break
    finally:
        stop.set()
        await locker
    seconds = time.perf_counter() - started
    report = _report(db, slack, disc, discord_channels, args.channels)
    print(f"{2 * args.channels} reminders ({args.channels} per platform); {runs} worker runs, {kills} SIGKILLs, "
          f"{ticks} ticks; the write lock held {held[0]} times for {3 * WORKER_BUSY_MS} ms "
          f"(worker busy timeout {WORKER_BUSY_MS} ms), {busy} ticks ended early by it; {seconds:.1f} s")
    for platform in ("slack", "discord"):
        c = chaos.counts[platform]
        r = report[platform]
        print(f"{platform:8} faults injected: {c['reset']} accepted-then-reset, {c['429']} 429, {c['5xx']} 5xx | "
              f"messages {r['messages']}, duplicates {r['duplicates']}, lost {r['lost']}")
    print(f"ledger: {report['statuses']}")
    await slack.close()
    await disc.close()
    return 0 if all(report[p]["duplicates"] == 0 and report[p]["lost"] == 0 for p in ("slack", "discord")) else 1


def _left(db: str) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("SELECT COUNT(*) FROM deliveries WHERE status IN ('pending', 'sending')").fetchone()[0]
    finally:
        conn.close()


def _report(db: str, slack, disc, discord_channels: list[str], channels: int) -> dict:
    """Per platform: reminder messages in the channels, duplicates (extra copies) and lost (none arrived)."""
    conn = sqlite3.connect(db, timeout=30)
    statuses = dict(conn.execute("SELECT status, COUNT(*) FROM deliveries GROUP BY status").fetchall())
    statuses["found in flight after a kill"] = conn.execute("SELECT SUM(recovered) FROM deliveries").fetchone()[0]
    conn.close()
    out: dict = {"statuses": statuses}
    counts = []
    for i in range(channels):
        msgs = [m for m in slack.delivered(f"C{i:05d}")
                if (m.get("metadata") or {}).get("event_type") == "summitbot_delivery"
                and str(m.get("text") or "").startswith("Reminder:")]
        counts.append(len(msgs))
    out["slack"] = {"messages": sum(counts), "duplicates": sum(max(n - 1, 0) for n in counts),
                    "lost": sum(1 for n in counts if n == 0)}
    counts = []
    for cid in discord_channels:
        msgs = [m for m in disc.messages.get(cid, [])
                if str((m.get("embeds") or [{}])[0].get("description") or "").startswith("Reminder:")]
        counts.append(len(msgs))
    out["discord"] = {"messages": sum(counts), "duplicates": sum(max(n - 1, 0) for n in counts),
                      "lost": sum(1 for n in counts if n == 0)}
    return out


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        db_path, run_no, slack_url, discord_url, bot_token, mode = sys.argv[2:8]
        asyncio.run(worker(db_path, int(run_no), slack_url, discord_url, bot_token, mode == "unprotected"))
        sys.exit(0)
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--channels", type=int, default=160, help="channels per platform, one reminder each")
    parser.add_argument("--kills", type=int, default=8, help="SIGKILLs of the delivering process")
    parser.add_argument("--reset", type=float, default=0.15, help="share of posts accepted, then reset")
    parser.add_argument("--limited", type=float, default=0.05, help="share of posts answered 429")
    parser.add_argument("--server", type=float, default=0.05, help="share of posts answered 5xx")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--unprotected", action="store_true",
                        help="baseline: client-side retry of posts, no history check, no Discord nonce")
    sys.exit(asyncio.run(main(parser.parse_args())))
