"""`summitbot reminders` (preview what will be posted), `summitbot say` (run a command as the console) and
`summitbot deliveries` (list failed deliveries, send one again)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import click

from adapters.console import render_text
from bot.clock import FixedClock, SystemClock
from bot.commands import Commands, Context, Services
from bot.config import ConfigError, Settings, parse_now
from bot.delivery import DeliveryError, PlannedMessage, failed_deliveries, preview, resend
from bot.store import Store

DEFAULT_WINDOW = timedelta(days=30)


def _obj(ctx: click.Context, name: str):
    obj = ctx.obj
    value = obj.get(name) if isinstance(obj, dict) else getattr(obj, name, None)
    if value is None:
        raise click.ClickException(f"internal: the CLI context has no `{name}`")
    return value


def _settings(ctx: click.Context) -> Settings:
    return _obj(ctx, "settings")


def _store(ctx: click.Context) -> Store:
    return Store(str(_obj(ctx, "db_path")))


def _now(settings: Settings) -> datetime:
    return (settings.now or SystemClock().now()).astimezone(timezone.utc)


def _when(value: str | None, option: str) -> datetime | None:
    if not value:
        return None
    try:
        return parse_now(value)
    except ConfigError as exc:
        raise click.BadParameter(str(exc), param_hint=option) from None


def _line(msg: PlannedMessage) -> str:
    utc = msg.due_utc.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    local = msg.due_local.strftime("%Y-%m-%d %H:%M %z")
    what = f"#{msg.meeting_id} {msg.meeting}" if msg.meeting_id else "-"
    flag = " (late)" if msg.late else ""
    body = render_text(msg.reply) if msg.reply is not None else msg.text  # the console's rendering
    body = "\n".join("    " + line for line in body.splitlines())
    return f"{utc} | {local} {msg.tz} | {msg.channel} | {msg.kind}{flag} | {what}\n{body}"


@click.command("reminders")
@click.option("--from", "start", metavar="ISO", help="Start of the window (default: now).")
@click.option("--to", "end", metavar="ISO", help="End of the window (default: 30 days after the start).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.pass_context
def reminders_command(ctx: click.Context, start: str | None, end: str | None, as_json: bool) -> None:
    """Preview every reminder, digest and alert that would be posted in a window."""
    settings = _settings(ctx)
    now = _now(settings)
    begin = _when(start, "--from") or now
    finish = _when(end, "--to") or begin + DEFAULT_WINDOW
    if finish < begin:
        raise click.BadParameter("--to is before --from", param_hint="--to")
    messages = preview(_store(ctx), settings, begin, finish, now=now)
    if as_json:
        click.echo(json.dumps([m.to_json() for m in messages], ensure_ascii=False, indent=2))
        return
    if not messages:
        click.echo(f"Nothing would be posted between {begin.isoformat(timespec='minutes')} "
                   f"and {finish.isoformat(timespec='minutes')}.")
        return
    for msg in messages:
        click.echo(_line(msg))


@click.command("say")
@click.option("--channel", "channel", default="console", show_default=True, metavar="ID", help="Console channel id.")
@click.argument("words", nargs=-1, required=True)
@click.pass_context
def say_command(ctx: click.Context, channel: str, words: tuple[str, ...]) -> None:
    """Run a /summits command as if typed in a console channel (as an admin) and print the reply."""
    settings = _settings(ctx)
    clock = FixedClock(settings.now) if settings.now else SystemClock()
    commands = Commands(Services(store=_store(ctx), settings=settings, clock=clock))
    reply = commands.handle(" ".join(words),
                            Context(platform="console", workspace="local", channel=channel, user="console",
                                    is_admin=True))
    click.echo(render_text(reply))
    if reply.kind == "error":
        ctx.exit(1)


@click.command("deliveries")
@click.option("--failed", "show_failed", is_flag=True, help="List the deliveries that failed for good.")
@click.option("--resend", "resend_id", type=int, metavar="ID", help="Queue a failed delivery again.")
@click.pass_context
def deliveries_command(ctx: click.Context, show_failed: bool, resend_id: int | None) -> None:
    """List failed deliveries (--failed) or send one again (--resend ID)."""
    store = _store(ctx)
    if resend_id is not None:
        try:
            d = resend(store, resend_id, _now(_settings(ctx)))
        except DeliveryError as exc:
            raise click.ClickException(str(exc)) from None
        click.echo(f"Delivery {d.id} ({d.kind}) is queued again; the running bot sends it at its next tick, "
                   f"after checking the channel does not have it already.")
        return
    if not show_failed:
        raise click.UsageError("say --failed to list failed deliveries, or --resend ID to send one again")
    found = failed_deliveries(store)
    if not found:
        click.echo("No failed deliveries.")
        return
    for d, ch in found:
        where = ch.ref.key() if ch else f"channel {d.channel_id}"
        what = f"meeting #{d.meeting_id}" if d.meeting_id else "-"
        click.echo(f"{d.id:>6} | {d.kind} | {what} | due {d.due} | {where} | {d.attempts} attempts | {d.error or ''}")
    click.echo("Send one again with `summitbot deliveries --resend ID`.")


def register(group: click.Group) -> None:
    """Add `reminders`, `say` and `deliveries` to the main CLI group."""
    group.add_command(reminders_command)
    group.add_command(say_command)
    group.add_command(deliveries_command)
