"""The platform-neutral command layer: parse `/summits ...`, run it against the store, return a Reply.

Subcommands register themselves with :func:`command`; each module under
``bot/commands/`` holds one family (meetings, subscriptions, feeds). Every adapter
(console, Slack, Discord) awaits :meth:`Commands.handle_async` with the raw text, or
:meth:`Commands.run_async` with already-typed arguments (Discord's app commands).

A command with slow work (`/summits ingest` fetches pages and extracts them) is written as
steps (bot/steps.py): the adapters' calls run that work in worker threads, so the event loop
keeps serving other commands and the scheduler, while the database work stays on the loop's
thread. :meth:`Commands.handle` and :meth:`Commands.run` run everything on the calling thread
(the CLI, scripts, tests).
"""

from bot.commands.core import (
    CHANNEL_SETTINGS,
    FEED_CHANGES,
    MAX_ID,
    PREFIXES,
    REGISTRY,
    Args,
    CommandError,
    Commands,
    Context,
    Services,
    Spec,
    changes_channel_settings,
    changes_feeds,
    command,
    command_words,
    parse_args,
    parse_id,
    split_words,
    unknown_command,
)

# The command families register themselves on import (they import bot.commands.core); help lists them in this order.
from bot.commands import meetings  # noqa: F401,I001
from bot.commands import subscriptions  # noqa: F401,I001
from bot.commands import calendar  # noqa: F401,I001
from bot.commands import feeds  # noqa: F401,I001

__all__ = [
    "CHANNEL_SETTINGS",
    "FEED_CHANGES",
    "MAX_ID",
    "PREFIXES",
    "REGISTRY",
    "Args",
    "CommandError",
    "Commands",
    "Context",
    "Services",
    "Spec",
    "changes_channel_settings",
    "changes_feeds",
    "command",
    "command_words",
    "parse_args",
    "parse_id",
    "split_words",
    "unknown_command",
]
