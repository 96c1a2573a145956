"""The /summits slash-command group: typed, described options translated onto Commands.run_async."""

from __future__ import annotations

import logging
import zoneinfo
from functools import lru_cache
from typing import Any, Optional

import discord
from discord import app_commands

from adapters.discord.buttons import attachment, build_view, long_links
from adapters.discord.render import masked_link, render_reply
from bot.actions import ActionError, decode
from bot.calendar_query import CalendarQuery
from bot.commands import REGISTRY, Commands, Context, changes_channel_settings, changes_feeds
from bot.commands.buttons import act_async
from bot.config import Settings
from bot.format import kind_label
from bot.models import CERTAINTIES, KINDS
from bot.reply import Reply
from bot.names import name_key

log = logging.getLogger(__name__)

NO_MENTIONS = discord.AllowedMentions.none()
MAX_CHOICES = 25  # Discord's cap on autocomplete suggestions
CHOICE_LIMIT = 100  # a choice's name and value are at most 100 characters
URL_LIMIT = 2000
ANSWERED_AT_ONCE = frozenset({"help"})  # no database work: answered without deferring


def who_suggestions(names: list[str], current: str, limit: int = MAX_CHOICES) -> list[str]:
    """Names whose whole form or any word starts with what was typed ('lee', 'jae' -> 'Lee Jae-myung')."""
    typed = name_key(current)
    out = []
    for name in names:
        if len(name) > CHOICE_LIMIT:
            continue
        key = name_key(name)
        if not typed or key.startswith(typed) or any(word.startswith(typed) for word in key.split()):
            out.append(name)
            if len(out) >= limit:
                break
    return out


@lru_cache(maxsize=1)
def _zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def zone_suggestions(current: str, limit: int = MAX_CHOICES) -> list[str]:
    """IANA zones whose name or any of its parts starts with what was typed ('seo' -> 'Asia/Seoul')."""
    typed = current.strip().lower().replace(" ", "_")
    out = []
    for zone in _zones():
        low = zone.lower()
        if not typed or low.startswith(typed) or any(part.startswith(typed) for part in low.split("/")):
            out.append(zone)
            if len(out) >= limit:
                break
    return out


def needs_admin(name: str, options: dict[str, Any]) -> bool:
    """Admin commands (ingest), changes of this channel's settings (timezone with a zone too) and changes of
    the feeds followed need Manage Server."""
    spec = REGISTRY.get(name)
    words = str(options.get("_") or "").split()
    return ((spec is not None and spec.admin) or changes_channel_settings(name, bool(words))
            or changes_feeds(name, words))


class CommandBridge:
    """Turns an interaction into a Context and a Commands.run_async call, and the Reply into embeds."""

    def __init__(self, commands: Commands, settings: Settings):
        self.commands = commands
        self.settings = settings
        self.offered: frozenset[str] = frozenset()  # the subcommands registered, set by SummitsGroup

    def is_admin(self, interaction: discord.Interaction) -> bool:
        """Manage Server (or Administrator) in this guild, or listed in settings.discord_admins."""
        if str(interaction.user.id) in self.settings.discord_admins:
            return True
        perms = interaction.permissions  # resolved by Discord for this member in this channel
        if perms.manage_guild or perms.administrator:
            return True
        user = interaction.user
        return isinstance(user, discord.Member) and user.guild_permissions.manage_guild

    def context(self, interaction: discord.Interaction) -> Context:
        return Context(
            platform="discord",
            workspace=str(interaction.guild_id) if interaction.guild_id else "dm",
            channel=str(interaction.channel_id),
            user=str(interaction.user.id),
            is_admin=self.is_admin(interaction),
            offered=self.offered,
        )

    def who_choices(self, current: str) -> list[str]:
        return who_suggestions(self.commands.services.store.participant_names(), current)

    def country_choices(self, current: str) -> list[str]:
        return who_suggestions(CalendarQuery(self.commands.services.store).countries(limit=10_000), current)

    async def run(self, interaction: discord.Interaction, name: str, options: dict[str, Any]) -> None:
        """Check, defer when the command touches the database, run it (its slow work off the loop), and answer.

        Lookups are private (only the member who asked sees them, with a "Post to channel" button);
        a change of the channel's settings, of the feeds, or an ingest is answered in the channel.
        """
        ctx = self.context(interaction)
        admin_only = needs_admin(name, options)
        if admin_only and not ctx.is_admin:
            await self.respond(interaction, Reply.error(
                f"Only members with the Manage Server permission can use `/summits {name}`."))
            return
        private = not admin_only
        if name in ANSWERED_AT_ONCE:
            await self.respond(interaction, await self.commands.run_async(name, options, ctx), private=private)
            return
        # Defer before any database work so the 3-second deadline can never pass unanswered.
        await interaction.response.defer(thinking=True, ephemeral=private)
        reply = await self.commands.run_async(name, options, ctx)
        await self.respond(interaction, reply, deferred=True, private=private, deferred_private=private)

    async def respond(self, interaction: discord.Interaction, reply: Reply, *, deferred: bool = False,
                      private: bool | None = None, deferred_private: bool = False) -> None:
        """Send a Reply as the interaction's answer (or followups), split into as many messages as it needs.

        The last message carries the reply's buttons (a view with a timeout), and an attachment if any.
        """
        private = reply.ephemeral or reply.kind == "error" if private is None else private or reply.kind == "error"
        messages = render_reply(reply)
        extra = long_links(reply)
        if extra:
            messages[-1].append(discord.Embed(description="\n".join(masked_link(label, url) for label, url in extra)))
        view = build_view(reply, self, private=private)
        files = attachment(reply)
        for i, embeds in enumerate(messages):
            last = i == len(messages) - 1
            extras = {"view": view} if last and view is not None else {}
            if last and files:
                extras["files"] = files
            if i == 0 and not deferred:
                await interaction.response.send_message(embeds=embeds, ephemeral=private,
                                                        allowed_mentions=NO_MENTIONS, **extras)
                if view is not None and last:
                    view.edit_original = interaction.edit_original_response
                continue
            if i == 0 and private and not deferred_private:
                # A public "thinking…" placeholder cannot turn private: remove it, then answer privately.
                await interaction.delete_original_response()
            message = await interaction.followup.send(embeds=embeds, ephemeral=private, wait=True,
                                                      allowed_mentions=NO_MENTIONS, **extras)
            if view is not None and last:
                view.message = message

    async def click(self, interaction: discord.Interaction, payload: str) -> None:
        """A button or menu choice: run its payload and answer where it belongs."""
        try:
            action = decode(payload)
        except ActionError:
            action = None
        verb = action.verb if action is not None else None
        ctx = self.context(interaction)
        if verb == "page":
            await interaction.response.defer()  # the list itself turns the page
            reply = await act_async(self.commands, payload, ctx)
            if reply.kind != "error":
                private = bool(interaction.message and interaction.message.flags.ephemeral)
                view = build_view(reply, self, private=private)
                [embeds, *_] = render_reply(reply)
                await interaction.edit_original_response(embeds=embeds, view=view)
                if view is not None:
                    view.edit_original = interaction.edit_original_response
                return
            await interaction.followup.send(embeds=render_reply(reply)[0], ephemeral=True,
                                            allowed_mentions=NO_MENTIONS)
            return
        public = verb in ("post", "follow")  # a post, and a change of the channel's settings, are for everyone
        await interaction.response.defer(thinking=True, ephemeral=not public)
        reply = await act_async(self.commands, payload, ctx)
        await self.respond(interaction, reply, deferred=True, private=not public, deferred_private=not public)


def _choices(values: list[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=v, value=v) for v in values]


KIND_CHOICES = [app_commands.Choice(name=kind_label(k), value=k) for k in KINDS]


def kind_suggestions(current: str) -> list[app_commands.Choice[str]]:
    """The kinds whose name or label has a word starting with what was typed ('call' -> Phone call)."""
    typed = current.strip().lower()
    return [c for c in KIND_CHOICES
            if not typed or any(w.startswith(typed) for w in f"{c.name} {c.value}".lower().replace("_", " ").split())]
CERTAINTY_CHOICES = [app_commands.Choice(name=c, value=c) for c in CERTAINTIES]
Name = app_commands.Range[str, 1, CHOICE_LIMIT]


class SummitsGroup(app_commands.Group):
    """/summits and its subcommands, one per command of the command layer, named as there."""

    def __init__(self, bridge: CommandBridge):
        super().__init__(name="summits", description="Upcoming diplomatic summits found in the news",
                         guild_only=True)
        self.bridge = bridge
        # Help lists exactly what is registered here, so it cannot offer a command Discord does not show.
        bridge.offered = frozenset(command.name for command in self.commands)

    async def who_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _choices(self.bridge.who_choices(current))

    async def zone_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return _choices(zone_suggestions(current))

    async def country_autocomplete(self, interaction: discord.Interaction,
                                   current: str) -> list[app_commands.Choice[str]]:
        return _choices(self.bridge.country_choices(current))

    async def kind_autocomplete(self, interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
        return kind_suggestions(current)

    @app_commands.command(name="upcoming", description="Summits in the coming days.")
    @app_commands.describe(days="How many days ahead (default 30)", who="Only meetings of this leader")
    @app_commands.autocomplete(who=who_autocomplete)
    async def upcoming(self, interaction: discord.Interaction,
                       days: Optional[app_commands.Range[int, 1, 3660]] = None, who: Optional[Name] = None) -> None:
        await self.bridge.run(interaction, "upcoming", {"days": days, "who": who})

    @app_commands.command(name="next", description="The next meeting of a leader.")
    @app_commands.describe(who="The leader, e.g. Lee Jae-myung")
    @app_commands.autocomplete(who=who_autocomplete)
    async def next_(self, interaction: discord.Interaction, who: Name) -> None:
        await self.bridge.run(interaction, "next", {"who": who})

    @app_commands.command(name="search", description="Find summits by name, place or participant.")
    @app_commands.describe(query="Words to look for, e.g. APEC or Gyeongju")
    async def search(self, interaction: discord.Interaction, query: app_commands.Range[str, 1, 200]) -> None:
        await self.bridge.run(interaction, "search", {"_": query})

    @app_commands.command(name="show", description="One summit in detail, with its sources and history.")
    @app_commands.rename(meeting="id")
    @app_commands.describe(meeting="The summit's number, as listed by /summits upcoming")
    async def show(self, interaction: discord.Interaction, meeting: app_commands.Range[int, 1]) -> None:
        await self.bridge.run(interaction, "show", {"id": meeting})

    @app_commands.command(name="subscribe", description="Post reminders for upcoming summits in this channel.")
    @app_commands.rename(minimum="min")
    @app_commands.describe(who="Only meetings of this leader", country="Only meetings involving this country",
                           kind="Only this kind of meeting", minimum="Only meetings at least this certain",
                           lead="When to remind before a meeting, e.g. 7d,1d")
    @app_commands.choices(minimum=CERTAINTY_CHOICES)
    @app_commands.autocomplete(who=who_autocomplete, country=country_autocomplete, kind=kind_autocomplete)
    async def subscribe(self, interaction: discord.Interaction, who: Optional[Name] = None,
                        country: Optional[Name] = None, kind: Optional[Name] = None,
                        minimum: Optional[str] = None, lead: Optional[app_commands.Range[str, 1, 50]] = None) -> None:
        await self.bridge.run(interaction, "subscribe",
                              {"who": who, "country": country, "kind": kind, "min": minimum, "lead": lead})

    @app_commands.command(name="unsubscribe", description="Remove one of this channel's subscriptions, or all.")
    @app_commands.rename(subscription="id")
    @app_commands.describe(subscription="A subscription number from /summits subscriptions, or all")
    async def unsubscribe(self, interaction: discord.Interaction,
                          subscription: app_commands.Range[str, 1, 20]) -> None:
        await self.bridge.run(interaction, "unsubscribe", {"_": subscription})

    @app_commands.command(name="subscriptions", description="This channel's subscriptions and settings.")
    async def subscriptions(self, interaction: discord.Interaction) -> None:
        await self.bridge.run(interaction, "subscriptions", {})

    @app_commands.command(name="digest", description="A daily or weekly digest of upcoming summits here, or none.")
    @app_commands.describe(schedule="daily 08:00, weekly mon 08:00, or off")
    async def digest(self, interaction: discord.Interaction, schedule: app_commands.Range[str, 1, 50]) -> None:
        await self.bridge.run(interaction, "digest", {"_": schedule})

    @app_commands.command(name="timezone", description="Show or set this channel's time zone.")
    @app_commands.describe(zone="An IANA time zone, e.g. Asia/Seoul (leave out to see the current one)",
                           at="Local time for reminders of date-only summits, e.g. 8am or 20:00")
    @app_commands.autocomplete(zone=zone_autocomplete)
    async def timezone(self, interaction: discord.Interaction, zone: Optional[Name] = None,
                       at: Optional[app_commands.Range[str, 4, 5]] = None) -> None:
        await self.bridge.run(interaction, "timezone", {"_": " ".join(x for x in (zone, at) if x)})

    @app_commands.command(name="calendar", description="This channel's own .ics and Atom feeds of the summits it follows.")
    @app_commands.describe(rotate="Give the feeds new addresses (admins); the old ones stop working")
    async def calendar(self, interaction: discord.Interaction, rotate: bool = False) -> None:
        await self.bridge.run(interaction, "calendar", {"_": "rotate" if rotate else ""})

    feeds = app_commands.Group(name="feeds", description="The news feeds read for summits.")

    @feeds.command(name="list", description="The feeds followed, and how each is doing.")
    async def feeds_list(self, interaction: discord.Interaction) -> None:
        await self.bridge.run(interaction, "feeds", {"_": "list"})

    @feeds.command(name="add", description="Follow an RSS or Atom feed and read its news for summits.")
    @app_commands.describe(url="The feed's address, http:// or https://",
                           every="How often to read it, from 5m to 7d, e.g. 30m or 2h")
    async def feeds_add(self, interaction: discord.Interaction, url: app_commands.Range[str, 1, URL_LIMIT],
                        every: Optional[app_commands.Range[str, 1, 20]] = None) -> None:
        await self.bridge.run(interaction, "feeds", {"_": f"add {url}", "every": every})

    @feeds.command(name="remove", description="Stop following a feed.")
    @app_commands.rename(feed="id")
    @app_commands.describe(feed="The feed's number, as listed by /summits feeds list")
    async def feeds_remove(self, interaction: discord.Interaction, feed: app_commands.Range[int, 1]) -> None:
        await self.bridge.run(interaction, "feeds", {"_": f"remove {feed}"})

    @feeds.command(name="resume", description="Read a paused feed again.")
    @app_commands.rename(feed="id")
    @app_commands.describe(feed="The feed's number, as listed by /summits feeds list")
    async def feeds_resume(self, interaction: discord.Interaction, feed: app_commands.Range[int, 1]) -> None:
        await self.bridge.run(interaction, "feeds", {"_": f"resume {feed}"})

    @app_commands.command(name="ingest", description="Read a news article from the web now and add its summits.")
    @app_commands.describe(url="The article's address, http:// or https://")
    async def ingest(self, interaction: discord.Interaction, url: app_commands.Range[str, 1, URL_LIMIT]) -> None:
        await self.bridge.run(interaction, "ingest", {"_": url})

    @app_commands.command(name="help", description="What summitbot can do.")
    async def help_(self, interaction: discord.Interaction) -> None:
        await self.bridge.run(interaction, "help", {})
