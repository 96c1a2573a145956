"""Who may change a channel's settings on Slack: workspace admins and owners, or ids listed in the config."""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Callable, Iterable

from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.transport import api_error, api_status

log = logging.getLogger(__name__)

CACHE_SECONDS = 300.0  # a demoted admin keeps their rights for at most this long


class AdminCheck:
    """``is_admin(team, user)``: listed in settings.slack_admins, or users.info says admin/owner (cached briefly)."""

    def __init__(self, client: AsyncWebClient, listed: Iterable[str] = (), *, ttl: float = CACHE_SECONDS,
                 monotonic: Callable[[], float] | None = None):
        self.client = client
        self.listed = frozenset(str(u) for u in listed)
        self.ttl = ttl
        self.monotonic = monotonic or time.monotonic
        self._cache: dict[tuple[str, str], tuple[bool, float]] = {}

    async def is_admin(self, team: str, user: str) -> bool:
        """True for a listed id or a workspace admin/owner; False (logged) when Slack cannot tell us."""
        if user in self.listed:
            return True
        now = self.monotonic()
        cached = self._cache.get((team, user))
        if cached is not None and cached[1] > now:
            return cached[0]
        try:
            info = await self.client.users_info(user=user)
        except SlackApiError as exc:  # not cached: the next command asks again
            log.warning("users.info for %s failed (%s): treating them as a non-admin", user,
                        api_error(exc) or f"HTTP {api_status(exc)}, not Slack's JSON")
            return False
        except (SlackClientError, OSError, asyncio.TimeoutError, ValueError) as exc:  # ValueError: garbled JSON
            log.warning("users.info for %s failed (%s): treating them as a non-admin", user, exc)
            return False
        if not isinstance(info.data, dict):
            log.warning("users.info for %s answered something other than JSON: treating them as a non-admin", user)
            return False
        member = info.get("user") or {}
        admin = bool(member.get("is_admin") or member.get("is_owner") or member.get("is_primary_owner"))
        if len(self._cache) > 5000:
            self._cache = {k: v for k, v in self._cache.items() if v[1] > now}
        self._cache[(team, user)] = (admin, now + self.ttl)
        return admin
