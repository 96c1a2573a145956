"""The annotated corpus in corpus/: its parts, its fixed split, its checks and its counts.

Annotators write articles to ``corpus/parts/*.jsonl`` (the gold format of
shared/eval/SCHEMA.md, plus ``outlet``, ``region``, ``negative_type`` and each meeting's
``evidence`` sentences). ``build`` merges the parts with the project's older gold files,
drops repeated URLs and writes ``train.jsonl``, ``dev.jsonl`` and ``test.jsonl``. The split
is a hash of the URL, so an article never changes split when others are added: 60/20/20
for the corpus, train or dev only (75/25) for the older gold files, whose articles were read
while the rules were written. The test split is scored as a whole, never read error by error.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from pathlib import Path

from bot.models import CERTAINTIES, KINDS

SPLITS = ("train", "dev", "test")
GOLD_TENSES = ("upcoming", "past", "cancelled")
REGIONS = ("africa", "asia", "europe", "middle_east", "north_america", "south_america", "oceania", "global")
NEGATIVE_TYPES = ("past_summit", "cancelled", "business_summit", "tech_summit", "rate_meeting",
                  "party_congress", "court", "sport", "domestic", "other")
MEETING_FIELDS = ("participants", "kind", "name", "location", "start", "end", "tense", "certainty")
STATS_BEGIN, STATS_END = "<!-- counts: begin -->", "<!-- counts: end -->"


class CorpusError(ValueError):
    """A corpus file that cannot be read; the message names the file and line."""


def url_bucket(url: str) -> int:
    """0..99, from the SHA-256 of the URL as written: the article's place in the split."""
    return int(hashlib.sha256(url.strip().encode("utf-8")).hexdigest(), 16) % 100


def split_of(url: str, *, seen_by_rules: bool = False) -> str:
    """train 60% / dev 20% / test 20%; articles the rules were written against: train 75% / dev 25%."""
    bucket = url_bucket(url)
    if seen_by_rules:
        return "train" if bucket < 75 else "dev"
    return "train" if bucket < 60 else "dev" if bucket < 80 else "test"


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise CorpusError(f"{path}:{lineno}: not JSON: {exc}") from None
        if not isinstance(row, dict):
            raise CorpusError(f"{path}:{lineno}: not a JSON object")
        rows.append(row)
    return rows


def problems(row: dict) -> list[str]:
    """What is wrong with one annotated article (empty when it is fine)."""
    out = []
    for key in ("id", "url", "published", "title", "text", "meetings"):
        if key not in row:
            return [f"missing field {key!r}"]
    try:
        dt.date.fromisoformat(str(row["published"])[:10])
    except ValueError:
        out.append(f"published is not ISO 8601: {row['published']!r}")
    if not isinstance(row["text"], str) or not row["text"].strip():
        out.append("empty text")
    for i, m in enumerate(row["meetings"]):
        missing = [k for k in MEETING_FIELDS if k not in m]
        if missing:
            out.append(f"meeting {i}: missing {missing}")
            continue
        if m["kind"] not in KINDS:
            out.append(f"meeting {i}: kind {m['kind']!r}")
        if m["tense"] not in GOLD_TENSES:
            out.append(f"meeting {i}: tense {m['tense']!r}")
        if m["certainty"] not in CERTAINTIES:
            out.append(f"meeting {i}: certainty {m['certainty']!r}")
        if (m["start"] is None) != (m["end"] is None):
            out.append(f"meeting {i}: only one of start and end")
        elif m["start"] and m["start"] > m["end"]:
            out.append(f"meeting {i}: start after end")
        for sentence in m.get("evidence") or []:
            if sentence not in row["text"] and sentence not in row["title"]:
                out.append(f"meeting {i}: evidence not in the text: {sentence[:50]!r}")
    return out


def is_negative(row: dict) -> bool:
    """An article with no upcoming meeting: what a bot must stay silent about."""
    return not any(m.get("tense") == "upcoming" for m in row.get("meetings", []))


def gather(root: Path, older: list[Path]) -> dict[str, list[dict]]:
    """The parts and the older gold files, one copy of each URL, each in its split (sorted by id)."""
    out: dict[str, list[dict]] = {name: [] for name in SPLITS}
    seen: set[str] = set()
    sources = [(p, False) for p in sorted((root / "parts").glob("*.jsonl"))] + [(p, True) for p in older]
    for path, seen_by_rules in sources:
        for row in read_jsonl(path):
            url = str(row.get("url") or "").strip()
            if not url or url in seen:
                continue
            wrong = problems(row)
            if wrong:
                raise CorpusError(f"{path}: article {row.get('id')}: {'; '.join(wrong)}")
            seen.add(url)
            row.setdefault("source_set", path.stem)
            out[split_of(url, seen_by_rules=seen_by_rules)].append(row)
    for rows in out.values():
        rows.sort(key=lambda r: str(r["id"]))
    return out


def write_splits(root: Path, splits: dict[str, list[dict]]) -> None:
    for name, rows in splits.items():
        text = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in rows)
        (root / f"{name}.jsonl").write_text(text, encoding="utf-8")


def file_hash(path: Path) -> str:
    """SHA-256 of a file's bytes: the trained model records the one of the data it saw."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def counts(splits: dict[str, list[dict]]) -> str:
    """Markdown tables: articles by split, region, decade, meeting kind and outlet."""
    rows = [r for name in SPLITS for r in splits[name]]
    lines = ["| split | articles | negatives | upcoming meetings | past or cancelled |", "|---|---|---|---|---|"]
    for name in SPLITS:
        part = splits[name]
        up = sum(m["tense"] == "upcoming" for r in part for m in r["meetings"])
        other = sum(m["tense"] != "upcoming" for r in part for m in r["meetings"])
        lines.append(f"| {name} | {len(part)} | {sum(map(is_negative, part))} | {up} | {other} |")
    negatives = sum(map(is_negative, rows))
    lines.append(f"| all | {len(rows)} | {negatives} ({negatives / max(len(rows), 1):.0%}) | | |")

    def table(title: str, counter: Counter, unit: str = "articles") -> list[str]:
        out = ["", f"| {title} | {unit} |", "|---|---|"]
        out += [f"| {key} | {n} |" for key, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]
        return out

    lines += table("region", Counter(r.get("region") or "(older gold files)" for r in rows))
    lines += table("years", Counter(f"{int(str(r['published'])[:4]) // 5 * 5}–{int(str(r['published'])[:4]) // 5 * 5 + 4}"
                                    for r in rows))
    lines += table("meeting kind (all tenses)", Counter(m["kind"] for r in rows for m in r["meetings"]), "meetings")
    lines += table("kind of negative", Counter(r.get("negative_type") or "(not given)" for r in rows if is_negative(r)))
    outlets = Counter(r.get("outlet") or "(older gold files)" for r in rows)
    lines += ["", f"{len(outlets)} outlets:", ""]
    lines.append(", ".join(f"{name} ({n})" for name, n in sorted(outlets.items(), key=lambda kv: (-kv[1], kv[0]))))
    return "\n".join(lines)


def write_counts(readme: Path, text: str) -> None:
    """Put the counts between the markers of corpus/README.md (the rest is written by hand)."""
    body = readme.read_text(encoding="utf-8")
    head, _, rest = body.partition(STATS_BEGIN)
    _, _, tail = rest.partition(STATS_END)
    readme.write_text(f"{head}{STATS_BEGIN}\n{text}\n{STATS_END}{tail}", encoding="utf-8")
