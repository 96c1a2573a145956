"""`/summits calendar [rotate]`: this channel's own calendar feeds, behind a secret token (bot/channel_feeds.py)."""

from __future__ import annotations

from datetime import timezone

from bot.channel_feeds import feed_token, rotate_feed_token
from bot.commands.core import Args, CommandError, Context, Services, command
from bot.reply import Reply
from bot.subscriptions import ensure_channel, reactivate_channel, subscriptions
from bot.transport import ChannelRef

CALENDAR_USAGE = "/summits calendar [rotate]"


@command("calendar", usage=CALENDAR_USAGE,
         summary="This channel's own feeds (.ics and Atom) of the summits it subscribes to; admins can rotate them.")
def calendar(services: Services, ctx: Context, args: Args) -> Reply:
    words = [w.lower() for w in args.positional]
    if words not in ([], ["rotate"]):
        raise CommandError(f"I don't understand `{args.text()}`. Usage: `{args.usage()}`")
    now = services.now().astimezone(timezone.utc)
    channel = ensure_channel(services.store, ChannelRef(ctx.platform, ctx.workspace, ctx.channel),
                             services.settings, now)
    reactivate_channel(services.store, channel, now)
    if words:
        if not ctx.is_admin:
            raise CommandError("Only admins can give this channel's feeds new addresses.")
        token = rotate_feed_token(services.store, channel, now)
        text = "New addresses for this channel's feeds; the old ones no longer work:"
    else:
        token = feed_token(services.store, channel, now)
        text = ("This channel's feeds: a calendar app or a feed reader can subscribe to them. "
                "Anyone with an address can read the feed; `/summits calendar rotate` gives new ones.")
    web_url = services.settings.web_url
    ics, atom = token.urls(web_url)
    rows = [("calendar (.ics)", ics), ("changes (Atom)", atom)]
    if not web_url:
        rows.append(("note", "these are paths on the web calendar; set [web] url (or SUMMITBOT_WEB_URL) "
                             "to its public address for full links"))
    if not subscriptions(services.store, channel.id):
        rows.append(("note", "this channel has no subscriptions yet, so the feeds are empty: `/summits subscribe`"))
    return Reply(text=text, rows=rows, tz=channel.tz, ephemeral=True)
