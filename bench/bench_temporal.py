"""Phrases per second of the time resolver over tests/data/time_phrases.tsv (summitbot when, cold cache)."""

from __future__ import annotations

import argparse
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


def one_pass(table: list[tuple[str, date, str | None]], module=temporal) -> float:
    """Seconds for when_json and find_dates on every phrase once, with the regex cache cleared first."""
    module._matches.cache_clear()
    t0 = time.perf_counter()
    for phrase, ref, tense in table:
        module.when_json(phrase, ref, tense)
        module.find_dates(phrase, ref, tense)
    return time.perf_counter() - t0


def at_revision(rev: str):
    """The resolver as it was at a git revision (bot/temporal.py, or the bot/temporal/ package), imported under
    a name of its own."""
    import importlib.util
    import io
    import subprocess
    import tarfile
    import tempfile

    where = Path(tempfile.mkdtemp())
    tree = subprocess.run(["git", "ls-tree", "--name-only", rev, "bot/temporal/"], cwd=ROOT, check=True,
                          capture_output=True, text=True).stdout.split()
    if tree:  # a package: unpack it as temporal_at_rev/
        archive = subprocess.run(["git", "archive", rev, "bot/temporal"], cwd=ROOT, check=True, capture_output=True)
        tarfile.open(fileobj=io.BytesIO(archive.stdout)).extractall(where, filter="data")
        path = (where / "bot" / "temporal").rename(where / "temporal_at_rev") / "__init__.py"
    else:
        source = subprocess.run(["git", "show", f"{rev}:bot/temporal.py"], cwd=ROOT, check=True,
                                capture_output=True, text=True).stdout
        path = where / "temporal_at_rev.py"
        path.write_text(source, encoding="utf-8")
    package = [str(path.parent)] if path.name == "__init__.py" else None
    spec = importlib.util.spec_from_file_location("temporal_at_rev", path, submodule_search_locations=package)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def against(rev: str, rounds: int, path: Path) -> None:
    """Before/after on the same machine at the same time: the two versions take turns, round by round."""
    table, old = rows(path), at_revision(rev)
    one_pass(table, old), one_pass(table)
    times: dict[str, list[float]] = {rev: [], "now": []}
    for _ in range(rounds):
        times[rev].append(one_pass(table, old))
        times["now"].append(one_pass(table))
    print(f"time resolver, {len(table)} phrases of {path.name}, {rounds} rounds each, taking turns")
    for name, t in times.items():
        print(f"  {name:>10}: phrases/s best {len(table) / min(t):,.0f}, median {len(table) / statistics.median(t):,.0f}")


def main(rounds: int = 30, path: Path = TABLE) -> None:
    table = rows(path)
    one_pass(table)  # warm up imports and compiled regexes
    times = [one_pass(table) for _ in range(rounds)]
    best, median = min(times), statistics.median(times)
    print(f"time resolver: {len(table)} phrases, {rounds} rounds (resolve + find_dates each, cold match cache)")
    print(f"  phrases/s: best {len(table) / best:,.0f}, median {len(table) / median:,.0f}")


if __name__ == "__main__":
    # bench_temporal.py [ROUNDS [TABLE]]: another table (an older version of this one) for a before/after figure;
    # bench_temporal.py --against REV [ROUNDS [TABLE]]: that revision's resolver and this one, taking turns
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", help="that git revision's resolver and this one, taking turns")
    parser.add_argument("rounds", nargs="?", type=int, default=30)
    parser.add_argument("table", nargs="?", type=Path, default=TABLE, help="another phrase table (an older version)")
    opts = parser.parse_args()
    rev, rounds, table = opts.against, opts.rounds, opts.table
    if rev:
        against(rev, rounds, table)
    else:
        main(rounds, table)
