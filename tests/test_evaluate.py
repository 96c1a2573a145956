"""The scorer of shared/eval/SCHEMA.md: name rules, matching rules, one-to-one matching, shares, report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.evaluate import Score, format_report, load_gold, same_person, same_summit_name, score

SHARED_EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"


def meeting(participants=("Donald Trump", "Lee Jae-myung"), kind="bilateral", name=None, location="Gyeongju",
            start="2025-10-29", end="2025-10-29", tense="upcoming", **extra) -> dict:
    """A meeting dict in the SCHEMA shape."""
    return dict(participants=list(participants), kind=kind, name=name, location=location, start=start, end=end,
                tense=tense, certainty="confirmed", **extra)


def article(*meetings: dict, id: str = "a1") -> dict:
    """A gold article holding the meetings."""
    return {"id": id, "url": "https://example.org/a1", "published": "2025-10-24", "title": "t", "text": "x",
            "meetings": list(meetings)}


def run(gold_meetings: list[dict], predicted: list[dict]) -> Score:
    """Score one article."""
    return score([article(*gold_meetings)], {"a1": predicted})


# ---------------------------------------------------------------------------- names


@pytest.mark.parametrize("a, b", [
    ("Lee", "Lee Jae-myung"),
    ("Lee Jae Myung", "Lee Jae-myung"),
    ("Lula da Silva", "Luiz Inácio Lula da Silva"),
    ("Luiz Inacio Lula da Silva", "Luiz Inácio Lula da Silva"),
    ("Kim Jong Un", "Kim Jong-un"),
    ("Recep Tayyip Erdoğan", "Erdogan"),
    ("XI JINPING", "Xi Jinping"),
    ("Abdel Fattah al-Sisi", "Abdel Fattah el-Sisi al-Sisi"),
])
def test_same_person(a, b):
    assert same_person(a, b) and same_person(b, a)


@pytest.mark.parametrize("a, b", [
    ("Moon Jae-in", "Lee Jae-myung"),
    ("Kim Jong-un", "Kim Yo-jong"),
    ("South Korea", "North Korea"),
    ("", "Lee Jae-myung"),
    ("Joe Biden", "Jill Biden Harris"),
])
def test_different_people(a, b):
    assert not same_person(a, b)


@pytest.mark.parametrize("a, b", [
    ("G7 summit", "G7"),
    ("G-7 summit", "G7 Summit"),
    ("APEC Leaders' Meeting", "APEC summit"),
    ("the NATO summit", "NATO Summit"),
    ("SCO Summit", "Shanghai Cooperation Organisation SCO summit"),
    ("Annual Leaders' Meeting", "Australia-China Annual Leaders' Meeting"),
    ("ASEAN leaders’ summit", "ASEAN Summit"),
])
def test_same_summit_name(a, b):
    assert same_summit_name(a, b) and same_summit_name(b, a)


@pytest.mark.parametrize("a, b", [
    ("G7 summit", "G20 summit"),
    ("NATO summit", "APEC summit"),
    ("Annual Leaders' Meeting", "G7 summit"),
    ("Summit", "G7 summit"),
    ("Summit", "summit"),
    ("Leaders' Meeting", "G7 summit"),
    (None, "G7 summit"),
    (None, None),
    ("", ""),
])
def test_different_summit_names(a, b):
    assert not same_summit_name(a, b)


# ---------------------------------------------------------------------------- matching rules


def test_rule_a_two_shared_participants_whatever_the_kind():
    gold = meeting(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral")
    pred = meeting(participants=["Trump", "Lee Jae Myung", "Xi"], kind="talks")
    s = run([gold], [pred])
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)
    assert s.kind == 0.0
    assert s.per_article[0]["matched"][0]["rule"] == "a"


def test_rule_b_names_match_without_participants():
    gold = meeting(participants=[], kind="multilateral", name="APEC summit", start="2025-10-31", end="2025-11-01")
    pred = meeting(participants=["Donald Trump"], kind="multilateral", name="APEC Leaders' Meeting",
                   start="2025-10-31", end="2025-10-31")
    s = run([gold], [pred])
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)
    assert s.per_article[0]["matched"][0]["rule"] == "b"
    assert s.exact_date == 0.0


def test_rule_b_needs_both_names():
    gold = meeting(participants=[], kind="multilateral", name="G20 summit")
    pred = meeting(participants=["Cyril Ramaphosa"], kind="multilateral", name=None)
    assert run([gold], [pred]).tp == 0


def test_rule_c_one_shared_participant_same_kind_single_name():
    gold = meeting(participants=["Li Qiang"], kind="visit", location="Malaysia")
    pred = meeting(participants=["Li Qiang", "Anwar Ibrahim"], kind="visit", location="Kuala Lumpur")
    s = run([gold], [pred])
    assert s.tp == 1 and s.per_article[0]["matched"][0]["rule"] == "c"


def test_rule_c_needs_same_kind():
    gold = meeting(participants=["Li Qiang"], kind="visit")
    pred = meeting(participants=["Li Qiang", "Anwar Ibrahim"], kind="bilateral")
    s = run([gold], [pred])
    assert (s.tp, s.fp, s.fn) == (0, 1, 1)


def test_rule_c_needs_a_single_participant_list():
    gold = meeting(participants=["Donald Trump", "Lee Jae-myung"])
    pred = meeting(participants=["Donald Trump", "Xi Jinping"])
    assert run([gold], [pred]).tp == 0


def test_one_shared_participant_alone_is_not_enough():
    gold = meeting(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral")
    pred = meeting(participants=["Donald Trump"], kind="phone_call")
    assert run([gold], [pred]).tp == 0


# ---------------------------------------------------------------------------- dates


@pytest.mark.parametrize("pred_start, pred_end, ok", [
    ("2025-10-29", "2025-10-29", True),
    ("2025-10-27", "2025-11-02", True),   # a week holding the day
    ("2025-10-29", None, True),           # a missing end takes the start
    ("2025-10-30", "2025-10-30", False),
    ("2025-10-01", "2025-10-28", False),
    (None, None, False),                  # undated prediction, dated gold
])
def test_date_overlap(pred_start, pred_end, ok):
    gold = meeting(start="2025-10-29", end="2025-10-29")
    pred = meeting(start=pred_start, end=pred_end)
    assert run([gold], [pred]).tp == (1 if ok else 0)


@pytest.mark.parametrize("pred_start, pred_end", [("2030-01-01", "2030-01-01"), (None, None)])
def test_undated_gold_accepts_any_date(pred_start, pred_end):
    gold = meeting(start=None, end=None)
    s = run([gold], [meeting(start=pred_start, end=pred_end)])
    assert s.tp == 1
    assert s.exact_date == (1.0 if pred_start is None else 0.0)


def test_month_range_overlaps_but_is_not_exact():
    gold = meeting(start="2025-07-01", end="2025-08-31")
    s = run([gold], [meeting(start="2025-07-01", end="2025-07-31")])
    assert s.tp == 1 and s.exact_date == 0.0


# ---------------------------------------------------------------------------- tense


def test_prediction_matching_past_gold_is_a_false_positive():
    past = meeting(start="2025-08-25", end="2025-08-25", tense="past", location="Washington")
    s = run([past], [meeting(start="2025-08-25", end="2025-08-25", location="Washington")])
    assert (s.tp, s.fp, s.fn) == (0, 1, 0)
    assert s.precision == 0.0 and s.recall == 0.0 and s.f1 == 0.0
    assert s.per_article[0]["false_positives"][0]["matches_gold_tense"] == "past"


def test_prediction_matching_cancelled_gold_is_a_false_positive():
    cancelled = meeting(participants=["Donald Trump", "Kim Jong-un"], location="Singapore",
                        start="2018-06-12", end="2018-06-12", tense="cancelled")
    pred = meeting(participants=["Trump", "Kim Jong Un"], location="Singapore", start="2018-06-12", end="2018-06-12")
    s = run([cancelled], [pred])
    assert s.fp == 1 and s.per_article[0]["false_positives"][0]["matches_gold_tense"] == "cancelled"


def test_past_prediction_labelled_past_costs_nothing():
    past = meeting(start="2025-08-25", end="2025-08-25", tense="past")
    s = run([past], [meeting(start="2025-08-25", end="2025-08-25", tense="past"),
                     meeting(start="2025-08-25", end="2025-08-25", tense="cancelled")])
    assert (s.tp, s.fp, s.fn) == (0, 0, 0)


def test_prediction_without_tense_counts_as_upcoming():
    pred = meeting()
    del pred["tense"]
    assert run([meeting()], [pred]).tp == 1


def test_upcoming_gold_wins_over_past_gold_for_the_same_prediction():
    past = meeting(start="2025-10-29", end="2025-10-29", tense="past")
    upcoming = meeting(start="2025-10-01", end="2025-10-31")
    s = run([past, upcoming], [meeting()])
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)


# ---------------------------------------------------------------------------- one-to-one


def test_each_gold_matches_at_most_one_prediction():
    s = run([meeting()], [meeting(), meeting(location="Busan")])
    assert (s.tp, s.fp, s.fn) == (1, 1, 0)
    # The better pair (right location) is the one kept.
    assert s.per_article[0]["matched"][0]["predicted"]["location"] == "Gyeongju"


def test_each_prediction_matches_at_most_one_gold():
    s = run([meeting(), meeting(start="2025-10-29", end="2025-10-30")], [meeting()])
    assert (s.tp, s.fp, s.fn) == (1, 0, 1)


def test_matching_is_maximum_not_first_come():
    # P1 fits G1 exactly and G2 too; P2 fits only G1. Pairing the best pair first (P1-G1) would leave G2
    # and P2 unmatched; the maximum matching pairs P1-G2 and P2-G1.
    g1 = meeting(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral")
    g2 = meeting(participants=["Donald Trump", "Lee Jae-myung"], kind="multilateral", name="APEC summit",
                 start="2025-10-29", end="2025-11-01")
    p1 = meeting(participants=["Trump", "Lee"], kind="bilateral")
    p2 = meeting(participants=["Trump"], kind="bilateral")
    s = run([g1, g2], [p1, p2])
    assert (s.tp, s.fp, s.fn) == (2, 0, 0)
    pairs = {(m["gold"]["kind"], len(m["predicted"]["participants"])) for m in s.per_article[0]["matched"]}
    assert pairs == {("bilateral", 1), ("multilateral", 2)}


def test_matching_prefers_exact_dates_and_kind_among_equals():
    g_call = meeting(kind="phone_call", location=None, start="2025-10-24", end="2025-10-24")
    g_meet = meeting(kind="bilateral", start="2025-10-20", end="2025-10-31")
    p_call = meeting(kind="phone_call", location=None, start="2025-10-24", end="2025-10-24")
    p_meet = meeting(kind="bilateral", start="2025-10-20", end="2025-10-31")
    s = run([g_call, g_meet], [p_meet, p_call])
    assert s.tp == 2 and s.kind == 1.0 and s.exact_date == 1.0 and s.location == 1.0


# ---------------------------------------------------------------------------- shares


def test_location_rules():
    gold = meeting(location="Gyeongju", alt_locations=["Busan"])
    cases = {"Gyeongju": True, "gyeongju, South Korea": True, "Busan": True, "Seoul": False, None: False}
    for loc, ok in cases.items():
        s = run([gold], [meeting(location=loc)])
        assert s.tp == 1 and s.location == (1.0 if ok else 0.0), loc
    both_null = run([meeting(location=None)], [meeting(location=None)])
    assert both_null.location == 1.0
    gold_null = run([meeting(location=None)], [meeting(location="Seoul")])
    assert gold_null.location == 0.0


def test_location_ignores_filler_words():
    s = run([meeting(location="the Hague")], [meeting(location="the Kremlin")])
    assert s.location == 0.0


def test_location_words_use_name_key():
    s = run([meeting(location="São Paulo")], [meeting(location="Sao Paulo")])
    assert s.location == 1.0


def test_shares_over_matched_pairs():
    golds = [
        meeting(participants=["Donald Trump", "Lee Jae-myung"], location="Gyeongju"),
        meeting(participants=["Donald Trump", "Xi Jinping"], location="Busan", start="2025-10-30", end="2025-10-30"),
        meeting(participants=["Donald Trump", "Sanae Takaichi"], location="Tokyo", start="2025-10-27",
                end="2025-10-29"),
        meeting(participants=["Donald Trump", "Anwar Ibrahim"], location="Kuala Lumpur", start="2025-10-26",
                end="2025-10-26"),
    ]
    preds = [
        meeting(participants=["Trump", "Lee"], location="Gyeongju"),                              # all right
        meeting(participants=["Trump", "Xi"], location="Seoul", start="2025-10-30", end="2025-10-30"),  # loc
        meeting(participants=["Trump", "Takaichi"], location="Tokyo", kind="talks", start="2025-10-28",
                end="2025-10-28"),                                                               # kind, date
        meeting(participants=["Trump", "Carney"], location="Ottawa"),                              # FP
    ]
    s = run(golds, preds)
    assert (s.tp, s.fp, s.fn, s.matched) == (3, 1, 1, 3)
    assert s.precision == pytest.approx(0.75)
    assert s.recall == pytest.approx(0.75)
    assert s.f1 == pytest.approx(0.75)
    assert s.exact_date == pytest.approx(2 / 3)
    assert s.location == pytest.approx(2 / 3)
    assert s.kind == pytest.approx(2 / 3)


def test_empty_everything_is_zero_not_an_error():
    s = score([], {})
    assert (s.precision, s.recall, s.f1, s.exact_date, s.location, s.kind) == (0, 0, 0, 0, 0, 0)
    s = run([], [])
    assert s.f1 == 0.0
    s = run([meeting()], [])
    assert (s.fn, s.recall, s.precision) == (1, 0.0, 0.0)


def test_missing_prediction_entry_means_no_predictions():
    s = score([article(meeting())], {})
    assert s.fn == 1 and s.per_article[0]["misses"][0]["location"] == "Gyeongju"


def test_predictions_for_unknown_articles_are_ignored():
    s = score([article(meeting())], {"a1": [meeting()], "zzz": [meeting()]})
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)


def test_extra_prediction_keys_and_date_objects_are_accepted():
    from datetime import date

    pred = meeting(start=None, end=None)
    pred.update(start=date(2025, 10, 29), end=date(2025, 10, 29), precision="day", sentence="...", time="10:00")
    assert run([meeting()], [pred]).exact_date == 1.0


# ---------------------------------------------------------------------------- report and files


def test_report_and_json():
    gold = [meeting(), meeting(participants=["Donald Trump", "Xi Jinping"], start="2025-10-30", end="2025-10-30"),
            meeting(participants=["Donald Trump", "Kim Jong-un"], start="2019-06-30", end="2019-06-30",
                    location="Panmunjom", tense="past")]
    preds = [meeting(location="Busan"),
             meeting(participants=["Trump", "Kim Jong Un"], start="2019-06-30", end="2019-06-30",
                     location="Panmunjom")]
    s = run(gold, preds)
    short = format_report(s)
    assert "upcoming meetings: P 0.50 R 0.50 F1 0.50 (tp 1, fp 1, fn 1)" in short
    assert "exact dates 1.00 | location 0.00 | kind 1.00" in short
    assert "MISS" not in short
    long = format_report(s, verbose=True)
    assert "MISS" in long and "Xi Jinping" in long
    assert "FP" in long and "matches a past gold meeting" in long
    assert "WRONG location" in long
    data = json.loads(json.dumps(s.to_json()))
    assert data["tp"] == 1 and data["per_article"][0]["id"] == "a1"


def test_load_gold_jsonl_and_json(tmp_path):
    arts = [article(meeting(), id="x1"), article(id="x2")]
    jsonl = tmp_path / "g.jsonl"
    jsonl.write_text("\n".join(json.dumps(a) for a in arts) + "\n\n", encoding="utf-8")
    as_list = tmp_path / "g.json"
    as_list.write_text(json.dumps(arts), encoding="utf-8")
    one = tmp_path / "one.json"
    one.write_text(json.dumps(arts[0]), encoding="utf-8")
    assert [a["id"] for a in load_gold(jsonl)] == ["x1", "x2"]
    assert [a["id"] for a in load_gold(as_list)] == ["x1", "x2"]
    assert [a["id"] for a in load_gold(one)] == ["x1"]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n{oops\n', encoding="utf-8")
    with pytest.raises(ValueError, match=":2:"):
        load_gold(bad)


# ---------------------------------------------------------------------------- the shared gold files


def _upcoming_predictions(articles: list[dict]) -> dict[str, list[dict]]:
    """Gold upcoming meetings as predictions, article by article."""
    return {str(a["id"]): [m for m in a["meetings"] if m["tense"] == "upcoming"] for a in articles}


@pytest.mark.parametrize("filename", ["seeds.jsonl", "dev.jsonl"])
def test_gold_upcoming_meetings_score_perfectly(filename):
    path = SHARED_EVAL / filename
    if not path.exists():
        pytest.skip(f"{path} absent")
    articles = load_gold(path)
    s = score(articles, _upcoming_predictions(articles))
    upcoming = sum(1 for a in articles for m in a["meetings"] if m["tense"] == "upcoming")
    assert (s.tp, s.fp, s.fn) == (upcoming, 0, 0)
    assert (s.precision, s.recall, s.f1) == (1.0, 1.0, 1.0)
    assert (s.exact_date, s.location, s.kind) == (1.0, 1.0, 1.0)


def test_gold_with_all_meetings_predicted_as_upcoming_is_penalised():
    path = SHARED_EVAL / "seeds.jsonl"
    if not path.exists():
        pytest.skip(f"{path} absent")
    articles = load_gold(path)
    predicted = {str(a["id"]): [dict(m, tense="upcoming") for m in a["meetings"]] for a in articles}
    s = score(articles, predicted)
    past = sum(1 for a in articles for m in a["meetings"] if m["tense"] != "upcoming")
    assert s.fn == 0 and s.fp == past and s.precision < 1.0


def test_cli_eval_reports_bad_input_files_without_a_traceback(tmp_path):
    from click.testing import CliRunner

    from bot.cli import cli

    (tmp_path / "broken.jsonl").write_text("{broken\n")
    (tmp_path / "notext.jsonl").write_text('{"id": "a1", "published": "2025-01-02"}\n')
    (tmp_path / "gold.jsonl").write_text('{"id": "a1", "published": "2025-01-02", "text": "x", "meetings": []}\n')
    (tmp_path / "pred.jsonl").write_text("not json\n")
    runner = CliRunner()
    for args, words in ((["broken.jsonl"], "broken.jsonl:1: not valid JSON"),
                        (["notext.jsonl"], "article a1: the record has no `text`"),
                        (["gold.jsonl", "--predictions", "pred.jsonl"], "pred.jsonl:1: not a line of")):
        out = runner.invoke(cli, ["eval", *[str(tmp_path / a) if a.endswith(".jsonl") else a for a in args]],
                            env={"SUMMITBOT_NOW": ""})
        assert out.exit_code == 1 and words in out.output and "Traceback" not in out.output, out.output
