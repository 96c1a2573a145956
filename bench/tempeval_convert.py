"""Convert TempEval-3 training data (TBAQ-cleaned: TimeBank and AQUAINT .tml files) into
tests/data/tbaq_timex.tsv: one row per TIMEX3 with its document date, type, gold value, expression and
sentence's tense, and the expression with three words on each side (its offset there): no sentence of the
news is kept. Only the derived table is kept in this repository.

    python bench/tempeval_convert.py DIR [DIR ...] > tests/data/tbaq_timex.tsv
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timex_accuracy import tense_of, window  # noqa: E402  (the table's context and tense, made one way)

_TAG = re.compile(r"<TIMEX3\b(?P<attrs>[^>]*)>(?P<inner>.*?)</TIMEX3>|<[^>]+>", re.S)
_ATTR = re.compile(r'(\w+)="([^"]*)"')
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n\s*\n")
_ABBREV = re.compile(r"\b(?:[A-Z]|Mr|Mrs|Ms|Dr|St|Jan|Feb|Mar|Apr|Aug|Sept?|Oct|Nov|Dec|Inc|Corp|Co|Ltd|Gov|Sen|Rep"
                     r"|Gen|Lt|Col|U\.S|No|Jr|Sr|vs|Calif|Mass|Va|Fla|Ill|Pa|N\.Y|D\.C)\.$")


def _plain(text: str) -> tuple[str, list[tuple[int, int, dict]]]:
    """The text without tags, and each TIMEX3's (start, end, attributes) in it."""
    out, timexes, pos = [], [], 0
    length = 0
    for m in _TAG.finditer(text):
        chunk = html.unescape(text[pos:m.start()])
        out.append(chunk)
        length += len(chunk)
        if m["attrs"] is not None:
            inner = html.unescape(re.sub(r"<[^>]+>", "", m["inner"]))
            timexes.append((length, length + len(inner), dict(_ATTR.findall(m["attrs"]))))
            out.append(inner)
            length += len(inner)
        pos = m.end()
    out.append(html.unescape(text[pos:]))
    return "".join(out), timexes


def _sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: split after . ! ? before a capital, but not after an abbreviation."""
    bounds, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        if _ABBREV.search(text[max(start, m.start() - 8):m.start()]):
            continue
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def rows(path: Path):
    raw = path.read_text(encoding="utf-8")
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if not (dct and body):
        return
    text, timexes = _plain(body.group(1))
    sents = _sentences(text)
    for start, end, attrs in timexes:
        s0, s1 = next(((a, b) for a, b in sents if a <= start < b), (0, len(text)))
        s1 = max(s1, end)
        sentence = text[s0:s1]
        lead = len(sentence) - len(sentence.lstrip())
        sentence = re.sub(r"\s", " ", sentence.strip())
        expression = re.sub(r"\s", " ", text[start:end])
        at = start - s0 - lead
        context, offset = window(sentence, at, expression)
        yield (path.stem, attrs.get("type", ""), attrs.get("value", ""), expression, dct.group(1)[:10],
               tense_of(sentence, at) or "", str(offset), context)


def main(dirs: list[str]) -> None:
    print("# TempEval-3 training data (TBAQ-cleaned: TimeBank 1.2 and AQUAINT), TIMEX3 gold values; made by "
          "bench/tempeval_convert.py")
    print("# doc\ttype\tvalue\texpression\tdct\ttense\toffset\tcontext")
    for d in dirs:
        for path in sorted(Path(d).glob("*.tml")):
            for row in rows(path):
                print("\t".join(row))


if __name__ == "__main__":
    main(sys.argv[1:])
