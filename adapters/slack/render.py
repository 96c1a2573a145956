"""A Reply as Slack Block Kit messages: escaped article text, reader-local date tokens, split to fit Slack's limits.

Pure functions of their arguments (no client, no network), unit-tested directly. Every string
that reaches Slack goes through :func:`escape` (``&``, ``<``, ``>``), so nothing an article says
can become ``<!channel>``, ``<@U…>`` or a disguised ``<http://evil|bank>`` link; the only ``<…>``
constructs in a message are the date tokens and source links built here, and a link's text names
its host. Article text also loses its mrkdwn (:func:`inert`): Slack has no escape for ``*``, ``_``,
``~`` and `````, so they become look-alikes that format nothing. ``Reply.text`` is summitbot's own
wording but can echo what a user typed, so it is escaped too (its backticks and ``*bold*`` still
work). Text objects are ``verbatim`` so Slack does not auto-link or auto-mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from bot.format import (
    change_stamp,
    change_text,
    format_when,
    kind_label,
    linkable_url,
    one_line,
    single_line,
    status_note,
)
from bot.actions import Action
from bot.models import MeetingRecord, zone_or
from bot.reply import Reply

# Slack's documented limits (https://api.slack.com/reference/block-kit/blocks).
MAX_BLOCKS = 50  # blocks per message
MAX_SECTION_TEXT = 3000  # characters in a section's text object
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK = 3000  # our cap on the top-level `text` (Slack allows 40,000; notifications show the start)
MAX_MESSAGES = 5  # a response_url accepts five messages; deliveries use the same cap

# Caps on one untrusted value before escaping; escaping at most quintuples it ("&" -> "&amp;"),
# so a line built from a few of them always fits a section.
FIELD_CHARS = 200
SENTENCE_CHARS = 400
MAX_URL = 1500  # a longer (escaped) URL is shown as its title only
MAX_BUTTON_URL = 3000  # a link button's url
MAX_BUTTONS = 25  # elements in one actions block
ACTION_ID = "summitbot"  # every button's action_id starts 'summitbot.': the app's action handler matches it

ERROR_PREFIX = ":warning: "


@dataclass
class SlackMessage:
    """One chat message: the notification/fallback text and its blocks."""

    text: str
    blocks: list[dict] = field(default_factory=list)

    def payload(self) -> dict:
        """chat.postMessage / response_url fields (Slack refuses an empty ``blocks`` list)."""
        return {"text": self.text, "blocks": self.blocks} if self.blocks else {"text": self.text}


# -- escaping and links -------------------------------------------------------------------------


def escape(text: object) -> str:
    """Slack's three control characters as entities: no article can open a mention, link or token."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# mrkdwn's formatting characters; "_" only where it can open or close italics (not in "phone_call").
_FORMATTING = re.compile(r"[*~`]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_LOOKALIKES = {"*": "\u2217", "~": "\u223c", "`": "\u02cb", "_": "\u02cd"}  # ∗ ∼ ˋ ˍ


def inert(text: str) -> str:
    """Article text with mrkdwn's bold, italic, strike and code characters replaced by look-alikes."""
    return _FORMATTING.sub(lambda m: _LOOKALIKES[m.group()], text)


def clean(text: object, limit: int = FIELD_CHARS) -> str:
    """Untrusted text on one line, without control characters, clipped to ``limit`` characters."""
    if text is None:
        return ""
    flat = single_line(str(text))
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def safe(text: object, limit: int = FIELD_CHARS) -> str:
    """Untrusted text ready for mrkdwn: cleaned, clipped, formatting made inert, escaped."""
    return escape(inert(clean(text, limit)))


def safe_url(url: str | None) -> str | None:
    """A stored URL fit for a Slack link (http/https with a host), escaped; None when it is not."""
    url = linkable_url(url)
    if url is None or len(url) > 2000:
        return None
    # "|" would end the URL part of <url|label>; percent-encode it along with anything non-ASCII.
    url = escape(quote(url, safe=":/?#[]@!$&'()*+,;=%-._~"))
    return url if len(url) <= MAX_URL else None


def link(url: str | None, label: str | None) -> str:
    """``<url|label (host)>`` built by us from a stored URL, or just the escaped label when the URL is unusable."""
    text = safe(label, 120) or None
    href = safe_url(url)
    if href is None:
        return text or ""
    host = escape(clean(urlsplit(url.strip()).hostname or "link", 120))  # type: ignore[union-attr]
    return f"<{href}|{text} ({host})>" if text else f"<{href}|{host}>"  # the reader sees where it goes


# -- dates ------------------------------------------------------------------------------------------


UTC = ZoneInfo("UTC")


def date_token(moment: datetime, fmt: str, fallback: str) -> str:
    """``<!date^UNIX^{fmt}|fallback>``: Slack shows it in each reader's zone and locale."""
    unix = int(moment.timestamp())
    return f"<!date^{unix}^{fmt}|{escape(fallback.replace('|', '/'))}>"


def slack_when(rec: MeetingRecord, tz: str = "UTC") -> str:
    """A meeting's date: a date token only for an instant (a meeting with a time), else the plain dates; escaped.

    A date-only meeting is a calendar date, not an instant: a token would show readers far enough
    from the channel's zone (UTC-11, UTC+14) the day before or after, so it is written out.
    """
    plain = escape(format_when(rec))
    if rec.start is None or rec.precision not in ("day", "range"):
        return plain
    if rec.end is None or rec.end == rec.start:
        moment = rec.start_instant(zone_or(tz, UTC))
        if moment is not None:
            return date_token(moment, "{date_long} {time}", format_when(rec))
    return plain


# -- blocks -----------------------------------------------------------------------------------------


def mrkdwn(text: str) -> dict:
    """A mrkdwn text object that Slack shows as written (no auto-linking or auto-mentions)."""
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def section(text: str) -> dict:
    return {"type": "section", "text": mrkdwn(text)}


def context(text: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(text)]}


def button(action: Action, index: int) -> dict | None:
    """A Block Kit button: our label as plain text, the payload in ``value`` (or a link's ``url``)."""
    out = {"type": "button", "text": {"type": "plain_text", "text": action.label[:75], "emoji": False}}
    if action.is_link:
        url = linkable_url(action.url)
        if url is None or len(url) > MAX_BUTTON_URL:
            return None
        out.update(url=url, action_id=f"{ACTION_ID}.link.{index}")
    else:
        out.update(value=action.encode(), action_id=f"{ACTION_ID}.{action.verb}.{index}")
    return out


def actions_block(actions: list[Action]) -> dict | None:
    """One actions block with a button per action, or None when there is none to show."""
    elements = [b for b in (button(a, i) for i, a in enumerate(actions)) if b is not None]
    return {"type": "actions", "elements": elements[:MAX_BUTTONS]} if elements else None


def _sections(lines: list[str], heading: str | None = None) -> list[dict]:
    """Lines packed into as few sections as fit MAX_SECTION_TEXT, cutting only between lines."""
    out: list[dict] = []
    current = heading or ""
    for line in lines:
        line = line[:MAX_SECTION_TEXT]  # lines are built from clipped parts; this never cuts in practice
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > MAX_SECTION_TEXT and current:
            out.append(section(current))
            candidate = line
        current = candidate
    if current:
        out.append(section(current))
    return out


def meeting_heading(rec: MeetingRecord) -> str:
    """'*#3 Bilateral meeting:* Donald Trump – Lee Jae-myung'."""
    return f"*#{rec.id} {escape(kind_label(rec.kind))}:* {safe(rec.title)}"


def _facts(rec: MeetingRecord, tz: str) -> list[str]:
    """When · where · certainty (· status), then who when the heading shows a name instead."""
    where = safe(rec.location) or "place not known"
    if rec.alt_locations:
        where += f" _(also reported: {safe(', '.join(rec.alt_locations))})_"
    parts = [slack_when(rec, tz), where, escape(clean(rec.certainty, 40))]
    note = status_note(rec)
    if note:
        parts.append(f"*{escape(note)}*")
    lines = [" · ".join(parts)]
    if rec.name and rec.participants:
        lines.append(f"With {safe(', '.join(rec.participants), 400)}")
    return lines


def sources_line(rec: MeetingRecord, limit: int = 5) -> str:
    """'Sources: <url|title> (outlet), …' for a context block; links only to stored http(s) URLs."""
    text, shown = "Sources:", 0
    for src in rec.sources[:limit]:
        label = link(src.url, src.title or src.outlet or "untitled")
        extra = ", ".join(x for x in (safe(src.outlet, 60), safe((src.published or "")[:10], 10)) if x)
        item = f"{label} ({extra})" if extra else label
        candidate = f"{text} {item}" if not shown else f"{text} · {item}"
        if len(candidate) > MAX_SECTION_TEXT - 40:  # keep room for "· and N more"
            break
        text, shown = candidate, shown + 1
    more = len(rec.sources) - shown
    return text + (f" · and {more} more" if more > 0 else "")


def meeting_blocks(rec: MeetingRecord, tz: str = "UTC") -> list[dict]:
    """One section per meeting (kind, title, date, place, certainty, participants) and a sources context line."""
    blocks = [section("\n".join([meeting_heading(rec), *_facts(rec, tz)]))]
    if rec.sources:
        blocks.append(context(sources_line(rec)))
    return blocks


def detail_blocks(rec: MeetingRecord, tz: str = "UTC") -> list[dict]:
    """One meeting in full: its facts, what each source said, and its history of changes."""
    facts = [meeting_heading(rec), f"*When:* {slack_when(rec, tz)}",
             f"*Where:* {safe(rec.location) or 'not known'}"
             + (f" _(also reported: {safe(', '.join(rec.alt_locations))})_" if rec.alt_locations else ""),
             f"*Who:* {safe(', '.join(rec.participants), 400) or '—'}",
             f"*Certainty:* {escape(clean(rec.certainty, 40))}",
             f"*Status:* {escape(status_note(rec) or clean(rec.status, 40))}"]
    blocks = [section("\n".join(facts))]
    quotes = []
    for src in rec.sources:
        head = link(src.url, src.title or src.outlet or "untitled")
        where = ", ".join(x for x in (safe(src.outlet, 60), safe((src.published or "")[:10], 10)) if x)
        quotes.append(f"• {head}" + (f" ({where})" if where else ""))
        if src.sentence:
            quotes.append(f">“{safe(src.sentence, SENTENCE_CHARS)}”")
    if quotes:
        blocks += _sections(quotes, f"*Sources ({len(rec.sources)})*")
    history = []
    for ch in rec.changes:
        src = f" _({safe(ch.article_title, 120)})_" if ch.article_title else ""
        history.append(f"`{safe(change_stamp(ch.at), 20)}` {change_text(ch.field, ch.old, ch.new, safe)}{src}")
    if history:
        blocks += _sections(history, "*History*")
    return blocks


def row_lines(reply: Reply) -> list[str]:
    """Label/value rows: help as `usage` — summary, anything else as *label:* value (all escaped)."""
    if reply.kind == "help":
        return [f"`{escape(clean(label, 300))}` — {safe(value, 300)}" for label, value in reply.rows]
    return [f"*{safe(label, 60)}:* {safe(value, 500)}" for label, value in reply.rows]


def links_line(reply: Reply) -> str:
    """'Source: <url|title (host)> · …' for the reply's source links (alerts)."""
    items = [link(url, title or None) for title, url in reply.links[:5]]
    items = [item for item in items if item]
    return ("Source: " if len(items) == 1 else "Sources: ") + " · ".join(items) if items else ""


# -- whole replies ----------------------------------------------------------------------------------


def _lead_text(reply: Reply) -> str:
    text = reply.render_text(escape, safe).strip()
    if reply.kind == "error" and text:
        text = ERROR_PREFIX + text
    return text


def fallback_text(reply: Reply, meetings: list[MeetingRecord], first: bool = True) -> str:
    """The top-level `text`: notifications and screen readers; never empty, at most MAX_FALLBACK."""
    lines = [_lead_text(reply)] if first and reply.text.strip() else []  # noqa: the lead is escaped
    if not first:
        lines.append("(continued)")
    lines += [safe(one_line(m), 500) for m in meetings]
    text = "\n".join(x for x in lines if x) or "summitbot"
    return text if len(text) <= MAX_FALLBACK else text[: MAX_FALLBACK - 1].rsplit("\n", 1)[0] + "\n…"


def _units(reply: Reply, omit: frozenset[str] = frozenset()) -> list[tuple[list[dict], MeetingRecord | None]]:
    """The reply as groups of blocks that stay together in one message, with the meeting each shows.

    A meeting's buttons follow its blocks; the reply's own (Previous/Next, links) come last. Buttons
    whose verb is in ``omit`` are left out (the App Home has no channel to subscribe).
    """
    units: list[tuple[list[dict], MeetingRecord | None]] = []
    lead = _lead_text(reply)
    if lead:
        units += [([b], None) for b in _sections(lead.split("\n"))]
    for rec in reply.meetings:
        blocks = detail_blocks(rec, reply.tz) if reply.kind == "detail" else meeting_blocks(rec, reply.tz)
        buttons = actions_block([a for a in reply.actions_for(rec) if a.verb not in omit])
        if reply.kind == "detail":
            units += [([b], rec if i == 0 else None) for i, b in enumerate(blocks)]
            if buttons:
                units.append(([buttons], None))
        else:
            units.append((blocks + ([buttons] if buttons else []), rec))
    lines = row_lines(reply)
    if lines:
        if reply.meetings:
            units.append(([{"type": "divider"}], None))
        units += [([b], None) for b in _sections(lines)]
    sources = links_line(reply)
    if sources:
        units.append(([context(sources)], None))
    own = actions_block([a for a in reply.actions if a.verb not in omit])
    if own:
        units.append(([own], None))
    return units


def render_reply(reply: Reply, max_messages: int = MAX_MESSAGES, *,
                 omit: frozenset[str] = frozenset()) -> list[SlackMessage]:
    """The reply as one or more messages of at most MAX_BLOCKS blocks; past ``max_messages``, a count of the rest."""
    units = _units(reply, omit)
    messages: list[list[tuple[list[dict], MeetingRecord | None]]] = [[]]
    rest: list[tuple[list[dict], MeetingRecord | None]] = []
    for i, unit in enumerate(units):
        size = sum(len(b) for b, _ in messages[-1])
        if messages[-1] and size + len(unit[0]) > MAX_BLOCKS:
            if len(messages) >= max_messages:
                rest = units[i:]
                break
            messages.append([])
        messages[-1].append(unit)
    if rest:
        last = messages[-1]
        while last and sum(len(b) for b, _ in last) + 1 > MAX_BLOCKS:
            rest.insert(0, last.pop())  # make room for the note
        hidden = len({rec.id for _, rec in rest if rec is not None})
        note = (f"…and {hidden} more not shown. Narrow the list with `days:` or `who:`." if hidden
                else "…and more not shown.")
        last.append(([context(note)], None))
    out = []
    for i, message in enumerate(messages):
        blocks = [b for unit_blocks, _ in message for b in unit_blocks]
        recs = [rec for _, rec in message if rec is not None]
        if blocks:
            out.append(SlackMessage(text=fallback_text(reply, recs, first=not out), blocks=blocks))
    return out or [SlackMessage(text=fallback_text(reply, []))]
