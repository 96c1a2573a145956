"""`summitbot feeds add|list|remove|resume|poll`: the feed commands of the CLI (the work is in bot.feeds)."""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from datetime import datetime, timezone

import click

from bot.transport import ChannelRef

log = logging.getLogger(__name__)

CONSOLE = ChannelRef("console", "local", "console")
IDLE_SECONDS = 60.0  # `feeds poll` without --once: longest sleep between rounds


def register(cli: click.Group) -> None:
    """Add the `feeds` group to the main CLI."""
    cli.add_command(feeds_group)


def _channel(value: str | None) -> ChannelRef:
    """`PLATFORM:WORKSPACE:CHANNEL` (e.g. slack:T123:C456), or a bare channel id on the console."""
    if not value:
        return CONSOLE
    parts = value.split(":")
    if len(parts) == 3 and all(parts):
        return ChannelRef(*parts)
    if len(parts) == 1:
        return ChannelRef("console", "local", value)
    raise click.BadParameter("use PLATFORM:WORKSPACE:CHANNEL, e.g. slack:T0123:C0456", param_hint="--channel")


def _now(state) -> datetime:
    return state.now().astimezone(timezone.utc)


@click.group("feeds")
def feeds_group() -> None:
    """Follow RSS/Atom feeds: their new articles are read and their summits added."""


@feeds_group.command("add")
@click.argument("url")
@click.option("--every", metavar="INTERVAL", help="How often to poll, e.g. 15m, 2h (default from config).")
@click.option("--channel", metavar="PLATFORM:WORKSPACE:CHANNEL", help="Channel told if the feed is paused.")
@click.pass_obj
def add_cmd(state, url: str, every: str | None, channel: str | None) -> None:
    """Follow a feed."""
    from bot.feeds import FeedError, add_feed, format_every, parse_every
    from bot.values import SettingError

    try:
        interval = parse_every(every) if every else None
        feed, outcome = add_feed(state.store(), state.settings, url, _channel(channel), _now(state), every=interval,
                                 added_by="cli")
    except (FeedError, SettingError) as exc:
        raise click.ClickException(str(exc)) from None
    verb = {"added": "following", "resumed": "following again", "exists": "already following"}[outcome]
    click.echo(f"{verb} feed #{feed.id} {feed.url} every {format_every(feed.every)}")


@feeds_group.command("list")
@click.option("--all", "show_all", is_flag=True, help="Include removed feeds.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per feed.")
@click.pass_obj
def list_cmd(state, show_all: bool, as_json: bool) -> None:
    """List followed feeds and their state."""
    from bot.feeds import feeds, format_every

    found = feeds(state.store(), include_removed=show_all)
    if not found and not as_json:
        click.echo("no feeds")
    for f in found:
        if as_json:
            click.echo(json.dumps({
                "id": f.id, "url": f.url, "title": f.title, "status": f.status, "reason": f.status_reason,
                "every": format_every(f.every), "channel": f.channel.key(), "failures": f.failures,
                "last_error": f.last_error, "next_poll_at": f.next_poll_at.isoformat() if f.next_poll_at else None,
                "last_ok_at": f.last_ok_at.isoformat() if f.last_ok_at else None}))
            continue
        state_text = f.status if f.status != "paused" else f"paused ({f.status_reason})"
        nxt = f" next {f.next_poll_at:%Y-%m-%d %H:%M}Z" if f.next_poll_at and f.status == "active" else ""
        fails = f" failures {f.failures}" if f.failures else ""
        click.echo(f"#{f.id} {f.url} every {format_every(f.every)} {state_text}{nxt}{fails} "
                   f"[{f.channel.key()}]")


@feeds_group.command("remove")
@click.argument("feed_id", type=int)
@click.pass_obj
def remove_cmd(state, feed_id: int) -> None:
    """Stop following a feed."""
    from bot.feeds import remove_feed

    feed = _change_feed(state, remove_feed, feed_id)
    click.echo(f"removed feed #{feed.id} {feed.url}")


@feeds_group.command("resume")
@click.argument("feed_id", type=int)
@click.pass_obj
def resume_cmd(state, feed_id: int) -> None:
    """Poll a paused feed again."""
    from bot.feeds import resume_feed

    feed = _change_feed(state, resume_feed, feed_id)
    click.echo(f"resumed feed #{feed.id} {feed.url}")


def _change_feed(state, change, feed_id: int):
    """``change(store, feed_id, now)`` (remove_feed, resume_feed); an unknown feed is a clean CLI error."""
    from bot.store import NotFound

    try:
        return change(state.store(), feed_id, _now(state))
    except NotFound as exc:
        raise click.ClickException(str(exc)) from None


class _Bar:
    """A click progress bar per feed backlog, shown only on a terminal and for more than one entry."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.bar = None
        self.feed_id: int | None = None

    def __call__(self, feed, done: int, total: int) -> None:
        if not self.enabled or total < 2:
            return
        if self.feed_id != feed.id:
            self.close()
            self.feed_id = feed.id
            self.bar = click.progressbar(length=total, label=f"feed #{feed.id}", file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
            self.feed_id = None


@feeds_group.command("poll")
@click.option("--once", is_flag=True, help="Poll the feeds that are due, then exit (default: keep polling).")
@click.option("--json", "as_json", is_flag=True, help="Print the round's counts as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.pass_obj
def poll_cmd(state, once: bool, as_json: bool, quiet: bool) -> None:
    """Poll due feeds now: fetch new entries, read their articles, add their summits."""
    from bot.feeds import poll_due_feeds
    from bot.pipeline import Ingestor

    store = state.store()
    ingestor = Ingestor(store, state.extractor(), settings=state.settings)
    bar = _Bar(not quiet and not as_json and sys.stderr.isatty())
    once = once or state.settings.now is not None  # a fixed --now never moves: one round only
    while True:
        now = _now(state)
        # notify=None: pause notices stay queued for the running bot, which can reach the channels.
        report = asyncio.run(poll_due_feeds(store, state.settings, now, ingestor, None, progress=bar))
        bar.close()
        if as_json:
            click.echo(json.dumps(_report_json(report)))
        elif report.polled or once:
            click.echo(report.summary())
            for r in report.results:
                if r.error:
                    click.echo(f"  feed #{r.feed_id} {r.outcome}: {r.error}", err=True)
                for link, reason in r.failed:
                    click.echo(f"  entry {link}: {reason}", err=True)
        if once:
            return
        upcoming = [f.next_poll_at for f in _active(store)]
        wait = min([(t - _now(state)).total_seconds() for t in upcoming if t] + [IDLE_SECONDS])
        try:
            time.sleep(max(wait, 1.0))
        except KeyboardInterrupt:
            return


def _active(store):
    from bot.feeds import feeds

    return [f for f in feeds(store) if f.status == "active"]


def _report_json(report) -> dict:
    return {
        "polled": report.polled, "paused": report.paused, "ingested": report.ingested,
        "meetings_new": report.meetings_new, "meeting_ids": report.meeting_ids,
        "feeds": [{"id": r.feed_id, "outcome": r.outcome, "error": r.error, "entries_new": r.entries_new,
                   "ingested": r.ingested, "old": r.old, "failed": len(r.failed), "meetings_new": r.meetings_new}
                  for r in report.results],
    }
