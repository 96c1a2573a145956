"""The store on a real SQLite file: schema, idempotent articles, people and aliases, queries."""

from datetime import date, datetime, timezone

from bot.models import Article
from sqlite_utils import Database

from bot.store import Store, content_hash, name_key, open_db
from tests.conftest import make_meeting


def test_schema_is_migrated_with_wal(tmp_path):
    db = open_db(tmp_path / "x.db")
    assert {"articles", "meetings", "people", "aliases", "meeting_people", "sources", "changes"} <= set(
        db.table_names())
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # Opening again applies nothing twice.
    again = open_db(tmp_path / "x.db")
    assert again.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0] == \
        db.execute("SELECT count(*) FROM _sqlite_migrations").fetchone()[0]


def test_same_article_twice_is_a_duplicate(store):
    art = Article(text="Leaders  will meet.\n", published=datetime(2025, 1, 1, tzinfo=timezone.utc), title="t")
    first = store.add_article(art)
    second = store.add_article(Article(text="Leaders will meet.", published=None, title="other"))
    assert first.is_new and not second.is_new and first.id == second.id
    assert store.article_count() == 1
    assert content_hash("a  b\n") == content_hash("a b")


def test_name_key_folds_spelling_variants():
    assert name_key("Lee Jae-myung") == name_key("Lee Jae Myung") == "lee jae myung"
    assert name_key("Luiz Inácio Lula da Silva") == "luiz inacio lula da silva"


def test_people_and_aliases_are_one_person(store):
    a = store.person_id("Lee Jae-myung")
    assert store.person_id("Lee Jae Myung") == a
    store.add_alias("Lee", "Lee Jae-myung")
    assert store.person_id("lee") == a
    assert store.people_matching("lee") == ["Lee Jae-myung"]


def test_upcoming_excludes_past_and_cancelled(store):
    store.insert_meeting(make_meeting(), article_id=None, asof=None)
    store.insert_meeting(make_meeting(start=date(2025, 8, 1), end=date(2025, 8, 31), tense="past"),
                         article_id=None, asof=None)
    store.insert_meeting(make_meeting(participants=["Donald Trump", "Xi Jinping"], tense="cancelled",
                                      start=date(2025, 10, 30), end=date(2025, 10, 30)), article_id=None, asof=None)
    found = store.upcoming(date(2025, 10, 24))
    assert [m.participants for m in found] == [["Donald Trump", "Lee Jae-myung"]]
    assert store.upcoming(date(2025, 10, 30)) == []
    assert store.upcoming(date(2025, 10, 24), who="Xi") == []
    assert len(store.upcoming(date(2025, 10, 24), who="lee jae myung")) == 1
    assert store.upcoming(date(2025, 10, 24), days=2) == []


def test_meeting_detail_has_sources_and_history(store):
    art = store.add_article(Article(text="x", published=datetime(2025, 10, 24, tzinfo=timezone.utc), title="T",
                                    url="https://example.org/a"))
    mid = store.insert_meeting(make_meeting(), article_id=art.id, asof="2025-10-24")
    rec = store.meeting(mid)
    assert rec.sources[0].title == "T" and rec.sources[0].url == "https://example.org/a"
    assert rec.changes[0].field == "created"
    assert store.search("gyeongju")[0].id == mid
    assert store.search("trump lee")[0].id == mid
    assert store.search("nothing here") == []


def test_store_reopens_same_file(tmp_path):
    path = tmp_path / "s.db"
    Store(path).insert_meeting(make_meeting(), article_id=None, asof=None)
    assert len(Store(path).meetings()) == 1


def test_search_is_ranked_paged_and_folds_spelling(store):
    named = store.insert_meeting(make_meeting(participants=["Luiz Inácio Lula da Silva"], kind="multilateral",
                                              name="Gyeongju APEC Leaders' Meeting", location="Korea"),
                                 article_id=None, asof=None)
    ids = [store.insert_meeting(make_meeting(start=date(2025, 10, d), end=date(2025, 10, d)), article_id=None,
                                asof=None) for d in range(1, 6)]
    assert store.search("apec")[0].id == named
    assert store.search("gyeongju")[0].id == named  # a word of the name counts most
    assert [r.id for r in store.search("lula inacio")] == [named]  # accents and word order do not matter
    assert [r.id for r in store.search("jae-myung")] == ids[::-1]  # as relevant: the newest record first
    assert [r.id for r in store.search("jae myu", limit=2, offset=2)] == ids[::-1][2:4]
    assert store.search("trump", limit=20, offset=40) == []
    assert store.search('"') == [] and store.search("AND") == []  # no word is read as a query operator


def test_search_follows_changes_to_names_places_and_participants(store):
    mid = store.insert_meeting(make_meeting(), article_id=None, asof=None)
    store.update_meeting(mid, {"location": "Busan", "name": "G7 summit"})
    store.set_participants(mid, ["Xi Jinping"])
    assert [r.id for r in store.search("busan xi g7")] == [mid]
    assert store.search("g") == [] and [r.id for r in store.search("bus")] == [mid]  # 'g' is no word, 'bus' starts one
    assert store.search("gyeongju") == []
    store.db["people"].update(store.person_id("Xi Jinping"), {"name": "Xi Jin-ping"})
    assert [r.id for r in store.search("jin ping")] == [mid]


def test_the_migration_indexes_an_existing_database(tmp_path):
    from bot.schema import migrations

    path = tmp_path / "old.db"
    old = Store(Database(path))
    migrations.apply(old.db, stop_before="m020_search_and_scale")
    with old.db.conn:
        old.db.execute("INSERT INTO people (id, name) VALUES (1, 'Lee Jae-myung'), (2, 'Donald Trump')")
        old.db.execute("""INSERT INTO meetings (id, kind, name, location, alt_locations, start, "end", precision,
                          certainty, status) VALUES (1, 'multilateral', 'APEC summit', 'Gyeongju', '[]',
                          '2025-10-31', '2025-11-01', 'day', 'confirmed', 'upcoming')""")
        old.db.execute("INSERT INTO meeting_people VALUES (1, 1), (1, 2)")
    old.db.conn.close()
    store = Store(path)
    assert [r.id for r in store.search("apec lee")] == [1]
    assert store.people_matching("jae") == ["Lee Jae-myung"]
    assert store.find_summit("APEC Leaders' Meeting", date(2025, 10, 20)) == (
        date(2025, 10, 31), date(2025, 11, 1), "Gyeongju")
    assert store.db.execute("SELECT count(*) FROM participations").fetchone()[0] == 2
    assert store.db.execute("SELECT count(*) FROM sqlite_stat1").fetchone()[0] > 0  # ANALYZE ran


def test_people_matching_keeps_its_rule(store):
    for name in ("Lee Jae-myung", "Lee Hsien Loong", "Kim Jong Un", "Luiz Inácio Lula da Silva", "Leela Rao"):
        store.person_id(name)
    assert store.people_matching("lee") == ["Lee Hsien Loong", "Lee Jae-myung", "Leela Rao"]  # a word, or the start
    assert store.people_matching("loong") == ["Lee Hsien Loong"]
    assert store.people_matching("lee jae m") == ["Lee Jae-myung"]  # the name starts with the query
    assert store.people_matching("le") == ["Lee Hsien Loong", "Lee Jae-myung", "Leela Rao"]
    assert store.people_matching("inacio lula") == ["Luiz Inácio Lula da Silva"]
    assert store.people_matching("jong") == ["Kim Jong Un"] and store.people_matching("jon") == []
    assert store.people_matching("") == [] and store.people_matching("-") == []


def test_upcoming_includes_what_is_under_way_and_stops_at_the_horizon(store):
    under_way = store.insert_meeting(make_meeting(start=date(2025, 10, 1), end=date(2025, 10, 31), precision="month"),
                                     article_id=None, asof=None)
    no_end = store.insert_meeting(make_meeting(start=date(2025, 11, 2), end=None), article_id=None, asof=None)
    store.insert_meeting(make_meeting(start=date(2025, 10, 20), end=None), article_id=None, asof=None)  # over
    store.insert_meeting(make_meeting(start=date(2026, 3, 1), end=date(2026, 3, 1)), article_id=None, asof=None)
    assert [m.id for m in store.upcoming(date(2025, 10, 24), days=30)] == [under_way, no_end]
    assert [m.id for m in store.upcoming(date(2025, 10, 24), days=30, who="Lee", limit=1)] == [under_way]


def test_a_bulk_load_rebuilds_the_search_index_once(store):
    from bot.schema import search_index_paused

    before = store.insert_meeting(make_meeting(location="Busan"), article_id=None, asof=None)
    triggers = store.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall()
    with store.db.conn, search_index_paused(store.db):
        store.db.execute("""INSERT INTO meetings (id, kind, name, location, alt_locations, start, "end", precision,
                            certainty, status) VALUES (50, 'multilateral', 'G20 summit', 'Johannesburg', '[]',
                            '2025-11-22', '2025-11-23', 'day', 'confirmed', 'upcoming')""")
        store.db.execute("INSERT INTO meeting_people VALUES (50, ?)", [store.person_id("Cyril Ramaphosa")])
    assert [r.id for r in store.search("ramaphosa johannesburg g20")] == [50]
    assert [r.id for r in store.search("busan")] == [before]
    assert store.db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name").fetchall() \
        == triggers
