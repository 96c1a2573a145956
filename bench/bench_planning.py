"""Benchmark: reminder planning on a large database (100k meetings, 10k subscriptions), first pass and ticks.

Run: python bench/bench_planning.py [--meetings 100000] [--subscriptions 10000] [--repeat 3] [--attribute 30] [--hogs 2]

The database is bench_scale's synthetic one (the project's schema, Zipf leaders, 2000 to a year
ahead); on top of it 2,500 channels in eight zones hold the subscriptions with mixed filters
(a leader by full or family name, a kind with a minimum certainty, a country, everything) and mixed
lead times (6 hours to 30 days). Measured, each against a baseline taken in the same run:
  * the first plan (nothing planned yet; every change ever recorded is behind the subscriptions);
  * a steady tick (30 s later, nothing changed): the incremental pass against a full re-plan of the
    same database, which is what every tick did before;
  * a busy tick (3 meetings moved, one participant added, one subscription added): the same two;
  * chat commands (`/summits show`, `/summits upcoming`) answered on this thread while a full plan runs
    in the bot's PlanWorker (a process of its own) with its own connection, against the same commands with no plan running;
  * the worst case: the same commands, and every tenth one a `/summits subscribe` (a write), while a
    first plan (every row new) runs in the PlanWorker. ``--attribute MS`` prints, for each command
    slower than MS, what it waited on (bench/plan_attribution.py).
A database without incremental planning (an older checkout) is measured the same way: there both
ticks are full passes.
"""

from __future__ import annotations

import argparse
import inspect
import itertools
import math
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_scale import NOW, generate  # noqa: E402
from plan_attribution import TRACE_ENV, Timeline, load_trace, slice_report, traced_plan  # noqa: E402

from bot.commands import Context  # noqa: E402
from bot.config import Settings  # noqa: E402
from bot.delivery import open_delivery_store, plan_deliveries, planning  # noqa: E402
from bot.delivery.worker import PlanWorker  # noqa: E402
from bot.process import command_side, settle_heap  # noqa: E402
from bot.store import Store, leave_checkpoints  # noqa: E402
from bot.subscriptions import iso_utc  # noqa: E402

ZONES = ["UTC", "Asia/Seoul", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Europe/London",
         "America/Los_Angeles", "Australia/Sydney"]
LEADS = ["7d,1d", "1d", "3d", "1d,6h", "30d,7d,1d", "14d"]
KINDS = ["bilateral", "multilateral", "visit", "phone_call", "talks"]
COUNTRIES = ["United States", "China", "Russia", "India", "France", "Germany", "Japan", "South Korea"]
INCREMENTAL = "full" in inspect.signature(plan_deliveries).parameters


def add_subscriptions(store: Store, n: int, rng: random.Random) -> None:
    """2,500 channels (mixed zones) and ``n`` subscriptions with mixed filters, the busiest leaders most followed."""
    conn = store.db.conn
    stamp = iso_utc(NOW - timedelta(days=30))
    leaders = [name for (name,) in conn.execute(
        "SELECT p.name FROM meeting_people mp JOIN people p ON p.id = mp.person_id"
        " GROUP BY p.id ORDER BY count(*) DESC LIMIT 400")]
    n_channels = max(1, n // 4)
    max_change = conn.execute("SELECT COALESCE(MAX(id), 0) FROM changes").fetchone()[0]
    with conn:
        conn.execute("DELETE FROM subscriptions")
        conn.execute("DELETE FROM channels")
        for i, country in enumerate(COUNTRIES):  # some leaders have a country, for country: filters
            conn.execute("UPDATE people SET country = ? WHERE name = ?", [country, leaders[i]])
        conn.executemany(
            """INSERT INTO channels (id, platform, workspace, channel, tz, delivery_time, digest, status,
               digest_change_id, created, updated) VALUES (?, 'slack', 'T1', ?, ?, '09:00', 'off', 'active', 0, ?, ?)""",
            [(c, f"C{c}", rng.choice(ZONES), stamp, stamp) for c in range(1, n_channels + 1)])
        rows = []
        for s in range(n):
            r = rng.random()
            who = kind = min_c = country = None
            if r < 0.75:
                name = leaders[min(int(rng.paretovariate(1.2)) - 1, len(leaders) - 1)]
                who = name if rng.random() < 0.7 else name.split()[-1]
            elif r < 0.92:
                kind, min_c = rng.choice(KINDS), rng.choice(["planned", "confirmed"])
            elif r < 0.98:
                country = rng.choice(COUNTRIES)
            rows.append((s % n_channels + 1, who, country, kind, min_c, rng.choice(LEADS), stamp, max_change))
        conn.executemany(
            """INSERT INTO subscriptions (channel_id, who, country, kind, min_certainty, lead, status, created,
               after_change_id) VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?)""", rows)


def busy(store: Store, rng: random.Random, at) -> None:
    """What a few minutes of feeds do: 3 upcoming meetings move a day, one gains a participant, a new subscription."""
    conn = store.db.conn
    first, last = (at + timedelta(days=1)).date().isoformat(), (at + timedelta(days=25)).date().isoformat()
    ids = [r[0] for r in conn.execute(
        "SELECT id FROM meetings WHERE status = 'upcoming' AND start BETWEEN ? AND ? ORDER BY id", [first, last])]
    stamp = iso_utc(at)
    with conn:
        for mid in rng.sample(ids, min(3, len(ids))):
            conn.execute("""UPDATE meetings SET start = date(start, '+1 day'), "end" = date("end", '+1 day'),
                            updated = ? WHERE id = ?""", [stamp, mid])
            conn.execute("""INSERT INTO changes (meeting_id, at, field, old, new) VALUES (?, ?, 'date', 'a', 'b')""",
                         [mid, stamp])
        conn.execute("INSERT OR IGNORE INTO meeting_people (meeting_id, person_id) VALUES (?, 1)", [ids[0]])
        conn.execute("""INSERT INTO subscriptions (channel_id, who, lead, status, created, after_change_id)
                        VALUES (1, 'Xi Jinping', '3d', 'active', ?, (SELECT MAX(id) FROM changes))""", [stamp])


def copy_db(src: Store, path: Path) -> Store:
    dest = sqlite3.connect(path)
    src.db.conn.backup(dest)
    dest.close()
    return open_delivery_store(str(path))


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def plan(store: Store, at, full: bool):
    if INCREMENTAL:
        return plan_deliveries(store, Settings(), at, full=full)
    return plan_deliveries(store, Settings(), at)


def command_latency(store: Store, n: int, during=None, *, writes: bool = False, timeline=None) -> tuple[list, list]:
    """Milliseconds per command (reads, writes), answered here while ``during`` (if given) runs in a worker thread.

    With ``writes`` every tenth command subscribes the channel (a new lead each time: a write transaction).
    """
    commands = command_side(store, Settings(now=NOW))  # as `summitbot run` builds its command layer
    ctx = Context(platform="slack", workspace="T1", channel="C1", user="U1", is_admin=True)

    def command(i: int) -> str:
        if writes and i % 10 == 5:
            return f"/summits subscribe who:Xi lead:{i // 10 + 1}h"
        return f"/summits show {(i * 7919) % n + 1}" if i % 2 else "/summits upcoming"

    settle_heap()  # as `summitbot run` does before it serves (bot/process.py)
    done = threading.Event()
    if during is not None:
        worker = threading.Thread(target=lambda: (during(), done.set()), name="plan")
        worker.start()
    reads, written = [], []
    # Until the plan ends, however long it takes: a fixed 100,000 commands ran out 40% into a 706 s first plan
    # at 1,000,000 meetings, so its tail went unmeasured.
    for i in itertools.count():
        text = command(i)
        if timeline is not None:
            ms = timeline.command(text, lambda: commands.handle(text, ctx))
        else:
            t0 = time.perf_counter()
            commands.handle(text, ctx)
            ms = (time.perf_counter() - t0) * 1000
        (written if "subscribe" in text else reads).append(ms)
        if (during is None and len(reads) >= 200) or done.is_set():
            break
    if during is not None:
        worker.join()
    return reads, written


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, max(0, math.ceil(q * len(s)) - 1))]


def run_once(args, tmp: Path, seed: int) -> dict:
    rng = random.Random(seed)
    info = generate(tmp / "plan.db", args.meetings)
    info["store"].db.conn.close()
    store = open_delivery_store(str(tmp / "plan.db"))
    add_subscriptions(store, args.subscriptions, rng)
    unplanned = copy_db(store, tmp / "first.db")  # for commands during a first plan, at the end
    unplanned.db.conn.close()
    out = {}
    out["first"], first = timed(lambda: plan(store, NOW, False))
    out["rows"], out["horizon"] = first.inserted, first.meetings
    at = NOW + timedelta(seconds=30)
    twin = copy_db(store, tmp / "twin.db")
    out["steady"], _ = timed(lambda: plan(store, at, False))
    out["steady_full"], _ = timed(lambda: plan(twin, at, True))
    at += timedelta(seconds=30)
    busy(store, random.Random(seed + 1), at)
    busy(twin, random.Random(seed + 1), at)
    out["busy"], inc = timed(lambda: plan(store, at, False))
    out["busy_full"], full = timed(lambda: plan(twin, at, True))
    out["busy_same"] = (inc.inserted, inc.withdrawn) == (full.inserted, full.withdrawn)
    out["busy_rows"] = (inc.inserted, inc.withdrawn)
    twin.db.conn.close()
    # Commands on this thread (the event loop's, in the bot) while a full plan runs in the PlanWorker.
    reader = Store(str(tmp / "plan.db"))
    leave_checkpoints(reader.db)  # as the bot's scheduler does: its PlanWorker checkpoints
    out["idle_ms"], _ = command_latency(reader, args.meetings)

    def worker_plan(path: Path, at, key: str, traced: bool = False):
        """A full plan as the bot runs it: in its PlanWorker (a process of its own; a thread before)."""
        def run():
            if hasattr(PlanWorker, "run"):
                nice = {"nice": args.nice} if args.nice is not None else {}  # an older PlanWorker takes none
                worker = PlanWorker(str(path), traced_plan, **nice) if traced else PlanWorker(str(path), **nice)
                out[key], _ = timed(lambda: worker.run(Settings(), at, full=True))
                worker.close_now()
            else:
                own = open_delivery_store(str(path))
                out[key], _ = timed(lambda: plan(own, at, True))
                own.db.conn.close()
        return run

    out["during_ms"], _ = command_latency(reader, args.meetings,
                                          during=worker_plan(tmp / "plan.db", at + timedelta(seconds=30), "worker_plan"))
    reader.db.conn.close()
    store.db.conn.close()
    # The worst case: commands, reading and writing, while a first plan (every row new) runs in the PlanWorker.
    reader = Store(str(tmp / "first.db"))
    leave_checkpoints(reader.db)
    timeline = Timeline(args.attribute) if args.attribute else None
    if timeline:
        for name in ("_prepare", "_diff", "_desire_reminders", "plan_change_alerts", "write_in_slices"):
            timeline.wrap(planning, name)
        timeline.wrap(sys.modules[__name__], "plan_deliveries")
        timeline.trace(reader.db.conn)
        timeline.start()
        os.environ[TRACE_ENV] = str(tmp / "trace.jsonl")
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.hogs)]
    load_before = os.getloadavg()[0]
    out["first_ms"], out["first_writes_ms"] = command_latency(
        reader, args.meetings, during=worker_plan(tmp / "first.db", NOW, "worker_first", traced=bool(timeline)),
        writes=True, timeline=timeline)
    out["load"] = (load_before, os.getloadavg()[0])
    for hog in hogs:
        hog.kill()
        hog.wait()
    if timeline:
        timeline.stop()
        load_trace(timeline, tmp / "trace.jsonl")
        out["attribution"] = timeline.report(args.attribute) + slice_report(timeline.slices)
    reader.db.conn.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--meetings", type=int, default=100000)
    ap.add_argument("--subscriptions", type=int, default=10000)
    ap.add_argument("--repeat", type=int, default=3, help="runs on fresh databases; medians are reported")
    ap.add_argument("--seed", type=int, default=21)
    ap.add_argument("--attribute", type=float, default=0, metavar="MS",
                    help="print what overlapped each command slower than MS during the first plan")
    ap.add_argument("--hogs", type=int, default=0, metavar="N",
                    help="N processes spinning on a core each during the first plan: a loaded machine, on demand")
    ap.add_argument("--nice", type=int, default=None, metavar="N",
                    help="the planning process's niceness (PlanWorker's nice; its default when not given)")
    args = ap.parse_args()
    runs = []
    for i in range(args.repeat):
        tmp = Path(tempfile.mkdtemp(prefix="summitbot-plan-"))
        try:
            runs.append(run_once(args, tmp, args.seed))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        print(f"run {i + 1}: first {runs[-1]['first']:.3f} s, steady {runs[-1]['steady'] * 1000:.1f} ms "
              f"(full {runs[-1]['steady_full'] * 1000:.1f} ms), busy {runs[-1]['busy'] * 1000:.1f} ms "
              f"(full {runs[-1]['busy_full'] * 1000:.1f} ms)", flush=True)
        r = runs[-1]
        print(f"       commands during a full plan p99 {pct(r['during_ms'], 0.99):.1f} / max {max(r['during_ms']):.1f} ms;"
              f" during the first plan ({r['worker_first']:.1f} s) p99 {pct(r['first_ms'], 0.99):.1f} / max "
              f"{max(r['first_ms']):.1f} ms, subscribe p99 {pct(r['first_writes_ms'], 0.99):.1f} / max "
              f"{max(r['first_writes_ms'], default=0):.1f} ms ({len(r['first_writes_ms'])}); load average "
              f"{r['load'][0]:.2f} before, {r['load'][1]:.2f} after", flush=True)
    med = {k: statistics.median(r[k] for r in runs) for k in
           ("first", "steady", "steady_full", "busy", "busy_full", "worker_plan", "worker_first")}
    idle = [x for r in runs for x in r["idle_ms"]]
    during = [x for r in runs for x in r["during_ms"]]
    first_reads = [x for r in runs for x in r["first_ms"]]
    first_writes = [x for r in runs for x in r["first_writes_ms"]]
    r = runs[0]
    mode = "incremental" if INCREMENTAL else "no incremental planning in this checkout: every tick is a full pass"
    print(f"\n{args.meetings:,} meetings, {args.subscriptions:,} subscriptions, median of {args.repeat} runs ({mode})")
    print(f"first plan        : {med['first'] * 1000:8.1f} ms  {r['horizon']} meetings in the horizon, "
          f"{r['rows']:,} rows inserted")
    print(f"steady tick       : {med['steady'] * 1000:8.1f} ms  vs a full re-plan {med['steady_full'] * 1000:.1f} ms "
          f"-> {med['steady_full'] / med['steady']:.1f}x faster")
    print(f"busy tick         : {med['busy'] * 1000:8.1f} ms  vs a full re-plan {med['busy_full'] * 1000:.1f} ms "
          f"-> {med['busy_full'] / med['busy']:.1f}x faster (rows inserted, withdrawn: {r['busy_rows']}; "
          f"same as the full pass: {all(x['busy_same'] for x in runs)})")
    print(f"commands, idle    : p50 {pct(idle, 0.5):.1f} ms, p99 {pct(idle, 0.99):.1f} ms, max {max(idle):.1f} ms "
          f"({len(idle)} commands)")
    print(f"commands, during  : p50 {pct(during, 0.5):.1f} ms, p99 {pct(during, 0.99):.1f} ms, "
          f"max {max(during):.1f} ms ({len(during)} commands during a {med['worker_plan'] * 1000:.0f} ms plan "
          f"in the PlanWorker) -> p99 {pct(during, 0.99) / pct(idle, 0.99):.1f}x idle")
    print(f"during first plan : p50 {pct(first_reads, 0.5):.1f} ms, p99 {pct(first_reads, 0.99):.1f} ms, "
          f"max {max(first_reads):.1f} ms ({len(first_reads)} reading commands during a "
          f"{med['worker_first'] * 1000:.0f} ms first plan in the PlanWorker)")
    if first_writes:
        print(f"  subscribe       : p50 {pct(first_writes, 0.5):.1f} ms, p99 {pct(first_writes, 0.99):.1f} ms, "
              f"max {max(first_writes):.1f} ms ({len(first_writes)} subscriptions added meanwhile)")
    for i, run in enumerate(runs):
        for line in run.get("attribution", []):
            print(f"run {i + 1}: {line}" if not line.startswith(" ") else line)


if __name__ == "__main__":
    main()
