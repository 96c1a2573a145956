"""What Slack refuses in blocks and views, for the stand-in (tests/fake_slack.py) to refuse it too.

Only the documented limits summitbot's messages, modals and Home tab could reach
(https://api.slack.com/reference/block-kit): block counts, text lengths, button values and URLs,
unique action_ids in a block, select options, a modal's title and submit button.
"""

from __future__ import annotations

from typing import Any


def _text_problems(obj: Any, where: str, limit: int, plain_only: bool = False) -> list[str]:
    if not isinstance(obj, dict) or obj.get("type") not in ("plain_text", "mrkdwn") or not obj.get("text"):
        return [f"{where}: a text object is required"]
    if plain_only and obj["type"] != "plain_text":
        return [f"{where}: must be plain_text"]
    return [f"{where}: longer than {limit}"] if len(obj["text"]) > limit else []


def _element_problems(element: dict, where: str) -> list[str]:
    kind = element.get("type")
    problems = []
    if kind == "button":
        problems += _text_problems(element.get("text"), f"{where}.text", 75, plain_only=True)
        if len(str(element.get("value", ""))) > 2000 or len(str(element.get("url", ""))) > 3000:
            problems.append(f"{where}: value or url too long")
        if len(str(element.get("action_id", ""))) > 255:
            problems.append(f"{where}: action_id too long")
    elif kind in ("static_select", "multi_static_select"):
        options = element.get("options") or []
        if not 1 <= len(options) <= 100:
            problems.append(f"{where}: 1 to 100 options")
        for i, opt in enumerate(options):
            problems += _text_problems(opt.get("text"), f"{where}.options[{i}]", 75, plain_only=True)
            if not 1 <= len(str(opt.get("value", ""))) <= 150:
                problems.append(f"{where}.options[{i}]: value of 1 to 150 characters")
        values = {o.get("value") for o in options}
        if any(o.get("value") not in values for o in element.get("initial_options") or []):
            problems.append(f"{where}: an initial option that is not an option")
    else:
        problems.append(f"{where}: unsupported element {kind}")
    return problems


def block_problems(blocks: list[dict], limit: int = 50) -> list[str]:
    """What Slack would refuse in these blocks (the limits summitbot's blocks could reach)."""
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    problems = [f"more than {limit} blocks"] if len(blocks) > limit else []
    for i, block in enumerate(blocks):
        where, kind = f"blocks[{i}]", block.get("type")
        if kind == "section":
            problems += _text_problems(block.get("text"), where, 3000)
        elif kind == "actions":
            elements = block.get("elements") or []
            if not 1 <= len(elements) <= 25:
                problems.append(f"{where}: 1 to 25 elements")
            ids = [e.get("action_id") for e in elements]
            if len(ids) != len(set(ids)):
                problems.append(f"{where}: action_ids must be unique in a block")
            for j, element in enumerate(elements):
                problems += _element_problems(element, f"{where}.elements[{j}]")
        elif kind == "input":
            problems += _text_problems(block.get("label"), f"{where}.label", 2000, plain_only=True)
            problems += _element_problems(block.get("element") or {}, f"{where}.element")
            if not block.get("block_id"):
                problems.append(f"{where}: an input needs a block_id")
        elif kind == "header":
            problems += _text_problems(block.get("text"), where, 150, plain_only=True)
        elif kind not in ("context", "divider"):
            problems.append(f"{where}: unsupported block {kind}")
    return problems


def view_problems(view: dict) -> list[str]:
    """What views.open / views.publish would refuse in this view."""
    problems = block_problems(view.get("blocks") or [], limit=100)
    if view.get("type") == "modal":
        problems += _text_problems(view.get("title"), "title", 24, plain_only=True)
        if any(b.get("type") == "input" for b in view.get("blocks") or []) and not view.get("submit"):
            problems.append("a modal with inputs needs a submit button")
    if len(str(view.get("private_metadata", ""))) > 3000 or len(str(view.get("callback_id", ""))) > 255:
        problems.append("private_metadata or callback_id too long")
    return problems
