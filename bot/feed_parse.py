"""Reading a feed's bytes safely: RSS or Atom in, a title and entries with absolute http(s) links out.

Feed XML safety (billion laughs, external entities): the bytes, already capped by the
fetcher, are decoded here to text and re-encoded as UTF-8 without their XML declaration,
so every later step reads the same characters; a feed whose text declares any
``<!ENTITY`` is refused outright (feeds have no use for them); it is then parsed with
defusedxml (entities and external references forbidden) as a second check, and only then
handed to feedparser, always as a byte stream (feedparser treats a *string* as a URL or a
file name to open).

Following feeds and polling them is bot/feeds.py, which re-exports these names.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit


class FeedError(Exception):
    """A feed that cannot be added, found or parsed; the message says why."""


@dataclass
class FeedEntry:
    """One entry of a feed, as the feed gives it and (once seen) as recorded."""

    guid: str | None
    link: str | None
    title: str = ""
    summary: str = ""
    published: datetime | None = None
    status: str | None = None  # ingested | duplicate | skipped | old | failed
    reason: str | None = None
    article_id: int | None = None
    attempts: int = 0
    id: int | None = None

    @property
    def content_hash(self) -> str | None:
        text = " ".join(f"{self.title} {self.summary}".split())
        return hashlib.sha256(text.encode("utf-8")).hexdigest() if text else None


@dataclass
class ParsedFeed:
    title: str
    entries: list[FeedEntry]


# -- parsing feeds safely ---------------------------------------------------------------

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_XML_DECL_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._:-]+)[\"']")
_ENTITY_DECL = re.compile(r"<!ENTITY", re.I)
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def decode_feed(data: bytes, charset: str | None = None) -> str:
    """Feed bytes as text: a byte-order mark, else the XML declaration, else the HTTP charset, else UTF-8."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace")
    if data[:4] in (b"<\x00?\x00", b"\x00<\x00?"):  # UTF-16 without a BOM
        return data.decode("utf-16-le" if data[0] == 0x3C else "utf-16-be", "replace")
    declared = _XML_DECL_ENCODING.match(data)
    for enc in (declared.group(1).decode("ascii") if declared else None, charset, "utf-8"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", "replace")


def safe_feed_bytes(data: bytes, charset: str | None = None) -> bytes:
    """The feed as UTF-8 without its XML declaration; FeedError when it declares entities (see module doc)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    text = _XML_DECL.sub("", decode_feed(data, charset), count=1)
    if _ENTITY_DECL.search(text):
        raise FeedError("refused: the feed declares XML entities (<!ENTITY ...>), which can expand without "
                        "bound (billion laughs) or read local files; no real feed needs them")
    clean = text.encode("utf-8")
    try:
        fromstring(clean, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FeedError(f"refused: unsafe XML in the feed ({type(exc).__name__})") from None
    except ParseError:
        pass  # not well-formed XML: feedparser's tolerant parser copes, and nothing above was declared
    return clean


def parse_feed(data: bytes, url: str, content_type: str | None = None, charset: str | None = None) -> ParsedFeed:
    """Parse RSS or Atom bytes (already size-capped) into entries with absolute http(s) links."""
    import feedparser

    clean = safe_feed_bytes(data, charset)
    headers = {"content-type": f"{content_type or 'application/xml'}; charset=utf-8", "content-location": url}
    parsed = feedparser.parse(io.BytesIO(clean), response_headers=headers)
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        raise FeedError("not an RSS or Atom feed" + (f" ({type(problem).__name__})" if problem else ""))
    items = []
    for e in parsed.entries:
        link = e.get("link")
        if link:
            link = urljoin(url, link.strip())
            if urlsplit(link).scheme.lower() not in ("http", "https"):
                link = None
        when = e.get("published_parsed") or e.get("updated_parsed")
        published = datetime(*when[:6], tzinfo=timezone.utc) if when else None
        guid = (e.get("id") or "").strip() or None
        items.append(FeedEntry(guid=guid, link=link, title=(e.get("title") or "").strip(),
                               summary=(e.get("summary") or "").strip(), published=published))
    return ParsedFeed(title=(parsed.feed.get("title") or "").strip(), entries=items)
