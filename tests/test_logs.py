"""SUMMITBOT_LOG_FORMAT=json: one JSON object per log line; text stays the default; a wrong value names itself."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys

import pytest

from bot.config import ConfigError
from bot.logs import JsonFormatter, log_format
from tests.conftest import ROOT


def test_json_formatter_keeps_message_level_logger_traceback_and_extras():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    log = logging.getLogger("summitbot.test.json")
    log.addHandler(handler)
    log.propagate = False
    try:
        log.warning("delivery %s failed: %s", 7, "line one\nline \"two\"", extra={"delivery_id": 7, "obj": object()})
        try:
            1 / 0
        except ZeroDivisionError:
            log.exception("tick failed")
    finally:
        log.removeHandler(handler)
    first, second = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert first["level"] == "WARNING" and first["logger"] == "summitbot.test.json"
    assert first["message"] == 'delivery 7 failed: line one\nline "two"' and first["delivery_id"] == 7
    assert first["obj"].startswith("<object object") and first["time"].endswith("+00:00")
    assert second["level"] == "ERROR" and "ZeroDivisionError" in second["exception"]


def test_log_format_values():
    assert log_format({}) == "text" and log_format({"SUMMITBOT_LOG_FORMAT": " JSON "}) == "json"
    with pytest.raises(ConfigError, match="SUMMITBOT_LOG_FORMAT must be text or json, got 'xml'"):
        log_format({"SUMMITBOT_LOG_FORMAT": "xml"})


def _summitbot(tmp_path, log_format_value: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "SLACK_", "SUMMITBOT_"))}
    env["SUMMITBOT_LOG_FORMAT"] = log_format_value
    return subprocess.run([sys.executable, "-m", "bot", "-v", "--db", str(tmp_path / "x.db"), *args], cwd=ROOT,
                          env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)


def test_summitbot_logs_json_lines_when_asked(tmp_path):
    done = _summitbot(tmp_path, "json", "--now", "2025-10-24", "run")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    assert any(r["logger"] == "bot.scheduler" and "started" in r["message"] for r in records)
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
    text = _summitbot(tmp_path, "text", "--now", "2025-10-24", "run")
    assert " INFO bot.scheduler: scheduler " in text.stderr and not text.stderr.startswith("{")
    wrong = _summitbot(tmp_path, "yaml", "upcoming")
    assert wrong.returncode == 1 and "SUMMITBOT_LOG_FORMAT must be text or json" in wrong.stderr
