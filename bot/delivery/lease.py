"""The sending lease: one scheduler per database sends, whichever process holds it."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.delivery.ledger import LEASE_NAME, immediate
from bot.store import Store
from bot.subscriptions import iso_utc

log = logging.getLogger(__name__)


@dataclass
class LeaseState:
    held: bool
    fresh: bool = False  # newly acquired (not a renewal): in-flight rows of a dead owner are ours to recover
    holder: str | None = None
    expires: str | None = None


def default_owner() -> str:
    """A sender id unique to this process: host, pid and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def acquire_lease(store: Store, owner: str, now: datetime, seconds: float) -> LeaseState:
    """Take or renew the sending lease unless another live owner holds it (BEGIN IMMEDIATE)."""
    now_iso = iso_utc(now)
    with immediate(store):
        row = store.db.execute("SELECT owner, expires FROM leases WHERE name = ?", [LEASE_NAME]).fetchone()
        if row and row[0] != owner and (row[1] or "") > now_iso:
            return LeaseState(held=False, holder=row[0], expires=row[1])
        fresh = not (row and row[0] == owner and (row[1] or "") > now_iso)
        expires = iso_utc(now + timedelta(seconds=seconds))
        store.db.execute(
            """INSERT INTO leases (name, owner, expires, acquired) VALUES (?, ?, ?, ?)
               ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires,
                   acquired = CASE WHEN leases.owner = excluded.owner THEN leases.acquired ELSE excluded.acquired END""",
            [LEASE_NAME, owner, expires, now_iso])
    if fresh and row and row[0] != owner:
        log.info("sending lease taken over by %s from %s (expired %s)", owner, row[0], row[1])
    return LeaseState(held=True, fresh=fresh, holder=owner, expires=expires)


def release_lease(store: Store, owner: str) -> None:
    """Give the lease up so another process can send at once (clean shutdown)."""
    with immediate(store):
        store.db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", [LEASE_NAME, owner])


def lease_holder(store: Store) -> tuple[str, str] | None:
    row = store.db.execute("SELECT owner, expires FROM leases WHERE name = ?", [LEASE_NAME]).fetchone()
    return (row[0], row[1]) if row else None
