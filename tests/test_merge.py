"""One record per summit: later reports attach, firm up, move, relocate, confirm and cancel it."""

from datetime import date, datetime, timezone

from bot.merge import fold_meeting, same_name
from bot.models import Article
from tests.conftest import make_meeting


def _article(store, n):
    return store.add_article(Article(text=f"article {n}", title=f"A{n}",
                                     published=datetime(2025, 10, n, tzinfo=timezone.utc))).id


def test_series_of_reports_is_one_meeting_with_history(store):
    base = dict(participants=["Emmanuel Macron", "Narendra Modi"], kind="bilateral")
    steps = [
        make_meeting(**base, start=date(2025, 11, 1), end=date(2025, 11, 30), precision="month", location=None,
                     certainty="planned", sentence="Macron will meet Modi later in November."),
        make_meeting(**base, start=date(2025, 11, 18), end=date(2025, 11, 18), location="Paris",
                     certainty="confirmed", sentence="Macron will host Modi in Paris on November 18."),
        make_meeting(**base, start=date(2025, 11, 18), end=date(2025, 11, 18), location="Marseille",
                     certainty="confirmed", sentence="The venue moved to Marseille instead of Paris."),
        make_meeting(**base, start=date(2025, 12, 2), end=date(2025, 12, 2), location="Marseille",
                     certainty="confirmed", sentence="The meeting has been postponed to December 2."),
    ]
    ids = set()
    for n, m in enumerate(steps, start=1):
        result = fold_meeting(store, m, article_id=_article(store, n), asof=f"2025-10-{n:02d}")
        ids.add(result.meeting_id)
    assert len(ids) == 1
    rec = store.meeting(ids.pop())
    assert len(rec.sources) == 4
    fields = [c.field for c in rec.changes if c.field != "created"]
    assert "date" in fields and "location" in fields and "status" in fields
    assert (rec.start, rec.location, rec.status) == (date(2025, 12, 2), "Marseille", "postponed")
    assert "Paris" in rec.alt_locations


def test_cancellation_updates_the_record(store):
    first = fold_meeting(store, make_meeting(), article_id=_article(store, 1), asof="2025-10-01")
    later = fold_meeting(store, make_meeting(tense="cancelled", sentence="The meeting was called off."),
                         article_id=_article(store, 2), asof="2025-10-02")
    assert later.meeting_id == first.meeting_id and later.changed
    assert store.meeting(first.meeting_id).status == "cancelled"


def test_different_meetings_stay_apart(store):
    a = fold_meeting(store, make_meeting(), article_id=None, asof=None)
    b = fold_meeting(store, make_meeting(participants=["Donald Trump", "Xi Jinping"]), article_id=None, asof=None)
    c = fold_meeting(store, make_meeting(kind="phone_call"), article_id=None, asof=None)
    d = fold_meeting(store, make_meeting(start=date(2026, 6, 1), end=date(2026, 6, 1)), article_id=None, asof=None)
    assert len({a.meeting_id, b.meeting_id, c.meeting_id, d.meeting_id}) == 4


def test_second_outlet_with_same_facts_only_adds_a_source(store):
    first = fold_meeting(store, make_meeting(), article_id=_article(store, 1), asof="2025-10-01")
    again = fold_meeting(store, make_meeting(), article_id=_article(store, 2), asof="2025-10-02")
    assert again.meeting_id == first.meeting_id and not again.changed and not again.created
    assert len(store.meeting(first.meeting_id).sources) == 2


def test_one_article_keeps_its_distinct_meetings_apart(store):
    aid = _article(store, 1)
    a = fold_meeting(store, make_meeting(start=date(2025, 6, 15), end=date(2025, 6, 17)), article_id=aid, asof=None)
    b = fold_meeting(store, make_meeting(start=date(2025, 7, 1), end=date(2025, 8, 31)), article_id=aid, asof=None)
    assert a.meeting_id != b.meeting_id


def test_summit_names_match_loosely():
    assert same_name("G7 summit", "G7")
    assert same_name("APEC Leaders' Meeting", "APEC summit")
    assert not same_name("G7 summit", "G20 summit")


def test_a_fold_reads_only_records_near_its_dates(store, monkeypatch):
    from bot.merge import find_match

    for year in range(2000, 2025):  # a long history of the same two leaders meeting
        fold_meeting(store, make_meeting(start=date(year, 3, 1), end=date(year, 3, 1), tense="past"),
                     article_id=None, asof=None)
        fold_meeting(store, make_meeting(kind="multilateral", name="G20 summit", participants=[],
                                         start=date(year, 9, 1), end=date(year, 9, 2), tense="past"),
                     article_id=None, asof=None)
    year_long = fold_meeting(store, make_meeting(participants=["Donald Trump", "Lee Jae-myung"], kind="talks",
                                                 start=date(2024, 1, 1), end=date(2025, 12, 31), precision="range"),
                             article_id=None, asof=None).meeting_id
    built: list[int] = []
    meetings = store.meetings
    monkeypatch.setattr(store, "meetings", lambda *a, **k: [r for r in meetings(*a, **k) if not built.append(r.id)])
    found = find_match(store, make_meeting(kind="talks", start=date(2025, 10, 29), end=date(2025, 10, 29)))
    assert found is not None and found.id == year_long  # its dates began long before, but they overlap
    assert {store.meeting(i).start.year for i in built} <= {2024}  # nothing from the years before
    built.clear()
    assert find_match(store, make_meeting(kind="multilateral", name="G20", participants=[],
                                          start=date(2024, 9, 1), end=date(2024, 9, 1), tense="past")) is not None
    assert {store.meeting(i).start.year for i in built} <= {2023, 2024}  # within the 400 days a move may span


def _every_candidate(store, m, dated_report=False):
    """The candidates as find_match had them before they were chosen in SQL: every record of every
    participant (by start), then every record of the same summit name."""
    ids = [r[0] for r in store.db.execute(
        f"SELECT DISTINCT meeting_id FROM meeting_people WHERE person_id IN ({','.join('?' * len(m.participants))})",
        [store.person_id(p) for p in m.participants])] if m.participants else []
    candidates = {rec.id: rec for rec in store.meetings(f"id IN ({','.join('?' * len(ids))})", ids)} if ids else {}
    if m.name:
        for rec in store.meetings("name IS NOT NULL"):
            if same_name(rec.name, m.name):
                candidates[rec.id] = rec
    return candidates


def test_candidates_chosen_in_sql_decide_as_every_candidate_did(store, monkeypatch):
    import random
    from datetime import timedelta

    from bot import merge

    rng = random.Random(21)
    people = ["Ana Costa", "Ben Okafor", "Chen Wang", "Dina Haddad"]
    sentences = ["They will meet.", "The summit was postponed to a later date.", "Talks will now be held later.", ""]
    decided = 0
    for n in range(500):
        kind = rng.choice(["bilateral", "bilateral", "multilateral", "visit", "phone_call", "talks"])
        start = None if rng.random() < 0.04 else date(2024, 1, 1) + timedelta(days=rng.randrange(900))
        end = None if start is None or rng.random() < 0.05 else start + timedelta(
            days=rng.choice([0, 0, 0, 1, 6, 30, 90, 200, 500]))
        m = make_meeting(participants=rng.sample(people, rng.choice([0, 1, 1, 2, 2, 3])) if kind != "visit" else
                         rng.sample(people, 1), kind=kind, start=start, end=end,
                         name=rng.choice([None, "G7 summit", "G20", "APEC Leaders' Meeting"]) if kind == "multilateral"
                         else None, tense=rng.choice(["upcoming"] * 6 + ["past", "past", "cancelled", "postponed"]),
                         sentence=rng.choice(sentences), location=rng.choice([None, "Paris", "Seoul"]))
        article = _article(store, 1 + n % 28) if n % 3 else None
        published = datetime(2025, 1, 1, tzinfo=timezone.utc) + timedelta(days=rng.randrange(600))
        chosen = merge.find_match(store, m, article, published)
        with monkeypatch.context() as patched:
            patched.setattr(merge, "_candidates", _every_candidate)
            every = merge.find_match(store, m, article, published)
        assert (chosen and chosen.id) == (every and every.id), (n, m)
        decided += chosen is not None
        fold_meeting(store, m, article_id=article, asof=published.isoformat(), published=published)
    assert decided > 100  # the folds did attach reports to records, not only create them


def _fold_all(store, items):
    ids = []
    for day, m in items:
        published = datetime(2025, 4, day, tzinfo=timezone.utc)
        article_id = store.add_article(Article(text=f"article {day} {m.sentence}", title=f"A{day}",
                                               published=published)).id
        ids.append(fold_meeting(store, m, article_id=article_id, asof=published.isoformat(),
                                published=published).meeting_id)
    return ids


def test_a_postponed_record_takes_one_former_date_not_every_meeting_of_its_week(store):
    """Two meetings of the same leaders in one week, then one of them postponed: reported in date order the
    two stay apart (the move takes one); whatever order the reports arrive in, the other meeting keeps its record."""
    base = dict(participants=["Vladimir Putin", "Recep Tayyip Erdogan"], kind="bilateral")
    sochi = make_meeting(**base, start=date(2025, 5, 14), end=date(2025, 5, 14), location="Sochi",
                         sentence="Putin and Erdogan will meet in Sochi on May 14.")
    astana = make_meeting(**base, start=date(2025, 5, 16), end=date(2025, 5, 16), location="Astana",
                          sentence="Putin and Erdogan will also meet in Astana on May 16.")
    moved = make_meeting(**base, start=date(2025, 5, 21), end=date(2025, 5, 21), location="Sochi",
                         sentence="The Sochi talks have been postponed to May 21.")
    for order in ([(1, sochi), (2, astana), (10, moved)], [(10, moved), (1, sochi), (2, astana)],
                  [(1, sochi), (10, moved), (2, astana)]):
        store.db.execute("DELETE FROM sources")
        store.db.execute("DELETE FROM meeting_people")
        store.db.execute("DELETE FROM changes")
        store.db.execute("DELETE FROM meetings")
        _fold_all(store, order)
        records = {(r.start, r.status) for r in store.meetings()}
        assert records == {(date(2025, 5, 16), "upcoming"), (date(2025, 5, 21), "postponed")}, order
    # Which of the two was moved cannot be told when the move comes first and the other's report next: two
    # records all the same, the postponed one and the other.
    store.db.execute("DELETE FROM sources")
    store.db.execute("DELETE FROM meeting_people")
    store.db.execute("DELETE FROM changes")
    store.db.execute("DELETE FROM meetings")
    _fold_all(store, [(10, moved), (2, astana), (1, sochi)])
    assert len(store.meetings()) == 2
    assert {r.status for r in store.meetings()} == {"upcoming", "postponed"}
