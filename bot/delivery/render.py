"""What a due message says: the Reply for each delivery row (reminder, digest, change alert, notice)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.config import Settings
from bot.delivery.ledger import DIGEST, KIND_WORDS, NOTICE, REMINDER, Delivery
from bot.digest import EVENT_TITLES, digest_reply
from bot.format import format_day, format_when, old_to_new, one_line
from bot.models import MeetingRecord
from bot.reply import Reply
from bot.store import Store
from bot.subscriptions import Channel, Subscription, channels, subscriptions

log = logging.getLogger(__name__)

EMPTY_DIGEST = "empty digest: no summits ahead and no changes since the last one"


def _when_phrase(delta: timedelta) -> str:
    hours = round(delta.total_seconds() / 3600)
    if hours < 1:
        return "within the hour"
    if hours < 48 and hours % 24:
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    days = round(hours / 24)
    return "tomorrow" if days == 1 else f"in {days} days"


def reminder_reply(rec: MeetingRecord, channel: Channel, due: datetime) -> Reply:
    """'Reminder: APEC summit starts in 3 days: 31 Oct – 1 Nov 2025, Gyeongju.' with the meeting attached."""
    # The title and the place come from articles: they go in `quoted`, for each renderer to escape.
    zone = channel.zone
    instant = rec.start_instant(zone)
    if instant is not None:
        local = instant.astimezone(zone)
        when = _when_phrase(instant - due)
        dates = f"{local:%a} {local.day} {local:%b %H:%M} {channel.tz} time"
        if rec.is_span():
            dates += f" (until {format_day(rec.end)})"  # type: ignore[arg-type]
    else:
        # A date is a calendar date, never an instant: no zone can move it to the day before.
        days = (rec.start - due.astimezone(zone).date()).days if rec.start else 0
        when = "today" if days <= 0 else "tomorrow" if days == 1 else f"in {days} days"
        dates = format_when(rec)
    quoted = [rec.title]
    text = f"Reminder: {{0}} starts {when}: {dates}"
    if rec.location:
        quoted.append(rec.location)
        text += ", {1}"
    return Reply(kind="meetings", text=text + ".", meetings=[rec], tz=channel.tz, quoted=tuple(quoted))


def change_reply(store: Store, rec: MeetingRecord, channel: Channel, data: dict) -> Reply:
    """An alert: what happened to the summit, the old and new values and the source that said so."""
    events = data.get("events") or []
    text = " · ".join(EVENT_TITLES.get(e, e) for e in events) + ":"
    rows: list[tuple[str, str]] = []
    links: list[tuple[str, str]] = []
    ids = [int(i) for i in data.get("changes") or []]
    if ids:
        found = store.db.execute(
            f"""SELECT c.field, c.old, c.new, c.sentence, a.title, a.url FROM changes c
                LEFT JOIN articles a ON a.id = c.article_id WHERE c.id IN ({','.join('?' * len(ids))})
                ORDER BY c.id""", ids).fetchall()
        quotes: list[tuple[str, str]] = []
        for fld, old, new, sentence, title, url in found:
            if fld != "created":
                rows.append((fld, old_to_new(old, new)))
            if (title or url) and (title or "", url or "") not in links:
                links.append((title or "", url or ""))
            if sentence and ("quote", sentence) not in quotes:
                quotes.append(("quote", sentence))
        rows.extend(quotes)
    # Row values and links come from articles; each renderer escapes them and builds the links itself.
    return Reply(kind="meetings", text=text, meetings=[rec], rows=rows, tz=channel.tz, links=links)


def failure_notice(data: dict) -> Reply:
    """What a channel is told when one of its deliveries failed for good."""
    what = KIND_WORDS.get(str(data.get("kind")), "message")
    failed = data.get("failed")
    return Reply(kind="error", text=(
        f"A {what} for this channel could not be posted, even after retrying. An admin can send it again "
        f"with `summitbot deliveries --resend {failed}` (`summitbot deliveries --failed` lists them)."),
        rows=[("error", str(data.get("error") or "unknown"))])


def plain_text(reply: Reply) -> str:
    """A Reply as plain text without any adapter (for previews and logs)."""
    text = reply.render_text(str, str)
    lines = [text] if text else []
    lines += ["  " + " ".join(one_line(m).split()) for m in reply.meetings]
    lines += [f"  {label}: {' '.join(str(value).split())}" for label, value in reply.rows]
    lines += [f"  source: {' '.join(x for x in (title, url) if x)}" for title, url in reply.links]
    return "\n".join(lines)


class Composer:
    """Builds the Reply for a delivery row, with meetings, channels and subscriptions loaded once."""

    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        self._meetings: dict[int, MeetingRecord | None] = {}
        self._channels: dict[int, Channel] = {c.id: c for c in channels(store, active_only=False)}
        self._subs: dict[int, list[Subscription]] | None = None

    def preload(self, meeting_ids: list[int]) -> None:
        todo = sorted({m for m in meeting_ids if m and m not in self._meetings})
        for i in range(0, len(todo), 500):
            chunk = todo[i:i + 500]
            found = {r.id: r for r in self.store.meetings(f"id IN ({','.join('?' * len(chunk))})", chunk, order="id")}
            for mid in chunk:
                self._meetings[mid] = found.get(mid)

    def channel(self, channel_id: int) -> Channel | None:
        return self._channels.get(channel_id)

    def meeting(self, meeting_id: int) -> MeetingRecord | None:
        if meeting_id not in self._meetings:
            self.preload([meeting_id])
        return self._meetings.get(meeting_id)

    def subscriptions_of(self, channel_id: int) -> list[Subscription]:
        if self._subs is None:
            self._subs = {}
            for sub in subscriptions(self.store):
                self._subs.setdefault(sub.channel_id, []).append(sub)
        return self._subs.get(channel_id, [])

    def compose(self, d: Delivery) -> tuple[Reply | None, dict, str | None]:
        """(reply, extra facts to keep, reason to withdraw instead)."""
        ch = self.channel(d.channel_id)
        if ch is None:
            return None, {}, "channel unknown"
        if d.kind == DIGEST:
            reply, upto = digest_reply(self.store, self.settings, ch, self.subscriptions_of(ch.id), d.due_at)
            if not reply.meetings and not reply.rows:  # nobody wants "0 summits, no changes" every morning
                return None, {"upto": upto}, EMPTY_DIGEST
            return reply, {"upto": upto}, None
        if d.kind == NOTICE:
            return failure_notice(d.payload), {}, None
        rec = self.meeting(d.meeting_id)
        if rec is None:
            return None, {}, "meeting no longer exists"
        if d.kind == REMINDER:
            if rec.status != "upcoming" or not rec.is_dated_to_the_day():
                return None, {}, f"meeting is {rec.status}"
            return reminder_reply(rec, ch, d.due_at), {}, None
        return change_reply(self.store, rec, ch, d.payload), {}, None
