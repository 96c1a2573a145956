"""Discord adapter: /summits as app commands on discord.py, deliveries through the REST API.

The package is ``adapters.discord``; every module inside imports the library as ``import discord``
(absolute), and no module here is called ``discord.py``.
"""

from adapters.discord.client import DiscordAdapter, SummitClient
from adapters.discord.transport import DiscordTransport

__all__ = ["DiscordAdapter", "DiscordTransport", "SummitClient"]
