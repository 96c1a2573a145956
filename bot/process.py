"""The process that answers commands: how it builds its command layer and settles its heap before serving.

Python's cyclic garbage collector walks every tracked object of the process in a full (generation-2)
collection. What the bot loads at startup (the modules, the gazetteer, spaCy's model when feeds are
followed: about 100,000 objects, a 40 ms walk on the 2-core machine) lives as long as the process, so
each full collection would walk it again, holding the GIL while a command waits. ``settle_heap``
collects once and then moves everything alive into the permanent generation (``gc.freeze``): later
collections walk only what was made after startup. Called by `summitbot run` (adapters/runner.py)
just before it serves, and by bench/bench_planning.py before it times commands, through the same
functions, so the bench measures what the bot does.
"""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable

from bot.clock import Clock, SystemClock
from bot.commands import Commands, Services
from bot.config import Settings
from bot.store import Store

log = logging.getLogger(__name__)


def command_side(store: Store, settings: Settings, clock: Clock | None = None, extra: dict | None = None) -> Commands:
    """The command layer the adapters call, on ``store``."""
    return Commands(Services(store=store, settings=settings, clock=clock or SystemClock(), extra=extra or {}))


def settle_heap(warm: Callable[[], object] | None = None) -> int:
    """Load what ``warm`` loads, collect what is garbage now, then freeze the rest; the objects frozen.

    Freezing keeps garbage collection on: what commands make is collected as before, and a frozen
    object that later becomes garbage is freed by reference counting (only a cycle among frozen objects
    would stay, hence the collection first)."""
    if warm is not None:
        warm()
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info("heap settled: %d objects frozen out of garbage collection", frozen)
    return frozen
