"""Posts reminders, digests and change alerts to Discord channels through the REST API."""

from __future__ import annotations

import asyncio
import hashlib
import logging

import aiohttp
import discord

from adapters.discord.render import render_reply
from bot.reply import Reply
from bot.transport import ChannelGone, ChannelRef, SendError, TransientSendError

log = logging.getLogger(__name__)

NONCE_LENGTH = 25  # Discord accepts string nonces of up to 25 characters


def delivery_nonce(idempotency_key: str, part: int = 0) -> str:
    """A stable nonce for one message of one delivery, so Discord drops a retried duplicate."""
    return hashlib.sha256(f"{idempotency_key}#{part}".encode("utf-8")).hexdigest()[:NONCE_LENGTH]


def _retry_after(exc: discord.HTTPException) -> float | None:
    raw = getattr(exc.response, "headers", {}).get("Retry-After")
    try:
        return float(raw) if raw is not None else None
    except ValueError:
        return None


class DiscordTransport:
    """A Transport posting with the bot token (never an interaction token), one nonce per message."""

    platform = "discord"

    def __init__(self, client: discord.Client):
        self.client = client

    async def send(self, channel: ChannelRef, reply: Reply, *, idempotency_key: str) -> str:
        """Post the reply (several messages when long) and return the first message's id."""
        if channel.platform != self.platform:
            raise SendError(f"not a Discord channel: {channel.key()}")
        try:
            channel_id = int(channel.channel)
        except ValueError:
            raise ChannelGone(f"not a Discord channel id: {channel.channel!r}") from None
        if self.client.is_closed() or self.client.user is None:
            raise TransientSendError("the Discord client is not logged in")
        guild_id = int(channel.workspace) if channel.workspace.isdigit() else None
        target = self.client.get_partial_messageable(channel_id, guild_id=guild_id)
        first: str | None = None
        for part, embeds in enumerate(render_reply(reply)):
            message = await self._post(target, embeds, delivery_nonce(idempotency_key, part))
            first = first or str(message.id)
        assert first is not None
        return first

    async def _post(self, target: discord.PartialMessageable, embeds: list[discord.Embed],
                    nonce: str) -> discord.Message:
        """One message, with its errors mapped onto ChannelGone / TransientSendError / SendError."""
        where = f"channel {target.id}"
        try:
            # discord.py sends enforce_nonce: true with every nonce.
            return await target.send(embeds=embeds, nonce=nonce, allowed_mentions=discord.AllowedMentions.none())
        except (discord.Forbidden, discord.NotFound) as exc:
            raise ChannelGone(f"{where}: {exc.status} {exc.text or exc}") from exc
        except discord.RateLimited as exc:
            raise TransientSendError(f"{where}: rate limited", retry_after=exc.retry_after) from exc
        except discord.HTTPException as exc:
            if exc.status == 429:
                raise TransientSendError(f"{where}: rate limited", retry_after=_retry_after(exc)) from exc
            if exc.status >= 500:
                raise TransientSendError(f"{where}: Discord returned {exc.status}") from exc
            raise SendError(f"{where}: {exc.status} {exc.text or exc}") from exc
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as exc:
            raise TransientSendError(f"{where}: {type(exc).__name__}: {exc}") from exc
