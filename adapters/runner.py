"""The composition root of `summitbot run`: one store, one scheduler, the platforms whose tokens are set."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from typing import TextIO

from bot.clock import Clock, FixedClock, SystemClock
from bot.commands import Commands
from bot.config import ConfigError, Settings
from bot.store import Store

log = logging.getLogger(__name__)


def _platform_adapters(commands: Commands, settings: Settings, on_ready_once) -> list:
    """The adapters whose tokens are set; ConfigError when a platform's settings are incomplete or wrong."""
    env = settings.env
    adapters = []
    if env.get("SLACK_BOT_TOKEN"):
        from adapters.slack import SlackAdapter

        if not SlackAdapter.enabled(env):
            raise ConfigError("SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor "
                              "SLACK_SIGNING_SECRET (HTTP) is: set one of them, or unset SLACK_BOT_TOKEN")
        adapters.append(SlackAdapter(commands, settings, env))
    if env.get("DISCORD_TOKEN"):
        from adapters.discord import DiscordAdapter

        adapters.append(DiscordAdapter(commands, settings, env, on_ready_once=on_ready_once))
    return adapters


async def _start_web(store: Store, settings: Settings, clock: Clock, health=None):
    """The web calendar on $PORT (its /healthz the bot's ``health``), unless Slack's HTTP mode listens there;
    its runner, or None."""
    port = settings.env.get("PORT")
    if not port:
        return None
    env = settings.env
    if env.get("SLACK_BOT_TOKEN") and env.get("SLACK_SIGNING_SECRET") and not env.get("SLACK_APP_TOKEN"):
        log.warning("PORT is Slack's (HTTP mode): the web calendar is not served; run `summitbot web --port N`")
        return None
    from bot.web import make_app, start_site

    runner = await start_site(make_app(None, settings, clock=clock, store=store, health=health), "0.0.0.0", int(port))
    log.warning("web calendar on port %s", port)
    return runner


def _settle(store: Store, extractor) -> None:
    """Before serving: load the extraction model now if feeds are followed (their first poll would), then
    freeze what startup loaded out of garbage collection (bot/process.py)."""
    from bot.feeds import feeds
    from bot.process import settle_heap

    def warm() -> None:
        if any(feed.status == "active" for feed in feeds(store)):
            extractor.nlp  # noqa: B018 (spaCy's model, loaded on first use)
            extractor.classifier  # noqa: B018

    settle_heap(warm)


async def run(settings: Settings, db_path: str, *, once: bool = False, clock: Clock | None = None,
              stdin: TextIO | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """Start everything and serve until interrupted (or, with ``once``, send what is due and return).

    Returns the exit status: 0, or 1 when the console session ended in an error (see ConsoleSession).
    """
    from adapters.console import ConsoleTransport, repl
    from bot.extract import Extractor
    from bot.feeds import poll_due_feeds
    from bot.health import HealthCheck
    from bot.pipeline import Ingestor
    from bot.process import command_side
    from bot.scheduler import SummitScheduler

    clock = clock or (FixedClock(settings.now) if settings.now else SystemClock())
    store = Store(db_path)
    extractor = Extractor()
    commands = command_side(store, settings, clock, extra={"extractor": extractor})
    console = ConsoleTransport(stdout)
    transports = {"console": console}
    ingestor = Ingestor(store, extractor, settings=settings)

    async def notify(channel, reply) -> None:
        transport = transports.get(channel.platform)
        if transport is None:
            raise RuntimeError(f"no {channel.platform} connection to tell {channel.key()}")
        await transport.send(channel, reply, idempotency_key=f"feed-notice:{channel.key()}:{reply.text[:40]}")

    async def poll_feeds(now) -> None:
        await poll_due_feeds(store, settings, now, ingestor, notify)

    async def start_scheduler_once() -> None:
        await scheduler.start()  # idempotent: a reconnect's second on_ready does nothing

    # Built before anything starts, so a wrong platform setting stops us with its reason at once.
    adapters = _platform_adapters(commands, settings, start_scheduler_once)
    scheduler = SummitScheduler(store, settings, clock, transports, feed_poller=poll_feeds)
    health = HealthCheck(store, scheduler, clock, settings.tick_seconds,
                         platforms={adapter.platform: adapter.connection_problem for adapter in adapters})
    for adapter in adapters:
        if hasattr(adapter, "health"):  # served at /healthz by an adapter that runs an HTTP server
            adapter.health = health

    for adapter in adapters:
        transports[adapter.platform] = adapter.transport
        try:
            await adapter.start()
        except Exception as exc:
            await scheduler.shutdown()
            raise SystemExit(f"summitbot: could not start {adapter.platform}: {exc}") from None
        log.warning("%s adapter started", adapter.platform)

    if once:  # what is due now, through every configured platform, then stop
        try:
            result = await scheduler.run_once()
            log.info("run --once: %s", result)
        finally:
            await scheduler.shutdown()  # gives the sending lease back
            for adapter in adapters:
                await adapter.stop()
        return 0

    try:
        web_runner = await _start_web(store, settings, clock, health)
    except OSError as exc:
        await scheduler.shutdown()
        raise SystemExit(f"summitbot: could not serve the web calendar: {exc}") from None
    await scheduler.start()
    _settle(store, extractor)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):
            pass
    status = 0
    try:
        if adapters:
            await stop.wait()
        else:
            print("summitbot console — type /summits help (Ctrl-D to quit)", file=stdout or sys.stdout)
            console_task = asyncio.create_task(repl(commands, stdin=stdin, stdout=stdout))
            stop_task = asyncio.create_task(stop.wait())
            await asyncio.wait({console_task, stop_task}, return_when=asyncio.FIRST_COMPLETED)
            for task in (console_task, stop_task):
                task.cancel()
            if console_task.done() and not console_task.cancelled():
                if console_task.exception() is not None:  # a bug, not an end of input: logged, status 1
                    log.error("the console stopped", exc_info=console_task.exception())
                    status = 1
                else:
                    session = console_task.result()
                    message = session.end_message()
                    if message:
                        print(message, file=stderr or sys.stderr)
                    status = session.exit_status
    finally:
        await scheduler.shutdown()
        if web_runner is not None:
            await web_runner.cleanup()
        for adapter in adapters:
            try:
                await adapter.stop()
            except Exception:
                log.exception("stopping %s failed", adapter.platform)
    return status
