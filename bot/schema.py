"""The database schema, as sqlite-utils migrations (append new ones at the end, never edit old ones)."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from bot.names import summit_key

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


# A meeting's row in the search index: its name, its participants' names, its places and its kind.
# FTS5's unicode61 tokenizer with remove_diacritics folds text as name_key does (case, accents,
# punctuation, hyphens and underscores), so 'Lee Jae-myung' is found by 'lee jae myung'.
_SEARCH_ROW = """INSERT INTO meetings_fts (rowid, name, participants, location, places, kind)
    SELECT m.id, m.name,
           (SELECT group_concat(p.name, ', ') FROM meeting_people mp JOIN people p ON p.id = mp.person_id
             WHERE mp.meeting_id = m.id),
           m.location, m.alt_locations, m.kind
      FROM meetings m"""


def _refresh_search(which: str) -> str:
    """Trigger statements that rewrite the search rows of the meetings whose id is ``which`` ('= NEW.id')."""
    return f"DELETE FROM meetings_fts WHERE rowid {which}; {_SEARCH_ROW} WHERE m.id {which};"


_TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
_SCALE_STATEMENTS = [
    f"CREATE VIRTUAL TABLE meetings_fts USING fts5(name, participants, location, places, kind, {_TOKENIZE})",
    f"CREATE TRIGGER meetings_fts_insert AFTER INSERT ON meetings BEGIN {_refresh_search('= NEW.id')} END",
    f"""CREATE TRIGGER meetings_fts_update AFTER UPDATE OF name, location, alt_locations, kind ON meetings
        BEGIN {_refresh_search('= NEW.id')} END""",
    "CREATE TRIGGER meetings_fts_delete AFTER DELETE ON meetings BEGIN DELETE FROM meetings_fts WHERE rowid = OLD.id; END",
    f"CREATE TRIGGER meeting_people_fts_insert AFTER INSERT ON meeting_people BEGIN {_refresh_search('= NEW.meeting_id')} END",
    f"CREATE TRIGGER meeting_people_fts_delete AFTER DELETE ON meeting_people BEGIN {_refresh_search('= OLD.meeting_id')} END",
    f"""CREATE TRIGGER people_fts_rename_meetings AFTER UPDATE OF name ON people
        BEGIN {_refresh_search('IN (SELECT meeting_id FROM meeting_people WHERE person_id = NEW.id)')} END""",
    _SEARCH_ROW,
    f"CREATE VIRTUAL TABLE people_fts USING fts5(name, content = 'people', content_rowid = 'id', {_TOKENIZE})",
    "CREATE TRIGGER people_fts_insert AFTER INSERT ON people BEGIN INSERT INTO people_fts (rowid, name) VALUES (NEW.id, NEW.name); END",
    """CREATE TRIGGER people_fts_delete AFTER DELETE ON people
        BEGIN INSERT INTO people_fts (people_fts, rowid, name) VALUES ('delete', OLD.id, OLD.name); END""",
    """CREATE TRIGGER people_fts_update AFTER UPDATE OF name ON people BEGIN
        INSERT INTO people_fts (people_fts, rowid, name) VALUES ('delete', OLD.id, OLD.name);
        INSERT INTO people_fts (rowid, name) VALUES (NEW.id, NEW.name);
    END""",
    "INSERT INTO people_fts (people_fts) VALUES ('rebuild')",
    # Each participant's meetings by date, for the merge's date window (meeting_people has no dates).
    'CREATE TABLE participations (person_id INTEGER NOT NULL, meeting_id INTEGER NOT NULL, start TEXT, "end" TEXT)',
    'CREATE INDEX participations_person_start ON participations (person_id, start, "end", meeting_id)',
    "CREATE INDEX participations_meeting ON participations (meeting_id, person_id)",
    # upcoming who: a leader's meetings not over by today.
    'CREATE INDEX participations_person_until ON participations (person_id, COALESCE("end", start))',
    """CREATE TRIGGER participations_insert AFTER INSERT ON meeting_people BEGIN
        INSERT INTO participations (person_id, meeting_id, start, "end")
        SELECT NEW.person_id, NEW.meeting_id, start, "end" FROM meetings WHERE id = NEW.meeting_id;
    END""",
    """CREATE TRIGGER participations_delete AFTER DELETE ON meeting_people BEGIN
        DELETE FROM participations WHERE meeting_id = OLD.meeting_id AND person_id = OLD.person_id;
    END""",
    """CREATE TRIGGER participations_move AFTER UPDATE OF start, "end" ON meetings
        BEGIN UPDATE participations SET start = NEW.start, "end" = NEW."end" WHERE meeting_id = NEW.id; END""",
    """CREATE TRIGGER participations_meeting_delete AFTER DELETE ON meetings
        BEGIN DELETE FROM participations WHERE meeting_id = OLD.id; END""",
    """INSERT INTO participations (person_id, meeting_id, start, "end")
       SELECT mp.person_id, mp.meeting_id, m.start, m."end" FROM meeting_people mp JOIN meetings m ON m.id = mp.meeting_id""",
    # upcoming: meetings not over by today (their end, else their start, on or after it), by status; the
    # dates are in the index so a page is chosen from it before any row is read.
    'CREATE INDEX meetings_status_until ON meetings (status, COALESCE("end", start), start, "end")',
    # The merge's date window reaches records that start up to 120 (or 400) days away; longer ones that
    # overlap are found by their end here (few: 'a visit in 2026').
    'CREATE INDEX meetings_long_span ON meetings ("end") WHERE julianday("end") - julianday(start) > 120',
]


@migrations()
def m020_search_and_scale(db: Database) -> None:
    """Full-text search over meetings and people, kept in step by triggers; indexes so that the commands and
    the merge read only the rows they need however long the history grows (issue 21)."""
    for statement in _SCALE_STATEMENTS:
        db.execute(statement)
    # The words that tell summit names apart, sorted: equal keys are the same summit (merge.same_name).
    db["meetings"].add_column("summit_key", str)
    rows = db.execute("SELECT id, name FROM meetings WHERE name IS NOT NULL").fetchall()
    db.conn.executemany("UPDATE meetings SET summit_key = ? WHERE id = ?", [(summit_key(n), i) for i, n in rows])
    db.execute('CREATE INDEX meetings_summit_key ON meetings (summit_key, start, "end")')


@contextmanager
def search_index_paused(db: Database) -> Iterator[None]:
    """For a bulk load in one transaction: the search index is not rewritten row by row while it runs (its
    triggers are dropped), but rebuilt once at the end, and the triggers are put back."""
    names = ("meetings_fts_insert", "meeting_people_fts_insert")
    saved = [sql for (sql,) in db.execute(
        f"SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({', '.join('?' * len(names))})", names)]
    for name in names:
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        yield
    finally:
        db.execute("DELETE FROM meetings_fts")
        db.execute(_SEARCH_ROW)
        for sql in saved:
            db.execute(sql)


@migrations()
def m030_calendar_window(db: Database) -> None:
    """The web calendar's windows (a month, the list from a day on) read from one index holding the dates and
    the filterable columns, so choosing a page touches index entries only, not the meetings' rows (issue 23).
    A country filter looks up the places in it among the distinct venues (meetings_location: one step per
    venue, not per meeting), and checks the few meetings with alternative venues through their own index."""
    db.execute('CREATE INDEX meetings_calendar ON meetings (start, "end", precision, kind, certainty, location)')
    db.execute("CREATE INDEX meetings_location ON meetings (location)")
    db.execute("""CREATE INDEX meetings_more_places ON meetings (alt_locations)
                  WHERE alt_locations IS NOT NULL AND alt_locations != '[]'""")


@migrations()
def m031_channel_feeds(db: Database) -> None:
    """Each channel's calendar feeds behind a secret token (bot/channel_feeds.py, issue 23)."""
    db["channel_feeds"].create(
        {
            "channel_id": int,
            "token": str,  # secrets.token_urlsafe; kept so the channel can be shown its address again
            "token_sha256": str,  # hex digest: the lookup key, so no comparison runs on the token itself
            "created": str,
            "rotated": str,
        },
        pk="channel_id",
        foreign_keys=[("channel_id", "channels", "id")],
        not_null={"token", "token_sha256"},
    )
    db["channel_feeds"].create_index(["token_sha256"], unique=True)


# What reminder planning must look at again: a meeting whose dates, time, kind, certainty, status,
# places or participants changed (or a person's name or country, for the meetings they are in), and a
# channel whose settings or subscriptions changed. Triggers write it, whoever the writer is; the planner
# reads the rows past its watermark and deletes them once planned (bot/delivery/scope.py).
_MEETING_FIELDS = 'kind, start, "end", time, tz, precision, certainty, status, location, alt_locations'
_CHANNEL_FIELDS = "tz, delivery_time, status, digest, digest_time, digest_day, digest_since"
_PLAN_LOG_STATEMENTS = [
    "CREATE TABLE plan_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, meeting_id INTEGER, channel_id INTEGER)",
    "CREATE TRIGGER plan_log_meeting_insert AFTER INSERT ON meetings"
    " BEGIN INSERT INTO plan_log (meeting_id) VALUES (NEW.id); END",
    f"CREATE TRIGGER plan_log_meeting_update AFTER UPDATE OF {_MEETING_FIELDS} ON meetings"
    " BEGIN INSERT INTO plan_log (meeting_id) VALUES (NEW.id); END",
    "CREATE TRIGGER plan_log_meeting_delete AFTER DELETE ON meetings"
    " BEGIN INSERT INTO plan_log (meeting_id) VALUES (OLD.id); END",
    "CREATE TRIGGER plan_log_people_insert AFTER INSERT ON meeting_people"
    " BEGIN INSERT INTO plan_log (meeting_id) VALUES (NEW.meeting_id); END",
    "CREATE TRIGGER plan_log_people_delete AFTER DELETE ON meeting_people"
    " BEGIN INSERT INTO plan_log (meeting_id) VALUES (OLD.meeting_id); END",
    """CREATE TRIGGER plan_log_person_update AFTER UPDATE OF name, country ON people BEGIN
        INSERT INTO plan_log (meeting_id) SELECT meeting_id FROM meeting_people WHERE person_id = NEW.id;
    END""",
    "CREATE TRIGGER plan_log_subscription_insert AFTER INSERT ON subscriptions"
    " BEGIN INSERT INTO plan_log (channel_id) VALUES (NEW.channel_id); END",
    """CREATE TRIGGER plan_log_subscription_update AFTER UPDATE ON subscriptions BEGIN
        INSERT INTO plan_log (channel_id) VALUES (OLD.channel_id);
        INSERT INTO plan_log (channel_id) SELECT NEW.channel_id WHERE NEW.channel_id IS NOT OLD.channel_id;
    END""",
    "CREATE TRIGGER plan_log_subscription_delete AFTER DELETE ON subscriptions"
    " BEGIN INSERT INTO plan_log (channel_id) VALUES (OLD.channel_id); END",
    f"CREATE TRIGGER plan_log_channel_update AFTER UPDATE OF {_CHANNEL_FIELDS} ON channels"
    " BEGIN INSERT INTO plan_log (channel_id) VALUES (NEW.id); END",
    "CREATE TRIGGER plan_log_channel_delete AFTER DELETE ON channels"
    " BEGIN INSERT INTO plan_log (channel_id) VALUES (OLD.id); END",
]


@migrations()
def m021_plan_log(db: Database) -> None:
    """The log incremental reminder planning reads (issue 21): which meetings and channels changed since the
    last pass. An existing database has no watermark yet, so its first pass after this migration is a full one."""
    for statement in _PLAN_LOG_STATEMENTS:
        db.execute(statement)


@migrations()
def m022_meeting_format(db: Database) -> None:
    """How a meeting is held: NULL (in person, or not said) or 'online' (by video; issue 20)."""
    db["meetings"].add_column("format", str)


@migrations()
def m023_meeting_moved_from(db: Database) -> None:
    """The dates a meeting was moved from (JSON list of ISO dates or ranges): a report older than a postponed
    record's move is that record only if it gives one of them (bot/merge.py). Existing postponed records get
    the old dates of their recorded date changes."""
    db["meetings"].add_column("moved_from", str)
    db.execute("""UPDATE meetings SET moved_from = (SELECT json_group_array(old) FROM changes
                      WHERE changes.meeting_id = meetings.id AND field = 'date' AND old IS NOT NULL)
                  WHERE status = 'postponed'""")


@migrations()
def m024_lease_generation(db: Database) -> None:
    """The sending lease's generation: one more at every fresh acquisition (a new owner, or the old one after it
    expired). A planning pass writes only while the generation it started under is the lease's (a fence)."""
    db["leases"].add_column("generation", int, not_null_default=0)
