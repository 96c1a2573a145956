"""Logging set-up for the CLI: text for people, or one JSON object per line (SUMMITBOT_LOG_FORMAT=json)."""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import Mapping, TextIO

from bot.config import ConfigError

FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
# LogRecord attributes that are not `extra=` fields.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time (UTC), level, logger, message, the traceback, and `extra=` fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else repr(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)


def log_format(env: Mapping[str, str]) -> str:
    """SUMMITBOT_LOG_FORMAT: text (the default) or json; anything else is a ConfigError naming it."""
    value = (env.get("SUMMITBOT_LOG_FORMAT") or "text").strip().lower()
    if value not in FORMATS:
        raise ConfigError(f"SUMMITBOT_LOG_FORMAT must be text or json, got {env.get('SUMMITBOT_LOG_FORMAT')!r}")
    return value


def configure_logging(level: int, fmt: str = "text", stream: TextIO | None = None) -> None:
    """Log to standard error (or ``stream``) at ``level``, as text or JSON lines."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_summitbot", False)]:
        root.removeHandler(old)
    handler._summitbot = True  # type: ignore[attr-defined]  # ours to replace on the next call
    if not root.handlers:  # as logging.basicConfig: a host that set up logging (pytest) keeps its own
        root.addHandler(handler)
    root.setLevel(level)
