"""The console adapter: type /summits commands at a prompt, read replies and deliveries as text."""

from __future__ import annotations

import asyncio
import logging
import sys
from dataclasses import dataclass
from typing import TextIO

from bot.commands import Commands, Context
from bot.format import change_stamp, change_text, format_when, kind_label, one_line, single_line, status_note
from bot.models import MeetingRecord
from bot.reply import Reply
from bot.transport import ChannelRef

log = logging.getLogger(__name__)

CONSOLE_CHANNEL = ChannelRef("console", "local", "console")


_clean = single_line  # untrusted article text: one line, no control characters (no terminal escapes)


def render_meeting(rec: MeetingRecord, detail: bool = False) -> str:
    if not detail:
        return "  " + _clean(one_line(rec))
    lines = [
        f"#{rec.id} {kind_label(rec.kind)}: {_clean(rec.title)}",
        f"  when:         {format_when(rec)}",
        f"  where:        {_clean(rec.location) or 'not known'}"
        + (f" (also reported: {_clean(', '.join(rec.alt_locations))})" if rec.alt_locations else ""),
        f"  who:          {_clean(', '.join(rec.participants)) or '—'}",
        f"  certainty:    {rec.certainty}",
        f"  status:       {status_note(rec) or rec.status}",
    ]
    if rec.sources:
        lines.append(f"  sources ({len(rec.sources)}):")
        for src in rec.sources:
            head = _clean(src.title) or "untitled"
            where = " · ".join(x for x in (_clean(src.outlet), _clean(src.url), (src.published or "")[:10]) if x)
            lines.append(f"    - {head}" + (f" ({where})" if where else ""))
            if src.sentence and _clean(src.sentence) != head:  # a headline quoted as the sentence: said once
                lines.append(f"      “{_clean(src.sentence)}”")
    if rec.changes:
        lines.append("  history:")
        for ch in rec.changes:
            src = f" [{_clean(ch.article_title)}]" if ch.article_title else ""
            lines.append(f"    {change_stamp(ch.at)} {change_text(ch.field, ch.old, ch.new, _clean)}{src}")
    return "\n".join(lines)


def render_text(reply: Reply) -> str:
    """The whole reply as plain text."""
    out = []
    text = reply.render_text(str, _clean)
    if reply.kind == "error":
        return f"! {text}"
    if text:
        out.append(text)
    if reply.kind == "detail":
        out.extend(render_meeting(m, detail=True) for m in reply.meetings)
    else:
        out.extend(render_meeting(m) for m in reply.meetings)
    if reply.kind == "help":  # usage lines are long: each on its own line, its summary under it
        for usage, summary in reply.rows:
            out += [f"  {usage}", f"      {_clean(summary)}"]
        return "\n".join(out)
    rows = reply.rows + [("source", " ".join(x for x in (title, url) if x)) for title, url in reply.links]
    width = max((len(label) for label, _ in rows), default=0)
    for label, value in rows:
        out.append(f"  {label.ljust(width)}  {_clean(value)}")
    return "\n".join(out)


class ConsoleTransport:
    """Prints deliveries (reminders, digests, alerts) to a stream as they fire."""

    platform = "console"

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdout
        self.sent: list[tuple[ChannelRef, Reply]] = []

    async def send(self, channel: ChannelRef, reply: Reply, *, idempotency_key: str) -> str:
        self.sent.append((channel, reply))
        self.stream.write(f"\n[{channel.channel}] {render_text(reply)}\n")
        self.stream.flush()
        return f"console-{len(self.sent)}"


@dataclass
class ConsoleSession:
    """How a console session ended, and so the exit status of `summitbot run` in console mode.

    - At a terminal, end of input (Ctrl-D) or `quit` is the user leaving: 0.
    - Commands piped in (a script): 0 when every command succeeded, 1 when any answered an error
      (as sqlite3 does), so a script can tell.
    - Nothing at all on a standard input that is not a terminal (``</dev/null``, a supervisor with no
      platform token set): nothing was asked, so nothing failed: 0, with a message saying what to set.
      A non-zero status here would make a supervisor that restarts failed processes start it in a loop.
    - Standard input that cannot be read (an I/O error, bytes that are not text): 1.
    """

    interactive: bool = False
    commands: int = 0
    errors: int = 0
    read_error: str | None = None

    @property
    def exit_status(self) -> int:
        if self.read_error is not None:
            return 1
        return 1 if self.errors and not self.interactive else 0

    def end_message(self) -> str | None:
        """What to tell on standard error when the session ends (None: nothing to say)."""
        if self.read_error is not None:
            return f"summitbot: could not read standard input: {self.read_error}"
        if self.interactive:
            return None
        if self.commands == 0:
            return ("summitbot: standard input is empty and no platform token is set: nothing to serve. "
                    "To run as a service, set SLACK_BOT_TOKEN (with SLACK_APP_TOKEN or SLACK_SIGNING_SECRET) "
                    "or DISCORD_TOKEN.")
        if self.errors:
            return f"summitbot: {self.errors} of {self.commands} commands failed"
        return None


async def repl(commands: Commands, *, stdin: TextIO | None = None, stdout: TextIO | None = None,
               channel: str = "console", prompt: str = "summits> ") -> ConsoleSession:
    """Read commands line by line until EOF or `quit`; the console user is an admin."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    ctx = Context(platform="console", workspace="local", channel=channel, user="console", is_admin=True)
    loop = asyncio.get_running_loop()
    interactive = stdin.isatty()
    session = ConsoleSession(interactive=interactive)
    while True:
        if interactive:
            stdout.write(prompt)
            stdout.flush()
        try:
            line = await loop.run_in_executor(None, stdin.readline)
        except (OSError, ValueError) as exc:  # ValueError: UnicodeDecodeError, or a closed stream
            session.read_error = f"{type(exc).__name__}: {exc}"
            break
        if not line:
            break
        line = line.strip()
        if not line:
            continue
        if line in ("quit", "exit", "/quit"):
            break
        reply = await commands.handle_async(line, ctx)  # slow work in a worker thread, the database on this one
        session.commands += 1
        session.errors += reply.kind == "error"
        stdout.write(render_text(reply) + "\n")
        stdout.flush()
    return session
