"""The command layer's core: the registry, argument parsing and :class:`Commands` (see bot/commands/__init__.py)."""

from __future__ import annotations

import difflib
import inspect
import logging
import re
import shlex
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.reply import Reply
from bot.steps import Steps, drive, drive_off_loop
from bot.store import Store

log = logging.getLogger(__name__)


class CommandError(Exception):
    """An expected failure (bad argument, unknown id): shown to the user as written."""


@dataclass
class Context:
    """Who typed the command, and where."""

    platform: str = "console"  # console | slack | discord
    workspace: str = "local"  # Slack team id, Discord guild id
    channel: str = "console"
    user: str = "console"
    is_admin: bool = True  # the adapter decides; the console is admin
    # The commands this platform offers, for help to list: None is all of them (the console and
    # Slack parse typed text); Discord offers the subcommands its adapter registers.
    offered: frozenset[str] | None = None

    def offers(self, name: str) -> bool:
        return self.offered is None or name in self.offered


@dataclass
class Services:
    """What a command may use: the store, the settings and the clock."""

    store: Store
    settings: Settings
    clock: Clock = field(default_factory=SystemClock)
    extra: dict = field(default_factory=dict)  # e.g. a fetcher for /summits ingest

    def now(self) -> datetime:
        return self.settings.now or self.clock.now()


@dataclass
class Spec:
    name: str
    func: Callable[["Services", "Context", "Args"], Reply | Steps[Reply]]  # steps when it has slow work
    usage: str
    summary: str
    keys: tuple[str, ...] = ()  # accepted key:value options
    admin: bool = False
    aliases: tuple[str, ...] = ()


REGISTRY: dict[str, Spec] = {}


def command(name: str, *, usage: str, summary: str, keys: tuple[str, ...] = (), admin: bool = False,
            aliases: tuple[str, ...] = ()):
    """Register a subcommand of /summits."""

    def wrap(func):
        spec = Spec(name, func, usage, summary, keys, admin, aliases)
        REGISTRY[name] = spec
        for alias in aliases:
            REGISTRY[alias] = spec
        return func

    return wrap


@dataclass
class Args:
    """Parsed arguments: positional words and key:value options."""

    positional: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    spec: Spec | None = None

    def text(self) -> str:
        return " ".join(self.positional).strip()

    def get(self, key: str, default: str | None = None) -> str | None:
        value = self.options.get(key)
        return value if value not in (None, "") else default

    def int(self, key: str, default: int | None = None, *, lo: int = 0, hi: int = 10_000) -> int | None:
        raw = self.get(key)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise CommandError(f"`{key}` must be a whole number, got `{raw}`. Usage: `{self.usage()}`") from None
        if not lo <= value <= hi:
            raise CommandError(f"`{key}` must be between {lo} and {hi}, got {value}. Usage: `{self.usage()}`")
        return value

    def usage(self) -> str:
        return self.spec.usage if self.spec else "/summits help"


_KEY = re.compile(r"^([a-z_]+):(.*)$", re.S)
PREFIXES = ("/summits", "summits", "/summit")
MAX_ID = 2 ** 63 - 1  # SQLite's largest integer
# Commands that change this channel's settings (timezone only when given a zone; without one it shows it).
CHANNEL_SETTINGS = frozenset({"subscribe", "unsubscribe", "digest", "timezone"})
# What `/summits feeds` does besides listing: changes of the feeds followed, for admins only.
FEED_CHANGES = frozenset({"add", "remove", "rm", "delete", "resume"})


def split_words(text: str) -> list[str]:
    """Shell-like words; an unbalanced quote falls back to plain whitespace splitting."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def command_words(text: str) -> list[str]:
    """The words of a typed command without its `/summits` prefix: '/summits show 3' -> ['show', '3']."""
    words = split_words(text.strip())
    if words and words[0].lower() in PREFIXES:
        words = words[1:]
    return words


def changes_channel_settings(name: str, has_arguments: bool) -> bool:
    """Does `/summits NAME ...` change this channel's settings (subscribe, unsubscribe, digest, timezone ZONE)?

    Adapters ask this to decide who may run a command and who sees its answer.
    """
    spec = REGISTRY.get(name.lower())
    if spec is None or spec.name not in CHANNEL_SETTINGS:
        return False
    return has_arguments or spec.name != "timezone"


def changes_feeds(name: str, words: list[str]) -> bool:
    """Does `/summits NAME WORDS…` change the feeds followed (`feeds add`, `remove`, `resume`)?

    Only admins may; adapters that check permissions before running a command ask this.
    """
    spec = REGISTRY.get(name.lower())
    return spec is not None and spec.name == "feeds" and bool(words) and words[0].lower() in FEED_CHANGES


def parse_id(raw: str | None) -> int | None:
    """A record number as typed, '3' or '#3'; None when it is not one (or too large to be one)."""
    text = (raw or "").strip().lstrip("#")
    if not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def parse_args(words: list[str], spec: Spec) -> Args:
    """`who:Lee Jae-myung days:7 foo` -> options {who: 'Lee Jae-myung', days: '7'}, positional ['foo'].

    An option's value runs until the next known ``key:``, so names need no quotes.
    """
    args = Args(spec=spec)
    current: str | None = None
    for word in words:
        m = _KEY.match(word)
        if m and m.group(1) in spec.keys:
            current = m.group(1)
            args.options[current] = m.group(2).strip()
        elif m and spec.keys:
            raise CommandError(
                f"`/summits {spec.name}` has no `{m.group(1)}:` option; it takes "
                + ", ".join(f"`{k}:`" for k in spec.keys) + f". Usage: `{spec.usage}`")
        elif current is not None:
            args.options[current] = (args.options[current] + " " + word).strip()
        else:
            args.positional.append(word)
    return args


class Commands:
    """Parses and runs /summits commands; the one entry point for every adapter."""

    def __init__(self, services: Services):
        self.services = services

    def handle(self, text: str, ctx: Context) -> Reply:
        """Run a command typed as text: '/summits upcoming days:7', 'upcoming', 'show 3' (all on this thread)."""
        return drive(self._handle_steps(text, ctx))

    async def handle_async(self, text: str, ctx: Context) -> Reply:
        """:meth:`handle` from the event loop: slow work in worker threads, the database work on the loop."""
        return await drive_off_loop(self._handle_steps(text, ctx))

    def run(self, name: str, args: Args | dict | None, ctx: Context) -> Reply:
        """Run a command with already-parsed arguments (a dict of options is accepted), all on this thread."""
        return drive(self._run_steps(name, args, ctx))

    async def run_async(self, name: str, args: Args | dict | None, ctx: Context) -> Reply:
        """:meth:`run` from the event loop: slow work in worker threads, the database work on the loop."""
        return await drive_off_loop(self._run_steps(name, args, ctx))

    def _handle_steps(self, text: str, ctx: Context) -> Steps[Reply]:
        words = command_words(text)
        if not words:
            return (yield from self._run_steps("help", Args(), ctx))
        spec = REGISTRY.get(words[0].lower())
        if spec is None:
            return unknown_command(words[0])
        try:
            args = parse_args(words[1:], spec)
        except CommandError as exc:
            return Reply.error(str(exc))
        return (yield from self._run_steps(spec.name, args, ctx))

    def _run_steps(self, name: str, args: Args | dict | None, ctx: Context) -> Steps[Reply]:
        spec = REGISTRY.get(name)
        if spec is None:
            return unknown_command(name)
        if isinstance(args, dict) or args is None:
            opts = {k: str(v) for k, v in (args or {}).items() if v not in (None, "")}
            positional = opts.pop("_", "")
            args = Args(positional=positional.split() if positional else [], options=opts, spec=spec)
        args.spec = spec
        if spec.admin and not ctx.is_admin:
            return Reply.error(f"Only admins can use `/summits {spec.name}` here.")
        try:
            reply = spec.func(self.services, ctx, args)
            if inspect.isgenerator(reply):
                reply = yield from reply
            return reply
        except CommandError as exc:
            return Reply.error(str(exc))
        except Exception:
            log.exception("command %r failed", name)
            return Reply.error("Sorry, something went wrong running that command. It has been logged.")

    @staticmethod
    def specs() -> list[Spec]:
        seen, out = set(), []
        for spec in REGISTRY.values():
            if spec.name not in seen:
                seen.add(spec.name)
                out.append(spec)
        return out


def unknown_command(word: str) -> Reply:
    """The answer to a command name we do not know, with the nearest one when it looks like a typo."""
    close = difflib.get_close_matches(word.lower(), REGISTRY, n=1, cutoff=0.75)
    hint = f"Did you mean `/summits {REGISTRY[close[0]].name}`? " if close else ""
    return Reply.error(f"Unknown command `{word}`. {hint}Try `/summits help`.")
