"""Slack adapter: /summits on slack-bolt (Socket Mode or HTTP), deliveries with chat.postMessage."""

from adapters.slack.app import SlackAdapter, SlackStartError
from adapters.slack.render import render_reply
from adapters.slack.transport import SlackTransport

__all__ = ["SlackAdapter", "SlackStartError", "SlackTransport", "render_reply"]
