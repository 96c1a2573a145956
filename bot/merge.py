"""One record per summit: attach a newly extracted meeting to the record it reports on, or create one.

When a later article moves the date, narrows a range, changes the venue, confirms,
postpones or cancels, the record is updated and each change is written to the
`changes` table with the article and sentence that caused it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.extract.patterns import ONLINE
from bot.models import Meeting, MeetingRecord, certainty_rank
from bot.names import name_key, summit_key, summit_name_words
from bot.store import Store

# How far apart two reports of one meeting's dates may be when one of them signals a move.
MOVE_WINDOW = timedelta(days=400)
VAGUE_WINDOW = timedelta(days=120)
POSTPONE_CUE = re.compile(r"\b(?:postpone\w*|delay\w*|push(?:ed)? back|reschedul\w*|put off|moved?|brought forward|"
                          r"instead|now (?:be held|take place))\b", re.I)


@dataclass
class FoldResult:
    meeting_id: int
    created: bool
    changed: bool


def same_name(a: str | None, b: str | None) -> bool:
    """'G7' and 'G7 summit', 'APEC summit' and 'APEC Leaders' Meeting' are one summit; a side event
    such as 'US-APEC leaders' working dinner' is not the summit itself."""
    wa, wb = summit_name_words(a), summit_name_words(b)
    return bool(wa and wb and wa == wb)


def _span(start: date | None, end: date | None) -> int:
    if start is None or end is None:
        return 10_000
    return (end - start).days


def _overlaps(m: Meeting, r: MeetingRecord) -> bool:
    if m.start is None or r.start is None:
        return True
    return m.start <= (r.end or r.start) and r.start <= (m.end or m.start)


def _near(m: Meeting, r: MeetingRecord, window: timedelta) -> bool:
    if m.start is None or r.start is None:
        return True
    return abs(m.start - r.start) <= window


# Records longer than this are looked up by their end (bot/schema.py's meetings_long_span says the same).
LONG_SPAN = VAGUE_WINDOW

# The date tests of find_match, in SQL over a record's start and end: it overlaps m, or m signals a move
# and it is within MOVE_WINDOW, or either is vague and it is within VAGUE_WINDOW.
_DATES_MAY_MATCH = """(start <= :m_end AND COALESCE("end", start) >= :m_start
    OR :moved AND start BETWEEN :move_lo AND :move_hi
    OR (:vague OR "end" IS NULL OR "end" > start) AND start BETWEEN :near_lo AND :near_hi
    OR :dated_report AND {postponed} AND start BETWEEN :near_lo AND :near_hi)"""


def _moved(m: Meeting) -> bool:
    return bool(POSTPONE_CUE.search(m.sentence or "")) or m.tense in ("postponed", "cancelled")


def _moved_from(m: Meeting, rec: MeetingRecord) -> bool:
    """Could ``m`` give the date ``rec`` was moved from? Any date while that is not known (a record first heard of
    as moved); else only one of those dates: another meeting of the same people that week is another meeting."""
    if not rec.moved_from or m.start is None:
        return True
    for text in rec.moved_from:
        first, _, last = (text or "").partition("..")
        try:
            start, end = date.fromisoformat(first), date.fromisoformat(last or first)
        except ValueError:
            continue
        if m.start <= end and start <= (m.end or m.start):
            return True
    return False


def _candidates(store: Store, m: Meeting, dated_report: bool = False) -> dict[int, MeetingRecord]:
    """The records that share a participant or the summit name with ``m`` and whose dates could pass
    find_match's tests, chosen in SQL through indexes (participations by person and dates, meetings by
    summit key and dates), so a fold reads the same few rows however long the history is. Ordered as
    find_match has always seen them: the participants' records by start, then the name's. (A record that
    shares only one of several participants and not the name never matches, so it is left out; names
    resolve to people one to one through the aliases, so sharing names is sharing people.)"""
    person_ids = [store.person_id(p) for p in m.participants]
    params: dict = {f"p{i}": pid for i, pid in enumerate(person_ids)}
    people = ", ".join(f":{k}" for k in params)
    key = summit_key(m.name) if m.name else None
    params["key"] = key
    if m.start is None:  # no date: any record of its participants or its name may match, as in find_match
        dated = ""
    else:
        window = MOVE_WINDOW if _moved(m) else VAGUE_WINDOW
        m_end = m.end or m.start
        params.update(
            m_start=m.start.isoformat(), m_end=m_end.isoformat(), moved=int(_moved(m)), dated_report=int(dated_report),
            vague=int(_span(m.start, m.end) > 0),
            move_lo=(m.start - MOVE_WINDOW).isoformat(), move_hi=(m.start + MOVE_WINDOW).isoformat(),
            near_lo=(m.start - VAGUE_WINDOW).isoformat(), near_hi=(m.start + VAGUE_WINDOW).isoformat(),
            lo=(m.start - window).isoformat(), hi=max(m_end, m.start + window).isoformat())
        # A record without a date could be any date: it stays a candidate, as in find_match.
        dated = f" AND start BETWEEN :lo AND :hi AND {_DATES_MAY_MATCH} UNION ALL {{base}} AND start IS NULL"
        # (a postponed record: a report older than the move may still date it where it was; postponed records
        # are few, so the subquery is a short list)
    by_people: set[int] = set()
    by_name: set[int] = set()
    if people:
        base = f"SELECT meeting_id FROM participations WHERE person_id IN ({people})"
        sql = base + dated.format(base=base, postponed="meeting_id IN (SELECT id FROM meetings WHERE status = 'postponed')")
        if len(set(person_ids)) >= 2:
            # With two people or more, a record needs two of them (or the summit's name, below) to match.
            sql = f"SELECT meeting_id FROM ({sql}) GROUP BY meeting_id HAVING count(*) >= 2"
        by_people = {r[0] for r in store.db.execute(sql, params)}
    if key:
        base = "SELECT id FROM meetings WHERE summit_key = :key"
        by_name = {r[0] for r in store.db.execute(base + dated.format(base=base, postponed="status = 'postponed'"), params)}
    if m.start is not None and (people or key):
        # Records longer than the window that overlap m's dates (few, and found by their end).
        rows = store.db.execute(
            f"""SELECT id, summit_key FROM meetings
                WHERE julianday("end") - julianday(start) > {LONG_SPAN.days} AND "end" >= :m_start
                  AND start <= :m_end""", params).fetchall()
        if rows:
            if people:
                ids = ", ".join(str(r[0]) for r in rows)
                by_people |= {r[0] for r in store.db.execute(
                    f"SELECT meeting_id FROM meeting_people WHERE meeting_id IN ({ids}) AND +person_id IN ({people})",
                    params)}
            by_name |= {i for i, k in rows if key and k == key}
    # (`+person_id` in these two lookups by id: ANALYZE's average of rows per person would make SQLite walk
    # every participation of the people instead, 16-48 ms for the busiest leader of a 1M-meeting database.)
    if people and by_name - by_people:  # a named record with one of the people stays among theirs
        ids = ", ".join(str(i) for i in by_name - by_people)
        by_people |= {r[0] for r in store.db.execute(
            f"SELECT meeting_id FROM participations WHERE meeting_id IN ({ids}) AND +person_id IN ({people})", params)}
    candidates: dict[int, MeetingRecord] = {}
    for group in (by_people, by_name - by_people):
        by_start = sorted(store.meetings_by_id(sorted(group)),
                          key=lambda r: (r.start is not None, r.start or date.min, r.id))
        for rec in by_start:
            candidates[rec.id] = rec
    return candidates


def find_match(store: Store, m: Meeting, article_id: int | None = None,
               published: datetime | None = None) -> MeetingRecord | None:
    """The stored meeting this extracted one reports on, if any.

    A record that already has this article as a source is not a candidate: the extractor
    has already told that article's meetings apart.
    """
    candidates = _candidates(store, m, published is not None)
    moved = _moved(m)
    best, best_score = None, 0.0
    mine = {name_key(p) for p in m.participants}
    same_article: set[int] = set()
    if article_id is not None and candidates:
        ids = list(candidates)
        same_article = {r[0] for r in store.db.execute(
            f"SELECT DISTINCT meeting_id FROM sources WHERE article_id = ? AND meeting_id IN ({','.join('?' * len(ids))})",
            [article_id, *ids])}
    for rec in candidates.values():
        if rec.id in same_article:
            continue
        if (rec.kind == "phone_call") != (m.kind == "phone_call") and not ONLINE.search(m.sentence or ""):
            continue  # (a summit held by video is still the summit)
        if (rec.status == "past") != (m.tense == "past") and not (
                m.tense == "past" and rec.status in ("upcoming", "postponed") and _overlaps(m, rec)):
            continue
        theirs = {name_key(p) for p in rec.participants}
        shared = len(mine & theirs)
        named = bool(m.name and rec.name and same_name(m.name, rec.name))
        if m.name and rec.name and not named:
            continue
        if bool(m.name) != bool(rec.name) and "multilateral" in (m.kind, rec.kind) and rec.kind != m.kind:
            continue  # a named summit is not a bilateral held at it
        if not (named or shared >= 2 or (shared == 1 and len(mine) == 1 and len(theirs) == 1 and rec.kind == m.kind)):
            continue
        vague = _span(m.start, m.end) > 0 or _span(rec.start, rec.end) > 0
        if _overlaps(m, rec):
            score = 3.0
        elif moved and _near(m, rec, MOVE_WINDOW):
            score = 2.0
        elif rec.status == "postponed" and published is not None and rec.asof \
                and published.isoformat() < rec.asof and _near(m, rec, VAGUE_WINDOW) and _moved_from(m, rec):
            score = 2.0  # an older report of the date the meeting was moved from: arrived after the move
        elif vague and _near(m, rec, VAGUE_WINDOW) and rec.status in ("upcoming", "postponed") and not (
                published is not None and rec.end is not None and rec.end < published.date()):
            # A range that had already run out when this article appeared is another meeting.
            score = 1.0
        else:
            continue
        score += 0.5 * shared + (1.0 if named else 0.0) + (0.5 if rec.kind == m.kind else 0.0)
        if score > best_score:
            best, best_score = rec, score
    return best


def fold_meeting(store: Store, m: Meeting, *, article_id: int | None, asof: str | None,
                 published: datetime | None = None, now: datetime | None = None) -> FoldResult:
    """Attach ``m`` to its record (updating it) or create a new record; returns what happened."""
    rec = find_match(store, m, article_id, published)
    online = bool(ONLINE.search(m.sentence or ""))
    if rec is None:
        mid = store.insert_meeting(m, article_id=article_id, asof=asof, now=now)
        if online:
            store.update_meeting(mid, {"format": "online"}, now=now)
        if m.tense == "upcoming" and POSTPONE_CUE.search(m.sentence or "") and not online:
            # first heard of as moved ('postponed to May 21'): postponed, whichever report of it comes first
            store.update_meeting(mid, {"status": "postponed"}, now=now)
        return FoldResult(mid, True, False)
    store.add_source(rec.id, article_id, m.sentence, now=now)
    store.set_participants(rec.id, m.participants)
    newer = asof is None or rec.asof is None or asof >= rec.asof
    updates: dict = {}
    changes: list[tuple[str, str | None, str | None]] = []

    def change(field: str, old, new) -> None:
        changes.append((field, None if old is None else str(old), None if new is None else str(new)))

    # Dates: a narrower range inside the old one firms it up; a different date from a newer report moves it.
    if m.start is not None:
        old = (rec.start, rec.end)
        new = (m.start, m.end or m.start)
        if rec.start is None:
            updates.update(start=m.start, end=new[1], precision=m.precision)
        elif new != old:
            inside = rec.start <= new[0] and new[1] <= (rec.end or rec.start)
            if inside and _span(*new) < _span(*old):
                updates.update(start=new[0], end=new[1], precision=m.precision)
            elif not _overlaps(m, rec) and newer:
                updates.update(start=new[0], end=new[1], precision=m.precision)
        if "start" in updates:
            change("date", _fmt_range(*old), _fmt_range(updates["start"], updates["end"]))
            if not _overlaps(m, rec):  # moved: an older report of the old date, arriving late, is this record
                updates["moved_from"] = json.dumps([*rec.moved_from, _fmt_range(*old)])
        elif rec.status == "postponed" and not newer and not rec.moved_from and not _overlaps(m, rec) \
                and not _moved(m) and _span(*new) == 0:
            # an older report dating a record first heard of as moved: the date it was moved from, now known
            updates["moved_from"] = json.dumps([_fmt_range(*new)])
    if m.time and m.time != rec.time and newer:
        updates["time"] = m.time
        updates["tz"] = m.tz
    # Venue.
    if m.location and newer and name_key(m.location) != name_key(rec.location or "") and not (
            m.building and rec.location):  # "at the National Palace" details "Mexico City"; it does not move it
        if rec.location is None or not _less_specific(m.location, rec.location, m):
            alts = [a for a in rec.alt_locations if name_key(a) != name_key(m.location)]
            if rec.location:
                alts.append(rec.location)
            updates.update(location=m.location, alt_locations=alts)
            change("location", rec.location, m.location)
    for alt in m.alt_locations:
        current = updates.get("alt_locations", rec.alt_locations)
        if name_key(alt) not in {name_key(a) for a in current} and name_key(alt) != name_key(
                updates.get("location", rec.location) or ""):
            updates["alt_locations"] = [*current, alt]
    # Certainty only grows.
    if certainty_rank(m.certainty) > certainty_rank(rec.certainty):
        updates["certainty"] = m.certainty
        change("certainty", rec.certainty, m.certainty)
    # Format: taken online ('moved to a video conference') it is the same summit, held another way; a
    # report that calls off the in-person meeting for an online one is this change, not a cancellation.
    if online and rec.format != "online" and newer and m.tense != "past":
        updates["format"] = "online"
        change("format", "in person", "online")
    # Status: cancelled, postponed, back on, or happened.
    status = rec.status
    if m.tense == "cancelled" and rec.status != "cancelled" and newer and not online:
        status = "cancelled"
    elif m.tense == "upcoming" and "start" in updates and POSTPONE_CUE.search(m.sentence or "") and newer \
            and rec.start is not None and updates["start"] > rec.start:
        status = "postponed"
    elif m.tense == "upcoming" and rec.status == "cancelled" and newer and published is not None \
            and rec.asof and published.isoformat() > rec.asof:
        status = "upcoming"
    elif m.tense == "past" and rec.status in ("upcoming", "postponed"):
        status = "past"
    if status != rec.status:
        updates["status"] = status
        change("status", rec.status, status)
    if m.name and not rec.name:
        updates["name"] = m.name
    if updates:
        store.update_meeting(rec.id, updates, asof=asof if newer else None, now=now)
    elif newer and asof:
        store.update_meeting(rec.id, {}, asof=asof, now=now)
    for field_name, old, new in changes:
        store.record_change(rec.id, field_name, old, new, article_id, m.sentence, now=now)
    return FoldResult(rec.id, False, bool(changes))


def _fmt_range(start: date | None, end: date | None) -> str | None:
    if start is None:
        return None
    if end is None or end == start:
        return start.isoformat()
    return f"{start.isoformat()}..{end.isoformat()}"


def _less_specific(new: str, old: str, m: Meeting) -> bool:
    """'South Korea' after 'Gyeongju' is the same place said more vaguely, unless the sentence says it moved."""
    if POSTPONE_CUE.search(m.sentence or "") or re.search(r"\b(?:instead|relocat\w*|switch\w*|venue)\b",
                                                          m.sentence or "", re.I):
        return False
    from bot.extract.gazetteer import load_gazetteer

    g = load_gazetteer()
    return g.country(new) is not None and g.country(old) is None
