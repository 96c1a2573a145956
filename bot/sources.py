"""Reading articles from files and folders: .txt, .html, .json and .jsonl (the gold format)."""

from __future__ import annotations

import json
import logging
import os
import re
import stat
from dataclasses import dataclass
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Iterator

from bot.models import Article

log = logging.getLogger(__name__)

SUPPORTED = (".txt", ".text", ".md", ".html", ".htm", ".json", ".jsonl")
MAX_FILE_BYTES = 20_000_000


class ArticleError(ValueError):
    """A file or record that cannot be read as an article; the message says why."""


@dataclass
class ReadResult:
    """One article read from a source, or the reason it could not be read."""

    origin: str
    article: Article | None = None
    error: str | None = None


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}

# "Published: 05 Jun. 2025, 08:54", "date 2025-10-24", "Date: October 24, 2025"
_DATE_LINE = re.compile(r"^\s*(?:published|date|posted|updated)\s*(?:on)?\s*[:\-]?\s*(?P<value>.+)$", re.I)


def parse_date_text(value: str) -> datetime | None:
    """Parse the common forms of a dateline: ISO, '05 Jun. 2025, 08:54', 'October 24, 2025'."""
    value = value.strip().strip(",. ")
    if not value:
        return None
    iso = re.match(r"(\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?)", value)
    if iso:
        text = iso.group(1).replace("Z", "+00:00")
        try:
            dt = datetime.fromisoformat(text)
        except ValueError:
            return None
        return dt
    m = re.match(
        r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m>[a-z]{3,9})\.?,?\s+(?P<y>\d{4})"
        r"(?:[,\s]+(?P<hh>\d{1,2}):(?P<mm>\d{2}))?", value, re.I)
    if not m:
        m = re.match(
            r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?(?P<m>[a-z]{3,9})\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
            r"(?:[,\s]+(?:at\s+)?(?P<hh>\d{1,2}):(?P<mm>\d{2}))?", value, re.I)
    if not m:
        return None
    month = _MONTHS.get(m.group("m")[:3].lower())
    if not month:
        return None
    try:
        day = date(int(m.group("y")), month, int(m.group("d")))
    except ValueError:
        return None
    if m.group("hh"):
        return datetime.combine(day, time(int(m.group("hh")) % 24, int(m.group("mm"))))
    return datetime.combine(day, time(0, 0))


def parse_published(value) -> datetime | None:
    """A publication date from a gold record or a dateline; None when absent or unreadable."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(0, 0))
    return parse_date_text(str(value))


def article_from_text(raw: str, origin: str, published: datetime | None = None) -> Article:
    """A plain-text article: the first non-empty line may be the title; a dateline gives the date."""
    lines = raw.splitlines()
    title = next((ln.strip() for ln in lines if ln.strip()), "")
    found = published
    body_lines = []
    for line in lines:
        m = _DATE_LINE.match(line)
        if m and found is None and len(line) < 200:
            parsed = parse_date_text(m.group("value"))
            if parsed:
                found = parsed
                # A dateline that runs straight into the story ("date 2025-10-24 US President...").
                rest = m.group("value")
                iso = re.match(r"\s*\d{4}-\d{2}-\d{2}\s+(.+)$", rest)
                if iso and len(iso.group(1)) > 40:
                    body_lines.append(iso.group(1))
                continue
        elif m and len(line) >= 200 and found is None:
            iso = re.match(r"\s*(\d{4}-\d{2}-\d{2})\s+(.+)$", m.group("value"))
            if iso:
                found = parse_date_text(iso.group(1))
                body_lines.append(iso.group(2))
                continue
        body_lines.append(line)
    if _DATE_LINE.match(title) and body_lines:
        title = next((ln.strip() for ln in body_lines if ln.strip()), title)
    if len(title) > 140:
        first = re.split(r"(?<=[.!?])\s", title, maxsplit=1)[0]
        title = first if len(first) <= 140 else title[:120].rsplit(" ", 1)[0] + "…"
    return Article(text="\n".join(body_lines).strip(), published=found, title=title, id=origin, source_path=origin)


def article_from_html(raw: str, origin: str, url: str | None = None, published: datetime | None = None) -> Article:
    """An HTML page: main text, title and date through trafilatura."""
    import trafilatura  # heavy import, only when HTML is read

    doc = trafilatura.bare_extraction(raw, url=url, with_metadata=True, include_comments=False,
                                      favor_precision=True)
    if doc is None:
        raise ArticleError("no article text found in the HTML")
    data = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
    text = (data.get("text") or "").strip()
    if not text:
        raise ArticleError("no article text found in the HTML")
    when = published or parse_published(data.get("date"))
    return Article(text=text, published=when, title=(data.get("title") or "").strip(), url=url or data.get("url"),
                   outlet=data.get("sitename") or data.get("hostname"), id=origin, source_path=origin)


def article_from_record(rec: dict, origin: str, published: datetime | None = None) -> Article:
    """A gold-format JSON record."""
    if not isinstance(rec, dict):
        raise ArticleError("a JSON article must be an object")
    for key in ("id", "title", "url", "outlet", "published"):
        if isinstance(rec.get(key), (dict, list)):
            raise ArticleError(f"`{key}` must be a string, not a JSON {type(rec[key]).__name__}")
    text = rec.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ArticleError("the record has no `text`")
    when = published or parse_published(rec.get("published"))
    return Article(text=text, published=when, title=str(rec.get("title") or ""), url=rec.get("url"),
                   outlet=rec.get("outlet"), id=str(rec.get("id") or origin), source_path=origin)


def _decode(data: bytes, origin: str, *, sniff_binary: bool = True) -> str:
    if sniff_binary and b"\x00" in data[:4096]:
        raise ArticleError("binary file, not text")
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ArticleError("not valid UTF-8 text")


def _read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file; a FIFO, socket or device is refused without blocking on it."""
    # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one; the
    # type is then checked on the open descriptor, so the path cannot be swapped in between.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = ("a FIFO" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode)
                    else "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else "not a file")
            raise ArticleError(f"not a regular file ({kind}): refused")
        if info.st_size > MAX_FILE_BYTES:
            raise ArticleError(f"file too large ({info.st_size} bytes, limit {MAX_FILE_BYTES})")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_FILE_BYTES + 1)
    finally:
        os.close(fd)


def _record(load, where: str, published: datetime | None) -> ReadResult:
    """One JSON record read into an article, or the reason it could not be (never raised)."""
    try:
        return ReadResult(where, article_from_record(load(), where, published))
    except (ArticleError, json.JSONDecodeError) as exc:
        return ReadResult(where, error=str(exc))
    except RecursionError:  # json's C parser and str() give up on nesting deeper than the recursion limit
        return ReadResult(where, error="JSON nested too deeply to be an article")


def read_path(path: Path, published: datetime | None = None) -> Iterator[ReadResult]:
    """Articles from one file (a .jsonl file yields many); errors are yielded, never raised."""
    origin = str(path)
    try:
        data = _read_regular_file(path)
        if len(data) > MAX_FILE_BYTES:
            raise ArticleError(f"file too large (over {MAX_FILE_BYTES} bytes)")
        suffix = path.suffix.lower()
        if suffix == ".jsonl":
            # Line by line: one bad line (NUL bytes, broken JSON, nested too deeply) voids only itself.
            raw = _decode(data, origin, sniff_binary=False)
            for lineno, line in enumerate(raw.splitlines(), start=1):
                if not line.strip():
                    continue
                where = f"{origin}:{lineno}"
                if "\x00" in line:
                    yield ReadResult(where, error="binary data (NUL bytes) on this line, not JSON")
                    continue
                yield _record(lambda: json.loads(line), where, published)
            return
        raw = _decode(data, origin)
        if suffix == ".json":
            try:
                parsed = json.loads(raw)
            except RecursionError:
                raise ArticleError("JSON nested too deeply to be an article") from None
            records = parsed if isinstance(parsed, list) else [parsed]
            for i, rec in enumerate(records):
                where = origin if len(records) == 1 else f"{origin}[{i}]"
                yield _record(lambda: rec, where, published)
            return
        if suffix in (".html", ".htm") or raw.lstrip()[:15].lower().startswith(("<!doctype html", "<html")):
            yield ReadResult(origin, article_from_html(raw, origin, published=published))
            return
        article = article_from_text(raw, origin, published)
        if not article.text.strip():
            raise ArticleError("empty file")
        yield ReadResult(origin, article)
    except (ArticleError, json.JSONDecodeError, OSError) as exc:
        yield ReadResult(origin, error=str(exc))
    except RecursionError:  # a page or document nested deeper than any parser here will follow
        yield ReadResult(origin, error="nested too deeply to be read as an article")


def iter_paths(paths: list[str | Path]) -> Iterator[Path]:
    """Files under the given paths, folders walked in name order; only supported suffixes from folders."""
    for p in map(Path, paths):
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUPPORTED and not child.name.startswith("."):
                    yield child
        else:
            yield p


def read_articles(paths: list[str | Path], published: datetime | None = None) -> Iterator[ReadResult]:
    """Every article under the given files and folders, or why a path gave none (errors are yielded, not raised)."""
    for given in map(Path, paths):
        found = False
        for path in iter_paths([given]):
            found = True
            if not path.exists():
                yield ReadResult(str(path), error="no such file")
                continue
            yield from read_path(path, published)
        if not found:
            yield ReadResult(str(given), error=f"no article files ({' '.join(SUPPORTED)}) in this folder")


def ensure_aware(published: datetime | None) -> datetime | None:
    """A publication time with a zone: a naive one is taken as UTC."""
    return published if published is None or published.tzinfo else published.replace(tzinfo=timezone.utc)
