"""The extractor stays split by decision: small modules, small classes, no import cycles."""

from __future__ import annotations

import ast
from pathlib import Path

EXTRACT = Path(__file__).resolve().parent.parent / "bot" / "extract"
MAX_MODULE_LINES = 600
MAX_CLASS_LINES = 300


def _modules() -> dict[str, ast.Module]:
    return {path.stem: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(EXTRACT.glob("*.py"))}


def test_modules_and_classes_stay_small():
    for path in EXTRACT.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= MAX_MODULE_LINES, path.name
    for name, tree in _modules().items():
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                assert node.end_lineno - node.lineno + 1 <= MAX_CLASS_LINES, f"{name}.{node.name}"


def test_no_import_cycles_inside_bot_extract():
    graph = {name: {n.module.rsplit(".", 1)[-1] for n in ast.walk(tree)
                    if isinstance(n, ast.ImportFrom) and n.module and n.module.startswith("bot.extract.")}
             for name, tree in _modules().items()}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        assert name not in path, " -> ".join(path + [name])
        if name in done:
            return
        for dep in graph.get(name, ()):
            visit(dep, path + [name])
        done.add(name)

    for name in graph:
        visit(name, [])


def test_split_sentences_and_article_extraction_keep_their_import_path():
    from bot.extract.mentions import ArticleExtraction, split_sentences

    assert callable(split_sentences) and {"prepare", "finish", "run"} <= set(vars(ArticleExtraction))
