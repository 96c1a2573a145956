"""What an incremental planning pass looks at: the meetings and channels changed since the last pass.

Triggers (schema migration m021) append to ``plan_log`` whenever a meeting's dates, time, kind,
certainty, status, places or participants change, or a channel's settings or subscriptions do. A pass
reads the rows past its watermark (``plan_seq``) and remembers the last start date its horizon covered
(``plan_last``); the next pass plans again only the logged meetings, the meetings whose start has come
into the horizon since, and every meeting for the logged channels. Without a watermark (a new database,
or one from before the log) or when the horizon shrank (a long lead time removed), the pass is a full one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.delivery.ledger import PlanResult, get_state, set_state
from bot.delivery.writes import Batch, write_in_slices
from bot.store import Store

PLAN_SEQ, PLAN_LAST = "plan_seq", "plan_last"
CHUNK = 500  # ids per IN (...) list
LOG_IN_PLACE = 50000  # log rows deleted in the watermark's transaction (about 8 ms: 363,000 took 37 + 22 ms to commit)
LOG_STEP = 20  # log rows per DELETE statement of drop_log


@dataclass
class Scope:
    """The part of the plan a pass recomputes; ``full`` is everything."""

    full: bool
    seq: int  # the last plan_log row this pass accounts for
    last: str  # the last start date (ISO) its horizon covers
    meetings: set[int] = field(default_factory=set)  # changed meetings, planned for every channel
    channels: set[int] = field(default_factory=set)  # changed channels, planned for every meeting
    entering: tuple[str, str] | None = None  # (after, upto]: start dates that came into the horizon


def log_position(store: Store) -> int:
    """The plan log's last sequence number ever given (AUTOINCREMENT's counter: it survives the log emptied)."""
    row = store.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'plan_log'").fetchone()
    return int(row[0]) if row else 0


def plan_scope(store: Store, last: str, *, full: bool) -> Scope:
    """The scope of a pass whose horizon ends at ``last``: everything, or what changed since the watermark."""
    seq = log_position(store)
    mark, previous = get_state(store, PLAN_SEQ), get_state(store, PLAN_LAST)
    if full or mark is None or previous is None or last < previous:
        return Scope(full=True, seq=seq, last=last)
    scope = Scope(full=False, seq=seq, last=last, entering=(previous, last) if last > previous else None)
    for meeting_id, channel_id in store.db.execute(
            "SELECT meeting_id, channel_id FROM plan_log WHERE seq > ? AND seq <= ?", [int(mark), seq]):
        if meeting_id is not None:
            scope.meetings.add(meeting_id)
        if channel_id is not None:
            scope.channels.add(channel_id)
    return scope


def record_scope(store: Store, scope: Scope) -> None:
    """Inside the pass's last transaction: move the watermark, and drop the log rows it accounted for when
    they are few (:func:`drop_log` drops many, after this transaction).

    Never backwards: a pass whose watermark a newer pass moved past it (the log rows between are deleted)
    leaves it, and the newer pass's horizon, as they are."""
    mark = get_state(store, PLAN_SEQ)
    if mark is not None and int(mark) > scope.seq:
        return
    set_state(store, PLAN_SEQ, str(scope.seq))
    set_state(store, PLAN_LAST, scope.last)
    first = store.db.execute("SELECT MIN(seq) FROM plan_log").fetchone()[0]
    if first is not None and scope.seq - first < LOG_IN_PLACE:
        store.db.execute("DELETE FROM plan_log WHERE seq <= ?", [scope.seq])


def drop_log(store: Store) -> None:
    """Delete the log rows behind the watermark in short transactions, after a pause.

    A first plan's log holds a row for every meeting ever stored: deleting bench_planning's 363,022 in the
    watermark's transaction held the write lock for about 60 ms (37 ms, and 22 ms to commit). Rows behind the watermark are never read
    again (a pass reads past it), so they can go after it moved, in slices; rows left by a pass that was
    stopped meanwhile go with the next pass's."""
    mark = get_state(store, PLAN_SEQ)
    first = store.db.execute("SELECT MIN(seq) FROM plan_log").fetchone()[0]
    if mark is None or first is None or first > int(mark):
        return
    ranges = [(lo, min(lo + LOG_STEP, int(mark))) for lo in range(first - 1, int(mark), LOG_STEP)]
    write_in_slices(store, [Batch("DELETE FROM plan_log WHERE seq > ? AND seq <= ?", ranges)], PlanResult(),
                    pause_first=True)


def chunks(ids, size: int = CHUNK):
    """Sorted ``ids`` in lists short enough for one IN (...)."""
    ordered = sorted(ids)
    for i in range(0, len(ordered), size):
        yield ordered[i:i + size]
