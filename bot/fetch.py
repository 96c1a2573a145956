"""Fetching article pages and feeds from the web, safely.

Every fetch goes through :class:`Fetcher`, which
- accepts only http and https URLs without credentials;
- resolves the host itself (``socket.getaddrinfo``), refuses the URL when *any* of its
  addresses is not public (see :func:`address_problem`), then connects to one of those
  checked addresses, so a DNS answer that changes between the check and the connection
  (DNS rebinding) cannot steer it elsewhere; the Host header, TLS SNI and certificate
  check still use the URL's host name;
- follows at most five redirects by hand, vetting every hop the same way;
- bounds time (a connect timeout, and one total deadline for all hops that a watchdog
  enforces even against a server that trickles its headers or body a byte at a time);
- bounds size while streaming (``Content-Length`` over the cap is refused before the
  body is read; otherwise reading stops at the cap, compressed or not);
- accepts only the content types the caller asked for.

``settings.allow_private_urls`` (``SUMMITBOT_ALLOW_PRIVATE_URLS=1``) allows loopback,
private (RFC 1918), CGNAT and unique-local addresses, for tests and intranet feeds.
Link-local addresses (169.254.0.0/16 and fe80::/10, where cloud metadata services such
as 169.254.169.254 live), multicast, unspecified, "this network" and reserved addresses
are refused even then: no feed lives there, and a metadata endpoint hands out credentials.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import re
import socket
import ssl
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from http import HTTPStatus
from typing import Callable
from urllib.parse import quote, urljoin, urlsplit

from bot.config import Settings
from bot.models import Article

log = logging.getLogger(__name__)

ARTICLE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
MAX_REDIRECTS = 5
CONNECT_TIMEOUT = 10.0
CHUNK = 64 * 1024
USER_AGENT = "summitbot/0.1 (reads news about diplomatic summits)"
REDIRECT_STATUSES = (301, 302, 303, 307, 308)
PRIVATE_SWITCH = "SUMMITBOT_ALLOW_PRIVATE_URLS=1"

Resolver = Callable[[str, int], list[str]]
Connector = Callable[[str, int, float], socket.socket]


class FetchError(Exception):
    """A URL that could not be fetched or was refused; the message says why."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class BlockedURL(FetchError):
    """Refused before connecting: a scheme, credentials or an address we never fetch."""


# -- the address guard ----------------------------------------------------------------

_THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")
_CGNAT = ipaddress.ip_network("100.64.0.0/10")
_ULA = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

# Kinds refused even when private addresses are allowed.
NEVER_ALLOWED = frozenset({"unspecified", "this-network", "link-local", "multicast", "reserved"})
_KIND_TEXT = {
    "unspecified": "an unspecified address",
    "this-network": "a 'this network' address (0.0.0.0/8)",
    "link-local": "a link-local address (where cloud metadata services such as 169.254.169.254 live)",
    "multicast": "a multicast address",
    "reserved": "a reserved address",
    "loopback": "a loopback address",
    "cgnat": "a carrier-grade NAT address (100.64.0.0/10)",
    "unique-local": "a unique local IPv6 address (fc00::/7)",
    "private": "a private address",
    "non-global": "not a public Internet address",
}


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, NAT64, 6to4, Teredo), if any."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    return None


def address_kind(address: str) -> str:
    """Classify an IP address: 'public', or why it is not (loopback, private, link-local, ...)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6:
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return address_kind(str(inner))
    if ip.is_unspecified:
        return "unspecified"
    if ip.version == 4 and ip in _THIS_NETWORK:
        return "this-network"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.is_loopback:
        return "loopback"
    if ip.is_reserved:  # 240.0.0.0/4 with the broadcast address, ::/8 leftovers, ...
        return "reserved"
    if ip in _CGNAT:
        return "cgnat"
    if ip.version == 6 and ip in _ULA:
        return "unique-local"
    if ip.is_private:
        return "private"
    if not ip.is_global:
        return "non-global"
    return "public"


def address_problem(address: str, *, allow_private: bool = False) -> str | None:
    """Why a connection to this IP address must be refused, or None when it may be used."""
    kind = address_kind(address)
    if kind == "public" or (allow_private and kind not in NEVER_ALLOWED):
        return None
    text = f"{address} is {_KIND_TEXT[kind]}"
    if kind not in NEVER_ALLOWED:
        text += f" (private addresses are fetched only with {PRIVATE_SWITCH})"
    elif allow_private:
        text += ", refused even when private addresses are allowed"
    return text


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for a host, in its order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchError(f"cannot resolve {_safe(host)}: {getattr(exc, 'strerror', None) or exc}") from None
    seen: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in seen:
            seen.append(addr)
    return seen


def direct_connector(address: str, port: int, timeout: float) -> socket.socket:
    """Open a TCP connection to exactly this address."""
    return socket.create_connection((address, port), timeout=timeout)


@dataclass(frozen=True)
class Target:
    """A vetted URL: where to connect and what to call the host."""

    url: str
    scheme: str
    host: str  # IDNA/ASCII, for the Host header, SNI and the certificate check
    port: int
    path: str  # path and query, ready for the request line
    addresses: tuple[str, ...]


def _safe(text: str | None, limit: int = 120) -> str:
    """A host or URL fit to quote in a message: printable, no markup, not too long."""
    cleaned = re.sub(r"[^A-Za-z0-9._~:/?#\[\]@!$&'()*+,;=%-]", "", text or "")
    return cleaned if len(cleaned) <= limit else cleaned[:limit] + "…"


def check_url(url: str, *, allow_private: bool = False, resolver: Resolver | None = system_resolver) -> Target:
    """Vet a URL before connecting: http(s) only, no credentials, every resolved address allowed.

    With ``resolver=None`` host names are not looked up (a quick check of the syntax and of
    literal addresses, e.g. when a feed is added); ``localhost`` still counts as loopback.
    """
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise BlockedURL(f"not a valid URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BlockedURL(f"only http and https URLs are fetched, not {_safe(scheme) or 'a URL without a scheme'}")
    if parts.username is not None or parts.password is not None:
        raise BlockedURL("URLs with a user name or password are not fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BlockedURL("the URL has no host")
    port = port or (443 if scheme == "https" else 80)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        ascii_host, addresses = str(literal), [str(literal)]
    else:
        try:
            ascii_host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            raise BlockedURL(f"not a valid host name: {_safe(host)}") from None
        if resolver is not None:
            addresses = resolver(ascii_host, port)
            if not addresses:
                raise FetchError(f"{_safe(ascii_host)} has no address")
        elif ascii_host == "localhost" or ascii_host.endswith(".localhost"):
            addresses = ["127.0.0.1"]  # RFC 6761: always loopback
        else:
            addresses = []
    for address in addresses:
        problem = address_problem(address, allow_private=allow_private)
        if problem:
            label = "" if literal is not None else f"{_safe(ascii_host)} resolves to "
            raise BlockedURL(f"refused: {label}{problem}")
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    if parts.query:
        path += "?" + quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    return Target(url.strip(), scheme, ascii_host, port, path, tuple(addresses))


# -- responses ------------------------------------------------------------------------


@dataclass
class Response:
    """What a fetch returned: the final URL after redirects, the status, headers and the body."""

    url: str
    status: int
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    body: bytes = b""

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";", 1)[0].strip().lower()

    @property
    def charset(self) -> str | None:
        m = re.search(r"charset\s*=\s*\"?([A-Za-z0-9._:-]+)", self.headers.get("content-type", ""), re.I)
        return m.group(1) if m else None

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    def text(self) -> str:
        """The body decoded: the header's charset, else a <meta charset>, else UTF-8 (cp1252 fallback)."""
        candidates = [self.charset]
        m = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", self.body[:4096], re.I)
        if m:
            candidates.append(m.group(1).decode("ascii", "ignore"))
        candidates += ["utf-8", "cp1252"]
        for enc in candidates:
            if not enc:
                continue
            try:
                return self.body.decode(enc)
            except (LookupError, UnicodeDecodeError):
                continue
        return self.body.decode("utf-8", "replace")


class _Decoder:
    """Content-Encoding decoding with the output bounded: a small gzip bomb cannot inflate past the cap."""

    def __init__(self, encoding: str | None):
        encoding = (encoding or "identity").strip().lower()
        if encoding in ("", "identity"):
            self._z = None
        elif encoding in ("gzip", "x-gzip", "deflate"):
            self._z = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header, detected
        else:
            raise FetchError(f"unsupported content encoding {_safe(encoding)!r}")

    def feed(self, data: bytes, room: int) -> bytes:
        if self._z is None:
            return data
        try:
            out = self._z.decompress(data, room + 1)
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}") from None
        return out

    def finish(self, room: int) -> bytes:
        if self._z is None:
            return b""
        try:
            return self._z.flush(room + 1) if room >= 0 else b""
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}") from None


class _Watchdog:
    """Shuts a connection's socket when the deadline passes, waking any blocked read."""

    def __init__(self, seconds: float):
        self.fired = False
        self.sock: socket.socket | None = None
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True

    def start(self, sock: socket.socket) -> None:
        self.sock = sock
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        sock = self.sock
        if sock is not None:
            try:
                # socket.socket.shutdown, not SSLSocket.shutdown: close the TCP stream under TLS too.
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        self._timer.cancel()


class _PinnedConnection(http.client.HTTPConnection):
    """An HTTP connection over a socket we opened to a vetted address; it never connects by itself."""

    def __init__(self, target: Target, sock: socket.socket):
        super().__init__(target.host, target.port)
        self.sock = sock

    def connect(self) -> None:  # pragma: no cover - only reached if the socket was dropped
        raise FetchError("connection closed")


# -- the fetcher ----------------------------------------------------------------------


class Fetcher:
    """Fetches pages and feeds under the guard above; one instance can be shared (it holds no connection)."""

    def __init__(self, settings: Settings | None = None, *, resolver: Resolver = system_resolver,
                 connector: Connector = direct_connector, ssl_context: ssl.SSLContext | None = None,
                 connect_timeout: float = CONNECT_TIMEOUT, clock: Callable[[], float] = time.monotonic):
        self.settings = settings or Settings()
        self.resolver = resolver
        self.connector = connector
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.connect_timeout = connect_timeout
        self.clock = clock

    @property
    def timeout(self) -> float:
        return float(self.settings.fetch_timeout)

    @property
    def max_bytes(self) -> int:
        return int(self.settings.fetch_max_bytes)

    def check(self, url: str) -> Target:
        """Vet a URL with this fetcher's settings and resolver."""
        return check_url(url, allow_private=self.settings.allow_private_urls, resolver=self.resolver)

    def get(self, url: str, *, accept: tuple[str, ...], headers: dict[str, str] | None = None) -> Response:
        """GET a URL, following redirects by hand; a 304 is returned, any other non-2xx raises FetchError."""
        deadline = self.clock() + self.timeout
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            target = self.check(current)
            response = self._exchange(target, accept, headers or {}, deadline)
            if response.status in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise FetchError(f"HTTP {response.status} redirect without a Location", status=response.status)
                current = urljoin(target.url, location.strip())
                log.debug("redirect %s -> %s", target.url, current)
                continue
            return response
        raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")

    def article(self, url: str, published: datetime | None = None) -> Article:
        """Fetch a page and build an Article (text, title, outlet, date); ``published`` only when the page has none."""
        from bot.sources import ArticleError, article_from_html, article_from_text

        response = self.get(url, accept=ARTICLE_TYPES)
        text = response.text()
        try:
            if response.content_type == "text/plain":
                article = article_from_text(text, url)
                article.url = response.url
                if not article.text.strip():
                    raise ArticleError("the page is empty")
            else:
                article = article_from_html(text, url, url=response.url)
        except ArticleError as exc:
            raise FetchError(str(exc)) from None
        if article.published is None:
            article.published = published
        return article

    def feed(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """Fetch a feed with a conditional GET; status 304 means unchanged (empty body)."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self.get(url, accept=FEED_TYPES, headers=headers)

    # -- one request ------------------------------------------------------------------

    def _connect(self, target: Target, deadline: float) -> socket.socket:
        last: Exception | None = None
        for address in target.addresses:
            remaining = deadline - self.clock()
            if remaining <= 0:
                break
            try:
                return self.connector(address, target.port, min(self.connect_timeout, remaining))
            except OSError as exc:
                last = exc
        if last is None:
            raise FetchError(f"timed out after {self.timeout:g} s")
        if isinstance(last, TimeoutError):
            raise FetchError(f"could not connect to {_safe(target.host)}: timed out") from None
        raise FetchError(f"could not connect to {_safe(target.host)}: {last.strerror or last}") from None

    def _exchange(self, target: Target, accept: tuple[str, ...], extra: dict[str, str],
                  deadline: float) -> Response:
        sock = self._connect(target, deadline)
        watchdog = _Watchdog(deadline - self.clock())
        watchdog.start(sock)
        conn = resp = None
        try:
            sock.settimeout(max(deadline - self.clock(), 0.001))
            if target.scheme == "https":
                sock = self.ssl_context.wrap_socket(sock, server_hostname=target.host)
                watchdog.sock = sock
            conn = _PinnedConnection(target, sock)
            headers = {
                "User-Agent": USER_AGENT,
                "Accept": ", ".join(accept) + ", */*;q=0.1",
                "Accept-Encoding": "gzip, deflate",
                "Connection": "close",
                **extra,
            }
            conn.request("GET", target.path, headers=headers)
            resp = conn.getresponse()
            response = Response(target.url, resp.status, {k.lower(): v for k, v in resp.getheaders()})
            if resp.status in REDIRECT_STATUSES or resp.status == 304:
                return response
            if not 200 <= resp.status < 300:
                raise FetchError(f"HTTP {resp.status} {_reason(resp.status)}".rstrip(), status=resp.status)
            self._check_type(response, accept)
            response.body = self._read_body(resp, response, deadline, watchdog)
            return response
        except FetchError:
            if watchdog.fired:
                raise FetchError(f"timed out after {self.timeout:g} s") from None
            raise
        except ssl.SSLCertVerificationError as exc:
            raise FetchError(f"TLS certificate problem for {_safe(target.host)}: "
                             f"{exc.verify_message or exc.reason}") from None
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if watchdog.fired or isinstance(exc, TimeoutError):
                raise FetchError(f"timed out after {self.timeout:g} s") from None
            raise FetchError(f"network error from {_safe(target.host)}: {type(exc).__name__}: {exc}") from None
        finally:
            watchdog.cancel()
            if resp is not None:
                resp.close()
            if conn is not None:
                conn.close()
            try:
                sock.close()
            except OSError:
                pass

    def _check_type(self, response: Response, accept: tuple[str, ...]) -> None:
        ctype = response.content_type
        if ctype in accept:
            return
        if not ctype:
            raise FetchError("the server did not say what the content is (no Content-Type); refused")
        if ctype in FEED_TYPES and accept == ARTICLE_TYPES:
            raise FetchError(f"this is a feed ({_safe(ctype)}), not an article page: "
                             "add it with `/summits feeds add URL` or `summitbot feeds add URL`")
        raise FetchError(f"content type {_safe(ctype)} is not accepted (accepted: {', '.join(accept)})")

    def _read_body(self, resp: http.client.HTTPResponse, response: Response, deadline: float,
                   watchdog: _Watchdog) -> bytes:
        cap = self.max_bytes
        declared = response.headers.get("content-length", "").strip()
        if declared.isdigit() and int(declared) > cap:
            raise FetchError(f"too large: {int(declared):,} bytes announced, the limit is {cap:,}")
        decoder = _Decoder(response.headers.get("content-encoding"))
        received = 0
        body = bytearray()
        while True:
            if self.clock() >= deadline or watchdog.fired:
                raise FetchError(f"timed out after {self.timeout:g} s")
            chunk = resp.read1(CHUNK)
            if not chunk:
                break
            received += len(chunk)
            if received > cap:
                raise FetchError(f"too large: more than {cap:,} bytes, stopped reading")
            body += decoder.feed(chunk, cap - len(body))
            if len(body) > cap:
                raise FetchError(f"too large: more than {cap:,} bytes once decompressed, stopped reading")
        body += decoder.finish(cap - len(body))
        if len(body) > cap:
            raise FetchError(f"too large: more than {cap:,} bytes once decompressed, stopped reading")
        if watchdog.fired:  # the watchdog's shutdown looks like a clean end of the body
            raise FetchError(f"timed out after {self.timeout:g} s")
        return bytes(body)


def _reason(status: int) -> str:
    """The standard phrase for a status (the server's own phrase is not repeated to users)."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def fetch_article(url: str, settings: Settings | None = None, published: datetime | None = None) -> Article:
    """Fetch one article page under the guard; raise FetchError with the reason when it cannot be read."""
    return Fetcher(settings).article(url, published=published)
