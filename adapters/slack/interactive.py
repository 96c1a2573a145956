"""Slack's interactive parts: button clicks (block_actions), the subscribe modal, and the App Home tab.

A thin translator like the slash command: a click is acknowledged at once (Bolt's ack, well inside
Slack's three seconds) and a lazy listener runs the payload through :mod:`bot.commands.buttons`:

- *Previous*/*Next* replace the list they are on: through the ``response_url`` for an ephemeral
  message (Slack offers no other way to change one), ``chat.update`` for a message in the channel,
  ``views.publish`` in the App Home tab;
- *Details*, *Sources* and *Add to calendar* answer privately (a modal when clicked in the Home tab);
- *Subscribe to its leaders* changes the channel's settings, so, like the typed command, its success
  is answered in the channel; the same admin check applies.

``/summits subscribe`` with nothing after it opens a modal (``views.open``); its submission is checked
before it is acknowledged, and problems are shown beside the menus (``response_action: errors``).
``app_home_opened`` publishes the Home tab (``views.publish``) with the coming summits and the
workspace's subscriptions.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Mapping, Protocol

from slack_sdk.errors import SlackApiError, SlackClientError

from adapters.slack.render import ACTION_ID, render_reply
from adapters.slack.transport import api_error
from adapters.slack.views import (
    SLACK_CHANNEL,
    SUBSCRIBE_CALLBACK,
    home_view,
    reply_modal,
    submitted,
    subscribe_modal,
    subscription_errors,
)
from bot.actions import ActionError, decode
from bot.calendar_query import CalendarQuery
from bot.commands import Context
from bot.commands.buttons import act_async
from bot.reply import Reply
from bot.subscriptions import channels, subscriptions



class InteractiveHost(Protocol):
    """What the interactive listeners need of the adapter (adapters/slack/app.py)."""

    app: Any  # the Bolt AsyncApp
    client: Any  # its AsyncWebClient
    commands: Any  # bot.commands.Commands
    settings: Any  # bot.config.Settings
    admins: Any  # adapters.slack.admins.AdminCheck
    team_id: str | None

log = logging.getLogger(__name__)

LINK_BUTTON = re.compile(rf"^{re.escape(ACTION_ID)}\.link\.")
OUR_BUTTON = re.compile(rf"^{re.escape(ACTION_ID)}\.(?!link\.)")
MAX_LISTED_CHOICES = 100
NOT_ADMIN = "Only workspace admins (or the users listed in [slack] admins) can subscribe this channel."


def verb_of(payload: object) -> str | None:
    try:
        action = decode(payload)
    except ActionError:
        return None
    return action.inner.verb if action.verb == "post" and action.inner else action.verb


class SlackInteractions:
    """Registers the interactive listeners on the adapter's Bolt app and answers them."""

    def __init__(self, adapter: InteractiveHost):
        self.adapter = adapter
        app = adapter.app
        app.action(LINK_BUTTON)(self._ack_only)  # the link opens in the browser; Slack still tells us
        app.action(OUR_BUTTON)(ack=self._ack_only, lazy=[self._on_click])
        app.view_submission(SUBSCRIBE_CALLBACK)(self._on_submit)
        app.event("app_home_opened")(self._on_home_opened)

    @property
    def commands(self):
        return self.adapter.commands

    @property
    def client(self):
        return self.adapter.client

    async def _ack_only(self, ack) -> None:
        await ack()

    async def context(self, body: Mapping[str, Any], channel: str | None = None) -> Context:
        user = body.get("user") or {}
        team = (body.get("team") or {}).get("id") or user.get("team_id") or self.adapter.team_id or ""
        if channel is None:
            channel = str((body.get("channel") or {}).get("id") or "")
        user_id = str(user.get("id") or "")
        return Context(platform="slack", workspace=str(team), channel=channel, user=user_id,
                       is_admin=await self.adapter.admins.is_admin(str(team), user_id) if user_id else False)

    # -- buttons ------------------------------------------------------------------------------------

    async def _on_click(self, body: dict, respond) -> None:
        try:
            await self.click(body, respond)
        except Exception:
            log.exception("answering a button failed")

    async def click(self, body: Mapping[str, Any], respond) -> Reply:
        """Run the clicked button's payload and show the answer where it belongs; returns the Reply."""
        [action] = (body.get("actions") or [{}])[:1]
        payload = action.get("value")
        verb = verb_of(payload)
        container = body.get("container") or {}
        ctx = await self.context(body)
        if container.get("type") == "view":
            return await self._in_view(body, payload, verb, ctx)
        reply = await act_async(self.commands, payload, ctx)
        messages = render_reply(reply)
        if verb == "page" and reply.kind != "error":
            channel, ts = container.get("channel_id"), container.get("message_ts")
            if container.get("is_ephemeral") or not (channel and ts):
                await respond(**messages[0].payload(), replace_original=True)
            else:
                await self.client.chat_update(channel=channel, ts=ts, **messages[0].payload())
            return reply
        kind = "in_channel" if verb == "follow" and reply.kind != "error" else "ephemeral"
        for message in messages:
            await respond(**message.payload(), response_type=kind, replace_original=False)
        return reply

    async def _in_view(self, body: Mapping[str, Any], payload: object, verb: str | None, ctx: Context) -> Reply:
        """A button in the Home tab: a page republishes the tab, anything else opens a modal with the answer."""
        if verb == "follow":
            reply = Reply.error("Subscribe from a channel: this button has no channel here.")
        else:
            reply = await act_async(self.commands, payload, ctx)
        if verb == "page" and reply.kind != "error":
            await self.client.views_publish(user_id=ctx.user, view=home_view(reply, self.subscribed(ctx.workspace)))
        else:
            await self.client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=reply_modal(reply))
        return reply

    # -- the subscribe modal ------------------------------------------------------------------------

    def choices(self) -> tuple[list[str], list[str]]:
        query = CalendarQuery(self.commands.services.store)
        return query.leaders(limit=10_000), query.countries(limit=10_000)

    async def open_subscribe(self, command: Mapping[str, Any], ctx: Context, respond) -> Reply:
        """`/summits subscribe` alone: the modal for admins, the usual refusal for anyone else."""
        if not ctx.is_admin:
            reply = Reply.error("Only admins can use `/summits subscribe` here.")
        else:
            leaders, countries = self.choices()
            view = subscribe_modal(ctx.channel, leaders[:MAX_LISTED_CHOICES], countries[:MAX_LISTED_CHOICES],
                                   self.adapter.settings.lead)
            try:
                await self.client.views_open(trigger_id=str(command.get("trigger_id") or ""), view=view)
                return Reply(text="(the subscribe form was opened)")
            except (SlackApiError, SlackClientError) as exc:
                error = api_error(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
                log.warning("views.open for /summits subscribe failed: %s", error)
                reply = Reply.error(f"Slack did not open the subscribe form ({error}). Type the filters instead: "
                                    "`/summits subscribe who:NAME lead:7d,1d`, or `/summits subscribe all`.")
        await respond(**render_reply(reply)[0].payload(), response_type="ephemeral", replace_original=False)
        return reply

    async def _on_submit(self, ack, body: dict, view: dict) -> None:
        channel = str(view.get("private_metadata") or "")
        values = submitted(view)
        first = next((b.get("block_id") for b in view.get("blocks") or [] if b.get("type") == "input"), "kind")
        if not SLACK_CHANNEL.fullmatch(channel):
            await ack(response_action="errors", errors={first: "This form lost its channel: type /summits subscribe "
                                                                "again."})
            return
        ctx = await self.context(body, channel=channel)
        if not ctx.is_admin:
            await ack(response_action="errors", errors={first: NOT_ADMIN})
            return
        errors = subscription_errors(values, *self.choices())
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        reply = await self.commands.run_async("subscribe", values, ctx)
        if reply.kind == "error" or reply.text.startswith("This channel already has"):
            await ack(response_action="errors", errors={"lead" if reply.kind == "error" else first: reply.text[:300]})
            return
        await ack()
        for message in render_reply(reply):
            try:
                await self.client.chat_postMessage(channel=channel, unfurl_links=False, unfurl_media=False,
                                                   **message.payload())
            except (SlackApiError, SlackClientError) as exc:
                log.warning("could not post the new subscription to %s: %s", channel, exc)
                break

    # -- the App Home tab ---------------------------------------------------------------------------

    def subscribed(self, workspace: str) -> list[tuple[str, list[str]]]:
        """(channel id, its subscriptions described) for this workspace's channels that have any settings."""
        store = self.commands.services.store
        out = []
        for ch in channels(store):
            if ch.ref.platform == "slack" and ch.ref.workspace == workspace:
                out.append((ch.channel, [s.describe() for s in subscriptions(store, ch.id)]))
        return out

    async def _on_home_opened(self, event: dict, body: dict) -> None:
        if event.get("tab") != "home":
            return
        try:
            await self.publish_home(str(event.get("user") or ""), str(body.get("team_id") or self.adapter.team_id))
        except Exception:
            log.exception("publishing the App Home tab failed")

    async def publish_home(self, user: str, workspace: str) -> None:
        ctx = Context(platform="slack", workspace=workspace, channel="", user=user, is_admin=False)
        coming = await self.commands.run_async("upcoming", {}, ctx)
        await self.client.views_publish(user_id=user, view=home_view(coming, self.subscribed(workspace)))
