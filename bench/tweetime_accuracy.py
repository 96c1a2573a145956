"""Date accuracy of the time resolver on TweeTIME's test set (tweets, another convention than TimeML news).

TweeTIME (Tabassum, Ritter and Xu, EMNLP 2016; github.com/jeniyat/TweeTime, data/test_input_final.txt) gives
200 tweets, each with its creation date, the gold dates it refers to (comma-separated; "None" for none)
and TweeTIME's own predicted date.  The convention is the tweet's, not an expression's: the days the
tweet is about, whatever words say them (a hashtag #Friday, "tmrw", "2day", or nothing the resolver could read).

The resolver reads each tweet with find_dates against its creation date, without tense (tweets have no
sentence tense we read); the days it finds (a day, or each day of a range up to a week; a week or month
names no day) are compared with the gold days as a set.  Scored: the tweets with a gold date (the value
accuracy), and all 200 (no date found for a tweet whose gold is None counts right).  TweeTIME's own
predictions, scored the same way, are printed beside.

The repository has no licence file, so no table derived from it is kept here: the script reads the file
from a local copy, a checkout or a bare git directory of the repository:

    python bench/tweetime_accuracy.py [PATH] [--dev [--misses N]]

Rules are read off the development set's misses only (--dev --misses N); the test set is scored whole.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.temporal import find_dates  # noqa: E402

DEFAULT = Path("/work/.mirror/jeniyat+TweeTime/repo/.git")  # where the `fetch` tool puts its snapshot
FILE = "data/test_input_final.txt"
DEV_FILE = "data/dev_input_final.txt"  # --dev: the 49 tweets of TweeTIME's development set, the ones read for rules
MAX_RANGE_DAYS = 7


def read(path: Path, name: str = FILE) -> list[tuple[str, date, frozenset, frozenset]]:
    """(tweet, creation date, gold days, TweeTIME's days) of each line, from the file or a git directory."""
    if path.is_dir():
        git = ["git", "--git-dir", str(path)] if path.name.endswith(".git") else ["git", "-C", str(path)]
        text = subprocess.run([*git, "show", f"HEAD:{name}"], check=True, capture_output=True, text=True).stdout
    else:
        text = path.read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) != 4:
            continue
        tweet, created, gold, theirs = cols
        out.append((tweet, date.fromisoformat(created), _days(gold), _days(theirs)))
    return out


def _days(field: str) -> frozenset:
    return frozenset(date.fromisoformat(v) for v in field.split(",") if v.strip() not in ("", "None"))


def predict(tweet: str, created: date) -> frozenset:
    """The days the resolver finds in a tweet."""
    days = set()
    for f in find_dates(tweet, created, None):
        v = f.value
        if v.grain == "day" and (v.end - v.start).days < MAX_RANGE_DAYS:
            days.update(v.start + timedelta(days=k) for k in range((v.end - v.start).days + 1))
    return frozenset(days)


def main(path: Path = DEFAULT, show_misses: int = 0, dev: bool = False) -> None:
    rows = read(path, DEV_FILE if dev else FILE)
    dated = [r for r in rows if r[2]]
    ours = sum(predict(t, c) == g for t, c, g, _ in dated)
    theirs = sum(p == g for _, _, g, p in dated)
    ours_all = sum(predict(t, c) == g for t, c, g, _ in rows)
    theirs_all = sum(p == g for _, _, g, p in rows)
    print(f"TweeTIME {'dev' if dev else 'test'} set ({path}): {len(rows)} tweets, {len(dated)} with a gold date")
    print(f"  tweets with a gold date, days right: resolver {ours}/{len(dated)} = {ours / len(dated):.3f}, "
          f"TweeTIME {theirs}/{len(dated)} = {theirs / len(dated):.3f}")
    print(f"  all tweets (no date where gold has none): resolver {ours_all}/{len(rows)} = {ours_all / len(rows):.3f}, "
          f"TweeTIME {theirs_all}/{len(rows)} = {theirs_all / len(rows):.3f}")
    for tweet, created, gold, _ in [r for r in dated if predict(r[0], r[1]) != r[2]][:show_misses if dev else 0]:
        got = sorted(d.isoformat() for d in predict(tweet, created))
        print(f"    gold {sorted(d.isoformat() for d in gold)} got {got} created {created} | {tweet[:110]}")


if __name__ == "__main__":
    args = sys.argv[1:]
    misses = int(args[args.index("--misses") + 1]) if "--misses" in args else 0
    paths = [a for i, a in enumerate(args) if not a.startswith("--") and (i == 0 or args[i - 1] != "--misses")]
    main(Path(paths[0]) if paths else DEFAULT, misses, "--dev" in args)
