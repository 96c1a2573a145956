"""The seed articles end to end: what a user of the demo sees, and the issue's reminder check."""

import json
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


def test_issue_check_previews_the_apec_summit_and_every_span(store, extractor, tmp_path):
    """The issue's check, through the real CLI: say, say, reminders on the seeds (spans included)."""
    from click.testing import CliRunner

    from bot.cli import cli

    Ingestor(store, extractor).ingest_paths([str(SEEDS)])
    db = str(tmp_path / "summitbot.db")
    env = {"SUMMITBOT_NOW": "", "SUMMITBOT_DB": "", "SUMMITBOT_TIMEZONE": "", "SUMMITBOT_CONFIG": ""}
    runner = CliRunner()
    for command in ("/summits timezone Asia/Seoul", "/summits subscribe lead:3d,1d"):
        out = runner.invoke(cli, ["--db", db, "say", "--channel", "ops", command], env=env)
        assert out.exit_code == 0, out.output
    out = runner.invoke(cli, ["--db", db, "reminders", "--from", "2025-10-24", "--to", "2025-11-03", "--json"],
                        env=env)
    assert out.exit_code == 0, out.output
    msgs = [m for m in json.loads(out.output) if m["kind"] == "reminder"]
    apec = [(m["due_local"], m["text"].splitlines()[0]) for m in msgs if m["meeting"] == "APEC summit"]
    assert apec == [
        ("2025-10-28T09:00:00+09:00", "Reminder: APEC summit starts in 3 days: 31 Oct – 1 Nov 2025, Gyeongju."),
        ("2025-10-30T09:00:00+09:00", "Reminder: APEC summit starts tomorrow: 31 Oct – 1 Nov 2025, Gyeongju.")]
    spans = {m["meeting_id"] for m in msgs if "–" in m["text"].splitlines()[0].split("starts", 1)[1]}
    upcoming_spans = {r.id for r in store.upcoming(date(2025, 10, 24), days=10) if r.is_span()}
    assert upcoming_spans and spans == upcoming_spans  # every multi-day meeting in the window is reminded
