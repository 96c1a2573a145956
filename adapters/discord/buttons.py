"""A Reply's actions (bot/actions.py) as a discord.ui.View, and what a click on one does.

A reply about one summit gets a row of buttons (Details, Sources, Add to calendar, Subscribe to its
leaders). A list gets one menu per action, each offering the listed summits (25 buttons a message
would not fit ten summits), then a row with Previous, Next and, on a private answer, "Post to
channel". Every component's ``custom_id`` (or a menu option's value) is the action's payload, so the
click is answered by :func:`bot.commands.buttons.act_async` like on Slack.

The view lives for :data:`VIEW_TIMEOUT` seconds; then its components are taken off the message, so
nobody clicks a button the bot no longer listens to. Option labels, which quote article titles, are
plain text in Discord (no markdown, no mentions) and are cut to its 100 characters.
"""

from __future__ import annotations

import io
import logging
from typing import Callable, Protocol

import discord

from adapters.discord.render import neutralize_mentions
from bot.actions import LABELS, MEETING_VERBS, Action, post_action
from bot.format import kind_label, single_line
from bot.models import MeetingRecord
from bot.reply import Reply



class ClickRunner(Protocol):
    """What a button needs of the slash-command bridge (adapters/discord/slash.py): to run a click."""

    async def click(self, interaction: discord.Interaction, payload: str) -> None: ...

log = logging.getLogger(__name__)

VIEW_TIMEOUT = 600.0  # seconds; an interaction's token (to edit the message) lasts 15 minutes
MAX_OPTIONS = 25
OPTION_LABEL = 100
LINK_URL = 512  # Discord's limit on a link button's url
MENU_ID = "summitbot:menu:"  # a menu's custom_id: this and the verb


def option_label(rec: MeetingRecord) -> str:
    """'#3 Bilateral meeting: Donald Trump – Lee Jae-myung', one line, no mention, at most 100 characters."""
    return neutralize_mentions(single_line(f"#{rec.id} {kind_label(rec.kind)}: {rec.title}"))[:OPTION_LABEL]


class ActionButton(discord.ui.Button):
    def __init__(self, action: Action, bridge: ClickRunner, row: int | None = None):
        style = discord.ButtonStyle.primary if action.label == "Next" else discord.ButtonStyle.secondary
        super().__init__(label=action.label, custom_id=action.encode(), style=style, row=row)
        self.bridge = bridge

    async def callback(self, interaction: discord.Interaction) -> None:
        await self.bridge.click(interaction, self.custom_id)


class ActionMenu(discord.ui.Select):
    """One action ("Details", "Sources", …) for any of the listed summits."""

    def __init__(self, verb: str, options: list[discord.SelectOption], bridge: ClickRunner, row: int):
        super().__init__(custom_id=MENU_ID + verb, placeholder=f"{LABELS[verb]}…", options=options, row=row)
        self.bridge = bridge

    async def callback(self, interaction: discord.Interaction) -> None:
        await self.bridge.click(interaction, self.values[0] if self.values else "")


class SummitView(discord.ui.View):
    """The components of one answer; removed from its message when the view times out."""

    def __init__(self, timeout: float | None = VIEW_TIMEOUT):
        super().__init__(timeout=timeout)
        self.message: discord.Message | discord.WebhookMessage | None = None
        self.edit_original: Callable | None = None  # an interaction's edit_original_response, for an answer

    async def on_timeout(self) -> None:
        try:
            if self.message is not None:
                await self.message.edit(view=None)
            elif self.edit_original is not None:
                await self.edit_original(view=None)
        except discord.HTTPException:
            log.info("could not take the buttons off an expired answer", exc_info=True)


def build_view(reply: Reply, bridge: ClickRunner, *, private: bool) -> SummitView | None:
    """The view for a reply, or None when it offers nothing to click."""
    view = SummitView()
    row = 0
    if len(reply.meetings) == 1:
        for action in reply.actions_for(reply.meetings[0]):
            view.add_item(ActionButton(action, bridge, row=0))
        row = 1 if view.children else 0
    elif reply.meetings:
        for verb in MEETING_VERBS:
            options = [discord.SelectOption(label=option_label(rec), value=action.encode())
                       for rec in reply.meetings[:MAX_OPTIONS]
                       for action in reply.actions_for(rec) if action.verb == verb]
            if options:
                view.add_item(ActionMenu(verb, options, bridge, row=row))
                row += 1
    last = min(row, 4)
    for action in reply.actions:
        if action.is_link:
            if action.url and len(action.url) <= LINK_URL:
                view.add_item(discord.ui.Button(label=action.label, url=action.url, row=last))
        elif action.fits():
            view.add_item(ActionButton(action, bridge, row=last))
    if private and reply.again is not None and reply.kind != "error":
        post = post_action(reply.again)
        if post.fits():
            view.add_item(ActionButton(post, bridge, row=last))
    return view if view.children else None


def long_links(reply: Reply) -> list[tuple[str, str]]:
    """Link actions too long for a button: shown as links in the embed instead."""
    return [(a.label, a.url) for a in reply.actions if a.is_link and a.url and len(a.url) > LINK_URL]


def attachment(reply: Reply) -> list[discord.File]:
    if reply.attachment is None:
        return []
    name, data = reply.attachment
    return [discord.File(io.BytesIO(data), filename=name)]
