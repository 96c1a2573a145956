"""The command process settles its heap before serving: what startup loaded is frozen out of garbage collection."""

from __future__ import annotations

import asyncio
import gc
import io
import weakref
from datetime import datetime, timezone

import pytest

from adapters.runner import _settle, run
from bot.clock import FixedClock
from bot.config import Settings
from bot.feeds import add_feed
from bot.process import command_side, settle_heap
from bot.store import Store
from bot.transport import ChannelRef

NOW = datetime(2025, 10, 24, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()  # the other tests run with an ordinary heap


def in_collected_generations(obj) -> bool:
    return any(o is obj for o in gc.get_objects())


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_settle_heap_collects_then_freezes():
    kept = [object()]  # a long-lived container, as the gazetteer's or a model's
    cycle = Cycle()
    dead = weakref.ref(cycle)
    del cycle  # garbage that only the collector frees
    assert dead() is not None and in_collected_generations(kept)

    frozen = settle_heap()

    assert dead() is None  # collected before the freeze, so it does not stay forever
    assert frozen == gc.get_freeze_count() > 0
    assert not in_collected_generations(kept)  # later collections no longer walk it
    assert gc.isenabled()
    made_after = [object()]
    assert in_collected_generations(made_after)  # what commands make is still collected


def test_summitbot_run_settles_before_serving(tmp_path):
    kept = [object()]
    settings = Settings(db=str(tmp_path / "x.db"), now=NOW)
    out, err = io.StringIO(), io.StringIO()
    status = asyncio.run(run(settings, settings.db, clock=FixedClock(NOW), stdin=io.StringIO("/summits help\n"),
                             stdout=out, stderr=err))
    assert status == 0 and "/summits upcoming" in out.getvalue()
    assert gc.get_freeze_count() > 0 and not in_collected_generations(kept)


class FakeExtractor:
    def __init__(self) -> None:
        self.loaded: list[str] = []

    @property
    def nlp(self):
        self.loaded.append("nlp")

    @property
    def classifier(self):
        self.loaded.append("classifier")


def test_the_model_is_loaded_before_the_freeze_only_when_feeds_are_followed(tmp_path):
    store = Store(str(tmp_path / "x.db"))
    extractor = FakeExtractor()
    _settle(store, extractor)
    assert extractor.loaded == []  # no feed: a bot that never extracts does not load spaCy

    add_feed(store, Settings(), "https://example.org/feed.xml", ChannelRef("slack", "T1", "C1"), NOW)
    _settle(store, extractor)
    assert extractor.loaded == ["nlp", "classifier"]


def test_command_side_is_the_layer_the_adapters_call(tmp_path):
    commands = command_side(Store(str(tmp_path / "x.db")), Settings(now=NOW))
    assert commands.services.settings.now == NOW
