"""Deliveries: planning due messages, the ledger of rows, the lease, the send loop and previews.

Every message the bot will post (a reminder, a digest, a change alert) is first a row in
``deliveries``, unique by (channel, meeting, kind, due, ref). Planning computes the rows
that should exist and reconciles them with the table in short transactions (every write can be
repeated; the watermarks move last, so an interrupted pass is done again); sending claims
one row at a time under a lease, so two processes on one database never send the same
row, and a restart finds every row that was due.

Crash and failure semantics: a row is claimed (pending -> sending) in its own transaction
before the platform call and marked sent in the next one. Any attempt whose outcome is not
known for sure (a timeout, a reset connection, a 5xx, a sender that died between claim and
mark) may have reached the platform, so the row's next attempt first asks the platform
whether the message is there: on Slack every post carries the delivery's idempotency key in
its message metadata and the channel's history is searched for it (``find_delivered``); on
Discord the same nonce with ``enforce_nonce`` makes the platform drop a repeat. A row found
in flight is re-queued (never silently dropped) and counts as an attempt; after
``max_attempts`` it is marked failed, logged, and the channel is told with a notice that
names ``summitbot deliveries --resend ID``. A SQLite lock held past the busy timeout ends the
tick early, never the scheduler: an outcome that could not be recorded is kept in memory and
recorded first thing next tick, so a sent message is never taken for one in flight.

Where each part lives: ``ledger`` (the rows, their states, transactions), ``lease`` (one sender per
database), ``planning`` (what is due), ``render`` (what a due message says), ``sending`` (claim, check,
post, record) and ``preview`` (the plan for a window, rolled back).
"""

from bot.delivery.lease import LeaseState, acquire_lease, default_owner, lease_holder, release_lease
from bot.delivery.ledger import (
    CHANGE,
    DIGEST,
    NOTICE,
    REMINDER,
    Delivery,
    DeliveryError,
    PlanResult,
    TickResult,
    due_rows,
    failed_deliveries,
    idempotency_key,
    immediate,
    open_delivery_store,
    resend,
)
from bot.delivery.planning import digest_times, plan_deliveries, reminder_due
from bot.delivery.preview import PlannedMessage, preview
from bot.delivery.render import Composer, change_reply, failure_notice, plain_text, reminder_reply
from bot.delivery.sending import CallbackTransport, run_tick, send_due

__all__ = [
    "CHANGE", "DIGEST", "NOTICE", "REMINDER", "CallbackTransport", "Composer", "Delivery", "DeliveryError",
    "LeaseState", "PlanResult", "PlannedMessage", "TickResult", "acquire_lease", "change_reply",
    "default_owner", "digest_times", "due_rows", "failed_deliveries", "failure_notice", "idempotency_key",
    "immediate", "lease_holder", "open_delivery_store", "plain_text", "plan_deliveries", "preview",
    "reminder_due", "reminder_reply", "release_lease", "resend", "run_tick", "send_due",
]
