"""The database schema, as sqlite-utils migrations (append new ones at the end, never edit old ones)."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("summitbot")


@migrations()
def m001_core(db: Database) -> None:
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "title": str,
            "outlet": str,
            "published": str,  # ISO 8601, as given (may be date only)
            "text": str,
            "content_hash": str,
            "source": str,  # file path, URL or gold id it came from
            "status": str,  # ok | skipped | failed
            "reason": str,  # why it was skipped / failed
            "ingested_at": str,
        },
        pk="id",
    )
    db["articles"].create_index(["content_hash"], unique=True)
    db["articles"].create_index(["url"])
    db["meetings"].create(
        {
            "id": int,
            "kind": str,
            "name": str,
            "location": str,
            "alt_locations": str,  # JSON list
            "start": str,  # ISO date, venue-local
            "end": str,
            "time": str,  # HH:MM venue-local, when known
            "tz": str,  # IANA zone of the venue, when known
            "precision": str,  # day | week | month | quarter | year | range
            "certainty": str,  # possible | planned | confirmed
            "status": str,  # upcoming | past | cancelled | postponed
            "asof": str,  # publication time of the newest article that shaped this record
            "first_seen": str,
            "updated": str,
        },
        pk="id",
    )
    db["meetings"].create_index(["start"])
    db["people"].create({"id": int, "name": str, "country": str, "title": str}, pk="id")
    db["people"].create_index(["name"], unique=True)
    db["aliases"].create({"alias": str, "person_id": int}, pk="alias", foreign_keys=[("person_id", "people", "id")])
    db["meeting_people"].create(
        {"meeting_id": int, "person_id": int},
        pk=("meeting_id", "person_id"),
        foreign_keys=[("meeting_id", "meetings", "id"), ("person_id", "people", "id")],
    )
    db["meeting_people"].create_index(["person_id"])
    db["sources"].create(
        {"meeting_id": int, "article_id": int, "sentence": str, "seen_at": str},
        pk=("meeting_id", "article_id", "sentence"),
        foreign_keys=[("meeting_id", "meetings", "id"), ("article_id", "articles", "id")],
    )
    db["sources"].create_index(["article_id"])
    db["changes"].create(
        {
            "id": int,
            "meeting_id": int,
            "at": str,
            "field": str,  # created | start | location | certainty | status | ...
            "old": str,
            "new": str,
            "article_id": int,
            "sentence": str,
        },
        pk="id",
        foreign_keys=[("meeting_id", "meetings", "id")],
    )
    db["changes"].create_index(["meeting_id"])
    db["changes"].create_index(["at"])


@migrations()
def m002_reminders(db: Database) -> None:
    """Channels, subscriptions, the deliveries ledger, the sending lease and small scheduler state."""
    db["channels"].create(
        {
            "id": int,
            "platform": str,  # console | slack | discord
            "workspace": str,  # Slack team id, Discord guild id, "local"
            "channel": str,
            "tz": str,  # IANA zone of the channel
            "delivery_time": str,  # HH:MM local, for date-only reminders
            "digest": str,  # off | daily | weekly
            "digest_time": str,  # HH:MM local
            "digest_day": str,  # mon..sun (weekly)
            "digest_since": str,  # UTC ISO: when the digest was switched on (no digests before)
            "digest_change_id": int,  # changes up to this id were covered by a digest
            "status": str,  # active | gone
            "status_reason": str,
            "created": str,
            "updated": str,
        },
        pk="id",
        defaults={"digest": "off", "status": "active", "digest_change_id": 0},
        not_null={"platform", "workspace", "channel"},
    )
    db["channels"].create_index(["platform", "workspace", "channel"], unique=True)
    db["subscriptions"].create(
        {
            "id": int,
            "channel_id": int,
            "who": str,
            "country": str,
            "kind": str,
            "min_certainty": str,
            "lead": str,  # e.g. "7d,1d,6h"
            "status": str,  # active | removed | disabled
            "created": str,  # UTC ISO
            "after_change_id": int,  # alert only on changes with a greater id
            "removed_at": str,
        },
        pk="id",
        foreign_keys=[("channel_id", "channels", "id")],
        defaults={"status": "active", "after_change_id": 0},
    )
    db["subscriptions"].create_index(["channel_id"])
    db["subscriptions"].create_index(["status"])
    db["deliveries"].create(
        {
            "id": int,
            "channel_id": int,
            "meeting_id": int,  # 0 for digests
            "kind": str,  # reminder | digest | change
            "due": str,  # UTC ISO, seconds
            "ref": str,  # "" for reminders; digest mode; first change id of an alert
            "status": str,  # pending | sending | sent | failed | missed | withdrawn
            "late": int,
            "attempts": int,
            "recovered": int,  # times re-queued after its sender died mid-send
            "owner": str,
            "claimed_at": str,
            "next_attempt_at": str,
            "sent_at": str,
            "message_id": str,
            "error": str,
            "idem_key": str,
            "payload": str,  # JSON: lead, change ids, ...
            "created": str,
            "updated": str,
        },
        pk="id",
        foreign_keys=[("channel_id", "channels", "id")],
        defaults={"status": "pending", "late": 0, "attempts": 0, "recovered": 0, "ref": ""},
        not_null={"channel_id", "meeting_id", "kind", "due", "ref", "status"},
    )
    db["deliveries"].create_index(["channel_id", "meeting_id", "kind", "due", "ref"], unique=True)
    db["deliveries"].create_index(["status", "due"])
    db["deliveries"].create_index(["kind", "due"])
    db["deliveries"].create_index(["meeting_id"])
    db["leases"].create({"name": str, "owner": str, "expires": str, "acquired": str}, pk="name")
    db["scheduler_state"].create({"key": str, "value": str}, pk="key")


@migrations()
def m010_feeds(db: Database) -> None:
    """Followed RSS/Atom feeds with their polling state, and the entries seen in each (see bot/feeds.py)."""
    db["feeds"].create(
        {
            "id": int,
            "url": str,
            "title": str,
            "platform": str,  # the channel that added the feed: told when it is paused
            "workspace": str,
            "channel": str,
            "added_by": str,
            "every_seconds": int,
            "status": str,  # active | paused | removed
            "status_reason": str,
            "etag": str,  # for the conditional GET
            "last_modified": str,
            "next_poll_at": str,  # UTC ISO, seconds
            "first_polled_at": str,  # entries dated before it are old news after the first poll
            "last_polled_at": str,
            "last_ok_at": str,
            "failures": int,  # consecutive
            "last_error": str,
            "pause_notified": int,  # 0 while the pause notice waits to be delivered
            "created": str,
            "updated": str,
        },
        pk="id",
        defaults={"status": "active", "failures": 0, "pause_notified": 1},
        not_null={"url", "platform", "workspace", "channel", "every_seconds", "status"},
    )
    db["feeds"].create_index(["url"], unique=True)
    db["feeds"].create_index(["status", "next_poll_at"])
    db["feed_entries"].create(
        {
            "id": int,
            "feed_id": int,
            "guid": str,
            "link": str,
            "content_hash": str,  # of title and summary, for entries without guid or link
            "title": str,
            "published": str,
            "status": str,  # ingested | duplicate | skipped | old | failed
            "reason": str,
            "article_id": int,
            "attempts": int,
            "first_seen": str,
            "updated": str,
        },
        pk="id",
        foreign_keys=[("feed_id", "feeds", "id")],
        defaults={"attempts": 0},
        not_null={"feed_id", "status"},
    )
    db["feed_entries"].create_index(["feed_id", "guid"])
    db["feed_entries"].create_index(["feed_id", "link"])
    db["feed_entries"].create_index(["feed_id", "content_hash"])


@migrations()
def m011_delivery_resends(db: Database) -> None:
    """How often an admin asked to send a failed delivery again (`summitbot deliveries --resend`)."""
    db["deliveries"].add_column("resends", int, not_null_default=0)
