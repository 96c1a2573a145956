"""The read-only web calendar: month view, list, summit pages, .ics and Atom feeds (aiohttp + Jinja2)."""

from bot.web.app import make_app, serve, start_site

__all__ = ["make_app", "serve", "start_site"]
