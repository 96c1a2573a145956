"""A stand-in for Discord's REST API and gateway websocket, served by aiohttp on 127.0.0.1 for tests.

It speaks just enough of API v10 for a real discord.py client to log in, sync app commands,
connect (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats ACKed), RESUME after a RECONNECT, answer
interactions and post channel messages. Every REST call and every gateway payload it receives is
recorded; tests wait on those records with :meth:`FakeDiscord.wait_for_call` and friends (futures,
never the clock). JSON answers carry ``Content-Type: application/json`` exactly, which discord.py
requires before it parses a body.

Usage::

    fake = FakeDiscord()
    await fake.start()
    env = fake.env(DISCORD_GUILD_ID=str(fake.guild_id))
    ...
    await fake.dispatch("INTERACTION_CREATE", fake.slash("upcoming", {"days": 7}))
    call = await fake.wait_for_call("POST", r"/interactions/\\d+/[^/]+/callback")
    await fake.close()
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable

from aiohttp import WSMsgType, web

API_PREFIX = "/api/v10"
GATEWAY_PATH = "/gateway"
MANAGE_GUILD = 1 << 5
ADMINISTRATOR = 1 << 3

# Gateway opcodes
DISPATCH, HEARTBEAT, IDENTIFY, RESUME, RECONNECT, INVALID_SESSION, HELLO, HEARTBEAT_ACK = 0, 1, 2, 6, 7, 9, 10, 11


@dataclass
class Call:
    """One REST request as received."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any  # parsed JSON (a multipart request's payload_json), or None
    headers: dict[str, str]
    files: dict[str, bytes] = field(default_factory=dict)  # a multipart request's files, by filename
    answer: Any = None  # the message answered, for calls that create or edit one


@dataclass
class GatewayConnection:
    """One websocket connection from the client."""

    ws: web.WebSocketResponse
    query: dict[str, str]
    received: list[dict] = field(default_factory=list)


@dataclass
class Failure:
    """A scripted answer for the next POSTs to a channel: an HTTP error, or a dropped connection."""

    status: int = 0
    body: dict | None = None
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False
    accept: bool = False  # with drop: create the message first, then drop (the answer is lost)


class FakeDiscord:
    """Discord's REST API and gateway, in-process, on a random local port."""

    def __init__(self, token: str = "test-token"):
        self.token = token
        self._ids = itertools.count(1_300_000_000_000_000_000)
        self.app_id = self.snowflake()
        self.bot_id = self.app_id
        self.guild_id = self.snowflake()
        self.channel_id = self.snowflake()
        self.owner_id = self.snowflake()
        self.calls: list[Call] = []
        self.gateway_received: list[dict] = []  # every payload from the client, across connections
        self.gateway_sent: list[dict] = []
        self.connections: list[GatewayConnection] = []
        self.commands: dict[str, list[dict]] = {}  # "global" or guild id -> the last synced commands
        self.messages: dict[str, list[dict]] = {}  # channel id -> messages created (duplicates by nonce dropped)
        self.failures: dict[str, list[Failure]] = {}
        # Random faults (bench/fault_delivery.py): (channel, body) -> a Failure to answer with, or None.
        self.chaos: Callable[[str, dict], Failure | None] | None = None
        # Discord remembers a nonce for a few minutes only: a repeat after that is a new message.
        self.nonce_window = 300.0
        self._nonces: dict[tuple[str, str], tuple[dict, float]] = {}
        self.session_id: str | None = None
        self.seq = 0
        self.heartbeat_acks = 0
        self._changed: asyncio.Condition | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self._routes: list[tuple[str, re.Pattern, Callable]] = [
            ("GET", re.compile(r"/users/@me"), self._me),
            ("GET", re.compile(r"/oauth2/applications/@me"), self._application),
            ("GET", re.compile(r"/gateway(/bot)?"), self._gateway_info),
            ("PUT", re.compile(r"/applications/(?P<app>\d+)/commands"), self._put_commands),
            ("PUT", re.compile(r"/applications/(?P<app>\d+)/guilds/(?P<guild>\d+)/commands"), self._put_commands),
            ("POST", re.compile(r"/interactions/(?P<id>\d+)/(?P<token>[^/]+)/callback"), self._callback),
            ("POST", re.compile(r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)"), self._followup),
            ("PATCH", re.compile(r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>[^/]+)"), self._edit),
            ("DELETE", re.compile(r"/webhooks/(?P<app>\d+)/(?P<token>[^/]+)/messages/(?P<mid>[^/]+)"), self._delete),
            ("POST", re.compile(r"/channels/(?P<channel>\d+)/messages"), self._channel_message),
        ]

    # -- lifecycle ----------------------------------------------------------------------

    async def start(self) -> None:
        """Serve on 127.0.0.1 on a free port."""
        self._changed = asyncio.Condition()
        app = web.Application()
        app.router.add_get(GATEWAY_PATH, self._gateway)
        app.router.add_route("*", API_PREFIX + "/{tail:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        for conn in self.connections:
            if not conn.ws.closed:
                await conn.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}{GATEWAY_PATH}"

    def env(self, **extra: str) -> dict[str, str]:
        """Environment variables pointing the adapter at this stand-in."""
        return {"DISCORD_TOKEN": self.token, "DISCORD_API_BASE_URL": self.base_url,
                "DISCORD_GATEWAY_URL": self.gateway_url, **extra}

    def snowflake(self) -> str:
        return str(next(self._ids))

    # -- waiting ------------------------------------------------------------------------

    async def _notify(self) -> None:
        assert self._changed is not None
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until ``predicate()`` is truthy (re-checked after every recorded event) and return its value."""
        assert self._changed is not None
        box: list[Any] = []

        def check() -> bool:
            value = predicate()
            if value:
                box.append(value)
            return bool(value)

        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(check), timeout)
        return box[-1]

    def find_calls(self, method: str, pattern: str) -> list[Call]:
        rx = re.compile(pattern)
        return [c for c in self.calls if c.method == method and rx.fullmatch(c.path)]

    async def wait_for_call(self, method: str, pattern: str, count: int = 1, timeout: float = 10.0) -> Call:
        """The ``count``-th REST call matching the method and the path regex (waiting for it if needed)."""
        found = await self.wait_until(lambda: (lambda m: m if len(m) >= count else None)(
            self.find_calls(method, pattern)), timeout)
        return found[count - 1]

    def ops(self, op: int) -> list[dict]:
        return [p for p in self.gateway_received if p.get("op") == op]

    async def wait_for_op(self, op: int, count: int = 1, timeout: float = 10.0) -> dict:
        """The ``count``-th gateway payload with this opcode received from the client."""
        found = await self.wait_until(lambda: (lambda m: m if len(m) >= count else None)(self.ops(op)), timeout)
        return found[count - 1]

    def channel_posts(self, channel_id: str | None = None) -> list[Call]:
        return self.find_calls("POST", rf"/channels/{channel_id or self.channel_id}/messages")

    # -- gateway ------------------------------------------------------------------------

    @property
    def current(self) -> GatewayConnection:
        return self.connections[-1]

    async def _send(self, conn: GatewayConnection, payload: dict) -> None:
        self.gateway_sent.append(payload)
        await conn.ws.send_str(json.dumps(payload))

    async def dispatch(self, event: str, data: dict, conn: GatewayConnection | None = None) -> None:
        """Send a DISPATCH event (with the next sequence number) on the newest connection."""
        self.seq += 1
        await self._send(conn or self.current, {"op": DISPATCH, "t": event, "s": self.seq, "d": data})

    async def reconnect(self) -> None:
        """Ask the client to reconnect (op 7), as Discord does before moving a session."""
        await self._send(self.current, {"op": RECONNECT, "d": None})

    async def invalidate_session(self, resumable: bool = False) -> None:
        """op 9: the session is gone; the client must IDENTIFY again (and gets a new READY)."""
        if not resumable:
            self.session_id = None
        await self._send(self.current, {"op": INVALID_SESSION, "d": resumable})

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        conn = GatewayConnection(ws, dict(request.query))
        self.connections.append(conn)
        await self._send(conn, {"op": HELLO, "d": {"heartbeat_interval": 41_250}})
        await self._notify()
        async for msg in ws:
            if msg.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            conn.received.append(payload)
            self.gateway_received.append(payload)
            await self._on_gateway(conn, payload)
            await self._notify()
        await self._notify()
        return ws

    async def _on_gateway(self, conn: GatewayConnection, payload: dict) -> None:
        op, data = payload.get("op"), payload.get("d")
        if op == HEARTBEAT:
            self.heartbeat_acks += 1
            await self._send(conn, {"op": HEARTBEAT_ACK})
        elif op == IDENTIFY:
            if data.get("token") != self.token:
                await conn.ws.close(code=4004, message=b"Authentication failed.")
                return
            self.session_id = uuid.uuid4().hex
            self.seq = 0
            await self.dispatch("READY", self._ready(), conn)
            await self.dispatch("GUILD_CREATE", self.guild(), conn)
        elif op == RESUME:
            if data.get("token") == self.token and data.get("session_id") == self.session_id:
                await self.dispatch("RESUMED", {}, conn)
            else:
                await self._send(conn, {"op": INVALID_SESSION, "d": False})

    # -- payloads -----------------------------------------------------------------------

    def bot_user(self) -> dict:
        return {"id": self.bot_id, "username": "summitbot", "discriminator": "0", "global_name": None,
                "avatar": None, "bot": True, "flags": 0, "verified": True, "mfa_enabled": False}

    def user(self, user_id: str, name: str = "member") -> dict:
        return {"id": user_id, "username": name, "discriminator": "0", "global_name": name, "avatar": None,
                "public_flags": 0}

    def _ready(self) -> dict:
        return {"v": 10, "user": self.bot_user(), "guilds": [{"id": self.guild_id, "unavailable": True}],
                "session_id": self.session_id, "resume_gateway_url": self.gateway_url,
                "application": {"id": self.app_id, "flags": 0}, "private_channels": [], "relationships": []}

    def guild(self) -> dict:
        return {
            "id": self.guild_id, "name": "Summit Watchers", "icon": None, "owner_id": self.owner_id,
            "unavailable": False, "large": False, "member_count": 3, "features": [], "emojis": [],
            "stickers": [], "verification_level": 0, "default_message_notifications": 0,
            "explicit_content_filter": 0, "mfa_level": 0, "premium_tier": 0, "preferred_locale": "en-US",
            "joined_at": "2025-01-01T00:00:00+00:00", "afk_channel_id": None, "afk_timeout": 300,
            "system_channel_id": None, "nsfw_level": 0,
            "roles": [{"id": self.guild_id, "name": "@everyone", "permissions": "104324673", "position": 0,
                       "color": 0, "hoist": False, "managed": False, "mentionable": False, "flags": 0}],
            "channels": [{"id": self.channel_id, "type": 0, "name": "summits", "position": 0,
                          "permission_overwrites": [], "nsfw": False, "parent_id": None, "topic": None,
                          "rate_limit_per_user": 0, "last_message_id": None}],
            "members": [], "threads": [], "presences": [], "voice_states": [], "stage_instances": [],
            "guild_scheduled_events": [], "soundboard_sounds": [],
        }

    def interaction(self, sub: str, options: dict[str, Any] | None = None, *, permissions: int = 0,
                    user_id: str = "4242", focused: str | None = None,
                    channel_id: str | None = None) -> dict:
        """An INTERACTION_CREATE payload for ``/summits <sub> option:value …`` from a guild member.

        ``sub`` may name a subcommand of a subcommand group: "feeds add".
        ``focused`` makes it an autocomplete request (type 4) for that option.
        """
        opts = []
        for name, value in (options or {}).items():
            kind = 5 if isinstance(value, bool) else 4 if isinstance(value, int) else 3
            opt = {"name": name, "type": kind, "value": value}
            if name == focused:
                opt["focused"] = True
            opts.append(opt)
        *groups, leaf = sub.split()
        chosen = {"name": leaf, "type": 1, "options": opts}
        for group in reversed(groups):
            chosen = {"name": group, "type": 2, "options": [chosen]}
        data: dict[str, Any] = {"id": self.snowflake(), "name": "summits", "type": 1, "options": [chosen]}
        if self.guild_id in self.commands:
            data["guild_id"] = self.guild_id  # registered as a guild command
        channel = channel_id or self.channel_id
        iid = self.snowflake()
        return {
            "id": iid, "application_id": self.app_id, "type": 4 if focused else 2, "data": data,
            "guild_id": self.guild_id, "guild": {"id": self.guild_id, "locale": "en-US", "features": []},
            "channel_id": channel,
            "channel": {"id": channel, "type": 0, "name": "summits", "guild_id": self.guild_id,
                        "permissions": str(permissions), "position": 0, "permission_overwrites": []},
            "member": {"user": self.user(user_id), "roles": [], "permissions": str(permissions),
                       "joined_at": "2025-01-01T00:00:00+00:00", "deaf": False, "mute": False, "flags": 0,
                       "pending": False, "nick": None, "avatar": None, "premium_since": None,
                       "communication_disabled_until": None},
            "token": f"itok-{iid}", "version": 1, "app_permissions": str(1 << 10 | 1 << 11 | 1 << 14),
            "locale": "en-US", "guild_locale": "en-US", "entitlements": [],
            "authorizing_integration_owners": {"0": self.guild_id}, "context": 0,
            "attachment_size_limit": 10_485_760,
        }

    def component(self, message: dict, custom_id: str, *, values: list[str] | None = None, permissions: int = 0,
                  user_id: str = "4242") -> dict:
        """An INTERACTION_CREATE for a click on a button (or a choice in a menu, with ``values``) of ``message``."""
        base = self.interaction("help", permissions=permissions, user_id=user_id)
        data: dict[str, Any] = {"custom_id": custom_id, "component_type": 2 if values is None else 3}
        if values is not None:
            data["values"] = values
        return {**base, "type": 3, "data": data, "message": message}

    def message(self, channel_id: str, body: dict, *, webhook: bool = False) -> dict:
        msg = {
            "id": self.snowflake(), "channel_id": channel_id, "author": self.bot_user(),
            "content": body.get("content") or "", "timestamp": datetime.now(timezone.utc).isoformat(),
            "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": body.get("attachments") or [], "embeds": body.get("embeds") or [],
            "pinned": False, "type": 0, "flags": body.get("flags") or 0, "components": body.get("components") or [],
        }
        if body.get("nonce") is not None:
            msg["nonce"] = body["nonce"]
        if webhook:
            msg["webhook_id"] = self.app_id
        return msg

    # -- REST ---------------------------------------------------------------------------

    @staticmethod
    def json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        """A JSON answer whose Content-Type is exactly application/json, as Discord sends it."""
        return web.Response(status=status, body=json.dumps(data).encode("utf-8"),
                            headers={"Content-Type": "application/json", **(headers or {})})

    def error(self, status: int, message: str, code: int = 0, headers: dict[str, str] | None = None) -> web.Response:
        return self.json({"message": message, "code": code}, status, headers)

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        raw = await request.read()
        files: dict[str, bytes] = {}
        if request.content_type.startswith("multipart/"):
            raw, files = _multipart(raw, request.headers["Content-Type"])
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        call = Call(request.method, path, dict(request.query), body, dict(request.headers), files)
        self.calls.append(call)
        try:
            if not path.startswith(("/interactions/", "/webhooks/")) and \
                    request.headers.get("Authorization") != f"Bot {self.token}":
                return self.error(401, "401: Unauthorized")
            for method, rx, handler in self._routes:
                m = rx.fullmatch(path)
                if m and method == request.method:
                    return await handler(request, call, **m.groupdict())
            return self.error(404, "404: Not Found")
        finally:
            await self._notify()

    async def _me(self, request: web.Request, call: Call) -> web.Response:
        return self.json(self.bot_user())

    async def _application(self, request: web.Request, call: Call) -> web.Response:
        return self.json({
            "id": self.app_id, "name": "summitbot", "description": "", "icon": None, "bot_public": True,
            "bot_require_code_grant": False, "owner": self.user(self.owner_id, "owner"), "verify_key": "00",
            "flags": 0, "team": None, "summary": "", "rpc_origins": [], "redirect_uris": [],
            "interactions_endpoint_url": None,
        })

    async def _gateway_info(self, request: web.Request, call: Call) -> web.Response:
        return self.json({"url": self.gateway_url, "shards": 1,
                          "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0,
                                                  "max_concurrency": 1}})

    async def _put_commands(self, request: web.Request, call: Call, app: str, guild: str | None = None) -> web.Response:
        if app != self.app_id:
            return self.error(404, "Unknown Application", 10002)
        out = []
        for cmd in call.body or []:
            out.append({**cmd, "id": self.snowflake(), "application_id": self.app_id, "version": self.snowflake(),
                        **({"guild_id": guild} if guild else {})})
        self.commands[guild or "global"] = out
        return self.json(out)

    async def _callback(self, request: web.Request, call: Call, id: str, token: str) -> web.Response:
        kind = (call.body or {}).get("type")
        data = (call.body or {}).get("data") or {}
        result: dict[str, Any] = {"interaction": {"id": id, "type": 2,
                                                  "response_message_loading": kind == 5,
                                                  "response_message_ephemeral": bool((data.get("flags") or 0) & 64)}}
        if kind == 4:
            msg = self.message(self.channel_id, data, webhook=True)
            call.answer = msg
            result["interaction"]["response_message_id"] = msg["id"]
            result["resource"] = {"type": 4, "message": msg}
        elif kind is not None:
            result["resource"] = {"type": kind}
        return self.json(result)

    async def _followup(self, request: web.Request, call: Call, app: str, token: str) -> web.StreamResponse:
        if call.query.get("wait") in ("true", "1", "True"):
            call.answer = self.message(self.channel_id, call.body or {}, webhook=True)
            return self.json(call.answer)
        return web.Response(status=204)

    async def _edit(self, request: web.Request, call: Call, app: str, token: str, mid: str) -> web.Response:
        call.answer = self.message(self.channel_id, call.body or {}, webhook=True)
        if mid != "@original":
            call.answer["id"] = mid
        return self.json(call.answer)

    async def _delete(self, request: web.Request, call: Call, app: str, token: str, mid: str) -> web.Response:
        return web.Response(status=204)

    def fail_next(self, channel_id: str, status: int = 0, message: str = "", code: int = 0, *,
                  headers: dict[str, str] | None = None, drop: bool = False, body: dict | None = None,
                  accept: bool = False) -> None:
        """Answer the next POST to this channel with an error, or drop the connection when ``drop``
        (having created the message first when ``accept``: the post took effect, its answer is lost)."""
        body = body if body is not None else {"message": message, "code": code}
        self.failures.setdefault(channel_id, []).append(Failure(status, body, headers or {}, drop, accept))

    async def _channel_message(self, request: web.Request, call: Call, channel: str) -> web.StreamResponse:
        pending = self.failures.get(channel)
        failure = pending.pop(0) if pending else (self.chaos(channel, call.body or {}) if self.chaos else None)
        if failure is not None and not (failure.drop and failure.accept):
            if failure.drop:
                assert request.transport is not None
                request.transport.close()  # the client sees the connection die mid-request
                return web.Response(status=204)
            return self.json(failure.body, failure.status, failure.headers)
        body = call.body or {}
        existing = self.messages.setdefault(channel, [])
        msg = None
        nonce = body.get("nonce")
        if body.get("enforce_nonce") and nonce is not None:
            # Discord answers a repeated nonce (within a few minutes) with the message it already made.
            seen = self._nonces.get((channel, str(nonce)))
            if seen is not None and time.monotonic() - seen[1] <= self.nonce_window:
                msg = seen[0]
        if msg is None:
            msg = self.message(channel, body)
            existing.append(msg)
            if nonce is not None:
                self._nonces[(channel, str(nonce))] = (msg, time.monotonic())
        if failure is not None:  # accepted, then the connection drops before the answer
            assert request.transport is not None
            request.transport.close()
            return web.Response(status=204)
        return self.json(msg)


def _multipart(raw: bytes, content_type: str) -> tuple[bytes, dict[str, bytes]]:
    """A multipart/form-data body: its payload_json, and its files by filename (as discord.py sends them)."""
    from email.parser import BytesParser
    from email.policy import HTTP

    parsed = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    payload, files = b"", {}
    for part in parsed.iter_parts():
        data = part.get_payload(decode=True) or b""
        if part.get_param("name", header="content-disposition") == "payload_json":
            payload = data
        elif part.get_filename():
            files[part.get_filename()] = data
    return payload, files
