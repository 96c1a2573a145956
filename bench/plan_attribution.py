"""Why a command was slow while a plan ran: a timeline of the planning thread and of each command.

Used by bench_planning.py --attribute. Recorded, with time.perf_counter stamps:
  * every garbage collection (generation, duration, the thread that ran it: a collection holds the GIL);
  * the planning thread's phases (the computation, the write), by wrapping the planning module's
    functions: seen when the plan runs in this process (a checkout whose PlanWorker is a thread);
  * per command: wall time, this thread's CPU time (a command that took long but used little CPU waited),
    and when each SQL statement started (sqlite3's trace callback), so the longest gap names the statement
    that waited.
A slow command is then printed with what overlapped it.
"""

from __future__ import annotations

import functools
import gc
import resource
import threading
import time


class Timeline:
    def __init__(self, slow_ms: float = 0.0) -> None:
        self.spans: list[tuple[float, float, str, str]] = []  # (start, end, thread, what)
        self._gc_start: dict[int, float] = {}
        self._patched: list[tuple[object, str, object]] = []
        # Only the commands of ``slow_ms`` or more are kept: a record of every command (a dict and a list
        # each, over 100,000 commands at 1M meetings) made this process's full garbage collections long.
        self.slow_ms = slow_ms
        self.commands: list[dict] = []
        self.count = 0
        self.origin: float | None = None
        self._stmts: list[tuple[float, str]] = []
        self.slices: list[dict] = []  # the planning process's slices (traced_plan), with what each did

    # -- the planning thread ------------------------------------------------------------------------

    def _on_gc(self, phase: str, info: dict) -> None:
        ident = threading.get_ident()
        if phase == "start":
            self._gc_start[ident] = time.perf_counter()
        elif ident in self._gc_start:
            t0 = self._gc_start.pop(ident)
            self.spans.append((t0, time.perf_counter(), threading.current_thread().name,
                               f"gc gen {info['generation']} (collected {info['collected']})"))

    def wrap(self, owner: object, name: str) -> None:
        """Record a span each time ``owner.name`` runs outside the main thread."""
        original = getattr(owner, name)

        @functools.wraps(original)
        def timed(*args, **kwargs):
            if threading.current_thread() is threading.main_thread():
                return original(*args, **kwargs)
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.spans.append((t0, time.perf_counter(), threading.current_thread().name, name))

        setattr(owner, name, timed)
        self._patched.append((owner, name, original))

    def start(self) -> None:
        gc.callbacks.append(self._on_gc)

    def stop(self) -> None:
        gc.callbacks.remove(self._on_gc)
        for owner, name, original in reversed(self._patched):
            setattr(owner, name, original)
        self._patched.clear()

    # -- the commands -------------------------------------------------------------------------------

    def trace(self, conn) -> None:
        conn.set_trace_callback(lambda sql: self._stmts.append((time.perf_counter(), " ".join(sql.split())[:70])))

    def command(self, text: str, fn) -> float:
        self._stmts = []
        c0, t0 = time.thread_time(), time.perf_counter()
        fn()
        t1, c1 = time.perf_counter(), time.thread_time()
        self.count += 1
        if self.origin is None:
            self.origin = t0
        if (t1 - t0) * 1000 >= self.slow_ms:
            self.commands.append({"text": text, "t0": t0, "t1": t1, "cpu": (c1 - c0) * 1000, "stmts": self._stmts})
        self._stmts = []
        return (t1 - t0) * 1000

    def report(self, slow_ms: float, limit: int = 12, min_span: float = 2.0) -> list[str]:
        """The slowest commands with the spans (of ``min_span`` ms or more) that overlapped them; then the phases.

        ``slow_ms`` below the Timeline's own finds only the commands it kept."""
        slow = sorted((c for c in self.commands if (c["t1"] - c["t0"]) * 1000 >= slow_ms),
                      key=lambda c: c["t0"] - c["t1"])[:limit]
        if not self.count:
            return []
        origin = self.origin
        lines = [f"{len([c for c in self.commands if (c['t1'] - c['t0']) * 1000 >= slow_ms])} commands over "
                 f"{slow_ms:.0f} ms; the slowest {len(slow)}, times from the first command:"]
        for c in slow:
            wall = (c["t1"] - c["t0"]) * 1000
            marks = [c["t0"], *(t for t, _ in c["stmts"]), c["t1"]]
            gaps = [(marks[i + 1] - marks[i], i) for i in range(len(marks) - 1)]
            gap, at = max(gaps)
            where = "before the first statement" if at == 0 else f"after `{c['stmts'][at - 1][1]}`"
            looks = [t for t, sql in c["stmts"] if sql == "BEGIN IMMEDIATE"]  # bot/write_lock.py's attempts
            lock = (f"; {len(looks)} looks for the write lock over {(looks[-1] - looks[0]) * 1000:.1f} ms"
                    if len(looks) > 1 else "")
            lines.append(f"  {c['text'][:28]:28s} at {(c['t0'] - origin) * 1000:7.0f} ms: {wall:6.1f} ms wall, "
                         f"{c['cpu']:5.1f} ms CPU; longest gap {gap * 1000:.1f} ms {where}{lock}")
            for s0, s1, thread, what in sorted(self.spans):
                if s0 < c["t1"] and s1 > c["t0"] and (s1 - s0) * 1000 >= min_span:
                    lines.append(f"      overlaps {what} [{thread}] {(s0 - origin) * 1000:7.0f}..{(s1 - origin) * 1000:.0f} ms"
                                 f" ({(s1 - s0) * 1000:.1f} ms)")
        lines.append("the planning thread's or process's phases (count, total, longest):")
        phases: dict[str, list[float]] = {}
        for s0, s1, thread, what in self.spans:
            if not what.startswith("gc"):
                phases.setdefault(f"{what} [{thread}]", []).append((s1 - s0) * 1000)
        for what, times in phases.items():
            lines.append(f"      {what}: {len(times)}, {sum(times):.0f} ms, {max(times):.1f} ms")
        gcs = [s for s in self.spans if s[3].startswith("gc")]
        long_gcs = sorted(gcs, key=lambda s: s[0] - s[1])[:5]
        lines.append(f"garbage collections: {len(gcs)}, longest: "
                     + ", ".join(f"{(s1 - s0) * 1000:.1f} ms ({what}, {thread})" for s0, s1, thread, what in long_gcs))
        return lines


# -- the planning process -------------------------------------------------------------------------------

TRACE_ENV = "SUMMITBOT_PLAN_TRACE"  # a file the traced planner appends its spans to (JSON lines)


def traced_plan(store, settings, now, **options):
    """plan_deliveries in the PlanWorker's process, recording when it read, held the write lock and paused.

    time.perf_counter is CLOCK_MONOTONIC, the same clock in every process, so the spans line up with the
    commands' times in the parent."""
    import json
    import os
    from contextlib import contextmanager

    from bot.delivery import planning, writes

    spans = []

    def span(name, fn):
        @contextmanager
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            with fn(*args, **kwargs):
                yield
            spans.append((t0, time.perf_counter(), name))
        return timed

    saved = (planning.immediate, writes.immediate, writes.SLICING, writes._execute)
    planning.immediate = span("write lock (watermarks)", planning.immediate)
    slices, statements = [], []

    @contextmanager
    def a_slice(*args, **kwargs):
        """A slice's write lock, with what it did: its statements, the process's CPU time and context switches."""
        statements.clear()
        collecting["ms"] = 0.0
        t0, c0, u0 = time.perf_counter(), time.process_time(), resource.getrusage(resource.RUSAGE_SELF)
        with saved[1](*args, **kwargs):
            yield
            t_commit = time.perf_counter()
        t1, c1, u1 = time.perf_counter(), time.process_time(), resource.getrusage(resource.RUSAGE_SELF)
        spans.append((t0, t1, "write lock (a slice)"))
        longest = max(statements, default=(0.0, 0.0, 0, ""))
        slices.append({"t0": t0, "wall": (t1 - t0) * 1000, "cpu": (c1 - c0) * 1000,
                       "commit": (t1 - t_commit) * 1000, "rows": sum(s[2] for s in statements),
                       "calls": len(statements), "longest": [round(longest[0], 1), round(longest[1], 1), longest[2],
                                                              longest[3]],
                       "preempted": u1.ru_nivcsw - u0.ru_nivcsw, "blocked": u1.ru_nvcsw - u0.ru_nvcsw,
                       "reads": u1.ru_inblock - u0.ru_inblock, "gc": collecting["ms"]})

    def execute(store_, batch, rows, result):
        t0, c0 = time.perf_counter(), time.process_time()
        saved[3](store_, batch, rows, result)
        statements.append(((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000, len(rows),
                           " ".join(batch.sql.split())[:40]))

    writes.immediate, writes._execute = a_slice, execute
    collecting = {}

    def on_gc(phase, info):  # this process's collections: one in a slice holds the write lock
        if phase == "start":
            collecting["t0"] = time.perf_counter()
        elif "t0" in collecting:
            t0 = collecting.pop("t0")
            spans.append((t0, time.perf_counter(), f"gc gen {info['generation']}"))
            collecting["ms"] = collecting.get("ms", 0.0) + (time.perf_counter() - t0) * 1000

    gc.callbacks.append(on_gc)
    real_sleep = saved[2].sleep

    def sleep(seconds):
        t0 = time.perf_counter()
        real_sleep(seconds)
        spans.append((t0, time.perf_counter(), "pause"))

    writes.SLICING = writes.Slicing(saved[2].rows, saved[2].seconds, saved[2].pause, sleep)
    real_read = planning._read

    def read(store_, compute):
        t0 = time.perf_counter()
        try:
            return real_read(store_, compute)
        finally:
            spans.append((t0, time.perf_counter(), "read transaction (computing)"))

    planning._read = read
    try:
        return planning.plan_deliveries(store, settings, now, **options)
    finally:
        gc.callbacks.remove(on_gc)
        planning.immediate, writes.immediate, writes.SLICING, writes._execute = saved
        planning._read = real_read
        with open(os.environ[TRACE_ENV], "a") as f:
            for s0, s1, name in spans:
                f.write(json.dumps([s0, s1, name]) + "\n")
            for one in slices:
                f.write(json.dumps({"slice": one}) + "\n")


def load_trace(timeline: Timeline, path) -> None:
    """Add the planning process's spans to ``timeline``."""
    import json

    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        return
    for line in lines:
        record = json.loads(line)
        if isinstance(record, dict):
            timeline.slices.append(record["slice"])
            continue
        s0, s1, name = record
        timeline.spans.append((s0, s1, "planning process", name))


def slice_report(slices: list[dict], limit: int = 8) -> list[str]:
    """The longest slices of the planning process: what they held the write lock for.

    ``cpu`` is the process's CPU time within the slice: a slice whose wall time is far above it was not
    running (descheduled, ``preempted`` involuntary context switches, or waiting on I/O, ``blocked``)."""
    if not slices:
        return []
    walls = sorted(s["wall"] for s in slices)
    lines = [f"slices: {len(slices)}, wall p50 {walls[len(walls) // 2]:.1f} ms, p99 "
             f"{walls[min(len(walls) - 1, int(len(walls) * 0.99))]:.1f} ms, max {walls[-1]:.1f} ms; the longest:"]
    for s in sorted(slices, key=lambda s: -s["wall"])[:limit]:
        wall, cpu, rows, sql = s["longest"]
        lines.append(f"  {s['wall']:6.1f} ms wall, {s['cpu']:6.1f} ms CPU, commit {s['commit']:5.1f} ms, {s['rows']} rows "
                     f"in {s['calls']} calls, {s['preempted']} preempted / {s['blocked']} blocked / {s['reads']} blocks "
                     f"read, {s.get('gc', 0):.1f} ms collecting garbage; longest call {wall} ms wall {cpu} ms CPU, {rows} rows, `{sql}`")
    return lines
