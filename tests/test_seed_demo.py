"""The seed articles end to end: what a user of the demo sees, and the issue's reminder check."""

from datetime import date, datetime, timezone

from bot.commands import Commands, Context, Services
from bot.config import Settings
from bot.delivery import preview
from bot.pipeline import Ingestor
from tests.conftest import SEEDS


def test_seed_summits_as_a_user_sees_them(store, extractor):
    Ingestor(store, extractor).ingest_paths([str(SEEDS)])
    settings = Settings(now=datetime(2025, 10, 24, tzinfo=timezone.utc))
    reply = Commands(Services(store=store, settings=settings)).handle("/summits upcoming days:30", Context())
    got = {(tuple(sorted(m.participants)), m.name, m.start) for m in reply.meetings}
    assert (("Anwar Ibrahim", "Donald Trump"), None, date(2025, 10, 26)) in got
    assert (("Donald Trump", "Lee Jae-myung"), None, date(2025, 10, 29)) in got
    assert (("Donald Trump", "Xi Jinping"), None, date(2025, 10, 30)) in got
    assert any(name == "APEC summit" and start == date(2025, 10, 31) for _, name, start in got)
    assert all(m.start >= date(2025, 10, 24) for m in reply.meetings)  # nothing past


def test_reminder_for_trump_lee_in_seoul(store, extractor, tmp_path):
    Ingestor(store, extractor).ingest_paths([str(SEEDS)])
    now = datetime.fromisoformat("2025-10-24T00:00+09:00")
    settings = Settings(db=str(tmp_path / "summitbot.db"), now=now)
    commands = Commands(Services(store=store, settings=settings))
    ctx = Context(platform="console", workspace="local", channel="seoul-desk")
    assert commands.handle("/summits timezone Asia/Seoul", ctx).kind != "error"
    assert commands.handle("/summits subscribe lead:1d", ctx).kind != "error"
    planned = preview(store, settings, now, datetime(2025, 11, 30, tzinfo=timezone.utc))
    trump_lee = [p for p in planned if p.kind == "reminder" and "Lee Jae-myung" in p.text and "Trump" in p.text]
    assert trump_lee, [p.text for p in planned]
    assert trump_lee[0].due_local.isoformat().startswith("2025-10-28T09:00:00+09:00")
