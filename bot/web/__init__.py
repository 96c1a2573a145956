"""The read-only web calendar: month view, list, summit pages, .ics and Atom feeds, and each channel's own feeds
behind a secret token (aiohttp + Jinja2)."""

from bot.web.app import make_app, serve, start_site

__all__ = ["make_app", "serve", "start_site"]
