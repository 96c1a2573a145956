"""The store on a real SQLite file: schema, idempotent articles, people and aliases, queries."""

from datetime import date, datetime, timezone

from bot.models import Article
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
