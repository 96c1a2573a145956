"""Phrases per second of the time resolver over tests/data/time_phrases.tsv (summitbot when, cold cache)."""

from __future__ import annotations

import csv
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot import temporal  # noqa: E402

TABLE = ROOT / "tests" / "data" / "time_phrases.tsv"


def rows(path: Path = TABLE) -> list[tuple[str, date, str | None]]:
    out = []
    with path.open(encoding="utf-8", newline="") as fh:
        for cols in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if cols and not cols[0].startswith("#") and len(cols) >= 6:
                out.append((cols[0], date.fromisoformat(cols[1]), None if cols[2] == "-" else cols[2]))
    return out


def one_pass(table: list[tuple[str, date, str | None]]) -> float:
    """Seconds for when_json and find_dates on every phrase once, with the regex cache cleared first."""
    temporal._matches.cache_clear()
    t0 = time.perf_counter()
    for phrase, ref, tense in table:
        temporal.when_json(phrase, ref, tense)
        temporal.find_dates(phrase, ref, tense)
    return time.perf_counter() - t0


def main(rounds: int = 30, path: Path = TABLE) -> None:
    table = rows(path)
    one_pass(table)  # warm up imports and compiled regexes
    times = [one_pass(table) for _ in range(rounds)]
    best, median = min(times), statistics.median(times)
    print(f"time resolver: {len(table)} phrases, {rounds} rounds (resolve + find_dates each, cold match cache)")
    print(f"  phrases/s: best {len(table) / best:,.0f}, median {len(table) / median:,.0f}")


if __name__ == "__main__":
    # bench_temporal.py [ROUNDS [TABLE]]: another table (an older version of this one) for a before/after figure
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30, Path(sys.argv[2]) if len(sys.argv) > 2 else TABLE)
