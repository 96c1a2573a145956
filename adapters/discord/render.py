"""A Reply as Discord embeds: escaped article text, reader-local timestamps, split to fit Discord's limits.

Everything here is a pure function of its arguments (no client, no network), so it is unit-tested
directly. Article-derived fields (titles, names, places, quotes, sources, the values of alert and
digest rows) are untrusted: they are cleaned of control characters, markdown-escaped (masked links
included), their bare URLs broken so Discord does not link them, and mention-neutralised before they
reach an embed; the only links are the source links built here, whose text names the host.
summitbot's own text (``Reply.text``) keeps its markdown but is mention-neutralised too, because it
can echo what a user typed.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import quote, urlsplit

import discord

from bot.format import change_stamp, change_text, format_day, format_when, kind_label, linkable_url, single_line, status_note
from bot.models import MeetingRecord, time_of_day, zone_or
from bot.reply import Reply

# Discord's documented limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits).
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELDS_PER_EMBED = 25
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
CHARS_PER_MESSAGE = 6000  # title + description + field names and values + footer + author, all embeds
EMBEDS_PER_MESSAGE = 10

ZWSP = "\u200b"
COLOURS = {
    "meetings": 0x3B82F6,
    "detail": 0x3B82F6,
    "help": 0x6B7280,
    "message": 0x5865F2,
    "error": 0xED4245,
}

_EVERYONE_HERE = re.compile(r"@(?=everyone|here)", re.IGNORECASE)  # "@everyone0" pings too
_TAG_MENTION = re.compile(r"<@")  # <@user>, <@!user>, <@&role>
_MARKDOWN = re.compile(r"([\\*_~|`<>\[\]])")
_LINE_START = re.compile(r"^([#\-+])")  # headings, "-#" subtext, list bullets
_ORDERED_LIST = re.compile(r"^(\d+)\.(?=\s)")
_AUTOLINK = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(?=//)")  # "https://…" in text would become a link


def units(text: str) -> int:
    """Length as Discord counts it (UTF-16 code units), so astral characters never overflow a limit."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` UTF-16 units, with an ellipsis when cut."""
    if units(text) <= limit:
        return text
    out, used = [], 1  # room for the ellipsis
    for ch in text:
        size = units(ch)
        if used + size > limit:
            break
        out.append(ch)
        used += size
    return "".join(out).rstrip() + "…"


def neutralize_mentions(text: str) -> str:
    """Break @everyone, @here and <@…> mentions with a zero-width space (defence in depth)."""
    text = _EVERYONE_HERE.sub("@" + ZWSP, text)
    return _TAG_MENTION.sub("<@" + ZWSP, text)


def escape_markdown(text: str) -> str:
    """Backslash-escape Discord markdown so article text shows literally (and cannot fake links)."""
    text = _MARKDOWN.sub(r"\\\1", text)
    text = _LINE_START.sub(r"\\\1", text)
    text = _AUTOLINK.sub(r"\1\\:", text)  # "https\://": shown as written, never linked
    return _ORDERED_LIST.sub(r"\1\\.", text)


def clean(text: str | None) -> str:
    """Untrusted article text made safe for an embed: one line, escaped, no mentions."""
    return neutralize_mentions(escape_markdown(single_line(text)))


def trusted(text: str | None) -> str:
    """summitbot's own text: markdown kept, mentions neutralised (it may quote user input)."""
    return neutralize_mentions(text or "")


def safe_url(url: str | None) -> str | None:
    """An http(s) URL ready for a masked link, or None for anything else (javascript:, data:, relative)."""
    url = linkable_url(url)
    if url is None:
        return None
    parts = urlsplit(url)
    try:
        host = parts.netloc.encode("idna").decode("ascii")  # an internationalised host stays a valid host
    except UnicodeError:
        return None
    rest = url[len(parts.scheme) + 3 + len(parts.netloc):]
    # Brackets, parentheses and angle brackets would end or break the markdown link: percent-encode them.
    return f"{parts.scheme.lower()}://{host}" + quote(rest, safe=":/?#@!$&'*+,;=%~-._")


def masked_link(label: str | None, url: str | None) -> str:
    """``[label (host)](url)`` for a stored http(s) URL; the escaped label alone otherwise."""
    text = clean(label) or "untitled"
    target = safe_url(url)
    if not target:
        return text
    host = clean(urlsplit(target).hostname or "")
    return f"[{text} ({host})]({target})"  # the reader sees where it goes


def _timestamp(moment: datetime, style: str) -> str:
    return f"<t:{int(moment.timestamp())}:{style}>"


def discord_when(rec: MeetingRecord) -> str:
    """When a meeting happens: a Discord timestamp (each reader's zone) only for an instant, else the dates in words.

    A date-only meeting is a calendar date, not an instant: a timestamp would show readers in
    UTC+13 or UTC+14 (or UTC-11) the next (or previous) day, so it is written out.
    """
    start, end = rec.start, rec.end
    if start is None:
        return "date not known"
    if rec.precision not in ("day", "range") and start != end:
        return format_when(rec)  # week, month, quarter, year: words, not a reader-local day
    if end is None or end == start:
        at = time_of_day(rec.time)
        venue = zone_or(rec.tz, None)
        if at is not None and venue is not None:
            moment = datetime.combine(start, at, venue)
            return f"{_timestamp(moment, 'F')} ({_timestamp(moment, 'R')})"
        text = format_day(start)
        return f"{text}, {at:%H:%M} local time" if at is not None else text  # the venue's zone is not known
    return format_when(rec)


def meeting_heading(rec: MeetingRecord) -> str:
    """'#3 Bilateral meeting: Donald Trump – Lee Jae-myung' (escaped)."""
    return f"#{rec.id} {clean(kind_label(rec.kind))}: {clean(rec.title)}"


def meeting_summary(rec: MeetingRecord) -> str:
    """One line per meeting in a list: when · where · certainty · status."""
    parts = [discord_when(rec)]
    if rec.location:
        where = clean(rec.location)
        if rec.alt_locations:
            where += f" (also reported: {clean(', '.join(rec.alt_locations))})"
        parts.append(where)
    parts.append(clean(rec.certainty))
    note = status_note(rec)
    if note:
        parts.append(f"**{clean(note)}**")
    return " · ".join(parts)


def _line_fields(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """Lines packed into as few fields as fit; later fields are named '… (continued)'."""
    fields: list[tuple[str, str]] = []
    current: list[str] = []
    for line in lines:
        line = clip(line, FIELD_VALUE_LIMIT)
        if current and units("\n".join(current + [line])) > FIELD_VALUE_LIMIT:
            fields.append((name if not fields else f"{name} (continued)", "\n".join(current)))
            current = []
        current.append(line)
    if current:
        fields.append((name if not fields else f"{name} (continued)", "\n".join(current)))
    return fields


def detail_fields(rec: MeetingRecord) -> list[tuple[str, str]]:
    """The fields of one meeting in detail: when, where, who, certainty, status, sources, history."""
    where = clean(rec.location) or "not known"
    if rec.alt_locations:
        where += f"\nalso reported: {clean(', '.join(rec.alt_locations))}"
    fields = [
        ("When", discord_when(rec)),
        ("Where", where),
        ("Who", clean(", ".join(rec.participants)) or "—"),
        ("Certainty", clean(rec.certainty)),
        ("Status", clean(status_note(rec) or rec.status)),
    ]
    source_lines = []
    for src in rec.sources:
        meta = " · ".join(x for x in (clean(src.outlet), clean((src.published or "")[:10])) if x)
        line = masked_link(src.title, src.url) + (f" ({meta})" if meta else "")
        if src.sentence:
            line += f"\n> “{clip(clean(src.sentence), 300)}”"
        source_lines.append(line)
    fields += _line_fields(f"Sources ({len(rec.sources)})", source_lines)
    history = []
    for ch in rec.changes:
        stamp = clean(change_stamp(ch.at))
        what = change_text(ch.field, ch.old, ch.new, clean)
        origin = f" — {clean(ch.article_title)}" if ch.article_title else ""
        history.append(f"`{stamp}` {what}{origin}" if stamp else f"{what}{origin}")
    fields += _line_fields("History", history)
    return fields


def _text_chunks(text: str, limit: int) -> list[str]:
    """Split text at line breaks (or hard, for one huge line) into pieces of at most ``limit`` units."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while units(line) > limit:
            head = clip(line, limit - 1)[:-1]
            chunks.append(head)
            line = line[len(head):]
        candidate = f"{current}\n{line}" if current else line
        if units(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current:
        chunks.append(current)
    return chunks


def build_embeds(title: str, description: str, fields: list[tuple[str, str]], colour: int) -> list[discord.Embed]:
    """One or more embeds carrying the title, the description and the fields, each within every limit."""
    embeds: list[discord.Embed] = []
    pieces = _text_chunks(description, DESCRIPTION_LIMIT) if description else []
    title = clip(title, TITLE_LIMIT) if title else None
    embed = discord.Embed(title=title, description=pieces[0] if pieces else None, colour=colour)
    for piece in pieces[1:]:
        embeds.append(embed)
        embed = discord.Embed(description=piece, colour=colour)
    for name, value in fields:
        name = clip(name or ZWSP, FIELD_NAME_LIMIT)
        value = clip(value or ZWSP, FIELD_VALUE_LIMIT)
        full = len(embed.fields) >= FIELDS_PER_EMBED
        if full or _size(embed) + units(name) + units(value) > CHARS_PER_MESSAGE:
            embeds.append(embed)
            embed = discord.Embed(colour=colour)
        embed.add_field(name=name, value=value, inline=False)
    if not (embed.title or embed.description or embed.fields):
        embed.description = ZWSP if embeds else "(nothing to show)"
    embeds.append(embed)
    return embeds


def _size(embed: discord.Embed) -> int:
    """An embed's length as Discord counts it against the 6,000 per message."""
    total = units(embed.title or "") + units(embed.description or "")
    for field in embed.fields:
        total += units(field.name or "") + units(field.value or "")
    if embed.footer.text:
        total += units(embed.footer.text)
    if embed.author.name:
        total += units(embed.author.name)
    return total


def batch(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Embeds grouped into messages of at most 10 embeds and 6,000 characters."""
    messages: list[list[discord.Embed]] = []
    current: list[discord.Embed] = []
    used = 0
    for embed in embeds:
        size = _size(embed)
        if current and (len(current) >= EMBEDS_PER_MESSAGE or used + size > CHARS_PER_MESSAGE):
            messages.append(current)
            current, used = [], 0
        current.append(embed)
        used += size
    if current:
        messages.append(current)
    return messages


def reply_embeds(reply: Reply) -> list[discord.Embed]:
    """Every embed a Reply needs, in order, before grouping into messages."""
    colour = COLOURS.get(reply.kind, COLOURS["message"])
    text = reply.render_text(trusted, clean)
    if reply.kind == "detail" and reply.meetings:
        embeds = []
        for rec in reply.meetings:
            embeds += build_embeds(meeting_heading(rec), text, detail_fields(rec), colour)
        return embeds
    fields = [(meeting_heading(rec), meeting_summary(rec)) for rec in reply.meetings]
    if reply.kind == "help":
        fields += [(trusted(label), trusted(value)) for label, value in reply.rows]
    else:  # values: settings that echo what a user typed, or article text (alerts, digests, ingest)
        fields += [(trusted(label), clean(value)) for label, value in reply.rows]
    links = [masked_link(title, url) for title, url in reply.links[:5]]
    if links:
        fields.append(("Source" if len(links) == 1 else "Sources", "\n".join(links)))
    title = "summitbot help" if reply.kind == "help" else ""
    if reply.kind == "error" and text:
        text = f"⚠️ {text}"
    return build_embeds(title, text, fields, colour)


def render_reply(reply: Reply) -> list[list[discord.Embed]]:
    """A Reply as one or more messages, each a list of embeds within Discord's limits."""
    return batch(reply_embeds(reply))
