"""Value accuracy of the time resolver on TIMEX3-annotated news (tests/data/tbaq_timex.tsv, TempEval-3
training data: TimeBank and AQUAINT), DATE and TIME expressions.

For each gold expression the resolver reads the expression with three words on each side (the table keeps no
sentence of the news it comes from) against the document date, in the tense guessed from the sentence's verbs
when the table was made (as the extractor does with its own), and the value of the expression it finds over
the gold span is compared with the gold value (where the resolver joined it with another date, "from 1994 to
1997", the value of that date in the span); an expression found nowhere is resolved on its own.

The rows are split in two halves by a hash of each row (SHA-256 of its tab-joined columns, first byte even:
dev, odd: test), the same split on every run and machine.  Rules are developed by reading dev misses only
(--misses prints dev's); test says whether a gain holds on rows nobody looked at.

    python bench/timex_accuracy.py [--misses N]
"""

from __future__ import annotations

import csv
import hashlib
import re
import sys
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.temporal import Unresolvable, find_dates, resolve  # noqa: E402

TABLE = ROOT / "tests" / "data" / "tbaq_timex.tsv"
_FUTURE = re.compile(r"\b(?:will|shall|would|'ll|going\s+to|plans?\s+to|planned|expects?\s+to|expected\s+to"
                     r"|scheduled|due\s+to|set\s+to|next|must|should|may|might|can|could|payable|effective|expires?"
                     r"|deadline|until|by)\b", re.I)
_PAST = re.compile(r"\b(?:was|were|had|did|said|says|told|ago|last|earlier|rose|fell|reported|announced|met|took|went"
                   r"|came|made|signed|agreed|killed|died|held|began|ended|closed|gained|dropped|declined|posted"
                   r"|earned|increased|jumped|slipped|\w+ed)\b", re.I)


def tense_of(sentence: str, at: int) -> str | None:
    """A rough tense for the expression at `at`: that of the tense word nearest to it in its sentence."""
    marks = [(abs(m.start() - at), "future") for m in _FUTURE.finditer(sentence)]
    marks += [(abs(m.start() - at), "past") for m in _PAST.finditer(sentence)]
    return min(marks)[1] if marks else None


COLUMNS = ("doc", "type", "value", "expression", "dct", "tense", "offset", "context")
CONTEXT_WORDS = 3  # words kept on each side of an expression: the table holds no sentence of the news it comes from


def window(sentence: str, at: int, expression: str) -> tuple[str, int]:
    """The expression with at most CONTEXT_WORDS words on each side ("met last week in"), and its offset there."""
    before = sentence[:at].split()[-CONTEXT_WORDS:]
    after = sentence[at + len(expression):].split()[:CONTEXT_WORDS]
    lead = " ".join(before) + (" " if before else "")
    return lead + expression + (" " if after else "") + " ".join(after), len(lead)


def load(path: Path = TABLE) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return [dict(zip(COLUMNS, cols))
                for cols in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE) if cols and not cols[0].startswith("#")]


_JOINED = re.compile(r"\s(?:and|or(?!\s+so\b)|to|through|until|till|-)\s|\d\s*-\s*\d", re.I)


def predict(row: dict) -> str:
    ref, context, start = date.fromisoformat(row["dct"]), row["context"], int(row["offset"])
    end = start + len(row["expression"])
    tense = row["tense"] or None  # guessed from the whole sentence when the table was made (tense_of)
    for f in find_dates(context, ref, tense, vague=True):
        if f.start_char < end and start < f.end_char:
            if (f.start_char, f.end_char) != (start, end) and _JOINED.search(f.value.text):
                # "from 1994 to 1997", "Friday and Thursday": TIMEX3 marks each date; the resolver's span gives
                # the dates it joins, each with its value
                part = next((p for p in f.parts if (p.start_char, p.end_char) == (start, end)), None)
                if part is not None:
                    return part.value.timex
                break
            return f.value.timex
    try:
        return resolve(row["expression"], ref, tense).timex
    except Unresolvable:
        return "-"


def half(row: dict) -> str:
    """'dev' or 'test', by a hash of the row: reproducible, independent of the table's order."""
    key = "\t".join(row[c] for c in COLUMNS).encode("utf-8")
    return "dev" if hashlib.sha256(key).digest()[0] % 2 == 0 else "test"


def _norm(value: str) -> str:
    """Seconds dropped; a decade or century written either way (TimeML 199 or 199X, 19 or 19XX); a fiscal
    year as TimeBank writes it (the year: "fiscal 1989" is 1989 there, FY1989 here); a week number with or
    without its leading zero (2000-W6, 2000-W06); unspecified trailing fields dropped (1949-XX and 1994-XX-XX
    say no more than 1949 and 1994)."""
    value = re.sub(r"(T\d\d:\d\d):00(?:\.\d+)?$", r"\1", value.strip())
    value = re.sub(r"^FY(\d{4})$", r"\1", value)
    value = re.sub(r"-W(\d)\b", r"-W0\1", value)
    value = re.sub(r"^(\d{4}(?:-\d\d)?)(?:-XX)+$", r"\1", value)
    return re.sub(r"^(\d{2,3})X+$", r"\1", value)


def date_time_rows(path: Path = TABLE) -> list[dict]:
    """The rows scored: the table's DATE and TIME expressions."""
    return [r for r in load(path) if r["type"] in ("DATE", "TIME")]


def score(rows: list[dict], guess) -> tuple[Counter, Counter, list]:
    """Hits and totals by type, half and "all" of `guess(row) -> value` over `rows`, and the misses as
    (row, value)."""
    hits: Counter = Counter()
    totals: Counter = Counter()
    misses = []
    for row in rows:
        got = guess(row)
        keys = (row["type"], half(row), "all")
        totals.update(keys)
        if _norm(got) == _norm(row["value"]):
            hits.update(keys)
        else:
            misses.append((row, got))
    return hits, totals, misses


def main(show_misses: int = 0) -> None:
    hits, totals, misses = score(date_time_rows(), predict)
    n, h = totals["all"], hits["all"]
    print(f"TIMEX3 value accuracy, TempEval-3 training data (TimeBank + AQUAINT), {n} DATE/TIME expressions")
    for t in ("DATE", "TIME", "dev", "test"):
        print(f"  {t:4s}: {hits[t]}/{totals[t]} = {hits[t] / max(1, totals[t]):.3f}")
    print(f"  all : {h}/{n} = {h / max(1, n):.3f}")
    not_found = sum(1 for _, got in misses if got == "-")
    print(f"  misses: {len(misses)} ({not_found} not found at all)")
    for row, got in [m for m in misses if half(m[0]) == "dev"][:show_misses]:  # dev only: test stays unread
        print(f"    {row['expression']!r:32} gold {row['value']:14} got {got:22} dct {row['dct']}  | {row['context']}")


if __name__ == "__main__":
    args = sys.argv[1:]
    main(int(args[args.index("--misses") + 1]) if "--misses" in args else 0)
