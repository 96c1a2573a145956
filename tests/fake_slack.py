"""A stand-in for Slack's Web API, response_url webhooks and the Socket Mode websocket, on 127.0.0.1.

Served by aiohttp on a random port. It speaks enough of Slack for a real Bolt app and slack_sdk
client: ``auth.test``, ``chat.postMessage``, ``conversations.history``, ``users.info``,
``apps.connections.open`` (handing out a ``ws://`` URL to the Socket Mode websocket served here
too) and POSTs to the ``response_url`` it puts in slash-command payloads. Every request is
recorded as a :class:`Call`; tests wait on them with :meth:`FakeSlack.wait_for_call` (futures,
never the clock). Failures are scripted with :meth:`FakeSlack.fail` (a 429 with Retry-After,
``channel_not_found``, a 500, …); ``fail(method, drop=True)`` accepts the call (a post is in the
channel) and then drops the connection before answering, as a lost answer does.

Posted messages are kept per channel (:attr:`FakeSlack.messages`) with their ``metadata``;
``conversations.history`` serves them newest first, paged with ``limit``/``cursor``, filtered by
``oldest``, with ``metadata`` only when ``include_all_metadata`` is set, as the real API does.

Interactivity: ``chat.update`` (an existing message, by channel and ts), ``views.open`` (a
``trigger_id`` handed out here, once) and ``views.publish`` (a Home tab per user), each checking the
view or blocks against Slack's documented limits (:func:`block_problems`, :func:`view_problems`) and
refusing with ``invalid_blocks``/``invalid_arguments`` as Slack does. Button clicks, view submissions
and events are sent signed to the app's events URL with :meth:`FakeSlack.send_interaction` and
:meth:`FakeSlack.send_event`, built by :meth:`FakeSlack.block_action` and friends.

Usage::

    fake = FakeSlack()
    await fake.start()
    env = fake.env()                       # SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET, SLACK_API_URL
    status, _ = await fake.send_slash_command("http://127.0.0.1:3000/slack/events", "upcoming")
    answer = await fake.wait_for_call("response_url")
    # Socket Mode: env = fake.env(socket_mode=True); then
    conn = await fake.wait_for_socket()
    envelope_id = await fake.send_envelope("slash_commands", fake.slash_payload("upcoming"))
    ack = await fake.wait_for_ack(envelope_id)
    await fake.close()
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import parse_qsl, urlencode

import aiohttp
from aiohttp import WSMsgType, web

from tests.slack_limits import block_problems, view_problems

BOT_METHODS = ("auth.test", "chat.postMessage", "conversations.history", "users.info", "chat.update", "views.open",
               "views.publish")
APP_METHODS = ("apps.connections.open",)


@dataclass
class Call:
    """One request as received: a Web API method (``chat.postMessage``) or ``response_url``."""

    method: str
    path: str
    body: dict[str, Any]  # JSON body, or form fields and query parameters
    headers: dict[str, str]
    token: str | None
    status: int = 200  # what the stand-in answered
    answer: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.answer.get("ok", True) is True


@dataclass
class Failure:
    """A scripted failure for the next ``times`` calls of one method."""

    error: str
    status: int = 200
    retry_after: float | None = None
    times: int = 1
    after: int = 0  # let this many calls succeed first
    drop: bool = False  # carry the call out, then drop the connection instead of answering
    raw_body: str | None = None  # answer with this body as written (an HTML error page, broken JSON)
    content_type: str = "text/html"


@dataclass
class SocketConnection:
    """One Socket Mode websocket opened by the app."""

    ws: web.WebSocketResponse
    ticket: str
    received: list[dict] = field(default_factory=list)


class FakeSlack:
    """The stand-in server; one per test."""

    def __init__(self, *, team_id: str = "T0TEAM", bot_user_id: str = "U0BOT", bot_token: str = "xoxb-test-token",
                 app_token: str = "xapp-test-token", signing_secret: str = "test-signing-secret",
                 app_id: str = "A0APP"):
        self.team_id = team_id
        self.bot_user_id = bot_user_id
        self.bot_token = bot_token
        self.app_token = app_token
        self.signing_secret = signing_secret
        self.app_id = app_id
        self.calls: list[Call] = []
        self.users: dict[str, dict] = {}
        self.failures: dict[str, list[Failure]] = {}
        self.messages: dict[str, list[dict]] = {}  # channel -> messages posted there, oldest first
        # Random faults (bench/fault_delivery.py): (method, body) -> a Failure to answer with, or None.
        self.chaos: Callable[[str, dict], Failure | None] | None = None
        self.sockets: list[SocketConnection] = []
        self.triggers: dict[str, bool] = {}  # trigger_id handed out -> already used
        self.views: list[dict] = []  # modals opened, in order
        self.homes: dict[str, dict] = {}  # user -> the Home tab published for them
        self._waiters: list[tuple[Callable[[], Any], asyncio.Future]] = []
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None
        self.add_user("U0USER")  # the default slash-command user: a plain member

    # -- lifecycle ------------------------------------------------------------------------------

    async def start(self) -> "FakeSlack":
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._web_api)
        app.router.add_post("/response/{token}", self._response_url)
        app.router.add_get("/link/", self._socket_mode)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def close(self) -> None:
        for conn in self.sockets:
            if not conn.ws.closed:
                await conn.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
        for _, fut in self._waiters:
            if not fut.done():
                fut.cancel()

    async def __aenter__(self) -> "FakeSlack":
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.base_url}/api/"

    def env(self, *, socket_mode: bool = False, trailing_slash: bool = True, **extra: str) -> dict[str, str]:
        """The environment an app needs to talk to this stand-in (HTTP mode unless ``socket_mode``)."""
        env = {"SLACK_BOT_TOKEN": self.bot_token,
               "SLACK_API_URL": self.api_url if trailing_slash else self.api_url.rstrip("/")}
        if socket_mode:
            env["SLACK_APP_TOKEN"] = self.app_token
        else:
            env["SLACK_SIGNING_SECRET"] = self.signing_secret
        env.update(extra)
        return env

    # -- scripting --------------------------------------------------------------------------------

    def fail(self, method: str, error: str = "ratelimited", *, status: int | None = None,
             retry_after: float | None = None, times: int = 1, after: int = 0, drop: bool = False,
             raw_body: str | None = None, content_type: str = "text/html") -> None:
        """Answer ``times`` calls of ``method`` with ``error``, after ``after`` more succeed (429 for ratelimited).

        With ``drop`` the call is carried out (a post reaches the channel) and the connection is then
        closed without an answer. With ``raw_body`` the answer is that text, not JSON (as a proxy or
        load balancer in front of Slack may send).
        """
        if status is None:
            status = 429 if error == "ratelimited" else 200
        self.failures.setdefault(method, []).append(Failure(error, status, retry_after, times, after, drop,
                                                            raw_body, content_type))

    def _scripted(self, method: str) -> Failure | None:
        """The failure to answer this call with, if one is due."""
        scripted = self.failures.get(method)
        if not scripted:
            return None
        failure = scripted[0]
        if failure.after > 0:
            failure.after -= 1
            return None
        failure.times -= 1
        if failure.times <= 0:
            scripted.pop(0)
        return failure

    def add_user(self, user_id: str, *, admin: bool = False, owner: bool = False, name: str | None = None) -> None:
        self.users[user_id] = {"id": user_id, "team_id": self.team_id, "name": name or user_id.lower(),
                               "is_admin": admin, "is_owner": owner, "is_primary_owner": False, "is_bot": False}

    # -- inspection -------------------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posts(self, channel: str | None = None) -> list[Call]:
        """Successful chat.postMessage calls (to one channel when given)."""
        return [c for c in self.calls_to("chat.postMessage") if c.ok and (channel is None or c.body.get("channel") == channel)]

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait (on futures resolved as requests arrive) until ``predicate()`` is truthy; return its value."""
        value = predicate()
        if value:
            return value
        fut: asyncio.Future = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, fut))
        try:
            return await asyncio.wait_for(fut, timeout)
        finally:
            self._waiters = [(p, f) for p, f in self._waiters if f is not fut]

    async def wait_for_call(self, method: str, count: int = 1, timeout: float = 5.0) -> Call:
        """The ``count``-th call of ``method``, once it has arrived."""
        def found():
            calls = self.calls_to(method)
            return calls[count - 1] if len(calls) >= count else None
        return await self.wait_until(found, timeout)

    def _notify(self) -> None:
        for predicate, fut in list(self._waiters):
            if fut.done():
                continue
            value = predicate()
            if value:
                fut.set_result(value)

    def _record(self, call: Call) -> None:
        self.calls.append(call)
        self._notify()

    # -- slash commands over HTTP -----------------------------------------------------------------

    def slash_payload(self, text: str, *, user: str = "U0USER", channel: str = "C0CHAN",
                      channel_name: str = "general", command: str = "/summits", **extra: str) -> dict[str, str]:
        """A slash-command payload as Slack sends it, with a response_url pointing here."""
        n = next(self._ids)
        payload = {
            "token": "deprecated-verification-token", "team_id": self.team_id, "team_domain": "test",
            "channel_id": channel, "channel_name": channel_name, "user_id": user, "user_name": user.lower(),
            "command": command, "text": text, "api_app_id": self.app_id, "is_enterprise_install": "false",
            "response_url": f"{self.base_url}/response/cmd{n}", "trigger_id": self.trigger(),
        }
        payload.update(extra)
        return payload

    def trigger(self) -> str:
        """A fresh trigger_id, good for one views.open."""
        trigger_id = f"{next(self._ids)}.{uuid.uuid4().hex[:12]}"
        self.triggers[trigger_id] = False
        return trigger_id

    def block_action(self, button: dict, *, user: str = "U0USER", channel: str = "C0CHAN",
                     message: dict | None = None, ephemeral: bool = True, view: dict | None = None) -> dict:
        """The block_actions payload Slack sends when ``button`` (as our blocks carry it) is clicked.

        On a message (ephemeral by default, as our lookups are) it carries a response_url; in a view
        (the Home tab) it carries the view and no channel.
        """
        n = next(self._ids)
        clicked = {"type": "button", "action_id": button["action_id"], "block_id": button.get("block_id", "b"),
                   "text": button["text"], "action_ts": f"{int(time.time())}.000100"}
        if "value" in button:
            clicked["value"] = button["value"]
        payload: dict[str, Any] = {
            "type": "block_actions", "team": {"id": self.team_id, "domain": "test"},
            "user": {"id": user, "username": user.lower(), "team_id": self.team_id}, "api_app_id": self.app_id,
            "token": "deprecated-verification-token", "trigger_id": self.trigger(), "actions": [clicked]}
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "V0")}
            payload["view"] = view
            return payload
        ts = (message or {}).get("ts", f"{int(time.time())}.000001")
        payload.update(container={"type": "message", "message_ts": ts, "channel_id": channel,
                                  "is_ephemeral": ephemeral},
                       channel={"id": channel, "name": "general"}, message=message or {"ts": ts},
                       response_url=f"{self.base_url}/response/act{n}")
        return payload

    def view_submission(self, view: dict, values: dict[str, Any], *, user: str = "U0USER") -> dict:
        """The view_submission payload for a modal this app opened, with ``values`` as its state.

        ``values``: {block_id: option value} for a select, {block_id: [values]} for a multi-select.
        """
        state: dict[str, dict] = {}
        for block in view.get("blocks") or []:
            if block.get("type") != "input":
                continue
            element = block["element"]
            chosen = values.get(block["block_id"])
            options = {o["value"]: o for o in element.get("options") or []}
            picked = (lambda v: options.get(v, {"text": {"type": "plain_text", "text": str(v)}, "value": v}))
            if element["type"].startswith("multi_"):
                entry = {"type": element["type"], "selected_options": [picked(v) for v in chosen or []]}
            else:
                entry = {"type": element["type"], "selected_option": picked(chosen) if chosen is not None else None}
            state[block["block_id"]] = {element["action_id"]: entry}
        return {"type": "view_submission", "team": {"id": self.team_id, "domain": "test"},
                "user": {"id": user, "username": user.lower(), "team_id": self.team_id}, "api_app_id": self.app_id,
                "token": "deprecated-verification-token", "trigger_id": self.trigger(),
                "view": {**view, "id": view.get("id", "V0"), "team_id": self.team_id, "state": {"values": state}}}

    async def send_interaction(self, events_url: str, payload: dict) -> tuple[int, str]:
        """POST an interaction as Slack does: form-encoded ``payload=<json>``, signed; (status, body)."""
        body = urlencode({"payload": json.dumps(payload)})
        async with aiohttp.ClientSession() as session:
            async with session.post(events_url, data=body.encode("utf-8"), headers=self.sign(body)) as resp:
                return resp.status, await resp.text()

    async def send_event(self, events_url: str, event: dict) -> tuple[int, str]:
        """POST an Events API callback (JSON, signed), e.g. {"type": "app_home_opened", "user": …, "tab": "home"}."""
        body = json.dumps({"token": "deprecated-verification-token", "team_id": self.team_id,
                           "api_app_id": self.app_id, "type": "event_callback", "event": event,
                           "event_id": f"Ev{next(self._ids)}", "event_time": int(time.time()),
                           "authorizations": [{"team_id": self.team_id, "user_id": self.bot_user_id,
                                               "is_bot": True}]})
        headers = {**self.sign(body), "Content-Type": "application/json"}
        async with aiohttp.ClientSession() as session:
            async with session.post(events_url, data=body.encode("utf-8"), headers=headers) as resp:
                return resp.status, await resp.text()

    def sign(self, body: str, *, timestamp: int | None = None, secret: str | None = None) -> dict[str, str]:
        """Slack's v0 request signature headers for ``body``."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        base = f"v0:{ts}:{body}".encode("utf-8")
        digest = hmac.new((secret or self.signing_secret).encode("utf-8"), base, hashlib.sha256).hexdigest()
        return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}",
                "Content-Type": "application/x-www-form-urlencoded"}

    async def send_slash_command(self, events_url: str, text: str, *, timestamp: int | None = None,
                                 secret: str | None = None, signature: str | None = None,
                                 **fields: str) -> tuple[int, str, dict[str, str]]:
        """POST a signed, form-encoded /summits like Slack does; (status, body, payload sent)."""
        payload = self.slash_payload(text, **fields)
        body = urlencode(payload)
        headers = self.sign(body, timestamp=timestamp, secret=secret)
        if signature is not None:
            headers["X-Slack-Signature"] = signature
        async with aiohttp.ClientSession() as session:
            async with session.post(events_url, data=body.encode("utf-8"), headers=headers) as resp:
                return resp.status, await resp.text(), payload

    # -- Socket Mode ------------------------------------------------------------------------------

    async def wait_for_socket(self, timeout: float = 5.0) -> SocketConnection:
        return await self.wait_until(lambda: self.sockets[-1] if self.sockets else None, timeout)

    async def send_envelope(self, type_: str, payload: dict, *, conn: SocketConnection | None = None) -> str:
        """Push an envelope (``slash_commands``, ``events_api``, …) to the app; returns its envelope_id."""
        conn = conn or self.sockets[-1]
        envelope_id = str(uuid.uuid4())
        await conn.ws.send_json({"envelope_id": envelope_id, "type": type_, "payload": payload,
                                 "accepts_response_payload": type_ != "events_api", "retry_attempt": 0,
                                 "retry_reason": ""})
        return envelope_id

    async def wait_for_ack(self, envelope_id: str, timeout: float = 5.0) -> dict:
        """The app's acknowledgement of one envelope."""
        def acked():
            for conn in self.sockets:
                for message in conn.received:
                    if message.get("envelope_id") == envelope_id:
                        return message
            return None
        return await self.wait_until(acked, timeout)

    async def _socket_mode(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        conn = SocketConnection(ws, request.query.get("ticket", ""))
        self.sockets.append(conn)
        await ws.send_json({"type": "hello", "num_connections": len(self.sockets),
                            "debug_info": {"host": "fake-slack"}, "connection_info": {"app_id": self.app_id}})
        self._notify()
        async for message in ws:
            if message.type == WSMsgType.TEXT:
                try:
                    conn.received.append(json.loads(message.data))
                except ValueError:
                    conn.received.append({"raw": message.data})
                self._notify()
        return ws

    # -- the Web API ------------------------------------------------------------------------------

    async def _read(self, request: web.Request) -> dict[str, Any]:
        body: dict[str, Any] = dict(request.query)
        raw = await request.text()
        if raw:
            if request.content_type == "application/json":
                parsed = json.loads(raw)
                if isinstance(parsed, dict):
                    body.update(parsed)
            else:
                body.update(parse_qsl(raw, keep_blank_values=True))
        return body

    async def _web_api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await self._read(request)
        auth = request.headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else body.get("token")
        call = Call(method, request.path, body, dict(request.headers), token)
        failure = self._scripted(method) or (self.chaos(method, body) if self.chaos else None)
        if failure is not None and failure.raw_body is not None:
            call.status, call.answer = failure.status, {"raw": failure.raw_body}
            self._record(call)
            return web.Response(status=failure.status, body=failure.raw_body.encode(),
                                content_type=failure.content_type)
        status, answer, headers = self._answer(method, body, token, None if failure and failure.drop else failure)
        call.status, call.answer = status, answer
        if failure is not None and failure.drop:
            call.status, call.answer = 0, {"ok": answer.get("ok"), "dropped": True, **answer}
            self._record(call)
            assert request.transport is not None
            request.transport.close()  # carried out, but the client never hears so
            return web.Response(status=204)
        self._record(call)
        return web.json_response(answer, status=status, headers=headers)

    def delivered(self, channel: str | None = None) -> list[dict]:
        """Every message in the channel (or all channels), including those whose answer was dropped."""
        if channel is not None:
            return list(self.messages.get(channel, []))
        return [m for msgs in self.messages.values() for m in msgs]

    def _history(self, body: dict) -> dict:
        channel = str(body.get("channel") or "")
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        newest_first = list(reversed(self.messages.get(channel, [])))
        oldest = body.get("oldest")
        if oldest:
            newest_first = [m for m in newest_first if float(m["ts"]) > float(oldest)]
        start = int(body.get("cursor") or 0)
        limit = max(1, min(int(body.get("limit") or 100), 999))
        page = newest_first[start:start + limit]
        with_meta = str(body.get("include_all_metadata", "")).lower() in ("1", "true")
        out = []
        for m in page:
            msg = {"type": "message", "user": self.bot_user_id, "bot_id": "B0BOT", "text": m["text"], "ts": m["ts"]}
            if m.get("blocks"):
                msg["blocks"] = m["blocks"]
            if with_meta and m.get("metadata"):
                msg["metadata"] = m["metadata"]
            out.append(msg)
        more = start + limit < len(newest_first)
        return {"ok": True, "messages": out, "has_more": more,
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def _answer(self, method: str, body: dict, token: str | None,
                failure: Failure | None = None) -> tuple[int, dict, dict[str, str]]:
        if failure is not None:
            headers = {"Retry-After": f"{failure.retry_after:g}"} if failure.retry_after is not None else {}
            return failure.status, {"ok": False, "error": failure.error}, headers
        expected = self.app_token if method in APP_METHODS else self.bot_token
        if method not in BOT_METHODS + APP_METHODS:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if token != expected:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        if method == "auth.test":
            return 200, {"ok": True, "url": "https://test.slack.com/", "team": "Test Team", "user": "summitbot",
                         "team_id": self.team_id, "user_id": self.bot_user_id, "bot_id": "B0BOT",
                         "is_enterprise_install": False}, {}
        if method == "users.info":
            user = self.users.get(str(body.get("user")))
            if user is None:
                return 200, {"ok": False, "error": "user_not_found"}, {}
            return 200, {"ok": True, "user": user}, {}
        if method == "chat.postMessage":
            if not body.get("channel"):
                return 200, {"ok": False, "error": "channel_not_found"}, {}
            if not (body.get("text") or body.get("blocks")):
                return 200, {"ok": False, "error": "no_text"}, {}
            problems = block_problems(_json_field(body.get("blocks")) or [])
            if problems:
                return 200, {"ok": False, "error": "invalid_blocks", "errors": problems}, {}
            ts = f"{int(time.time())}.{next(self._ts):06d}"  # real time, as Slack's are (history's `oldest`)
            message = {"text": body.get("text"), "blocks": body.get("blocks"), "ts": ts}
            metadata = body.get("metadata")
            if isinstance(metadata, str):  # form-encoded: a JSON string
                metadata = json.loads(metadata)
            if isinstance(metadata, dict):
                message["metadata"] = metadata
            self.messages.setdefault(str(body["channel"]), []).append(message)
            return 200, {"ok": True, "channel": body["channel"], "ts": ts, "message": message}, {}
        if method == "conversations.history":
            return 200, self._history(body), {}
        if method == "chat.update":
            return 200, self._update(body), {}
        if method in ("views.open", "views.publish"):
            return 200, self._view(method, body), {}
        # apps.connections.open
        return 200, {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket={uuid.uuid4().hex}"}, {}

    def _update(self, body: dict) -> dict:
        channel, ts = str(body.get("channel") or ""), str(body.get("ts") or "")
        found = next((m for m in self.messages.get(channel, []) if m["ts"] == ts), None)
        if not channel:
            return {"ok": False, "error": "channel_not_found"}
        if found is None:
            return {"ok": False, "error": "message_not_found"}
        blocks = _json_field(body.get("blocks"))
        if block_problems(blocks or []):
            return {"ok": False, "error": "invalid_blocks", "errors": block_problems(blocks or [])}
        found.update(text=body.get("text"), blocks=blocks)
        return {"ok": True, "channel": channel, "ts": ts, "text": body.get("text")}

    def _view(self, method: str, body: dict) -> dict:
        view = _json_field(body.get("view"))
        if not isinstance(view, dict):
            return {"ok": False, "error": "invalid_arguments"}
        problems = view_problems(view)
        if method == "views.open":
            trigger_id = str(body.get("trigger_id") or "")
            if trigger_id not in self.triggers:
                return {"ok": False, "error": "invalid_trigger_id"}
            if self.triggers[trigger_id]:
                return {"ok": False, "error": "expired_trigger_id"}
            self.triggers[trigger_id] = True
            if view.get("type") != "modal":
                problems.append("views.open takes a modal")
        else:
            if not body.get("user_id"):
                return {"ok": False, "error": "invalid_arguments"}
            if view.get("type") != "home":
                problems.append("views.publish takes a home view")
        if problems:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": problems}}
        stored = {**view, "id": f"V{next(self._ids):08d}", "team_id": self.team_id}
        if method == "views.open":
            self.views.append(stored)
        else:
            self.homes[str(body["user_id"])] = stored
        return {"ok": True, "view": stored}

    async def _response_url(self, request: web.Request) -> web.Response:
        body = await self._read(request)
        call = Call("response_url", request.path, body, dict(request.headers), None)
        failure = self._scripted("response_url")
        if failure is not None:
            call.status, call.answer = failure.status or 404, {"ok": False, "error": failure.error}
            self._record(call)
            return web.Response(status=call.status, text=failure.error)
        problems = block_problems(body.get("blocks") or [])
        if problems:  # Slack refuses a response_url message with bad blocks
            call.status, call.answer = 400, {"ok": False, "error": "invalid_blocks", "problems": problems}
            self._record(call)
            return web.Response(status=400, text="invalid_blocks")
        self._record(call)
        return web.Response(text="ok")


def _json_field(value: Any) -> Any:
    """A form-encoded field that carries JSON (blocks, view) as a string, parsed; other values as they are."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value
