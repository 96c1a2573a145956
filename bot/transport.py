"""How the core posts to a chat platform: every adapter provides a Transport."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from bot.reply import Reply


class SendError(Exception):
    """Posting failed."""


class TransientSendError(SendError):
    """A failure worth retrying later (rate limit, 5xx, network). ``retry_after`` in seconds when known."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class ChannelGone(SendError):
    """The channel no longer exists or the bot can no longer post there: disable its subscriptions."""


@dataclass(frozen=True)
class ChannelRef:
    """A channel on one platform: (platform, workspace or guild, channel id)."""

    platform: str
    workspace: str
    channel: str

    def key(self) -> str:
        return f"{self.platform}:{self.workspace}:{self.channel}"


class Transport(Protocol):
    """Posts a Reply to a channel. ``idempotency_key`` is stable across retries of one delivery,
    so a platform that supports it (Discord's nonce) can drop a duplicate."""

    platform: str

    async def send(self, channel: ChannelRef, reply: Reply, *, idempotency_key: str) -> str:
        """Post and return the platform's message id; raise TransientSendError or ChannelGone."""
        ...
