"""Extraction throughput: the whole extract step vs. the full spaCy pipeline on every article.

Feeds a mixed stream (gold articles with meetings, plus plain news without any) and
prints articles per second for both, measured in the same run (interleaved rounds, the
best of each side), and their ratio. The baseline is the stock pipeline as shipped, run on
every article. summitbot's extract step differs from it twice: it parses only the sentences
that can hold a meeting, and it runs the same model faster: its layers multiply matrices with
numpy's BLAS instead of blis (bot.extract.use_numpy_gemm), the attribute ruler and lemmatizer
are compiled (bot.extract.fastruler) and the entity recognizer decodes with numpy
(bot.extract.fastner), all with the same annotations. A third line runs summitbot's pipeline on
every article, so each gain shows on its own. Every side runs on one thread. Also scores the
dev set with and without the sentence prefilter, to show the speed-up costs no F1.
"""

from __future__ import annotations

import os

# One thread for every BLAS, before numpy loads: the ratios compare work, not cores.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.evaluate import load_gold, score  # noqa: E402
from bot.extract import Extractor, load_nlp, load_stock_nlp  # noqa: E402
from bot.sources import article_from_record  # noqa: E402


def corpus() -> list[dict]:
    records: list[dict] = []
    for path in [ROOT.parent / "shared" / "eval" / "dev.jsonl", ROOT.parent / "shared" / "eval" / "seeds.jsonl",
                 ROOT / "tests" / "data" / "negatives.jsonl", ROOT / "tests" / "data" / "positives.jsonl"]:
        if path.exists():
            records.extend(json.loads(line) for line in path.read_text().splitlines() if line.strip())
    return records


def f1(extractor: Extractor, gold_path: Path) -> float:
    gold = load_gold(gold_path)
    predicted = {}
    for rec in gold:
        art = article_from_record(rec, rec["id"])
        predicted[art.id] = [m.to_json() for m in extractor.extract(art)]
    return score(gold, predicted).f1


def main(n: int = 200, repeat: int = 5) -> None:
    records = corpus()
    # Most news mentions no meeting: a feed of 1 article with meetings to 3 without.
    with_meetings = [r for r in records if r.get("meetings")]
    without = [r for r in records if not r.get("meetings")] or with_meetings
    feed = []
    for k in range(n // 4 + 1):  # each list cycled through in order, so the feed repeats as little as it can
        feed.append(with_meetings[k % len(with_meetings)])
        feed.extend(without[(3 * k + j) % len(without)] for j in range(3))
    feed = feed[:n]
    articles = [article_from_record(r, r["id"]) for r in feed]
    stock = load_stock_nlp()
    nlp = load_nlp()
    list(stock.pipe(["warm up"]))
    list(nlp.pipe(["warm up"]))

    ours = Extractor(nlp=nlp)

    def full(pipeline) -> float:
        t0 = time.perf_counter()
        for _ in pipeline.pipe((a.text for a in articles), batch_size=16):
            pass
        return time.perf_counter() - t0

    def every_article() -> float:  # summitbot's components, without the prefilter
        t0 = time.perf_counter()
        ours._parse([a.text for a in articles], batch_size=16)
        return time.perf_counter() - t0

    def run_ours() -> float:
        t0 = time.perf_counter()
        for start in range(0, len(articles), 50):  # a feed poll or a folder: batches of articles
            ours.extract_many(articles[start:start + 50])
        return time.perf_counter() - t0

    # Interleaved rounds, best of each: a shared machine's noise hits both sides alike.
    rounds = [(full(stock), every_article(), run_ours()) for _ in range(repeat)]
    baseline = min(b for b, _, _ in rounds)
    components = min(x for _, x, _ in rounds)
    fast = min(f for _, _, f in rounds)

    print(f"extract throughput on a mixed feed of {n} articles")
    print(f"  baseline (stock spaCy pipeline on every article):  {n / baseline:8.1f} articles/s")
    print(f"  summitbot's faster components, every article:      {n / components:8.1f} articles/s"
          f"  ({baseline / components:.2f}x)")
    print(f"  summitbot extract step:                            {n / fast:8.1f} articles/s")
    per_round = sorted(b / f for b, _, f in rounds)
    print(f"  ratio: {baseline / fast:.2f}x (best of {repeat} interleaved rounds; median round "
          f"{per_round[len(per_round) // 2]:.2f}x; each round's ratio: "
          + ", ".join(f"{b / f:.2f}x" for b, _, f in rounds) + ")")
    print(f"  of which the sentence prefilter and rules alone (same components on both sides): "
          f"{components / fast:.2f}x")
    dev = ROOT.parent / "shared" / "eval" / "dev.jsonl"
    if dev.exists():
        full = Extractor(nlp=nlp, prefilter=False)
        print(f"  dev F1 with prefilter {f1(ours, dev):.3f}, without {f1(full, dev):.3f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("articles", nargs="?", type=int, default=200, help="articles in the mixed feed (200)")
    main(parser.parse_args().articles)
