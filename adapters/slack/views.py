"""Slack views, as pure functions: the `/summits subscribe` modal (and reading its submission back), the
App Home tab, and a modal showing a reply (a button clicked in the Home tab).

Article-derived text (leaders' names, countries, titles) reaches a view only as ``plain_text`` (Slack
shows it as written: no mrkdwn, no mentions, no links) or through :mod:`adapters.slack.render`'s
escaping; the only ``<#C…>`` channel tokens are built here from ids checked to be Slack channel ids.
"""

from __future__ import annotations

import re

from adapters.slack.render import clean, escape, mrkdwn, render_reply, safe, section
from bot.format import kind_label
from bot.models import CERTAINTIES, KINDS
from bot.reply import Reply

SUBSCRIBE_CALLBACK = "summitbot.subscribe"
LEAD_CHOICES = ("14d", "7d", "3d", "1d", "12h", "6h", "2h", "1h")
MAX_OPTIONS = 100  # Slack's cap on a select menu's options
OPTION_TEXT = 75  # an option's text
OPTION_VALUE = 150  # an option's value
MAX_VIEW_BLOCKS = 100
TITLE = "summitbot"
SLACK_CHANNEL = re.compile(r"[CGD][A-Z0-9]{2,30}")
FIELDS = ("who", "country", "kind", "min", "lead")
VALUE = "value"  # the action_id of every input's element


def plain(text: str, limit: int = OPTION_TEXT) -> dict:
    """A plain_text object: shown as written, never formatted, linked or mentioned."""
    return {"type": "plain_text", "text": clean(text, limit) or " ", "emoji": False}


def option(label: str, value: str) -> dict:
    return {"text": plain(label), "value": value}


def _select(block_id: str, label: str, options: list[dict], *, multi: bool = False, initial: list[dict] = (),
            hint: str | None = None) -> dict:
    element = {"type": "multi_static_select" if multi else "static_select", "action_id": VALUE,
               "placeholder": plain("Any" if not multi else "Pick one or more"), "options": options}
    if initial:
        element["initial_options"] = list(initial)
    block = {"type": "input", "block_id": block_id, "optional": True, "label": plain(label), "element": element}
    if hint:
        block["hint"] = plain(hint, 150)
    return block


_MARKUP = re.compile(r"[<>&@*_~`|]")  # names from articles that hold these are not offered as menu choices


def usable(values: list[str]) -> list[str]:
    """Values that fit in a select option unchanged (shown, and sent back, exactly) and hold nothing that
    could read as markup or a mention, at most MAX_OPTIONS."""
    return [v for v in values if v and len(v) <= OPTION_VALUE and clean(v, OPTION_TEXT) == v
            and not _MARKUP.search(v)][:MAX_OPTIONS]


def subscribe_modal(channel: str, leaders: list[str], countries: list[str], default_lead: str) -> dict:
    """The form behind `/summits subscribe`: select menus for leader, country, kind, certainty and lead times."""
    blocks = [section("Reminders and alerts in this channel for the summits that match. Leave a menu empty "
                      "for any.")]
    names = usable(leaders)
    if names:
        blocks.append(_select("who", "Leader", [option(n, n) for n in names]))
    places = usable(countries)
    if places:
        blocks.append(_select("country", "Country", [option(c, c) for c in places]))
    blocks.append(_select("kind", "Kind of meeting", [option(kind_label(k), k) for k in KINDS]))
    blocks.append(_select("min", "At least this certain", [option(c, c) for c in CERTAINTIES]))
    leads = [option(f"{lead} before", lead) for lead in LEAD_CHOICES]
    initial = [o for o in leads if o["value"] in default_lead.split(",")]
    blocks.append(_select("lead", "Remind me", leads, multi=True, initial=initial,
                          hint=f"Empty: {default_lead} (the default)"))
    return {"type": "modal", "callback_id": SUBSCRIBE_CALLBACK, "private_metadata": channel,
            "title": plain("Subscribe", 24), "submit": plain("Subscribe", 24), "close": plain("Cancel", 24),
            "blocks": blocks}


def submitted(view: dict) -> dict[str, str]:
    """{field: value} of a submitted subscribe modal: 'who', 'country', 'kind', 'min', and 'lead' as '7d,1d'."""
    values = (view.get("state") or {}).get("values") or {}
    out: dict[str, str] = {}
    for block in FIELDS:
        element = (values.get(block) or {}).get(VALUE) or {}
        if not isinstance(element, dict):
            continue
        if block == "lead":
            picked = [o.get(VALUE) for o in element.get("selected_options") or [] if isinstance(o, dict)]
            if picked:
                out[block] = ",".join(str(p) for p in picked)
        else:
            chosen = element.get("selected_option") or {}
            if isinstance(chosen, dict) and chosen.get(VALUE):
                out[block] = str(chosen[VALUE])
    return out


def subscription_errors(values: dict[str, str], leaders: list[str], countries: list[str]) -> dict[str, str]:
    """{block_id: what is wrong} for values the menus never offered (a forged or outdated form)."""
    allowed = {"who": set(leaders), "country": set(countries), "kind": set(KINDS), "min": set(CERTAINTIES)}
    errors = {}
    for block, choices in allowed.items():
        if block in values and values[block] not in choices:
            errors[block] = "That is not one of the choices any more: pick again."
    if any(lead not in LEAD_CHOICES for lead in values.get("lead", "").split(",") if lead):
        errors["lead"] = "Pick lead times from the menu."
    return errors


def channel_token(channel: str) -> str:
    """'<#C123>' for a Slack channel id, so Slack shows its name; anything else escaped as text."""
    return f"<#{channel}>" if SLACK_CHANNEL.fullmatch(channel or "") else escape(clean(channel, 40))


def home_view(coming: Reply, subscribed: list[tuple[str, list[str]]]) -> dict:
    """The App Home tab: a page of coming summits (with their buttons) and this workspace's subscriptions."""
    blocks: list[dict] = [{"type": "header", "text": plain("Coming summits", 150)}]
    blocks += [b for m in render_reply(coming, max_messages=1, omit=frozenset({"follow"})) for b in m.blocks]
    blocks += [{"type": "divider"}, {"type": "header", "text": plain("Subscriptions", 150)}]
    if not subscribed:
        blocks.append(section("No channel here has subscriptions yet. Type `/summits subscribe` in a channel."))
    for channel, described in subscribed:
        lines = [f"• {safe(d, 300)}" for d in described] or ["no subscriptions (digest or settings only)"]
        blocks.append(section(f"*{channel_token(channel)}*\n" + "\n".join(lines)[:2900]))
    if len(blocks) > MAX_VIEW_BLOCKS:
        blocks = blocks[:MAX_VIEW_BLOCKS - 1] + [{"type": "context",
                                                  "elements": [mrkdwn("…and more: `/summits subscriptions` "
                                                                      "in a channel lists its own.")]}]
    return {"type": "home", "blocks": blocks}


def reply_modal(reply: Reply) -> dict:
    """A reply in a modal (what a button in the Home tab shows), within a view's 100 blocks."""
    blocks = [b for m in render_reply(reply, omit=frozenset({"follow"})) for b in m.blocks][:MAX_VIEW_BLOCKS]
    return {"type": "modal", "title": plain(TITLE, 24), "close": plain("Close", 24), "blocks": blocks}
