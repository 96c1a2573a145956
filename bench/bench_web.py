"""Web calendar pages against 100,000 meetings: render time per page, p50 and p90 (issue 23 asks < 100 ms at p90).

Builds a database of synthetic meetings (800 leaders, 2020-2030, every kind, certainty and status,
a source and a change each), then requests every page in-process through aiohttp's test client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp.test_utils import TestClient, TestServer  # noqa: E402

from bot.channel_feeds import feed_token  # noqa: E402
from bot.clock import FixedClock  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.models import CERTAINTIES, KINDS  # noqa: E402
from bot.store import Store  # noqa: E402
from bot.subscriptions import add_subscription, ensure_channel, subscriptions  # noqa: E402
from bot.transport import ChannelRef  # noqa: E402
from bot.web import make_app  # noqa: E402

NOW = datetime(2025, 10, 24, 9, 0, tzinfo=timezone.utc)
PLACES = ["Busan", "Gyeongju", "Kuala Lumpur", "Tokyo", "Washington", "Brussels", "Beijing", "New Delhi",
          "Brasília", "Canada", "Netherlands", "Malaysia", "Geneva", "Nairobi", "Jakarta", "Paris"]
LEADERS = ["Donald Trump", "Xi Jinping", "Lee Jae-myung", "Anwar Ibrahim", "Sanae Takaichi", "Narendra Modi"]


def build(path: Path, count: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    store = Store(path)
    db = store.db
    people = LEADERS + [f"Leader {i:03d}" for i in range(800 - len(LEADERS))]
    db["people"].insert_all([{"id": i + 1, "name": n} for i, n in enumerate(people)])
    db["aliases"].insert_all([{"alias": n.lower().replace("-", " "), "person_id": i + 1} for i, n in enumerate(people)])
    db["articles"].insert_all([{"id": i + 1, "url": f"https://news.example/{i}", "title": f"Article {i}",
                                "outlet": f"Outlet {i % 300}", "published": "2025-10-01T00:00:00+00:00",
                                "text": f"text {i}", "content_hash": f"h{i}", "source": "bench", "status": "ok",
                                "ingested_at": "2025-10-01T00:00:00+00:00"} for i in range(count // 4)])
    base = date(2020, 1, 1)
    meetings, links, sources, changes = [], [], [], []
    for mid in range(1, count + 1):
        start = base + timedelta(days=rng.randrange(3650))
        length = rng.choice([0, 0, 0, 1, 2])
        meetings.append({"id": mid, "kind": rng.choice(KINDS), "name": rng.choice([None, None, f"Summit {mid % 97}"]),
                         "location": rng.choice(PLACES), "alt_locations": "[]", "start": start.isoformat(),
                         "end": (start + timedelta(days=length)).isoformat(),
                         "time": rng.choice([None, None, None, "10:00"]), "tz": None,
                         "precision": rng.choice(["day"] * 9 + ["month"]), "certainty": rng.choice(CERTAINTIES),
                         "status": rng.choice(["upcoming"] * 8 + ["cancelled", "postponed"]), "asof": None,
                         "first_seen": "2025-10-01T00:00:00+00:00", "updated": "2025-10-01T00:00:00+00:00"})
        for pid in rng.sample(range(1, len(people) + 1), 2):
            links.append({"meeting_id": mid, "person_id": pid})
        art = rng.randrange(1, count // 4 + 1)
        sources.append({"meeting_id": mid, "article_id": art, "sentence": f"Sentence about meeting {mid}.",
                        "seen_at": "2025-10-01T00:00:00+00:00"})
        changes.append({"meeting_id": mid, "at": "2025-10-01T00:00:00+00:00", "field": "created", "old": None,
                        "new": "created", "article_id": art, "sentence": None})
    with db.conn:
        db["meetings"].insert_all(meetings, batch_size=5000)
        db["meeting_people"].insert_all(links, batch_size=5000)
        db["sources"].insert_all(sources, batch_size=5000)
        db["changes"].insert_all(changes, batch_size=5000)
    db.conn.close()


TARGET_MS = 100.0  # issue 23: every page under 100 ms at the 90th percentile
PAGES = [
    ("month", "/?month=2025-10"),
    ("month, leader", "/?month=2026-03&who=Xi+Jinping"),
    ("month, country", "/?month=2025-11&country=Malaysia"),
    ("month, kind+certainty", "/?month=2027-06&kind=visit&certainty=possible"),
    ("month, search", "/?month=2025-10&q=summit"),
    ("list", "/list"),
    ("list, page 20", "/list?page=20"),
    ("list, from a day", "/list?from=2028-02-29"),
    ("list, kind+certainty", "/list?kind=bilateral&certainty=confirmed"),
    ("list, leader", "/list?who=Lee+Jae-myung"),
    ("list, country", "/list?country=Japan"),
    ("list, country none", "/list?country=Atlantis"),
    ("list, search", "/list?q=gyeongju"),
    ("list, search none", "/list?q=nosuchword"),
    ("summit", "/summit/{id}"),
    ("summit.ics", "/summit/{id}.ics"),
    ("calendar.ics", "/calendar.ics"),
    ("calendar.ics, leader", "/calendar.ics?who=Anwar+Ibrahim"),
    ("calendar.ics, country", "/calendar.ics?country=Japan"),
    ("changes.atom", "/changes.atom"),
    ("changes.atom, leader", "/changes.atom?who=Xi+Jinping"),
    ("changes.atom, country", "/changes.atom?country=Japan"),
    ("changes.atom, country none", "/changes.atom?country=Atlantis"),
    ("changes.atom, search", "/changes.atom?q=summit"),
    ("channel .ics, leaders", "/channel/{leaders}.ics"),
    ("channel .atom, leaders", "/channel/{leaders}.atom"),
    ("channel .ics, country+kind", "/channel/{places}.ics"),
    ("channel .atom, country+kind", "/channel/{places}.atom"),
    ("healthz", "/healthz"),
]


def channel_tokens(path: Path) -> dict[str, str]:
    """Two channels' feed tokens (made once in the database): one following two leaders, one a country and a kind."""
    store = Store(path)
    tokens = {}
    for name, subs in (("leaders", [{"who": "Xi Jinping"}, {"who": "Lee Jae-myung"}]),
                       ("places", [{"country": "Malaysia"}, {"kind": "visit", "min_certainty": "confirmed"}])):
        channel = ensure_channel(store, ChannelRef("slack", "TBENCH", name), Settings(), NOW)
        if not subscriptions(store, channel.id):
            for sub in subs:
                add_subscription(store, channel, lead="1d", now=NOW, **sub)
        tokens[name] = feed_token(store, channel, NOW).token
    store.db.conn.close()
    return tokens


async def measure(path: Path, rounds: int, count: int) -> list[tuple[str, float, float, float]]:
    """(page, first request ms, p50 ms, p90 ms) for each page; the first request is timed apart (a feed's events
    are built then and kept), the next one warms up, then ``rounds`` are measured."""
    tokens = channel_tokens(path)
    app = make_app(str(path), Settings(db=str(path), timezone="UTC"), clock=FixedClock(NOW))
    out = []
    rng = random.Random(1)
    async with TestClient(TestServer(app)) as client:
        await client.get("/healthz")  # the server answers before any page is timed
        for label, url in PAGES:
            times = []
            for _ in range(rounds + 2):
                t0 = time.perf_counter()
                resp = await client.get(url.format(id=rng.randrange(1, count + 1), **tokens))
                await resp.read()
                times.append((time.perf_counter() - t0) * 1000)
                assert resp.status == 200, (url, resp.status)
            first, times = times[0], times[2:]
            out.append((label, first, statistics.median(times), statistics.quantiles(times, n=10)[-1]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--meetings", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--db", metavar="PATH", help="Build the database here (kept), or reuse it if it exists.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(args.db or Path(tmp) / "bench.db")
        if not path.exists():
            t0 = time.perf_counter()
            build(path, args.meetings)
            print(f"built {args.meetings:,} meetings in {time.perf_counter() - t0:.1f} s")
        rows = asyncio.run(measure(path, args.rounds, args.meetings))
    if args.json:
        print(json.dumps([{"page": p, "first_ms": round(f, 1), "p50_ms": round(a, 1), "p90_ms": round(b, 1),
                           "p90_over_target": round(b / TARGET_MS, 2)} for p, f, a, b in rows]))
        return
    print(f"{args.meetings:,} meetings, {args.rounds} rounds per page; target p90 < {TARGET_MS:.0f} ms")
    print(f"{'page':28} {'first ms':>9} {'p50 ms':>8} {'p90 ms':>8} {'p90/target':>11}")
    for label, first, p50, p90 in rows:
        print(f"{label:28} {first:9.1f} {p50:8.1f} {p90:8.1f} {p90 / TARGET_MS:11.2f}{'  over' if p90 > TARGET_MS else ''}")
    print(f"pages over the target at p90: {sum(p90 > TARGET_MS for *_, p90 in rows)} of {len(rows)}")

if __name__ == "__main__":
    main()
