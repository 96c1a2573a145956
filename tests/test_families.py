"""The rule families of bot/extract/families.py: every switch is wired, each changes an article, eval --ablate."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.evaluate import ablate, score
from bot.extract.families import BY_NAME, FAMILIES, check_names
from bot.models import Article

EXTRACT = Path(__file__).resolve().parent.parent / "bot" / "extract"
PUBLISHED = datetime(2025, 5, 12, 9, 0, tzinfo=timezone.utc)  # a Monday

# For each family, a small article whose meetings change when that family is switched off.
ARTICLES = {
    "prefilter": "President Lula will meet President Milei in Brasilia on June 3. The talks come after months of "
                 "tension. Trade between the two countries has fallen. Farmers on both sides want lower tariffs. "
                 "They will hold talks again in Rome on June 20.",
    "trip scenes": "Foreign Minister Anna Berg of Sweden will travel to Kenya and Ghana from June 2 to June 6. The "
                   "trip is her first to the continent. Trade between the regions has grown fast. Farmers hope for "
                   "new markets. In Ghana, she will meet President John Mahama.",
    "travel visits": "Prime Minister Narendra Modi will travel to Japan on Thursday.",
    "meetings during a trip": "Foreign Minister Penny Wong will visit Seychelles from Monday. During the visit, she "
                              "will call on President Wavel Ramkalawan and Vice President Ahmed Afif.",
    "invitation hosts": "Prime Minister Sitiveni Rabuka will make a state visit to Australia on Monday at the "
                        "invitation of Prime Minister Anthony Albanese.",
    "speaker filter": "According to Kremlin aide Yuri Ushakov, the meeting with President Xi will take place in "
                      "Beijing on Friday.",
    "leaders of states": "The leaders of the two Koreas will meet at Panmunjom on Friday. South Korean President "
                         "Lee Jae-myung and North Korean leader Kim Jong Un last met years ago.",
    "office subjects": "Foreign Minister Helga Brandt of Norway will make an official visit to Chile on March 11. "
                       "During her stay, the Norwegian minister will hold bilateral meetings with President Gabriel "
                       "Boric and Foreign Minister Alberto van Klaveren.",
    "several hosts": "Secretary of State Maria Lopez will travel to Ghana on Monday for talks with President John "
                     "Mahama, Foreign Minister Samuel Ablakwa and other senior officials.",
    "group references": "President Trump spoke with President Putin on Monday. The two leaders will meet in "
                        "Budapest on May 30.",
    "non-diplomatic filter": "President Trump will meet the chief executives of major technology companies in "
                             "Riyadh on Tuesday.",
    "titled names": "Egyptian President Abdel Fattah al-Sisi will hold talks with his Turkish counterpart Recep "
                    "Tayyip Erdogan in Cairo on Monday.",
    "named gatherings": "The 21st Summit of the Heads of State of the Andean Community will be held in La Paz on "
                        "March 4 and 5.",
    "counted-party talks": "Foreign Minister Wang Yi said the six-party talks will resume in Beijing on May 20.",
    "cancellations": "President Trump has cancelled his summit with President Putin in Budapest on May 30.",
    "unfulfilled plans": "Prime Minister Mark Carney, who had been due to meet President Claudia Sheinbaum in Mexico "
                         "City on May 20, will stay in Ottawa.",
    "open postponements": "The Nordic-Baltic summit that Latvia was to host in Riga on November 14 has been "
                          "postponed, the government said on Monday.",
    "statement dates": "President Macron will meet Chancellor Merz in Berlin, the Elysee said on Friday.",
    "date tense": "President Trump said after his meeting with President Xi on Oct. 30 that he will visit China "
                  "in April.",
    "departure dates": "President Lula departs Thursday for New Zealand to attend the APEC summit in Auckland.",
    "moved-to dates": "The summit between President Trump and President Putin has been postponed to May 21.",
    "journey purpose": "Secretary of State Colin Powell arrived in Buenos Aires on Monday for talks with President "
                       "Nestor Kirchner on Wednesday.",
    "ahead-of dates": "Prime Minister Ishiba will meet President Trump in Washington ahead of the election in "
                      "October.",
    "stated length": "Prime Minister Modi will leave on Monday for a three-day visit to Japan.",
    "under way": "The SADC summit is being held in Harare from May 10 to 13.",
    "places of a state": "The Forty-Ninth Meeting of CARICOM Heads of Government will be held in Montego Bay, "
                         "Jamaica, from July 6 to July 8.",
    "journey destinations": "President Ruto will travel to Lusaka on Tuesday to meet President Hakainde Hichilema "
                            "and discuss energy projects in Mozambique.",
    "host places": "Samoa will host the Commonwealth Heads of Government Meeting in October.",
    "city of the state": "Prime Minister Mahinda Rajapaksa leaves for New Delhi on Friday on a state visit to India. "
                         "On Saturday he will hold talks with Prime Minister Narendra Modi in India.",
    "occasion dates": "The G20 summit will be held in Johannesburg on November 22 and 23. President Lula will meet "
                      "Prime Minister Modi at the G20 summit.",
    "also-meets sharing": "Prime Minister Netanyahu will meet President Trump at the White House on Monday. "
                          "Netanyahu said he is also scheduled to meet with Vice President Vance.",
    "continuation": "Secretary of State Rubio will arrive in Kuala Lumpur on Thursday for the ASEAN meetings. "
                    "There, he will meet Foreign Minister Wang Yi.",
    "itinerary legs": "Prime Minister Modi will visit Japan, South Korea and Singapore next week.",
    "trip dates": "Secretary of State John Kerry will travel to Vienna on Saturday to join the negotiations. "
                  "Kerry will meet Iranian Foreign Minister Javad Zarif.",
    "gatherings during a trip": "Secretary of State Antony Blinken will travel to Brussels on May 20-21. Blinken "
                                "will also attend the NATO foreign ministers' meeting there.",
    "name forms": "Malaysian Prime Minister Datuk Seri Anwar Ibrahim will meet Singapore's Prime Minister Lawrence "
                  "Wong in Putrajaya on Tuesday.",
    "running date": "Foreign Minister Ernesto Araújo of Brazil arrived in Buenos Aires on Monday. His official "
                    "programme continues on Wednesday. In the morning, Araújo will meet Argentine Foreign Minister "
                    "Jorge Faurie.",
    "sentence fallback": "Defence Minister Richard Marles will co-chair the annual defence dialogue with his "
                         "counterpart Gen Nakatani on Thursday.",
    "one record per meeting": "Chilean president to travel to Peru next week; will meet Boluarte and Otárola. "
                              "President Gabriel Boric will travel to Peru on May 20. The palace has confirmed that "
                              "Boric will hold talks with President Dina Boluarte and meet Prime Minister Alberto "
                              "Otárola while he is there.",
    "drop covered visits": "Prime Minister Modi will visit Japan on Friday. He will hold talks with Prime Minister "
                           "Ishiba in Tokyo on Friday.",
}

# Families whose meetings the learned decisions must confirm (the rules alone drop them).
LEARNED = {"running date", "sentence fallback", "one record per meeting"}


def _meetings(extractor, text: str, disabled=frozenset()) -> list[dict]:
    article = Article(text=text, published=PUBLISHED, id="a")
    return [m.to_json() for m in extractor.extract_many([article], disabled=disabled)[0]]


def test_families_have_unique_names_and_a_description():
    assert len(BY_NAME) == len(FAMILIES)
    assert 20 <= len(FAMILIES) <= 40
    for family in FAMILIES:
        assert family.name == family.name.strip().lower() and family.description.strip()
        assert (EXTRACT / f"{family.module}.py").exists()


def test_every_family_is_checked_in_its_module_and_every_check_names_a_family():
    sources = {path.stem: path.read_text(encoding="utf-8") for path in EXTRACT.glob("*.py")}
    checked = {name for text in sources.values() for name in re.findall(r"\bon\(\s*\"([^\"]+)\"", text)}
    assert checked == set(BY_NAME)  # no dead switch, no check of a family that does not exist
    for family in FAMILIES:
        assert f'on("{family.name}")' in re.sub(r"on\(\s+", "on(", sources[family.module]), family.name


def test_unknown_families_are_refused(extractor):
    with pytest.raises(ValueError, match="no such family"):
        check_names({"prefilter", "no such family"})
    with pytest.raises(ValueError, match="unknown rule families"):
        _meetings(extractor, ARTICLES["prefilter"], disabled={"prefiltre"})


def test_every_family_has_an_article():
    assert set(ARTICLES) == set(BY_NAME)


@pytest.mark.parametrize("family", [f.name for f in FAMILIES])
def test_switching_a_family_off_changes_its_article(extractor, learned_extractor, sure_gatherings, family):
    text = ARTICLES[family]
    if family in LEARNED:
        extractor = learned_extractor
    assert _meetings(extractor, text) != _meetings(extractor, text, disabled={family})


def test_an_extractor_keeps_its_switched_off_families(nlp):
    from bot.extract import Extractor

    text = ARTICLES["travel visits"]
    article = Article(text=text, published=PUBLISHED, id="a")
    assert Extractor(nlp=nlp).extract(article)
    assert Extractor(nlp=nlp, disabled={"travel visits"}).extract(article) == []


def test_ablate_scores_each_family_off_and_sorts_by_the_loss():
    gold = [{"id": "a", "meetings": [{"participants": ["Xi Jinping", "Joe Biden"], "kind": "bilateral",
                                      "name": None, "location": None, "start": "2025-06-01", "end": "2025-06-01",
                                      "tense": "upcoming", "certainty": "confirmed"}]}]
    right = {"participants": ["Xi Jinping", "Joe Biden"], "kind": "bilateral", "start": "2025-06-01",
             "end": "2025-06-01", "tense": "upcoming"}
    wrong = dict(right, participants=["Kim Jong Un", "Vladimir Putin"])

    def predict(disabled):
        if "needed" in disabled:
            return {"a": []}
        if "harmful" in disabled:
            return {"a": [right]}
        return {"a": [right, wrong]}

    base, rows = ablate(gold, predict, [("harmful", "h"), ("needed", "n"), ("idle", "i")])
    assert base.f1 == score(gold, predict(frozenset())).f1
    assert [r.family for r in rows] == ["needed", "idle", "harmful"]
    needed, idle, harmful = rows
    assert needed.f1 == 0.0 and needed.delta_recall == -1.0
    assert idle.delta_f1 == 0.0
    assert harmful.delta_f1 > 0 and harmful.delta_precision > 0 and harmful.delta_recall == 0
    assert (needed.delta_places, needed.delta_exact) == (-1, -1)  # the one matched meeting, its place and dates


def test_ablate_counts_places_and_dates_a_family_moves_and_sorts_by_them_among_equal_f1():
    gold = [{"id": "a", "meetings": [{"participants": ["Xi Jinping", "Joe Biden"], "kind": "bilateral",
                                      "name": None, "location": "Beijing", "start": "2025-06-01",
                                      "end": "2025-06-02", "tense": "upcoming", "certainty": "confirmed"}]}]
    right = {"participants": ["Xi Jinping", "Joe Biden"], "kind": "bilateral", "location": "Beijing",
             "start": "2025-06-01", "end": "2025-06-02", "tense": "upcoming"}

    def predict(disabled):
        if "places" in disabled:
            return {"a": [dict(right, location="Lima")]}
        if "spans" in disabled:
            return {"a": [dict(right, end="2025-06-01")]}
        return {"a": [right]}

    base, rows = ablate(gold, predict, [("idle", "i"), ("spans", "s"), ("places", "p")])
    assert [(r.family, r.delta_f1, r.delta_places, r.delta_exact) for r in rows] == [
        ("places", 0.0, -1, 0), ("spans", 0.0, 0, -1), ("idle", 0.0, 0, 0)]


def test_cli_eval_ablate_prints_a_row_per_family(tmp_path):
    from click.testing import CliRunner

    from bot.cli import cli

    gold = tmp_path / "gold.jsonl"
    rows = [{"id": "g1", "url": "https://example.org/1", "published": "2025-05-12T09:00:00+00:00", "title": "t",
             "text": ARTICLES["travel visits"],
             "meetings": [{"participants": ["Narendra Modi"], "kind": "visit", "name": None, "location": "Japan",
                           "start": "2025-05-15", "end": "2025-05-15", "tense": "upcoming",
                           "certainty": "confirmed"}]},
            {"id": "g2", "url": "https://example.org/2", "published": "2025-05-12T09:00:00+00:00", "title": "t",
             "text": ARTICLES["non-diplomatic filter"], "meetings": []}]
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    table = tmp_path / "ablation.md"
    out = CliRunner().invoke(cli, ["eval", str(gold), "--ablate", "--out", str(table)], env={"SUMMITBOT_NOW": ""})
    assert out.exit_code == 0, out.output
    lines = out.output.splitlines()
    assert lines[0].startswith("All rule families on: P 1.000 R 1.000 F1 1.000")
    assert "| family | description | F1 without | ΔF1 | ΔP | ΔR | Δ places | Δ exact dates |" in lines
    body = [line.split(" | ") for line in lines if line.startswith("| ") and not line.startswith("| family ")]
    names = [cells[0][2:] for cells in body]
    assert sorted(names) == sorted(BY_NAME)  # one row per family
    deltas = [float(cells[3]) for cells in body]
    assert deltas == sorted(deltas)  # the family whose loss costs most first
    travel = next(cells for cells in body if cells[0] == "| travel visits")
    assert travel[2:8] == ["0.000", "-1.000", "-1.000", "-1.000", "-1", "-1 |"]
    assert table.read_text(encoding="utf-8").splitlines() == lines


def test_cli_eval_ablate_refuses_predictions_and_out_goes_with_it(tmp_path):
    from click.testing import CliRunner

    from bot.cli import cli

    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a1", "published": "2025-01-02", "text": "x", "meetings": []}\n')
    runner = CliRunner()
    out = runner.invoke(cli, ["eval", str(gold), "--ablate", "--predictions", str(gold)], env={"SUMMITBOT_NOW": ""})
    assert out.exit_code == 2 and "--predictions" in out.output
    out = runner.invoke(cli, ["eval", str(gold), "--out", str(tmp_path / "t.md")], env={"SUMMITBOT_NOW": ""})
    assert out.exit_code == 2 and "--ablate" in out.output


def test_reused_parses_give_the_same_meetings(nlp, extractor):
    from bot.extract import Extractor

    reusing = Extractor(nlp=nlp, gazetteer=extractor.gazetteer, reuse_parses=True, learned=False)  # as the fixture
    articles = [Article(text=ARTICLES[name], published=PUBLISHED, id=name)
                for name in ("prefilter", "itinerary legs")]
    for disabled in (frozenset(), {"prefilter"}, {"itinerary legs"}, frozenset()):
        assert [[m.to_json() for m in ms] for ms in reusing.extract_many(articles, disabled=disabled)] == \
            [[m.to_json() for m in ms] for ms in extractor.extract_many(articles, disabled=disabled)]
    assert reusing._parsed  # the sentences were parsed once and kept
