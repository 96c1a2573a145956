"""Shared fixtures: real SQLite files in tmp_path, one spaCy pipeline per session, an injected clock."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.config import Settings
from bot.models import Meeting, MeetingRecord
from bot.store import Store

ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = ROOT.parent / "shared" / "eval"
SEEDS = ROOT / "seeds"


@pytest.fixture
def store(tmp_path) -> Store:
    return Store(tmp_path / "summitbot.db")


@pytest.fixture
def db_path(tmp_path) -> str:
    """The path of the ``store`` fixture's database file, for a second connection or another process."""
    return str(tmp_path / "summitbot.db")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 10, 24, 0, 0, tzinfo=timezone.utc))


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(db=str(tmp_path / "summitbot.db"))


@pytest.fixture(scope="session")
def nlp():
    """summitbot's spaCy pipeline, loaded once."""
    from bot.extract import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def extractor(nlp):
    """The rules alone: their tests assert what the rules decide; the learned decisions have tests of their own."""
    from bot.extract import Extractor

    return Extractor(nlp=nlp, learned=False)


@pytest.fixture
def sure_gatherings(monkeypatch):
    """The gathering classifier sure of every name the grammar finds: for tests of what the rules make of a named
    gathering (its status, its place) whatever a retrained model scores the written sentence at; the classifier's own
    decisions are scored on the corpus (`summitbot eval`) and tested in tests/test_gatherings.py."""
    import bot.extract.gatherings as gatherings

    class Sure:
        def cats(self, texts):
            return [{gatherings.LABEL: 1.0} for _ in texts]

    monkeypatch.setattr(gatherings, "load_gathering_classifier", lambda: Sure())


@pytest.fixture(scope="session")
def learned_extractor(nlp, extractor):
    """The rules with the learned decisions on the committed classifier, as the bot runs."""
    from bot.extract import Extractor

    return Extractor(nlp=nlp, gazetteer=extractor.gazetteer)


@pytest.fixture(scope="session")
def corpus_texts() -> list[str]:
    """The article texts of the written test corpora (with meetings, then without)."""
    import json

    texts = []
    for name in ("positives.jsonl", "negatives.jsonl"):
        lines = (ROOT / "tests" / "data" / name).read_text().splitlines()
        texts += [json.loads(line)["text"] for line in lines if line.strip()]
    return texts


def make_meeting(**kw) -> Meeting:
    """A meeting with sensible defaults, for tests that need one in the store."""
    defaults = dict(participants=["Donald Trump", "Lee Jae-myung"], kind="bilateral", location="Gyeongju",
                    start=date(2025, 10, 29), end=date(2025, 10, 29), tense="upcoming", certainty="confirmed",
                    sentence="Trump will meet Lee on Wednesday.")
    defaults.update(kw)
    return Meeting(**defaults)


def make_record(mid: int = 1, **kw) -> MeetingRecord:
    """A stored meeting as the renderers get it (no database), with the same defaults as make_meeting."""
    values = dict(id=mid, kind="bilateral", participants=["Donald Trump", "Lee Jae-myung"], name=None,
                  location="Gyeongju", alt_locations=[], start=date(2025, 10, 29), end=date(2025, 10, 29),
                  time=None, tz=None, precision="day", certainty="confirmed", status="upcoming",
                  first_seen="2025-10-20T00:00:00+00:00", updated="2025-10-20T00:00:00+00:00")
    values.update(kw)
    return MeetingRecord(**values)


@contextlib.asynccontextmanager
async def summitbot_run(db: Path, log_path: Path, **env):
    """`summitbot --db DB run` in a subprocess whose platform and SUMMITBOT_ variables are only ``env``.

    On leaving it is stopped with SIGTERM and must exit 0; on a failure its log is printed.
    """
    python = ROOT / ".venv" / "bin" / "python"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "SUMMITBOT_"))}
    with open(log_path, "wb") as log_file:
        proc = await asyncio.create_subprocess_exec(
            str(python if python.exists() else sys.executable), "-m", "bot", "--db", str(db), "run", cwd=ROOT,
            env={**clean, **env}, stdin=asyncio.subprocess.DEVNULL, stdout=log_file, stderr=log_file)
        try:
            yield proc
            proc.terminate()
            assert await asyncio.wait_for(proc.wait(), 15) == 0
        except BaseException:
            if proc.returncode is None:
                proc.kill()
                await proc.wait()
            print(log_path.read_text(errors="replace"))
            raise


async def wait_for_log(proc, log_path: Path, text: str, timeout: float = 20) -> None:
    """Wait until the subprocess has logged ``text``; fail if it exits first."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while text not in log_path.read_text(errors="replace"):
        if proc.returncode is not None:
            raise RuntimeError(f"summitbot run exited before logging {text!r}")
        if loop.time() > deadline:
            raise TimeoutError(f"summitbot run did not log {text!r} within {timeout:g}s")
        await asyncio.sleep(0.05)
