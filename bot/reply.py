"""The platform-neutral reply model: commands return it, adapters render it."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.models import MeetingRecord


@dataclass
class Reply:
    """What a command answers. Adapters render it as text, Block Kit or embeds.

    ``kind``: ``message`` (plain text), ``meetings`` (a list of meetings), ``detail``
    (one meeting with its sources and history), ``help`` or ``error``.
    ``text`` is trusted text written by summitbot; meeting fields come from
    articles and are untrusted: renderers must escape them.
    """

    kind: str = "message"
    text: str = ""
    meetings: list[MeetingRecord] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)  # label/value pairs (settings, lists)
    ephemeral: bool = False
    tz: str = "UTC"  # the channel's zone, for renderers that show local times

    @classmethod
    def error(cls, text: str) -> "Reply":
        return cls(kind="error", text=text, ephemeral=True)
