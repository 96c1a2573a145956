"""Recall of the sentence prefilter on the corpus: gold meetings none of whose evidence sentences it keeps.

    .venv/bin/python bench/prefilter_recall.py [corpus/dev.jsonl ...]

A meeting the prefilter drops is lost before any rule or model sees it, so this is the ceiling of
extraction's recall. Only upcoming meetings with evidence count (the older gold files have none).
Reported twice: the cheap cascade alone, and with the sentence classifier's second look at the
meeting sentences the cascade held back (as the extractor runs, bot.extract.second_look).
"""

from __future__ import annotations

import argparse

from pathlib import Path

from bot.corpus import read_jsonl
from bot.extract import second_look
from bot.extract.classifier import Thresholds, load_classifier
from bot.extract.gazetteer import load_gazetteer
from bot.extract.mentions import ArticleExtraction
from bot.sources import parse_published

ROOT = Path(__file__).resolve().parent.parent


def kept_and_lost(rows: list[dict], classifier=None) -> tuple[int, list[tuple[str, str]]]:
    """How many upcoming gold meetings keep a sentence, and the lost ones; with ``classifier``, after its second
    look at the held-back sentences."""
    gazetteer = load_gazetteer()
    admit = Thresholds().admit
    kept, lost = 0, []
    for row in rows:
        ahead = [m for m in row["meetings"] if m["tense"] == "upcoming" and m.get("evidence")]
        if not ahead:
            continue
        work = ArticleExtraction(row["text"], parse_published(row["published"]), gazetteer, nlp=None)
        parsed = work.prepare()
        if classifier is not None and admit is not None:
            second_look([work], classifier, admit)
            parsed = work.planned()
        for m in ahead:
            if any(ev in s or s in ev for ev in m["evidence"] for s in parsed):
                kept += 1
            else:
                lost.append((str(row["id"]), m["evidence"][0][:100]))
    return kept, lost


def main(paths: list[str]) -> None:
    # no second look without a committed classifier, or with it switched off (Thresholds.admit None)
    classifier = load_classifier() if Thresholds().admit is not None else None
    for path in paths or [str(ROOT / "corpus" / "train.jsonl"), str(ROOT / "corpus" / "dev.jsonl")]:
        rows = read_jsonl(Path(path))
        for how, second_look in (("the cheap cascade", None), ("with the classifier's second look", classifier)):
            if how != "the cheap cascade" and second_look is None:
                continue
            kept, lost = kept_and_lost(rows, second_look)
            total = kept + len(lost)
            print(f"{Path(path).name}, {how}: a sentence of {kept} of {total} upcoming gold meetings kept "
                  f"(recall {kept / max(total, 1):.2f}); {len(lost)} lost")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="gold files (default: corpus/train.jsonl corpus/dev.jsonl)")
    main(parser.parse_args().paths)
