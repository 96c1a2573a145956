"""Benchmark: plan deliveries for 10,000 subscriptions against 5,000 meetings, then one tick with 1,000 due.

Run: python bench/bench_delivery.py [--meetings 5000] [--subscriptions 10000] [--due 1000]
Baselines measured in the same run, on the same machine and disk:
  * planning vs a plain executemany of the same number of rows into an identical table;
  * the tick vs the bare minimum of one committed single-row UPDATE per message.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import Settings  # noqa: E402
from bot.delivery import CallbackTransport, open_delivery_store, plan_deliveries, run_tick  # noqa: E402
from bot.models import KINDS  # noqa: E402
from bot.store import Store  # noqa: E402

ZONES = ["UTC", "Asia/Seoul", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London",
         "America/Los_Angeles", "Australia/Sydney"]
NOW = datetime(2025, 10, 24, 0, 0, tzinfo=timezone.utc)


def iso(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).isoformat(timespec="seconds")


def populate(store: Store, meetings: int, subs: int, rng: random.Random) -> None:
    """Bulk-load people, meetings over a year and channels with subscriptions (setup, not measured)."""
    db = store.db.conn
    people = [f"Leader {i:03d}" for i in range(300)]
    with db:
        db.executemany("INSERT INTO people (id, name, country) VALUES (?, ?, ?)",
                       [(i + 1, name, f"Country {i % 120}") for i, name in enumerate(people)])
        db.executemany("INSERT INTO aliases (alias, person_id) VALUES (?, ?)",
                       [(name.lower(), i + 1) for i, name in enumerate(people)])
        rows, links = [], []
        for mid in range(1, meetings + 1):
            day = (NOW + timedelta(days=rng.randint(-20, 345))).date().isoformat()
            timed = rng.random() < 0.3
            rows.append((mid, rng.choice(KINDS), None, "Somewhere", "[]", day, day,
                         f"{rng.randint(8, 18):02d}:00" if timed else None, rng.choice(ZONES) if timed else None,
                         "day", rng.choice(["possible", "planned", "confirmed"]), "upcoming", iso(NOW), iso(NOW)))
            for pid in rng.sample(range(1, len(people) + 1), 2):
                links.append((mid, pid))
        db.executemany("""INSERT INTO meetings (id, kind, name, location, alt_locations, start, "end", time, tz,
                          precision, certainty, status, first_seen, updated) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                       rows)
        db.executemany("INSERT INTO meeting_people (meeting_id, person_id) VALUES (?, ?)", links)
        n_channels = subs // 4
        created = iso(NOW - timedelta(days=30))
        db.executemany(
            """INSERT INTO channels (id, platform, workspace, channel, tz, delivery_time, digest, status,
               digest_change_id, created, updated) VALUES (?, 'bench', 'w', ?, ?, '09:00', 'off', 'active', 0, ?, ?)""",
            [(c, f"C{c}", rng.choice(ZONES), created, created) for c in range(1, n_channels + 1)])
        sub_rows = []
        for s in range(subs):
            r = rng.random()
            who = kind = min_c = country = None
            if r < 0.80:
                who = rng.choice(people)
            elif r < 0.95:
                kind, min_c = rng.choice(KINDS), "confirmed"
            else:
                country = f"Country {rng.randrange(120)}"
            sub_rows.append((s % n_channels + 1, who, country, kind, min_c, rng.choice(["7d,1d", "1d", "1d,6h"]),
                             created))
        db.executemany(
            """INSERT INTO subscriptions (channel_id, who, country, kind, min_certainty, lead, status, created,
               after_change_id) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, 0)""", sub_rows)


def baseline_bulk_insert(path: str, n: int) -> float:
    """A trivial SQLite bulk insert of n rows into an identical, empty deliveries table, one transaction."""
    store = open_delivery_store(path)
    conn = store.db.conn
    with conn:
        conn.execute("INSERT INTO channels (id, platform, workspace, channel) VALUES (1, 'bench', 'w', 'C')")
    stamp = "2025-10-24T00:00:00+00:00"
    rows = [(1, i, "reminder", "2025-10-28T00:00:00+00:00", "", "pending", '{"lead":"1d"}', stamp, stamp)
            for i in range(n)]
    t0 = time.perf_counter()
    with conn:
        conn.executemany("""INSERT INTO deliveries (channel_id, meeting_id, kind, due, ref, status, payload,
                            created, updated) VALUES (?,?,?,?,?,?,?,?,?)""", rows)
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def baseline_commits(path: str, n: int) -> float:
    """The floor for sending: one committed single-row UPDATE per message."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("CREATE TABLE u (id INTEGER PRIMARY KEY, status TEXT)")
    conn.executemany("INSERT INTO u (status) VALUES (?)", [("pending",)] * n)
    t0 = time.perf_counter()
    for i in range(1, n + 1):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE u SET status = 'sent' WHERE id = ?", [i])
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - t0
    conn.close()
    return elapsed


def tick_scenario(path: str, due: int) -> Store:
    """`due` channels, each with one reminder due at NOW (planned in advance)."""
    store = open_delivery_store(path)
    db = store.db.conn
    created = iso(NOW - timedelta(days=10))
    with db:
        db.execute("INSERT INTO people (id, name) VALUES (1, 'Leader A'), (2, 'Leader B')")
        day = (NOW + timedelta(days=1)).date().isoformat()
        db.execute("""INSERT INTO meetings (id, kind, location, alt_locations, start, "end", precision, certainty,
                      status, first_seen, updated) VALUES (1, 'bilateral', 'X', '[]', ?, ?, 'day', 'confirmed',
                      'upcoming', ?, ?)""", [day, day, created, created])
        db.execute("INSERT INTO meeting_people VALUES (1, 1), (1, 2)")
        db.executemany(
            """INSERT INTO channels (id, platform, workspace, channel, tz, delivery_time, digest, status,
               digest_change_id, created, updated) VALUES (?, 'bench', 'w', ?, 'UTC', '00:00', 'off', 'active', 0,
               ?, ?)""", [(c, f"C{c}", created, created) for c in range(1, due + 1)])
        db.executemany("""INSERT INTO subscriptions (channel_id, lead, status, created, after_change_id)
                          VALUES (?, '1d', 'active', ?, 0)""", [(c, created) for c in range(1, due + 1)])
    plan_deliveries(store, Settings(), NOW - timedelta(hours=12))
    return store


def run_once(args: argparse.Namespace, tmp: Path, rng: random.Random) -> dict:
    """One full measurement on fresh databases."""
    store = open_delivery_store(str(tmp / "plan.db"))
    populate(store, args.meetings, args.subscriptions, rng)
    settings = Settings()
    t0 = time.perf_counter()
    first = plan_deliveries(store, settings, NOW)
    plan_cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    again = plan_deliveries(store, settings, NOW + timedelta(seconds=30))
    plan_warm = time.perf_counter() - t0
    rows = store.db.execute("SELECT COUNT(*) FROM deliveries").fetchone()[0]
    store.db.conn.close()
    bulk = baseline_bulk_insert(str(tmp / "baseline.db"), rows)
    tick_store = tick_scenario(str(tmp / "tick.db"), args.due)
    t0 = time.perf_counter()
    result = asyncio.run(run_tick(tick_store, settings, NOW, {"bench": CallbackTransport("bench")}, "bench"))
    tick = time.perf_counter() - t0
    tick_store.db.conn.close()
    floor = baseline_commits(str(tmp / "commits.db"), args.due)
    return {"plan_cold": plan_cold, "plan_warm": plan_warm, "bulk": bulk, "tick": tick, "floor": floor,
            "rows": rows, "horizon": first.meetings, "inserted": first.inserted,
            "again": (again.inserted, again.withdrawn), "sent": result.sent,
            "tick_plan": result.plan.seconds if result.plan else 0.0, "tick_send": result.seconds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=5000)
    ap.add_argument("--subscriptions", type=int, default=10000)
    ap.add_argument("--due", type=int, default=1000)
    ap.add_argument("--repeat", type=int, default=3, help="Runs; the median is reported (shared machines are noisy).")
    ap.add_argument("--seed", type=int, default=4)
    args = ap.parse_args()
    runs = []
    for i in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(run_once(args, Path(tmp), random.Random(args.seed)))
    med = {k: statistics.median(r[k] for r in runs) for k in
           ("plan_cold", "plan_warm", "bulk", "tick", "floor", "tick_plan", "tick_send")}
    r = runs[0]
    print(f"median of {args.repeat} runs (fresh databases each)")
    print(f"plan, first pass : {med['plan_cold'] * 1000:8.1f} ms  {args.subscriptions} subscriptions x "
          f"{args.meetings} meetings -> {r['horizon']} in the horizon, {r['inserted']} rows inserted")
    print(f"plan, re-plan    : {med['plan_warm'] * 1000:8.1f} ms  (idempotent: {r['again'][0]} inserted, "
          f"{r['again'][1]} withdrawn)")
    print(f"baseline         : {med['bulk'] * 1000:8.1f} ms  plain executemany of {r['rows']} rows into the same "
          f"table -> planning costs {med['plan_cold'] / med['bulk']:.1f}x a bare bulk insert")
    print(f"tick, {args.due} due   : {med['tick'] * 1000:8.1f} ms  sent {r['sent']} "
          f"(plan {med['tick_plan'] * 1000:.1f} ms + send {med['tick_send'] * 1000:.1f} ms)")
    print(f"baseline         : {med['floor'] * 1000:8.1f} ms  {args.due} single-row UPDATE commits "
          f"-> the tick costs {med['tick'] / med['floor']:.1f}x that floor")
    ok = med["plan_cold"] < 1.0 and med["tick"] < 1.0 and all(x["sent"] == args.due for x in runs)
    print("OK: both under a second" if ok else "SLOW: over a second (or not all sent)")


if __name__ == "__main__":
    main()
