"""Planning off the event loop: a thread of its own with its own SQLite connection.

A full plan of a large database takes seconds of Python; on the event loop's thread every chat
command typed meanwhile waited for it. The scheduler hands each pass to this worker and awaits it,
so the loop keeps answering. The worker's connection is opened in its thread and used only there;
the plan computes in a read transaction and then writes in one transaction (see
planning.plan_deliveries), so commands that write wait only for that write.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime

from bot.config import Settings
from bot.delivery.ledger import PlanResult, open_delivery_store
from bot.delivery.planning import plan_deliveries
from bot.store import Store


class PlanWorker:
    """One planning thread for one database file; passes run one at a time, in order."""

    def __init__(self, path: str):
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="summitbot-plan")
        self._store: Store | None = None

    def _plan(self, settings: Settings, now: datetime) -> PlanResult:
        if self._store is None:
            self._store = open_delivery_store(self.path)
        return plan_deliveries(self._store, settings, now)

    async def plan(self, settings: Settings, now: datetime) -> PlanResult:
        """Run a planning pass in the worker thread and wait for it without blocking the loop."""
        return await asyncio.get_running_loop().run_in_executor(self._executor, self._plan, settings, now)

    def _close(self) -> None:
        if self._store is not None:
            self._store.db.conn.close()
            self._store = None

    async def close(self) -> None:
        """Wait for a running pass, close the worker's connection in its thread, stop the thread."""
        await asyncio.get_running_loop().run_in_executor(self._executor, self._close)
        self._executor.shutdown(wait=False)
