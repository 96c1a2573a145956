"""SQLite storage through sqlite-utils: articles, meetings, people, provenance, history."""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable

from sqlite_utils import Database

from bot.models import Article, Change, Meeting, MeetingRecord, Source
from bot.names import name_key, summit_key
from bot.schema import migrations
from bot.write_lock import Connection

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """No such record."""


def content_hash(text: str) -> str:
    """Hash of the article text with whitespace folded, so re-fetched copies are duplicates."""
    folded = " ".join(text.split())
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


# How much a query word counts in each column of the search index: name, participants, location, places, kind.
SEARCH_WEIGHTS = "10.0, 5.0, 3.0, 1.0, 1.0"

def fts_words(query: str) -> list[str]:
    """The query's words as FTS5 strings, quoted so that none is read as an operator."""
    return [f'"{w}"' for w in name_key(query).split()]


def fts_match(query: str) -> str | None:
    """The FTS5 query that finds every word of ``query`` (None when it has none): a word of three letters or more
    may be the start of a longer one ('bruss'); shorter ones ('eu', 'g7', 'xi') are whole words, as a one-letter
    prefix would match (and rank) half the database."""
    words = fts_words(query)
    return " ".join(w if len(w) <= 4 else f"{w}*" for w in words) if words else None  # len counts the quotes


def utcnow_iso(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")


WAL_LIMIT = 64 * 1024 * 1024  # bytes


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the database at ``path`` with WAL on and the schema migrated."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, factory=Connection)
    db = Database(conn)
    db.execute("PRAGMA busy_timeout = 30000")
    if str(path) != ":memory:":
        db.enable_wal()
        # The WAL file keeps its largest size until a writer that restarts it truncates it to this.
        db.execute(f"PRAGMA journal_size_limit = {WAL_LIMIT}")
    db.execute("PRAGMA foreign_keys = ON")
    for attempt in range(5):
        try:
            if migrations.pending(db):
                migrations.apply(db)
                db.execute("ANALYZE")  # the planner's statistics for the new indexes
            break
        except sqlite3.IntegrityError:
            # Another process applied the same migration first; look again.
            if attempt == 4:
                raise
    return db


def leave_checkpoints(db: Database) -> None:
    """Stop ``db``'s connection from checkpointing the WAL at its commits (``PRAGMA wal_autocheckpoint = 0``).

    For the connections that serve commands while a planning process runs: SQLite's automatic checkpoint
    runs in the commit that takes the WAL past 1,000 pages, on the committing connection, so a subscribe
    that happened to commit then copied the WAL back first (at 1,000,000 meetings, 110-280 ms after its
    COMMIT while a first plan wrote). The planner checkpoints instead (:func:`checkpoint`: during the
    pauses between its write slices and at the end of every pass, each tick), so the WAL stays bounded as
    long as a scheduler plans; only set this where one does (bot/scheduler.py)."""
    db.execute("PRAGMA wal_autocheckpoint = 0")


def checkpoint(db: Database) -> bool:
    """Copy what the WAL holds back into the database file, as far as readers allow, without waiting for
    anyone (``PASSIVE``); whether all of it was copied (True too without a WAL).

    Only then does the next writer start the WAL from its beginning again (once no reader still reads from
    it); a reader whose snapshot predates the last commit stops the copy at its snapshot, and the next writer
    appends (see bot/delivery/writes.py's ``checkpoint_within``)."""
    busy, log, copied = db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
    return busy == 0 and log == copied


def restart_wal(db: Database) -> bool:
    """``wal_checkpoint(RESTART)`` without waiting: True when the WAL is all copied back and no reader reads
    from it, so that the next write starts it from its beginning (and cuts the file to WAL_LIMIT).

    It holds the write lock for the moment it looks (a writer holding it makes it give up at once)."""
    saved = db.execute("PRAGMA busy_timeout").fetchone()[0]
    db.execute("PRAGMA busy_timeout = 0")
    try:
        return db.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()[0] == 0
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(saved)}")


def open_reader(path: str) -> Database:
    """A read-only connection to the database file, usable only by the thread that opens it.

    For work in a worker thread (extraction's summit lookups): the shared connection
    belongs to the event loop's thread, and this one sees what that one has committed.
    """
    return Database(sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro", uri=True, timeout=30))


def database_file(store: Store) -> str | None:
    """The file behind the store's main database, or None for an in-memory one."""
    for _seq, name, path in store.db.execute("PRAGMA database_list").fetchall():
        if name == "main":
            return path or None
    return None


@dataclass
class StoredArticle:
    id: int
    is_new: bool
    status: str
    reason: str | None = None


class Store:
    """All reads and writes of summitbot's data go through here."""

    def __init__(self, db: Database | str | Path):
        self.db = db if isinstance(db, Database) else open_db(db)

    # -- articles -----------------------------------------------------------------

    def add_article(self, article: Article, *, status: str = "ok", reason: str | None = None,
                    now: datetime | None = None) -> StoredArticle:
        """Store an article unless its text is already stored; return its id and whether it is new."""
        digest = content_hash(article.text)
        existing = list(self.db["articles"].rows_where("content_hash = ?", [digest], limit=1))
        if existing:
            row = existing[0]
            return StoredArticle(row["id"], False, row["status"], row["reason"])
        table = self.db["articles"]
        table.insert(
            {
                "url": article.url,
                "title": article.title,
                "outlet": article.outlet,
                "published": article.published.isoformat() if article.published else None,
                "text": article.text,
                "content_hash": digest,
                "source": article.source_path or article.id,
                "status": status,
                "reason": reason,
                "ingested_at": utcnow_iso(now),
            }
        )
        return StoredArticle(table.last_pk, True, status, reason)

    def article(self, article_id: int) -> dict:
        try:
            return self.db["articles"].get(article_id)
        except Exception as exc:  # sqlite_utils.db.NotFoundError
            raise NotFound(f"no article {article_id}") from exc

    def article_count(self) -> int:
        return self.db["articles"].count

    # -- people ---------------------------------------------------------------------

    def person_id(self, name: str) -> int:
        """The id of the person called ``name`` (an alias or canonical form), created when new."""
        key = name_key(name)
        row = self.db.execute("SELECT person_id FROM aliases WHERE alias = ?", [key]).fetchone()
        if row:
            return row[0]
        existing = self.db.execute("SELECT id FROM people WHERE name = ?", [name]).fetchone()
        if existing:
            pid = existing[0]
        else:
            pid = self.db["people"].insert({"name": name}).last_pk
        self.db["aliases"].insert({"alias": key, "person_id": pid}, replace=True)
        return pid

    def add_alias(self, alias: str, canonical: str) -> None:
        pid = self.person_id(canonical)
        self.db["aliases"].insert({"alias": name_key(alias), "person_id": pid}, replace=True)

    def people_matching(self, query: str) -> list[str]:
        """Canonical names whose words contain the query's words ('lee' finds 'Lee Jae-myung')."""
        return [name for _pid, name in self._people_matching(query)]

    def _people_matching(self, query: str) -> list[tuple[int, str]]:
        """(id, name) of the people :meth:`people_matching` finds, by name, found through the names' index."""
        key = name_key(query)
        words = fts_words(query)
        if not words:
            return []
        # Every word of the query is a word of the name, or the name starts with the query.
        match = f"({' AND '.join(words)}) OR (^\"{key}\" *)"
        rows = self.db.execute(
            "SELECT p.id, p.name FROM people_fts JOIN people p ON p.id = people_fts.rowid"
            " WHERE people_fts MATCH ? ORDER BY p.name", [match]).fetchall()
        wanted = key.split()
        found = []
        for pid, name in rows:  # the index proposes, the rule decides (its tokenizer is not name_key)
            have = name_key(name)
            if set(wanted) <= set(have.split()) or have.startswith(key):
                found.append((pid, name))
        return found

    def participant_names(self) -> list[str]:
        # People by the name index, each checked through meeting_people's person index (no join of every link).
        return [r[0] for r in self.db.execute(
            "SELECT p.name FROM people p WHERE EXISTS (SELECT 1 FROM meeting_people mp WHERE mp.person_id = p.id)"
            " ORDER BY p.name")]

    # -- meetings -------------------------------------------------------------------

    def insert_meeting(self, m: Meeting, *, article_id: int | None, asof: str | None,
                       now: datetime | None = None) -> int:
        stamp = utcnow_iso(now)
        table = self.db["meetings"]
        table.insert(
            {
                "kind": m.kind,
                "name": m.name,
                "summit_key": summit_key(m.name),
                "location": m.location,
                "alt_locations": json.dumps(m.alt_locations),
                "start": m.start.isoformat() if m.start else None,
                "end": m.end.isoformat() if m.end else None,
                "time": m.time,
                "tz": m.tz,
                "precision": m.precision,
                "certainty": m.certainty,
                "status": m.tense,
                "asof": asof,
                "first_seen": stamp,
                "updated": stamp,
            }
        )
        mid = table.last_pk
        self.set_participants(mid, m.participants)
        self.add_source(mid, article_id, m.sentence, now=now)
        self.record_change(mid, "created", None, _describe(m), article_id, m.sentence, now=now)
        return mid

    def set_participants(self, meeting_id: int, names: Iterable[str]) -> None:
        for name in names:
            pid = self.person_id(name)
            self.db["meeting_people"].insert({"meeting_id": meeting_id, "person_id": pid}, ignore=True)

    def add_source(self, meeting_id: int, article_id: int | None, sentence: str,
                   now: datetime | None = None) -> bool:
        if article_id is None:
            return False
        before = self.db["sources"].count_where("meeting_id = ? AND article_id = ?", [meeting_id, article_id])
        self.db["sources"].insert(
            {"meeting_id": meeting_id, "article_id": article_id, "sentence": sentence or "",
             "seen_at": utcnow_iso(now)},
            ignore=True,
        )
        return before == 0

    def update_meeting(self, meeting_id: int, fields: dict, *, asof: str | None = None,
                       now: datetime | None = None) -> None:
        values = dict(fields)
        if "alt_locations" in values and not isinstance(values["alt_locations"], str):
            values["alt_locations"] = json.dumps(values["alt_locations"])
        for key in ("start", "end"):
            if isinstance(values.get(key), date):
                values[key] = values[key].isoformat()
        if "name" in values:
            values["summit_key"] = summit_key(values["name"])
        values["updated"] = utcnow_iso(now)
        if asof:
            values["asof"] = asof
        self.db["meetings"].update(meeting_id, values)

    def record_change(self, meeting_id: int, field: str, old, new, article_id: int | None,
                      sentence: str | None, now: datetime | None = None) -> None:
        self.db["changes"].insert(
            {
                "meeting_id": meeting_id,
                "at": utcnow_iso(now),
                "field": field,
                "old": None if old is None else str(old),
                "new": None if new is None else str(new),
                "article_id": article_id,
                "sentence": sentence,
            }
        )

    def meeting(self, meeting_id: int, *, with_history: bool = True) -> MeetingRecord:
        cur = self.db.execute("SELECT * FROM meetings WHERE id = ?", [meeting_id])
        row = cur.fetchone()
        if row is None:
            raise NotFound(f"no meeting with id {meeting_id}")
        rec = self._record(dict(zip([d[0] for d in cur.description], row)))
        if with_history:
            rec.sources = self.sources(meeting_id)
            rec.changes = self.changes(meeting_id)
        return rec

    def sources(self, meeting_id: int) -> list[Source]:
        rows = self.db.execute(
            """SELECT s.article_id, a.title, a.url, a.outlet, a.published, s.sentence
               FROM sources s JOIN articles a ON a.id = s.article_id
               WHERE s.meeting_id = ? ORDER BY a.published, s.article_id""",
            [meeting_id],
        ).fetchall()
        return [Source(*r) for r in rows]

    def changes(self, meeting_id: int) -> list[Change]:
        rows = self.db.execute(
            """SELECT c.at, c.field, c.old, c.new, c.article_id, c.sentence, a.title
               FROM changes c LEFT JOIN articles a ON a.id = c.article_id
               WHERE c.meeting_id = ? ORDER BY c.id""",
            [meeting_id],
        ).fetchall()
        return [Change(*r) for r in rows]

    def meetings(self, where: str = "1", params: Iterable = (), order: str = "start, id",
                 limit: int | None = None) -> list[MeetingRecord]:
        sql = f"SELECT * FROM meetings WHERE {where} ORDER BY {order}"
        if limit:
            sql += f" LIMIT {int(limit)}"
        cur = self.db.execute(sql, list(params))
        cols = [d[0] for d in cur.description]
        rows = [dict(zip(cols, r)) for r in cur.fetchall()]
        people = self._participants_for([r["id"] for r in rows])
        return [self._record(r, people.get(r["id"], [])) for r in rows]

    def upcoming(self, today: date, days: int | None = None, who: str | None = None,
                 limit: int | None = None, offset: int = 0) -> list[MeetingRecord]:
        """Meetings not cancelled or past whose dates reach today or later (within ``days``); a page of
        ``limit`` from ``offset``."""
        # Bounded below by the index on (status, end else start): history before today is never read.
        where = ["status IN ('upcoming', 'postponed')", "COALESCE(\"end\", start) >= ?"]
        params: list = [today.isoformat()]
        if days is not None:
            horizon = date.fromordinal(today.toordinal() + days).isoformat()
            where.append("+start <= ?")  # '+': the range on (status, end) bounds it, not all history's starts
            params.append(horizon)
        if who:
            people = [pid for pid, _name in self._people_matching(who)]
            if not people:
                return []
            # Their meetings not over by today, straight from the participations index (CROSS JOIN: SQLite's
            # way to keep it the outer loop), however many meetings they had before.
            sql = f"""SELECT DISTINCT m.id, m.start, m."end" FROM participations pa CROSS JOIN meetings m
                        ON m.id = pa.meeting_id
                      WHERE pa.person_id IN ({','.join('?' * len(people))}) AND COALESCE(pa."end", pa.start) >= ?
                        AND m.status IN ('upcoming', 'postponed') {'AND m.start <= ?' if days is not None else ''}
                      ORDER BY m.start, m."end", m.id"""
            params = [*people, *params]
        else:
            # The page is chosen from the index alone (it holds the dates); only its rows are read.
            sql = f"SELECT id FROM meetings WHERE {' AND '.join(where)} ORDER BY +start, \"end\", id"
        if limit:
            sql += f" LIMIT {int(limit)}" + (f" OFFSET {int(offset)}" if offset else "")
        ids = [r[0] for r in self.db.execute(sql, params)]
        found = {rec.id: rec for rec in self.meetings_by_id(ids)}
        return [found[i] for i in ids]

    def meetings_by_id(self, ids: list[int]) -> list[MeetingRecord]:
        """The records with these ids (in no particular order), looked up 500 at a time."""
        return [rec for start in range(0, len(ids), 500)
                for rec in self.meetings(f"id IN ({','.join('?' * len(ids[start:start + 500]))})",
                                         ids[start:start + 500], order="id")]

    def search(self, query: str, limit: int = 20, offset: int = 0) -> list[MeetingRecord]:
        """Meetings whose name, place, kind or participants have words starting with every word of the query
        (words of one or two letters match whole words),
        best first (by full-text rank: a word in the name counts most), a page of ``limit`` from ``offset``."""
        match = fts_match(query)
        if match is None:
            return []
        ids = [r[0] for r in self.db.execute(
            f"""SELECT rowid FROM meetings_fts WHERE meetings_fts MATCH ?
                ORDER BY bm25(meetings_fts, {SEARCH_WEIGHTS}), rowid DESC LIMIT ? OFFSET ?""",
            [match, int(limit), int(offset)])]
        if not ids:
            return []
        found = {rec.id: rec for rec in self.meetings_by_id(ids)}
        return [found[i] for i in ids if i in found]

    def find_summit(self, name: str, around: date) -> tuple[date, date, str | None] | None:
        """Dates and place of the named summit nearest after ``around`` (or under way then), if known."""
        key = summit_key(name)
        if key is None:
            return None
        row = self.db.execute(
            """SELECT start, "end", location FROM meetings
               WHERE summit_key = ? AND start IS NOT NULL AND status != 'cancelled' AND "end" >= ?
                 AND (precision = 'day' OR precision IS NULL OR precision = '')
               ORDER BY start, id LIMIT 1""",
            [key, date.fromordinal(around.toordinal() - 7).isoformat()]).fetchone()
        if row is None:
            return None
        return date.fromisoformat(row[0]), date.fromisoformat(row[1]), row[2]

    def _participants_for(self, ids: list[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start:chunk_start + 500]
            if not chunk:
                continue
            # In the order they were added (rowid), sorted here: an ORDER BY rowid may tempt the planner to
            # walk the whole table in rowid order instead of looking the meetings up; CROSS JOIN keeps
            # meeting_people the outer loop (SQLite's way to fix a join order), never a walk through people.
            rows = sorted(self.db.execute(
                f"""SELECT mp.rowid, mp.meeting_id, p.name FROM meeting_people mp CROSS JOIN people p
                    ON p.id = mp.person_id
                    WHERE mp.meeting_id IN ({','.join('?' * len(chunk))})""",
                chunk,
            ))
            for _rowid, mid, name in rows:
                out.setdefault(mid, []).append(name)
        return out

    def _record(self, row: dict, participants: list[str] | None = None) -> MeetingRecord:
        if participants is None:
            participants = self._participants_for([row["id"]]).get(row["id"], [])
        return MeetingRecord(
            id=row["id"],
            kind=row["kind"],
            participants=participants,
            name=row["name"],
            location=row["location"],
            alt_locations=json.loads(row["alt_locations"] or "[]"),
            start=date.fromisoformat(row["start"]) if row["start"] else None,
            end=date.fromisoformat(row["end"]) if row["end"] else None,
            time=row["time"],
            tz=row["tz"],
            precision=row["precision"] or "day",
            certainty=row["certainty"],
            status=row["status"],
            first_seen=row["first_seen"],
            updated=row["updated"],
            asof=row.get("asof"),
            format=row.get("format"),
            moved_from=json.loads(row.get("moved_from") or "[]"),
        )


def _describe(m: Meeting) -> str:
    when = m.start.isoformat() if m.start else "date unknown"
    if m.end and m.end != m.start:
        when += f"..{m.end.isoformat()}"
    who = ", ".join(m.participants) or (m.name or "")
    return f"{m.kind} {who} {when} {m.location or ''}".strip()
