"""Slow work off the event loop, database work on it: commands and feed polls written as steps.

A *steps* generator yields each piece of slow, blocking work (fetching a page, extracting its
meetings) as a callable taking no arguments, and is sent back its result, or thrown its
exception; everything between two yields, the database work included, runs on the thread
that drives the generator. The store's SQLite connection belongs to that thread, so when the
bot drives steps from its event loop (:func:`drive_off_loop`) every read and write of the shared
connection stays on the loop's thread while the slow parts run in worker threads, and other
commands, the gateway heartbeats and the scheduler go on meanwhile. The CLI and the tests,
which have no loop to keep free, run the same steps with :func:`drive`.
"""

from __future__ import annotations

import asyncio
from typing import Callable, Generator, TypeVar

T = TypeVar("T")
Work = Callable[[], object]
Steps = Generator[Work, object, T]


def drive(steps: Steps[T]) -> T:
    """Run steps to the end on this thread, each piece of work included (blocking)."""
    try:
        work = next(steps)
        while True:
            try:
                value = work()
            except Exception as exc:
                work = steps.throw(exc)
            else:
                work = steps.send(value)
    except StopIteration as done:
        return done.value


async def drive_off_loop(steps: Steps[T]) -> T:
    """Run steps from the event loop: each piece of work in a worker thread, the rest on the loop."""
    try:
        work = next(steps)
        while True:
            try:
                value = await asyncio.to_thread(work)
            except Exception as exc:
                work = steps.throw(exc)
            else:
                work = steps.send(value)
    except StopIteration as done:
        return done.value
