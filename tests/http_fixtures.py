"""A local HTTP(S) server for tests: canned pages or handler functions per path, every request recorded.

    def test_something(http_server):
        url = http_server.page("/a", b"<html>...</html>")
        feed = http_server.page("/feed.xml", rss, content_type="application/rss+xml", etag='"v1"')
        http_server.redirect("/r", "http://169.254.169.254/")
        http_server.handle("/slow", trickle(http_server.stop))
        http_server.handle("/held", held(b"<html>...</html>", requested, release))
        ...
        assert http_server.paths() == ["/a"]

It listens on 127.0.0.1 on a random port and speaks HTTP/1.0 (one request per
connection). Pages with an ``etag`` or ``last_modified`` answer 304 to a matching
conditional request. ``tls_server`` wraps it with a certificate made on the spot
(needs the openssl command).
"""

from __future__ import annotations

import gzip
import shutil
import socket
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

import pytest


@dataclass
class Seen:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]  # lower-case names


@dataclass
class Page:
    """A canned response."""

    body: bytes = b""
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None


Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class StreamStats:
    """What a streaming handler managed to send before the client went away."""

    sent: int = 0
    client_gone: bool = False
    finished: bool = False
    done: threading.Event = field(default_factory=threading.Event)


class LocalServer:
    """The server and its routes; use the ``http_server`` fixture."""

    def __init__(self, tls: ssl.SSLContext | None = None):
        self.routes: dict[str, Page | Handler] = {}
        self.seen: list[Seen] = []
        self.stop = threading.Event()  # set at teardown: endless handlers end
        self._lock = threading.Lock()
        server = self

        class RequestHandler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server._serve(self)

            def log_message(self, *args) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), RequestHandler)
        self.httpd.daemon_threads = True
        self.scheme = "http"
        self.snis: list[str | None] = []
        if tls is not None:
            tls.sni_callback = self._on_sni
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True, do_handshake_on_connect=True)
            self.scheme = "https"
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    def _on_sni(self, sslsock, name, ctx) -> None:
        with self._lock:
            self.snis.append(name)

    # -- routes ---------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def page(self, path: str, body: bytes | str = b"", **kw) -> str:
        """Serve a canned page at ``path``; returns its URL."""
        self.routes[path] = Page(body.encode("utf-8") if isinstance(body, str) else body, **kw)
        return self.url(path)

    def handle(self, path: str, handler: Handler) -> str:
        """Serve ``path`` with a function that writes the whole response itself."""
        self.routes[path] = handler
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        return self.page(path, b"", status=status, content_type=None, headers={"Location": location})

    def paths(self) -> list[str]:
        with self._lock:
            return [s.path for s in self.seen]

    def requests_for(self, path: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path == path]

    # -- serving --------------------------------------------------------------------

    def _serve(self, req: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.seen.append(Seen(req.command, req.path, {k.lower(): v for k, v in req.headers.items()}))
        route = self.routes.get(req.path) or self.routes.get(req.path.split("?", 1)[0])
        if route is None:
            route = Page(b"not found", status=404, content_type="text/plain")
        if callable(route):
            route(req)
            return
        if _not_modified(route, req):
            req.send_response(304)
            req.end_headers()
            return
        req.send_response(route.status)
        if route.content_type:
            req.send_header("Content-Type", route.content_type)
        if route.etag:
            req.send_header("ETag", route.etag)
        if route.last_modified:
            req.send_header("Last-Modified", route.last_modified)
        for name, value in route.headers.items():
            req.send_header(name, value)
        req.send_header("Content-Length", str(len(route.body)))
        req.end_headers()
        try:
            req.wfile.write(route.body)
        except OSError:
            pass

    def close(self) -> None:
        self.stop.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def _not_modified(route: Page, req: BaseHTTPRequestHandler) -> bool:
    """RFC 9110: If-None-Match decides when sent; else If-Modified-Since (compared as text here)."""
    if req.headers.get("If-None-Match") is not None:
        return route.etag is not None and req.headers["If-None-Match"] == route.etag
    since = req.headers.get("If-Modified-Since")
    return route.last_modified is not None and since == route.last_modified


# -- handlers for hostile servers ----------------------------------------------------------


def stream(total: int, stats: StreamStats, *, content_type: str = "text/html", declare_length: bool = False,
           chunk: bytes = b"<p>" + b"x" * 65_530 + b"</p>") -> Handler:
    """A body of ``total`` bytes, written in chunks as fast as the client reads; records what was sent."""

    def handler(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", content_type)
        if declare_length:
            req.send_header("Content-Length", str(total))
        req.end_headers()
        try:
            while stats.sent < total:
                piece = chunk[: total - stats.sent]
                req.wfile.write(piece)
                stats.sent += len(piece)
            stats.finished = True
        except OSError:
            stats.client_gone = True
        finally:
            stats.done.set()

    return handler


def gzip_bomb(size: int) -> Handler:
    """A small gzip body that inflates to ``size`` bytes of HTML."""
    payload = gzip.compress(b"<html><body><p>" + b"a" * size + b"</p></body></html>", compresslevel=9)

    def handler(req: BaseHTTPRequestHandler) -> None:
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Encoding", "gzip")
        req.send_header("Content-Length", str(len(payload)))
        req.end_headers()
        try:
            req.wfile.write(payload)
        except OSError:
            pass

    return handler


def trickle(stop: threading.Event, *, interval: float = 0.05, headers_too: bool = False) -> Handler:
    """A response that never ends: one byte every ``interval`` (of the body, or of the headers)."""

    def handler(req: BaseHTTPRequestHandler) -> None:
        try:
            if headers_too:
                req.wfile.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/html\r\n")
                req.wfile.flush()
                while not stop.wait(interval):
                    req.wfile.write(b"X-Slow: y\r\n")
                    req.wfile.flush()
                return
            req.send_response(200)
            req.send_header("Content-Type", "text/html")
            req.end_headers()
            req.wfile.write(b"<html><body><p>")
            req.wfile.flush()
            while not stop.wait(interval):
                req.wfile.write(b"a")
                req.wfile.flush()
        except OSError:
            pass

    return handler


def held(body: bytes | str, requested: threading.Event, release: threading.Event, *,
         content_type: str = "text/html; charset=utf-8", limit: float = 30.0) -> Handler:
    """A page whose response waits for the test: ``requested`` is set when the request arrives, and the
    page is sent once the test sets ``release`` (or after ``limit`` seconds, so a failed test cannot hang)."""
    data = body.encode("utf-8") if isinstance(body, str) else body

    def handler(req: BaseHTTPRequestHandler) -> None:
        requested.set()
        release.wait(limit)
        req.send_response(200)
        req.send_header("Content-Type", content_type)
        req.send_header("Content-Length", str(len(data)))
        req.end_headers()
        try:
            req.wfile.write(data)
        except OSError:
            pass

    return handler


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture
def http_server():
    """A plain HTTP server on 127.0.0.1, closed after the test."""
    server = LocalServer()
    yield server
    server.close()


def make_certificate(folder: Path, host: str) -> tuple[Path, Path]:
    """A self-signed certificate for ``host`` (subjectAltName), made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a test certificate")
    cert, key = folder / f"{host}.pem", folder / f"{host}.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert),
         "-days", "2", "-subj", f"/CN={host}", "-addext", f"subjectAltName=DNS:{host}"],
        check=True, capture_output=True, timeout=60)
    return cert, key


@pytest.fixture
def tls_server(tmp_path):
    """An HTTPS server on 127.0.0.1 with a certificate for ``news.test``; ``.client_context`` trusts it."""
    cert, key = make_certificate(tmp_path, "news.test")
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)
    server = LocalServer(tls=server_ctx)
    server.client_context = ssl.create_default_context(cafile=str(cert))
    yield server
    server.close()


def routed_connector(routes: dict[str, int]) -> Callable[[str, int, float], socket.socket]:
    """A connector that sends connections for the given (vetted) addresses to local ports instead."""

    def connect(address: str, port: int, timeout: float) -> socket.socket:
        if address not in routes:
            raise ConnectionRefusedError(f"test connector: no route for {address}")
        return socket.create_connection(("127.0.0.1", routes[address]), timeout=timeout)

    return connect
