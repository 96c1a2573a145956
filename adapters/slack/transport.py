"""Posts reminders, digests and change alerts to Slack with chat.postMessage, paced per channel.

Exactly once when the network lies: a post whose answer is lost (a reset, a timeout, a 5xx)
may or may not have been accepted, so it is never retried blindly. slack_sdk's default
connection-error retry is kept only for methods that change nothing; every post carries the
delivery's idempotency key in its message ``metadata``, and before a delivery is attempted
again :meth:`SlackTransport.find_delivered` looks for that key in the channel's recent
history (``conversations.history`` with ``include_all_metadata``).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections import OrderedDict
from datetime import datetime
from typing import Awaitable, Callable, Optional

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import render_reply
from bot.reply import Reply
from bot.transport import ChannelGone, ChannelRef, SendError, TransientSendError

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]

# chat.postMessage errors meaning the bot can no longer post to that channel.
GONE_ERRORS = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
MIN_INTERVAL = 1.0  # seconds between two posts to one channel (Slack's per-channel rate)
MAX_INLINE_WAIT = 20.0  # a longer Retry-After is left to the delivery layer's backoff
# Web API methods that post: a lost answer leaves it unknown whether they took effect.
POSTING_METHODS = frozenset({"chat.postMessage", "chat.postEphemeral", "chat.update", "chat.scheduleMessage"})
METADATA_EVENT = "summitbot_delivery"  # message metadata event_type carrying a delivery's key
HISTORY_PAGE = 200  # messages per conversations.history page
HISTORY_PAGES = 10  # at most this many pages looked through for one delivery


def retry_after_of(headers) -> float | None:
    """The Retry-After header in seconds, when present and numeric."""
    for key, value in (headers or {}).items():
        if key.lower() == "retry-after":
            raw = value[0] if isinstance(value, (list, tuple)) else value
            try:
                return max(float(raw), 0.0)
            except (TypeError, ValueError):
                return None
    return None


def api_error(exc: SlackApiError) -> str:
    """The ``error`` code of Slack's answer; '' when the answer was not Slack's JSON (a proxy's HTML page)."""
    data = getattr(exc.response, "data", None)
    return str(data.get("error") or "") if isinstance(data, dict) else ""


def api_status(exc: SlackApiError) -> int | None:
    """The HTTP status of the answer (slack_sdk gives a SlackResponse, or aiohttp's response for a non-JSON body)."""
    response = exc.response
    return getattr(response, "status_code", None) or getattr(response, "status", None)


class RateLimitRetry(AsyncRateLimitErrorRetryHandler):
    """slack_sdk's 429 handler, honouring Retry-After with an injectable sleep.

    Waits of at most ``max_wait`` seconds are slept here and the call is retried (once by
    default); a longer Retry-After is not retried in-process: the 429 surfaces as a
    TransientSendError carrying ``retry_after`` so the delivery layer reschedules it.
    """

    def __init__(self, max_retry_count: int = 1, *, sleep: Sleep | None = None, max_wait: float = MAX_INLINE_WAIT):
        super().__init__(max_retry_count=max_retry_count)
        self.sleep = sleep or asyncio.sleep
        self.max_wait = max_wait

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: Optional[HttpResponse] = None, error: Optional[Exception] = None) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = retry_after_of(response.headers)
        return wait is None or wait <= self.max_wait

    async def prepare_for_next_attempt_async(self, *, state: RetryState, request: HttpRequest,
                                             response: Optional[HttpResponse] = None,
                                             error: Optional[Exception] = None) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        wait = retry_after_of(response.headers)
        duration = (1.0 if wait is None else wait) + random.random() * 0.25  # jitter, as slack_sdk does
        log.info("Slack rate limit on %s: retrying in %.1fs", request.url, duration)
        await self.sleep(duration)
        state.increment_current_attempt()


def api_method(url: str) -> str:
    """'https://slack.com/api/chat.postMessage?x=1' -> 'chat.postMessage'."""
    return url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]


class ReadOnlyConnectionRetry(AsyncConnectionErrorRetryHandler):
    """slack_sdk's connection-error retry (what AsyncWebClient installs by default), except for posts.

    A reset after chat.postMessage was sent may come after Slack accepted it: retrying at once
    is how a reminder arrives twice. Posts surface the error; the delivery layer checks the
    channel's history for the message before it tries again.
    """

    async def _can_retry_async(self, *, state: RetryState, request: HttpRequest,
                               response: Optional[HttpResponse] = None, error: Optional[Exception] = None) -> bool:
        if api_method(request.url) in POSTING_METHODS:
            return False
        return await super()._can_retry_async(state=state, request=request, response=response, error=error)


def retry_handlers(sleep: Sleep | None = None) -> list[AsyncRetryHandler]:
    """The Web API client's retry handlers: connection errors for read-only calls only, 429 with Retry-After."""
    return [ReadOnlyConnectionRetry(), RateLimitRetry(sleep=sleep)]


class ChannelPacer:
    """At least ``interval`` seconds between two posts to one channel; other channels do not wait."""

    def __init__(self, interval: float = MIN_INTERVAL, *, monotonic: Monotonic | None = None,
                 sleep: Sleep | None = None, remember: int = 10_000):
        self.interval = interval
        self.monotonic = monotonic or time.monotonic
        self.sleep = sleep or asyncio.sleep
        self._last: OrderedDict[str, float] = OrderedDict()
        self._locks: dict[str, asyncio.Lock] = {}
        self._remember = remember

    def lock(self, key: str) -> asyncio.Lock:
        """One lock per channel, so concurrent posts to it queue up (and parts of a message stay in order)."""
        return self._locks.setdefault(key, asyncio.Lock())

    async def wait(self, key: str) -> None:
        """Sleep until this channel may be posted to again (call with its lock held)."""
        last = self._last.get(key)
        if last is not None:
            remaining = last + self.interval - self.monotonic()
            if remaining > 0:
                await self.sleep(remaining)

    def posted(self, key: str) -> None:
        self._last[key] = self.monotonic()
        self._last.move_to_end(key)
        while len(self._last) > self._remember:
            old, _ = self._last.popitem(last=False)
            lock = self._locks.get(old)
            if lock is not None and not lock.locked():
                del self._locks[old]


class SlackTransport:
    """A Transport posting Replies as Block Kit with chat.postMessage and the bot token."""

    platform = "slack"

    def __init__(self, client: AsyncWebClient, *, pacer: ChannelPacer | None = None):
        self.client = client
        self.pacer = pacer or ChannelPacer()
        # idempotency key -> (first ts, parts already posted): a retry resumes after the last posted part.
        self._progress: OrderedDict[str, tuple[str, int]] = OrderedDict()

    async def send(self, channel: ChannelRef, reply: Reply, *, idempotency_key: str) -> str:
        """Post the reply (several messages when long) and return the first message's ts."""
        if channel.platform != self.platform:
            raise SendError(f"not a Slack channel: {channel.key()}")
        messages = render_reply(reply)
        first, done = self._progress.get(idempotency_key, ("", 0))
        key = channel.key()
        async with self.pacer.lock(key):
            for part, message in enumerate(messages):
                if part < done:
                    continue  # posted by an earlier attempt of this delivery
                await self.pacer.wait(key)
                payload = message.payload()
                payload["metadata"] = {"event_type": METADATA_EVENT,
                                       "event_payload": {"delivery_id": idempotency_key, "part": part}}
                try:
                    ts = await self._post(channel, payload)
                finally:
                    self.pacer.posted(key)  # a refused post counts against Slack's per-channel rate too
                first = first or ts
                self._remember(idempotency_key, first, part + 1)
        self._progress.pop(idempotency_key, None)
        return first

    async def find_delivered(self, channel: ChannelRef, reply: Reply, *, idempotency_key: str,
                             since: datetime | None = None) -> str | None:
        """The first message's ts if every part of this delivery is already in the channel, else None.

        Parts found are remembered, so the next :meth:`send` posts only the rest. Raises
        TransientSendError when the history cannot be read (the delivery is retried later).
        """
        found = await self._posted_parts(channel, idempotency_key, since)
        done = 0
        while done in found:
            done += 1
        if done:
            self._remember(idempotency_key, found[0], done)
        return found[0] if done >= len(render_reply(reply)) else None

    async def _posted_parts(self, channel: ChannelRef, idempotency_key: str,
                            since: datetime | None) -> dict[int, str]:
        """{part: ts} of this delivery's messages in the channel's history since ``since``."""
        where = f"channel {channel.channel}"
        found: dict[int, str] = {}
        cursor: str | None = None
        oldest = f"{since.timestamp() - 600:.6f}" if since is not None else None  # ten minutes of clock skew
        for _ in range(HISTORY_PAGES):
            try:
                page = await self.client.conversations_history(
                    channel=channel.channel, include_all_metadata=True, limit=HISTORY_PAGE, oldest=oldest,
                    cursor=cursor)
            except SlackApiError as exc:
                error = api_error(exc)
                if error in GONE_ERRORS:
                    raise ChannelGone(f"{where}: {error}") from exc
                retry_after = retry_after_of(getattr(exc.response, "headers", None))
                raise TransientSendError(f"{where}: cannot check the history for a message that may have been "
                                         f"posted: {error or 'error'}", retry_after=retry_after) from exc
            except (SlackClientError, aiohttp.ClientError, OSError, asyncio.TimeoutError, ValueError) as exc:
                raise TransientSendError(f"{where}: cannot check the history: {type(exc).__name__}: {exc}") from exc
            for message in page.get("messages") or []:
                meta = message.get("metadata") or {}
                data = meta.get("event_payload") or {}
                if meta.get("event_type") == METADATA_EVENT and data.get("delivery_id") == idempotency_key:
                    try:
                        found.setdefault(int(data.get("part") or 0), str(message.get("ts") or ""))
                    except (TypeError, ValueError):
                        continue
            cursor = ((page.get("response_metadata") or {}).get("next_cursor") or None) if page.get("has_more") \
                else None
            if not cursor:
                break
        return found

    def _remember(self, idempotency_key: str, first: str, done: int) -> None:
        self._progress[idempotency_key] = (first, done)
        self._progress.move_to_end(idempotency_key)
        while len(self._progress) > 1000:
            self._progress.popitem(last=False)

    async def _post(self, channel: ChannelRef, payload: dict) -> str:
        """One chat.postMessage, with Slack's errors mapped onto ChannelGone / TransientSendError."""
        where = f"channel {channel.channel}"
        try:
            response = await self.client.chat_postMessage(
                channel=channel.channel, unfurl_links=False, unfurl_media=False, **payload)
        except SlackApiError as exc:
            error = api_error(exc)
            if error in GONE_ERRORS:
                raise ChannelGone(f"{where}: {error}") from exc
            status = api_status(exc)
            retry_after = retry_after_of(getattr(exc.response, "headers", None))
            raise TransientSendError(f"{where}: {error or 'error'} (HTTP {status})", retry_after=retry_after) from exc
        except (SlackClientError, aiohttp.ClientError, OSError, asyncio.TimeoutError, ValueError) as exc:
            # ValueError: an answer that is not JSON; the post may have been taken, so it is not known.
            raise TransientSendError(f"{where}: {type(exc).__name__}: {exc}") from exc
        return str(response.get("ts") or "")
