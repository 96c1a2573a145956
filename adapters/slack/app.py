"""The Slack adapter: `/summits` on a Bolt AsyncApp over Socket Mode or HTTP, deliveries via chat.postMessage.

A thin translator: a slash command is acknowledged at once (an empty ack, well inside Slack's
3 seconds); a Bolt lazy listener then builds the Context, runs the command through
:class:`bot.commands.Commands` and answers through the command's ``response_url``.

Visibility: lookups (upcoming, next, search, show), views of settings, help and errors are
ephemeral, seen only by whoever typed them, so a busy channel is not filled with lists. A
command that changed this channel's settings (subscribe, unsubscribe, digest, timezone ZONE) is
answered in the channel, so its members see that reminders were set up or changed, and by whom.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Mapping

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.admins import AdminCheck
from adapters.slack.http import refuse_malformed
from adapters.slack.interactive import SlackInteractions
from adapters.slack.render import render_reply
from adapters.slack.transport import ChannelPacer, SlackTransport, api_error, api_status, retry_handlers
from bot.commands import Commands, Context, changes_channel_settings, command_words
from bot.config import Settings
from bot.health import HEALTH_PATH, Health, health_handler
from bot.reply import Reply

log = logging.getLogger(__name__)

COMMAND = "/summits"
EVENTS_PATH = "/slack/events"
DEFAULT_API_URL = "https://slack.com/api/"
CONNECT_TIMEOUT = 30.0
STOP_GRACE = 5.0


class SlackStartError(RuntimeError):
    """Slack could not be started (bad token, unreachable API); the message says what to fix."""


def api_url(env: Mapping[str, str]) -> str:
    """SLACK_API_URL (tests point it at a stand-in) or Slack's; slack_sdk needs the trailing slash."""
    url = (env.get("SLACK_API_URL") or DEFAULT_API_URL).strip()
    return url if url.endswith("/") else url + "/"


def command_text(raw: str | None) -> str:
    """The text typed after /summits, with the &amp; &lt; &gt; entities Slack sends turned back into characters."""
    return (raw or "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").strip()


def response_type(text: str, reply: Reply) -> str:
    """``in_channel`` for a successful change of this channel's settings, ``ephemeral`` for anything else."""
    if reply.kind == "error" or reply.ephemeral:
        return "ephemeral"
    words = command_words(text)
    return "in_channel" if words and changes_channel_settings(words[0], len(words) > 1) else "ephemeral"


class SlackAdapter:
    """Serves /summits on one Slack workspace and provides the "slack" Transport for deliveries."""

    platform = "slack"

    def __init__(self, commands: Commands, settings: Settings, env: Mapping[str, str], *,
                 host: str = "0.0.0.0", sleep: Callable[[float], Awaitable[None]] | None = None,
                 monotonic: Callable[[], float] | None = None):
        if not self.enabled(env):
            raise SlackStartError("Slack needs SLACK_BOT_TOKEN and either SLACK_APP_TOKEN (Socket Mode) "
                                  "or SLACK_SIGNING_SECRET (HTTP)")
        self.commands = commands
        self.settings = settings
        self.host = host
        self.app_token = env.get("SLACK_APP_TOKEN") or None
        self.port: int | None = None  # the bound HTTP port once started (settings.slack_port may be 0)
        self.team_id: str | None = None
        self.bot_user_id: str | None = None
        self.client = AsyncWebClient(token=env["SLACK_BOT_TOKEN"], base_url=api_url(env),
                                     retry_handlers=retry_handlers(sleep))
        self.transport = SlackTransport(self.client, pacer=ChannelPacer(monotonic=monotonic, sleep=sleep))
        self.admins = AdminCheck(self.client, settings.slack_admins, monotonic=monotonic)
        self.app = AsyncApp(
            client=self.client,
            signing_secret=env.get("SLACK_SIGNING_SECRET") or None,
            # Socket Mode requests come over our own authenticated websocket and carry no signature.
            request_verification_enabled=not self.socket_mode,
        )
        self.app.command(COMMAND)(ack=self._ack, lazy=[self._answer])
        self.interactions = SlackInteractions(self)  # buttons, the subscribe modal, the App Home tab
        self._runner: web.AppRunner | None = None
        self._socket: AsyncSocketModeHandler | None = None
        self._inflight: set[asyncio.Task] = set()
        self.health: Health | None = None  # set by the runner: served at /healthz in HTTP mode

    @staticmethod
    def enabled(env: Mapping[str, str]) -> bool:
        """A bot token, plus an app token (Socket Mode) or a signing secret (HTTP)."""
        return bool(env.get("SLACK_BOT_TOKEN") and (env.get("SLACK_APP_TOKEN") or env.get("SLACK_SIGNING_SECRET")))

    @property
    def socket_mode(self) -> bool:
        return bool(self.app_token)

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Check the bot token (auth.test), then connect Socket Mode or listen on HTTP; returns once ready."""
        try:
            auth = await self.client.auth_test()
        except SlackApiError as exc:
            raise SlackStartError(f"SLACK_BOT_TOKEN was refused by {self.client.base_url}auth.test: "
                                  f"{api_error(exc) or f'HTTP {api_status(exc)}'}") from exc
        except (SlackClientError, OSError, asyncio.TimeoutError, ValueError) as exc:
            raise SlackStartError(f"cannot reach the Slack API at {self.client.base_url}: {exc}") from exc
        self.team_id, self.bot_user_id = auth.get("team_id"), auth.get("user_id")
        log.info("Slack bot %s in workspace %s (%s)", self.bot_user_id, auth.get("team"), self.team_id)
        if self.socket_mode:
            await self._start_socket_mode()
        else:
            await self._start_http()

    async def _start_socket_mode(self) -> None:
        assert self.app_token
        try:
            url = (await self.client.apps_connections_open(app_token=self.app_token))["url"]
        except SlackApiError as exc:
            raise SlackStartError(f"SLACK_APP_TOKEN was refused by apps.connections.open: "
                                  f"{api_error(exc) or f'HTTP {api_status(exc)}'} (it needs the connections:write "
                                  f"scope)") from exc
        self._socket = AsyncSocketModeHandler(self.app, self.app_token, web_client=self.client)
        self._socket.client.wss_uri = url  # the URL just issued: a bad app token failed above, not in a retry loop
        try:
            await asyncio.wait_for(self._socket.connect_async(), CONNECT_TIMEOUT)
        except asyncio.TimeoutError:
            await self._socket.close_async()
            self._socket = None
            raise SlackStartError(f"could not open the Socket Mode websocket within {CONNECT_TIMEOUT:.0f}s") from None
        log.info("Slack Socket Mode connected")

    async def _start_http(self) -> None:
        server = self.app.server(port=self.settings.slack_port, path=EVENTS_PATH, host=self.host)
        server.web_app.middlewares.append(refuse_malformed(EVENTS_PATH))
        server.web_app.router.add_get(HEALTH_PATH, health_handler(self.health))
        self._runner = web.AppRunner(server.web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.settings.slack_port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            raise SlackStartError(f"cannot listen on port {self.settings.slack_port}: {exc}") from exc
        self.port = self._runner.addresses[0][1]
        log.info("Slack HTTP endpoint listening on %s:%s%s (health at %s)", self.host, self.port, EVENTS_PATH,
                 HEALTH_PATH)

    async def connection_problem(self) -> str | None:
        """For /healthz: None while Slack can reach us (the Socket Mode websocket is up, or the HTTP endpoint
        listens), else what is wrong."""
        if self.socket_mode:
            if self._socket is None:
                return "Socket Mode not connected"
            if not await self._socket.client.is_connected():
                return "Socket Mode websocket disconnected (reconnecting)"
            return None
        return None if self._runner is not None else "HTTP endpoint not listening"

    async def stop(self) -> None:
        """Stop listening, let answers in progress finish (briefly), close the connections."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._inflight:
            done, pending = await asyncio.wait(set(self._inflight), timeout=STOP_GRACE)
            for task in pending:
                task.cancel()

    # -- /summits ---------------------------------------------------------------------------------

    async def _ack(self, ack) -> None:
        """Acknowledge at once; the answer follows from the lazy listener."""
        await ack()

    async def _answer(self, command: dict, respond) -> None:
        """Run the command and post its reply to the response_url (the lazy half of the listener)."""
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            await self.handle_command(command, respond)
        except Exception:
            log.exception("answering /summits %r failed", command.get("text"))
        finally:
            if task is not None:
                self._inflight.discard(task)

    async def context_for(self, command: Mapping[str, Any]) -> Context:
        """Where and by whom the command was typed; is_admin from the config list or users.info."""
        team, user = str(command.get("team_id") or ""), str(command.get("user_id") or "")
        return Context(platform=self.platform, workspace=team, channel=str(command.get("channel_id") or ""),
                       user=user, is_admin=await self.admins.is_admin(team, user) if user else False)

    async def handle_command(self, command: Mapping[str, Any], respond) -> Reply:
        """Parse → Commands → render → respond; returns the Reply (for logs and tests)."""
        text = command_text(command.get("text"))
        ctx = await self.context_for(command)
        if [w.lower() for w in command_words(text)] in (["subscribe"], ["sub"]):
            return await self.interactions.open_subscribe(command, ctx, respond)  # the form, for admins
        reply = await self.commands.handle_async(text, ctx)  # slow work in a worker thread, the database here
        kind = response_type(text, reply)
        log.debug("/summits %r by %s in %s -> %s (%s)", text, ctx.user, ctx.channel, reply.kind, kind)
        for message in render_reply(reply):
            response = await respond(**message.payload(), response_type=kind, replace_original=False,
                                     unfurl_links=False, unfurl_media=False)
            status = getattr(response, "status_code", 200)
            if status >= 300:
                log.warning("response_url answered %s for /summits %r: %s", status, text,
                            getattr(response, "body", ""))
                break
        return reply
