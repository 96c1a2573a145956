"""One record per summit: attach a newly extracted meeting to the record it reports on, or create one.

When a later article moves the date, narrows a range, changes the venue, confirms,
postpones or cancels, the record is updated and each change is written to the
`changes` table with the article and sentence that caused it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.models import Meeting, MeetingRecord, certainty_rank
from bot.store import Store, name_key, summit_key, summit_name_words

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


def _date_window(m: Meeting) -> tuple[str, str] | None:
    """The start dates a record may have and still pass find_match's date tests, for records spanning at most
    MOVE_WINDOW (longer ones are looked up apart); None when ``m`` has no date and any record may match."""
    if m.start is None:
        return None
    lo = m.start - MOVE_WINDOW
    hi = max(m.end or m.start, m.start + MOVE_WINDOW)
    return lo.isoformat(), hi.isoformat()


def _candidates(store: Store, m: Meeting) -> dict[int, MeetingRecord]:
    """The records that share a participant or the summit name with ``m`` and whose dates could match it,
    found through indexes (participations by person and start, meetings by summit key and start), so a fold
    reads the same few rows however long the history is. Ordered as find_match has always seen them: the
    participants' records by start, then the name's."""
    people_ids = [store.person_id(p) for p in m.participants]
    key = summit_key(m.name) if m.name else None
    window = _date_window(m)
    # A record without a date could be any date: it is always a candidate, as in find_match.
    dated = "" if window is None else " AND start BETWEEN ? AND ? UNION ALL {base} AND start IS NULL"
    by_people: set[int] = set()
    by_name: set[int] = set()
    if people_ids:
        base = f"SELECT meeting_id FROM participations WHERE person_id IN ({','.join('?' * len(people_ids))})"
        params = people_ids if window is None else [*people_ids, *window, *people_ids]
        by_people = {r[0] for r in store.db.execute(base + dated.format(base=base), params)}
    if key:
        base = "SELECT id FROM meetings WHERE summit_key = ?"
        params = [key] if window is None else [key, *window, key]
        by_name = {r[0] for r in store.db.execute(base + dated.format(base=base), params)}
    if window is not None and (people_ids or key):
        # Records longer than the window that overlap m's dates (few: a year-long 'visit in 2026').
        rows = store.db.execute(
            """SELECT id, summit_key FROM meetings
               WHERE julianday("end") - julianday(start) > 400 AND start <= ? AND "end" >= ?""",
            [(m.end or m.start).isoformat(), m.start.isoformat()]).fetchall()
        if rows:
            ids = [r[0] for r in rows]
            with_people = {r[0] for r in store.db.execute(
                f"""SELECT DISTINCT meeting_id FROM meeting_people WHERE meeting_id IN ({','.join('?' * len(ids))})
                    AND person_id IN ({','.join('?' * len(people_ids))})""", [*ids, *people_ids])} if people_ids else set()
            by_people |= with_people
            by_name |= {i for i, k in rows if key and k == key}
    candidates: dict[int, MeetingRecord] = {}
    for group in (by_people, by_name - by_people):
        ids = sorted(group)
        records = [rec for start in range(0, len(ids), 500)
                   for rec in store.meetings(f"id IN ({','.join('?' * len(ids[start:start + 500]))})",
                                             ids[start:start + 500], order="id")]
        for rec in sorted(records, key=lambda r: (r.start is not None, r.start or date.min, r.id)):
            candidates[rec.id] = rec
    return candidates


def find_match(store: Store, m: Meeting, article_id: int | None = None,
               published: datetime | None = None) -> MeetingRecord | None:
    """The stored meeting this extracted one reports on, if any.

    A record that already has this article as a source is not a candidate: the extractor
    has already told that article's meetings apart.
    """
    candidates = _candidates(store, m)
    moved = bool(POSTPONE_CUE.search(m.sentence or "")) or m.tense in ("postponed", "cancelled")
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
        if (rec.kind == "phone_call") != (m.kind == "phone_call"):
            continue
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
    if rec is None:
        return FoldResult(store.insert_meeting(m, article_id=article_id, asof=asof, now=now), True, False)
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
    if m.time and m.time != rec.time and newer:
        updates["time"] = m.time
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
    # Status: cancelled, postponed, back on, or happened.
    status = rec.status
    if m.tense == "cancelled" and rec.status != "cancelled" and newer:
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
