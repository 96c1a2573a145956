"""The time resolver stays split by responsibility: small modules and classes, every rule in the table."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import bot.temporal
from bot.temporal import finder, rules

PACKAGE = Path(__file__).resolve().parent.parent / "bot" / "temporal"
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 300


def test_modules_and_classes_stay_small():
    for path in sorted(PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert len(text.splitlines()) <= MAX_MODULE_LINES, path.name
        for node in ast.parse(text).body:
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno - node.lineno + 1 <= MAX_CLASS_LINES, f"{path.stem}.{node.name}"


def test_every_registered_rule_is_in_the_finders_table():
    for path in PACKAGE.glob("*.py"):
        importlib.import_module(f"bot.temporal.{path.stem}" if path.stem != "__init__" else "bot.temporal")
    registered = [r.fn for module_rules in rules._REGISTRY.values() for r in module_rules]
    table = [r.fn for r in finder._RULES]
    assert len(table) == len(set(table)) == len(registered)
    assert set(table) == set(registered)


def test_public_api_is_the_packages():
    for name in bot.temporal.__all__:
        assert getattr(bot.temporal, name) is not None
