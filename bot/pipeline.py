"""Ingestion: read articles, store them, extract their meetings, fold them into the meeting records."""

from __future__ import annotations

import inspect
import itertools
import logging
import sys
import threading
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Iterable

from bot.config import Settings
from bot.merge import fold_meeting
from bot.models import Article
from bot.sources import ReadResult, read_articles
from bot.steps import Steps, drive
from bot.store import Store, database_file, open_reader

log = logging.getLogger(__name__)

BATCH = 32  # articles extracted together when reading a folder, a feed backlog or many URLs
# One extraction at a time in worker threads: the spaCy pipeline is shared by the whole process
# and not documented as safe to run from several threads at once.
EXTRACTING = threading.Lock()


@dataclass
class IngestReport:
    """What a batch did: counts and the reasons for what was skipped or failed."""

    new: int = 0
    duplicate: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    meetings_new: int = 0
    meetings_updated: int = 0
    meeting_ids: list[int] = field(default_factory=list)
    extraction_failures: int = 0  # stored (counted in `new`), then failed (counted in `failed` too)

    @property
    def all_failed(self) -> bool:
        """Something was tried and nothing was read: every item failed (the CLI then exits non-zero)."""
        read = self.new - self.extraction_failures + self.duplicate + len(self.skipped)
        return bool(self.failed) and read <= 0

    def summary(self) -> str:
        return (f"articles: {self.new} new, {self.duplicate} duplicate, {len(self.skipped)} skipped, "
                f"{len(self.failed)} failed; meetings: {self.meetings_new} new, {self.meetings_updated} updated")

    def to_json(self) -> dict:
        return {
            "articles": {"new": self.new, "duplicate": self.duplicate, "skipped": len(self.skipped),
                         "failed": len(self.failed)},
            "meetings": {"new": self.meetings_new, "updated": self.meetings_updated},
            "skipped": [{"source": s, "reason": r} for s, r in self.skipped],
            "failed": [{"source": s, "reason": r} for s, r in self.failed],
        }


class Ingestor:
    """Stores articles and their meetings; one broken article never stops a batch."""

    def __init__(self, store: Store, extractor, settings: Settings | None = None):
        self.store = store
        self.extractor = extractor
        self.settings = settings
        self._takes_lookup = "summit_lookup" in inspect.signature(extractor.extract).parameters
        self._path = database_file(store)  # None: in memory, readable only through the store's own connection

    def ingest_paths(self, paths: list[str], *, published: datetime | None = None,
                     progress: bool = False) -> IngestReport:
        report = IngestReport()
        urls = [p for p in paths if p.startswith(("http://", "https://"))]
        files = [p for p in paths if p not in urls]
        results: Iterable[ReadResult] = read_articles(files, published=published)
        if urls:
            results = itertools.chain(results, self._fetch_urls(urls, published))
        pending: list[tuple[Article, int]] = []
        for result in _with_progress(results, progress):
            if result.article is None:
                report.failed.append((result.origin, result.error or "unreadable"))
                continue
            stored_id = self._store(result.article, report)
            if stored_id is not None:
                pending.append((result.article, stored_id))
            if len(pending) >= BATCH:
                self._extract_and_fold(pending, report)
                pending = []
        self._extract_and_fold(pending, report)
        return report

    def _extract_and_fold(self, batch: list[tuple[Article, int]], report: IngestReport) -> None:
        """Extract a batch together (spaCy is much faster on batches), then fold each article's meetings."""
        if not batch:
            return
        results: list = []
        if hasattr(self.extractor, "extract_many") and self._takes_lookup:
            try:
                results = self.extractor.extract_many([a for a, _ in batch], summit_lookup=self.store.find_summit)
            except Exception:
                log.exception("batch extraction failed; extracting one article at a time")
                results = []
        if len(results) != len(batch):
            results = [None] * len(batch)
        for (article, stored_id), meetings in zip(batch, results):
            self._finish(article, stored_id, meetings, report)

    def _fetch_urls(self, urls: list[str], published: datetime | None) -> Iterable[ReadResult]:
        from bot.fetch import Fetcher

        fetcher = Fetcher(self.settings)  # one TLS context for the whole batch
        for url in urls:
            try:
                yield ReadResult(url, fetcher.article(url, published=published))
            except Exception as exc:  # FetchError and anything unexpected: reported, batch goes on
                yield ReadResult(url, error=str(exc))

    def ingest_article(self, article: Article, report: IngestReport | None = None) -> IngestReport:
        """Store one article and fold its meetings into the records, all on this thread."""
        return drive(self.ingest_steps(article, report))

    def ingest_steps(self, article: Article, report: IngestReport | None = None) -> Steps[IngestReport]:
        """:meth:`ingest_article` as steps (bot/steps.py): the extraction is yielded as blocking work, which
        the bot runs in a worker thread; storing the article and folding its meetings stay on the driver's thread."""
        report = report or IngestReport()
        stored_id = self._store(article, report)
        if stored_id is None:
            return report
        meetings = None  # an in-memory database: _finish extracts here, where its one connection is
        if self._path is not None:
            try:
                meetings = yield partial(self._extract_apart, article, self._path)
            except Exception as exc:
                self._extraction_failed(article, stored_id, exc, report)
                return report
        self._finish(article, stored_id, meetings, report)
        return report

    def _store(self, article: Article, report: IngestReport) -> int | None:
        """Store the article; its id when it is new and dated (to be extracted), else None."""
        origin = article.source_path or article.url or article.id or "article"
        if article.published is None:
            stored = self.store.add_article(article, status="skipped", reason="no publication date found")
            if stored.is_new:
                report.skipped.append((origin, "no publication date found (give --published)"))
            else:
                report.duplicate += 1
            return None
        with self.store.db.atomic():
            stored = self.store.add_article(article)
            if not stored.is_new:
                report.duplicate += 1
                return None
            report.new += 1
        return stored.id

    def _finish(self, article: Article, stored_id: int, meetings: list | None, report: IngestReport) -> None:
        """Extract (unless already done) and fold the meetings into the records; a failure stays with this article."""
        if meetings is None:
            try:
                meetings = self._extract(article)
            except Exception as exc:
                self._extraction_failed(article, stored_id, exc, report)
                return
        asof = article.published.isoformat()
        with self.store.db.atomic():
            for meeting in meetings:
                outcome = fold_meeting(self.store, meeting, article_id=stored_id, asof=asof,
                                       published=article.published)
                if outcome.created:
                    report.meetings_new += 1
                elif outcome.changed:
                    report.meetings_updated += 1
                if outcome.meeting_id not in report.meeting_ids:
                    report.meeting_ids.append(outcome.meeting_id)

    def _extraction_failed(self, article: Article, stored_id: int, exc: Exception, report: IngestReport) -> None:
        """Record on the article why its extraction failed; the batch goes on."""
        origin = article.source_path or article.url or article.id or "article"
        log.error("extraction failed for %s", origin, exc_info=exc)
        self.store.db["articles"].update(stored_id, {"status": "failed", "reason": f"extraction failed: {exc}"})
        report.failed.append((origin, f"extraction failed: {exc}"))
        report.extraction_failures += 1

    def _extract(self, article: Article, lookups: Store | None = None):
        """Extract, letting 'on the sidelines of the G20 summit' take the dates the database knows
        (read through ``lookups``, else the store)."""
        if self._takes_lookup:
            return self.extractor.extract(article, summit_lookup=(lookups or self.store).find_summit)
        return self.extractor.extract(article)  # a simple extractor (tests inject some)

    def _extract_apart(self, article: Article, path: str):
        """Extract on whatever thread runs this, one extraction at a time; the summit lookups read the
        database file through a connection of this thread's own, as the store's belongs to the driver's."""
        with EXTRACTING:
            if not self._takes_lookup:
                return self._extract(article)
            with closing(open_reader(path)) as db:
                return self._extract(article, Store(db))


def _with_progress(results: Iterable[ReadResult], enabled: bool, total: int | None = None) -> Iterable[ReadResult]:
    """A click progress bar on stderr: a count (and a bar when ``total`` or ``len(results)`` is known)."""
    if not enabled:
        yield from results
        return
    import click

    if total is None and hasattr(results, "__len__"):
        total = len(results)  # type: ignore[arg-type]

    def current(result: ReadResult | None) -> str | None:
        if result is None:
            return None
        origin = result.origin
        return origin if len(origin) <= 40 else "…" + origin[-39:]

    with click.progressbar(results, length=total, label="  reading articles", file=sys.stderr, show_pos=True,
                           show_percent=total is not None, item_show_func=current) as bar:
        yield from bar
