"""No import cycles among bot/ modules: the import graph is read with ast from bot/**/*.py.

Every import counts, at module level or inside a function: a lazy import hides a cycle, it does not
remove it. ``from bot.x import y`` is an edge to ``bot.x.y`` when that is a module, else to ``bot.x``.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

KNOWN_CYCLES: list[set[str]] = []  # none: bot.names, a leaf, broke the last one (store -> merge -> gazetteer)


def bot_modules(root: Path = ROOT) -> dict[str, Path]:
    found = {}
    for path in sorted((root / "bot").rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the bot modules it imports (anywhere in the file)."""

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    base = ".".join(package[:len(package) - node.level + 1] + ([base] if base else []))
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            else:
                continue
            for target in targets:
                found = known(target)
                if found and found != name:
                    graph[name].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def test_the_cycle_finder_finds_a_planted_cycle(tmp_path):
    (tmp_path / "bot" / "pkg").mkdir(parents=True)
    (tmp_path / "bot" / "__init__.py").write_text("")
    (tmp_path / "bot" / "pkg" / "__init__.py").write_text("from bot.pkg.b import B\n")
    (tmp_path / "bot" / "pkg" / "a.py").write_text("def f():\n    from bot.pkg import b\n")
    (tmp_path / "bot" / "pkg" / "b.py").write_text("from . import a\nB = 1\n")
    (tmp_path / "bot" / "leaf.py").write_text("import json\n")
    graph = import_graph(bot_modules(tmp_path))
    assert graph["bot.pkg.b"] == {"bot.pkg.a"} and graph["bot.pkg.a"] == {"bot.pkg.b"}
    assert cycles(graph) == [{"bot.pkg.a", "bot.pkg.b"}]


def test_no_import_cycles_among_bot_modules():
    graph = import_graph(bot_modules())
    assert {"bot.config", "bot.delivery.sending", "bot.commands.core"} <= set(graph)
    unexpected = [sorted(c) for c in cycles(graph) if c not in KNOWN_CYCLES]
    assert unexpected == []


def test_value_parsers_are_a_leaf_and_config_imports_only_them():
    graph = import_graph(bot_modules())
    assert graph["bot.values"] == set()
    assert "bot.values" in graph["bot.config"] & graph["bot.subscriptions"] & graph["bot.feeds"]
    assert not graph["bot.config"] & {"bot.feeds", "bot.subscriptions"}
    assert "bot.cli" not in graph["bot.cli_feeds"]
