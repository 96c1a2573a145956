"""How far apart two people annotating the same articles are, beside how far summitbot is from them.

    .venv/bin/python bench/annotator_agreement.py [corpus/agreement/second_annotator.jsonl]

A second annotator read 50 articles of the dev split (drawn at random) with their annotations removed
and annotated them again from SCHEMA.md alone. Scoring the corpus annotation as gold and the second one
as predictions, with the scoring of SCHEMA.md, says what a careful reader reaches on these articles: the
ceiling an extractor can be held to. The same articles scored for the extractor follow.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot import evaluate
from bot.cli import _gold_articles
from bot.corpus import read_jsonl

ROOT = Path(__file__).resolve().parent.parent


def line(label: str, s) -> str:
    return (f"{label}: P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} (tp {s.tp}, fp {s.fp}), exact dates "
            f"{s.exact_date:.2f}, location {s.location:.2f}, kind {s.kind:.2f}, certainty {s.certainty:.2f}")


def main(argv: list[str]) -> None:
    second_path = Path(argv[0]) if argv else ROOT / "corpus" / "agreement" / "second_annotator.jsonl"
    second = {row["id"]: row["meetings"] for row in read_jsonl(second_path)}
    dev = ROOT / "corpus" / "dev.jsonl"
    gold = [row for row in evaluate.load_gold(dev) if row["id"] in second]
    print(f"{len(gold)} dev articles annotated twice")
    print(line("second annotator", evaluate.score(gold, second)))
    print(line("summitbot", evaluate.score(gold, _gold_articles(str(dev), gold)(frozenset()))))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("second", nargs="?", help="the second annotator's file (default: "
                        "corpus/agreement/second_annotator.jsonl)")
    opts = parser.parse_args()
    main([opts.second] if opts.second else [])
