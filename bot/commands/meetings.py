"""Read-only commands: help, upcoming, next, search, show."""

from __future__ import annotations

from bot.actions import MAX_PAGE, Action, page_action, pager
from bot.commands.core import REGISTRY, Args, CommandError, Commands, Context, Services, command, parse_id
from bot.reply import Reply
from bot.store import NotFound
from bot.suggest import did_you_mean, either

MAX_DAYS = 3660
# Meetings per page of upcoming and search: one page is one chat message, buttons included
# (Slack: 3 blocks a meeting within 50; Discord: the list's menus within 25 options).
PAGE = 10


def _today(services: Services, ctx: Context):
    return services.now().date()


def _did_you_mean(typed: str, names: list[str], opening: str, example, *, kind: str = "error") -> Reply | None:
    """'{opening}. Did you mean Xi Jinping? For example: /summits next Xi Jinping' when a known name is near
    what was typed (``opening`` has the typed text as {0}; ``example`` makes the command for a name)."""
    if not names:
        return None
    text = f"{opening}. Did you mean {either(names, 1)}? For example: {{{len(names) + 1}}}"
    return Reply(kind=kind, text=text, quoted=(typed, *names, example(names[0])), ephemeral=kind == "error")


def _unknown_person(services: Services, who: str, example) -> Reply:
    return (_did_you_mean(who, did_you_mean(services.store, who), "No summits for “{0}”", example)
            or Reply.error(f"I know nobody called `{who}` yet. Try `/summits search {who}`."))


def _help_row(spec) -> tuple[str, str]:
    return spec.usage, spec.summary + (" (admins)" if spec.admin else "")


@command("help", usage="/summits help [COMMAND]", summary="Show this help, or how to use one command.")
def help_(services: Services, ctx: Context, args: Args) -> Reply:
    """The commands offered where it was asked (ctx.offered), so no platform lists one it does not have."""
    asked = REGISTRY.get(args.positional[0].lower()) if args.positional else None
    if asked is not None and ctx.offers(asked.name):
        return Reply(kind="help", rows=[_help_row(asked)], ephemeral=True)
    return Reply(kind="help", text="summitbot tracks upcoming diplomatic summits found in the news.",
                 rows=[_help_row(spec) for spec in Commands.specs() if ctx.offers(spec.name)], ephemeral=True)


@command("upcoming", usage="/summits upcoming [days:30] [who:NAME] [page:2]",
         summary="Summits in the coming days (default 30), optionally for one leader.",
         keys=("days", "who", "page"), aliases=("list",))
def upcoming(services: Services, ctx: Context, args: Args) -> Reply:
    if args.positional and "days" not in args.options and args.positional[0].isdigit():
        args.options["days"] = args.positional.pop(0)
    if args.positional:
        raise CommandError(f"I don't understand `{args.text()}`. Usage: `{args.usage()}`")
    days = args.int("days", 30, lo=1, hi=MAX_DAYS)
    who = args.get("who")
    page = args.int("page", 1, lo=1, hi=MAX_PAGE)
    if who and not services.store.people_matching(who):
        scope = f"days:{days} " if "days" in args.options else ""
        return _unknown_person(services, who, lambda name: f"/summits upcoming {scope}who:{name}")
    found = services.store.upcoming(_today(services, ctx), days=days, who=who, limit=PAGE + 1,
                                    offset=(page - 1) * PAGE)
    scope = f" for {who}" if who else ""
    filters = {"days": str(days), "who": who or ""}
    if not found:
        text = f"No summits in the next {days} days{scope}" + (f" on page {page}." if page > 1 else ".")
        return Reply(text=text, actions=pager("upcoming", page, filters, False))
    more = len(found) > PAGE
    text = f"Upcoming summits in the next {days} days{scope}" + (f", page {page}" if page > 1 or more else "") + ":"
    if more:
        typed = f"/summits upcoming days:{days}" + (f" who:{who}" if who else "") + f" page:{page + 1}"
        text += f" (more with `{typed}`)"
    return _paged(text, found[:PAGE], "upcoming", page, filters, more)


def _paged(text: str, found, command: str, page: int, filters: dict[str, str], more: bool) -> Reply:
    """A page of meetings with their buttons, Previous/Next, and how to show this page again."""
    again = page_action(command, page, filters)
    return Reply(kind="meetings", text=text, meetings=found, buttons=True,
                 actions=pager(command, page, filters, more), again=again if again.fits() else None)


@command("next", usage="/summits next NAME", summary="The next meeting of a leader.", keys=("who",))
def next_(services: Services, ctx: Context, args: Args) -> Reply:
    who = args.get("who") or args.text()
    if not who:
        raise CommandError(f"Whose next meeting? Usage: `{args.usage()}`, e.g. `/summits next Xi Jinping`.")
    names = services.store.people_matching(who)
    if not names:
        return _unknown_person(services, who, lambda name: f"/summits next {name}")
    found = services.store.upcoming(_today(services, ctx), who=who, limit=1)
    label = names[0] if len(names) == 1 else who
    if not found:
        return Reply(text=f"No upcoming meeting known for {label}.")
    return Reply(kind="meetings", text=f"Next meeting for {label}:", meetings=found, buttons=True,
                 again=Action("details", "Details", meeting_id=found[0].id))


@command("search", usage="/summits search WORDS [page:2]", summary="Find summits by name, place or participant.",
         keys=("page",))
def search(services: Services, ctx: Context, args: Args) -> Reply:
    for word in list(args.positional):  # typed into one text option (Discord's query): 'APEC page:2'
        if word.lower().startswith("page:"):
            args.options["page"] = word[5:]
            args.positional.remove(word)
    query = args.text()
    if not query:
        raise CommandError(f"Search for what? Usage: `{args.usage()}`, e.g. `/summits search APEC`.")
    page = args.int("page", 1, lo=1, hi=MAX_PAGE)
    found = services.store.search(query, limit=PAGE + 1, offset=(page - 1) * PAGE)
    filters = {"q": query}
    if not found and page == 1:
        names = [name for name in did_you_mean(services.store, query, countries=True)
                 if services.store.search(name, limit=1)]  # a suggestion that finds something
        return (_did_you_mean(query, names, "Nothing found for “{0}”", lambda name: f"/summits search {name}",
                              kind="message")
                or Reply(text=f"Nothing found for “{query}”."))
    if not found:
        return Reply(text=f"Nothing found for “{query}” on page {page}.", actions=pager("search", page, filters, False))
    more = len(found) > PAGE
    text = f"Summits matching “{query}”" + (f", page {page}" if page > 1 or more else "") + ":"
    if more:
        text += f" (more with `/summits search {query} page:{page + 1}`)"
    return _paged(text, found[:PAGE], "search", page, filters, more)


@command("show", usage="/summits show ID", summary="One summit in detail, with its sources and history.",
         keys=("id",))
def show(services: Services, ctx: Context, args: Args) -> Reply:
    meeting_id = parse_id(args.get("id") or args.text())
    if meeting_id is None:
        raise CommandError(f"Which summit? Give its number. Usage: `{args.usage()}`, e.g. `/summits show 3`.")
    try:
        rec = services.store.meeting(meeting_id)
    except NotFound:
        raise CommandError(f"There is no summit #{meeting_id}. `/summits upcoming` lists them.") from None
    today = services.now().date()
    if rec.status in ("upcoming", "postponed") and rec.end is not None and rec.end < today:
        rec.status = "past"  # over by now, though no article has said so
    # every renderer heads the detail with "#ID kind: title"
    return Reply(kind="detail", meetings=[rec], buttons=True, again=Action("details", "Details", meeting_id=rec.id))
