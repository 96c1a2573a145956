"""The Procfile declares one worker: `summitbot run` serves no HTTP in Socket Mode, on Discord or as a console."""

from __future__ import annotations

from tests.conftest import ROOT


def test_procfile_declares_a_worker_and_no_web_process():
    lines = [line for line in (ROOT / "Procfile").read_text().splitlines() if line.strip()]
    processes = dict(line.split(":", 1) for line in lines)
    assert {name.strip(): command.strip() for name, command in processes.items()} == {"worker": "summitbot run"}


def test_the_readme_says_when_to_declare_web_instead():
    readme = (ROOT / "README.md").read_text()
    assert "worker: summitbot run" in readme and "web: summitbot run" in readme and "/healthz" in readme
