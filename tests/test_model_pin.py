"""The spaCy model is installed from model-requirements.txt, pinned by the SHA-256 of its wheel, with
--require-hashes, before the project (so pip never fetches it unchecked through pyproject.toml)."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import ROOT

PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.-]+)==(?P<version>[\w.]+)\s*\\?\s*--hash=sha256:(?P<hash>[0-9a-f]{64})\s*$")


def model_pin() -> dict[str, str]:
    lines = (ROOT / "model-requirements.txt").read_text(encoding="utf-8").splitlines()
    text = " ".join(line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#"))
    m = PIN.match(text.replace("\\ ", "\\"))
    assert m, f"model-requirements.txt must hold one `name==version --hash=sha256:...` line, got {text!r}"
    return m.groupdict()


def test_the_model_is_pinned_by_hash_to_the_version_the_project_requires():
    pin = model_pin()
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert f"{pin['name']}=={pin['version']}" in deps


def test_make_installs_the_model_with_its_hash_before_the_project():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile[makefile.index("$(STAMP): "):].split("\n\n")[0]
    assert "model-requirements.txt" in recipe.splitlines()[0]  # a new pin reinstalls
    model = next(i for i, line in enumerate(recipe.splitlines()) if "-r model-requirements.txt" in line)
    project = next(i for i, line in enumerate(recipe.splitlines()) if "-e '.[test]'" in line)
    assert "--require-hashes" in recipe.splitlines()[model] and model < project
