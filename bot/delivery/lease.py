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
    generation: int = 0  # the lease's generation while held: the fence of the passes planned under it


class LeaseLost(Exception):
    """A planning pass's lease was taken over (or given up) while it wrote: it stops, writing nothing more."""


@dataclass(frozen=True)
class Fence:
    """What a planning pass holds: the lease of ``owner`` in ``generation``; each of its write transactions checks
    it and renews the lease for ``seconds`` (see :func:`hold`)."""

    owner: str
    generation: int
    seconds: float


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
        # A fresh acquisition starts a new generation: a pass planned under an older one is fenced off.
        store.db.execute(
            """INSERT INTO leases (name, owner, expires, acquired, generation) VALUES (?, ?, ?, ?, 1)
               ON CONFLICT(name) DO UPDATE SET owner = excluded.owner, expires = excluded.expires,
                   acquired = CASE WHEN leases.owner = excluded.owner THEN leases.acquired ELSE excluded.acquired END,
                   generation = leases.generation + ?""",
            [LEASE_NAME, owner, expires, now_iso, int(fresh)])
        generation = store.db.execute("SELECT generation FROM leases WHERE name = ?", [LEASE_NAME]).fetchone()[0]
    if fresh and row and row[0] != owner:
        log.info("sending lease taken over by %s from %s (expired %s)", owner, row[0], row[1])
    return LeaseState(held=True, fresh=fresh, holder=owner, expires=expires, generation=generation)


def hold(store: Store, fence: Fence, now: datetime) -> None:
    """Inside a write transaction: raise LeaseLost unless ``fence`` is still the lease's owner and generation; renew it.

    Taking the lease over starts a new generation under the write lock, so a pass that passes this check in a
    transaction writes before any other owner could have taken over, whatever the clocks say. An expired lease
    nobody took is renewed (the same generation: no other pass can have started under it)."""
    row = store.db.execute("SELECT owner, generation, expires FROM leases WHERE name = ?", [LEASE_NAME]).fetchone()
    if not row or row[0] != fence.owner or row[1] != fence.generation:
        raise LeaseLost(f"the lease of {fence.owner} (generation {fence.generation}) is now "
                        + (f"{row[0]}'s (generation {row[1]})" if row else "free"))
    expires = iso_utc(now + timedelta(seconds=fence.seconds))
    if (row[2] or "") < iso_utc(now + timedelta(seconds=fence.seconds / 2)):
        store.db.execute("UPDATE leases SET expires = ? WHERE name = ?", [expires, LEASE_NAME])


def release_lease(store: Store, owner: str) -> None:
    """Give the lease up so another process can send at once (clean shutdown)."""
    with immediate(store):
        store.db.execute("DELETE FROM leases WHERE name = ? AND owner = ?", [LEASE_NAME, owner])


def lease_holder(store: Store) -> tuple[str, str] | None:
    row = store.db.execute("SELECT owner, expires FROM leases WHERE name = ?", [LEASE_NAME]).fetchone()
    return (row[0], row[1]) if row else None
