"""The train split scored as unseen news: each half extracted by learned parts fitted on the other half.

`summitbot eval corpus/train.jsonl` is no honest figure: the sentence and gathering classifiers, the meeting
model and the article model were all fitted on those articles, and score them better than news they never saw
(the rules were written against them too; no script can undo that). This script cross-fits the learned parts:
the train split is cut in two by article (even and odd rows); for each half, the two spaCy classifiers are
trained on the other half (``spacy train`` with the committed configs, as ``make train`` does), the meeting model
is fitted on the other half's proposals and the article model on the other half's articles, and the half is
extracted with them. The place model is the committed one (it moves places, not F1). It prints the score of all
of train and of its region-tagged rows (the corpus without the older gold files the rules were written on), each
half put together. The in-sample figures to set beside them are ``summitbot eval corpus/train.jsonl`` and the same
on the region rows; the gap between the two is how much the learned parts flatter train. Takes about ten minutes
on two cores (four trainings, four extractions of half the split). The half models are trained in a temporary
directory, removed at the end, or in ``--keep DIR``, kept.

    python bench/crossfit_train.py [--keep DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import bot.extract as extract  # noqa: E402
import bot.extract.gatherings as gatherings  # noqa: E402
import bot.extract.screening as screening  # noqa: E402
import bot.extract.vetting as vetting  # noqa: E402
from bot.corpus import read_jsonl  # noqa: E402
from bot.evaluate import score  # noqa: E402
from bot.extract import Extractor  # noqa: E402
from bot.extract.classifier import SentenceClassifier, TextClassifier  # noqa: E402
from bot.learn import labelled_gatherings, labelled_sentences, per_article, write_docbin  # noqa: E402
from bot.learn_articles import labelled as labelled_articles  # noqa: E402
from bot.learn_meetings import L2, TRAIN, collect  # noqa: E402
from bot.sources import article_from_record  # noqa: E402

CONFIGS = {"sentences": (ROOT / "config" / "classifier.cfg", labelled_sentences),
           "gatherings": (ROOT / "config" / "gathering.cfg", labelled_gatherings)}


def train_half(rows: list[dict], dev: list[dict], out: Path) -> dict[str, Path]:
    """The two classifiers trained on rows (dev only for spaCy's own progress lines): {which: model dir}."""
    models = {}
    for which, (config, label) in CONFIGS.items():
        write_docbin(per_article(label)(rows), out / f"{which}-train.spacy")
        write_docbin(per_article(label)(dev), out / f"{which}-dev.spacy")
        subprocess.run([sys.executable, "-m", "spacy", "train", str(config), "--output", str(out / which),
                        "--paths.train", str(out / f"{which}-train.spacy"),
                        "--paths.dev", str(out / f"{which}-dev.spacy")],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        models[which] = out / which / "model-last"
    return models


def use(models: dict[str, Path], meeting_model=None, article_model=None) -> None:
    """Make the extractor load these learned parts (the loaders are module functions, read at each use)."""
    sentences = SentenceClassifier(TextClassifier(models["sentences"]))
    gathering = TextClassifier(models["gatherings"])
    extract.load_classifier = lambda: sentences
    gatherings.load_gathering_classifier = lambda: gathering
    extract.load_meeting_model = lambda: meeting_model
    extract.load_article_model = lambda: article_model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="train the half models in this directory and keep them")
    args = parser.parse_args()
    rows = read_jsonl(TRAIN)
    dev = read_jsonl(ROOT / "corpus" / "dev.jsonl")
    if args.keep:
        crossfit(rows, dev, Path(args.keep))
        print(f"half models in {args.keep}")
    else:
        with tempfile.TemporaryDirectory(prefix="crossfit-") as work:  # four spaCy pipelines: not left in /tmp
            crossfit(rows, dev, Path(work))


def crossfit(rows: list[dict], dev: list[dict], work: Path) -> None:
    """Train the half models in ``work``, extract each half with the other's, print the scores."""
    halves = [[r for i, r in enumerate(rows) if i % 2 == h] for h in (0, 1)]
    models = [train_half(halves[h], dev, work / f"half{h}") for h in (0, 1)]
    found: dict[str, list[dict]] = {}
    for h in (0, 1):
        other = 1 - h
        use(models[other])  # the other half's proposals, as `make train` fits the meeting model on its own split's
        x, y, _, _ = collect(halves[other])
        ids, labels = labelled_articles(halves[other])
        use(models[other], vetting.fit(x, y, L2), screening.fit(ids, labels))
        extracted = Extractor().extract_many([article_from_record(r, str(r["id"])) for r in halves[h]])
        found.update({str(r["id"]): [m.to_json() for m in ms] for r, ms in zip(halves[h], extracted)})
    region = [r for r in rows if r.get("region")]
    for label, gold in (("train", rows), ("train region rows", region)):
        s = score(gold, {str(r["id"]): found[str(r["id"])] for r in gold})
        print(f"{label} ({len(gold)} articles), cross-fitted: P {s.precision:.3f} R {s.recall:.3f} F1 {s.f1:.3f} "
              f"(tp {s.tp}, fp {s.fp}) | upcoming in articles without one: {s.negatives_flagged}/{s.negatives} "
              f"({s.false_per_100_negatives:.1f} per 100) | exact dates {s.exact_date:.3f} location {s.location:.3f}")


if __name__ == "__main__":
    main()
