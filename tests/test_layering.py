"""The core (bot/) never pulls in a chat platform's library: Slack and Discord live in adapters/ only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLATFORM_LIBRARIES = ("slack_bolt", "slack_sdk", "discord")

IMPORT_EVERY_BOT_MODULE = """
import importlib, json, pkgutil, sys
import bot

names = sorted(m.name for m in pkgutil.walk_packages(bot.__path__, "bot.") if m.name != "bot.__main__")
for name in names:
    importlib.import_module(name)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in %r)
print(json.dumps({"modules": names, "platform": loaded}))
""" % (PLATFORM_LIBRARIES,)


def test_no_bot_module_imports_slack_or_discord():
    done = subprocess.run([sys.executable, "-c", IMPORT_EVERY_BOT_MODULE], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"bot.cli", "bot.commands", "bot.delivery", "bot.scheduler", "bot.extract"} <= set(found["modules"])
    assert "slack_bolt" not in found["platform"] and "discord" not in found["platform"]
    assert found["platform"] == []
