"""The Discord adapter: a discord.py client serving /summits, and the transport the scheduler posts with."""

from __future__ import annotations

import asyncio
import logging
from typing import Awaitable, Callable, Mapping
from urllib.parse import urlsplit

import discord
import yarl
from discord import app_commands

from adapters.discord.render import render_reply
from adapters.discord.slash import NO_MENTIONS, CommandBridge, SummitsGroup
from adapters.discord.transport import DiscordTransport
from bot.commands import Commands
from bot.config import ConfigError, Settings
from bot.reply import Reply

log = logging.getLogger(__name__)

OnReady = Callable[[], Awaitable[None]]


def client_intents() -> discord.Intents:
    """Guilds only: slash commands need no privileged intent (no members, presences or message content)."""
    intents = discord.Intents.none()
    intents.guilds = True
    return intents


def apply_endpoints(env: Mapping[str, str]) -> None:
    """Point discord.py at DISCORD_API_BASE_URL / DISCORD_GATEWAY_URL when set (process-wide, before login)."""
    api = (env.get("DISCORD_API_BASE_URL") or "").strip().rstrip("/")
    if api:
        if urlsplit(api).scheme not in ("http", "https"):
            raise ConfigError(f"DISCORD_API_BASE_URL must be an http(s) URL such as https://discord.com/api/v10, "
                              f"got {api!r}")
        discord.http.Route.BASE = api
    gateway = (env.get("DISCORD_GATEWAY_URL") or "").strip()
    if gateway:
        if urlsplit(gateway).scheme not in ("ws", "wss"):
            raise ConfigError(f"DISCORD_GATEWAY_URL must be a ws(s) URL such as wss://gateway.discord.gg/, "
                              f"got {gateway!r}")
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway)


def sync_guild_id(env: Mapping[str, str]) -> int | None:
    """DISCORD_GUILD_ID as an int (commands then sync to that guild only, instantly), or None for global."""
    raw = (env.get("DISCORD_GUILD_ID") or "").strip()
    if not raw:
        return None
    # A snowflake: 64 bits whose top 42 are milliseconds since 2015; every real id has 17 to 20 digits.
    if not (raw.isascii() and raw.isdigit() and 17 <= len(raw) <= 20 and int(raw) < 2 ** 64):
        raise ConfigError(f"DISCORD_GUILD_ID must be a server id of 17 to 20 digits (Developer Mode, then "
                          f"right-click the server, Copy Server ID), got {raw!r}")
    return int(raw)


class SummitTree(app_commands.CommandTree):
    """The command tree; every unexpected failure of a /summits command ends here."""

    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.qualified_name if interaction.command else "?"
        if isinstance(error, app_commands.CommandInvokeError):
            log.error("/%s failed", name, exc_info=error.original)
            reply = Reply.error("Sorry, something went wrong running that command. It has been logged.")
        elif isinstance(error, app_commands.CommandNotFound):
            log.warning("unknown command %s: the synced commands are out of date", error.name)
            reply = Reply.error("That command is out of date. Discord will refresh it shortly; try again then.")
        else:
            log.warning("/%s rejected: %s", name, error)
            reply = Reply.error(str(error))
        embeds = render_reply(reply)[0]
        try:
            if interaction.response.is_done():
                await interaction.followup.send(embeds=embeds, ephemeral=True, allowed_mentions=NO_MENTIONS)
            else:
                await interaction.response.send_message(embeds=embeds, ephemeral=True, allowed_mentions=NO_MENTIONS)
        except discord.HTTPException:
            log.warning("could not report the failure of /%s to the user", name, exc_info=True)


class SummitClient(discord.Client):
    """discord.py client: services come in through the constructor and are wired in setup_hook."""

    def __init__(self, bridge: CommandBridge, *, sync_guild: int | None = None,
                 on_ready_once: OnReady | None = None, **options):
        super().__init__(intents=client_intents(), allowed_mentions=NO_MENTIONS,
                         max_ratelimit_timeout=30.0,  # longer rate limits surface as errors, not stalls
                         **options)
        self.bridge = bridge
        self.sync_guild = sync_guild
        self.tree = SummitTree(self)
        self._on_ready_once = on_ready_once
        self._first_ready_seen = False
        self.ready_count = 0
        self._ready_changed = asyncio.Condition()

    async def setup_hook(self) -> None:
        self.tree.add_command(SummitsGroup(self.bridge))
        try:
            await self.sync_commands()
        except (discord.HTTPException, OSError, asyncio.TimeoutError):
            # Reminders still work; Discord keeps serving the commands of the last successful sync.
            log.exception("syncing the /summits commands failed")

    async def sync_commands(self) -> list[app_commands.AppCommand]:
        """Upload /summits: to DISCORD_GUILD_ID when set (instant, for development), globally otherwise."""
        if self.sync_guild is not None:
            guild = discord.Object(id=self.sync_guild)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
            log.info("synced %d command(s) to guild %s", len(synced), self.sync_guild)
        else:
            synced = await self.tree.sync()
            log.info("synced %d command(s) globally", len(synced))
        return synced

    async def on_ready(self) -> None:
        # READY comes again after a session that could not be resumed: start things only the first time.
        first = not self._first_ready_seen
        self._first_ready_seen = True
        log.info("Discord gateway ready as %s (%s)", self.user, "first time" if first else "again")
        if first and self._on_ready_once is not None:
            try:
                await self._on_ready_once()
            except Exception:
                log.exception("on_ready_once failed")
        async with self._ready_changed:
            self.ready_count += 1
            self._ready_changed.notify_all()

    async def on_resumed(self) -> None:
        log.info("Discord gateway session resumed")

    async def wait_ready_count(self, count: int) -> None:
        """Wait until on_ready has finished ``count`` times (1 = the first connection)."""
        async with self._ready_changed:
            await self._ready_changed.wait_for(lambda: self.ready_count >= count)


class DiscordAdapter:
    """What the runner starts: login, command sync, the gateway in a background task, and a Transport."""

    platform = "discord"

    def __init__(self, commands: Commands, settings: Settings, env: Mapping[str, str],
                 on_ready_once: OnReady | None = None, *, guild_ready_timeout: float | None = None):
        self.env = dict(env)
        options = {} if guild_ready_timeout is None else {"guild_ready_timeout": guild_ready_timeout}
        self.client = SummitClient(CommandBridge(commands, settings), sync_guild=sync_guild_id(self.env),
                                   on_ready_once=on_ready_once, **options)
        self.transport = DiscordTransport(self.client)
        self._gateway: asyncio.Task | None = None

    @staticmethod
    def enabled(env: Mapping[str, str]) -> bool:
        return bool((env.get("DISCORD_TOKEN") or "").strip())

    async def start(self) -> None:
        """Log in and sync commands (raising discord.LoginFailure on a bad token), then connect in the background."""
        if not self.enabled(self.env):
            raise ConfigError("DISCORD_TOKEN is not set")
        apply_endpoints(self.env)
        try:
            await self.client.login(self.env["DISCORD_TOKEN"].strip())
        except BaseException:
            await self.client.close()
            raise
        self._gateway = asyncio.create_task(self._serve(), name="discord-gateway")

    async def _serve(self) -> None:
        try:
            await self.client.connect(reconnect=True)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("the Discord gateway connection ended")

    async def connection_problem(self) -> str | None:
        """For /healthz: None while the gateway session is up, else what is wrong."""
        if self._gateway is None or self._gateway.done():
            return "gateway not running"
        if self.client.is_closed():
            return "client closed"
        if not self.client.is_ready():
            return "gateway not ready yet"
        ws = self.client.ws
        if ws is None or not ws.open:
            return "gateway disconnected (reconnecting)"
        return None

    async def stop(self) -> None:
        await self.client.close()
        task, self._gateway = self._gateway, None
        if task is not None:
            try:
                await asyncio.wait_for(task, timeout=10)
            except (asyncio.TimeoutError, asyncio.CancelledError):
                pass
