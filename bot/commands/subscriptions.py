"""Channel commands: subscribe, unsubscribe, subscriptions, digest, timezone."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.commands.core import Args, CommandError, Context, Services, command, parse_id
from bot.reply import Reply
from bot.subscriptions import (
    Channel,
    SettingError,
    add_subscription,
    default_channel,
    same_subscription,
    ensure_channel,
    get_channel,
    parse_certainty,
    parse_kind,
    parse_leads,
    parse_time_of_day,
    parse_weekday,
    parse_zone,
    format_leads,
    reactivate_channel,
    remove_subscriptions,
    set_delivery_time,
    set_digest,
    set_timezone,
    subscriptions,
)
from bot.suggest import country_candidates, did_you_mean, known_country, nearest
from bot.transport import ChannelRef
from bot.values import join_time_words, looks_like_time

SUBSCRIBE_USAGE = "/summits subscribe [who:NAME] [country:NAME] [kind:KIND] [min:planned] [lead:7d,1d]"
DIGEST_USAGE = "/summits digest daily 8am | weekly mon 08:00 | off"


def _ref(ctx: Context) -> ChannelRef:
    return ChannelRef(ctx.platform, ctx.workspace, ctx.channel)


def _now(services: Services) -> datetime:
    return services.now().astimezone(timezone.utc)


def _channel(services: Services, ctx: Context) -> Channel:
    """This channel's stored settings, created with the defaults on first use."""
    ch = ensure_channel(services.store, _ref(ctx), services.settings, _now(services))
    reactivate_channel(services.store, ch, _now(services))
    return ch


def _bad(problem: str, args: Args) -> CommandError:
    return CommandError(f"{problem}. Usage: `{args.usage()}`")


def _sentence(exc: Exception) -> str:
    text = str(exc)
    return text[:1].upper() + text[1:]


def _settings_rows(ch: Channel) -> list[tuple[str, str]]:
    if ch.digest == "daily":
        digest = f"daily at {ch.digest_time}"
    elif ch.digest == "weekly":
        digest = f"weekly on {(ch.digest_day or 'mon').capitalize()} at {ch.digest_time}"
    else:
        digest = "off"
    return [("time zone", ch.tz), ("date-only reminders at", ch.delivery_time), ("digest", digest)]


@command("subscribe", usage=SUBSCRIBE_USAGE,
         summary="Get reminders and alerts here for the summits that match (default lead from config).",
         keys=("who", "country", "kind", "min", "lead"), admin=True, aliases=("sub",))
def subscribe(services: Services, ctx: Context, args: Args) -> Reply:
    if args.positional and [w.lower() for w in args.positional] != ["all"]:
        raise _bad(f"I don't understand `{args.text()}`; filters are written `key:value`", args)
    who, country = args.get("who"), args.get("country")
    try:
        kind = parse_kind(args.get("kind")) if args.get("kind") else None
        min_certainty = parse_certainty(args.get("min")) if args.get("min") else None
        leads = parse_leads(args.get("lead") or services.settings.lead)
    except SettingError as exc:
        raise _bad(_sentence(exc), args) from None
    warnings = _name_warnings(services, who, country)
    ch = _channel(services, ctx)
    lead = format_leads(leads)
    existing = same_subscription(services.store, ch.id, who=who, country=country, kind=kind,
                                 min_certainty=min_certainty, lead=lead)
    if existing is not None:
        return Reply(text=f"This channel already has that subscription (#{existing.id}).",
                     rows=[("subscription", existing.describe())], tz=ch.tz)
    sub = add_subscription(services.store, ch, who=who, country=country, kind=kind, min_certainty=min_certainty,
                           lead=lead, now=_now(services))
    rows = [("subscription", sub.describe()), *warnings, *_settings_rows(ch)]
    return Reply(text=f"Subscribed this channel (#{sub.id}). Reminders come {_lead_phrase(leads)}, "
                      "and alerts when a matching summit is new, moved, confirmed, postponed or cancelled.",
                 rows=rows, tz=ch.tz)


def _name_warnings(services: Services, who: str | None, country: str | None) -> list[tuple[str, str]]:
    """Who the subscription's who: matches; a warning with a 'did you mean' for an unknown name or country."""
    rows = []
    if who:
        names = services.store.people_matching(who)
        if names:
            rows.append(("matches", ", ".join(names[:10]) + (" …" if len(names) > 10 else "")))
        else:
            near = did_you_mean(services.store, who)
            hint = f"did you mean {' or '.join(near)} (who:{near[0]})? " if near else ""
            rows.append(("warning", f"nobody called “{who}” is known yet; {hint}"
                                    "the subscription will match once they appear"))
    if country and not known_country(country):
        near = nearest(country, country_candidates())
        if near:
            rows.append(("warning", f"no country called “{country}” is known; did you mean {' or '.join(near)} "
                                    f"(country:{near[0]})?"))
    return rows


def _lead_phrase(leads) -> str:
    """'7 days and 1 day before each summit', 'on the day of each summit'."""
    ahead = [lead.phrase() for lead in leads if lead.amount]
    if not ahead:
        return "on the day of each summit"
    text = ahead[0] if len(ahead) == 1 else ", ".join(ahead[:-1]) + " and " + ahead[-1]
    return text + " before each summit" + (" and on the day" if len(ahead) < len(leads) else "")


@command("unsubscribe", usage="/summits unsubscribe ID|all", summary="Remove one subscription, or all of them.",
         keys=("id",), admin=True, aliases=("unsub",))
def unsubscribe(services: Services, ctx: Context, args: Args) -> Reply:
    raw = (args.get("id") or args.text()).strip().lstrip("#").lower()
    if not raw:
        raise _bad("Which subscription? Give its number (see `/summits subscriptions`) or `all`", args)
    sub_id = parse_id(raw)
    if raw != "all" and sub_id is None:
        raise _bad(f"`{raw}` is not a subscription number or `all`", args)
    ch = get_channel(services.store, _ref(ctx))
    if ch is None:
        raise CommandError("This channel has no subscriptions.")
    if raw == "all":
        count = remove_subscriptions(services.store, ch, None, _now(services))
        if not count:
            raise CommandError("This channel has no subscriptions.")
        return Reply(text=f"Removed all {count} subscription{'s' if count != 1 else ''} of this channel.", tz=ch.tz)
    if not remove_subscriptions(services.store, ch, sub_id, _now(services)):
        raise CommandError(f"This channel has no subscription #{sub_id}. `/summits subscriptions` lists them.")
    return Reply(text=f"Removed subscription #{sub_id}.", tz=ch.tz)


@command("subscriptions", usage="/summits subscriptions", summary="This channel's subscriptions and settings.",
         aliases=("subs",))
def list_subscriptions(services: Services, ctx: Context, args: Args) -> Reply:
    if args.positional:
        raise _bad(f"`/summits subscriptions` takes no arguments, got `{args.text()}`", args)
    ch = get_channel(services.store, _ref(ctx)) or default_channel(_ref(ctx), services.settings)
    subs = subscriptions(services.store, ch.id) if ch.id else []
    rows = [(f"#{s.id}", s.describe()) for s in subs] + _settings_rows(ch)
    if ch.status != "active":
        rows.append(("status", f"disabled: {ch.status_reason or ch.status}"))
    text = (f"This channel has {len(subs)} subscription{'s' if len(subs) != 1 else ''}:" if subs
            else "This channel has no subscriptions. Add one with `/summits subscribe`.")
    return Reply(text=text, rows=rows, tz=ch.tz)


def _digest_schedule(words: list[str], default_at: str) -> tuple[str, str | None, str | None]:
    """'daily 8am', 'weekly fri 8:30 pm', 'off' -> (mode, weekday, HH:MM); SettingError saying what is wrong."""
    mode, rest = words[0], join_time_words(words[1:])
    if mode == "off":
        if rest:
            raise SettingError(f"`off` takes nothing after it, got `{' '.join(rest)}`")
        return mode, None, None
    if mode == "daily":
        if len(rest) > 1:
            raise SettingError(f"`daily` takes one time, got `{' '.join(rest)}`; e.g. `daily {rest[0]}`")
        return mode, None, parse_time_of_day(rest[0]) if rest else default_at
    if mode != "weekly":
        raise SettingError(f"`{mode}` is not daily, weekly or off")
    if len(rest) > 2:
        raise SettingError(f"`weekly` takes a day and a time, got `{' '.join(rest)}`")
    times = [parse_time_of_day(w) for w in rest if looks_like_time(w)]
    days = [parse_weekday(w) for w in rest if not looks_like_time(w)]
    return mode, (days[-1] if days else "mon"), (times[-1] if times else default_at)


@command("digest", usage=DIGEST_USAGE, summary="A daily or weekly digest at local time, or none.", admin=True)
def digest(services: Services, ctx: Context, args: Args) -> Reply:
    words = [w.lower() for w in args.positional]
    if not words:
        raise _bad("Daily, weekly or off?", args)
    try:
        mode, day, at = _digest_schedule(words, services.settings.delivery_time)
    except SettingError as exc:
        raise _bad(_sentence(exc), args) from None
    ch = _channel(services, ctx)
    ch = set_digest(services.store, ch, mode, _now(services), at=at, day=day)
    if mode == "off":
        return Reply(text="Digest switched off for this channel.", rows=_settings_rows(ch), tz=ch.tz)
    when = f"every day at {at}" if mode == "daily" else f"every {day.capitalize()} at {at}"
    days = services.settings.daily_days if mode == "daily" else services.settings.weekly_days
    text = f"Digest set: {when} {ch.tz} time, covering the next {days} days and what changed since the last one."
    if not subscriptions(services.store, ch.id):
        text += " This channel has no subscriptions, so the digest covers every summit."
    return Reply(text=text, rows=_settings_rows(ch), tz=ch.tz)


@command("timezone", usage="/summits timezone [ZONE] [TIME]",
         summary="Show or set this channel's time zone (and the hour for date-only reminders).",
         aliases=("tz",))
def timezone_(services: Services, ctx: Context, args: Args) -> Reply:
    words = args.positional
    if not words:
        ch = get_channel(services.store, _ref(ctx)) or default_channel(_ref(ctx), services.settings)
        return Reply(text=f"This channel's time zone is {ch.tz}.", rows=_settings_rows(ch), tz=ch.tz)
    if not ctx.is_admin:
        raise CommandError("Only admins can change this channel's time zone.")
    words = join_time_words(words)  # 'seoul 8 am'; a zone may be several words ('new york', 'south korea')
    at_word = words.pop() if len(words) > 1 and looks_like_time(words[-1]) else None
    try:
        zone = parse_zone(" ".join(words))
        at = parse_time_of_day(at_word) if at_word else None
    except SettingError as exc:
        raise _bad(_sentence(exc), args) from None
    ch = _channel(services, ctx)
    set_timezone(services.store, ch, zone, _now(services))
    if at:
        set_delivery_time(services.store, ch, at, _now(services))
    return Reply(text=f"Time zone set to {zone}. Reminders and digests follow local time there.",
                 rows=_settings_rows(ch), tz=ch.tz)
