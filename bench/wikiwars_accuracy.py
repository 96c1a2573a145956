"""Value accuracy of the time resolver on WikiWars (TIMEX2 gold values on Wikipedia war narratives).

WikiWars (Mazur and Dale, EMNLP 2010; 22 English Wikipedia articles on wars, inline TIMEX2 annotation,
CC BY-SA 3.0) is another convention than TimeBank's news: history told in the past tense, years from 490 BC
to 2009, dates anchored on the narrative rather than on a publication date.  The corpus is not kept here
(it is Wikipedia text under a share-alike licence and most of a megabyte); the script reads its
*.key.xml files from a directory, a checkout or a bare git directory holding them, by default the `fetch`
tool's snapshot of a public repository that carries a copy (semantic-systems/
coypu-temporal-extraction-service-machamp, temporal-data/original_datasets/wikiwars/).

Each article's text goes whole through find_dates against its document time (the download date the corpus
gives, 2009-12-19 where the article has none), in the past tense, so that a yearless date follows the
year the narrative told last.  For each gold expression the value of the found expression over it is
compared with the gold value; a found span joining two dates ("from 1914 to 1918", "June 6-8, 1944"),
which TIMEX2 marks as one expression per date (a span whose value is a range, "August-September 1950", too),
gives its first date's value to the expression at its start
and its last date's to the one at its end.  An expression nothing was found over counts wrong.

Scored: expressions whose gold value names a calendar date, month, year, season, week, quarter, half,
decade or century, AD or BC (1939-09-01, 1939-09, 1939, 1940-SU, 194, 19, BC0490); not times, durations,
sets, PRESENT_REF/PAST_REF/FUTURE_REF, values with unspecified digits or empty values (anaphora the
annotators left open).  Normalisation (_norm of timex_accuracy, both sides): a decade or century written
either way (194 or 194X), a week number with or without its zero, unspecified trailing fields dropped;
and TIMEX2's BC years (BC0490) and the resolver's (BC0490 or -0490) compared as one.  Modifiers (mod
START, END, APPROX) are not scored, as in the TimeBank bench.

The articles are split in two by a hash of their document id (SHA-256, first byte even: dev), so that no
test article is ever read: rules are developed on dev misses only (--misses N prints dev's), test is
scored whole.

    python bench/wikiwars_accuracy.py [PATH] [--misses N]
"""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bot.temporal import find_dates, resolve, timex_value, Unresolvable  # noqa: E402
from timex_accuracy import _JOINED, _norm  # noqa: E402

DEFAULT = Path("/work/.mirror/semantic-systems+coypu-temporal-extraction-service-machamp/repo")
SUBDIR = "temporal-data/original_datasets/wikiwars"
DOWNLOADED = date(2009, 12, 19)  # the corpus readme: the document time is when the page was downloaded
_DATE_LIKE = re.compile(r"(?:BC)?\d{2,4}(?:-\d\d(?:-\d\d)?|-(?:SP|SU|FA|WI)|-W\d\d|-Q\d|-H\d)?")
_TAG = re.compile(r"<(/?)TIMEX2\b([^>]*)>|<[^>]+>")
_VAL = re.compile(r'\bval="([^"]*)"')


@dataclass(frozen=True)
class Gold:
    doc: str
    start: int
    end: int
    text: str
    value: str


def _files(path: Path) -> list[tuple[str, str]]:
    """(name, content) of every *.key.xml, from a directory or a git directory (bare or not)."""
    if (path / SUBDIR).is_dir():
        path = path / SUBDIR
    if any(path.glob("*.key.xml")):
        return [(p.name, p.read_text(encoding="utf-8")) for p in sorted(path.glob("*.key.xml"))]
    git = ["git", "--git-dir", str(path)] if not (path / ".git").exists() else ["git", "-C", str(path)]
    names = subprocess.run([*git, "ls-tree", "--name-only", "HEAD", f"{SUBDIR}/"], check=True,
                           capture_output=True, text=True).stdout.split()
    return [(Path(n).name, subprocess.run([*git, "show", f"HEAD:{n}"], check=True, capture_output=True,
                                          text=True).stdout) for n in names if n.endswith(".key.xml")]


def parse(name: str, xml: str) -> tuple[str, date, list[Gold]]:
    """The article's plain text, its document time and its gold TIMEX2 expressions (nested ones too)."""
    doc = name.removesuffix(".key.xml")
    m = re.search(r"<DATETIME>.*?>(\d{4}-\d\d-\d\d)", xml, re.S)
    dct = date.fromisoformat(m.group(1)) if m else DOWNLOADED
    body = xml[xml.index("<TEXT>") + len("<TEXT>"):xml.rindex("</TEXT>")]
    out, golds, stack, at, pos = [], [], [], 0, 0
    for t in _TAG.finditer(body):
        piece = html.unescape(body[pos:t.start()])
        out.append(piece)
        at += len(piece)
        pos = t.end()
        if t.group(1) == "" and t.group(2) is not None:
            v = _VAL.search(t.group(2))
            stack.append((at, v.group(1) if v else ""))
        elif t.group(1) == "/" and stack:
            start, value = stack.pop()
            golds.append(Gold(doc, start, at, "", value))
    out.append(html.unescape(body[pos:]))
    text = "".join(out)
    return text, dct, [Gold(g.doc, g.start, g.end, text[g.start:g.end], g.value) for g in golds]


def half(doc: str) -> str:
    return "dev" if hashlib.sha256(doc.encode("utf-8")).digest()[0] % 2 == 0 else "test"


def scored(g: Gold) -> bool:
    return bool(_DATE_LIKE.fullmatch(g.value))


def _bc(value: str) -> str:
    """BC years one way: BC0490 (TIMEX2, TIMEX3) for -0490 or -490."""
    return re.sub(r"^-(\d+)", lambda m: "BC" + m.group(1).zfill(4), value)


def _part_value(v, first: bool) -> str:
    """The value of the first or last date of a joined span, at the span's grain."""
    day = v.start if first else v.end
    unit = next((u for u in (v.unit, v.grain) if u in ("day", "month", "year")), "day")
    return timex_value(day, day, unit)


def predict(text: str, dct: date, golds: list[Gold]) -> dict[Gold, str]:
    """The value found over each gold expression.  An expression nested in another gold one ("1863" in "the
    summer of 1863") whose found span is wider than itself is resolved on its own: TIMEX2 gives it its own value."""
    found = find_dates(text, dct, "past", vague=True)
    got: dict[Gold, str] = {}
    for g in golds:
        over = [f for f in found if f.start_char < g.end and g.start < f.end_char]
        if not over:
            got[g] = "-"
            continue
        f = max(over, key=lambda f: min(f.end_char, g.end) - max(f.start_char, g.start))
        span = text[f.start_char:f.end_char]
        nested = any(o is not g and o.start <= g.start and g.end <= o.end for o in golds)
        if nested and f.start_char <= g.start and g.end <= f.end_char and (f.start_char, f.end_char) != (g.start, g.end):
            try:
                got[g] = resolve(g.text, dct, "past").timex
                continue
            except Unresolvable:
                pass
        joined = _JOINED.search(span) or "/" in f.value.timex  # "(August-September 1950)": a range, no spaces
        if (f.start_char, f.end_char) != (g.start, g.end) and joined and not _JOINED.search(g.text):
            if g.start <= f.start_char + 1:
                got[g] = _part_value(f.value, True)
                continue
            if g.end >= f.end_char - 1:
                got[g] = _part_value(f.value, False)
                continue
        got[g] = f.value.timex
    return got


def same(got: str, gold: str) -> bool:
    return _bc(_norm(got)) == _bc(_norm(gold))


def main(path: Path = DEFAULT, show_misses: int = 0) -> None:
    hits, totals, misses = Counter(), Counter(), []
    for name, xml in _files(path):
        text, dct, golds = parse(name, xml)
        for g, got in predict(text, dct, golds).items():
            if not scored(g):
                continue
            keys = (half(g.doc), "all")
            totals.update(keys)
            if same(got, g.value):
                hits.update(keys)
            elif half(g.doc) == "dev":  # dev only: test stays unread
                misses.append((g, got, text[max(0, g.start - 60):g.end + 40].replace("\n", " ")))
    print(f"WikiWars ({path}): {totals['all']} date-like TIMEX2 expressions, value accuracy")
    for k in ("dev", "test", "all"):
        print(f"  {k:4s}: {hits[k]}/{totals[k]} = {hits[k] / max(1, totals[k]):.3f}")
    for g, got, ctx in misses[:show_misses]:
        print(f"    {g.text!r:28} gold {g.value:11} got {got:22} {g.doc} | {ctx}")


if __name__ == "__main__":
    args = sys.argv[1:]
    n = int(args[args.index("--misses") + 1]) if "--misses" in args else 0
    rest = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or args[i - 1] != "--misses")]
    main(Path(rest[0]) if rest else DEFAULT, n)
