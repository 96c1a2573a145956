"""How `summitbot run` in console mode ends: the exit status and message for each kind of end of input."""

from __future__ import annotations

import asyncio
import io
import os
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from adapters.console import ConsoleSession
from adapters.runner import run
from bot.clock import FixedClock
from bot.config import Settings
from tests.conftest import ROOT

NOW = datetime(2025, 10, 24, tzinfo=timezone.utc)


class Terminal(io.StringIO):
    """Standard input at a terminal (Ctrl-D is an empty read)."""

    def isatty(self) -> bool:
        return True


class Unreadable(io.StringIO):
    def readline(self, *args):
        raise UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")


def console(tmp_path, stdin) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    settings = Settings(db=str(tmp_path / "x.db"), now=NOW)
    status = asyncio.run(run(settings, settings.db, clock=FixedClock(NOW), stdin=stdin, stdout=out, stderr=err))
    return status, out.getvalue(), err.getvalue()


def test_console_end_of_input_statuses(tmp_path):
    status, _, err = console(tmp_path, io.StringIO(""))  # </dev/null, a supervisor without a platform token
    assert status == 0 and "standard input is empty and no platform token is set" in err and "DISCORD_TOKEN" in err

    status, out, err = console(tmp_path, io.StringIO("/summits help\n\n/summits subscriptions\n"))
    assert status == 0 and err == "" and "/summits upcoming" in out

    status, out, err = console(tmp_path, io.StringIO("/summits show 999\n/summits help\n"))
    assert status == 1 and "1 of 2 commands failed" in err and out.count("\n! ") == 1

    status, _, err = console(tmp_path, Terminal("/summits show 999\n"))  # a person typed it, then Ctrl-D
    assert status == 0 and err == ""

    status, _, err = console(tmp_path, Unreadable(""))
    assert status == 1 and "could not read standard input: UnicodeDecodeError" in err


def test_a_console_that_crashes_exits_1(tmp_path, monkeypatch, caplog):
    import adapters.console

    async def broken(*args, **kwargs):
        raise RuntimeError("a bug in the console")

    monkeypatch.setattr(adapters.console, "repl", broken)
    status, _, _ = console(tmp_path, io.StringIO("/summits help\n"))
    assert status == 1 and "the console stopped" in caplog.text and "a bug in the console" in caplog.text


def test_the_session_policy():
    assert ConsoleSession(interactive=True, commands=3, errors=3).exit_status == 0
    assert ConsoleSession(interactive=False, commands=0).exit_status == 0
    assert ConsoleSession(interactive=False, commands=2, errors=1).exit_status == 1
    assert ConsoleSession(interactive=True, read_error="OSError: EIO").exit_status == 1


@pytest.mark.parametrize("stdin, status, words", [
    (b"", 0, "nothing to serve"),
    (b"/summits show 999\n", 1, "1 of 1 commands failed"),
])
def test_summitbot_run_exit_status_in_console_mode(tmp_path, stdin, status, words):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "SUMMITBOT_"))}
    done = subprocess.run([sys.executable, "-m", "bot", "--db", str(tmp_path / "x.db"), "--now", "2025-10-24", "run"],
                          cwd=ROOT, env=env, input=stdin, capture_output=True, timeout=300)
    assert done.returncode == status, done.stderr.decode(errors="replace")
    assert words in done.stderr.decode() and b"Traceback" not in done.stderr
