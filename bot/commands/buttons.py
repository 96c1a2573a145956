"""What a clicked button does: the payload (bot/actions.py) read back, checked and run as a command.

Adapters call :func:`act` (or :func:`act_async` from the event loop) with the payload string the
platform returned and the clicker's Context. Every failure is a Reply: a payload that is not ours
or is cut gets :data:`bot.actions.STALE`, a summit that has gone says so, and a settings change by
someone who may not make it is refused exactly as the typed command is.
"""

from __future__ import annotations

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.actions import LEADERS_FOLLOWED, Action, ActionError, decode, link
from bot.calendar_export import build_calendar, exportable, google_link, outlook_link
from bot.commands.core import Commands, Context
from bot.format import format_when, kind_label
from bot.models import MeetingRecord
from bot.reply import Reply
from bot.store import NotFound

WEB_URL_ENV = "SUMMITBOT_WEB_URL"  # where the web calendar is served, for .ics links in chat


def _decoded(payload: object) -> Action | Reply:
    """The action to run ("Post to channel" runs the action it wraps), or the error Reply for a bad payload."""
    try:
        action = decode(payload)
    except ActionError as exc:
        return Reply.error(str(exc))
    return action.inner if action.verb == "post" and action.inner is not None else action


def act(commands: Commands, payload: object, ctx: Context) -> Reply:
    """Run the action a payload stands for, all on this thread; always a Reply."""
    action = _decoded(payload)
    if isinstance(action, Reply):
        return action
    if action.verb in ("details", "page"):
        return commands.run(*_as_command(action), ctx)
    return _on_meeting(commands, action, ctx)


async def act_async(commands: Commands, payload: object, ctx: Context) -> Reply:
    """:func:`act` from the event loop (a command's slow work, if any, off the loop)."""
    action = _decoded(payload)
    if isinstance(action, Reply):
        return action
    if action.verb in ("details", "page"):
        return await commands.run_async(*_as_command(action), ctx)
    return _on_meeting(commands, action, ctx)


def _on_meeting(commands: Commands, action: Action, ctx: Context) -> Reply:
    """Sources, Add to calendar, Subscribe to its leaders."""
    assert action.meeting_id is not None
    try:
        rec = commands.services.store.meeting(action.meeting_id)
    except NotFound:
        return Reply.error(f"Summit #{action.meeting_id} is no longer known (the list may be out of date). "
                           "`/summits upcoming` lists the summits known now.")
    if action.verb == "sources":
        return sources_reply(rec)
    if action.verb == "calendar":
        return calendar_reply(commands, rec)
    return follow(commands, rec, ctx)


def _as_command(action: Action) -> tuple[str, dict]:
    """The command (and its options) a Details or page button stands for."""
    if action.verb == "details":
        return "show", {"id": action.meeting_id}
    filters = dict(action.filters)
    if action.command == "search":
        return "search", {"_": filters.get("q", ""), "page": action.page}
    return "upcoming", {**filters, "page": action.page}


def _heading(rec: MeetingRecord) -> tuple[str, tuple[str, ...]]:
    """'#3 Bilateral meeting: {0}' with the (article-derived) title in a slot."""
    return f"#{rec.id} {kind_label(rec.kind)}: {{0}}", (rec.title,)


def sources_reply(rec: MeetingRecord) -> Reply:
    head, quoted = _heading(rec)
    if not rec.sources:
        return Reply(text=f"No sources are stored for {head}.", quoted=quoted, ephemeral=True)
    rows = [(f"source {i}", " — ".join(x for x in (src.outlet, src.title, src.sentence and f"“{src.sentence}”") if x))
            for i, src in enumerate(rec.sources[:10], 1)]
    count = len(rec.sources)
    return Reply(text=f"Sources for {head} ({count} article{'s' if count != 1 else ''}):", quoted=quoted,
                 rows=rows, links=[(src.title or src.outlet or "", src.url or "") for src in rec.sources if src.url],
                 ephemeral=True, again=Action("sources", "Sources", meeting_id=rec.id))


def web_url(commands: Commands) -> str | None:
    """SUMMITBOT_WEB_URL when it is an http(s) address, without its trailing slash."""
    url = (commands.services.settings.env.get(WEB_URL_ENV) or "").strip().rstrip("/")
    return url if urlsplit(url).scheme in ("http", "https") and urlsplit(url).hostname else None


def calendar_reply(commands: Commands, rec: MeetingRecord) -> Reply:
    """Google Calendar and Outlook links and the summit's .ics file (and its web address when served)."""
    head, quoted = _heading(rec)
    if not exportable(rec) or rec.status == "cancelled":
        why = "it is cancelled" if rec.status == "cancelled" else f"its date is only known as {format_when(rec)}"
        return Reply(text=f"{head} cannot go in a calendar yet: {why}.", quoted=quoted, ephemeral=True)
    zone = ZoneInfo(commands.services.settings.timezone)
    site = web_url(commands)
    page = f"{site}/summit/{rec.id}" if site else None
    actions = [link("Google Calendar", google_link(rec, zone, page) or ""),
               link("Outlook", outlook_link(rec, zone, page) or "")]
    if site:
        actions.append(link(".ics file", f"{site}/summit/{rec.id}.ics"))
    sequence = sum(1 for c in rec.changes if c.field != "created")
    data = build_calendar([rec], {rec.id: sequence}, fallback_zone=zone, name=rec.title,
                          page_url=(lambda r: page) if page else None)
    return Reply(text=f"Add {head} ({format_when(rec)}) to your calendar:", quoted=quoted, actions=actions,
                 attachment=(f"summit-{rec.id}.ics", data), ephemeral=True)


def follow(commands: Commands, rec: MeetingRecord, ctx: Context) -> Reply:
    """Subscribe this channel to each of the summit's participants (as `/summits subscribe who:NAME`)."""
    head, quoted = _heading(rec)
    if not rec.participants:
        return Reply.error("That summit names no leaders to subscribe to.")
    done, already = [], []
    for name in rec.participants[:LEADERS_FOLLOWED]:
        reply = commands.run("subscribe", {"who": name}, ctx)
        if reply.kind == "error":
            return reply  # not an admin, or a bad setting: the same answer as the typed command
        (already if reply.text.startswith("This channel already") else done).append(name)
    rows = [("subscribed to", ", ".join(done))] if done else []
    if already:
        rows.append(("already subscribed", ", ".join(already)))
    return Reply(text=f"This channel now follows the leaders of {head}: reminders before each of their summits, "
                      "and alerts when one is new, moved, confirmed, postponed or cancelled.",
                 quoted=quoted, rows=rows)
