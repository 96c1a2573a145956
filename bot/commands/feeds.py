"""Live news commands: `/summits ingest URL` and `/summits feeds [add URL | remove ID | resume ID]`.

Both take URLs as plain words (no ``key:`` options are declared, since ``https://...``
would read as an option); ``every:15m`` is picked out of the words here.

`ingest` is written as steps (bot/steps.py): it yields each page fetch and extraction as
blocking work, which the adapters run in a worker thread, and stores what it read itself.
"""

from __future__ import annotations

from datetime import timezone
from functools import partial

from bot.commands.core import FEED_CHANGES, Args, CommandError, Context, Services, command, parse_id
from bot.feeds import FeedError, Feed, add_feed, feeds as list_feeds, format_every, parse_every, remove_feed, \
    resume_feed
from bot.reply import Reply
from bot.steps import Steps
from bot.store import NotFound
from bot.transport import ChannelRef
from bot.values import SettingError

MAX_URLS = 5
FEEDS_USAGE = "/summits feeds [add URL [every:15m] | remove ID | resume ID]"
INGEST_USAGE = "/summits ingest URL"


def _url(word: str) -> str:
    """A URL as typed: Slack and Discord may wrap it as <url> or <url|label> (the one place that unwraps it)."""
    word = word.strip()
    if word.startswith("<") and word.endswith(">"):
        word = word[1:-1].split("|", 1)[0]
    return word


def _extractor(services: Services):
    """The extractor: injected (tests), else built once and kept with the services."""
    if "extractor" not in services.extra:
        from bot.extract import Extractor

        services.extra["extractor"] = Extractor()
    return services.extra["extractor"]


def _fetcher(services: Services):
    from bot.fetch import Fetcher

    return services.extra.get("fetcher") or Fetcher(services.settings)


@command("ingest", usage=INGEST_USAGE, summary="Read news articles from the web and add the summits they report.",
         admin=True)
def ingest(services: Services, ctx: Context, args: Args) -> Steps[Reply]:
    from bot.fetch import FetchError
    from bot.pipeline import IngestReport, Ingestor

    urls = [_url(w) for w in args.positional if w.strip()]
    if not urls:
        raise CommandError(f"Which article? Usage: `{args.usage()}`, e.g. `/summits ingest https://example.com/news/1`.")
    if len(urls) > MAX_URLS:
        raise CommandError(f"At most {MAX_URLS} URLs at a time.")
    fetcher = _fetcher(services)
    ingestor = Ingestor(services.store, _extractor(services), settings=services.settings)
    report = IngestReport()
    rows: list[tuple[str, str]] = []
    for url in urls:
        try:
            article = yield partial(fetcher.article, url)
        except FetchError as exc:
            report.failed.append((url, str(exc)))
            rows.append(("not read", f"{url}: {exc}"))
            continue
        before = (report.new, report.duplicate, len(report.skipped), len(report.failed))
        yield from ingestor.ingest_steps(article, report)
        label = article.title or url
        if report.new > before[0]:
            when = article.published.date().isoformat() if article.published else "undated"
            rows.append(("read", f"{label} ({article.outlet or 'unknown outlet'}, {when})"))
        elif report.duplicate > before[1]:
            rows.append(("already read", label))
        elif len(report.skipped) > before[2]:
            rows.append(("stored, not used", f"{label}: no publication date found on the page"))
        else:
            rows.append(("failed", f"{label}: {report.failed[-1][1]}"))
    if len(urls) == 1 and report.failed and not report.new and not report.duplicate:
        raise CommandError(f"I could not read that page: {report.failed[0][1]}")
    meetings = [services.store.meeting(mid, with_history=False) for mid in report.meeting_ids]
    text = (f"Read {report.new} new article{'s' if report.new != 1 else ''}: "
            f"{report.meetings_new} new summit{'s' if report.meetings_new != 1 else ''}, "
            f"{report.meetings_updated} updated.")
    return Reply(kind="meetings" if meetings else "message", text=text, meetings=meetings, rows=rows)


def _feed_row(feed: Feed) -> tuple[str, str]:
    state = feed.status
    if feed.status == "active":
        nxt = feed.next_poll_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if feed.next_poll_at else "now"
        state = f"every {format_every(feed.every)}, next poll {nxt}"
        if feed.failures:
            state += f", {feed.failures} failure{'s' if feed.failures != 1 else ''} in a row ({feed.last_error})"
    elif feed.status == "paused":
        state = f"paused: {feed.status_reason}"
    title = f" “{feed.title}”" if feed.title else ""
    return f"#{feed.id}", f"{feed.url}{title} — {state}"


def _every(args: Args) -> tuple[list[str], str | None]:
    words, every = [], args.get("every")
    for word in args.positional:
        if word.lower().startswith("every:"):
            every = word.split(":", 1)[1]
        else:
            words.append(word)
    return words, every


def _feed_id(words: list[str], args: Args) -> int:
    feed_id = parse_id(args.get("id") or (words[1] if len(words) > 1 else ""))
    if feed_id is None:
        raise CommandError(f"Which feed? Give its number (see `/summits feeds`). Usage: `{args.usage()}`")
    return feed_id


@command("feeds", usage=FEEDS_USAGE, summary="The news feeds read for summits; admins add, remove and resume them.",
         aliases=("feed",))
def feeds(services: Services, ctx: Context, args: Args) -> Reply:
    words, every_text = _every(args)
    action = words[0].lower() if words else "list"
    now = services.now().astimezone(timezone.utc)
    if action in ("list", "ls"):
        found = list_feeds(services.store)
        if not found:
            return Reply(text="No feeds yet. An admin can add one: `/summits feeds add URL [every:15m]`.")
        return Reply(text=f"{len(found)} feed{'s' if len(found) != 1 else ''}:", rows=[_feed_row(f) for f in found])
    if action not in FEED_CHANGES:
        raise CommandError(f"I don't understand `{words[0]}`. Usage: `{args.usage()}`")
    if not ctx.is_admin:
        raise CommandError(f"Only admins can {action} feeds here.")
    try:
        if action == "add":
            if len(words) != 2:
                raise CommandError(f"Give one feed URL. Usage: `{args.usage()}`")
            every = parse_every(every_text) if every_text else None
            ref = ChannelRef(ctx.platform, ctx.workspace, ctx.channel)
            feed, outcome = add_feed(services.store, services.settings, _url(words[1]), ref, now, every=every,
                                     added_by=ctx.user)
            if outcome == "exists":
                return Reply(text=f"Already following that feed (#{feed.id}).", rows=[_feed_row(feed)])
            verb = "Following" if outcome == "added" else "Following again"
            return Reply(text=f"{verb} feed #{feed.id}, polled every {format_every(feed.every)}; the first poll "
                              "comes within minutes. If it keeps failing I will pause it and say so here.",
                         rows=[_feed_row(feed)])
        feed_id = _feed_id(words, args)
        if action == "resume":
            feed = resume_feed(services.store, feed_id, now)
            return Reply(text=f"Resumed feed #{feed.id}; it will be polled at once.", rows=[_feed_row(feed)])
        feed = remove_feed(services.store, feed_id, now)
        return Reply(text=f"Stopped following feed #{feed.id}.", rows=[("feed", feed.url)])
    except (FeedError, SettingError) as exc:
        raise CommandError(f"{str(exc)[:1].upper()}{str(exc)[1:]}. Usage: `{args.usage()}`") from None
    except NotFound:
        raise CommandError("There is no such feed. `/summits feeds` lists them.") from None
