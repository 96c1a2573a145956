"""Planning off the event loop: a process of its own with its own SQLite connection.

A full plan of a large database takes seconds of Python. On the event loop's thread every chat command
typed meanwhile waited for all of it; in a thread of the same process commands still waited for the
interpreter: the planning thread's garbage collections (88-157 ms each at 100,000 meetings, collecting
nothing) and, after every sqlite3 step a command makes, up to the 5 ms switch interval to take the GIL
back from the planning thread (bench/bench_planning.py --attribute). So the scheduler hands each pass
to a child process (``python -m bot.delivery.worker``, started on the first pass and kept for the next,
talking pickles over two pipes) and awaits the answer in a thread; the loop only waits for SQLite, where
WAL readers are never blocked. The child leaves when its parent closes the pipe or is gone; a pass it
had not committed is rolled back by SQLite.
"""

from __future__ import annotations

import asyncio
import functools
import importlib
import os
import pickle
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Callable

from bot.config import Settings
from bot.delivery.ledger import PlanResult, open_delivery_store
from bot.delivery.planning import plan_deliveries
from bot.store import Store

Planner = Callable[[Store, Settings, datetime], PlanResult]
PARENT_CHECK_SECONDS = 1.0
NICE = 0  # added to the planning process's niceness (os.nice): above 0, the processes serving commands win a busy CPU


class PlanWorkerDied(RuntimeError):
    """The planning process ended during a pass (killed, out of memory); the next pass starts a new one."""


def serve(path: str, jobs, replies, planner: Planner) -> None:
    """The child: answer each pickled (settings, now, options) with (True, PlanResult) or (False, exception) until EOF."""
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    store = open_delivery_store(path)
    try:
        while True:
            try:
                job = pickle.load(jobs)
            except EOFError:  # the parent closed its end, or is gone
                break
            try:
                settings, now, options = job
                reply = (True, planner(store, settings, now, **options))
            except Exception as exc:
                reply = (False, exc)
            try:
                data = pickle.dumps(reply)
                pickle.loads(data)  # an exception that pickles may still not unpickle: the parent would be left
                # mid-answer (a failed load does not consume it) and read it again for every later pass
            except Exception as exc:  # an exception that does not pickle, or not back
                data = pickle.dumps((False, RuntimeError(f"{type(reply[1]).__name__}: {reply[1]} ({exc})")))
            try:
                replies.write(data)
                replies.flush()
            except BrokenPipeError:
                break
    finally:
        store.db.conn.close()


def _watch_parent(parent: int) -> None:
    """A bot killed mid-pass cannot close the pipe for us: leave when it is gone (uncommitted work rolls back)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


class PlanWorker:
    """One planning process for one database file; passes run one at a time, in order."""

    def __init__(self, path: str, planner: Planner = plan_deliveries, nice: int = NICE):
        self.path = path
        self.nice = nice
        self.planner = f"{planner.__module__}:{planner.__qualname__}"  # the child imports it by name
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summitbot-plan")
        self._process: subprocess.Popen | None = None
        self._jobs = self._replies = None

    def _start(self) -> None:
        jobs_r, jobs_w = os.pipe()
        replies_r, replies_w = os.pipe()
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "bot.delivery.worker", str(jobs_r), str(replies_w), self.path, self.planner,
                 str(self.nice)],
                pass_fds=(jobs_r, replies_w), stdin=subprocess.DEVNULL, env={**os.environ, "PYTHONPATH": _path()})
        finally:
            os.close(jobs_r)
            os.close(replies_w)
        self._jobs, self._replies = os.fdopen(jobs_w, "wb"), os.fdopen(replies_r, "rb")

    def run(self, settings: Settings, now: datetime, **options) -> PlanResult:
        """One pass in the planning process, waited for here (a blocking call; :meth:`plan` for the loop).

        ``options`` go to the planner (plan_deliveries: ``full=True`` for a full pass)."""
        if self._process is None or self._process.poll() is not None:
            self._stop()
            self._start()
        try:
            self._jobs.write(pickle.dumps((settings, now, options)))
            self._jobs.flush()
            ok, value = pickle.load(self._replies)
        except (EOFError, OSError) as exc:
            code = self._stop()
            raise PlanWorkerDied(f"the planning process ended during a pass (exit code {code})") from exc
        if ok:
            return value
        raise value

    async def plan(self, settings: Settings, now: datetime, **options) -> PlanResult:
        """Run a planning pass in the worker process and wait for it without blocking the loop."""
        return await asyncio.get_running_loop().run_in_executor(
            self._executor, functools.partial(self.run, settings, now, **options))

    def _stop(self, timeout: float = 30.0) -> int | None:
        """Close the pipes (the process leaves after the pass it is in), wait for it; return its exit code."""
        process, pipes = self._process, (self._jobs, self._replies)
        self._process = self._jobs = self._replies = None
        for pipe in pipes:
            if pipe is not None:
                try:
                    pipe.close()
                except OSError:
                    pass
        if process is None:
            return None
        try:
            return process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()

    def close_now(self) -> None:
        """Stop the planning process (blocking); :meth:`close` from the loop."""
        self._executor.submit(self._stop).result()
        self._executor.shutdown(wait=False)

    async def close(self) -> None:
        """Wait for a running pass, stop the process, stop the thread."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._stop)
        self._executor.shutdown(wait=False)


def _path() -> str:
    """This interpreter's import path for the child, so it finds bot (and a test's planner) as we do."""
    return os.pathsep.join(p or os.getcwd() for p in sys.path)


def main(argv: list[str]) -> None:
    jobs_fd, replies_fd, path, planner, nice = argv
    if int(nice):
        os.nice(int(nice))
    module, _, name = planner.partition(":")
    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    try:
        with os.fdopen(int(jobs_fd), "rb") as jobs, os.fdopen(int(replies_fd), "wb") as replies:
            serve(path, jobs, replies, target)
    except BrokenPipeError:  # the parent is gone: nobody is left to answer
        pass


if __name__ == "__main__":
    main(sys.argv[1:])
