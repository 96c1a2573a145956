"""The platform-neutral reply model: commands return it, adapters render it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from bot.actions import Action, meeting_actions
from bot.models import MeetingRecord

_SLOT = re.compile(r"\{(\d+)\}")


@dataclass
class Reply:
    """What a command answers. Adapters render it as text, Block Kit or embeds.

    ``kind``: ``message`` (plain text), ``meetings`` (a list of meetings), ``detail``
    (one meeting with its sources and history), ``help`` or ``error``.
    ``text`` is trusted text written by summitbot; meeting fields come from
    articles and are untrusted: renderers must escape them. Article text inside
    ``text`` goes in ``quoted`` and is referred to by ``{0}``, ``{1}``… slots. Row
    values (other than help's) are escaped like article text: alerts, digests and
    ``ingest`` put article text there. ``links`` are our own (title, url) source
    links, which each renderer builds itself, showing the host.
    """

    kind: str = "message"
    text: str = ""
    meetings: list[MeetingRecord] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)  # label/value pairs (settings, lists)
    ephemeral: bool = False
    tz: str = "UTC"  # the channel's zone, for renderers that show local times
    quoted: tuple[str, ...] = ()  # article text for the {n} slots of ``text``
    links: list[tuple[str, str]] = field(default_factory=list)  # (title, url) of sources
    actions: list[Action] = field(default_factory=list)
    buttons: bool = False  # each meeting offers Details, Sources, Add to calendar, Subscribe to its leaders
    again: Action | None = None
    attachment: tuple[str, bytes] | None = None

    @classmethod
    def error(cls, text: str) -> "Reply":
        return cls(kind="error", text=text, ephemeral=True)

    def actions_for(self, rec: MeetingRecord) -> list[Action]:
        """The buttons one of this reply's meetings offers (none unless ``buttons``)."""
        return meeting_actions(rec, detail=self.kind == "detail") if self.buttons else []

    def text_pieces(self) -> list[tuple[str, bool]]:
        """``text`` as (piece, from_an_article) pairs, the {n} slots filled from ``quoted``."""
        if not self.quoted:
            return [(self.text, False)] if self.text else []
        pieces: list[tuple[str, bool]] = []
        pos = 0
        for m in _SLOT.finditer(self.text):
            index = int(m.group(1))
            if index >= len(self.quoted):
                continue
            if m.start() > pos:
                pieces.append((self.text[pos:m.start()], False))
            pieces.append((self.quoted[index], True))
            pos = m.end()
        if pos < len(self.text):
            pieces.append((self.text[pos:], False))
        return pieces

    def render_text(self, trusted: Callable[[str], str], untrusted: Callable[[str], str]) -> str:
        """``text`` with each piece passed through the renderer's function for its kind of text."""
        return "".join(untrusted(p) if quoted else trusted(p) for p, quoted in self.text_pieces())
