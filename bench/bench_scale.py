"""Benchmark: the chat commands and ingestion as the database grows (1k, 10k, 100k meetings).

Run: python bench/bench_scale.py [--sizes 1000,10000,100000] [--reps 200] [--articles 200]

Each size is a synthetic database in summitbot's own schema (opened with open_db, so every migration,
trigger and index is the real one), filled with bulk inserts in the proportions of issue 21's
100k figures: per 100,000 meetings 5,000 people (leaders drawn from a Zipf distribution, so a few
meet very often: the busiest is in about 8,300 meetings), 60,000 articles, about 140,000 sources
and 120,000 changes, dates from 2000 to a year after "today" (a fifth known only to the week, month,
range or year), most of the past closed, some of it stale; a multilateral meeting is one of 26
recurring summits (each once or twice a year), else a gathering of its own name or unnamed. Then:
  * p50 / p99 of each read command through the command layer the adapters call (bot/commands);
  * the ingest rate of real article text (corpus/*.jsonl, extracted by the real pipeline) into an
    empty database and into the largest one, and the fold alone (extraction done beforehand).
Nothing is asserted: the figures are printed, with the ratio of the largest size to the smallest.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.commands import Commands, Context, Services  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.schema import search_index_paused  # noqa: E402
from bot.store import Store, content_hash, name_key, open_db, summit_key  # noqa: E402

NOW = datetime(2025, 10, 24, 9, 0, tzinfo=timezone.utc)
FIRST_DAY = date(2000, 1, 1)
LAST_DAY = NOW.date() + timedelta(days=365)

LEADERS = [
    "Donald Trump", "Xi Jinping", "Vladimir Putin", "Narendra Modi", "Emmanuel Macron", "Olaf Scholz",
    "Friedrich Merz", "Keir Starmer", "Rishi Sunak", "Fumio Kishida", "Shigeru Ishiba", "Lee Jae-myung",
    "Yoon Suk Yeol", "Kim Jong Un", "Recep Tayyip Erdogan", "Luiz Inácio Lula da Silva", "Claudia Sheinbaum",
    "Justin Trudeau", "Mark Carney", "Anthony Albanese", "Joe Biden", "Barack Obama", "Angela Merkel",
    "Volodymyr Zelenskiy", "Mohammed bin Salman", "Cyril Ramaphosa", "Prabowo Subianto", "Anwar Ibrahim",
    "Ferdinand Marcos Jr.", "Giorgia Meloni", "Pedro Sánchez", "Ursula von der Leyen", "António Guterres",
    "Benjamin Netanyahu", "Abdel Fattah el-Sisi", "William Ruto", "Bola Tinubu", "Javier Milei",
    "Shehbaz Sharif", "Li Qiang",
]
FIRST = ["Ana", "Ben", "Carlos", "Dina", "Emre", "Fatima", "Goran", "Hana", "Ivan", "Jin", "Kofi", "Lena", "Mehmet",
         "Nadia", "Omar", "Petra", "Quang", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wei", "Ximena", "Yusuf",
         "Zainab", "Aiko", "Bongani", "Chen", "Dmitri", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jakub"]
LAST = ["Abbas", "Bauer", "Costa", "Dlamini", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen", "Kaya",
        "Lindqvist", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Santos", "Tanaka", "Usman",
        "Varga", "Wang", "Xu", "Yilmaz", "Zhang", "Almeida", "Banda", "Chowdhury", "Duarte", "Novak", "Kowalski",
        "Mensah", "Nguyen", "Osei", "Park", "Rahman", "Silva", "Tran", "Weber"]
CITIES = ["Brussels", "Washington", "Beijing", "Moscow", "New Delhi", "Paris", "Berlin", "London", "Tokyo", "Seoul",
          "Gyeongju", "Busan", "Ankara", "Brasilia", "Mexico City", "Ottawa", "Canberra", "Kyiv", "Riyadh",
          "Pretoria", "Jakarta", "Kuala Lumpur", "Manila", "Rome", "Madrid", "New York", "Geneva", "Davos",
          "Vienna", "Helsinki", "Singapore", "Hanoi", "Bangkok", "Cairo", "Nairobi", "Abuja", "Buenos Aires",
          "Islamabad", "Doha", "Abu Dhabi", "Lima", "Santiago", "Bogota", "Warsaw", "Prague", "Budapest",
          "Oslo", "Stockholm", "Copenhagen", "The Hague", "Vilnius", "Madrid", "Hiroshima", "Osaka", "Sochi",
          "Kazan", "Astana", "Tashkent", "Baku", "Tehran", "Baghdad", "Amman", "Jerusalem", "Addis Ababa",
          "Kigali", "Dakar", "Accra", "Lusaka", "Luanda", "Canberra", "Wellington", "Port Moresby", "Suva"]
SUMMITS = ["NATO summit", "G7 summit", "G20 summit", "APEC Leaders' Meeting", "ASEAN Summit", "EU-China summit",
           "BRICS summit", "East Asia Summit", "Commonwealth Heads of Government Meeting", "SCO summit",
           "Summit of the Americas", "African Union summit", "European Council summit", "EU-Africa summit",
           "Quad leaders' summit", "Nuclear Security Summit", "UN General Assembly", "COP climate summit",
           "Arab League summit", "Gulf Cooperation Council summit", "Pacific Islands Forum", "Mercosur summit",
           "Visegrad summit", "Nordic Council session", "CELAC summit", "Eastern Economic Forum"]
TOPICS = ["Climate", "Security", "Trade", "Energy", "Health", "Food Security", "Ukraine Recovery", "Ocean",
          "Digital", "Migration", "Peace", "Investment", "Water", "Nuclear", "Space", "Education"]
GATHERINGS = ["Summit", "Conference", "Forum", "Dialogue", "Leaders' Meeting"]
KINDS = (("bilateral", 40), ("multilateral", 20), ("visit", 15), ("phone_call", 15), ("talks", 10))
OUTLETS = [f"outlet{i:03d}.example" for i in range(300)]


def zipf_weights(n: int, s: float = 1.0, q: float = 2.5) -> list[float]:
    """Cumulative Zipf(-Mandelbrot) weights: with n = 5,000 people the busiest leader is in about 4% of
    the participations (8,600 of 200,000 in issue 21's database), the next ones a little less."""
    return list(accumulate(1.0 / ((rank + q) ** s) for rank in range(1, n + 1)))


def people_names(n: int, rng: random.Random) -> list[str]:
    names = list(LEADERS)
    seen = set(names)
    while len(names) < n:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if name in seen:
            name = f"{name}-{rng.choice(LAST)}"
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names[:n]


def generate(path: str | Path, meetings: int, seed: int = 21) -> dict:
    """A database of ``meetings`` synthetic meetings and everything around them; returns what the bench needs."""
    rng = random.Random(seed)
    n_people = max(200, meetings // 20)
    n_articles = max(50, meetings * 6 // 10)
    store = Store(open_db(path))
    conn = store.db.conn
    names = people_names(n_people, rng)
    person_cum = zipf_weights(n_people)
    summit_cum = zipf_weights(len(SUMMITS), 0.8, 0)
    city_cum = zipf_weights(len(CITIES), 0.7, 0)
    kinds, kind_w = zip(*KINDS)
    span_days = (LAST_DAY - FIRST_DAY).days
    stamp = NOW.isoformat(timespec="seconds")
    with conn, search_index_paused(store.db):
        conn.executemany("INSERT INTO people (id, name) VALUES (?, ?)", [(i + 1, n) for i, n in enumerate(names)])
        aliases = {name_key(n): i + 1 for i, n in enumerate(names)}
        for i, n in enumerate(names):  # family names as aliases for some (as the gazetteer adds)
            if rng.random() < 0.3:
                aliases.setdefault(name_key(n.split()[-1]), i + 1)
        conn.executemany("INSERT INTO aliases (alias, person_id) VALUES (?, ?)", list(aliases.items()))
        articles = []
        for a in range(1, n_articles + 1):
            day = FIRST_DAY + timedelta(days=int(span_days * (a / n_articles) ** 0.8) - 30)
            leader = names[rng.choices(range(n_people), cum_weights=person_cum)[0]]
            text = (f"{leader} will travel to {rng.choice(CITIES)} next week for talks with "
                    f"{rng.choice(names)}, officials said on {day:%A}. " * 3 + f"Dispatch {a}.")
            articles.append((a, f"https://{OUTLETS[a % 300]}/news/{a}", f"{leader} to visit", OUTLETS[a % 300],
                             day.isoformat(), text, content_hash(text), f"bench:{a}", "ok", stamp))
        conn.executemany("""INSERT INTO articles (id, url, title, outlet, published, text, content_hash, source,
                            status, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)""", articles)
        rows, links, sources, changes = [], [], [], []
        today = NOW.date()
        for mid in range(1, meetings + 1):
            start = FIRST_DAY + timedelta(days=rng.randrange(span_days))
            kind = rng.choices(kinds, weights=kind_w)[0]
            r = rng.random()
            if r < 0.8:
                precision, end = "day", start + timedelta(days=rng.choice((0, 0, 0, 1, 2)) if kind == "multilateral" else 0)
            elif r < 0.9:
                precision, start = "month", start.replace(day=1)
                end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            elif r < 0.95:
                precision, end = "week", start + timedelta(days=6)
            elif r < 0.995:
                precision, end = "range", start + timedelta(days=rng.randrange(3, 60))
            else:
                precision, start, end = "year", start.replace(month=1, day=1), start.replace(month=12, day=31)
            future = end >= today
            r = rng.random()
            if future:
                status = "upcoming" if r < 0.85 else "postponed" if r < 0.9 else "cancelled"
            else:
                status = "past" if r < 0.85 else "upcoming" if r < 0.95 else "cancelled"  # some never closed
            name = location = None
            if kind == "multilateral":
                # The recurring summits meet once or twice a year; most gatherings have names of their own.
                if rng.random() < 0.07:
                    name = SUMMITS[rng.choices(range(len(SUMMITS)), cum_weights=summit_cum)[0]]
                elif rng.random() < 0.7:
                    name = f"{rng.choice(CITIES)} {rng.choice(TOPICS)} {rng.choice(GATHERINGS)} {mid}"
                who = sorted({p + 1 for p in rng.choices(range(n_people), cum_weights=person_cum,
                                                         k=rng.randrange(0, 7))})
            else:
                pair = set()
                want = 1 if kind == "visit" and rng.random() < 0.3 else 2
                while len(pair) < want:
                    pair.add(rng.choices(range(n_people), cum_weights=person_cum)[0] + 1)
                who = sorted(pair)
            if kind != "phone_call":
                location = CITIES[rng.choices(range(len(CITIES)), cum_weights=city_cum)[0]]
            certainty = rng.choice(("possible", "planned", "planned", "confirmed", "confirmed"))
            rows.append((mid, kind, name, summit_key(name), location, "[]", start.isoformat(), end.isoformat(),
                         None, None, precision, certainty, status, stamp, stamp, stamp))
            links.extend((mid, pid) for pid in who)
            first_article = min(n_articles, max(1, int(n_articles * mid / meetings)))
            seen_in = {first_article}
            while rng.random() < 0.3:  # more outlets report it
                seen_in.add(rng.randint(max(1, first_article - 50), min(n_articles, first_article + 50)))
            sources.extend((mid, a, f"Sentence {mid} of article {a}.", stamp) for a in sorted(seen_in))
            changes.append((mid, stamp, "created", None, f"{kind} {start}", first_article, f"Sentence {mid}."))
            if rng.random() < 0.2:
                field = rng.choice(("date", "location", "certainty", "status"))
                changes.append((mid, stamp, field, "before", "after", max(seen_in), f"Sentence {mid}, later."))
        conn.executemany("""INSERT INTO meetings (id, kind, name, summit_key, location, alt_locations, start, "end",
                            time, tz, precision, certainty, status, asof, first_seen, updated)
                            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""", rows)
        conn.executemany("INSERT INTO meeting_people (meeting_id, person_id) VALUES (?, ?)", links)
        conn.executemany("INSERT OR IGNORE INTO sources (meeting_id, article_id, sentence, seen_at) VALUES (?,?,?,?)",
                         sources)
        conn.executemany("""INSERT INTO changes (meeting_id, at, field, old, new, article_id, sentence)
                            VALUES (?,?,?,?,?,?,?)""", changes)
        conn.executemany("""INSERT INTO channels (id, platform, workspace, channel, tz, delivery_time, digest, status,
                            digest_change_id, created, updated)
                            VALUES (?, 'slack', 'T1', ?, 'UTC', '09:00', 'off', 'active', 0, ?, ?)""",
                         [(c, f"C{c}", stamp, stamp) for c in range(1, 101)])
        conn.executemany("""INSERT INTO subscriptions (channel_id, who, country, kind, min_certainty, lead, status,
                            created, after_change_id) VALUES (?, ?, NULL, ?, NULL, '7d,1d', 'active', ?, 0)""",
                         [(c % 100 + 1, names[rng.choices(range(n_people), cum_weights=person_cum)[0]]
                           if c % 3 else None, "bilateral" if c % 3 == 0 else None, stamp) for c in range(300)])
    store.db.execute("ANALYZE")
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the load is in the file, not left for a later writer
    busiest = store.db.execute("SELECT person_id FROM meeting_people GROUP BY person_id ORDER BY count(*) DESC"
                               " LIMIT 1").fetchone()[0]
    return {"store": store, "busiest": names[busiest - 1], "meetings": meetings, "people": n_people,
            "articles": n_articles, "sources": len(sources), "changes": len(changes)}


def command_cases(info: dict) -> list[tuple[str, object]]:
    """(label, command text or a function of the repetition giving one)."""
    busiest, n = info["busiest"], info["meetings"]
    return [
        ("`/summits search NATO summit Brussels`", "/summits search NATO summit Brussels"),
        ("`/summits search nosuchword`", "/summits search nosuchword"),
        ("`/summits upcoming`", "/summits upcoming"),
        ("`/summits upcoming days:365` (capped at 50)", "/summits upcoming days:365"),
        ("`/summits upcoming who:` busiest leader", f"/summits upcoming who:{busiest}"),
        ("`/summits next` busiest leader", f"/summits next {busiest}"),
        ("`/summits show ID` (random)", lambda i: f"/summits show {(i * 7919) % n + 1}"),
        ("`/summits subscriptions`", "/summits subscriptions"),
    ]


def time_commands(info: dict, reps: int) -> dict[str, tuple[float, float]]:
    commands = Commands(Services(store=info["store"], settings=Settings(now=NOW)))
    ctx = Context(platform="slack", workspace="T1", channel="C1", user="U1", is_admin=False)
    out = {}
    for label, case in command_cases(info):
        samples = []
        for i in range(reps + 5):
            text = case(i) if callable(case) else case
            t0 = time.perf_counter()
            reply = commands.handle(text, ctx)
            elapsed = time.perf_counter() - t0
            assert reply.kind != "error" or "no summit" in (reply.text or ""), (text, reply.text)
            if i >= 5:  # warm-up
                samples.append(elapsed * 1000)
        samples.sort()
        out[label] = (statistics.median(samples), samples[min(len(samples) - 1, math.ceil(0.99 * len(samples)) - 1)])
    return out


def real_articles(count: int):
    from bot.sources import article_from_record

    out = []
    for name in ("train.jsonl", "dev.jsonl", "test.jsonl"):
        for line in (ROOT / "corpus" / name).read_text().splitlines():
            if line.strip():
                rec = json.loads(line)
                art = article_from_record(rec, f"corpus/{name}:{rec.get('id')}")
                if art.published is not None:
                    out.append(art)
    return out[:count]


class Replay:
    """An extractor that returns what the real one found before: the fold alone is timed."""

    def __init__(self, found: dict[str, list]):
        self.found = found

    def extract(self, article, summit_lookup=None):
        return self.found[article.id]

    def extract_many(self, articles, summit_lookup=None):
        return [self.found[a.id] for a in articles]


def time_ingest(store: Store, path: Path, extractor) -> tuple[float, int]:
    """Articles per second through Ingestor.ingest_paths (as `summitbot ingest FILE.jsonl`), and meetings folded."""
    from bot.pipeline import Ingestor

    ingestor = Ingestor(store, extractor)
    t0 = time.perf_counter()
    report = ingestor.ingest_paths([str(path)])
    elapsed = time.perf_counter() - t0
    assert report.new and not report.failed, report.summary()
    return report.new / elapsed, len(report.meeting_ids)


def write_articles(path: Path, articles, mark: str) -> Path:
    """The articles as a JSONL file, each text made new by ``mark`` (a stored text would be a duplicate)."""
    with path.open("w") as out:
        for a in articles:
            out.write(json.dumps({"id": a.id, "title": a.title, "url": a.url, "outlet": a.outlet,
                                  "published": a.published.isoformat(), "text": f"{a.text}\n\n{mark}"}) + "\n")
    return path


def fmt_ms(p50: float, p99: float) -> str:
    return f"{p50:.1f} / {p99:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--articles", type=int, default=200, help="real articles ingested (0: skip)")
    opts = parser.parse_args()
    sizes = [int(s) for s in opts.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="summitbot-scale-"))
    results: dict[int, dict] = {}
    infos: dict[int, dict] = {}
    for size in sizes:
        t0 = time.perf_counter()
        info = generate(tmp / f"scale-{size}.db", size)
        gen = time.perf_counter() - t0
        print(f"{size:,} meetings: generated in {gen:.1f} s ({info['people']:,} people, {info['articles']:,} "
              f"articles, {info['sources']:,} sources, {info['changes']:,} changes; busiest leader "
              f"{info['busiest']}, {info['store'].db.execute('SELECT count(*) FROM meeting_people mp JOIN people p ON p.id = mp.person_id WHERE p.name = ?', [info['busiest']]).fetchone()[0]:,} meetings)",  # noqa: E501
              flush=True)
        results[size] = time_commands(info, opts.reps)
        infos[size] = info
    labels = list(results[sizes[0]])
    head = ("| what (p50 / p99) | " + " | ".join(f"{s:,} meetings" for s in sizes)
            + f" | p50 at {sizes[-1] // sizes[0]}x the meetings |")
    print()
    print("p50 / p99 per command, through bot/commands:")
    print(head)
    print("|---" * (len(sizes) + 2) + "|")
    for label in labels:
        cells = [fmt_ms(*results[s][label]) for s in sizes]
        ratio = results[sizes[-1]][label][0] / max(results[sizes[0]][label][0], 1e-9)
        print(f"| {label} | " + " | ".join(cells) + f" | x{ratio:.1f} |")
    if opts.articles:
        from bot.extract import Extractor, load_nlp

        articles = real_articles(opts.articles)
        extractor = Extractor(nlp=load_nlp())
        extractor.extract_many(articles[:32])  # warm the pipeline up
        big = infos[sizes[-1]]["store"]
        # Through the real extractor, into an empty database and into the largest one.
        full_empty, folded = time_ingest(Store(tmp / "empty.db"), write_articles(tmp / "a.jsonl", articles, "A"),
                                         extractor)
        full_big, _ = time_ingest(big, write_articles(tmp / "b.jsonl", articles, "B"), extractor)
        # The fold alone: what the extractor found, replayed (the summit lookups it made are left out).
        found = {a.id: meetings for a, meetings in zip(articles, extractor.extract_many(articles))}
        fold_empty, _ = time_ingest(Store(tmp / "empty2.db"), write_articles(tmp / "c.jsonl", articles, "C"),
                                    Replay(found))
        fold_big, _ = time_ingest(big, write_articles(tmp / "d.jsonl", articles, "D"), Replay(found))
        print()
        print(f"Ingest of {len(articles)} real articles (corpus/), {folded} meetings each pass:")
        print("| ingest | empty database | " + f"{sizes[-1]:,} meetings | ratio |")
        print("|---|---|---|---|")
        print(f"| store + extract + fold | {full_empty:.1f} articles/s | {full_big:.1f} articles/s | "
              f"{full_empty / full_big:.2f}x slower |")
        print(f"| store + fold (extraction done before) | {fold_empty:.0f} articles/s | {fold_big:.0f} articles/s | "
              f"{fold_empty / fold_big:.2f}x slower |")
    for info in infos.values():
        info["store"].db.conn.close()
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
