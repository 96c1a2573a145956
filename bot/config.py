"""One settings object from config/summitbot.toml plus environment variables."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CONFIG = PROJECT_ROOT / "config" / "summitbot.toml"


class ConfigError(ValueError):
    """The configuration is invalid; the message says what to fix."""


@dataclass(frozen=True)
class Settings:
    db: str = "summitbot.db"
    timezone: str = "UTC"
    delivery_time: str = "09:00"
    lead: str = "7d,1d"
    grace_hours: float = 6.0
    tick_seconds: float = 30.0
    lease_seconds: float = 60.0
    max_attempts: int = 5
    daily_days: int = 7
    weekly_days: int = 14
    slack_port: int = 3000
    slack_admins: tuple[str, ...] = ()
    discord_admins: tuple[str, ...] = ()
    fetch_timeout: float = 20.0
    fetch_max_bytes: int = 5_000_000
    allow_private_urls: bool = False
    feed_every: str = "15m"
    feed_max_failures: int = 5
    now: datetime | None = None
    env: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


def parse_now(value: str) -> datetime:
    """Parse an ISO date or datetime; a naive value is taken as UTC."""
    try:
        dt = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise ConfigError(f"not an ISO date/time: {value!r} (e.g. 2025-10-24T09:00+09:00)") from exc
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt


def _truthy(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def load_settings(path: str | os.PathLike | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read the TOML file (SUMMITBOT_CONFIG or the default) and apply environment overrides."""
    env = dict(os.environ if env is None else env)
    path = Path(path or env.get("SUMMITBOT_CONFIG") or DEFAULT_CONFIG)
    data: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    elif "SUMMITBOT_CONFIG" in env:
        raise ConfigError(f"config file not found: {path}")

    def get(section: str, key: str, default):
        return data.get(section, {}).get(key, default)

    s = Settings(
        db=env.get("SUMMITBOT_DB") or get("storage", "db", Settings.db),
        timezone=env.get("SUMMITBOT_TIMEZONE") or get("channels", "timezone", Settings.timezone),
        delivery_time=get("channels", "delivery_time", Settings.delivery_time),
        lead=get("channels", "lead", Settings.lead),
        grace_hours=float(get("delivery", "grace_hours", Settings.grace_hours)),
        tick_seconds=float(get("delivery", "tick_seconds", Settings.tick_seconds)),
        lease_seconds=float(get("delivery", "lease_seconds", Settings.lease_seconds)),
        max_attempts=int(get("delivery", "max_attempts", Settings.max_attempts)),
        daily_days=int(get("digest", "daily_days", Settings.daily_days)),
        weekly_days=int(get("digest", "weekly_days", Settings.weekly_days)),
        slack_port=int(env.get("PORT") or get("slack", "port", Settings.slack_port)),
        slack_admins=tuple(str(a) for a in get("slack", "admins", [])),
        discord_admins=tuple(str(a) for a in get("discord", "admins", [])),
        fetch_timeout=float(get("fetch", "timeout_seconds", Settings.fetch_timeout)),
        fetch_max_bytes=int(get("fetch", "max_bytes", Settings.fetch_max_bytes)),
        allow_private_urls=_truthy(env.get("SUMMITBOT_ALLOW_PRIVATE_URLS"))
        or bool(get("fetch", "allow_private", False)),
        feed_every=get("feeds", "every", Settings.feed_every),
        feed_max_failures=int(get("feeds", "max_failures", Settings.feed_max_failures)),
        now=parse_now(env["SUMMITBOT_NOW"]) if env.get("SUMMITBOT_NOW") else None,
        env=env,
    )
    validate(s)
    return s


def validate(s: Settings) -> None:
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"unknown time zone {s.timezone!r}: use an IANA name such as Asia/Seoul") from exc
    hh, _, mm = s.delivery_time.partition(":")
    if not (hh.isdigit() and mm.isdigit() and int(hh) < 24 and int(mm) < 60):
        raise ConfigError(f"delivery_time must be HH:MM, got {s.delivery_time!r}")
    if s.grace_hours < 0:
        raise ConfigError("grace_hours must be >= 0")
