"""Platform-neutral actions on a reply: the buttons a chat adapter shows, and the small payload each carries.

A reply lists summits; each summit may offer *Details*, *Sources*, *Add to calendar* and *Subscribe to
its leaders*, and a paged reply offers *Previous* and *Next*. An :class:`Action` holds what the button
does and a payload small enough for every platform (Discord's ``custom_id`` is at most 100
characters): a meeting id, or a command with its filters and a page number. Adapters only translate:
they put :meth:`Action.encode` into the button and hand the string back to
:func:`bot.commands.buttons.act` when it is clicked.

A payload is read back with :func:`decode`, which checks every part: a payload from an older version,
a forged one or a cut one raises :class:`ActionError` with a sentence fit to show, never a traceback.
Link actions (``verb == "link"``) carry a URL instead and are opened by the chat client itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode

from bot.models import MeetingRecord

PREFIX = "sb1"
MAX_PAYLOAD = 100  # Discord's custom_id limit; Slack allows more
MAX_ID = 2 ** 63 - 1
MAX_PAGE = 1000
MAX_VALUE = 100  # one filter value
LEADERS_FOLLOWED = 10  # "Subscribe to its leaders" subscribes to at most this many participants

# verb -> one-letter code in the payload
CODES = {"details": "d", "sources": "s", "calendar": "c", "follow": "f", "page": "p", "post": "P"}
VERBS = {code: verb for verb, code in CODES.items()}
MEETING_VERBS = ("details", "sources", "calendar", "follow")
# Paged commands and the filters each page carries along.
PAGED = {"upcoming": ("days", "who"), "search": ("q",)}
LABELS = {"details": "Details", "sources": "Sources", "calendar": "Add to calendar",
          "follow": "Subscribe to its leaders", "post": "Post to channel"}

class ActionError(ValueError):
    """A payload that cannot be acted on; the message says so in words fit for the user."""


STALE = "That button is not one of summitbot's, or is from an older version"


def _stale(why: str = "") -> ActionError:
    return ActionError(f"{STALE}{f' ({why})' if why else ''}: run the command again.")


@dataclass(frozen=True)
class Action:
    """One button: what it does (``verb``), its label, and its payload."""

    verb: str  # details | sources | calendar | follow | page | post | link
    label: str
    meeting_id: int | None = None
    command: str | None = None  # page: the paged command
    filters: tuple[tuple[str, str], ...] = ()  # page: the command's filters, in a fixed order
    page: int | None = None
    url: str | None = None  # link: opened by the client
    inner: "Action | None" = None  # post: the action whose reply is posted to the channel

    @property
    def is_link(self) -> bool:
        return self.verb == "link"

    def encode(self) -> str:
        """The payload as a short string: 'sb1:d:12', 'sb1:p:upcoming:2:days=30&who=Xi'."""
        if self.verb == "post":
            assert self.inner is not None
            return f"{PREFIX}:{CODES['post']}:{self.inner.encode()[len(PREFIX) + 1:]}"
        if self.verb in MEETING_VERBS:
            return f"{PREFIX}:{CODES[self.verb]}:{self.meeting_id}"
        if self.verb == "page":
            query = urlencode(self.filters, quote_via=quote)
            return f"{PREFIX}:{CODES['page']}:{self.command}:{self.page}:{query}"
        raise ValueError(f"a {self.verb} action has no payload")

    def fits(self) -> bool:
        return self.is_link or len(self.encode()) <= MAX_PAYLOAD


def _number(text: str, what: str, hi: int) -> int:
    if not (text.isascii() and text.isdigit()) or len(text) > 19 or not 1 <= int(text) <= hi:
        raise _stale(f"its {what} is not valid")
    return int(text)


def decode(raw: object) -> Action:
    """The action a payload stands for; ActionError when it is not one of ours, cut, or out of range."""
    if not isinstance(raw, str) or not raw or len(raw) > MAX_PAYLOAD * 2 or not raw.isprintable():
        raise _stale()
    head, _, rest = raw.partition(":")
    code, _, body = rest.partition(":")
    if head != PREFIX or code not in VERBS:
        raise _stale()
    verb = VERBS[code]
    if verb == "post":
        inner = decode(f"{PREFIX}:{body}")
        if inner.verb == "post":
            raise _stale()
        return Action("post", LABELS["post"], inner=inner)
    if verb in MEETING_VERBS:
        return Action(verb, LABELS[verb], meeting_id=_number(body, "summit number", MAX_ID))
    command, _, rest = body.partition(":")
    page_text, _, query = rest.partition(":")
    if command not in PAGED:
        raise _stale()
    page = _number(page_text, "page", MAX_PAGE)
    try:
        pairs = parse_qsl(query, keep_blank_values=False, strict_parsing=bool(query), max_num_fields=4)
    except ValueError:
        raise _stale() from None
    allowed = PAGED[command]
    filters = []
    for key, value in pairs:
        if key not in allowed or any(k == key for k, _ in filters) or len(value) > MAX_VALUE \
                or not value.isprintable() or not value.strip():
            raise _stale("its filter is not valid")
        filters.append((key, value))
    filters.sort(key=lambda kv: allowed.index(kv[0]))
    return page_action(command, page, dict(filters))


# -- the actions a reply offers ------------------------------------------------------------------


def page_action(command: str, page: int, filters: dict[str, str], label: str | None = None) -> Action:
    """The action that shows ``page`` of ``command`` with these filters (empty values left out)."""
    ordered = tuple((k, str(filters[k])) for k in PAGED[command] if filters.get(k) not in (None, ""))
    return Action("page", label or f"Page {page}", command=command, filters=ordered, page=page)


def pager(command: str, page: int, filters: dict[str, str], more: bool) -> list[Action]:
    """Previous and Next, for the pages that exist, when their payloads fit."""
    out = []
    if page > 1:
        out.append(page_action(command, page - 1, filters, "Previous"))
    if more and page < MAX_PAGE:
        out.append(page_action(command, page + 1, filters, "Next"))
    return [a for a in out if a.fits()]


def meeting_actions(rec: MeetingRecord, *, detail: bool = False) -> list[Action]:
    """The buttons one summit offers: only those that have something to show for it."""
    out = []
    if not detail:
        out.append(Action("details", LABELS["details"], meeting_id=rec.id))
    if not detail:  # lists do not load sources: the button says when there are none
        out.append(Action("sources", LABELS["sources"], meeting_id=rec.id))
    if rec.is_dated_to_the_day() and rec.status != "cancelled":
        out.append(Action("calendar", LABELS["calendar"], meeting_id=rec.id))
    if rec.participants:
        out.append(Action("follow", LABELS["follow"], meeting_id=rec.id))
    return out


def post_action(again: Action) -> Action:
    """"Post to channel" for a private reply that ``again`` re-creates."""
    return Action("post", LABELS["post"], inner=again)


def link(label: str, url: str) -> Action:
    return Action("link", label, url=url)
