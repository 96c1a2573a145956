"""Shared fixtures: real SQLite files in tmp_path, one spaCy pipeline per session, an injected clock."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.models import Meeting
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
SEEDS = ROOT / "seeds"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "summitbot.db")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 10, 24, 0, 0, tzinfo=timezone.utc))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db=str(tmp_path / "summitbot.db"))


@pytest.fixture(scope="session")
def extractor():
    from bot.extract import Extractor

    return Extractor()


def make_meeting(**kw) -> Meeting:
    """A meeting with sensible defaults, for tests that need one in the store."""
    defaults = dict(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral", location="Gyeongju",
                    start=date(2025, 10, 29), end=date(2025, 10, 29), tense="upcoming", certainty="confirmed",
                    sentence="Trump will meet Lee on Wednesday.")
    defaults.update(kw)
    return Meeting(**defaults)
