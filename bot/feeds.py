"""RSS and Atom feeds: following them, polling them politely and safely, ingesting their new entries.

A feed is polled when due (``next_poll_at``) with a conditional GET (ETag and
Last-Modified). After a success the next poll is ``every`` later, with ±10 % jitter so
feeds added together do not stay in step; after a failure it is ``every × 2^failures``
later (capped); after ``settings.feed_max_failures`` failures in a row the feed is paused
and a notice for the channel that added it is queued (``pause_notified = 0``) and sent by
:func:`poll_due_feeds`, so a notice raised by a CLI poll is still delivered by the bot.

Entries are deduplicated per feed by guid, then link, then a hash of title and summary
(the ``feed_entries`` table). The entries in a feed's first successful poll are ingested
(its backlog); on later polls an entry dated before that first poll is old news that
resurfaced (a re-sorted or re-published feed) and is recorded as seen, not ingested.

Reading a feed's bytes safely (hostile XML) is bot/feed_parse.py; its names are importable from
here too.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import partial
from typing import Awaitable, Callable
from urllib.parse import urlsplit, urlunsplit

from bot.config import Settings
from bot.feed_parse import FeedEntry, FeedError, ParsedFeed, decode_feed, parse_feed, safe_feed_bytes  # noqa: F401
from bot.fetch import BlockedURL, FetchError, Fetcher, Response, check_url
from bot.reply import Reply
from bot.steps import Steps, drive, drive_off_loop
from bot.store import NotFound, Store, content_hash, utcnow_iso
from bot.transport import ChannelRef
from bot.values import MAX_EVERY, MIN_EVERY, SettingError, format_every, parse_every  # noqa: F401

log = logging.getLogger(__name__)

JITTER = 0.10  # ± fraction of the interval
MAX_BACKOFF = timedelta(hours=6)
MAX_NEW_ENTRIES = 50  # page fetches per feed per poll; older new entries are recorded as skipped
CLAIM_SECONDS = 600  # a poll in progress holds its feed this long
ENTRY_ATTEMPTS = 3  # an entry whose page failed is tried again on later polls, this many times in all

Notifier = Callable[[ChannelRef, Reply], Awaitable[None]]
Progress = Callable[["Feed", int, int], None]  # (feed, entries done, entries to do)


# -- the domain -------------------------------------------------------------------------


@dataclass
class Feed:
    """A followed feed and its polling state."""

    id: int
    url: str
    channel: ChannelRef  # who added it: told when it is paused
    every: timedelta
    status: str = "active"  # active | paused | removed
    status_reason: str | None = None
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    next_poll_at: datetime | None = None
    first_polled_at: datetime | None = None
    last_polled_at: datetime | None = None
    last_ok_at: datetime | None = None
    failures: int = 0
    last_error: str | None = None
    pause_notified: bool = True
    added_by: str | None = None
    created: datetime | None = None

    @classmethod
    def from_row(cls, row: dict) -> "Feed":
        return cls(
            id=row["id"], url=row["url"], channel=ChannelRef(row["platform"], row["workspace"], row["channel"]),
            every=timedelta(seconds=row["every_seconds"]), status=row["status"], status_reason=row["status_reason"],
            title=row["title"], etag=row["etag"], last_modified=row["last_modified"],
            next_poll_at=_dt(row["next_poll_at"]), first_polled_at=_dt(row["first_polled_at"]),
            last_polled_at=_dt(row["last_polled_at"]), last_ok_at=_dt(row["last_ok_at"]),
            failures=row["failures"] or 0, last_error=row["last_error"], pause_notified=bool(row["pause_notified"]),
            added_by=row["added_by"], created=_dt(row["created"]),
        )


@dataclass
class FeedPollResult:
    """What one poll of one feed did."""

    feed_id: int
    url: str
    outcome: str = "ok"  # ok | not-modified | failed | paused
    error: str | None = None
    entries_new: int = 0
    ingested: int = 0
    old: int = 0
    duplicate: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (link, reason)
    meetings_new: int = 0
    meetings_updated: int = 0
    meeting_ids: list[int] = field(default_factory=list)
    next_poll_at: datetime | None = None


@dataclass
class PollReport:
    """What a round of polling did, over all due feeds."""

    results: list[FeedPollResult] = field(default_factory=list)
    notified: list[int] = field(default_factory=list)  # feeds whose pause notice was delivered
    notify_errors: list[tuple[int, str]] = field(default_factory=list)

    def _count(self, outcome: str) -> int:
        return sum(1 for r in self.results if r.outcome == outcome)

    @property
    def polled(self) -> int:
        return len(self.results)

    @property
    def paused(self) -> list[int]:
        return [r.feed_id for r in self.results if r.outcome == "paused"]

    @property
    def ingested(self) -> int:
        return sum(r.ingested for r in self.results)

    @property
    def meetings_new(self) -> int:
        return sum(r.meetings_new for r in self.results)

    @property
    def meeting_ids(self) -> list[int]:
        return [mid for r in self.results for mid in r.meeting_ids]

    def summary(self) -> str:
        return (f"feeds: {self.polled} polled, {self._count('not-modified')} unchanged, "
                f"{self._count('failed')} failed, {self._count('paused')} paused; "
                f"entries: {sum(r.entries_new for r in self.results)} new, {self.ingested} ingested, "
                f"{sum(r.old for r in self.results)} old, {sum(len(r.failed) for r in self.results)} failed; "
                f"meetings: {self.meetings_new} new, {sum(r.meetings_updated for r in self.results)} updated")


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _iso(value: datetime | None) -> str | None:
    return utcnow_iso(value) if value else None


# -- parsing user input -----------------------------------------------------------------

def normalize_url(url: str) -> str:
    """A feed URL as stored: scheme and host lower-case, no fragment."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise FeedError("a feed address must be an http:// or https:// URL")
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme.lower(), netloc.lower(), parts.path or "/", parts.query, ""))


# -- storing feeds ----------------------------------------------------------------------


def get_feed(store: Store, feed_id: int) -> Feed:
    rows = list(store.db["feeds"].rows_where("id = ?", [feed_id], limit=1))
    if not rows:
        raise NotFound(f"no feed #{feed_id}")
    return Feed.from_row(rows[0])


def feeds(store: Store, *, include_removed: bool = False) -> list[Feed]:
    """Followed feeds in id order (removed ones only when asked)."""
    where = "1" if include_removed else "status != 'removed'"
    return [Feed.from_row(r) for r in store.db["feeds"].rows_where(where, order_by="id")]


def due_feeds(store: Store, now: datetime) -> list[Feed]:
    """Active feeds whose next poll time has come, the most overdue first."""
    rows = store.db["feeds"].rows_where(
        "status = 'active' AND (next_poll_at IS NULL OR next_poll_at <= ?)", [_iso(now)],
        order_by="next_poll_at, id")
    return [Feed.from_row(r) for r in rows]


def add_feed(store: Store, settings: Settings, url: str, channel: ChannelRef, now: datetime, *,
             every: timedelta | None = None, added_by: str | None = None) -> tuple[Feed, str]:
    """Follow a feed; returns it and 'added', 'exists' or 'resumed' (a removed or paused feed re-added)."""
    url = normalize_url(url)
    try:  # syntax and literal addresses now; names are resolved and checked at every poll
        check_url(url, allow_private=settings.allow_private_urls, resolver=None)
    except BlockedURL as exc:
        raise FeedError(f"that feed cannot be followed: {exc}") from None
    every = every or parse_every(settings.feed_every)
    stamp = _iso(now)
    existing = list(store.db["feeds"].rows_where("url = ?", [url], limit=1))
    if existing:
        feed = Feed.from_row(existing[0])
        if feed.status == "active":
            return feed, "exists"
        store.db["feeds"].update(feed.id, {
            "status": "active", "status_reason": None, "failures": 0, "last_error": None, "pause_notified": 1,
            "platform": channel.platform, "workspace": channel.workspace, "channel": channel.channel,
            "added_by": added_by, "every_seconds": int(every.total_seconds()), "next_poll_at": stamp,
            "updated": stamp})
        return get_feed(store, feed.id), "resumed"
    table = store.db["feeds"]
    table.insert({
        "url": url, "platform": channel.platform, "workspace": channel.workspace, "channel": channel.channel,
        "added_by": added_by, "every_seconds": int(every.total_seconds()), "status": "active",
        "next_poll_at": stamp, "failures": 0, "pause_notified": 1, "created": stamp, "updated": stamp})
    return get_feed(store, table.last_pk), "added"


def remove_feed(store: Store, feed_id: int, now: datetime) -> Feed:
    """Stop following a feed (its entries stay recorded, so re-adding it does not re-ingest them)."""
    feed = get_feed(store, feed_id)
    if feed.status == "removed":
        raise NotFound(f"no feed #{feed_id}")
    store.db["feeds"].update(feed_id, {"status": "removed", "status_reason": None, "next_poll_at": None,
                                       "pause_notified": 1, "updated": _iso(now)})
    return get_feed(store, feed_id)


def resume_feed(store: Store, feed_id: int, now: datetime) -> Feed:
    """Poll a paused feed again, at once, with its failure count reset."""
    feed = get_feed(store, feed_id)
    if feed.status == "removed":
        raise NotFound(f"no feed #{feed_id}")
    store.db["feeds"].update(feed_id, {"status": "active", "status_reason": None, "failures": 0,
                                       "last_error": None, "pause_notified": 1, "next_poll_at": _iso(now),
                                       "updated": _iso(now)})
    return get_feed(store, feed_id)


def entries(store: Store, feed_id: int) -> list[FeedEntry]:
    """The recorded entries of a feed, in the order they were first seen."""
    out = []
    for r in store.db["feed_entries"].rows_where("feed_id = ?", [feed_id], order_by="id"):
        out.append(FeedEntry(guid=r["guid"], link=r["link"], title=r["title"] or "", published=_dt(r["published"]),
                             status=r["status"], reason=r["reason"], article_id=r["article_id"],
                             attempts=r["attempts"] or 0, id=r["id"]))
    return out


# -- fetching ---------------------------------------------------------------------------


def _fetch_feed(fetcher: Fetcher, feed: Feed) -> tuple[Response, ParsedFeed | None]:
    """Blocking work: the conditional GET and the parse."""
    response = fetcher.feed(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    if response.status == 304:
        return response, None
    return response, parse_feed(response.body, response.url, response.content_type, response.charset)


# -- scheduling -------------------------------------------------------------------------


def next_poll_time(now: datetime, every: timedelta, failures: int, rng: random.Random) -> datetime:
    """When to poll next: ``every`` after a success, doubling with each failure (capped), ± jitter."""
    delay = every * (2 ** min(failures, 20)) if failures else every
    delay = min(delay, max(every, MAX_BACKOFF))
    seconds = delay.total_seconds() * (1 + rng.uniform(-JITTER, JITTER))
    return (now + timedelta(seconds=round(seconds))).astimezone(timezone.utc)


def _record_failure(store: Store, settings: Settings, feed: Feed, now: datetime, error: str,
                    rng: random.Random, result: FeedPollResult) -> FeedPollResult:
    failures = feed.failures + 1
    result.error = error
    values: dict = {"failures": failures, "last_error": error, "last_polled_at": _iso(now), "updated": _iso(now)}
    if failures >= settings.feed_max_failures:
        result.outcome = "paused"
        values.update(status="paused", next_poll_at=None, pause_notified=0,
                      status_reason=f"failed {failures} times in a row; last error: {error}")
        log.warning("feed #%s %s paused after %s failures: %s", feed.id, feed.url, failures, error)
    else:
        result.outcome = "failed"
        result.next_poll_at = next_poll_time(now, feed.every, failures, rng)
        values["next_poll_at"] = _iso(result.next_poll_at)
        log.info("feed #%s %s failed (%s in a row): %s", feed.id, feed.url, failures, error)
    store.db["feeds"].update(feed.id, values)
    return result


def _record_success(store: Store, feed: Feed, now: datetime, response: Response, parsed: ParsedFeed | None,
                    rng: random.Random, result: FeedPollResult) -> None:
    result.next_poll_at = next_poll_time(now, feed.every, 0, rng)
    values: dict = {"failures": 0, "last_error": None, "last_polled_at": _iso(now), "last_ok_at": _iso(now),
                    "next_poll_at": _iso(result.next_poll_at), "updated": _iso(now)}
    if response.etag or response.status != 304:
        values["etag"] = response.etag
    if response.last_modified or response.status != 304:
        values["last_modified"] = response.last_modified
    if feed.first_polled_at is None and parsed is not None:
        values["first_polled_at"] = _iso(now)
    if parsed is not None and parsed.title:
        values["title"] = parsed.title[:300]
    store.db["feeds"].update(feed.id, values)


# -- polling ----------------------------------------------------------------------------


def _known_entry(store: Store, feed_id: int, entry: FeedEntry) -> dict | None:
    """The recorded entry this one repeats: same guid, else same link, else same title and summary."""
    for column, value in (("guid", entry.guid), ("link", entry.link), ("content_hash", entry.content_hash)):
        if value:
            rows = list(store.db["feed_entries"].rows_where(f"feed_id = ? AND {column} = ?", [feed_id, value],
                                                            limit=1))
            if rows:
                return rows[0]
    return None


def _known_article(store: Store, link: str) -> int | None:
    row = store.db.execute("SELECT id FROM articles WHERE source = ? OR url = ? LIMIT 1", [link, link]).fetchone()
    return row[0] if row else None


def _save_entry(store: Store, feed_id: int, entry: FeedEntry, known: dict | None, now: datetime) -> None:
    values = {"feed_id": feed_id, "guid": entry.guid, "link": entry.link, "content_hash": entry.content_hash,
              "title": entry.title[:500], "published": _iso(entry.published), "status": entry.status,
              "reason": entry.reason, "article_id": entry.article_id, "attempts": entry.attempts,
              "updated": _iso(now)}
    if known:
        store.db["feed_entries"].update(known["id"], values)
    else:
        store.db["feed_entries"].insert({**values, "first_seen": _iso(now)})


def _poll_steps(store: Store, settings: Settings, feed: Feed, now: datetime, ingestor, fetcher: Fetcher,
                rng: random.Random, progress: Progress | None) -> Steps[FeedPollResult]:
    """One poll of one feed, as steps (see bot/steps.py): it yields the blocking work (fetches, extraction)
    for a driver to run (here or in a worker thread) and does the database work itself, on the driver's thread."""
    from bot.pipeline import IngestReport

    result = FeedPollResult(feed.id, feed.url)
    try:
        response, parsed = yield partial(_fetch_feed, fetcher, feed)
    except (FetchError, FeedError) as exc:
        return _record_failure(store, settings, feed, now, str(exc), rng, result)
    except Exception as exc:  # a bug or a parser crash: counted like any failure, and logged
        log.exception("polling feed #%s failed unexpectedly", feed.id)
        return _record_failure(store, settings, feed, now, f"unexpected error: {type(exc).__name__}", rng, result)
    if parsed is None:
        result.outcome = "not-modified"
        _record_success(store, feed, now, response, None, rng, result)
        return result

    first_poll = feed.first_polled_at is None
    todo: list[tuple[FeedEntry, dict | None]] = []
    for entry in parsed.entries:
        if not (entry.guid or entry.link or entry.content_hash):
            continue
        known = _known_entry(store, feed.id, entry)
        if known and not (known["status"] == "failed" and (known["attempts"] or 0) < ENTRY_ATTEMPTS):
            continue
        if any(_same(entry, other) for other, _ in todo):
            continue
        entry.attempts = (known["attempts"] or 0) if known else 0
        todo.append((entry, known))
    result.entries_new = len(todo)

    def newest_first(item: tuple[FeedEntry, dict | None]) -> datetime:
        return item[0].published or now

    todo.sort(key=newest_first, reverse=True)
    over = todo[MAX_NEW_ENTRIES:]
    todo = sorted(todo[:MAX_NEW_ENTRIES], key=newest_first)  # oldest first: later news folds over earlier
    for entry, known in over:
        entry.status, entry.reason = "skipped", f"more than {MAX_NEW_ENTRIES} new entries in one poll"
        result.skipped += 1
        _save_entry(store, feed.id, entry, known, now)

    for done, (entry, known) in enumerate(todo, start=1):
        if progress:
            progress(feed, done - 1, len(todo))
        yield from _entry_steps(store, feed, entry, known, first_poll, now, ingestor, fetcher, result,
                                IngestReport)
        _save_entry(store, feed.id, entry, known, now)
    if progress and todo:
        progress(feed, len(todo), len(todo))
    _record_success(store, feed, now, response, parsed, rng, result)
    return result


def _same(a: FeedEntry, b: FeedEntry) -> bool:
    return bool((a.guid and a.guid == b.guid) or (a.link and a.link == b.link)
                or (a.content_hash and a.content_hash == b.content_hash))


def _entry_steps(store: Store, feed: Feed, entry: FeedEntry, known: dict | None, first_poll: bool, now: datetime,
                 ingestor, fetcher: Fetcher, result: FeedPollResult, report_type) -> Steps[None]:
    """Decide one new entry's fate; fetch and ingest its page when it is news."""
    if (known is None and not first_poll and entry.published and feed.first_polled_at
            and entry.published < feed.first_polled_at):
        entry.status, entry.reason = "old", "published before the feed was first polled"
        result.old += 1
        return
    if not entry.link:
        entry.status, entry.reason = "failed", "the entry has no http(s) link"
        entry.attempts = ENTRY_ATTEMPTS
        result.failed.append(("(no link)", entry.reason))
        return
    already = _known_article(store, entry.link)
    if already is not None:
        entry.status, entry.reason, entry.article_id = "duplicate", "article already stored", already
        result.duplicate += 1
        return
    entry.attempts += 1
    try:
        article = yield partial(fetcher.article, entry.link, entry.published)
    except FetchError as exc:
        entry.status, entry.reason = "failed", str(exc)
        result.failed.append((entry.link, str(exc)))
        return
    except Exception as exc:  # one broken page never stops the feed
        log.exception("reading %s failed unexpectedly", entry.link)
        entry.status, entry.reason = "failed", f"unexpected error: {type(exc).__name__}"
        result.failed.append((entry.link, entry.reason))
        return
    sub = report_type()
    yield from ingestor.ingest_steps(article, sub)
    row = store.db.execute("SELECT id FROM articles WHERE content_hash = ?", [content_hash(article.text)]).fetchone()
    entry.article_id = row[0] if row else None
    if sub.new:
        entry.status, entry.reason = "ingested", None
        result.ingested += 1
    elif sub.skipped:
        entry.status, entry.reason = "skipped", sub.skipped[0][1]
        result.skipped += 1
    elif sub.failed:
        entry.status, entry.reason = "failed", sub.failed[0][1]
        entry.attempts = ENTRY_ATTEMPTS  # extraction failed: fetching again will not help
        result.failed.append((entry.link, sub.failed[0][1]))
    else:
        entry.status, entry.reason = "duplicate", "same text as a stored article"
        result.duplicate += 1
    result.meetings_new += sub.meetings_new
    result.meetings_updated += sub.meetings_updated
    result.meeting_ids.extend(m for m in sub.meeting_ids if m not in result.meeting_ids)


def poll_feed(store: Store, settings: Settings, feed: Feed, now: datetime, ingestor, *,
              fetcher: Fetcher | None = None, rng: random.Random | None = None,
              progress: Progress | None = None) -> FeedPollResult:
    """Poll one feed now (blocking, outside an event loop): conditional GET, new entries fetched and ingested."""
    steps = _poll_steps(store, settings, feed, now, ingestor, fetcher or Fetcher(settings), rng or random.Random(),
                        progress)
    return drive(steps)


async def poll_due_feeds(store: Store, settings: Settings, now: datetime, ingestor, notify: Notifier | None, *,
                         fetcher: Fetcher | None = None, rng: random.Random | None = None,
                         progress: Progress | None = None) -> PollReport:
    """Poll every due feed, one after another, then tell channels about feeds that were paused.

    ``notify(channel, reply)`` is awaited once per paused feed; when it raises (or is None,
    as in the CLI) the notice stays queued for the next call.
    """
    fetcher = fetcher or Fetcher(settings)
    rng = rng or random.Random()
    report = PollReport()
    for feed in due_feeds(store, now):
        if not _claim(store, feed, now):
            continue
        steps = _poll_steps(store, settings, feed, now, ingestor, fetcher, rng, progress)
        try:
            report.results.append(await drive_off_loop(steps))
        except Exception as exc:  # e.g. the database: count it against the feed so it is not retried at once
            log.exception("polling feed #%s failed", feed.id)
            result = _record_failure(store, settings, get_feed(store, feed.id), now,
                                     f"internal error: {type(exc).__name__}", rng, FeedPollResult(feed.id, feed.url))
            report.results.append(result)
    if notify is not None:
        await send_pause_notices(store, notify, report)
    return report


def _claim(store: Store, feed: Feed, now: datetime) -> bool:
    """Move a due feed's next poll a little ahead before polling it, unless another poller already did.

    A second process polling the same database skips the feed; if this poll dies, the
    feed is due again after CLAIM_SECONDS.
    """
    claimed_until = _iso(now + timedelta(seconds=CLAIM_SECONDS))
    with store.db.conn:
        cur = store.db.conn.execute(
            "UPDATE feeds SET next_poll_at = ? WHERE id = ? AND status = 'active' AND next_poll_at IS ?",
            [claimed_until, feed.id, _iso(feed.next_poll_at)])
    return cur.rowcount == 1


def pause_notice(feed: Feed) -> Reply:
    """The message for the channel that added a feed that has just been paused."""
    text = (f"I have paused feed #{feed.id}: it failed {feed.failures} times in a row, so I stopped polling it. "
            f"Check the address, then `/summits feeds resume {feed.id}` to try again "
            f"or `/summits feeds remove {feed.id}`.")
    rows = [("feed", feed.url), ("last error", feed.last_error or "unknown")]
    return Reply(kind="message", text=text, rows=rows)


async def send_pause_notices(store: Store, notify: Notifier, report: PollReport | None = None) -> PollReport:
    """Deliver queued pause notices; a failed delivery stays queued."""
    report = report or PollReport()
    for row in store.db["feeds"].rows_where("status = 'paused' AND pause_notified = 0", order_by="id"):
        feed = Feed.from_row(row)
        try:
            await notify(feed.channel, pause_notice(feed))
        except Exception as exc:
            log.warning("could not tell %s that feed #%s was paused: %s", feed.channel.key(), feed.id, exc)
            report.notify_errors.append((feed.id, str(exc)))
            continue
        store.db["feeds"].update(feed.id, {"pause_notified": 1})
        report.notified.append(feed.id)
    return report
