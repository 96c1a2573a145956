"""One settings object from config/summitbot.toml plus environment variables."""

from __future__ import annotations

import math
import os
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from bot.values import parse_every, parse_time_of_day, parse_leads, parse_zone

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
    web_url: str = ""  # the web calendar's public address (channel feed links); "" when not set
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


class _Source:
    """The TOML file's values and the environment, read with the type each setting needs.

    Every wrong value raises ConfigError naming where it came from (``[delivery] grace_hours`` in the
    file, or the environment variable) and what was expected.
    """

    def __init__(self, path: Path, data: dict, env: dict[str, str]):
        self.path, self.data, self.env = path, data, env

    def raw(self, section: str, key: str, default, env_var: str | None = None) -> tuple[object, str]:
        if env_var and self.env.get(env_var):
            return self.env[env_var], env_var
        table = self.data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{self.path}: [{section}] must be a table")
        return table.get(key, default), f"[{section}] {key} in {self.path}"

    def text(self, section: str, key: str, default: str, env_var: str | None = None) -> str:
        value, where = self.raw(section, key, default, env_var)
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{where} must be a non-empty string, got {value!r}")
        return value.strip()

    def checked(self, section: str, key: str, default: str, parse, env_var: str | None = None) -> str:
        """A text setting whose form another module decides: ``parse`` returns its normal form or raises."""
        value = self.text(section, key, default, env_var)
        where = env_var if env_var and self.env.get(env_var) else f"[{section}] {key} in {self.path}"
        try:
            normal = parse(value)
        except ValueError as exc:  # SettingError is a ValueError
            raise ConfigError(f"{where}: {exc}") from None
        return normal if isinstance(normal, str) else value

    def number(self, section: str, key: str, default, kind: type, minimum: float, maximum: float | None = None,
               env_var: str | None = None) -> int | float:
        value, where = self.raw(section, key, default, env_var)
        try:
            if isinstance(value, bool) or (kind is int and isinstance(value, float)):
                raise ValueError
            number = kind(value)
        except (TypeError, ValueError, OverflowError):
            raise ConfigError(f"{where} must be {'a whole number' if kind is int else 'a number'}, "
                              f"got {value!r}") from None
        if not math.isfinite(number):  # TOML's inf and nan, 1e400 (read as inf), "nan" in the environment
            raise ConfigError(f"{where} must be a finite number, got {value!r}")
        if number < minimum or (maximum is not None and number > maximum):
            bounds = f"at least {minimum:g}" if maximum is None else f"between {minimum:g} and {maximum:g}"
            raise ConfigError(f"{where} must be {bounds}, got {number:g}")
        return number

    def ids(self, section: str, key: str) -> tuple[str, ...]:
        value, where = self.raw(section, key, [])
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            raise ConfigError(f'{where} must be a list of user ids, e.g. ["U012ABCDEF"], got {value!r}')
        return tuple(str(v) for v in value)

    def url(self, section: str, key: str, env_var: str) -> str:
        """An optional http(s) address without query or fragment, trailing '/' dropped; "" when not set."""
        value, where = self.raw(section, key, "", env_var)
        if not isinstance(value, str):
            raise ConfigError(f"{where} must be a string, got {value!r}")
        text = value.strip().rstrip("/")
        parts = urlsplit(text)
        if text and (parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment):
            raise ConfigError(f"{where} must be an http:// or https:// address without ?query or #fragment, "
                              f"got {value!r}")
        return text

    def flag(self, section: str, key: str) -> bool:
        value, where = self.raw(section, key, False)
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false, got {value!r}")
        return value


def load_settings(path: str | os.PathLike | None = None, env: dict[str, str] | None = None) -> Settings:
    """Read the TOML file (--config, SUMMITBOT_CONFIG or the default) and apply environment overrides.

    Every value is checked here, at start-up; a wrong one raises ConfigError saying which and why.
    """
    env = dict(os.environ if env is None else env)
    chosen = path or env.get("SUMMITBOT_CONFIG")
    path = Path(chosen or DEFAULT_CONFIG)
    data: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from exc
        except OSError as exc:
            raise ConfigError(f"cannot read {path}: {exc.strerror or exc}") from exc
    elif chosen:
        raise ConfigError(f"config file not found: {path}")
    src = _Source(path, data, env)
    now_text = env.get("SUMMITBOT_NOW")
    try:
        now = parse_now(now_text) if now_text else None
    except ConfigError as exc:
        raise ConfigError(f"SUMMITBOT_NOW: {exc}") from None
    return Settings(
        db=src.text("storage", "db", Settings.db, "SUMMITBOT_DB"),
        timezone=src.checked("channels", "timezone", Settings.timezone, parse_zone, "SUMMITBOT_TIMEZONE"),
        delivery_time=src.checked("channels", "delivery_time", Settings.delivery_time, parse_time_of_day),
        lead=src.checked("channels", "lead", Settings.lead, parse_leads),
        grace_hours=src.number("delivery", "grace_hours", Settings.grace_hours, float, 0, 24 * 366),
        tick_seconds=src.number("delivery", "tick_seconds", Settings.tick_seconds, float, 1, 86400),
        lease_seconds=src.number("delivery", "lease_seconds", Settings.lease_seconds, float, 1, 86400),
        max_attempts=src.number("delivery", "max_attempts", Settings.max_attempts, int, 1, 100),
        daily_days=src.number("digest", "daily_days", Settings.daily_days, int, 1, 366),
        weekly_days=src.number("digest", "weekly_days", Settings.weekly_days, int, 1, 366),
        slack_port=src.number("slack", "port", Settings.slack_port, int, 0, 65535, env_var="PORT"),
        slack_admins=src.ids("slack", "admins"),
        discord_admins=src.ids("discord", "admins"),
        fetch_timeout=src.number("fetch", "timeout_seconds", Settings.fetch_timeout, float, 0.1, 3600),
        fetch_max_bytes=src.number("fetch", "max_bytes", Settings.fetch_max_bytes, int, 1),
        allow_private_urls=_truthy(env.get("SUMMITBOT_ALLOW_PRIVATE_URLS")) or src.flag("fetch", "allow_private"),
        feed_every=src.checked("feeds", "every", Settings.feed_every, parse_every),
        feed_max_failures=src.number("feeds", "max_failures", Settings.feed_max_failures, int, 1),
        web_url=src.url("web", "url", "SUMMITBOT_WEB_URL"),
        now=now,
        env=env,
    )
