"""'Did you mean …' for a misspelt leader or country: next, upcoming who:, search and subscribe, with an
example that works; the names come from the people and aliases tables (read through their indexes) and
the gazetteer, and, being article text, can never ping anyone or render as markup."""

from __future__ import annotations

from datetime import date

import pytest

from adapters.console import render_text
from adapters.slack.render import fallback_text
from bot.clock import FixedClock
from bot.commands import Commands, Context, Services
from bot.config import Settings, parse_now
from bot.store import Store
from bot.suggest import MAX_CANDIDATES, did_you_mean, person_candidates
from tests.conftest import make_meeting

NOW = parse_now("2025-10-24T00:00+09:00")
ADMIN = Context(platform="slack", workspace="T1", channel="C1", user="U1", is_admin=True)


@pytest.fixture
def store(tmp_path) -> Store:
    s = Store(tmp_path / "suggest.db")
    for participants, location, day in ((["Xi Jinping", "Donald Trump"], "Busan", 30),
                                        (["Li Qiang", "Narendra Modi"], "Berlin", 28),
                                        (["Li Keqiang"], "Beijing", 27),
                                        (["Lee Jae-myung", "Vladimir Putin"], "Gyeongju", 29)):
        s.insert_meeting(make_meeting(participants=participants, location=location, start=date(2025, 10, day),
                                      end=date(2025, 10, day)), article_id=None, asof=None, now=NOW)
    s.add_alias("Lee Jaemyung", "Lee Jae-myung")
    return s


@pytest.fixture
def commands(store) -> Commands:
    return Commands(Services(store=store, settings=Settings(timezone="UTC"), clock=FixedClock(NOW)))


def say(commands: Commands, text: str):
    return commands.handle(text, ADMIN)


@pytest.mark.parametrize("text, answer", [
    ("/summits next Xi Jinpnig",
     "! No summits for “Xi Jinpnig”. Did you mean Xi Jinping? For example: /summits next Xi Jinping"),
    ("/summits next Zi Jinping",
     "! No summits for “Zi Jinping”. Did you mean Xi Jinping? For example: /summits next Xi Jinping"),
    ("/summits next putn",
     "! No summits for “putn”. Did you mean Vladimir Putin? For example: /summits next Vladimir Putin"),
    ("/summits upcoming days:90 who:Donlad Trump",
     "! No summits for “Donlad Trump”. Did you mean Donald Trump? "
     "For example: /summits upcoming days:90 who:Donald Trump"),
    ("/summits upcoming who:Narendra Mody",
     "! No summits for “Narendra Mody”. Did you mean Narendra Modi? For example: /summits upcoming who:Narendra Modi"),
    ("/summits next Li Qaing",
     "! No summits for “Li Qaing”. Did you mean Li Qiang? For example: /summits next Li Qiang"),
    ("/summits search Jinpnig",
     "Nothing found for “Jinpnig”. Did you mean Xi Jinping? For example: /summits search Xi Jinping"),
])
def test_a_misspelt_name_gets_did_you_mean_with_a_working_example(commands, text, answer):
    reply = say(commands, text)
    assert render_text(reply) == answer
    example = answer.rsplit("For example: ", 1)[1]
    worked = say(commands, example)
    assert worked.kind == "meetings" and worked.meetings, render_text(worked)


def test_an_alias_leads_to_its_person(store):
    assert did_you_mean(store, "Lee Jaemyumg") == ["Lee Jae-myung"]


def test_a_country_is_suggested_for_a_search_when_it_finds_something(store, commands):
    store.insert_meeting(make_meeting(kind="multilateral", participants=[], location="Egypt",
                                      start=date(2025, 11, 3), end=date(2025, 11, 3)),
                         article_id=None, asof=None, now=NOW)
    reply = say(commands, "/summits search Egpyt")
    assert render_text(reply) == "Nothing found for “Egpyt”. Did you mean Egypt? For example: /summits search Egypt"
    assert say(commands, "/summits search Egypt").meetings
    # Germany is a country, but no summit's text names it: no suggestion that would find nothing.
    assert render_text(say(commands, "/summits search Grmany")) == "Nothing found for “Grmany”."


def test_nothing_near_keeps_the_plain_answers(commands):
    assert render_text(say(commands, "/summits next Nobody Atall")) == (
        "! I know nobody called `Nobody Atall` yet. Try `/summits search Nobody Atall`.")
    assert render_text(say(commands, "/summits search qqqzzz")) == "Nothing found for “qqqzzz”."
    assert render_text(say(commands, "/summits search Xi Jinpnig page:2")) == "Nothing found for “Xi Jinpnig” on page 2."


def test_subscribe_warns_with_the_names_it_may_mean(commands):
    reply = say(commands, "/summits subscribe who:Xi Jinpnig country:Grmany")
    assert "Subscribed this channel" in reply.text  # nothing typed is lost
    rows = dict(reply.rows)
    assert rows["warning"] == "no country called “Grmany” is known; did you mean Germany (country:Germany)?"
    warnings = [value for label, value in reply.rows if label == "warning"]
    assert warnings[0] == ("nobody called “Xi Jinpnig” is known yet; did you mean Xi Jinping (who:Xi Jinping)? "
                           "the subscription will match once they appear")
    known = say(commands, "/summits subscribe who:Xi Jinping country:the UK")
    assert [v for label, v in known.rows if label == "warning"] == []


def test_a_suggested_name_from_an_article_stays_inert(store, commands):
    hostile = "Xi Jinping <!here> *bold*"
    store.insert_meeting(make_meeting(participants=[hostile], start=date(2025, 11, 2), end=date(2025, 11, 2)),
                         article_id=None, asof=None, now=NOW)
    reply = say(commands, "/summits next Xi Jinpign here bold")
    assert hostile in reply.quoted and hostile not in reply.text
    shown = fallback_text(reply, [])
    assert "<!here>" not in shown and "&lt;!here&gt;" in shown and "*bold*" not in shown


def test_the_candidates_are_bounded_however_many_people_share_a_prefix(store):
    with store.db.conn:
        for i in range(MAX_CANDIDATES * 3):
            store.person_id(f"Xian Person{i:04d}")
    found = person_candidates(store, "Xi Jinpnig")
    assert len(found) <= 2 * MAX_CANDIDATES


def test_the_cli_suggests_too_on_a_database_it_only_reads(store, tmp_path):
    from click.testing import CliRunner

    from bot.cli import cli

    db = str(tmp_path / "suggest.db")
    before = sorted(p.name for p in tmp_path.iterdir())
    out = CliRunner().invoke(cli, ["--db", db, "next", "Xi", "Jinpnig"], env={"SUMMITBOT_NOW": "2025-10-24T00:00Z"})
    assert out.exit_code == 1
    assert out.output == "! No summits for “Xi Jinpnig”. Did you mean Xi Jinping? For example: /summits next Xi Jinping\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == before
